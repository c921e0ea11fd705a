"""The water register: creating, editing, disconnecting and reconnecting connections, with their fees,
audit entries and the ops queued for the central."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.demand.models import ServiceDemand
from app.errors import ConflictError, PermissionDenied, ValidationError
from app.replica.records import service_demand_uuid
from app.water.models import WaterConnection
from app.water.service import WaterValidationError
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
        "W-05-000001",
        "W-05-000002",
        "W-12-000001",
    )
    assert first.status == "ACTIVE" and first.billing_cycle == "MONTHLY"
    assert _demands(world, first.uuid) == [("WATER_CONNECTION_FEE", "2026-27", 100_000)]
    assert world.water.get_by_consumer_no("w-05-000002").uuid == second.uuid
    # Each is queued for the central with its event and its fee, in the same transaction.
    assert [op["fields"]["consumer_no"] for op in world.ops("water_connection")] == [
        "W-05-000001",
        "W-05-000002",
        "W-12-000001",
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


def test_metered_connection_needs_a_meter_number_and_starts_with_its_initial_reading(world: WaterWorld) -> None:
    with pytest.raises(WaterValidationError, match="meter_no: a metered connection needs its meter number"):
        world.water.create(world.supervisor, replace(BULK, meter_no=""))
    view = world.water.create(world.supervisor, BULK)
    assert view.metered and view.meter_no == "M-1001"
    assert view.last_reading is not None and view.last_reading.reading_litres == 1_000
    assert view.last_reading.reading_date == BULK.connected_on
    with pytest.raises(WaterValidationError, match="meter M-1001 is already on connection W-05-000001"):
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
    with pytest.raises(ConflictError, match="W-05-000001 was changed by someone else"):
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
    assert [v.uuid for v in world.water.search("W-05-000002")] == [b.uuid]
    assert [v.uuid for v in world.water.search("05-000001")] == [a.uuid]
    assert [v.uuid for v in world.water.search("m-1001")] == [b.uuid]
    assert [v.uuid for v in world.water.search("W05-0000")] == [a.uuid]
    assert [v.uuid for v in world.water.search("colony")] == [b.uuid]
    assert [v.uuid for v in world.water.search("रमेश")] == [a.uuid]
    assert len(world.water.search("")) == 2
