"""Writing what came down from the central into the local replica tables (inside the caller's
transaction: the pull applies a page and its cursor in one commit)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from app.collections.models import Receipt
from app.core.clock import as_utc
from app.db.base import table_of
from app.demand.dto import Service
from app.replica.models import RemotePayment, RemotePaymentCancellation, RemotePaymentLine, SyncMeta

log = logging.getLogger(__name__)

# The line's service when the payload names none (what devices and centrals before issue 5 sent).
PROPERTY_SERVICE = Service.PROPERTY.value


@dataclass(frozen=True)
class RemotePaymentLineIn:
    fy: str
    head: str
    amount_paise: int
    service: str = PROPERTY_SERVICE
    account: str = ""  # water connection / licence / SWM payer uuid; "" on property lines
    period: str = ""  # "2026-11", "2026-27-Q3", "2026-27"; "" on property lines

    @classmethod
    def from_payload(cls, line: dict[str, Any]) -> RemotePaymentLineIn:
        """A line as central.sync.ingest.payment_change_payload sends it: fy/head/amount, plus
        service/account/period on lines of other services."""
        service = str(line.get("service") or PROPERTY_SERVICE)
        if service == PROPERTY_SERVICE:
            return cls(str(line["fy"]), str(line["head"]), int(line["amount_paise"]))
        account, period = str(line.get("account") or ""), str(line.get("period") or "")
        if not account or not period:
            # Kept (the money was received, the day's totals need it) but it can count against no dues.
            log.warning("remote payment line of %s without its account or period: %r", service, line)
        return cls(str(line["fy"]), str(line["head"]), int(line["amount_paise"]), service, account, period)


@dataclass(frozen=True)
class RemotePaymentIn:
    """A payment made elsewhere (another counter of the ULB, or online): for a property, or for
    services only (property_uuid None: a water connection, licence or user-charge payer)."""

    uuid: str
    property_uuid: str | None
    business_date: str  # ISO date (IST)
    amount_paise: int
    received_at: datetime
    lines: tuple[RemotePaymentLineIn, ...] = ()
    receipt_no: str = ""
    mode: str = ""
    source: str = "COUNTER"
    origin_device_id: str = ""
    collected_at: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_payload(
        cls, payload: dict[str, Any], received_at: datetime, origin_device_id: str | None = None
    ) -> RemotePaymentIn:
        """From a pulled `payment` change (the receipt payload as the central holds it)."""
        collected = payload.get("collected_at")
        property_uuid = payload.get("property_uuid")
        return cls(
            uuid=str(payload["uuid"]),
            property_uuid=str(property_uuid) if property_uuid else None,
            business_date=str(payload["business_date"])[:10],
            amount_paise=int(payload["amount_paise"]),
            received_at=received_at,
            lines=tuple(RemotePaymentLineIn.from_payload(line) for line in payload.get("lines", [])),
            receipt_no=str(payload.get("receipt_no", "")),
            mode=str(payload.get("mode", "")),
            source=str(payload.get("source", "COUNTER")),
            origin_device_id=origin_device_id or str(payload.get("device_id", "") or ""),
            collected_at=as_utc(datetime.fromisoformat(collected))
            if isinstance(collected, str) and collected
            else None,
            payload=payload,
        )


def record_remote_payment(session: Session, payment: RemotePaymentIn) -> bool:
    """Keep a payment made elsewhere so the dues here count it as paid. Idempotent by uuid.

    A receipt of this very device (it came back through the feed) is already in `receipt` and is
    skipped; so is a payment seen before. Returns True when a row was written."""
    if session.get(Receipt, payment.uuid) is not None or session.get(RemotePayment, payment.uuid) is not None:
        return False
    session.add(
        RemotePayment(
            uuid=payment.uuid,
            receipt_no=payment.receipt_no,
            property_uuid=payment.property_uuid,
            business_date=payment.business_date,
            amount_paise=payment.amount_paise,
            mode=payment.mode,
            source=payment.source,
            origin_device_id=payment.origin_device_id,
            collected_at=payment.collected_at,
            payload_json=json.dumps(payment.payload, ensure_ascii=False, sort_keys=True, default=str),
            received_at=payment.received_at,
        )
    )
    session.flush()
    for ordinal, line in enumerate(payment.lines):
        session.add(
            RemotePaymentLine(
                payment_uuid=payment.uuid,
                ordinal=ordinal,
                fy=line.fy,
                head=line.head,
                amount_paise=line.amount_paise,
                service=line.service,
                account=line.account,
                period=line.period,
            )
        )
    session.flush()
    return True


def record_remote_cancellation(
    session: Session,
    receipt_uuid: str,
    received_at: datetime,
    uuid: str = "",
    kind: str = "CANCELLED",
    reason: str = "",
) -> bool:
    """A payment made elsewhere was taken back: its lines stop counting as paid here."""
    if session.get(Receipt, receipt_uuid) is not None:
        return False
    if session.get(RemotePaymentCancellation, receipt_uuid) is not None:
        return False
    session.add(
        RemotePaymentCancellation(
            receipt_uuid=receipt_uuid, uuid=uuid, kind=kind, reason=reason, received_at=received_at
        )
    )
    session.flush()
    return True


# --- what was paid elsewhere ----------------------------------------------------------------------

_RP, _RL, _RC = table_of(RemotePayment), table_of(RemotePaymentLine), table_of(RemotePaymentCancellation)
# (service, account, period, head, paid) of service lines paid at other counters or online, payments
# not cancelled (a cancellation may come down before or after its payment). Parameters: expanding
# "services" and "accounts". Built once: the combined bill runs it inside every receipt's transaction.
REMOTE_SERVICE_PAID = (
    select(_RL.c.service, _RL.c.account, _RL.c.period, _RL.c.head, func.sum(_RL.c.amount_paise))
    .select_from(_RL.join(_RP, _RP.c.uuid == _RL.c.payment_uuid).outerjoin(_RC, _RC.c.receipt_uuid == _RP.c.uuid))
    .where(
        _RL.c.account.in_(bindparam("accounts", expanding=True)),
        _RL.c.service.in_(bindparam("services", expanding=True)),
        _RC.c.receipt_uuid.is_(None),
    )
    .group_by(_RL.c.service, _RL.c.account, _RL.c.period, _RL.c.head)
)


def remote_service_paid(session: Session, service: str, accounts: list[str]) -> dict[tuple[str, str, str], int]:
    """(account, period, head) -> what payments made elsewhere (not cancelled) paid against a service's
    accounts. To be added to what this device's own receipt lines paid wherever "paid" is shown."""
    if not accounts:
        return {}
    rows = session.connection().execute(REMOTE_SERVICE_PAID, {"services": [service], "accounts": accounts})
    return {(account, period, head): int(amount) for _, account, period, head, amount in rows}


# --- sync_meta key/value ---------------------------------------------------------------------------


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(SyncMeta, key)
    return None if row is None else row.value


def set_meta(session: Session, key: str, value: str | None) -> None:
    row = session.get(SyncMeta, key)
    if value is None:
        if row is not None:
            session.execute(delete(SyncMeta).where(SyncMeta.key == key))
        return
    if row is None:
        session.add(SyncMeta(key=key, value=value))
    else:
        row.value = value
    session.flush()


def all_meta(session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.scalars(select(SyncMeta))}


# Settings the central manages for the ULB (e.g. payments.upi_vpa) are kept in sync_meta under this prefix.
SETTING_META_PREFIX = "setting."


def central_setting(session: Session, key: str) -> str | None:
    """A setting that came down from the central (None when it never did)."""
    return get_meta(session, SETTING_META_PREFIX + key)
