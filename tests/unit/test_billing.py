"""The combined bill and how a payment is spread over it: property tax first under its own rules,
then water, user charges and licence fees in their tariff's order; account search at the counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.audit.service import AuditLog
from app.billing.allocation import allocate_bill, chosen_total
from app.billing.dto import AccountRef, Bill, BillChoice
from app.billing.service import BillingService, number_variants
from app.core.clock import FixedClock
from app.db import Database
from app.demand.dto import Head, Service
from app.demand.service import DuesService
from app.errors import ValidationError
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.paths import RESOURCES_DIR
from tests.factories import (
    CombinedAccounts,
    make_combined_accounts,
    make_licence,
    make_swm_payer,
    make_water_connection,
    raise_service_demand,
    set_up_device,
)

DAY = date(2026, 6, 15)
PROPERTY_PAYABLE = 211900  # the worked example with the 2026-27 rebate, rounded


@dataclass
class Setup:
    db: Database
    billing: BillingService
    accounts: CombinedAccounts


@pytest.fixture
def setup(data_dir: Path, clock: FixedClock) -> Setup:
    db = set_up_device(data_dir, clock)
    device = MastersService(db).device()
    tariffs = load_tariff_book(RESOURCES_DIR / "tariffs")
    dues = DuesService(db, tariffs, clock, AuditLog(clock, device.device_no))
    billing = BillingService(db, dues, tariffs, device, clock)
    return Setup(db, billing, make_combined_accounts(db))


def property_bill(setup: Setup) -> Bill:
    ref = setup.billing.account_ref(Service.PROPERTY, setup.accounts.property_uuid)
    return setup.billing.bill_for(ref, DAY)


def keys_of(bill: Bill, service: Service) -> set[str]:
    return {line.key for section in bill.sections if section.service == service for line in section.lines}


def paid(allocation_lines: tuple[object, ...], service: Service) -> list[tuple[str, Head, int]]:
    return [
        (line.period, line.head, line.amount_paise)  # type: ignore[attr-defined]
        for line in allocation_lines
        if line.service == service  # type: ignore[attr-defined]
    ]


# -- the bill ------------------------------------------------------------------------------------


def test_a_propertys_bill_has_every_service_in_bill_order(setup: Setup) -> None:
    bill = property_bill(setup)
    assert [(s.service, s.account.number) for s in bill.sections] == [
        (Service.PROPERTY, "W01-000001"),
        (Service.WATER, "W-01-000001"),
        (Service.SWM, "UC-01-000001"),
        (Service.TRADE, "TL/2026-27/00001"),
    ]
    property_section, water, swm, trade = bill.sections
    assert property_section.payable_paise == PROPERTY_PAYABLE
    assert property_section.dues is not None and property_section.dues.rebate is not None
    # Oldest month first; within April the connection fee before the charge (the tariff's order).
    assert [(line.period, line.head, line.due_paise, line.is_arrear) for line in water.lines] == [
        ("2026-04", Head.WATER_CONNECTION_FEE, 100000, True),
        ("2026-04", Head.WATER_CHARGE, 20000, True),
        ("2026-05", Head.WATER_CHARGE, 20000, False),  # due today: not yet an arrear
    ]
    assert water.payable_paise == 140000
    assert swm.payable_paise == 6000
    assert [(line.period, line.part_payment_allowed) for line in trade.lines] == [("2026-27", False)]
    assert water.lines[0].key == f"WATER|{setup.accounts.water_uuid}|2026-04|WATER_CONNECTION_FEE"
    assert bill.payable_paise == PROPERTY_PAYABLE + 140000 + 6000 + 100000


def test_a_tenant_shops_user_charge_is_its_own_bill(setup: Setup) -> None:
    tenant = make_swm_payer(
        setup.db,
        "UC-01-000777",
        property_uuid=setup.accounts.property_uuid,
        billed_with_property=False,
        name_en="Sahu Tea Stall",
        category="SHOP",
        built_up_sqft=None,
    )
    raise_service_demand(setup.db, Service.SWM, tenant, "2026-05", Head.SWM_USER_CHARGE, 5000)
    assert tenant not in {s.account.account_uuid for s in property_bill(setup).sections}
    bill = setup.billing.bill_for(setup.billing.account_ref(Service.SWM, tenant), DAY)
    assert [(s.account.number, s.payable_paise) for s in bill.sections] == [("UC-01-000777", 5000)]


def test_a_licence_without_a_fee_due_stays_off_the_propertys_bill(setup: Setup) -> None:
    make_licence(setup.db, "TLA/2026-27/00099", property_uuid=setup.accounts.property_uuid, status="ISSUED")
    numbers = [s.account.number for s in property_bill(setup).sections]
    assert "TLA/2026-27/00099" not in numbers and "TL/2026-27/00001" in numbers


def test_a_standalone_water_connection_bills_alone(setup: Setup) -> None:
    other = make_water_connection(setup.db, "W-02-000010", ward_no=2, category="COMMERCIAL")
    raise_service_demand(setup.db, "WATER", other, "2026-27-Q1", "WATER_CHARGE", 300000, due_date="2026-07-15")
    bill = setup.billing.bill_for(setup.billing.account_ref(Service.WATER, other), DAY)
    assert [s.service for s in bill.sections] == [Service.WATER]
    assert [(line.period, line.due_paise, line.is_arrear) for line in bill.sections[0].lines] == [
        ("2026-27-Q1", 300000, False)
    ]


# -- allocation ----------------------------------------------------------------------------------


def test_pay_all_pays_every_line_whole_with_the_rebate(setup: Setup) -> None:
    bill = property_bill(setup)
    everything = keys_of(bill, Service.WATER) | keys_of(bill, Service.SWM) | keys_of(bill, Service.TRADE)
    choice = BillChoice(frozenset(everything), property_included=True)
    assert chosen_total(bill, choice) == bill.payable_paise
    allocation = allocate_bill(bill, choice, bill.payable_paise)
    assert allocation.full_settlement and allocation.balance_after_paise == 0
    assert sum(line.amount_paise for line in allocation.lines) == bill.payable_paise
    assert allocation.property_allocation is not None and allocation.property_allocation.rebate_paise == 10125
    assert paid(allocation.lines, Service.TRADE) == [("2026-27", Head.TRADE_LICENCE_FEE, 100000)]
    assert paid(allocation.lines, Service.SWM) == [
        ("2026-04", Head.SWM_USER_CHARGE, 3000),
        ("2026-05", Head.SWM_USER_CHARGE, 3000),
    ]
    water_line = next(line for line in allocation.lines if line.service == Service.WATER)
    assert water_line.account == setup.accounts.water_uuid


def test_the_clerk_can_pay_only_the_chosen_lines(setup: Setup) -> None:
    bill = property_bill(setup)
    april_water = {key for key in keys_of(bill, Service.WATER) if "|2026-04|" in key}
    choice = BillChoice(frozenset(april_water | keys_of(bill, Service.SWM)), property_included=False)
    allocation = allocate_bill(bill, choice, 126000)
    assert allocation.property_allocation is None
    assert all(line.service != Service.PROPERTY for line in allocation.lines)
    assert paid(allocation.lines, Service.WATER) == [
        ("2026-04", Head.WATER_CONNECTION_FEE, 100000),
        ("2026-04", Head.WATER_CHARGE, 20000),
    ]
    # What was not chosen stays due: the property, May's water charge, the licence fee.
    assert allocation.balance_after_paise == PROPERTY_PAYABLE + 20000 + 100000


def test_a_part_payment_fills_property_then_services_in_priority_order(setup: Setup) -> None:
    bill = property_bill(setup)
    choice = BillChoice(frozenset(keys_of(bill, Service.WATER) | keys_of(bill, Service.SWM)), property_included=True)
    allocation = allocate_bill(bill, choice, PROPERTY_PAYABLE + 110000)
    assert not allocation.full_settlement
    # The property is paid whole, so its current year keeps the rebate.
    assert allocation.property_allocation is not None and allocation.property_allocation.full_settlement
    assert allocation.property_allocation.rebate_paise == 10125
    # Water next (priority 2), oldest first: the fee, then ₹100 of April's charge; nothing to SWM (3).
    assert paid(allocation.lines, Service.WATER) == [
        ("2026-04", Head.WATER_CONNECTION_FEE, 100000),
        ("2026-04", Head.WATER_CHARGE, 10000),
    ]
    assert paid(allocation.lines, Service.SWM) == []
    assert sum(line.amount_paise for line in allocation.lines) == PROPERTY_PAYABLE + 110000
    assert allocation.balance_after_paise == 10000 + 20000 + 6000 + 100000


def test_less_than_the_property_payable_is_a_property_part_payment_without_rebate(setup: Setup) -> None:
    bill = property_bill(setup)
    choice = BillChoice(frozenset(keys_of(bill, Service.WATER)), property_included=True)
    allocation = allocate_bill(bill, choice, 100000)
    assert allocation.property_allocation is not None
    assert allocation.property_allocation.rebate_paise == 0
    assert not any(line.head == Head.REBATE for line in allocation.lines)
    assert [(line.head, line.amount_paise) for line in allocation.lines] == [(Head.PROPERTY_TAX, 100000)]


def test_a_licence_fee_is_paid_whole_or_refused_with_the_minimum(setup: Setup) -> None:
    bill = property_bill(setup)
    choice = BillChoice(frozenset(keys_of(bill, Service.WATER) | keys_of(bill, Service.TRADE)), property_included=False)
    with pytest.raises(ValidationError) as refused:
        allocate_bill(bill, choice, 140000 + 50000)
    message = str(refused.value)
    assert "Trade licence fee 2026-27 (TL/2026-27/00001)" in message
    assert "must be paid whole" in message and "pay at least ₹2,400.00" in message
    # Enough for water but not a rupee towards the licence: the licence simply stays due.
    allocation = allocate_bill(bill, choice, 140000)
    assert paid(allocation.lines, Service.TRADE) == []
    assert allocate_bill(bill, choice, 240000).full_settlement


def test_an_excess_without_the_property_is_refused(setup: Setup) -> None:
    bill = property_bill(setup)
    choice = BillChoice(frozenset(keys_of(bill, Service.SWM)), property_included=False)
    with pytest.raises(ValidationError, match=r"₹40.00 more than the chosen lines' total ₹60.00"):
        allocate_bill(bill, choice, 10000)


def test_an_excess_with_the_property_becomes_property_advance(setup: Setup) -> None:
    bill = property_bill(setup)
    choice = BillChoice(frozenset(keys_of(bill, Service.SWM)), property_included=True)
    allocation = allocate_bill(bill, choice, PROPERTY_PAYABLE + 6000 + 50000)
    advance = [line for line in allocation.lines if line.head == Head.ADVANCE]
    assert [(line.service, line.amount_paise) for line in advance] == [(Service.PROPERTY, 50000)]
    assert paid(allocation.lines, Service.SWM) == [
        ("2026-04", Head.SWM_USER_CHARGE, 3000),
        ("2026-05", Head.SWM_USER_CHARGE, 3000),
    ]


@pytest.mark.parametrize(
    ("keys", "property_included", "amount", "message"),
    [
        (frozenset(), False, 1000, "choose at least one line"),
        (frozenset({"WATER|nope|2026-04|WATER_CHARGE"}), True, 1000, "no longer due"),
        (frozenset(), True, 0, "more than ₹0.00"),
    ],
)
def test_bad_choices_are_refused(
    setup: Setup, keys: frozenset[str], property_included: bool, amount: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        allocate_bill(property_bill(setup), BillChoice(keys, property_included), amount)


def test_a_standalone_bill_has_no_property_to_include(setup: Setup) -> None:
    bill = setup.billing.bill_for(setup.billing.account_ref(Service.WATER, setup.accounts.water_uuid), DAY)
    with pytest.raises(ValidationError, match="no property section"):
        allocate_bill(bill, BillChoice(frozenset(), property_included=True), 1000)


# -- search --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("W-01-000001", "W-01-000001"),
        ("w01000001", "W-01-000001"),  # typed without dashes, lower case
        ("uc-01-000001", "UC-01-000001"),
        ("UC01000001", "UC-01-000001"),
        ("TL/2026-27/00001", "TL/2026-27/00001"),
        ("tla/2026-27/00001", "TL/2026-27/00001"),  # the application number finds the licence
    ],
)
def test_account_search_finds_numbers(setup: Setup, typed: str, number: str) -> None:
    hits = setup.billing.account_search(typed)
    assert [hit.account.number for hit in hits][:1] == [number]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("w05c0100042", "W-05-C01-00042"),  # numbers the services give out carry the counter
        ("W05-C01-00042", "W-05-C01-00042"),
        ("uc05c01", "UC-05-C01"),  # a prefix: every payer of ward 5 registered at counter 1
        ("uc-05-c01-00001", "UC-05-C01-00001"),
        ("w05000123", "W-05-000123"),  # the older form (imported numbers)
    ],
)
def test_numbers_typed_without_dashes_find_the_stored_form(setup: Setup, typed: str, stored: str) -> None:
    make_water_connection(setup.db, "W-05-C01-00042")
    make_swm_payer(setup.db, "UC-05-C01-00001")
    assert stored in number_variants(typed)
    if stored in ("W-05-C01-00042", "UC-05-C01-00001"):
        assert [hit.account.number for hit in setup.billing.account_search(typed)][:1] == [stored]


def test_account_search_by_prefix_and_name_with_dues(setup: Setup) -> None:
    make_combined_accounts(setup.db, 2)
    assert {hit.account.number for hit in setup.billing.account_search("W-01")} == {"W-01-000001", "W-01-000002"}
    hits = setup.billing.account_search("w01000002")
    assert hits[0].account.number == "W-01-000002" and hits[0].due_paise == 140000 and hits[0].status == "ACTIVE"
    by_name = setup.billing.account_search("ramesh")
    assert {hit.account.service for hit in by_name} == {Service.WATER, Service.SWM}
    assert {hit.account.service for hit in setup.billing.account_search("suresh")} == {Service.TRADE}
    assert setup.billing.account_search("X-99") == []


def test_account_ref_of_a_property_names_its_owner(setup: Setup) -> None:
    ref = setup.billing.account_ref(Service.PROPERTY, setup.accounts.property_uuid)
    assert ref == AccountRef(
        Service.PROPERTY,
        setup.accounts.property_uuid,
        "W01-000001",
        "Ramesh Sahu",
        "रमेश साहू",
        1,
        "12, Gandhi Chowk",
        "12, गांधी चौक",
        setup.accounts.property_uuid,
    )


@pytest.mark.parametrize("with_property", [True, False])
def test_any_amount_is_spread_exactly_or_refused_for_a_reason(setup: Setup, with_property: bool) -> None:
    """Every rupee amount from ₹1 to ₹100 beyond the whole bill: the lines add up to the amount, no
    line gets more than it owes (except the property's ADVANCE), and a refusal is one of the rules."""
    bill = property_bill(setup)
    services = keys_of(bill, Service.WATER) | keys_of(bill, Service.SWM) | keys_of(bill, Service.TRADE)
    choice = BillChoice(frozenset(services), property_included=with_property)
    total = chosen_total(bill, choice)
    due = {
        (line.service, line.period, line.head): line.due_paise
        for section in bill.sections
        if section.service != Service.PROPERTY
        for line in section.lines
    }
    outcomes = {"spread": 0, "licence cut short": 0, "excess": 0}
    for amount in range(100, total + 10001, 3700):
        try:
            allocation = allocate_bill(bill, choice, amount)
        except ValidationError as refused:
            message = str(refused)
            if "Trade licence fee" in message and "must be paid whole" in message:
                assert total - 100000 < amount < total  # only when the money reaches the licence, short of it
                outcomes["licence cut short"] += 1
            else:
                assert "more than the chosen lines' total" in message and amount > total and not with_property
                outcomes["excess"] += 1
            continue
        outcomes["spread"] += 1
        assert sum(line.amount_paise for line in allocation.lines) == amount
        for line in allocation.lines:
            if line.service != Service.PROPERTY:
                assert 0 < line.amount_paise <= due[(line.service, line.period, line.head)]
        assert allocation.full_settlement == (amount >= total)
        if with_property and amount > total:
            assert any(line.head == Head.ADVANCE and line.amount_paise > 0 for line in allocation.lines)
    assert outcomes["spread"] > 30 and outcomes["licence cut short"] > 10
    assert (outcomes["excess"] > 0) != with_property
