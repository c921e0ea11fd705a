"""What receipts paid against water, licence, user-charge and permit accounts: one place for "paid".

Paid = the lines (service, account, period, head) of this counter's receipts not cancelled, plus the
lines of receipts made at other counters that came down with sync (app.replica), also not cancelled.
The bill, the water register, licence issue and permit issue all ask here, so a charge paid at one
counter is paid at every counter the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.collections.models import Receipt, ReceiptCancellation, ReceiptLine
from app.db.base import table_of
from app.replica.service import REMOTE_SERVICE_PAID

_L, _R, _C = table_of(ReceiptLine), table_of(Receipt), table_of(ReceiptCancellation)
LOCAL_SERVICE_PAID = (
    select(_L.c.service, _L.c.account, _L.c.period, _L.c.head, func.sum(_L.c.amount_paise))
    .select_from(_L.join(_R, _R.c.uuid == _L.c.receipt_uuid).outerjoin(_C, _C.c.receipt_uuid == _R.c.uuid))
    .where(
        _L.c.account.in_(bindparam("accounts", expanding=True)),
        _L.c.service.in_(bindparam("services", expanding=True)),
        _C.c.uuid.is_(None),
    )
    .group_by(_L.c.service, _L.c.account, _L.c.period, _L.c.head)
)

PaidKey = tuple[str, str, str, str]  # (service, account, period, head)


def services_paid(session: Session, services: Iterable[str], accounts: Iterable[str]) -> dict[PaidKey, int]:
    """(service, account, period, head) -> paid, here and at other counters, receipts not cancelled."""
    params = {"services": sorted(set(services)), "accounts": sorted(set(accounts))}
    if not params["services"] or not params["accounts"]:
        return {}
    paid: dict[PaidKey, int] = {}
    connection = session.connection()
    for query in (LOCAL_SERVICE_PAID, REMOTE_SERVICE_PAID):
        for service, account, period, head, amount in connection.execute(query, params):
            key = (service, account, period, head)
            paid[key] = paid.get(key, 0) + int(amount)
    return paid


def service_paid(session: Session, service: str, accounts: Iterable[str]) -> dict[tuple[str, str, str], int]:
    """(account, period, head) -> paid, for one service's accounts."""
    return {key[1:]: amount for key, amount in services_paid(session, (service,), accounts).items()}
