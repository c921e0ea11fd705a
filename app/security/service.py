"""Users: login with lockout, password changes, user administration, first-run admin, demo users.

Rules (each covered by tests/unit/test_security*.py):
- Passwords are argon2id hashes (app.security.passwords); a hash never leaves this module and is never
  written to the audit log.
- `authenticate` answers the same "Wrong user name or password." for an unknown user and a wrong
  password. After LOCKOUT_THRESHOLD (5) consecutive failures the account is locked for
  LOCKOUT_DURATION (15 minutes); the message says until when (IST, DD-MM-YYYY HH:MM). While locked,
  even the right password is refused and no attempt is counted. When the lock has run out the count
  starts again from zero; a successful login resets it. A failed attempt is committed even though
  the login fails. Unknown user names are not counted (nothing to lock) and not audited (a user
  name field often receives a password typed in the wrong box).
- Disabled users cannot log in (they are told so only after giving the right password).
- `authenticate` returns `LoginResult(actor, must_change_password)`; when `must_change_password` is
  true the UI must make the user change the password (`change_password`) before anything else.
- Every change (user created, enabled/disabled, password changed/reset, failed login, lockout,
  login) is an audit entry with before/after snapshots that never contain a password or hash.
- The argon2 work (about 0.4 s on an office PC) is done outside the write transaction, so a login
  never holds the database's write lock while hashing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.core.clock import Clock, format_datetime_ist
from app.core.text import clean_text
from app.db.engine import Database
from app.errors import ConflictError, NikayError, NotFoundError, PermissionDenied, ValidationError
from app.security.models import AppUser
from app.security.passwords import (
    DEFAULT_HASHER,
    check_password_policy,
    generate_one_time_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.security.roles import Actor, Permission, Role, require

LOCKOUT_THRESHOLD = 5
LOCKOUT_DURATION = timedelta(minutes=15)
FIRST_ADMIN_USERNAME = "admin"
BAD_CREDENTIALS = "Wrong user name or password."
_USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{2,59}$")
_ENTITY = "app_user"


class AuthenticationError(NikayError):
    """Login (or a supervisor's approval) refused. The message is shown to the user as is."""


class AccountLockedError(AuthenticationError):
    def __init__(self, username: str, locked_until: datetime, prefix: str = "") -> None:
        self.locked_until = locked_until
        super().__init__(
            f"{prefix}Too many failed attempts: user {username} is locked until "
            f"{format_datetime_ist(locked_until)} IST. Try again then, or ask the administrator to reset "
            "the password."
        )


@dataclass(frozen=True)
class LoginResult:
    """What a successful login gives the UI: who is acting, and whether a new password is due first."""

    actor: Actor
    must_change_password: bool


@dataclass(frozen=True)
class UserInfo:
    """A user as other layers may see one (no password hash)."""

    user_id: int
    username: str
    full_name: str
    full_name_hi: str
    role: Role
    active: bool
    must_change_password: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and at < self.locked_until


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    full_name: str
    full_name_hi: str


# Documented in docs/users.md. For the demo ULB only: never seed these on a real office's device.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("clerk1", "Clerk@123", Role.CLERK, "Ramesh Kumar Sahu", "रमेश कुमार साहू"),
    DemoUser("clerk2", "Clerk@123", Role.CLERK, "Sunita Verma", "सुनीता वर्मा"),
    DemoUser("supervisor1", "Super@123", Role.SUPERVISOR, "Anil Tiwari", "अनिल तिवारी"),
    DemoUser("engineer1", "Engineer@123", Role.ENGINEER, "Priya Dewangan", "प्रिया देवांगन"),
    DemoUser("hr1", "Hr@12345", Role.HR, "Manoj Sinha", "मनोज सिन्हा"),
    DemoUser("accounts1", "Accounts@123", Role.ACCOUNTS, "Kavita Agrawal", "कविता अग्रवाल"),
    DemoUser("commissioner1", "Commissioner@123", Role.COMMISSIONER, "Rajesh Chandrakar", "राजेश चंद्राकर"),
    DemoUser("admin1", "Admin@123", Role.ADMIN, "Deepak Yadav", "दीपक यादव"),
)


def normalise_username(username: str) -> str:
    return username.strip().lower()


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not _USERNAME_RE.match(name):
        raise ValidationError(
            f"{username!r} is not a valid user name: use 3 to 60 characters, a-z, 0-9, '.', '_' or '-', "
            "starting with a letter."
        )
    return name


