"""The demo's user-charge payers: households billed with their property, tenant shops of their own,
exempt street vendors, and this FY's charges so far raised (and not raised twice)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.core.clock import FixedClock
from app.demand.models import ServiceDemand
from app.masters.tariffs import load_tariff_book
from app.paths import RESOURCES_DIR
from app.property.demo import generate_demo
from app.swm.demo import months_to_bill, seed_demo_swm
from app.swm.models import SwmPayer
from tests.factories import set_up_device


def test_demo_payers_and_charges(data_dir: Path) -> None:
    clock = FixedClock.on_ist_date(date(2026, 11, 28))
    db = set_up_device(data_dir, clock)
    generate_demo(db, 700)
    book = load_tariff_book(RESOURCES_DIR / "tariffs")
    report = seed_demo_swm(db, clock, book)
    assert report.months == ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10")
    assert report.payers == report.households + report.own_payers + report.exempt
    assert 450 <= report.payers <= 500 and report.exempt == 20
    with db.read() as session:
        billed = session.scalar(select(func.count()).where(SwmPayer.billed_with_property.is_(True)))
        own = session.scalar(
            select(func.count()).where(SwmPayer.billed_with_property.is_(False), SwmPayer.property_uuid.is_not(None))
        )
        vendors = session.scalar(select(func.count()).where(SwmPayer.category == "STREET_VENDOR"))
        demands = session.scalar(select(func.count()).select_from(ServiceDemand).where(ServiceDemand.service == "SWM"))
        ids = list(session.scalars(select(SwmPayer.payer_id)))
    assert billed == report.households and own == report.own_payers and vendors == 20
    assert demands == report.charges == 7 * (report.payers - 20)  # vendors exempt, everyone from April
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"UC-\d{2}-C01-\d{5}", i) for i in ids)
    assert seed_demo_swm(db, clock, book).payers == 0  # seeded once
    db.dispose()


def test_months_to_bill_at_the_start_of_a_year() -> None:
    assert months_to_bill(date(2026, 4, 10)) == []
    assert months_to_bill(date(2027, 1, 5))[-1] == "2026-12"
