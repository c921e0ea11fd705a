"""Demo solid-waste user-charge payers for the DEMO ULB, so the counter and the DCB show user charges.

About 500 payers: most are households on demo properties, billed with the property (slab from the
property's built-up area, holder = its first owner); some shops in commercial properties as payers of
their own (a tenant shop is not on the owner's bill); a few street vendors, registered and exempt.
Like the other demos the payers are seeded rows (no sync ops: the central seeds its own demo); the
monthly charges of the current FY up to the last whole month before today are raised by
SwmService.generate_month, as the office would raise them.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
from app.swm.models import SwmPayer
from app.swm.service import SwmService

# The demo is seeded on counter 1; numbers carry the counter like those the services give out.
DEMO_COUNTER = device_tag(1)

_log = logging.getLogger(__name__)

DEMO_ADMIN = "admin1"
SHOP_NAMES = (
    ("Kirana Store", "किराना स्टोर", "SHOP"),
    ("Medical Hall", "मेडिकल हॉल", "SHOP"),
    ("Tiffin Centre", "टिफिन सेंटर", "EATERY"),
    ("Bhojanalay", "भोजनालय", "EATERY"),
    ("Hotel", "होटल", "HOTEL_RESTAURANT"),
    ("Coaching Centre", "कोचिंग सेंटर", "INSTITUTION"),
    ("Co-operative Bank", "सहकारी बैंक", "OFFICE_BANK"),
)
VENDORS = (("Sabzi Thela", "सब्ज़ी ठेला"), ("Chaat Thela", "चाट ठेला"), ("Phal Thela", "फल ठेला"))


@dataclass(frozen=True)
class SwmDemoReport:
    payers: int
    households: int
    own_payers: int
    exempt: int
    months: tuple[str, ...]
    charges: int
    total_paise: int


def months_to_bill(today: date) -> list[str]:
    """The whole months of today's FY before today's month, as "2026-04"."""
    year, month = FinancialYear.of(today).start_year, 4
    months = []
    while (year, month) < (today.year, today.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def seed_demo_swm(
    db: Database,
    clock: Clock,
    tariffs: TariffBook,
    households: int = 420,
    shops: int = 60,
    vendors: int = 20,
    seed: int = 1,
    ulb_code: str = "DEMO",
) -> SwmDemoReport:
    """Seed the payers (if the ULB has none yet) and raise this FY's user charges so far."""
    rng = random.Random(seed)
    today = business_date(clock.now_utc())
    now = clock.now_utc()
    fy = FinancialYear.of(today)
    start = f"{fy.start_year:04d}-04"
    with db.write() as session:
        if session.scalar(select(func.count()).select_from(SwmPayer).where(SwmPayer.ulb_code == ulb_code)):
            return SwmDemoReport(0, 0, 0, 0, (), 0, 0)
        properties = session.execute(
            select(Property.uuid, Property.ward_no, Property.address_en, Property.address_hi)
            .where(Property.ulb_code == ulb_code)
            .order_by(Property.property_id)
        ).all()
        owners = {
            o[0]: o[1:]
            for o in session.execute(
                select(Owner.property_uuid, Owner.name_en, Owner.name_hi, Owner.mobile).where(Owner.ordinal == 0)
            )
        }
        area: dict[str, Decimal] = {}
        commercial: set[str] = set()
        for property_uuid, sqft, usage in session.execute(select(Unit.property_uuid, Unit.area_sqft, Unit.usage)):
            area[property_uuid] = area.get(property_uuid, Decimal(0)) + Decimal(sqft)
            if usage == "COMMERCIAL":
                commercial.add(property_uuid)
        built = [p for p in properties if p[0] in area]
        rng.shuffle(built)
        homes = built[:households]
        shop_sites = [p for p in built if p[0] in commercial][:shops]
        wards = sorted({p[1] for p in properties}) or [1]
        per_ward: dict[int, int] = {}
        rows: list[dict[str, object]] = []

        def add(ward_no: int, **values: object) -> None:
            per_ward[ward_no] = per_ward.get(ward_no, 0) + 1
            rows.append(
                {
                    "uuid": new_uuid(),
                    "ulb_code": ulb_code,
                    "payer_id": f"UC-{ward_no:02d}-{DEMO_COUNTER}-{per_ward[ward_no]:05d}",
                    "ward_no": ward_no,
                    "mobile": "",
                    "address_en": "",
                    "address_hi": "",
                    "name_hi": "",
                    "built_up_sqft": None,
                    "property_uuid": None,
                    "billed_with_property": False,
                    "status": "ACTIVE",
                    "start_month": start,
                    "created_at": now,
                    "version": 1,
                    "server_version": 0,
                    **values,
                }
            )

        for property_uuid, ward_no, address_en, address_hi in homes:
            name_en, name_hi, mobile = owners.get(property_uuid, ("Demo household", "", ""))
            add(
                ward_no,
                name_en=name_en,
                name_hi=name_hi,
                mobile=mobile,
                address_en=address_en,
                address_hi=address_hi,
                category="HOUSEHOLD",
                built_up_sqft=area[property_uuid].quantize(Decimal("0.01")),
                property_uuid=property_uuid,
                billed_with_property=True,
            )
        for index, (property_uuid, ward_no, address_en, address_hi) in enumerate(shop_sites):
            owner_en, owner_hi, _mobile = owners.get(property_uuid, ("", "", ""))
            label_en, label_hi, category = SHOP_NAMES[index % len(SHOP_NAMES)]
            surname_en = owner_en.split()[-1] if owner_en else "Demo"
            surname_hi = owner_hi.split()[-1] if owner_hi else ""
            add(
                ward_no,
                name_en=f"{surname_en} {label_en}",
                name_hi=f"{surname_hi} {label_hi}".strip(),
                address_en=address_en,
                address_hi=address_hi,
                category=category,
                property_uuid=property_uuid,  # a tenant shop: linked, but its own payer
            )
        for index in range(vendors):
            label_en, label_hi = VENDORS[index % len(VENDORS)]
            add(
                rng.choice(wards),
                name_en=f"{label_en} {index + 1}",
                name_hi=f"{label_hi} {index + 1}",
                category="STREET_VENDOR",
            )
        if rows:
            session.connection().execute(table_of(SwmPayer).insert(), rows)
    months = months_to_bill(today)
    charges = total = 0
    if rows and months:
        if not tariffs.has_service("swm", ulb_code, fy.code):
            _log.warning("no SWM tariff for %s %s: demo user charges not raised", ulb_code, fy.code)
        else:
            device = MastersService(db).device()
            audit = AuditLog(clock, device.device_no)
            swm = SwmService(db, tariffs, audit, Outbox(clock), clock, ulb_code)
            admin = UserService(db, audit, clock).actor_for(DEMO_ADMIN, device.device_no)
            for month in months:
                result = swm.generate_month(admin, month)
                charges += result.raised
                total += result.amount_paise
    return SwmDemoReport(
        payers=len(rows),
        households=len(homes),
        own_payers=len(shop_sites),
        exempt=vendors,
        months=tuple(months),
        charges=charges,
        total_paise=total,
    )
