"""Meter readings: a lower reading needs a reason; replaced and rolled-over meters; dates; unmetered."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.errors import ValidationError
from app.water.service import METER_ROLLOVER_LITRES
from tests.unit.test_water_support import BULK, DOMESTIC, WaterWorld, make_world


@pytest.fixture
def world(data_dir: Path) -> WaterWorld:
    return make_world(data_dir, date(2026, 11, 28))


@pytest.fixture
def meter(world: WaterWorld) -> str:
    # Initial reading 1,000 L on 10-04-2026; then 41,000 L at the end of October.
    uuid = world.water.create(world.supervisor, BULK).uuid
    world.water.record_reading(world.supervisor, uuid, date(2026, 10, 31), 41_000)
    return uuid


def test_consumption_is_the_difference(world: WaterWorld, meter: str) -> None:
    reading = world.water.record_reading(world.supervisor, meter, date(2026, 11, 27), 75_500)
    assert reading.consumption_litres == 34_500
    assert [r.reading_litres for r in world.water.readings(meter)] == [75_500, 41_000, 1_000]
    assert world.water.readings(meter)[1].consumption_litres == 40_000
    assert world.water.get(meter).last_reading is not None
    assert world.water.get(meter).last_reading.reading_litres == 75_500  # type: ignore[union-attr]
    assert [op["fields"]["reading_litres"] for op in world.ops("meter_reading")] == [1_000, 41_000, 75_500]


def test_lower_reading_refused_without_a_reason(world: WaterWorld, meter: str) -> None:
    with pytest.raises(ValidationError) as raised:
        world.water.record_reading(world.supervisor, meter, date(2026, 11, 27), 40_000)
    message = str(raised.value)
    assert "W-05-C01-00001" in message and "40,000 L is below the last reading 41,000 L of 31-10-2026" in message
    assert [r.reading_litres for r in world.water.readings(meter)] == [41_000, 1_000]


def test_replaced_meter_starts_from_zero(world: WaterWorld, meter: str) -> None:
    reading = world.water.record_reading(
        world.supervisor, meter, date(2026, 11, 27), 2_300, reason="METER_REPLACED", note="old meter burnt"
    )
    assert (reading.consumption_litres, reading.reason, reading.note) == (2_300, "METER_REPLACED", "old meter burnt")


def test_rolled_over_meter_counts_through_zero(world: WaterWorld) -> None:
    uuid = world.water.create(
        world.supervisor, replace(BULK, initial_reading_litres=METER_ROLLOVER_LITRES - 5_000)
    ).uuid
    reading = world.water.record_reading(world.supervisor, uuid, date(2026, 11, 27), 7_000, reason="ROLLED_OVER")
    assert reading.consumption_litres == 12_000  # 5,000 L to the top, then 7,000 L from zero
    with pytest.raises(ValidationError, match="not below the last reading"):
        world.water.record_reading(world.supervisor, uuid, date(2026, 11, 28), 9_000, reason="ROLLED_OVER")


def test_dates_must_move_forward_and_not_into_the_future(world: WaterWorld, meter: str) -> None:
    with pytest.raises(ValidationError, match="29-11-2026 is in the future"):
        world.water.record_reading(world.supervisor, meter, date(2026, 11, 29), 50_000)
    with pytest.raises(ValidationError, match=r"must be after the last reading \(31-10-2026, 41,000 L\)"):
        world.water.record_reading(world.supervisor, meter, date(2026, 10, 31), 50_000)
    with pytest.raises(ValidationError, match="must be after the last reading"):
        world.water.record_reading(world.supervisor, meter, date(2026, 10, 1), 50_000)


def test_only_metered_active_connections_take_readings(world: WaterWorld, meter: str) -> None:
    flat = world.water.create(world.supervisor, DOMESTIC).uuid
    with pytest.raises(ValidationError, match="W-05-C01-00002 is not metered"):
        world.water.record_reading(world.supervisor, flat, date(2026, 11, 27), 10)
    world.water.disconnect(world.supervisor, meter, date(2026, 11, 5), "meter tampered")
    with pytest.raises(ValidationError, match="W-05-C01-00001 is disconnected"):
        world.water.record_reading(world.supervisor, meter, date(2026, 11, 27), 50_000)


def test_unknown_reason_and_impossible_reading(world: WaterWorld, meter: str) -> None:
    with pytest.raises(ValidationError, match="reason 'BROKEN' is not known"):
        world.water.record_reading(world.supervisor, meter, date(2026, 11, 27), 10, reason="BROKEN")
    with pytest.raises(ValidationError, match="is not on the meter"):
        world.water.record_reading(world.supervisor, meter, date(2026, 11, 27), METER_ROLLOVER_LITRES)
