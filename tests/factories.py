"""Building blocks for tests: a set-up device with the DEMO ULB, users and properties, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from app.collections.dto import CollectRequest, Mode, Payment
from app.core.clock import Clock
from app.core.ids import new_uuid
from app.db import Database, open_database
from app.demand.assessment import PropertyFacts, UnitFacts, yearly_demand
from app.demand.models import Demand
from app.masters.seed import seed_demo_masters
from app.masters.tariffs import load_tariff_book
from app.paths import RESOURCES_DIR
from app.property.models import Owner, Property, ReturnFiling, Unit
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.security.service import UserService


def set_up_device(data_dir: Path, clock: Clock) -> Database:
    """Masters and demo users (cheap password hashes) on a fresh device database."""
    db = open_database(data_dir)
    seed_demo_masters(db)
    from app.audit.service import AuditLog

    UserService(db, AuditLog(clock, 1), clock, hasher=fast_hasher()).seed_demo_users()
    return db


def add_property(
    db: Database,
    property_id: str = "W01-000001",
    *,
    zone: str = "B",
    area_sqft: str = "1000",
    construction: str = "RCC_RB",
    usage: str = "RESIDENTIAL",
    years: tuple[str, ...] = ("2026-27",),
    unfiled: tuple[str, ...] = (),
    owner_en: str = "Ramesh Sahu",
    owner_hi: str = "रमेश साहू",
    mobile: str = "9876543210",
) -> str:
    """A property with one unit and its demand raised for `years` (the worked example by default)."""
    book = load_tariff_book(RESOURCES_DIR / "tariffs")
    uuid = new_uuid()
    facts = PropertyFacts(zone, (UnitFacts(0, Decimal(area_sqft), construction, usage),))
    now = datetime.now(UTC)
    with db.write() as session:
        session.add(
            Property(
                uuid=uuid,
                ulb_code="DEMO",
                property_id=property_id,
                old_id="",
                ward_no=1,
                zone_code=zone,
                address_en="12, Gandhi Chowk",
                address_hi="12, गांधी चौक",
                open_land_sqft=Decimal(0),
                created_at=now,
            )
        )
        session.flush()
        session.add(Owner(property_uuid=uuid, ordinal=0, name_en=owner_en, name_hi=owner_hi, mobile=mobile))
        session.add(
            Unit(
                property_uuid=uuid,
                ordinal=0,
                floor=0,
                area_sqft=Decimal(area_sqft),
                construction=construction,
                usage=usage,
            )
        )
        for fy in years:
            session.add(ReturnFiling(property_uuid=uuid, fy=fy, filed=fy not in unfiled))
            for head, amount in yearly_demand(book.property_tax("DEMO", fy), facts).items():
                session.add(Demand(property_uuid=uuid, fy=fy, head=head.value, amount_paise=amount, created_at=now))
    return uuid


def cash(property_uuid: str, amount_paise: int, tendered_paise: int | None = None) -> CollectRequest:
    return CollectRequest(
        property_uuid=property_uuid,
        amount_paise=amount_paise,
        payment=Payment(mode=Mode.CASH, tendered_paise=tendered_paise),
        request_uuid=new_uuid(),
    )


def actor(users: UserService, username: str, device_no: int = 1) -> Actor:
    return users.actor_for(username, device_no)
