"""The water register: creating, editing, disconnecting and reconnecting connections, with their fees,
audit entries and the ops queued for the central."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.audit.service import AuditLog
from app.demand.models import ServiceDemand
from app.errors import ConflictError, PermissionDenied, ValidationError
from app.masters.tariffs import load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.replica.records import service_demand_uuid
from app.water.models import WaterConnection
from app.water.service import WaterService, WaterValidationError
from tests.factories import add_property
from tests.unit.test_water_support import BULK, DOMESTIC, WaterWorld, make_world


@pytest.fixture
def world(data_dir: Path) -> WaterWorld:
    return make_world(data_dir, date(2026, 11, 28))


def _demands(world: WaterWorld, account: str) -> list[tuple[str, str, int]]:
    with world.db.read() as session:
        rows = session.scalars(select(ServiceDemand).where(ServiceDemand.account_uuid == account)).all()
        return sorted((r.head, r.period, r.amount_paise) for r in rows)


def test_new_connection_gets_a_consumer_number_and_the_connection_fee(world: WaterWorld) -> None:
    first = world.water.create(world.supervisor, DOMESTIC)
    second = world.water.create(world.supervisor, DOMESTIC)
    other_ward = world.water.create(world.supervisor, replace(DOMESTIC, ward_no=12))
    assert (first.consumer_no, second.consumer_no, other_ward.consumer_no) == (
        "W-05-C01-00001",
        "W-05-C01-00002",
        "W-12-C01-00001",
    )
    assert first.status == "ACTIVE" and first.billing_cycle == "MONTHLY"
    assert _demands(world, first.uuid) == [("WATER_CONNECTION_FEE", "2026-27", 100_000)]
    assert world.water.get_by_consumer_no("w-05-c01-00002").uuid == second.uuid
    # Each is queued for the central with its event and its fee, in the same transaction.
    assert [op["fields"]["consumer_no"] for op in world.ops("water_connection")] == [
        "W-05-C01-00001",
        "W-05-C01-00002",
        "W-12-C01-00001",
    ]
    assert [op["fields"]["kind"] for op in world.ops("water_connection_event")] == ["CONNECTED"] * 3
    fees = world.ops("service_demand")
    assert fees[0]["uuid"] == service_demand_uuid("WATER", first.uuid, "2026-27", "WATER_CONNECTION_FEE")
    assert fees[0]["fields"]["amount_paise"] == 100_000
    with world.db.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == first.uuid)).all()
    assert actions == ["water.connected"]


def test_regularising_an_illegal_connection_raises_the_regularisation_fee(world: WaterWorld) -> None:
    view = world.water.create(world.supervisor, DOMESTIC, regularise=True)
    assert _demands(world, view.uuid) == [("WATER_REGULARISATION_FEE", "2026-27", 300_000)]
    assert world.ops("water_connection_event")[0]["fields"]["kind"] == "REGULARISED"


def test_two_counters_numbering_offline_never_give_out_the_same_consumer_number(tmp_path: Path) -> None:
    """The counter (device_no) is in the number: two PCs, each on its own database and out of touch with
    the other, give different consumer numbers in the same ward; each counter's series is its own."""
    book = load_tariff_book(RESOURCES_DIR / "tariffs")
    numbers: dict[int, list[str]] = {}
    for device_no in (1, 2):
        data_dir = tmp_path / f"pc{device_no}"
        data_dir.mkdir()
        world = make_world(data_dir, date(2026, 11, 28))
        water = WaterService(
            world.db,
            book,
            world.clock,
            AuditLog(world.clock, device_no),
            Outbox(world.clock),
            "DEMO",
            device_no=device_no,
        )
        numbers[device_no] = [water.create(world.supervisor, DOMESTIC).consumer_no for _ in range(2)]
        if device_no == 1:
            # The other counter's records on this database (as after a sync) do not move its series.
            other = WaterService(
                world.db, book, world.clock, AuditLog(world.clock, 2), Outbox(world.clock), "DEMO", device_no=2
            )
            assert other.create(world.supervisor, DOMESTIC).consumer_no == "W-05-C02-00001"
            assert water.create(world.supervisor, DOMESTIC).consumer_no == "W-05-C01-00003"
        world.db.dispose()
    assert numbers == {1: ["W-05-C01-00001", "W-05-C01-00002"], 2: ["W-05-C02-00001", "W-05-C02-00002"]}
    assert not set(numbers[1]) & set(numbers[2])


