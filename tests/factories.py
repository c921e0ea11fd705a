"""Building blocks for tests: a set-up device with the DEMO ULB, users and properties, on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.billing.dto import AccountRef, BillChoice, BillCollectRequest
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


# --- Issue 5: water connections, SWM payers, trade licences and their service demands -------------
# Rows are inserted directly with every column, so tests of one service do not depend on another
# service's workflow code.


def _now() -> datetime:
    return datetime.now(UTC)


def make_water_connection(
    db: Database,
    consumer_no: str = "W-01-000001",
    *,
    property_uuid: str | None = None,
    holder_en: str = "Ramesh Sahu",
    holder_hi: str = "रमेश साहू",
    ward_no: int = 1,
    category: str = "DOMESTIC",
    metered: bool = False,
    meter_no: str = "",
    billing_cycle: str = "MONTHLY",
    status: str = "ACTIVE",
    connected_on: str = "2026-04-01",
    pipe_size_mm: int = 15,
) -> str:
    """A water connection (uuid returned); no demand is raised."""
    from app.water.models import WaterConnection

    uuid = new_uuid()
    with db.write() as session:
        session.add(
            WaterConnection(
                uuid=uuid,
                ulb_code="DEMO",
                consumer_no=consumer_no,
                property_uuid=property_uuid,
                holder_name_en=holder_en,
                holder_name_hi=holder_hi,
                mobile="9876543210",
                address_en="12, Gandhi Chowk",
                address_hi="12, गांधी चौक",
                ward_no=ward_no,
                category=category,
                pipe_size_mm=pipe_size_mm,
                metered=metered,
                meter_no=meter_no,
                billing_cycle=billing_cycle,
                status=status,
                connected_on=connected_on,
                disconnected_on="",
                created_at=_now(),
                version=1,
                server_version=0,
            )
        )
    return uuid


def make_swm_payer(
    db: Database,
    payer_id: str = "UC-01-000001",
    *,
    property_uuid: str | None = None,
    billed_with_property: bool = True,
    name_en: str = "Ramesh Sahu",
    name_hi: str = "रमेश साहू",
    ward_no: int = 1,
    category: str = "HOUSEHOLD",
    built_up_sqft: str | None = "1000",
    status: str = "ACTIVE",
    start_month: str = "2026-04",
) -> str:
    """A solid-waste user-charge payer (uuid returned); no demand is raised."""
    from app.swm.models import SwmPayer

    uuid = new_uuid()
    with db.write() as session:
        session.add(
            SwmPayer(
                uuid=uuid,
                ulb_code="DEMO",
                payer_id=payer_id,
                property_uuid=property_uuid,
                billed_with_property=billed_with_property,
                name_en=name_en,
                name_hi=name_hi,
                mobile="9876543210",
                address_en="12, Gandhi Chowk",
                address_hi="12, गांधी चौक",
                ward_no=ward_no,
                category=category,
                built_up_sqft=None if built_up_sqft is None else Decimal(built_up_sqft),
                status=status,
                start_month=start_month,
                created_at=_now(),
                version=1,
                server_version=0,
            )
        )
    return uuid


def make_licence(
    db: Database,
    application_no: str = "TLA/2026-27/00001",
    *,
    licence_no: str | None = None,
    property_uuid: str | None = None,
    trade_name: str = "Sahu General Store",
    trade_name_hi: str = "साहू जनरल स्टोर",
    owner_en: str = "Suresh Sahu",
    owner_hi: str = "सुरेश साहू",
    ward_no: int = 1,
    trade_kind: str = "SHOP",
    road_width_m: str | None = "10",
    area_sqft: str | None = "200",
    licence_year: str = "2026-27",
    status: str = "APPROVED",
    applied_on: str = "2026-05-01",
    decided_on: str = "2026-05-10",
    fee_paise: int = 0,
    application_type: str = "NEW",
) -> str:
    """A trade licence application (uuid returned) in `status`; its fee demand is NOT raised (use
    raise_service_demand with Service.TRADE, period = licence_year, head TRADE_LICENCE_FEE)."""
    from app.trade.models import TradeLicence

    uuid = new_uuid()
    with db.write() as session:
        session.add(
            TradeLicence(
                uuid=uuid,
                ulb_code="DEMO",
                application_no=application_no,
                licence_no=licence_no,
                application_type=application_type,
                previous_licence_uuid=None,
                property_uuid=property_uuid,
                trade_name=trade_name,
                trade_name_hi=trade_name_hi,
                owner_name_en=owner_en,
                owner_name_hi=owner_hi,
                mobile="9876543210",
                address_en="12, Gandhi Chowk",
                address_hi="12, गांधी चौक",
                ward_no=ward_no,
                trade_kind=trade_kind,
                road_width_m=None if road_width_m is None else Decimal(road_width_m),
                area_sqft=None if area_sqft is None else Decimal(area_sqft),
                licence_year=licence_year,
                status=status,
                applied_on=applied_on,
                decided_on=decided_on,
                issued_on="",
                valid_to="",
                rejection_reason="",
                fee_paise=fee_paise,
                created_at=_now(),
                version=1,
                server_version=0,
            )
        )
    return uuid


def raise_service_demand(
    db: Database,
    service: str,
    account_uuid: str,
    period: str,
    head: str,
    amount_paise: int,
    *,
    fy: str | None = None,
    due_date: str | None = None,
    ward_no: int = 1,
    detail: str = "",
) -> None:
    """One service_demand row (the ledger of water / trade / SWM charges). `service` and `head` take
    the enum or its string. fy defaults from the period; due_date to 15 days after the period
    ends (the DEMO tariffs' due_days) — give it when arrear/current matters."""
    from app.billing.periods import parse_period
    from app.demand.models import ServiceDemand

    service_s = str(getattr(service, "value", service))
    head_s = str(getattr(head, "value", head))
    parsed = parse_period(period)
    fy_s = fy or parsed.fy_code
    if due_date is None:
        due_date = (parsed.last_day + timedelta(days=15)).isoformat()
    with db.write() as session:
        session.add(
            ServiceDemand(
                service=service_s,
                account_uuid=account_uuid,
                period=period,
                fy=fy_s,
                head=head_s,
                amount_paise=amount_paise,
                due_date=due_date,
                ward_no=ward_no,
                detail=detail,
                created_at=_now(),
            )
        )


@dataclass(frozen=True)
class CombinedAccounts:
    """A property (the worked example: ₹2,119 payable on 15-06-2026 with the rebate) with a domestic
    water connection, a household user charge billed with it, and an approved shop licence."""

    property_uuid: str
    water_uuid: str
    swm_uuid: str
    licence_uuid: str


def make_combined_accounts(db: Database, n: int = 1) -> CombinedAccounts:
    """Water: connection fee ₹1,000 (Apr) + ₹200 Apr (arrear on 15 June) + ₹200 May (due 15 June);
    SWM: ₹30 Apr + ₹30 May; trade licence fee ₹1,000 for 2026-27 (due 30 June). Numbers end in `n`."""
    property_uuid = add_property(db, f"W01-{n:06d}")
    water = make_water_connection(db, f"W-01-{n:06d}", property_uuid=property_uuid)
    swm = make_swm_payer(db, f"UC-01-{n:06d}", property_uuid=property_uuid)
    licence = make_licence(
        db, f"TLA/2026-27/{n:05d}", licence_no=f"TL/2026-27/{n:05d}", property_uuid=property_uuid, fee_paise=100000
    )
    raise_service_demand(db, "WATER", water, "2026-04", "WATER_CONNECTION_FEE", 100000, due_date="2026-05-15")
    raise_service_demand(db, "WATER", water, "2026-04", "WATER_CHARGE", 20000, due_date="2026-05-15")
    raise_service_demand(db, "WATER", water, "2026-05", "WATER_CHARGE", 20000, due_date="2026-06-15")
    raise_service_demand(db, "SWM", swm, "2026-04", "SWM_USER_CHARGE", 3000, due_date="2026-05-15")
    raise_service_demand(db, "SWM", swm, "2026-05", "SWM_USER_CHARGE", 3000, due_date="2026-06-15")
    raise_service_demand(db, "TRADE", licence, "2026-27", "TRADE_LICENCE_FEE", 100000, due_date="2026-06-30")
    return CombinedAccounts(property_uuid, water, swm, licence)


def bill_request(
    primary: AccountRef,
    keys: Iterable[str],
    amount_paise: int,
    *,
    property_included: bool = True,
    payment: Payment | None = None,
) -> BillCollectRequest:
    return BillCollectRequest(
        request_uuid=new_uuid(),
        primary=primary,
        choice=BillChoice(keys=frozenset(keys), property_included=property_included),
        amount_paise=amount_paise,
        payment=payment or Payment(Mode.CASH),
    )
