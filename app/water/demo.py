"""Demo water connections for the DEMO ULB, so the counter shows water dues beside property tax.

About 300 connections on demo properties (holder = the property's first owner): mostly domestic, the
properties with commercial or industrial units as such, a few bulk metered ones with a reading at the
end of every month, one in ten billed quarterly. Like the property demo, the connections are seeded
(no sync ops: the central seeds its own demo); the monthly charges of the current FY up to the last
whole month before today are raised by WaterService.generate_demand, as the office would raise them.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.audit.service import AuditLog
from app.core.clock import Clock, business_date
from app.core.fy import FinancialYear
from app.core.ids import device_tag, new_uuid
from app.db import Database
from app.db.base import table_of
from app.masters.service import MastersService
from app.masters.tariffs import TariffBook
from app.outbox.service import Outbox
from app.property.models import Owner, Property, Unit
from app.security.service import UserService
from app.water.demand import month_code, month_end, next_month, quarter_of
from app.water.models import MeterReading, WaterConnection, WaterConnectionEvent
from app.water.service import WaterService

# The demo is seeded on counter 1; numbers carry the counter like those the services give out.
DEMO_COUNTER = device_tag(1)

_log = logging.getLogger(__name__)

BULK_CONNECTIONS = 6
DEMO_ADMIN = "admin1"  # raises the demand (app.security.service.DEMO_USERS)


@dataclass(frozen=True)
class WaterDemoReport:
    connections: int
    metered: int
    readings: int
    periods: tuple[str, ...]
    charges: int
    total_paise: int


def _months_to_bill(today: date) -> list[tuple[int, int]]:
    """The whole months of today's FY before today's month."""
    month = (FinancialYear.of(today).start_year, 4)
    months = []
    while month < (today.year, today.month):
        months.append(month)
        month = next_month(month)
    return months


def seed_demo_water(
    db: Database, clock: Clock, tariffs: TariffBook, count: int = 300, seed: int = 1, ulb_code: str = "DEMO"
) -> WaterDemoReport:
    """Seed `count` connections (if the ULB has none yet) and raise this FY's water charges so far."""
    rng = random.Random(seed)
    today = business_date(clock.now_utc())
    now = clock.now_utc()
    months = _months_to_bill(today)
    with db.write() as session:
        if session.scalar(
            select(func.count()).select_from(WaterConnection).where(WaterConnection.ulb_code == ulb_code)
        ):
            return WaterDemoReport(0, 0, 0, (), 0, 0)
        properties = session.execute(
            select(Property.uuid, Property.ward_no, Property.address_en, Property.address_hi)
            .where(Property.ulb_code == ulb_code)
            .order_by(Property.property_id)
            .limit(count)
        ).all()
        uuids = [p[0] for p in properties]
        owners = {
            o[0]: o[1:]
            for o in session.execute(
                select(Owner.property_uuid, Owner.name_en, Owner.name_hi, Owner.mobile).where(
                    Owner.property_uuid.in_(uuids), Owner.ordinal == 0
                )
            )
        }
        usages: dict[str, set[str]] = {}
        for property_uuid, usage in session.execute(
            select(Unit.property_uuid, Unit.usage).where(Unit.property_uuid.in_(uuids))
        ):
            usages.setdefault(property_uuid, set()).add(usage)
        connections: list[dict[str, object]] = []
        events: list[dict[str, object]] = []
        readings: list[dict[str, object]] = []
        per_ward: dict[int, int] = {}
        bulk = set(rng.sample(range(len(properties)), min(BULK_CONNECTIONS, len(properties))))
        for index, (property_uuid, ward_no, address_en, address_hi) in enumerate(properties):
            name_en, name_hi, mobile = owners.get(property_uuid, ("", "", ""))
            used = usages.get(property_uuid, set())
            metered = index in bulk
            category = (
                "BULK"
                if metered
                else "INDUSTRIAL"
                if "INDUSTRIAL" in used
                else "COMMERCIAL"
                if "COMMERCIAL" in used
                else "DOMESTIC"
            )
            per_ward[ward_no] = per_ward.get(ward_no, 0) + 1
            uuid = new_uuid()
            connected_on = date(rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28))
            connections.append(
                {
                    "uuid": uuid,
                    "ulb_code": ulb_code,
                    "consumer_no": f"W-{ward_no:02d}-{DEMO_COUNTER}-{per_ward[ward_no]:05d}",
                    "property_uuid": property_uuid,
                    "holder_name_en": name_en or "Demo consumer",
                    "holder_name_hi": name_hi,
                    "mobile": mobile,
                    "address_en": address_en,
                    "address_hi": address_hi,
                    "ward_no": ward_no,
                    "category": category,
                    "pipe_size_mm": 50 if metered else 20 if category != "DOMESTIC" else 15,
                    "metered": metered,
                    "meter_no": f"DM-{index + 1:05d}" if metered else "",
                    "billing_cycle": "QUARTERLY" if not metered and rng.random() < 0.1 else "MONTHLY",
                    "status": "ACTIVE",
                    "connected_on": connected_on.isoformat(),
                    "disconnected_on": "",
                    "created_at": now,
                    "version": 1,
                    "server_version": 0,
                }
            )
            events.append(
                {
                    "uuid": new_uuid(),
                    "connection_uuid": uuid,
                    "kind": "CONNECTED",
                    "on_date": connected_on.isoformat(),
                    "reason": "",
                    "fee_paise": 0,
                    "user_id": None,
                    "at": now,
                }
            )
            if metered:
                litres = rng.randint(0, 2_000_000)
                # Its start, then the end of the month before the FY's first billed month and of each one.
                read_on = [connected_on, *(month_end(m) for m in ([_before(months[0]), *months] if months else []))]
                previous = None
                for day in read_on:
                    if previous is not None and day <= previous:
                        continue
                    drawn = 0 if previous is None else rng.randint(15_000, 95_000)
                    litres += drawn
                    readings.append(
                        {
                            "uuid": new_uuid(),
                            "connection_uuid": uuid,
                            "reading_date": day.isoformat(),
                            "reading_litres": litres,
                            "consumption_litres": drawn,
                            "reason": "",
                            "note": "initial reading" if previous is None else "",
                            "recorded_by_user_id": None,
                            "created_at": now,
                        }
                    )
                    previous = day
        conn = session.connection()
        if connections:
            conn.execute(table_of(WaterConnection).insert(), connections)
            conn.execute(table_of(WaterConnectionEvent).insert(), events)
        if readings:
            conn.execute(table_of(MeterReading).insert(), readings)
    periods = _periods(months)
    charges = total = 0
    if connections and periods:
        device = MastersService(db).device()
        audit = AuditLog(clock, device.device_no)
        water = WaterService(db, tariffs, clock, audit, Outbox(clock), ulb_code)
        admin = UserService(db, audit, clock).actor_for(DEMO_ADMIN, device.device_no)
        for period in periods:
            if not tariffs.has_service("water", ulb_code, FinancialYear.of(today).code):
                _log.warning("no water tariff for %s %s: demo water demand not raised", ulb_code, period)
                break
            result = water.generate_demand(admin, period)
            charges += result.raised
            total += result.total_paise
    return WaterDemoReport(
        connections=len(connections),
        metered=sum(1 for c in connections if c["metered"]),
        readings=len(readings),
        periods=tuple(periods),
        charges=charges,
        total_paise=total,
    )


def _before(month: tuple[int, int]) -> tuple[int, int]:
    year, m = month
    return (year - 1, 12) if m == 1 else (year, m - 1)


def _periods(months: list[tuple[int, int]]) -> list[str]:
    """Whole quarters as quarters (they also raise their months for monthly connections), the rest
    as months."""
    periods: list[str] = []
    by_quarter: dict[str, list[tuple[int, int]]] = {}
    for month in months:
        by_quarter.setdefault(quarter_of(month), []).append(month)
    for quarter, inside in by_quarter.items():
        if len(inside) == 3:
            periods.append(quarter)
        else:
            periods.extend(month_code(m) for m in inside)
    return periods
