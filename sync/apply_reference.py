"""Applying reference data and online payments that came down from the central (device side).

Each handler runs inside the pull's transaction (the page and its cursor commit together), takes the
session and one `Change`, and never raises for bad *data*: a tariff that does not validate, a user
with an unknown role, an update that would leave the office without an administrator — each is
refused locally, logged and written to the audit log as a sync problem, and the sync goes on.

- tariff  → property-tax-, water-, trade-licence- or swm-<FY>[-n].toml, validated with the app's
            model of its kind (parse_any_tariff), then written to <data dir>/tariffs/<ULB>/<name>
            (atomically); the next start of the app loads it in place of the bundled file of the
            same ULB and FY (app.masters.tariffs.load_tariff_book).
- user    → upsert app_user (password hash, role, active). The last active local admin is never
            downgraded or disabled from the feed.
- setting → kept in sync_meta under "setting.<key>" (e.g. setting.payments.upi_vpa).
- payment with source ONLINE → re-allocated against this device's current dues (app.demand.dues
            allocate): what the dues no longer need becomes ADVANCE and the payment is flagged
            double_payment here (audit entry, and `local_flags` in its stored payload), so the clerk
            sees the dues as paid and can never collect them twice.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.core.clock import Clock, SystemClock
from app.demand.dto import Head
from app.demand.dues import allocate, compute_dues
from app.demand.service import load_ledger
from app.errors import NikayError
from app.masters.models import DeviceIdentity
from app.masters.tariffs import (
    TariffBook,
    TariffError,
    downloaded_tariffs_dir,
    load_tariff_book,
    parse_any_tariff,
    tariff_kind,
)
from app.paths import RESOURCES_DIR
from app.replica.service import (
    PROPERTY_SERVICE,
    SETTING_META_PREFIX,
    RemotePaymentIn,
    RemotePaymentLineIn,
    record_remote_payment,
    set_meta,
)
from app.security.models import AppUser
from app.security.roles import Role
from sync.apply import ApplyDispatcher
from sync.protocol import Change, ChangeEntity, Flag

if TYPE_CHECKING:
    from app.composition import Services

_log = logging.getLogger(__name__)

ONLINE = "ONLINE"
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,59}$")

Handler = Callable[[Session, Change], None]


@dataclass
class ReferenceApplier:
    """The handlers, bound to what they need beyond the session (built once by the sync engine).

    `data_dir` and `tariffs` may be left out: then the data folder is the device database's folder
    and the tariffs are loaded like the app loads them (bundled + downloaded), again after a new
    tariff arrived."""

    clock: Clock
    data_dir: Path | None = None
    tariffs: TariffBook | None = None
    resources_dir: Path = RESOURCES_DIR
    # What was refused, for the caller's cycle report (also in the log and the audit log).
    problems: list[str] = field(default_factory=list)
    _loaded: TariffBook | None = None

    def handlers(self) -> dict[str, Handler]:
        return {
            ChangeEntity.TARIFF.value: self.apply_tariff,
            ChangeEntity.USER.value: self.apply_user,
            ChangeEntity.SETTING.value: self.apply_setting,
        }

    def _data_dir(self, session: Session) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        bind = session.get_bind()
        database = (bind if isinstance(bind, Engine) else bind.engine).url.database
        if not database:
            raise RuntimeError("the device database has no file: cannot tell its data folder")
        return Path(database).parent

    def _tariff_book(self, session: Session) -> TariffBook:
        if self.tariffs is not None:
            return self.tariffs
        if self._loaded is None:
            self._loaded = load_tariff_book(
                self.resources_dir / "tariffs", downloaded_tariffs_dir(self._data_dir(session))
            )
        return self._loaded

    # -- bookkeeping ---------------------------------------------------------------------------------

    def _audit(self, session: Session) -> AuditLog:
        device_no = session.scalar(select(DeviceIdentity.device_no)) or 0
        return AuditLog(self.clock, int(device_no))

    def _problem(self, session: Session, change: Change, message: str) -> None:
        text = f"{change.entity} {change.entity_uuid} (version {change.version}) refused: {message}"
        _log.error("sync: %s", text)
        self.problems.append(text)
        self._audit(session).record(
            session,
            None,
            "sync.refused",
            change.entity,
            change.entity_uuid,
            None,
            {"seq": change.seq, "version": change.version, "problem": message},
        )

    # -- tariff --------------------------------------------------------------------------------------

    def apply_tariff(self, session: Session, change: Change) -> None:
        ulb = session.scalar(select(DeviceIdentity.ulb_code))
        name = str(change.payload.get("name", change.entity_uuid))
        if tariff_kind(name) is None:
            kinds = "property-tax, water, trade-licence or swm"
            self._problem(session, change, f"{name!r} is not a tariff file name ({kinds}-<FY>[-n].toml)")
            return
        if ulb is None:
            self._problem(session, change, "this device has no identity yet")
            return
        target = downloaded_tariffs_dir(self._data_dir(session)) / ulb / name
        if change.op == "delete":
            target.unlink(missing_ok=True)
            self._audit(session).record(session, None, "sync.tariff_removed", "tariff", name, None, {"ulb": ulb})
            return
        text = change.payload.get("toml")
        if not isinstance(text, str):
            self._problem(session, change, "the change carries no TOML text")
            return
        try:
            tariff = parse_any_tariff(name, text, f"tariff {name} from the central", ulb)
        except TariffError as error:
            self._problem(session, change, str(error))
            return
        _write_atomically(target, text)
        self._loaded = None  # the re-allocation of online payments uses it from now on
        self._audit(session).record(
            session,
            None,
            "sync.tariff_stored",
            "tariff",
            name,
            None,
            {"ulb": tariff.ulb, "fy": tariff.fy, "effective_from": tariff.effective_from, "version": change.version},
        )

    # -- user ----------------------------------------------------------------------------------------

    def apply_user(self, session: Session, change: Change) -> None:
        payload = change.payload
        username = str(payload.get("username", change.entity_uuid)).strip().lower()
        if not _USERNAME.match(username):
            self._problem(session, change, f"{username!r} is not a valid user name")
            return
        try:
            role = Role(str(payload.get("role", "")))
        except ValueError:
            self._problem(session, change, f"unknown role {payload.get('role')!r}")
            return
        password_hash = str(payload.get("password_hash", ""))
        if not password_hash.startswith("$argon2"):
            self._problem(session, change, "the password hash is not an argon2 hash")
            return
        active = bool(payload.get("active", True)) and change.op != "delete"
        user = session.scalars(select(AppUser).where(AppUser.username == username)).first()
        if user is not None and user.role == Role.ADMIN.value and user.active and (role != Role.ADMIN or not active):
            other_admins = session.scalar(
                select(func.count())
                .select_from(AppUser)
                .where(AppUser.role == Role.ADMIN.value, AppUser.active.is_(True), AppUser.id != user.id)
            )
            if not other_admins:
                self._problem(session, change, f"{username} is the last active administrator here; kept as is")
                return
        before = None if user is None else {"role": user.role, "active": user.active, "full_name": user.full_name}
        if user is None:
            user = AppUser(
                username=username,
                full_name=str(payload.get("full_name", username)),
                role=role.value,
                password_hash=password_hash,
                active=active,
                created_at=self.clock.now_utc(),
            )
            session.add(user)
        else:
            user.full_name = str(payload.get("full_name", user.full_name))
            user.role = role.value
            if user.password_hash != password_hash:
                user.password_hash = password_hash
                user.must_change_password = False
                user.failed_attempts = 0
                user.locked_until = None
            user.active = active
        session.flush()
        after = {"role": role.value, "active": active, "full_name": user.full_name, "version": change.version}
        self._audit(session).record(session, None, "sync.user_applied", "user", str(user.id), before, after)

    # -- setting -------------------------------------------------------------------------------------

    def apply_setting(self, session: Session, change: Change) -> None:
        key = str(change.payload.get("key", change.entity_uuid)).strip()
        if not key or len(key) > 80:
            self._problem(session, change, f"{key!r} is not a setting key")
            return
        value = change.payload.get("value")
        set_meta(session, SETTING_META_PREFIX + key, None if change.op == "delete" or value is None else str(value))

    # -- online payments -----------------------------------------------------------------------------

    def apply_online_payment(self, session: Session, change: Change) -> bool:
        """Keep an online payment, re-allocated against this device's dues. Returns True when stored
        (False: seen before). Payments from other counters are stored as they are (their own handler)."""
        payload = dict(change.payload)
        incoming = RemotePaymentIn.from_payload(payload, self.clock.now_utc(), change.origin_device_id)
        local_flags = [f for f in payload.get("flags", []) if f == Flag.DOUBLE_PAYMENT.value]
        lines = incoming.lines
        property_only = incoming.property_uuid is not None and all(
            line.service == PROPERTY_SERVICE for line in incoming.lines
        )
        excess, already_paid = 0, 0
        if property_only:
            try:
                lines, excess, already_paid = self._reallocate(session, incoming)
            except (NikayError, ValueError) as error:
                # No ledger or tariff here for that property: keep the central's lines as they are.
                _log.warning("online payment %s kept as allocated by the central: %s", incoming.uuid, error)
        else:
            # Re-allocation knows property dues only: water, licence or user-charge lines stay the
            # central's (they name their account and period), so they count against those dues here.
            _log.info("online payment %s pays other services: kept as allocated by the central", incoming.uuid)
        if already_paid > 0 and Flag.DOUBLE_PAYMENT.value not in local_flags:
            local_flags.append(Flag.DOUBLE_PAYMENT.value)
        payload["local_flags"] = local_flags
        payload["central_lines"] = payload.get("lines", [])
        stored = record_remote_payment(
            session,
            RemotePaymentIn(
                uuid=incoming.uuid,
                property_uuid=incoming.property_uuid,
                business_date=incoming.business_date,
                amount_paise=incoming.amount_paise,
                received_at=incoming.received_at,
                lines=lines,
                receipt_no=incoming.receipt_no,
                mode=incoming.mode or ONLINE,
                source=ONLINE,
                origin_device_id="",
                collected_at=incoming.collected_at,
                payload=payload,
            ),
        )
        if stored and local_flags:
            _log.warning("online payment %s (%s) flagged %s", incoming.receipt_no, incoming.uuid, local_flags)
            self._audit(session).record(
                session,
                None,
                "sync.double_payment",
                "remote_payment",
                incoming.uuid,
                None,
                {
                    "receipt_no": incoming.receipt_no,
                    "property_uuid": incoming.property_uuid,
                    "amount_paise": incoming.amount_paise,
                    "advance_paise": excess,
                    "flags": local_flags,
                },
            )
        return stored

    def _reallocate(
        self, session: Session, payment: RemotePaymentIn
    ) -> tuple[tuple[RemotePaymentLineIn, ...], int, int]:
        """The payment spread over what this device says is due on its day: (lines, advance created,
        how much of the bill's dues were no longer due here — paid already: a double payment)."""
        if payment.property_uuid is None:
            raise ValueError("a payment without a property")
        ledger = load_ledger(session, payment.property_uuid)
        dues = compute_dues(self._tariff_book(session), ledger, date.fromisoformat(payment.business_date))
        due_here = {(x.fy, x.head.value): x.due_paise for x in dues.lines}
        already_paid = sum(
            max(0, x.amount_paise - due_here.get((x.fy, x.head), 0)) for x in payment.lines if x.head in _DEMAND_HEADS
        )
        allocation = allocate(dues, payment.amount_paise)
        lines = tuple(RemotePaymentLineIn(x.fy, x.head.value, x.amount_paise) for x in allocation.lines)
        return lines, allocation.advance_created_paise, already_paid


_DEMAND_HEADS = frozenset(
    h.value for h in (Head.PROPERTY_TAX, Head.SAMEKIT, Head.EDUCATION_CESS, Head.SURCHARGE, Head.PENALTY)
)


def register(dispatcher: ApplyDispatcher, services: Services | None = None) -> ReferenceApplier:
    """Add the tariff, user and setting handlers to the sync engine's dispatcher, and route online
    payments through the re-allocation (other counters' payments keep the dispatcher's handler)."""
    applier = ReferenceApplier(
        clock=services.clock if services else getattr(dispatcher, "_clock", SystemClock()),
        data_dir=services.data_dir if services else None,
        tariffs=services.tariffs if services else None,
        resources_dir=services.resources_dir if services else RESOURCES_DIR,
    )
    for entity, handler in applier.handlers().items():
        dispatcher.register(entity, handler)
    counter_payment = dispatcher.handlers.get(ChangeEntity.PAYMENT.value)

    def apply_payment(session: Session, change: Change) -> None:
        if is_online_payment(change) and change.op != "delete":
            applier.apply_online_payment(session, change)
        elif counter_payment is not None:
            counter_payment(session, change)

    dispatcher.register(ChangeEntity.PAYMENT.value, apply_payment)
    return applier


def is_online_payment(change: Change) -> bool:
    return change.entity == ChangeEntity.PAYMENT.value and str(change.payload.get("source", "")) == ONLINE


def _write_atomically(target: Path, text: str) -> None:
    """Write-then-rename: a crash leaves the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
