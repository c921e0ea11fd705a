"""Solid-waste user charges: categories and slabs from the tariff, payers, monthly demand."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.db import Database
from app.demand.models import ServiceDemand
from app.errors import ConflictError, PermissionDenied, ValidationError
from app.masters.tariffs import load_tariff_book
from app.outbox.models import OutboxOperation
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.replica.records import service_demand_uuid
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.security.service import UserService
from app.swm.charges import household_slab_index, monthly_charge_paise
from app.swm.dto import PayerInput
from app.swm.service import SwmService
from tests.factories import add_property, set_up_device

BOOK = load_tariff_book(RESOURCES_DIR / "tariffs")
TARIFF = BOOK.swm("DEMO", "2026-27")


@pytest.fixture
def setup(data_dir: Path, clock: FixedClock) -> tuple[Database, SwmService, Actor, Actor]:
    db = set_up_device(data_dir, clock)
    audit = AuditLog(clock, 1)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    service = SwmService(db, BOOK, audit, Outbox(clock), clock, "DEMO")
    return db, service, users.actor_for("supervisor1", 1), users.actor_for("clerk1", 1)


def household(sqft: str, **kw: object) -> PayerInput:
    data = PayerInput(name_en="Ramesh Sahu", name_hi="रमेश साहू", ward_no=5, category="HOUSEHOLD")
    return replace(data, built_up_sqft=Decimal(sqft), **kw)  # type: ignore[arg-type]


# --- the tariff: each category and every household slab edge (edges inclusive)


@pytest.mark.parametrize(
    ("sqft", "rupees"),
    [
        ("1", 20),
        ("500", 20),
        ("500.01", 30),
        ("1000", 30),
        ("1000.01", 50),
        ("2000", 50),
        ("2000.01", 80),
        ("25000", 80),
    ],
)
def test_household_slab_edges(sqft: str, rupees: int) -> None:
    assert monthly_charge_paise(TARIFF, "HOUSEHOLD", Decimal(sqft)) == rupees * 100


def test_slab_index_is_inclusive_at_the_edge() -> None:
    assert household_slab_index(TARIFF, Decimal("500")) == 0
    assert household_slab_index(TARIFF, Decimal("500.01")) == 1


@pytest.mark.parametrize(
    ("category", "rupees"),
    [
        ("SHOP", 50),
        ("EATERY", 100),
        ("HOTEL_RESTAURANT", 500),
        ("OFFICE_BANK", 500),
        ("INSTITUTION", 250),
        ("STAR_HOTEL", 5000),
        ("STREET_VENDOR", 0),
        ("BPL_SLUM", 0),
    ],
)
def test_each_category_monthly_charge(category: str, rupees: int) -> None:
    assert monthly_charge_paise(TARIFF, category, None) == rupees * 100


def test_household_without_area_and_unknown_category_are_refused() -> None:
    with pytest.raises(ValidationError, match="built_up_sqft"):
        monthly_charge_paise(TARIFF, "HOUSEHOLD", None)
    with pytest.raises(ValidationError, match="'CINEMA' is not an SWM category of DEMO for FY 2026-27"):
        monthly_charge_paise(TARIFF, "CINEMA", None)


# --- payers


def test_register_gives_ward_wise_payer_ids_audit_and_outbox(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    db, swm, sup, _ = setup
    first = swm.register(sup, household("800", start_month="2026-04"))
    second = swm.register(sup, household("450"))
    other_ward = swm.register(sup, household("450", ward_no=12))
    assert (first.payer_id, second.payer_id, other_ward.payer_id) == (
        "UC-05-C01-00001",
        "UC-05-C01-00002",
        "UC-12-C01-00001",
    )
    assert first.monthly_paise == 3000 and second.monthly_paise == 2000
    assert second.start_month == "2026-06"  # default: this month (clock: 15 June 2026)
    with db.read() as session:
        ops = list(
            session.scalars(
                select(OutboxOperation.payload_json)
                .where(OutboxOperation.kind == "record.upserted")
                .order_by(OutboxOperation.device_seq)
            )
        )
    payloads = [json.loads(op) for op in ops]
    assert [p["entity"] for p in payloads] == ["swm_payer"] * 3
    assert payloads[0]["fields"]["payer_id"] == "UC-05-C01-00001"
    assert payloads[0]["fields"]["built_up_sqft"] == "800"


def test_two_counters_numbering_offline_never_give_out_the_same_payer_id(tmp_path: Path, clock: FixedClock) -> None:
    """The counter (device_no) is in the payer ID: two PCs, each on its own database and out of touch
    with the other, give different IDs in the same ward; each counter's series is its own."""
    ids: dict[int, list[str]] = {}
    for device_no in (1, 2):
        data_dir = tmp_path / f"pc{device_no}"
        data_dir.mkdir()
        db = set_up_device(data_dir, clock)
        audit = AuditLog(clock, device_no)
        sup = UserService(db, audit, clock, hasher=fast_hasher()).actor_for("supervisor1", device_no)
        swm = SwmService(db, BOOK, audit, Outbox(clock), clock, "DEMO", device_no=device_no)
        ids[device_no] = [swm.register(sup, household("450")).payer_id for _ in range(2)]
        if device_no == 1:
            # The other counter's payers on this database (as after a sync) do not move its series.
            other = SwmService(db, BOOK, AuditLog(clock, 2), Outbox(clock), clock, "DEMO", device_no=2)
            assert other.register(sup, household("450")).payer_id == "UC-05-C02-00001"
            assert swm.register(sup, household("450")).payer_id == "UC-05-C01-00003"
        db.dispose()
    assert ids == {1: ["UC-05-C01-00001", "UC-05-C01-00002"], 2: ["UC-05-C02-00001", "UC-05-C02-00002"]}
    assert not set(ids[1]) & set(ids[2])


