"""What a connection owes after the counter took money: the water register's charges show what receipts
not cancelled paid against each charge, and a cancellation puts it back. Real composition root."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.demand.dto import Service
from app.water.dto import ConnectionInput
from tests.factories import bill_request, set_up_device

TODAY = date(2026, 12, 5)


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    clock = FixedClock.on_ist_date(TODAY)
    set_up_device(data_dir, clock).dispose()
    built = build_services(data_dir, clock=clock)
    yield built
    built.close()


def test_charges_show_paid_and_due(services: Services) -> None:
    device = services.device.device_no
    supervisor = services.users.actor_for("supervisor1", device)
    clerk = services.users.actor_for("clerk1", device)
    water = services.water
    uuid = water.create(
        supervisor, ConnectionInput("Ramesh Sahu", ward_no=2, category="DOMESTIC", connected_on=date(2026, 8, 20))
    ).uuid
    water.generate_demand(supervisor, "2026-27-Q3")  # October to December (a month begun may be raised)
    charges = {(c.period, c.head): c for c in water.charges(uuid)}
    assert sorted(charges) == [
        ("2026-10", "WATER_CHARGE"),
        ("2026-11", "WATER_CHARGE"),
        ("2026-12", "WATER_CHARGE"),
        ("2026-27", "WATER_CONNECTION_FEE"),
    ]
    assert all(c.paid_paise == 0 for c in charges.values())

    # The clerk takes the connection fee and October at the counter, on one receipt.
    services.collections.open_session(clerk, 0)
    bill = services.billing.bill_for(services.billing.account_ref(Service.WATER, uuid), TODAY)
    chosen = {
        line.key
        for section in bill.sections
        for line in section.lines
        if (line.period, line.head.value) in {("2026-27", "WATER_CONNECTION_FEE"), ("2026-10", "WATER_CHARGE")}
    }
    assert len(chosen) == 2
    request = bill_request(bill.primary, chosen, 120_000, property_included=False)
    receipt = services.collections.collect_bill(clerk, request)
    after = {(c.period, c.head): c for c in water.charges(uuid)}
    assert after[("2026-27", "WATER_CONNECTION_FEE")].due_paise == 0
    assert after[("2026-10", "WATER_CHARGE")].paid_paise == 20_000
    assert after[("2026-11", "WATER_CHARGE")].due_paise == 20_000

    # A supervisor cancels the receipt: the charges are owed again.
    services.collections.cancel(clerk, supervisor, receipt.uuid, "Wrong connection")
    assert all(c.paid_paise == 0 for c in water.charges(uuid))