def test_metered_connection_needs_a_meter_number_and_starts_with_its_initial_reading(world: WaterWorld) -> None:
    with pytest.raises(WaterValidationError, match="meter_no: a metered connection needs its meter number"):
        world.water.create(world.supervisor, replace(BULK, meter_no=""))
    view = world.water.create(world.supervisor, BULK)
    assert view.metered and view.meter_no == "M-1001"
    assert view.last_reading is not None and view.last_reading.reading_litres == 1_000
    assert view.last_reading.reading_date == BULK.connected_on
    with pytest.raises(WaterValidationError, match="meter M-1001 is already on connection W-05-C01-00001"):
        world.water.create(world.supervisor, BULK)


def test_linked_property_must_exist(world: WaterWorld) -> None:
    add_property(world.db, "W05-000077")
    view = world.water.create(world.supervisor, replace(DOMESTIC, property_id="w05-000077"))
    assert view.property_id == "W05-000077" and view.property_uuid is not None
    with pytest.raises(WaterValidationError, match="property_id: property W05-999999 does not exist in DEMO"):
        world.water.create(world.supervisor, replace(DOMESTIC, property_id="W05-999999"))


def test_every_problem_is_reported_at_once_and_nothing_is_saved(world: WaterWorld) -> None:
    bad = replace(
        DOMESTIC,
        holder_name_en="रमेश",
        holder_name_hi="Ramesh",
        ward_no=999,
        category="HOTEL",
        pipe_size_mm=17,
        mobile="12345",
        billing_cycle="WEEKLY",
        meter_no="M-1",
        connected_on=date(2026, 12, 1),
    )
    with pytest.raises(WaterValidationError) as raised:
        world.water.create(world.supervisor, bad)
    fields = [p.field for p in raised.value.problems]
    assert fields == [
        "holder_name_en",
        "holder_name_hi",
        "mobile",
        "ward_no",
        "category",
        "pipe_size_mm",
        "billing_cycle",
        "meter_no",
        "connected_on",
    ]
    assert "ward 999 does not exist in DEMO" in str(raised.value)
    assert "01-12-2026 is in the future" in str(raised.value)
    with world.db.read() as session:
        assert session.scalars(select(WaterConnection)).all() == []
        assert session.scalars(select(ServiceDemand)).all() == []
    assert world.ops() == []


def test_a_category_the_tariff_cannot_charge_is_refused(world: WaterWorld) -> None:
    with pytest.raises(WaterValidationError, match="no flat monthly rate for BULK"):
        world.water.create(world.supervisor, replace(DOMESTIC, category="BULK"))


def test_clerk_may_not_manage_water(world: WaterWorld) -> None:
    with pytest.raises(PermissionDenied):
        world.water.create(world.clerk, DOMESTIC)


def test_edit_with_version_check_queues_the_change(world: WaterWorld) -> None:
    view = world.water.create(world.supervisor, DOMESTIC)
    edited = world.water.update(
        world.supervisor, view.uuid, replace(DOMESTIC, category="COMMERCIAL", mobile="9123456780"), view.version
    )
    assert (edited.category, edited.mobile, edited.version) == ("COMMERCIAL", "9123456780", 2)
    assert edited.consumer_no == view.consumer_no
    change = world.ops("water_connection")[-1]
    assert change["fields"]["category"] == "COMMERCIAL"
    with pytest.raises(ConflictError, match="W-05-C01-00001 was changed by someone else"):
        world.water.update(world.supervisor, view.uuid, DOMESTIC, expected_version=1)
    with world.db.read() as session:
        audit = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == view.uuid)).all()
    assert audit == ["water.connected", "water.update"]


