"""Demands in the device database: raising the yearly demand, and reading a property's ledger."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.collections.models import Receipt, ReceiptCancellation, ReceiptLine
from app.core.clock import Clock
from app.db import Database
from app.demand.assessment import PropertyFacts, UnitFacts, yearly_demand
from app.demand.dto import Allocation, Dues, Head
from app.demand.dues import Ledger, PaidLine, allocate, compute_dues
from app.demand.models import Demand
from app.errors import NotFoundError
from app.masters.tariffs import TariffBook
from app.property.models import Property, ReturnFiling, Unit
from app.security.roles import Actor, Permission, require


def load_ledger(session: Session, property_uuid: str) -> Ledger:
    prop = session.get(Property, property_uuid)
    if prop is None:
        raise NotFoundError(f"no property with id {property_uuid}")
    demands = {
        (d.fy, Head(d.head)): d.amount_paise
        for d in session.scalars(select(Demand).where(Demand.property_uuid == property_uuid))
    }
    rows = session.execute(
        select(ReceiptLine.fy, ReceiptLine.head, ReceiptLine.amount_paise, Receipt.business_date)
        .join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
        .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
        .where(Receipt.property_uuid == property_uuid, ReceiptCancellation.uuid.is_(None))
    )
    paid = tuple(
        PaidLine(fy=fy, head=Head(head), amount_paise=amount, business_date=date.fromisoformat(day))
        for fy, head, amount, day in rows
    )
    returns = {
        r.fy: r.filed for r in session.scalars(select(ReturnFiling).where(ReturnFiling.property_uuid == property_uuid))
    }
    return Ledger(property_uuid=property_uuid, ulb=prop.ulb_code, demands=demands, paid=paid, returns_filed=returns)


def property_facts(session: Session, prop: Property) -> PropertyFacts:
    units = session.scalars(select(Unit).where(Unit.property_uuid == prop.uuid).order_by(Unit.ordinal))
    return PropertyFacts(
        zone=prop.zone_code,
        units=tuple(UnitFacts(u.floor, u.area_sqft, u.construction, u.usage) for u in units),
        open_land_sqft=prop.open_land_sqft,
    )


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
        return created
