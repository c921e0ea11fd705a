"""Counter collection. The one place a receipt is made.

A receipt is created in ONE local transaction (BEGIN IMMEDIATE): allocate its number, insert the
receipt and its lines (which is what applies it to the demands: what is paid is derived from the
lines of receipts not cancelled), write the audit entry and the outbox row, commit — and only then
does anyone print. Receipts are never updated or deleted: a cancellation or a cheque dishonour is a
new row that takes the receipt's lines out of the paid total, which reinstates the demand.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.billing.allocation import allocate_bill
from app.billing.dto import AccountRef, BillCollectRequest
from app.billing.service import BillingService, account_numbers
from app.collections.dto import (
    COIN_DENOMINATIONS,
    NOTE_DENOMINATIONS,
    CollectRequest,
    CounterSessionInfo,
    DayEndSummary,
    Mode,
    Payment,
    ReceiptSummary,
    ReceiptView,
)
from app.collections.models import CounterSession, Receipt, ReceiptCancellation, ReceiptLine, ReceiptReprint
from app.collections.numbering import advance_series, chain_hash, next_number, receipt_number, series_key
from app.core.clock import Clock, business_date, format_date
from app.core.fy import FinancialYear
from app.core.ids import new_uuid
from app.core.money import format_inr
from app.db import Database
from app.db.base import table_of
from app.demand.dto import AllocatedLine, Allocation, Head, Service
from app.demand.dues import allocate
from app.demand.service import DuesService
from app.errors import ConflictError, NotFoundError, ValidationError
from app.masters.service import DeviceInfo
from app.outbox.service import Outbox
from app.property.models import Owner, Property
from app.security.models import AppUser
from app.security.roles import Actor, Permission, require

CHEQUE_MAX_AGE_DAYS = 90
# Day-end counts cheques and DDs together (one bundle goes to the bank), UPI on its own.
NON_CASH_GROUPS: dict[str, tuple[Mode, ...]] = {"CHEQUE_DD": (Mode.CHEQUE, Mode.DD), "UPI": (Mode.UPI,)}


def check_payment(payment: Payment, amount_paise: int, today: date) -> tuple[int | None, int | None]:
    """Validate the payment details; returns (tendered, change) for cash. Raises ValidationError."""
    if payment.mode == Mode.CASH:
        if payment.tendered_paise is None:
            return None, None
        if payment.tendered_paise < amount_paise:
            raise ValidationError(
                f"cash tendered {format_inr(payment.tendered_paise)} is less than the amount {format_inr(amount_paise)}"
            )
        return payment.tendered_paise, payment.tendered_paise - amount_paise
    if payment.mode in (Mode.CHEQUE, Mode.DD):
        kind = "cheque" if payment.mode == Mode.CHEQUE else "DD"
        number = payment.instrument_no.strip()
        if not (number.isdigit() and len(number) == 6):
            raise ValidationError(f"{kind} number must be 6 digits, got {number!r}")
        if payment.instrument_date is None:
            raise ValidationError(f"{kind} date is missing")
        if payment.instrument_date > today:
            raise ValidationError(
                f"{kind} dated {format_date(payment.instrument_date)} is post-dated (today is {format_date(today)})"
            )
        if (today - payment.instrument_date).days > CHEQUE_MAX_AGE_DAYS:
            oldest = today - timedelta(days=CHEQUE_MAX_AGE_DAYS)
            raise ValidationError(
                f"{kind} dated {format_date(payment.instrument_date)} is older than {CHEQUE_MAX_AGE_DAYS} days "
                f"(stale; the oldest acceptable date is {format_date(oldest)})"
            )
        if not payment.bank.strip():
            raise ValidationError(f"{kind}: bank is missing")
        if not payment.branch.strip():
            raise ValidationError(f"{kind}: branch is missing")
        return None, None
    reference = payment.instrument_no.strip()
    if not (reference.isalnum() and 6 <= len(reference) <= 35):
        raise ValidationError(f"UPI reference/UTR must be 6-35 letters or digits, got {reference!r}")
    return None, None


# The hot path's statements, built once: no per-call statement construction or cache-key work.
_RECEIPT_BY_REQUEST = select(table_of(Receipt).c.uuid).where(
    table_of(Receipt).c.request_uuid == bindparam("request_uuid")
)
_OPEN_COUNTER = select(table_of(CounterSession).c.uuid, table_of(CounterSession).c.business_date).where(
    table_of(CounterSession).c.user_id == bindparam("user_id"),
    table_of(CounterSession).c.device_no == bindparam("device_no"),
    table_of(CounterSession).c.closed_at.is_(None),
)
_PROPERTY_FOR_RECEIPT = select(
    *(table_of(Property).c[name] for name in ("uuid", "property_id", "ward_no", "address_en", "address_hi"))
).where(table_of(Property).c.uuid == bindparam("uuid"))
_PRIMARY_OWNER = (
    select(table_of(Owner).c.name_en, table_of(Owner).c.name_hi)
    .where(table_of(Owner).c.property_uuid == bindparam("property_uuid"))
    .order_by(table_of(Owner).c.ordinal)
    .limit(1)
)
_INSERT_RECEIPT = table_of(Receipt).insert()
_INSERT_LINE = table_of(ReceiptLine).insert()

# A receipt with its property ID (None: a receipt for service accounts only) and cancellation kind
# (None when it stands), for lists.
_SUMMARY = (
    select(Receipt, Property.property_id, ReceiptCancellation.kind)
    .outerjoin(Property, Property.uuid == Receipt.property_uuid)
    .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
)

RECEIPT_COLUMNS = (
    "uuid",
    "receipt_no",
    "series_key",
    "seq",
    "fy",
    "property_uuid",
    "payer_name",
    "collected_at",
    "business_date",
    "mode",
    "amount_paise",
    "tendered_paise",
    "change_paise",
    "instrument_no",
    "instrument_date",
    "bank",
    "branch",
    "balance_after_paise",
    "prev_hash",
    "hash",
)


def receipt_values(receipt: Receipt) -> dict[str, Any]:
    return {column: getattr(receipt, column) for column in RECEIPT_COLUMNS}


def receipt_hash_content(values: dict[str, Any], lines: tuple[AllocatedLine, ...]) -> dict[str, object]:
    """What a receipt's chain hash covers (the central recomputes it the same way)."""
    return {
        "uuid": values["uuid"],
        "receipt_no": values["receipt_no"],
        "property_uuid": values["property_uuid"],
        "collected_at": values["collected_at"].isoformat(),
        "business_date": values["business_date"],
        "mode": values["mode"],
        "amount_paise": values["amount_paise"],
        "instrument_no": values["instrument_no"],
        "lines": [_hash_line(line) for line in lines],
    }


