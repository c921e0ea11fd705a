"""Demands in the device database: raising the yearly demand, and reading a property's ledger."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.collections.models import Receipt, ReceiptCancellation, ReceiptLine
from app.core.clock import Clock
from app.core.ids import new_uuid
from app.db import Database
from app.db.base import table_of
from app.demand.assessment import PropertyFacts, UnitFacts, yearly_demand
from app.demand.dto import Allocation, Dues, Head
from app.demand.dues import Ledger, PaidLine, allocate, compute_dues
from app.demand.models import Demand
from app.errors import NotFoundError
from app.masters.tariffs import TariffBook
from app.outbox.service import Outbox
from app.property.models import Property, ReturnFiling, Unit
from app.replica.models import RemotePayment, RemotePaymentCancellation, RemotePaymentLine
from app.security.roles import Actor, Permission, require

_P, _D, _R, _L, _C, _F = (
    table_of(Property),
    table_of(Demand),
    table_of(Receipt),
    table_of(ReceiptLine),
    table_of(ReceiptCancellation),
    table_of(ReturnFiling),
)
_LEDGER_ULB = select(_P.c.ulb_code).where(_P.c.uuid == bindparam("uuid"))
_LEDGER_DEMANDS = select(_D.c.fy, _D.c.head, _D.c.amount_paise).where(_D.c.property_uuid == bindparam("uuid"))
_LEDGER_PAID = (
    select(_L.c.fy, _L.c.head, _L.c.amount_paise, _R.c.business_date)
    .select_from(_L.join(_R, _R.c.uuid == _L.c.receipt_uuid).outerjoin(_C, _C.c.receipt_uuid == _R.c.uuid))
    .where(_R.c.property_uuid == bindparam("uuid"), _C.c.uuid.is_(None))
)
# Payments made at other counters of the ULB or online (pulled by sync) count as paid here too, so
# this counter can never collect the same dues twice; a cancelled one stops counting.
_RP, _RL, _RC = table_of(RemotePayment), table_of(RemotePaymentLine), table_of(RemotePaymentCancellation)
_LEDGER_REMOTE_PAID = (
    select(_RL.c.fy, _RL.c.head, _RL.c.amount_paise, _RP.c.business_date)
    .select_from(_RL.join(_RP, _RP.c.uuid == _RL.c.payment_uuid).outerjoin(_RC, _RC.c.receipt_uuid == _RP.c.uuid))
    .where(_RP.c.property_uuid == bindparam("uuid"), _RC.c.receipt_uuid.is_(None))
)
_LEDGER_RETURNS = select(_F.c.fy, _F.c.filed).where(_F.c.property_uuid == bindparam("uuid"))


def load_ledger(session: Session, property_uuid: str) -> Ledger:
    """A property's demands, payments (lines of receipts not cancelled, made here or elsewhere) and returns.

    Prebuilt statements: this runs in every dues look-up and inside every receipt's transaction."""
    conn = session.connection()
    params = {"uuid": property_uuid}
    ulb_code = conn.execute(_LEDGER_ULB, params).scalar()
    if ulb_code is None:
        raise NotFoundError(f"no property with id {property_uuid}")
    demands = {(fy, Head(head)): amount for fy, head, amount in conn.execute(_LEDGER_DEMANDS, params)}
    paid = tuple(
        PaidLine(fy=fy, head=Head(head), amount_paise=amount, business_date=date.fromisoformat(day))
        for query in (_LEDGER_PAID, _LEDGER_REMOTE_PAID)
        for fy, head, amount, day in conn.execute(query, params)
    )
    returns = {fy: bool(filed) for fy, filed in conn.execute(_LEDGER_RETURNS, params)}
    return Ledger(property_uuid=property_uuid, ulb=ulb_code, demands=demands, paid=paid, returns_filed=returns)


def property_facts(session: Session, prop: Property) -> PropertyFacts:
    units = session.scalars(select(Unit).where(Unit.property_uuid == prop.uuid).order_by(Unit.ordinal))
    return PropertyFacts(
        zone=prop.zone_code,
        units=tuple(UnitFacts(u.floor, u.area_sqft, u.construction, u.usage) for u in units),
        open_land_sqft=prop.open_land_sqft,
    )


def demand_summary(session: Session, ulb: str, fy: str) -> dict[str, object]:
    """The FY's raised demand of the ULB by head and by ward (the state's DCB reads it)."""
    rows = session.execute(
        select(_P.c.ward_no, _D.c.head, func.sum(_D.c.amount_paise))
        .select_from(_D.join(_P, _P.c.uuid == _D.c.property_uuid))
        .where(_D.c.fy == fy, _P.c.ulb_code == ulb)
        .group_by(_P.c.ward_no, _D.c.head)
    ).all()
    by_head: dict[str, int] = {}
    by_ward: dict[str, dict[str, int]] = {}
    for ward, head, amount in rows:
        by_head[head] = by_head.get(head, 0) + int(amount)
        by_ward.setdefault(str(ward), {})[head] = int(amount)
    return {"fy": fy, "by_head": by_head, "by_ward": by_ward}


class DuesService:
    def __init__(self, db: Database, tariffs: TariffBook, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._tariffs = tariffs
        self._clock = clock
        self._audit = audit

    @property
    def tariffs(self) -> TariffBook:
        return self._tariffs

    def dues(self, property_uuid: str, on: date) -> Dues:
        with self._db.read() as session:
            return compute_dues(self._tariffs, load_ledger(session, property_uuid), on)

    def dues_in(self, session: Session, property_uuid: str, on: date) -> Dues:
        """Dues inside the caller's transaction (the collection uses this under its write lock)."""
        return compute_dues(self._tariffs, load_ledger(session, property_uuid), on)

    def preview(self, property_uuid: str, amount_paise: int, on: date) -> Allocation:
        return allocate(self.dues(property_uuid, on), amount_paise)

    def generate(self, actor: Actor, ulb: str, fy: str) -> int:
        """Raise FY `fy`'s demand for every property of `ulb` that has none yet. Returns how many got one.

        Idempotent: a property that already has a demand for the year is left alone (a revision is a
        separate, audited act, not a re-run of this)."""
        require(actor, Permission.GENERATE_DEMAND)
        tariff = self._tariffs.property_tax(ulb, fy)
        created = 0
        with self._db.write() as session:
            have = set(session.scalars(select(Demand.property_uuid).where(Demand.fy == fy).distinct()))
            now = self._clock.now_utc()
            for prop in session.scalars(select(Property).where(Property.ulb_code == ulb)):
                if prop.uuid in have:
                    continue
                for head, amount in yearly_demand(tariff, property_facts(session, prop)).items():
                    session.add(
                        Demand(
                            property_uuid=prop.uuid,
                            fy=fy,
                            head=head.value,
                            amount_paise=amount,
                            created_at=now,
                        )
                    )
                created += 1
            self._audit.record(
                session, actor, "demand.generate", "demand", f"{ulb}/{fy}", None, {"properties": created}
            )
            if created:
                session.flush()
                Outbox(self._clock).append(session, "demand.summary", new_uuid(), demand_summary(session, ulb, fy))
        return created