def test_tenant_shop_is_its_own_payer_and_billed_with_property_needs_a_link(
    setup: tuple[Database, SwmService, Actor, Actor],
) -> None:
    db, swm, sup, _ = setup
    prop = add_property(db)
    shop = swm.register(sup, PayerInput(name_en="Gupta Kirana", ward_no=1, category="SHOP", property_uuid=prop))
    assert shop.billed_with_property is False and shop.property_id == "W01-000001"
    home = swm.register(sup, household("900", ward_no=1, property_uuid=prop, billed_with_property=True))
    assert home.billed_with_property is True
    assert [p.payer_id for p in swm.payers_of_property(prop)] == [shop.payer_id, home.payer_id]
    with pytest.raises(ValidationError, match="billed_with_property: only a payer linked to a property"):
        swm.register(sup, household("900", billed_with_property=True))


def test_bad_input_names_every_field_and_saves_nothing(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    _, swm, sup, _ = setup
    bad = PayerInput(name_en="", ward_no=99, category="HOUSEHOLD", mobile="12345", start_month="2026-13")
    with pytest.raises(ValidationError) as error:
        swm.register(sup, bad)
    message = str(error.value)
    for part in ("name:", "ward_no: ward 99 does not exist in DEMO", "mobile:", "start_month: '2026-13'"):
        assert part in message
    assert swm.search() == []


def test_clerk_may_not_register(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    _, swm, _, clerk = setup
    with pytest.raises(PermissionDenied):
        swm.register(clerk, household("800"))


def test_edit_checks_the_version_and_close_stops_the_months_after_closing(
    setup: tuple[Database, SwmService, Actor, Actor],
) -> None:
    _, swm, sup, _ = setup
    payer = swm.register(sup, household("800", start_month="2026-04"))
    edited = swm.update(sup, payer.uuid, replace(payer.as_input(), built_up_sqft=Decimal("1500")), payer.version)
    assert edited.version == 2 and edited.monthly_paise == 5000
    with pytest.raises(ConflictError, match="changed by someone else"):
        swm.update(sup, payer.uuid, payer.as_input(), payer.version)
    closed = swm.close(sup, payer.uuid, edited.version)  # on 15 June 2026
    assert closed.status == "CLOSED"
    assert swm.generate_month(sup, "2026-07").raised == 0  # nothing after the month of closing
    # May's and June's runs made after the closing still charge it: it was a payer then.
    assert swm.generate_month(sup, "2026-05").raised == 1
    assert swm.generate_month(sup, "2026-06").raised == 1
    assert swm.search("UC-05")[0].status == "CLOSED"  # still on record


def test_search_by_id_name_hindi_mobile_and_property(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    db, swm, sup, _ = setup
    prop = add_property(db, "W01-000777")
    swm.register(sup, household("800", mobile="9123456789"))
    swm.register(
        sup, PayerInput(name_en="Gupta Kirana", name_hi="गुप्ता किराना", ward_no=1, category="SHOP", property_uuid=prop)
    )
    assert [p.name_en for p in swm.search("gupta")] == ["Gupta Kirana"]
    assert [p.name_en for p in swm.search("किराना")] == ["Gupta Kirana"]
    assert [p.name_en for p in swm.search("912345")] == ["Ramesh Sahu"]
    assert [p.name_en for p in swm.search("w01-000777")] == ["Gupta Kirana"]
    assert [p.payer_id for p in swm.search("uc-01")] == ["UC-01-C01-00001"]


# --- monthly demand


def _demands(db: Database) -> list[tuple[str, str, str, int, str, int]]:
    with db.read() as session:
        rows = session.scalars(select(ServiceDemand).order_by(ServiceDemand.period, ServiceDemand.amount_paise))
        return [(d.service, d.period, d.fy, d.amount_paise, d.due_date, d.ward_no) for d in rows]


def test_generation_start_month_exempt_closed_and_idempotent(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    db, swm, sup, _ = setup
    swm.register(sup, household("800", start_month="2026-04"))  # ₹30 from April
    swm.register(sup, household("2500", start_month="2026-11"))  # ₹80 from November
    swm.register(sup, PayerInput(name_en="Raju Thela", ward_no=5, category="STREET_VENDOR", start_month="2026-04"))
    shop = swm.register(sup, PayerInput(name_en="Gupta Kirana", ward_no=7, category="SHOP", start_month="2026-04"))
    swm.close(sup, shop.uuid, shop.version)

    october = swm.generate_month(sup, "2026-10")
    assert (october.raised, october.amount_paise, october.exempt, october.already) == (1, 3000, 1, 0)
    november = swm.generate_month(sup, "2026-11")
    assert (november.raised, november.amount_paise, november.exempt) == (2, 11000, 1)
    again = swm.generate_month(sup, "2026-11")
    assert (again.raised, again.already) == (0, 2)
    # Due 15 days (the tariff's due_days) after the month ends; whole rupees; the payer's ward.
    assert _demands(db) == [
        ("SWM", "2026-10", "2026-27", 3000, "2026-11-15", 5),
        ("SWM", "2026-11", "2026-27", 3000, "2026-12-15", 5),
        ("SWM", "2026-11", "2026-27", 8000, "2026-12-15", 5),
    ]
    with db.read() as session:
        payloads = [
            json.loads(op)
            for op in session.scalars(
                select(OutboxOperation.payload_json)
                .where(OutboxOperation.kind == "record.upserted")
                .order_by(OutboxOperation.device_seq)
            )
        ]
    demand_ops = [p for p in payloads if p["entity"] == "service_demand"]
    assert len(demand_ops) == 3  # one per demand, none for the re-run
    first = demand_ops[0]
    assert first["uuid"] == service_demand_uuid("SWM", first["fields"]["account_uuid"], "2026-10", "SWM_USER_CHARGE")
    assert first["fields"]["amount_paise"] == 3000 and first["fields"]["head"] == "SWM_USER_CHARGE"


def test_generation_for_a_year_without_tariff_names_the_ulb_and_fy(
    setup: tuple[Database, SwmService, Actor, Actor],
) -> None:
    _, swm, sup, _ = setup
    swm.register(sup, household("800", start_month="2026-04"))
    with pytest.raises(ValidationError, match="no solid-waste user-charge tariff for ULB DEMO, FY 2028-29"):
        swm.generate_month(sup, "2028-05")
    with pytest.raises(ValidationError, match="month: '2026-1' is not a month"):
        swm.generate_month(sup, "2026-1")


def test_march_belongs_to_the_earlier_financial_year(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    db, swm, sup, _ = setup
    swm.register(sup, household("300", start_month="2026-03"))
    swm.generate_month(sup, "2026-03")
    assert _demands(db) == [("SWM", "2026-03", "2025-26", 2000, "2026-04-15", 5)]


def test_generation_is_one_audited_act(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    db, swm, sup, _ = setup
    swm.register(sup, household("800", start_month="2026-04"))
    swm.generate_month(sup, "2026-06")
    from app.audit.models import AuditEntry

    with db.read() as session:
        entries = list(session.scalars(select(AuditEntry.after_json).where(AuditEntry.action == "swm.demand.generate")))
    assert len(entries) == 1
    assert json.loads(entries[0])["raised"] == 1


def test_today_used_for_default_start(setup: tuple[Database, SwmService, Actor, Actor]) -> None:
    _, swm, _, _ = setup
    assert swm.today() == date(2026, 6, 15)