def _hash_line(line: AllocatedLine) -> list[object]:
    """A property line hashes as before issue 5 (old receipts verify); other services add their key."""
    if line.service == Service.PROPERTY:
        return [line.fy, line.head.value, line.amount_paise]
    return [line.fy, line.head.value, line.amount_paise, line.service.value, line.account, line.period]


def _payload_line(line: AllocatedLine) -> dict[str, object]:
    out: dict[str, object] = {"fy": line.fy, "head": line.head.value, "amount_paise": line.amount_paise}
    if line.service != Service.PROPERTY:
        out.update(service=line.service.value, account=line.account, period=line.period)
    return out


def _payload(values: dict[str, Any], lines: tuple[AllocatedLine, ...]) -> dict[str, object]:
    """The receipt as the outbox carries it to the central (and the audit log records it)."""
    keys = (
        "uuid",
        "receipt_no",
        "series_key",
        "seq",
        "property_uuid",
        "payer_name",
        "business_date",
        "mode",
        "amount_paise",
        "instrument_no",
        "instrument_date",
        "bank",
        "branch",
        "prev_hash",
        "hash",
    )
    return {
        **{key: values[key] for key in keys},
        "collected_at": values["collected_at"].isoformat(),
        "lines": [_payload_line(line) for line in lines],
    }


@dataclass(frozen=True)
class _Place:
    """Where a receipt's payer is: the property's, or the primary account's when there is none."""

    property_id: str
    ward_no: int
    address_en: str
    address_hi: str

    @classmethod
    def of(cls, prop: Any) -> _Place:
        return cls(prop.property_id, prop.ward_no, prop.address_en, prop.address_hi)

    @classmethod
    def of_account(cls, ref: AccountRef) -> _Place:
        number = ref.number if ref.service == Service.PROPERTY else ""
        return cls(number, ref.ward_no, ref.address_en, ref.address_hi)