def _parse_role(role: Role | str) -> Role:
    try:
        return Role(role.strip().lower() if isinstance(role, str) else role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise ValidationError(f"{role!r} is not a role; use one of: {known}.") from None


def _info(user: AppUser) -> UserInfo:
    return UserInfo(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        full_name_hi=user.full_name_hi,
        role=Role(user.role),
        active=user.active,
        must_change_password=user.must_change_password,
        failed_attempts=user.failed_attempts,
        locked_until=user.locked_until,
        created_at=user.created_at,
    )


def _snapshot(user: AppUser) -> dict[str, Any]:
    """The audited state of a user. Deliberately without password_hash."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "full_name_hi": user.full_name_hi,
        "role": user.role,
        "active": user.active,
        "must_change_password": user.must_change_password,
        "failed_attempts": user.failed_attempts,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
    }


def _actor(user: AppUser, device_no: int) -> Actor:
    return Actor(
        user_id=user.id, username=user.username, full_name=user.full_name, role=Role(user.role), device_no=device_no
    )


def _is_locked(user: AppUser, now: datetime) -> bool:
    return user.locked_until is not None and now < user.locked_until


def _by_name(session: Session, username: str) -> AppUser | None:
    return session.scalars(select(AppUser).where(AppUser.username == username)).first()


class UserService:
    def __init__(self, db: Database, audit: AuditLog, clock: Clock, hasher: PasswordHasher = DEFAULT_HASHER) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._hasher = hasher
        self._dummy_hash: str | None = None

    # ---- login -------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str, device_no: int) -> LoginResult:
        """Log in. Raises AuthenticationError (AccountLockedError when locked) with a message to show."""
        user, must_change = self._check_credentials(username, password, device_no, action="auth.login")
        return LoginResult(actor=_actor(user, device_no), must_change_password=must_change)

    def verify_supervisor(self, username: str, password: str, device_no: int) -> Actor:
        """A supervisor approving on a clerk's screen (e.g. a cancellation): credentials + CANCEL_RECEIPT.

        Counts failures and locks out exactly like a login. A user who still has a one-time password
        must log in and change it before approving anything.
        """
        user, must_change = self._check_credentials(username, password, device_no, action="auth.supervisor_verified")
        actor = _actor(user, device_no)
        if not actor.can(Permission.CANCEL_RECEIPT):
            raise PermissionDenied(
                f"{actor.username} is a {actor.role.value} and may not approve this; a supervisor must approve."
            )
        if must_change:
            raise AuthenticationError(
                f"{actor.username} still has a one-time password; log in once and change it before approving."
            )
        return actor

    def _check_credentials(self, username: str, password: str, device_no: int, action: str) -> tuple[AppUser, bool]:
        name = normalise_username(username)
        now = self._clock.now_utc()
        with self._db.read() as session:  # (a read session expires its objects at the end)
            found = _by_name(session, name)
            if found is not None and _is_locked(found, now):
                assert found.locked_until is not None
                raise AccountLockedError(found.username, found.locked_until)
            user_id, seen_hash = (found.id, found.password_hash) if found else (None, None)
        if user_id is None or seen_hash is None:
            self._spend_equal_time(password)
            raise AuthenticationError(BAD_CREDENTIALS)

        matches = verify_password(seen_hash, password, self._hasher)
        new_hash = hash_password(password, self._hasher) if matches and needs_rehash(seen_hash, self._hasher) else None

        error: AuthenticationError | None = None
        with self._db.write() as session:
            user = session.get(AppUser, user_id)
            if user is None:
                error = AuthenticationError(BAD_CREDENTIALS)
            elif _is_locked(user, now):  # locked by another device in the meantime
                assert user.locked_until is not None
                error = AccountLockedError(user.username, user.locked_until)
            else:
                before = _snapshot(user)
                if user.locked_until is not None:  # the lock has run out: a fresh start
                    user.locked_until = None
                    user.failed_attempts = 0
                if not matches or user.password_hash != seen_hash:
                    error = self._record_failure(session, user, before, now, device_no, BAD_CREDENTIALS)
                elif not user.active:
                    error = AuthenticationError(f"User {user.username} is disabled; ask the administrator.")
                else:
                    user.failed_attempts = 0
                    if new_hash is not None:
                        user.password_hash = new_hash
                    session.flush()
                    after = _snapshot(user)
                    if new_hash is not None:
                        after["password_rehashed"] = True
                    self._audit.record(session, _actor(user, device_no), action, _ENTITY, str(user.id), before, after)
                    return user, user.must_change_password
        # Here the write unit of work has committed: a failed attempt is counted even though we refuse.
        assert error is not None
        raise error

    def _record_failure(
        self, session: Session, user: AppUser, before: dict[str, Any], now: datetime, device_no: int, message: str
    ) -> AuthenticationError:
        user.failed_attempts += 1
        locked = user.failed_attempts >= LOCKOUT_THRESHOLD
        if locked:
            user.locked_until = now + LOCKOUT_DURATION
        session.flush()
        after = _snapshot(user) | {"device_no": device_no}
        action = "auth.locked_out" if locked else "auth.login_failed"
        self._audit.record(session, None, action, _ENTITY, str(user.id), before, after)
        if locked:
            assert user.locked_until is not None
            return AccountLockedError(user.username, user.locked_until, prefix=f"{message} ")
        return AuthenticationError(message)

    def _spend_equal_time(self, password: str) -> None:
        """Verify against a throw-away hash so an unknown user name takes as long as a wrong password."""
        if self._dummy_hash is None:
            self._dummy_hash = hash_password(generate_one_time_password(), self._hasher)
        verify_password(self._dummy_hash, password, self._hasher)

    # ---- own password ------------------------------------------------------------------------

    def change_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        """The logged-in user changes their own password. A wrong current password counts as a failure."""
        check_password_policy(new_password, actor.username)
        if new_password == old_password:
            raise ValidationError("The new password must be different from the current one.")
        now = self._clock.now_utc()
        with self._db.read() as session:
            found = session.get(AppUser, actor.user_id)
            if found is None:
                raise NotFoundError(f"User {actor.username} does not exist.")
            if _is_locked(found, now):
                assert found.locked_until is not None
                raise AccountLockedError(found.username, found.locked_until)
            seen_hash = found.password_hash
        matches = verify_password(seen_hash, old_password, self._hasher)
        new_hash = hash_password(new_password, self._hasher) if matches else ""

        error: AuthenticationError | None = None
        with self._db.write() as session:
            user = session.get(AppUser, actor.user_id)
            if user is None:
                raise NotFoundError(f"User {actor.username} does not exist.")
            before = _snapshot(user)
            if not matches or user.password_hash != seen_hash:
                error = self._record_failure(
                    session, user, before, now, actor.device_no, "The current password is wrong."
                )
            else:
                user.password_hash = new_hash
                user.must_change_password = False
                user.failed_attempts = 0
                user.locked_until = None
                session.flush()
                self._audit.record(
                    session, actor, "user.password_changed", _ENTITY, str(user.id), before, _snapshot(user)
                )
                return
        assert error is not None
        raise error

    # ---- administration (MANAGE_USERS) -------------------------------------------------------

    def create_user(
        self,
        admin_actor: Actor,
        username: str,
        full_name: str,
        role: Role | str,
        password: str,
        full_name_hi: str = "",
        *,
        must_change_password: bool = True,
    ) -> UserInfo:
        """Create a user. By default the user must change the password the admin chose at first login."""
        require(admin_actor, Permission.MANAGE_USERS)
        name = _check_username(username)
        the_role = _parse_role(role)
        english = clean_text(full_name)
        if not english:
            raise ValidationError("The full name is required.")
        check_password_policy(password, name)
        password_hash = hash_password(password, self._hasher)
        with self._db.write() as session:
            if _by_name(session, name) is not None:
                raise ConflictError(f"User {name} already exists.")
            user = self._insert(session, name, english, clean_text(full_name_hi), the_role, password_hash)
            user.must_change_password = must_change_password
            session.flush()
            self._audit.record(session, admin_actor, "user.created", _ENTITY, str(user.id), None, _snapshot(user))
            return _info(user)

    def set_active(self, admin_actor: Actor, username: str, active: bool) -> UserInfo:
        """Enable or disable a user. Nobody can disable themselves or the last active admin."""
        require(admin_actor, Permission.MANAGE_USERS)
        name = normalise_username(username)
        with self._db.write() as session:
            user = self._get(session, name)
            if user.active == active:
                return _info(user)
            if not active:
                if user.id == admin_actor.user_id:
                    raise ValidationError("You cannot disable your own account.")
                if user.role == Role.ADMIN.value and self._active_admins(session) <= 1:
                    raise ValidationError(f"{name} is the last active administrator and cannot be disabled.")
            before = _snapshot(user)
            user.active = active
            session.flush()
            action = "user.enabled" if active else "user.disabled"
            self._audit.record(session, admin_actor, action, _ENTITY, str(user.id), before, _snapshot(user))
            return _info(user)

    def reset_password(self, admin_actor: Actor, username: str, new_password: str | None = None) -> str:
        """Give a user a new password (a random one-time password unless given), clear any lockout and
        make them change it at the next login. Returns the password to hand over once."""
        require(admin_actor, Permission.MANAGE_USERS)
        name = normalise_username(username)
        password = new_password if new_password is not None else generate_one_time_password()
        check_password_policy(password, name)
        password_hash = hash_password(password, self._hasher)
        with self._db.write() as session:
            user = self._get(session, name)
            before = _snapshot(user)
            user.password_hash = password_hash
            user.must_change_password = True
            user.failed_attempts = 0
            user.locked_until = None
            session.flush()
            self._audit.record(
                session, admin_actor, "user.password_reset", _ENTITY, str(user.id), before, _snapshot(user)
            )
        return password

    def list_users(self) -> list[UserInfo]:
        with self._db.read() as session:
            return [_info(u) for u in session.scalars(select(AppUser).order_by(AppUser.username))]

    def get_user(self, username: str) -> UserInfo:
        with self._db.read() as session:
            return _info(self._get(session, normalise_username(username)))

    def actor_for(self, username: str, device_no: int) -> Actor:
        """The Actor of an active user WITHOUT a password: only for trusted local scripting (the CLI run
        by the operating-system user who owns the data folder). The UI must use `authenticate`."""
        with self._db.read() as session:
            user = self._get(session, normalise_username(username))
            if not user.active:
                raise AuthenticationError(f"User {user.username} is disabled; ask the administrator.")
            return _actor(user, device_no)

    # ---- first run and demo ------------------------------------------------------------------

    def ensure_first_admin(self) -> str | None:
        """On a database without users, create `admin` with a random one-time password that must be
        changed at first login, and return that password (show it once). Otherwise return None."""
        with self._db.read() as session:
            if self._count(session):
                return None
        password = generate_one_time_password()
        password_hash = hash_password(password, self._hasher)
        with self._db.write() as session:
            if self._count(session):  # another process got there first
                return None
            user = self._insert(session, FIRST_ADMIN_USERNAME, "Administrator", "प्रशासक", Role.ADMIN, password_hash)
            user.must_change_password = True
            session.flush()
            self._audit.record(session, None, "user.first_admin_created", _ENTITY, str(user.id), None, _snapshot(user))
        return password

    def seed_demo_users(self) -> list[str]:
        """Create the documented demo users (DEMO_USERS, docs/users.md) that do not exist yet; never
        touches an existing user. Returns the user names created. For the demo ULB only."""
        with self._db.read() as session:
            existing = set(session.scalars(select(AppUser.username)))
        missing = [d for d in DEMO_USERS if d.username not in existing]
        hashes = {d.username: hash_password(d.password, self._hasher) for d in missing}
        created: list[str] = []
        with self._db.write() as session:
            for demo in missing:
                if _by_name(session, demo.username) is not None:
                    continue
                user = self._insert(
                    session, demo.username, demo.full_name, demo.full_name_hi, demo.role, hashes[demo.username]
                )
                session.flush()
                self._audit.record(session, None, "user.demo_seeded", _ENTITY, str(user.id), None, _snapshot(user))
                created.append(demo.username)
        return created

    # ---- helpers -----------------------------------------------------------------------------

    def _insert(
        self, session: Session, username: str, full_name: str, full_name_hi: str, role: Role, password_hash: str
    ) -> AppUser:
        user = AppUser(
            username=username,
            full_name=full_name,
            full_name_hi=full_name_hi,
            role=role.value,
            password_hash=password_hash,
            must_change_password=False,
            failed_attempts=0,
            locked_until=None,
            active=True,
            created_at=self._clock.now_utc(),
        )
        session.add(user)
        return user

    @staticmethod
    def _get(session: Session, username: str) -> AppUser:
        user = _by_name(session, username)
        if user is None:
            raise NotFoundError(f"There is no user {username!r}.")
        return user

    @staticmethod
    def _count(session: Session) -> int:
        return session.scalar(select(func.count()).select_from(AppUser)) or 0

    @staticmethod
    def _active_admins(session: Session) -> int:
        query = select(func.count()).select_from(AppUser).where(AppUser.role == Role.ADMIN.value, AppUser.active)
        return session.scalar(query) or 0
