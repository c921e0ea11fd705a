"""Trade licence test office (fixture + helpers used by every test_trade_* module), and how the fee
counts as paid: receipt lines of the licence's TRADE demand on receipts not cancelled.

`pay_fee` collects the fee as the counter does: the licence's bill, its TRADE line ticked, one
receipt through CollectionService.collect_bill.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.billing.dto import BillChoice, BillCollectRequest
from app.collections.dto import Mode, Payment
from app.collections.models import Receipt, ReceiptLine
from app.composition import Services, build_services
from app.core.clock import FixedClock, business_date
from app.core.ids import new_uuid
from app.demand.dto import Service
from app.demand.models import ServiceDemand
from app.errors import ValidationError
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.trade.dto import LicenceInput, LicenceView
from tests.factories import set_up_device


@dataclass
class TradeOffice:
    services: Services
    clock: FixedClock
    clerk: Actor  # collects at the counter; may not process licences
    supervisor: Actor  # receives applications, document check, inspection
    commissioner: Actor  # approves, rejects, issues

    def advance(self, days: int) -> None:
        self.clock.current += timedelta(days=days)

    @property
    def today(self) -> date:
        return business_date(self.clock.current)


@pytest.fixture
def trade_office(data_dir: Path, clock: FixedClock) -> Iterator[TradeOffice]:
    set_up_device(data_dir, clock).dispose()
    services = build_services(data_dir, clock=clock, password_hasher=fast_hasher())
    users = services.users
    yield TradeOffice(
        services,
        clock,
        users.actor_for("clerk1", 1),
        users.actor_for("supervisor1", 1),
        users.actor_for("commissioner1", 1),
    )
    services.close()


def shop(**changes: object) -> LicenceInput:
    data = LicenceInput(
        trade_name="Sahu General Store",
        trade_name_hi="साहू जनरल स्टोर",
        owner_name_en="Ramesh Sahu",
        owner_name_hi="रमेश साहू",
        mobile="9876543210",
        address_en="12, Gandhi Chowk",
        address_hi="12, गांधी चौक",
        ward_no=3,
        trade_kind="SHOP",
        area_sqft=Decimal(200),
        road_width_m=Decimal(10),
    )
    from dataclasses import replace

    return replace(data, **changes)  # type: ignore[arg-type]


def approved(office: TradeOffice, data: LicenceInput | None = None) -> LicenceView:
    trade = office.services.trade
    view = trade.apply(office.supervisor, data or shop())
    trade.start_document_check(office.supervisor, view.uuid)
    trade.start_inspection(office.supervisor, view.uuid)
    return trade.approve(office.commissioner, view.uuid)


def pay_fee(office: TradeOffice, licence: LicenceView, amount_paise: int | None = None) -> str:
    """A cash receipt at clerk1's counter paying the licence fee (or `amount_paise` of it) through the
    counter's combined bill (CollectionService.collect_bill). Returns the receipt's uuid."""
    services = office.services
    collections = services.collections
    current = collections.current_session(office.clerk)
    if current is not None and current.business_date != office.today:
        # Yesterday's counter (a test that moved the clock): close it with nothing to count.
        collections.close_session(office.clerk, {}, {}, "closed by the test that moved the clock")
        current = None
    if current is None:
        collections.open_session(office.clerk, 0)
    account = services.billing.account_ref(Service.TRADE, licence.uuid)
    bill = services.billing.bill_for(account)
    keys = frozenset(
        line.key
        for section in bill.sections
        for line in section.lines
        if line.service == Service.TRADE and line.account_uuid == licence.uuid
    )
    assert keys, f"no licence fee line on the bill of {licence.application_no}"
    due = sum(line.due_paise for section in bill.sections for line in section.lines if line.key in keys)
    receipt = collections.collect_bill(
        office.clerk,
        BillCollectRequest(
            request_uuid=new_uuid(),
            primary=account,
            choice=BillChoice(keys=keys, property_included=False),
            amount_paise=due if amount_paise is None else amount_paise,
            payment=Payment(mode=Mode.CASH),
        ),
    )
    return receipt.uuid


def cancel_receipt(office: TradeOffice, receipt_uuid: str, reason: str = "wrong licence") -> None:
    office.services.collections.cancel(office.clerk, office.supervisor, receipt_uuid, reason)


# --- tests --------------------------------------------------------------------------------------


def test_approval_raises_the_fee_as_a_trade_demand_due_after_due_days(trade_office: TradeOffice) -> None:
    view = approved(trade_office)  # 200 sq ft, road 10 m, NN: ₹5/sq ft
    assert view.fee_paise == 100000
    with trade_office.services.db.read() as session:
        demand = session.scalars(select(ServiceDemand).where(ServiceDemand.account_uuid == view.uuid)).one()
        assert (demand.service, demand.period, demand.fy) == ("TRADE", "2026-27", "2026-27")
        assert demand.head == "TRADE_LICENCE_FEE"
        assert demand.amount_paise == 100000
        assert demand.ward_no == 3
        assert demand.due_date == (trade_office.today + timedelta(days=15)).isoformat()  # tariff due_days


def test_the_counter_takes_the_fee_whole_and_then_it_can_be_issued(trade_office: TradeOffice) -> None:
    trade = trade_office.services.trade
    view = approved(trade_office)
    # DEMO's tariff: part_payment_allowed = false. A part payment is refused and saves nothing.
    with pytest.raises(ValidationError, match="must be paid whole"):
        pay_fee(trade_office, view, 40000)
    assert trade.get(view.uuid).fee_due_paise == 100000
    with pytest.raises(ValidationError, match="not paid yet"):
        trade.issue(trade_office.commissioner, view.uuid)
    pay_fee(trade_office, view)
    assert trade.get(view.uuid).fee_due_paise == 0
    issued = trade.issue(trade_office.commissioner, view.uuid)
    assert issued.status == "ISSUED"
    assert issued.fee_paid


def test_a_cancelled_fee_receipt_makes_the_fee_unpaid_again(trade_office: TradeOffice) -> None:
    trade = trade_office.services.trade
    view = approved(trade_office)
    receipt = pay_fee(trade_office, view)
    assert trade.get(view.uuid).fee_paid
    cancel_receipt(trade_office, receipt)
    again = trade.get(view.uuid)
    assert not again.fee_paid
    assert again.fee_due_paise == 100000
    assert again.fee_receipt_no == ""
    with pytest.raises(ValidationError, match="not paid yet"):
        trade.issue(trade_office.commissioner, view.uuid)


def test_fee_receipt_number_and_date_are_on_the_licence(trade_office: TradeOffice) -> None:
    trade = trade_office.services.trade
    view = approved(trade_office)
    receipt_uuid = pay_fee(trade_office, view)
    with trade_office.services.db.read() as session:
        receipt_no = session.scalar(select(Receipt.receipt_no).where(Receipt.uuid == receipt_uuid))
        lines = session.scalar(select(func.count()).select_from(ReceiptLine).where(ReceiptLine.account == view.uuid))
    assert lines == 1
    issued = trade.issue(trade_office.commissioner, view.uuid)
    assert issued.fee_receipt_no == receipt_no
    assert issued.fee_receipt_date == trade_office.today
