"""Monthly and quarterly water demand: flat and metered, mid-month connections, disconnections,
idempotent re-runs, whole rupees, missing rates, and the ops queued for the central."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.audit.service import AuditLog
from app.demand.models import ServiceDemand
from app.errors import PermissionDenied, ValidationError
from app.masters.tariffs import TariffBook, load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.replica.records import service_demand_uuid
from app.water.service import WaterService
from tests.unit.test_water_support import BULK, DOMESTIC, WaterWorld, make_world


@pytest.fixture
def world(data_dir: Path) -> WaterWorld:
    return make_world(data_dir, date(2026, 12, 20))


@dataclass(frozen=True)
class Charge:
    amount_paise: int
    fy: str
    due_date: str
    ward_no: int
    detail: str


def _charges(world: WaterWorld) -> dict[tuple[str, str], Charge]:
    with world.db.read() as session:
        rows = session.scalars(select(ServiceDemand).where(ServiceDemand.head == "WATER_CHARGE")).all()
        return {(r.account_uuid, r.period): Charge(r.amount_paise, r.fy, r.due_date, r.ward_no, r.detail) for r in rows}


def test_monthly_flat_charges_by_category(world: WaterWorld) -> None:
    home = world.water.create(world.supervisor, DOMESTIC).uuid
    shop = world.water.create(world.supervisor, replace(DOMESTIC, category="COMMERCIAL")).uuid
    mill = world.water.create(world.supervisor, replace(DOMESTIC, category="INDUSTRIAL")).uuid
    result = world.water.generate_demand(world.supervisor, "2026-11")
    assert (result.raised, result.already_raised, result.total_paise) == (3, 0, 220_000)
    charges = _charges(world)
    assert charges[(home, "2026-11")].amount_paise == 20_000
    assert charges[(shop, "2026-11")].amount_paise == 100_000
    assert charges[(mill, "2026-11")].amount_paise == 100_000
    row = charges[(home, "2026-11")]
    assert (row.fy, row.due_date, row.ward_no) == ("2026-27", "2026-12-15", 5)  # November + 15 days
    assert row.detail == "flat domestic ₹200/month"


def test_re_running_raises_nothing_twice_and_queues_each_charge_once(world: WaterWorld) -> None:
    home = world.water.create(world.supervisor, DOMESTIC).uuid
    world.water.generate_demand(world.supervisor, "2026-11")
    world.water.create(world.supervisor, replace(DOMESTIC, connected_on=date(2026, 9, 1)))
    again = world.water.generate_demand(world.supervisor, "2026-11")
    assert (again.raised, again.already_raised) == (1, 1)
    assert len(_charges(world)) == 2
    ops = [op for op in world.ops("service_demand") if op["fields"]["head"] == "WATER_CHARGE"]
    assert len(ops) == 2
    assert ops[0]["uuid"] == service_demand_uuid("WATER", home, "2026-11", "WATER_CHARGE")
    assert ops[0]["fields"] == {
        "service": "WATER",
        "account_uuid": home,
        "period": "2026-11",
        "fy": "2026-27",
        "head": "WATER_CHARGE",
        "amount_paise": 20_000,
        "due_date": "2026-12-15",
        "ward_no": 5,
        "detail": "flat domestic ₹200/month",
    }
    with world.db.read() as session:
        runs = session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "water.demand_generated")).all()
    assert runs == ["2026-11", "2026-11"]


def test_no_charge_until_the_month_after_connection(world: WaterWorld) -> None:
    mid_november = world.water.create(world.supervisor, replace(DOMESTIC, connected_on=date(2026, 11, 14))).uuid
    first_of_month = world.water.create(world.supervisor, replace(DOMESTIC, connected_on=date(2026, 11, 1))).uuid
    result = world.water.generate_demand(world.supervisor, "2026-11")
    assert (result.raised, result.not_chargeable) == (0, 2)
    world.water.generate_demand(world.supervisor, "2026-12")
    charges = _charges(world)
    assert charges[(mid_november, "2026-12")].amount_paise == 20_000
    assert charges[(first_of_month, "2026-12")].amount_paise == 20_000


def test_disconnected_connection_is_charged_up_to_its_month_only(world: WaterWorld) -> None:
    uuid = world.water.create(world.supervisor, DOMESTIC).uuid
    world.water.disconnect(world.supervisor, uuid, date(2026, 11, 10), "arrears")
    world.water.generate_demand(world.supervisor, "2026-11")
    result = world.water.generate_demand(world.supervisor, "2026-12")
    assert (result.raised, result.not_chargeable) == (0, 1)
    assert list(_charges(world)) == [(uuid, "2026-11")]


def test_quarterly_connections_pay_three_months_once_a_quarter(data_dir: Path) -> None:
    world = make_world(data_dir, date(2027, 1, 5))
    quarterly = world.water.create(world.supervisor, replace(DOMESTIC, billing_cycle="QUARTERLY")).uuid
    late = world.water.create(
        world.supervisor, replace(DOMESTIC, billing_cycle="QUARTERLY", connected_on=date(2026, 10, 20))
    ).uuid
    monthly = world.water.create(world.supervisor, DOMESTIC).uuid
    # A month's run leaves quarterly connections alone.
    assert world.water.generate_demand(world.supervisor, "2026-10").raised == 1
    result = world.water.generate_demand(world.supervisor, "2026-27-Q3")
    assert (result.raised, result.already_raised) == (4, 1)  # 2 quarters + November and December
    charges = _charges(world)
    assert charges[(quarterly, "2026-27-Q3")].amount_paise == 60_000
    assert charges[(quarterly, "2026-27-Q3")].due_date == "2027-01-15"
    assert charges[(late, "2026-27-Q3")].amount_paise == 40_000  # November and December only
    assert "(2 of 3 months)" in charges[(late, "2026-27-Q3")].detail
    assert {p for (a, p) in charges if a == monthly} == {"2026-10", "2026-11", "2026-12"}


def test_metered_bulk_by_consumption_with_monthly_minimum(world: WaterWorld) -> None:
    big = world.water.create(world.supervisor, BULK).uuid  # starts at 1,000 L
    small = world.water.create(world.supervisor, replace(BULK, meter_no="M-2002")).uuid
    idle = world.water.create(world.supervisor, replace(BULK, meter_no="M-3003")).uuid
    world.water.record_reading(world.supervisor, big, date(2026, 10, 31), 11_000)  # October
    world.water.record_reading(world.supervisor, big, date(2026, 11, 30), 111_000)  # November: 100 kL
    world.water.record_reading(world.supervisor, small, date(2026, 11, 30), 21_000)  # 20 kL: ₹300 < ₹500
    world.water.generate_demand(world.supervisor, "2026-11")
    charges = _charges(world)
    assert charges[(big, "2026-11")].amount_paise == 150_000
    assert charges[(big, "2026-11")].detail == "1,00,000 L @ ₹15/kL = ₹1,500"
    assert charges[(small, "2026-11")].amount_paise == 50_000
    assert "minimum ₹500/month" in charges[(small, "2026-11")].detail
    assert charges[(idle, "2026-11")].amount_paise == 50_000


def test_missing_tariff_or_rate_writes_nothing(world: WaterWorld) -> None:
    world.water.create(world.supervisor, DOMESTIC)
    with pytest.raises(ValidationError, match="no water tariff for ULB DEMO, FY 2024-25"):
        world.water.generate_demand(world.supervisor, "2024-11")
    # A tariff that lost its DOMESTIC row: the run names the category and a consumer number.
    book = load_tariff_book(RESOURCES_DIR / "tariffs")
    tariff = book.water("DEMO", "2026-27")
    trimmed = tariff.model_copy(update={"flat_monthly": {"COMMERCIAL": tariff.flat_monthly["COMMERCIAL"]}})
    versions = {**book.service_versions, ("water", "DEMO", "2026-27"): (trimmed,)}
    water = WaterService(
        world.db,
        TariffBook(book.property_tax_versions, versions),
        world.clock,
        AuditLog(world.clock, 1),
        Outbox(world.clock),
        "DEMO",
    )
    with pytest.raises(
        ValidationError, match=r"no flat monthly rate for DOMESTIC .*1 connections, e.g. W-05-C01-00001"
    ):
        water.generate_demand(world.supervisor, "2026-11")
    assert _charges(world) == {}


def test_future_period_and_permissions(world: WaterWorld) -> None:
    with pytest.raises(ValidationError, match="2027-01 has not begun"):
        world.water.generate_demand(world.supervisor, "2027-01")
    with pytest.raises(PermissionDenied):
        world.water.generate_demand(world.clerk, "2026-11")
    assert world.water.generate_demand(world.commissioner, "2026-11").raised == 0  # GENERATE_DEMAND
    assert world.water.generate_demand(world.admin, "2026-11").raised == 0


def test_a_quarter_run_early_in_the_quarter_leaves_months_not_begun(data_dir: Path) -> None:
    world = make_world(data_dir, date(2027, 1, 20))
    quarterly = world.water.create(world.supervisor, replace(DOMESTIC, billing_cycle="QUARTERLY")).uuid
    monthly = world.water.create(world.supervisor, DOMESTIC).uuid
    result = world.water.generate_demand(world.supervisor, "2026-27-Q4")
    assert result.raised == 2
    assert sorted(_charges(world)) == sorted([(quarterly, "2026-27-Q4"), (monthly, "2027-01")])
    assert _charges(world)[(quarterly, "2026-27-Q4")].due_date == "2027-04-15"  # 31 March + 15 days


def test_bulk_ops_are_exactly_what_queue_record_writes(world: WaterWorld) -> None:
    from app.outbox.models import OutboxOperation
    from app.replica.records import queue_record

    uuid = world.water.create(world.supervisor, DOMESTIC).uuid
    world.water.generate_demand(world.supervisor, "2026-11")
    with world.db.read() as session:
        bulk = session.scalars(select(OutboxOperation).order_by(OutboxOperation.device_seq.desc()).limit(1)).one()
        bulk_values = (bulk.kind, bulk.entity_uuid, bulk.payload_json, bulk.payload_sha256, bulk.lane, bulk.state)
        bulk_at = bulk.created_at
    fields = world.ops("service_demand")[-1]["fields"]
    demand_uuid = service_demand_uuid("WATER", uuid, "2026-11", "WATER_CHARGE")
    with world.db.write() as session:
        queue_record(session, Outbox(world.clock), "service_demand", demand_uuid, fields)
        session.flush()
        one = session.scalars(select(OutboxOperation).order_by(OutboxOperation.device_seq.desc()).limit(1)).one()
        one_values = (one.kind, one.entity_uuid, one.payload_json, one.payload_sha256, one.lane, one.state)
        session.rollback()
    assert bulk_values == one_values
    assert bulk_at == world.clock.now_utc()  # stored and read back as the same aware UTC moment