def _accounts_of(lines: tuple[AllocatedLine, ...], known: list[AccountRef]) -> tuple[AccountRef, ...]:
    """The service accounts the lines pay, in line order."""
    by_uuid = {ref.account_uuid: ref for ref in known if ref.service != Service.PROPERTY}
    wanted = dict.fromkeys(line.account for line in lines if line.service != Service.PROPERTY)
    return tuple(by_uuid[uuid] for uuid in wanted if uuid in by_uuid)


class CollectionService:
    def __init__(
        self,
        db: Database,
        dues: DuesService,
        device: DeviceInfo,
        audit: AuditLog,
        outbox: Outbox,
        clock: Clock,
        billing: BillingService | None = None,
    ) -> None:
        self._db = db
        self._dues = dues
        self._billing = billing or BillingService(db, dues, dues.tariffs, device, clock)
        self._device = device
        self._audit = audit
        self._outbox = outbox
        self._clock = clock

    def today(self) -> date:
        return business_date(self._clock.now_utc())

    # -- counter sessions -------------------------------------------------------------------------

    def current_session(self, actor: Actor) -> CounterSessionInfo | None:
        with self._db.read() as session:
            row = self._open_session_row(session, actor)
            return None if row is None else self._session_info(session, row)

    def open_session(self, actor: Actor, opening_cash_paise: int) -> CounterSessionInfo:
        require(actor, Permission.COLLECT)
        if opening_cash_paise < 0:
            raise ValidationError("opening cash cannot be negative")
        with self._db.write() as session:
            if self._open_session_row(session, actor) is not None:
                raise ConflictError(f"{actor.username} already has an open counter session")
            now = self._clock.now_utc()
            row = CounterSession(
                uuid=new_uuid(),
                device_no=self._device.device_no,
                user_id=actor.user_id,
                business_date=business_date(now).isoformat(),
                opened_at=now,
                opening_cash_paise=opening_cash_paise,
            )
            session.add(row)
            session.flush()
            self._audit.record(
                session,
                actor,
                "counter.open",
                "counter_session",
                row.uuid,
                None,
                {"opening_cash_paise": opening_cash_paise, "business_date": row.business_date},
            )
            self._outbox.append(
                session,
                "counter_session.opened",
                row.uuid,
                {
                    "uuid": row.uuid,
                    "user": actor.username,
                    "business_date": row.business_date,
                    "opening_cash_paise": opening_cash_paise,
                },
            )
            return self._session_info(session, row)

    def _open_session_row(self, session: Session, actor: Actor) -> CounterSession | None:
        return session.scalars(
            select(CounterSession).where(
                CounterSession.user_id == actor.user_id,
                CounterSession.device_no == self._device.device_no,
                CounterSession.closed_at.is_(None),
            )
        ).first()

    @staticmethod
    def _session_info(session: Session, row: CounterSession) -> CounterSessionInfo:
        user = session.get(AppUser, row.user_id)
        return CounterSessionInfo(
            uuid=row.uuid,
            user_id=row.user_id,
            username=user.username if user else "",
            business_date=date.fromisoformat(row.business_date),
            opened_at=row.opened_at,
            opening_cash_paise=row.opening_cash_paise,
            closed_at=row.closed_at,
        )

    # -- collecting -------------------------------------------------------------------------------

    def preview(self, property_uuid: str, amount_paise: int, on: date | None = None) -> Allocation:
        return self._dues.preview(property_uuid, amount_paise, on or self.today())

    def collect(self, actor: Actor, request: CollectRequest) -> ReceiptView:
        """Make the receipt: number, receipt, lines, audit and outbox in one transaction, then return it.

        This is the counter's hot path (p95 budget 15 ms), so it speaks SQLAlchemy Core: a dozen
        statements, no unit-of-work flushes, and the view is built from what it wrote. It is a
        property-only bill (collect_bill's rules with the property section alone), kept on its own
        path because it needs neither the linked accounts nor the service ledger."""
        require(actor, Permission.COLLECT)
        with self._db.write() as session:
            conn = session.connection()
            existing = self._existing(session, request.request_uuid)
            if existing is not None:
                return existing
            now, today, counter_uuid = self._open_counter_today(session, actor)
            tendered, change = check_payment(request.payment, request.amount_paise, today)
            prop = conn.execute(_PROPERTY_FOR_RECEIPT, {"uuid": request.property_uuid}).first()
            if prop is None:
                raise NotFoundError(f"no property with id {request.property_uuid}")
            dues = self._dues.dues_in(session, prop.uuid, today)
            allocation = allocate(dues, request.amount_paise)
            values = self._write_receipt(
                session,
                actor,
                now=now,
                counter_uuid=counter_uuid,
                request_uuid=request.request_uuid,
                property_uuid=prop.uuid,
                payer_name=request.payer_name.strip() or self._primary_owner_name(session, prop.uuid),
                payment=request.payment,
                amount_paise=request.amount_paise,
                tendered=tendered,
                change=change,
                lines=allocation.lines,
                balance_after_paise=allocation.balance_after_paise,
            )
            return self._make_view(values, _Place.of(prop), allocation.lines, actor.full_name)

    def collect_bill(self, actor: Actor, request: BillCollectRequest) -> ReceiptView:
        """One receipt for the lines the clerk chose on a combined bill (property tax, water, user
        charges, licence fees): the same one-transaction path as `collect`, the bill recomputed under
        the write lock so what was paid elsewhere meanwhile is not taken twice."""
        require(actor, Permission.COLLECT)
        with self._db.write() as session:
            existing = self._existing(session, request.request_uuid)
            if existing is not None:
                return existing
            now, today, counter_uuid = self._open_counter_today(session, actor)
            tendered, change = check_payment(request.payment, request.amount_paise, today)
            bill = self._billing.bill_in(session, request.primary, today)
            allocation = allocate_bill(bill, request.choice, request.amount_paise)
            primary = bill.primary
            property_uuid = primary.account_uuid if primary.service == Service.PROPERTY else None
            values = self._write_receipt(
                session,
                actor,
                now=now,
                counter_uuid=counter_uuid,
                request_uuid=request.request_uuid,
                property_uuid=property_uuid,
                payer_name=request.payer_name.strip() or primary.holder_en or primary.holder_hi,
                payment=request.payment,
                amount_paise=request.amount_paise,
                tendered=tendered,
                change=change,
                lines=allocation.lines,
                balance_after_paise=allocation.balance_after_paise,
            )
            accounts = _accounts_of(allocation.lines, [section.account for section in bill.sections])
            return self._make_view(values, _Place.of_account(primary), allocation.lines, actor.full_name, accounts)

    def _existing(self, session: Session, request_uuid: str) -> ReceiptView | None:
        """The receipt a request already made (a second submit of the same confirmation)."""
        existing = session.connection().execute(_RECEIPT_BY_REQUEST, {"request_uuid": request_uuid}).scalar()
        if existing is None:
            return None
        receipt_row = session.get(Receipt, existing)
        assert receipt_row is not None
        return self._view(session, receipt_row)

    def _open_counter_today(self, session: Session, actor: Actor) -> tuple[datetime, date, str]:
        now = self._clock.now_utc()
        today = business_date(now)
        counter = (
            session.connection()
            .execute(_OPEN_COUNTER, {"user_id": actor.user_id, "device_no": self._device.device_no})
            .first()
        )
        if counter is None:
            raise ValidationError("open the counter (opening cash) before collecting")
        if counter.business_date != today.isoformat():
            raise ValidationError(
                f"the counter session of {format_date(date.fromisoformat(counter.business_date))} is still open: "
                "close it at day-end before collecting today"
            )
        return now, today, str(counter.uuid)

    def _write_receipt(
        self,
        session: Session,
        actor: Actor,
        *,
        now: datetime,
        counter_uuid: str,
        request_uuid: str,
        property_uuid: str | None,
        payer_name: str,
        payment: Payment,
        amount_paise: int,
        tendered: int | None,
        change: int | None,
        lines: tuple[AllocatedLine, ...],
        balance_after_paise: int,
    ) -> dict[str, Any]:
        """Number, receipt row, lines, series bump, audit and outbox: the receipt, in the caller's transaction."""
        conn = session.connection()
        today = business_date(now)
        fy = FinancialYear.of(today).code
        key = series_key(self._device.ulb_code, self._device.office_code, self._device.device_no, fy)
        seq, prev_hash = next_number(session, key)
        values: dict[str, Any] = {
            "uuid": new_uuid(),
            "request_uuid": request_uuid,
            "receipt_no": receipt_number(key, seq),
            "series_key": key,
            "seq": seq,
            "fy": fy,
            "device_no": self._device.device_no,
            "counter_session_uuid": counter_uuid,
            "user_id": actor.user_id,
            "property_uuid": property_uuid,
            "payer_name": payer_name,
            "collected_at": now,
            "business_date": today.isoformat(),
            "mode": payment.mode.value,
            "amount_paise": amount_paise,
            "tendered_paise": tendered,
            "change_paise": change,
            "instrument_no": payment.instrument_no.strip(),
            "instrument_date": payment.instrument_date.isoformat() if payment.instrument_date else "",
            "bank": payment.bank.strip(),
            "branch": payment.branch.strip(),
            "balance_after_paise": balance_after_paise,
            "prev_hash": prev_hash,
        }
        values["hash"] = chain_hash(prev_hash, receipt_hash_content(values, lines))
        conn.execute(_INSERT_RECEIPT, values)
        conn.execute(
            _INSERT_LINE,
            [
                {
                    "receipt_uuid": values["uuid"],
                    "ordinal": i,
                    "fy": line.fy,
                    "head": line.head.value,
                    "amount_paise": line.amount_paise,
                    "service": line.service.value,
                    "account": line.account,
                    "period": line.period,
                }
                for i, line in enumerate(lines)
            ],
        )
        advance_series(session, key, seq, values["hash"])
        payload = _payload(values, lines)
        self._audit.record(session, actor, "receipt.create", "receipt", values["uuid"], None, payload)
        self._outbox.append(session, "receipt.created", values["uuid"], payload)
        return values

    def _make_view(
        self,
        values: dict[str, Any],
        place: _Place,
        lines: tuple[AllocatedLine, ...],
        collector_name: str,
        accounts: tuple[AccountRef, ...] = (),
        cancellation: ReceiptCancellation | None = None,
        duplicate: bool = False,
    ) -> ReceiptView:
        return ReceiptView(
            uuid=values["uuid"],
            receipt_no=values["receipt_no"],
            fy=values["fy"],
            collected_at=values["collected_at"],
            business_date=date.fromisoformat(values["business_date"]),
            property_uuid=values["property_uuid"],
            property_id=place.property_id,
            ward_no=place.ward_no,
            address_en=place.address_en,
            address_hi=place.address_hi,
            payer_name=values["payer_name"],
            collector_name=collector_name,
            mode=Mode(values["mode"]),
            amount_paise=values["amount_paise"],
            tendered_paise=values["tendered_paise"],
            change_paise=values["change_paise"],
            instrument_no=values["instrument_no"],
            instrument_date=date.fromisoformat(values["instrument_date"]) if values["instrument_date"] else None,
            bank=values["bank"],
            branch=values["branch"],
            lines=lines,
            balance_after_paise=values["balance_after_paise"],
            cancelled=cancellation.kind if cancellation else None,
            cancel_reason=cancellation.reason if cancellation else "",
            duplicate=duplicate,
            ulb_name_en=self._device.ulb_name_en,
            ulb_name_hi=self._device.ulb_name_hi,
            hash=values["hash"],
            accounts=accounts,
        )

    @staticmethod
    def _primary_owner_name(session: Session, property_uuid: str) -> str:
        owner = session.connection().execute(_PRIMARY_OWNER, {"property_uuid": property_uuid}).first()
        if owner is None:
            return ""
        return str(owner.name_en or owner.name_hi)

    # -- reading ----------------------------------------------------------------------------------

    def get_receipt(self, uuid: str, duplicate: bool = False) -> ReceiptView:
        with self._db.read() as session:
            receipt = session.get(Receipt, uuid)
            if receipt is None:
                raise NotFoundError(f"no receipt with id {uuid}")
            return self._view(session, receipt, duplicate=duplicate)

    def find_receipt(self, receipt_no: str) -> ReceiptView:
        with self._db.read() as session:
            receipt = session.scalars(select(Receipt).where(Receipt.receipt_no == receipt_no.strip())).first()
            if receipt is None:
                raise NotFoundError(f"no receipt numbered {receipt_no!r}")
            return self._view(session, receipt)

    def list_receipts(self, business_day: date, user_id: int | None = None) -> list[ReceiptSummary]:
        query = _SUMMARY.where(Receipt.business_date == business_day.isoformat()).order_by(
            Receipt.series_key, Receipt.seq
        )
        if user_id is not None:
            query = query.where(Receipt.user_id == user_id)
        return self._summaries(query)

    def recent_receipts(self, property_uuid: str, limit: int = 3) -> list[ReceiptSummary]:
        """The property's latest receipts from any counter (or, after sync, online), newest first, so the
        counter sees a payment just made elsewhere before taking the same dues again."""
        return self._summaries(
            _SUMMARY.where(Receipt.property_uuid == property_uuid).order_by(Receipt.collected_at.desc()).limit(limit)
        )

    def recent_account_receipts(self, account_uuid: str, limit: int = 3) -> list[ReceiptSummary]:
        """The latest receipts paying a water connection, licence or user-charge payer, newest first
        (alone or with other services), so the counter sees a payment just made."""
        paying = select(ReceiptLine.receipt_uuid).where(ReceiptLine.account == account_uuid)
        return self._summaries(
            _SUMMARY.where(Receipt.uuid.in_(paying)).order_by(Receipt.collected_at.desc()).limit(limit)
        )

    def _summaries(self, query: Select[Receipt, str | None, str]) -> list[ReceiptSummary]:
        with self._db.read() as session:
            rows = session.execute(query).all()
            numbers = self._account_numbers(session, [r.uuid for r, property_id, _ in rows if property_id is None])
            return [
                ReceiptSummary(
                    uuid=r.uuid,
                    receipt_no=r.receipt_no,
                    collected_at=r.collected_at,
                    property_id=property_id if property_id is not None else numbers.get(r.uuid, ""),
                    payer_name=r.payer_name,
                    mode=Mode(r.mode),
                    amount_paise=r.amount_paise,
                    cancelled=kind,
                )
                for r, property_id, kind in rows
            ]

    @staticmethod
    def _account_numbers(session: Session, receipt_uuids: list[str]) -> dict[str, str]:
        """For receipts without a property: the account number(s) their lines pay, "W-01-000001, UC-…"."""
        if not receipt_uuids:
            return {}
        per_receipt: dict[str, dict[tuple[str, str], None]] = {}
        for receipt_uuid, service, account in session.execute(
            select(ReceiptLine.receipt_uuid, ReceiptLine.service, ReceiptLine.account)
            .where(ReceiptLine.receipt_uuid.in_(receipt_uuids))
            .order_by(ReceiptLine.receipt_uuid, ReceiptLine.ordinal)
        ):
            per_receipt.setdefault(receipt_uuid, {})[(service, account)] = None
        numbers = account_numbers(session, (key for keys in per_receipt.values() for key in keys))
        return {
            receipt_uuid: ", ".join(numbers.get(account, account[:8]) for _, account in keys)
            for receipt_uuid, keys in per_receipt.items()
        }

    def _view(self, session: Session, receipt: Receipt, duplicate: bool = False) -> ReceiptView:
        user = session.get(AppUser, receipt.user_id)
        cancellation = session.scalars(
            select(ReceiptCancellation).where(ReceiptCancellation.receipt_uuid == receipt.uuid)
        ).first()
        lines = tuple(
            AllocatedLine(line.fy, Head(line.head), line.amount_paise, Service(line.service), line.account, line.period)
            for line in session.scalars(
                select(ReceiptLine).where(ReceiptLine.receipt_uuid == receipt.uuid).order_by(ReceiptLine.ordinal)
            )
        )
        refs: list[AccountRef] = []
        keys = dict.fromkeys((line.service, line.account) for line in lines if line.service != Service.PROPERTY)
        for service, account in keys:
            try:
                refs.append(self._billing.account_ref_in(session, service, account))
            except NotFoundError:  # the account has not come down to this device (yet)
                refs.append(AccountRef(service, account, account[:8], "", "", 0))
        if receipt.property_uuid is not None:
            prop = session.get(Property, receipt.property_uuid)
            assert prop is not None
            place = _Place.of(prop)
        else:
            place = _Place.of_account(refs[0]) if refs else _Place("", 0, "", "")
        return self._make_view(
            receipt_values(receipt),
            place,
            lines,
            user.full_name if user else "",
            tuple(refs),
            cancellation,
            duplicate,
        )

    # -- after the fact ---------------------------------------------------------------------------

    def reprint(self, actor: Actor, uuid: str) -> ReceiptView:
        """Record a reprint and return the receipt marked DUPLICATE. Never takes a number."""
        require(actor, Permission.REPRINT_RECEIPT)
        with self._db.write() as session:
            receipt = session.get(Receipt, uuid)
            if receipt is None:
                raise NotFoundError(f"no receipt with id {uuid}")
            session.add(
                ReceiptReprint(uuid=new_uuid(), receipt_uuid=uuid, user_id=actor.user_id, at=self._clock.now_utc())
            )
            self._audit.record(
                session, actor, "receipt.reprint", "receipt", uuid, None, {"receipt_no": receipt.receipt_no}
            )
            return self._view(session, receipt, duplicate=True)

    def cancel(self, actor: Actor, supervisor: Actor, receipt_uuid: str, reason: str) -> ReceiptView:
        """Cancel a receipt, approved by a supervisor (who logged in on the clerk's screen)."""
        require(supervisor, Permission.CANCEL_RECEIPT)
        return self._take_back(actor, supervisor, receipt_uuid, reason, "CANCELLED")

    def dishonour(self, actor: Actor, receipt_uuid: str, reason: str) -> ReceiptView:
        """A cheque or DD bounced: the receipt stops counting and the demand is due again."""
        require(actor, Permission.DISHONOUR_CHEQUE)
        return self._take_back(actor, actor, receipt_uuid, reason, "DISHONOURED")

    def _take_back(self, actor: Actor, approver: Actor, receipt_uuid: str, reason: str, kind: str) -> ReceiptView:
        reason = reason.strip()
        if len(reason) < 5:
            raise ValidationError("give a reason (at least 5 characters)")
        with self._db.write() as session:
            receipt = session.get(Receipt, receipt_uuid)
            if receipt is None:
                raise NotFoundError(f"no receipt with id {receipt_uuid}")
            if kind == "DISHONOURED" and receipt.mode not in (Mode.CHEQUE, Mode.DD):
                raise ValidationError(f"receipt {receipt.receipt_no} was paid by {receipt.mode}, not by cheque or DD")
            done = session.scalars(
                select(ReceiptCancellation).where(ReceiptCancellation.receipt_uuid == receipt_uuid)
            ).first()
            if done is not None:
                raise ConflictError(f"receipt {receipt.receipt_no} is already {done.kind.lower()}")
            self._refuse_if_advance_was_spent(session, receipt)
            now = self._clock.now_utc()
            row = ReceiptCancellation(
                uuid=new_uuid(),
                receipt_uuid=receipt_uuid,
                kind=kind,
                reason=reason,
                approved_by_user_id=approver.user_id,
                at=now,
                business_date=business_date(now).isoformat(),
            )
            session.add(row)
            session.flush()
            payload = {
                "uuid": row.uuid,
                "receipt_uuid": receipt_uuid,
                "receipt_no": receipt.receipt_no,
                "kind": kind,
                "reason": reason,
                "approved_by": approver.username,
                "by": actor.username,
            }
            self._audit.record(
                session, actor, f"receipt.{kind.lower()}", "receipt", receipt_uuid, {"status": "ACTIVE"}, payload
            )
            self._outbox.append(session, f"receipt.{kind.lower()}", row.uuid, payload)
            return self._view(session, receipt)

    @staticmethod
    def _refuse_if_advance_was_spent(session: Session, receipt: Receipt) -> None:
        created = (
            session.scalar(
                select(func.coalesce(func.sum(ReceiptLine.amount_paise), 0)).where(
                    ReceiptLine.receipt_uuid == receipt.uuid, ReceiptLine.head == Head.ADVANCE.value
                )
            )
            or 0
        )
        if created <= 0:
            return
        balance = (
            session.scalar(
                select(func.coalesce(func.sum(ReceiptLine.amount_paise), 0))
                .join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
                .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
                .where(
                    Receipt.property_uuid == receipt.property_uuid,
                    ReceiptLine.head == Head.ADVANCE.value,
                    ReceiptCancellation.uuid.is_(None),
                )
            )
            or 0
        )
        if balance - created < 0:
            raise ConflictError(
                f"receipt {receipt.receipt_no} left an advance credit that a later receipt has used: "
                "cancel that later receipt first"
            )

    # -- day-end ----------------------------------------------------------------------------------

    def day_end_summary(self, actor: Actor) -> DayEndSummary:
        require(actor, Permission.DAY_END)
        with self._db.read() as session:
            counter = self._open_session_row(session, actor)
            if counter is None:
                raise ValidationError("there is no open counter session to close")
            return self._summary(session, counter)

    @staticmethod
    def _summary(session: Session, counter: CounterSession) -> DayEndSummary:
        receipts = list(
            session.execute(
                select(Receipt, ReceiptCancellation.kind)
                .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
                .where(Receipt.counter_session_uuid == counter.uuid)
                .order_by(Receipt.series_key, Receipt.seq)
            )
        )
        by_mode: dict[str, int] = {}
        by_head: dict[str, int] = {}
        live = [r for r, kind in receipts if kind is None]
        for receipt in live:
            by_mode[receipt.mode] = by_mode.get(receipt.mode, 0) + receipt.amount_paise
        if live:
            for head, amount in session.execute(
                select(ReceiptLine.head, func.sum(ReceiptLine.amount_paise))
                .where(ReceiptLine.receipt_uuid.in_([r.uuid for r in live]))
                .group_by(ReceiptLine.head)
            ):
                by_head[head] = int(amount)
        cancelled = tuple(r.receipt_no for r, kind in receipts if kind is not None)
        return DayEndSummary(
            session_uuid=counter.uuid,
            business_date=date.fromisoformat(counter.business_date),
            receipts=len(receipts),
            cancelled=len(cancelled),
            by_head=by_head,
            by_mode=by_mode,
            opening_cash_paise=counter.opening_cash_paise,
            expected_cash_paise=counter.opening_cash_paise + by_mode.get(Mode.CASH.value, 0),
            first_receipt_no=receipts[0][0].receipt_no if receipts else "",
            last_receipt_no=receipts[-1][0].receipt_no if receipts else "",
            cancelled_receipt_nos=cancelled,
        )

    def close_session(
        self,
        actor: Actor,
        notes: dict[int, int],
        coins: dict[int, int],
        explanation: str = "",
        counted_non_cash: dict[str, int] | None = None,
    ) -> DayEndSummary:
        """Day-end: counted against expected; any difference needs a reason (at least 5 characters).

        Cash is counted by denomination. `counted_non_cash` is what the clerk hands over per other
        mode, keyed "CHEQUE_DD" (cheques and DDs together) and "UPI"; modes not given are not checked."""
        require(actor, Permission.DAY_END)
        for kind, counts, allowed in (("note", notes, NOTE_DENOMINATIONS), ("coin", coins, COIN_DENOMINATIONS)):
            for value, count in counts.items():
                if value not in allowed:
                    raise ValidationError(f"there is no ₹{value} {kind}")
                if count < 0:
                    raise ValidationError(f"₹{value} {kind}s: the count cannot be negative")
        counted = 100 * (sum(v * c for v, c in notes.items()) + sum(v * c for v, c in coins.items()))
        with self._db.write() as session:
            counter = self._open_session_row(session, actor)
            if counter is None:
                raise ValidationError("there is no open counter session to close")
            summary = self._summary(session, counter)
            difference = counted - summary.expected_cash_paise
            differences = {"CASH": difference} if difference else {}
            for key, value in (counted_non_cash or {}).items():
                if key not in NON_CASH_GROUPS:
                    raise ValidationError(f"unknown mode group {key!r} (use {', '.join(NON_CASH_GROUPS)})")
                if value < 0:
                    raise ValidationError(f"{key}: the counted amount cannot be negative")
                expected = sum(summary.by_mode.get(mode.value, 0) for mode in NON_CASH_GROUPS[key])
                if value != expected:
                    differences[key] = value - expected
            if differences and len(explanation.strip()) < 5:
                described = "; ".join(f"{key} {format_inr(diff)}" for key, diff in differences.items())
                raise ValidationError(
                    f"counted differs from expected ({described}; expected cash "
                    f"{format_inr(summary.expected_cash_paise)}, counted {format_inr(counted)}): "
                    "explain the difference"
                )
            counter.closed_at = self._clock.now_utc()
            counter.denominations_json = json.dumps(
                {
                    "notes": {str(k): v for k, v in notes.items()},
                    "coins": {str(k): v for k, v in coins.items()},
                    "non_cash_counted": counted_non_cash or {},
                    "differences": differences,
                }
            )
            counter.counted_cash_paise = counted
            counter.expected_cash_paise = summary.expected_cash_paise
            counter.difference_explanation = explanation.strip()
            after = {
                **asdict(summary),
                "differences": differences,
                "counted_cash_paise": counted,
                "difference_paise": difference,
                "explanation": explanation.strip(),
            }
            self._audit.record(session, actor, "counter.close", "counter_session", counter.uuid, None, after)
            self._outbox.append(session, "counter_session.closed", counter.uuid, after)
            return summary
