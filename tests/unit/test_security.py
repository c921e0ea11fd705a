"""Users and roles: what a clerk, a supervisor and an administrator see at login and after."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.db import Database
from app.errors import ConflictError, PermissionDenied, ValidationError
from app.security.models import AppUser
from app.security.passwords import (
    check_password_policy,
    fast_hasher,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.security.roles import Actor, Permission, Role, require
from app.security.service import (
    BAD_CREDENTIALS,
    DEMO_USERS,
    LOCKOUT_THRESHOLD,
    AccountLockedError,
    AuthenticationError,
    UserService,
)

DEVICE = 3


@pytest.fixture
def audit(clock: FixedClock) -> AuditLog:
    return AuditLog(clock, DEVICE)


@pytest.fixture
def users(db: Database, audit: AuditLog, clock: FixedClock) -> UserService:
    service = UserService(db, audit, clock, hasher=fast_hasher())
    service.seed_demo_users()
    return service


def _row(db: Database, username: str) -> AppUser:
    with db.read() as session:
        user = session.scalars(select(AppUser).where(AppUser.username == username)).one()
        session.expunge(user)  # keep its loaded values after the read unit of work ends
        return user


def _audit_entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        session.expunge_all()
        return entries


# ---- hashing and policy ----------------------------------------------------------------------


def test_default_hash_is_argon2id_and_verifies() -> None:
    stored = hash_password("Clerk@123")  # the real parameters the program uses
    assert stored.startswith("$argon2id$")
    assert "Clerk@123" not in stored
    assert verify_password(stored, "Clerk@123")
    assert not verify_password(stored, "clerk@123")
    assert not verify_password("not a hash", "Clerk@123")
    assert not needs_rehash(stored)
    assert needs_rehash(hash_password("Clerk@123", fast_hasher()))  # weaker parameters get upgraded


def test_same_password_gets_a_different_salt() -> None:
    assert hash_password("Clerk@123", fast_hasher()) != hash_password("Clerk@123", fast_hasher())


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("short1", "at least 8"), ("12345678", "only digits"), ("clerk1clerk1", None), (" Spaced@123", "space")],
)
def test_password_policy_messages(password: str, fragment: str | None) -> None:
    if fragment is None:
        check_password_policy(password, "clerk1")
        return
    with pytest.raises(ValidationError, match=fragment):
        check_password_policy(password, "clerk1")


def test_password_equal_to_user_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="same as the user name"):
        check_password_policy("Supervisor1", "supervisor1")


# ---- login -----------------------------------------------------------------------------------


def test_demo_user_logs_in_with_documented_password(users: UserService) -> None:
    result = users.authenticate("clerk1", "Clerk@123", DEVICE)
    assert result.actor.username == "clerk1"
    assert result.actor.role is Role.CLERK
    assert result.actor.device_no == DEVICE
    assert result.must_change_password is False
    # user names are not case-sensitive and tolerate stray spaces
    assert users.authenticate("  CLERK1 ", "Clerk@123", DEVICE).actor.username == "clerk1"


def test_every_role_has_a_demo_user() -> None:
    assert {d.role for d in DEMO_USERS} == set(Role)
    for demo in DEMO_USERS:
        check_password_policy(demo.password, demo.username)


def test_unknown_user_and_wrong_password_get_the_same_message(users: UserService) -> None:
    with pytest.raises(AuthenticationError) as unknown:
        users.authenticate("nobody", "Clerk@123", DEVICE)
    with pytest.raises(AuthenticationError) as wrong:
        users.authenticate("clerk1", "Wrong@123", DEVICE)
    assert str(unknown.value) == str(wrong.value) == BAD_CREDENTIALS


def test_failed_attempt_is_saved_although_login_fails(users: UserService, db: Database) -> None:
    with pytest.raises(AuthenticationError):
        users.authenticate("clerk1", "Wrong@123", DEVICE)
    assert _row(db, "clerk1").failed_attempts == 1


def test_lockout_after_five_failures_and_release_after_fifteen_minutes(
    users: UserService, db: Database, clock: FixedClock
) -> None:
    for _ in range(LOCKOUT_THRESHOLD - 1):
        with pytest.raises(AuthenticationError) as error:
            users.authenticate("clerk1", "Wrong@123", DEVICE)
        assert not isinstance(error.value, AccountLockedError)
    with pytest.raises(AccountLockedError) as locked:
        users.authenticate("clerk1", "Wrong@123", DEVICE)
    # clock: 15-06-2026 11:00 IST; locked for 15 minutes, said in IST as DD-MM-YYYY HH:MM
    assert "locked until 15-06-2026 11:15 IST" in str(locked.value)

    # the right password does not help while locked, and is not counted
    clock.current += timedelta(minutes=14, seconds=59)
    with pytest.raises(AccountLockedError, match="11:15"):
        users.authenticate("clerk1", "Clerk@123", DEVICE)
    assert _row(db, "clerk1").failed_attempts == LOCKOUT_THRESHOLD

    # other users are not affected
    assert users.authenticate("clerk2", "Clerk@123", DEVICE).actor.username == "clerk2"

    clock.current += timedelta(seconds=1)
    assert users.authenticate("clerk1", "Clerk@123", DEVICE).actor.username == "clerk1"
    row = _row(db, "clerk1")
    assert (row.failed_attempts, row.locked_until) == (0, None)


def test_after_a_lock_runs_out_the_count_starts_again(users: UserService, clock: FixedClock) -> None:
    for _ in range(LOCKOUT_THRESHOLD):
        with pytest.raises(AuthenticationError):
            users.authenticate("clerk1", "Wrong@123", DEVICE)
    clock.current += timedelta(minutes=15)
    with pytest.raises(AuthenticationError) as error:  # one wrong try after the lock: not locked again
        users.authenticate("clerk1", "Wrong@123", DEVICE)
    assert not isinstance(error.value, AccountLockedError)


def test_successful_login_resets_the_counter(users: UserService, db: Database) -> None:
    for _ in range(LOCKOUT_THRESHOLD - 1):
        with pytest.raises(AuthenticationError):
            users.authenticate("clerk1", "Wrong@123", DEVICE)
    users.authenticate("clerk1", "Clerk@123", DEVICE)
    assert _row(db, "clerk1").failed_attempts == 0
    # four more failures do not lock: the count started again
    for _ in range(LOCKOUT_THRESHOLD - 1):
        with pytest.raises(AuthenticationError) as error:
            users.authenticate("clerk1", "Wrong@123", DEVICE)
        assert not isinstance(error.value, AccountLockedError)


def test_disabled_user_cannot_log_in(users: UserService) -> None:
    admin = users.authenticate("admin1", "Admin@123", DEVICE).actor
    users.set_active(admin, "clerk2", False)
    with pytest.raises(AuthenticationError, match="disabled"):
        users.authenticate("clerk2", "Clerk@123", DEVICE)
    with pytest.raises(AuthenticationError, match=BAD_CREDENTIALS):  # a wrong password learns nothing
        users.authenticate("clerk2", "Wrong@123", DEVICE)
    users.set_active(admin, "clerk2", True)
    assert users.authenticate("clerk2", "Clerk@123", DEVICE).actor.username == "clerk2"


def test_admin_cannot_disable_own_account(users: UserService) -> None:
    admin = users.authenticate("admin1", "Admin@123", DEVICE).actor
    with pytest.raises(ValidationError, match="your own"):
        users.set_active(admin, "admin1", False)


# ---- roles -----------------------------------------------------------------------------------


def test_clerk_cannot_cancel_and_engineer_cannot_collect(users: UserService) -> None:
    clerk = users.authenticate("clerk1", "Clerk@123", DEVICE).actor
    engineer = users.authenticate("engineer1", "Engineer@123", DEVICE).actor
    supervisor = users.authenticate("supervisor1", "Super@123", DEVICE).actor
    require(clerk, Permission.COLLECT)
    with pytest.raises(PermissionDenied, match="clerk1"):
        require(clerk, Permission.CANCEL_RECEIPT)
    with pytest.raises(PermissionDenied, match="engineer1"):
        require(engineer, Permission.COLLECT)
    require(supervisor, Permission.CANCEL_RECEIPT)


def test_supervisor_approval_on_a_clerks_screen(users: UserService) -> None:
    approver = users.verify_supervisor("supervisor1", "Super@123", DEVICE)
    assert approver.role is Role.SUPERVISOR
    with pytest.raises(PermissionDenied, match="supervisor must approve"):
        users.verify_supervisor("clerk2", "Clerk@123", DEVICE)
    with pytest.raises(AuthenticationError, match=BAD_CREDENTIALS):
        users.verify_supervisor("supervisor1", "Wrong@123", DEVICE)


def test_only_an_admin_manages_users(users: UserService) -> None:
    supervisor = users.authenticate("supervisor1", "Super@123", DEVICE).actor
    with pytest.raises(PermissionDenied):
        users.create_user(supervisor, "clerk9", "New Clerk", Role.CLERK, "Clerk@999")
    with pytest.raises(PermissionDenied):
        users.reset_password(supervisor, "clerk1")
    with pytest.raises(PermissionDenied):
        users.set_active(supervisor, "clerk1", False)


def test_admin_creates_a_user_who_must_change_the_password(users: UserService) -> None:
    admin = users.authenticate("admin1", "Admin@123", DEVICE).actor
    info = users.create_user(admin, "Clerk3", "Geeta  Sahu", "clerk", "Start@123", full_name_hi="गीता साहू")
    assert (info.username, info.full_name, info.role, info.must_change_password) == (
        "clerk3",
        "Geeta Sahu",
        Role.CLERK,
        True,
    )
    assert users.authenticate("clerk3", "Start@123", DEVICE).must_change_password is True
    with pytest.raises(ConflictError, match="already exists"):
        users.create_user(admin, "clerk3", "Someone", Role.CLERK, "Start@123")
    with pytest.raises(ValidationError, match="not a role"):
        users.create_user(admin, "clerk4", "Someone", "cashier", "Start@123")
    with pytest.raises(ValidationError, match="not a valid user name"):
        users.create_user(admin, "4 x", "Someone", Role.CLERK, "Start@123")
    with pytest.raises(ValidationError, match="only digits"):
        users.create_user(admin, "clerk4", "Someone", Role.CLERK, "12345678")
    assert "clerk4" not in {u.username for u in users.list_users()}


def test_reset_password_unlocks_and_forces_a_change(users: UserService) -> None:
    admin = users.authenticate("admin1", "Admin@123", DEVICE).actor
    for _ in range(LOCKOUT_THRESHOLD):
        with pytest.raises(AuthenticationError):
            users.authenticate("clerk1", "Wrong@123", DEVICE)
    one_time = users.reset_password(admin, "clerk1")
    result = users.authenticate("clerk1", one_time, DEVICE)
    assert result.must_change_password is True
    with pytest.raises(AuthenticationError):
        users.authenticate("clerk1", "Clerk@123", DEVICE)  # the old password no longer works


def test_change_password(users: UserService, db: Database) -> None:
    clerk = users.authenticate("clerk1", "Clerk@123", DEVICE).actor
    with pytest.raises(AuthenticationError, match="current password is wrong"):
        users.change_password(clerk, "Wrong@123", "Better@456")
    assert _row(db, "clerk1").failed_attempts == 1  # counted like a failed login
    with pytest.raises(ValidationError, match="at least 8"):
        users.change_password(clerk, "Clerk@123", "short")
    with pytest.raises(ValidationError, match="different"):
        users.change_password(clerk, "Clerk@123", "Clerk@123")
    users.change_password(clerk, "Clerk@123", "Better@456")
    assert users.authenticate("clerk1", "Better@456", DEVICE).must_change_password is False
    with pytest.raises(AuthenticationError):
        users.authenticate("clerk1", "Clerk@123", DEVICE)


# ---- first run, demo users -------------------------------------------------------------------


def test_first_run_creates_admin_once_with_a_one_time_password(
    db: Database, audit: AuditLog, clock: FixedClock
) -> None:
    service = UserService(db, audit, clock, hasher=fast_hasher())
    password = service.ensure_first_admin()
    assert password is not None
    check_password_policy(password, "admin")
    assert service.ensure_first_admin() is None  # second start: nothing new, no password shown
    assert [u.username for u in service.list_users()] == ["admin"]

    result = service.authenticate("admin", password, DEVICE)
    assert result.actor.role is Role.ADMIN
    assert result.must_change_password is True
    service.change_password(result.actor, password, "Nagar@2026")
    assert service.authenticate("admin", "Nagar@2026", DEVICE).must_change_password is False
    with pytest.raises(AuthenticationError):
        service.authenticate("admin", password, DEVICE)  # the one-time password is spent


def test_no_first_admin_when_users_exist(users: UserService) -> None:
    assert users.ensure_first_admin() is None
    assert "admin" not in {u.username for u in users.list_users()}


def test_seed_demo_users_is_idempotent_and_keeps_changed_passwords(users: UserService) -> None:
    clerk = users.authenticate("clerk1", "Clerk@123", DEVICE).actor
    users.change_password(clerk, "Clerk@123", "Mine@2026")
    assert users.seed_demo_users() == []
    assert len(users.list_users()) == len(DEMO_USERS)
    assert users.authenticate("clerk1", "Mine@2026", DEVICE).actor.username == "clerk1"


# ---- audit -----------------------------------------------------------------------------------


def test_every_change_is_audited_without_secrets_and_the_chain_verifies(
    users: UserService, db: Database, audit: AuditLog
) -> None:
    admin = users.authenticate("admin1", "Admin@123", DEVICE).actor
    users.create_user(admin, "clerk3", "Geeta Sahu", Role.CLERK, "Start@123")
    with pytest.raises(AuthenticationError):
        users.authenticate("clerk3", "Wrong@123", DEVICE)
    one_time = users.reset_password(admin, "clerk3")
    users.set_active(admin, "clerk3", False)

    entries = _audit_entries(db)
    actions = [e.action for e in entries]
    for action in ("user.demo_seeded", "auth.login", "user.created", "auth.login_failed", "user.password_reset"):
        assert action in actions
    assert actions[-1] == "user.disabled"
    created = next(e for e in entries if e.action == "user.created")
    assert (created.username, created.device_no) == ("admin1", DEVICE)
    assert json.loads(created.after_json)["role"] == "clerk"
    disabled = entries[-1]
    assert json.loads(disabled.before_json)["active"] is True
    assert json.loads(disabled.after_json)["active"] is False

    hashes = [u.password_hash for u in _all_users(db)]
    for entry in entries:
        text = entry.before_json + entry.after_json
        assert "argon2" not in text and "password_hash" not in text
        assert one_time not in text and "Start@123" not in text
        assert not any(h in text for h in hashes)

    with db.read() as session:
        check = audit.verify(session)
    assert check.ok and check.entries == len(entries)


def _all_users(db: Database) -> list[AppUser]:
    with db.read() as session:
        found = list(session.scalars(select(AppUser)))
        session.expunge_all()
        return found


def test_lockout_is_audited(users: UserService, db: Database) -> None:
    for _ in range(LOCKOUT_THRESHOLD):
        with pytest.raises(AuthenticationError):
            users.authenticate("clerk1", "Wrong@123", DEVICE)
    last = _audit_entries(db)[-1]
    assert last.action == "auth.locked_out"
    assert json.loads(last.after_json)["failed_attempts"] == LOCKOUT_THRESHOLD


def test_actor_for_a_named_user(users: UserService) -> None:
    actor = users.actor_for("clerk1", DEVICE)
    assert isinstance(actor, Actor)
    assert (actor.username, actor.role) == ("clerk1", Role.CLERK)