def test_disconnect_and_reconnect(world: WaterWorld) -> None:
    view = world.water.create(world.supervisor, DOMESTIC)
    with pytest.raises(ValidationError, match="say why"):
        world.water.disconnect(world.supervisor, view.uuid, date(2026, 11, 2), "  ")
    with pytest.raises(ValidationError, match="is in the future"):
        world.water.disconnect(world.supervisor, view.uuid, date(2026, 11, 29), "arrears")
    off = world.water.disconnect(world.supervisor, view.uuid, date(2026, 11, 2), "arrears unpaid")
    assert off.status == "DISCONNECTED" and off.disconnected_on == date(2026, 11, 2)
    with pytest.raises(ValidationError, match="already disconnected"):
        world.water.disconnect(world.supervisor, view.uuid, date(2026, 11, 3), "again")
    with pytest.raises(ValidationError, match="before it was disconnected"):
        world.water.reconnect(world.supervisor, view.uuid, date(2026, 11, 1))
    on = world.water.reconnect(world.supervisor, view.uuid, date(2026, 11, 20), "paid up")
    assert on.status == "ACTIVE" and on.disconnected_on is None
    assert _demands(world, view.uuid) == [
        ("WATER_CONNECTION_FEE", "2026-27", 100_000),
        ("WATER_RECONNECTION_FEE", "2026-11", 50_000),
    ]
    kinds = [op["fields"]["kind"] for op in world.ops("water_connection_event")]
    assert kinds == ["CONNECTED", "DISCONNECTED", "RECONNECTED"]
    statuses = [op["fields"]["status"] for op in world.ops("water_connection")]
    assert statuses == ["ACTIVE", "DISCONNECTED", "ACTIVE"]
    # A second reconnection in the same month raises no second fee.
    world.water.disconnect(world.supervisor, view.uuid, date(2026, 11, 25), "leak")
    world.water.reconnect(world.supervisor, view.uuid, date(2026, 11, 27))
    assert [d for d in _demands(world, view.uuid) if d[0] == "WATER_RECONNECTION_FEE"] == [
        ("WATER_RECONNECTION_FEE", "2026-11", 50_000)
    ]


def test_cannot_disconnect_before_months_already_charged(world: WaterWorld) -> None:
    view = world.water.create(world.supervisor, replace(DOMESTIC, connected_on=date(2026, 4, 1)))
    world.water.generate_demand(world.supervisor, "2026-10")
    with pytest.raises(ValidationError, match="charges are raised up to 2026-10"):
        world.water.disconnect(world.supervisor, view.uuid, date(2026, 9, 30), "arrears")
    world.water.disconnect(world.supervisor, view.uuid, date(2026, 10, 31), "arrears")


def test_search_finds_consumer_meter_property_and_name(world: WaterWorld) -> None:
    add_property(world.db, "W05-000077")
    a = world.water.create(world.supervisor, replace(DOMESTIC, property_id="W05-000077"))
    b = world.water.create(world.supervisor, BULK)
    assert [v.uuid for v in world.water.search("W-05-C01-00002")] == [b.uuid]
    assert [v.uuid for v in world.water.search("05-C01-00001")] == [a.uuid]
    assert [v.uuid for v in world.water.search("m-1001")] == [b.uuid]
    assert [v.uuid for v in world.water.search("W05-0000")] == [a.uuid]
    assert [v.uuid for v in world.water.search("colony")] == [b.uuid]
    assert [v.uuid for v in world.water.search("रमेश")] == [a.uuid]
    assert len(world.water.search("")) == 2
