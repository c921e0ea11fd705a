"""Water dues paid at one counter cannot be collected again at another (real devices, real central:
uvicorn + PostgreSQL on loopback).

Counter A registers a water connection on a property and raises its charges; both reach counter B
through the central. A collects the water charges on one receipt; once A has pushed and B has pulled,
B's bill shows nothing due on the connection, and B's clerk — whose screen still shows the old bill —
is refused. When A's supervisor cancels that receipt, the dues are back on B's bill."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.billing.dto import Bill
from app.collections.models import Receipt
from app.demand.dto import Head, Service
from app.errors import ValidationError
from app.replica.models import RemotePayment, RemotePaymentLine
from app.water.dto import ConnectionInput
from tests.central.server import CentralServer
from tests.factories import bill_request
from tests.sync.conftest import Device, central_query
from tests.sync.test_records_sync import two_counters


def water_bill(device: Device, connection: str) -> Bill:
    billing = device.services.billing
    return billing.bill_for(billing.account_ref(Service.WATER, connection))


def water_dues(bill: Bill) -> dict[tuple[str, Head], int]:
    return {
        (line.period, line.head): line.due_paise
        for section in bill.sections
        if section.service == Service.WATER
        for line in section.lines
    }


def open_counter(device: Device, username: str = "clerk1") -> None:
    clerk = device.actor(username)
    if device.services.collections.current_session(clerk) is None:
        device.services.collections.open_session(clerk, 0)


def test_water_charges_paid_at_counter_a_are_not_due_at_counter_b(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a, b, prop = two_counters(tmp_path, central_server, devices)
    today = a.services.clock.now_utc().date()
    month = today.strftime("%Y-%m")
    # Charged from the month after connection: connected last month, this month's charge is due.
    last_month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)

    # A: a domestic connection on the property (its connection fee) and this month's charge.
    supervisor = a.actor("supervisor1")
    connection = a.services.water.create(
        supervisor,
        ConnectionInput(
            holder_name_en="Ramesh Sahu",
            holder_name_hi="रमेश साहू",
            ward_no=1,
            category="DOMESTIC",
            connected_on=last_month_start,
            property_id="W01-000001",
        ),
    ).uuid
    a.services.water.generate_demand(supervisor, month)
    assert a.sync.run_cycle().quarantined == 0
    b.sync.run_cycle()

    due_at_a = water_dues(water_bill(a, connection))
    assert (month, Head.WATER_CHARGE) in due_at_a and sum(due_at_a.values()) > 0
    stale_bill_at_b = water_bill(b, connection)
    assert water_dues(stale_bill_at_b) == due_at_a, "B has the same connection and charges as A"

    # A collects every water line on one receipt, and pushes it.
    open_counter(a)
    bill_at_a = water_bill(a, connection)
    keys = {line.key for section in bill_at_a.sections for line in section.lines}
    receipt = a.services.collections.collect_bill(
        a.actor("clerk1"), bill_request(bill_at_a.primary, keys, bill_at_a.payable_paise, property_included=False)
    )
    assert water_dues(water_bill(a, connection)) == {}
    assert a.sync.run_cycle().quarantined == 0
    held = central_query(
        central_server,
        "SELECT property_uuid FROM receipt WHERE uuid = :u",
        u=receipt.uuid,
    )
    assert [row.property_uuid for row in held] == [None], "a water-only receipt has no property at the central"

    # B pulls it: nothing is due on the connection, on its own bill or on the property's.
    b.sync.run_cycle()
    with b.services.db.read() as session:
        stored = session.get(RemotePayment, receipt.uuid)
        assert stored is not None and stored.property_uuid is None and stored.amount_paise == receipt.amount_paise
        lines = session.execute(
            select(RemotePaymentLine.service, RemotePaymentLine.account, RemotePaymentLine.amount_paise).where(
                RemotePaymentLine.payment_uuid == receipt.uuid
            )
        ).all()
    assert {(service, account) for service, account, _ in lines} == {("WATER", connection)}
    assert sum(amount for _, _, amount in lines) == sum(due_at_a.values())

    assert water_dues(water_bill(b, connection)) == {}
    assert water_bill(b, connection).payable_paise == 0
    property_bill = b.services.billing.bill_for(b.services.billing.account_ref(Service.PROPERTY, prop))
    assert water_dues(property_bill) == {}
    hits = b.services.billing.account_search(water_bill(b, connection).primary.number)
    assert [hit.due_paise for hit in hits] == [0]

    # B's clerk still has the bill from before the pull on screen: the receipt is refused, nothing saved.
    open_counter(b)
    with pytest.raises(ValidationError, match="no longer due on this bill"):
        b.services.collections.collect_bill(
            b.actor("clerk1"),
            bill_request(stale_bill_at_b.primary, keys, stale_bill_at_b.payable_paise, property_included=False),
        )
    with b.services.db.read() as session:
        assert session.execute(select(Receipt.uuid)).scalars().all() == [], "B made no receipt"

    # A's supervisor cancels the receipt: once B has pulled that, the water dues are back at B.
    a.services.collections.cancel(a.actor("clerk1"), supervisor, receipt.uuid, "collected on the wrong connection")
    a.sync.run_cycle()
    b.sync.run_cycle()
    assert water_dues(water_bill(b, connection)) == due_at_a
