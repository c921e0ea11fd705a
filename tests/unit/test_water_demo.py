"""The demo seeds water connections on demo properties and raises this FY's charges so far."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.core.clock import FixedClock
from app.demand.models import ServiceDemand
from app.masters.tariffs import load_tariff_book
from app.paths import RESOURCES_DIR
from app.property.demo import generate_demo
from app.water.demo import seed_demo_water
from app.water.models import WaterConnection
from tests.factories import set_up_device


def test_demo_connections_and_dues(data_dir: Path) -> None:
    clock = FixedClock.on_ist_date(date(2026, 11, 28))
    db = set_up_device(data_dir, clock)
    generate_demo(db, 400, seed=3)
    book = load_tariff_book(RESOURCES_DIR / "tariffs")
    report = seed_demo_water(db, clock, book)
    assert report.connections == 300 and report.metered == 6
    # April-October 2026: Q1 and Q2 whole, then October alone.
    assert report.periods == ("2026-27-Q1", "2026-27-Q2", "2026-10")
    assert report.charges > 300 * 2
    with db.read() as session:
        linked = session.scalar(select(func.count()).where(WaterConnection.property_uuid.is_not(None)))
        categories = set(session.scalars(select(WaterConnection.category)))
        october = session.scalar(
            select(func.count()).where(ServiceDemand.service == "WATER", ServiceDemand.period == "2026-10")
        )
        quarterly = session.scalar(select(func.count()).where(WaterConnection.billing_cycle == "QUARTERLY"))
    assert linked == 300
    assert {"DOMESTIC", "BULK"} <= categories
    assert october == 300 - quarterly  # every monthly connection owes October
    assert seed_demo_water(db, clock, book).connections == 0  # seeded once only
    db.dispose()
