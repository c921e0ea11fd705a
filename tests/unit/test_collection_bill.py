"""One receipt for several services: collect_bill end to end on a real SQLite file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.service import AuditLog
from app.billing.dto import AccountRef, Bill
from app.billing.service import BillingService
from app.collections.dto import Mode, Payment
from app.collections.models import Receipt, ReceiptLine
from app.collections.numbering import GENESIS_HASH, chain_hash
from app.collections.service import CollectionService, receipt_hash_content, receipt_values
from app.core.clock import FixedClock
from app.db import Database
from app.demand.dto import AllocatedLine, Head, Service
from app.demand.service import DuesService
from app.errors import ValidationError
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.outbox.models import OutboxOperation
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.security.service import UserService
from tests.factories import CombinedAccounts, bill_request, cash, make_combined_accounts, set_up_device

DAY = date(2026, 6, 15)
PROPERTY_PAYABLE = 211900


@dataclass
class Counter:
    db: Database
    billing: BillingService
    dues: DuesService
    collections: CollectionService
    clerk: Actor
    supervisor: Actor
    accounts: CombinedAccounts

    def ref(self, service: Service, uuid: str) -> AccountRef:
        return self.billing.account_ref(service, uuid)

    def bill(self, service: Service = Service.PROPERTY, uuid: str | None = None) -> Bill:
        return self.billing.bill_for(self.ref(service, uuid or self.accounts.property_uuid), DAY)


@pytest.fixture
def counter(data_dir: Path, clock: FixedClock) -> Counter:
    db = set_up_device(data_dir, clock)
    device = MastersService(db).device()
    audit = AuditLog(clock, device.device_no)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    tariffs = load_tariff_book(RESOURCES_DIR / "tariffs")
    dues = DuesService(db, tariffs, clock, audit)
    billing = BillingService(db, dues, tariffs, device, clock)
    collections = CollectionService(db, dues, device, audit, Outbox(clock), clock, billing)
    clerk = users.actor_for("clerk1", 1)
    collections.open_session(clerk, 200000)
    accounts = make_combined_accounts(db)
    return Counter(db, billing, dues, collections, clerk, users.actor_for("supervisor1", 1), accounts)


def keys(bill: Bill, *services: Service) -> set[str]:
    return {line.key for section in bill.sections if section.service in services for line in section.lines}


def test_property_water_and_user_charge_on_one_receipt(counter: Counter) -> None:
    bill = counter.bill()
    request = bill_request(bill.primary, keys(bill, Service.WATER, Service.SWM), PROPERTY_PAYABLE + 146000)
    receipt = counter.collections.collect_bill(counter.clerk, request)
    assert receipt.property_uuid == counter.accounts.property_uuid and receipt.property_id == "W01-000001"
    assert receipt.payer_name == "Ramesh Sahu"
    assert [(a.service, a.number) for a in receipt.accounts] == [
        (Service.WATER, "W-01-000001"),
        (Service.SWM, "UC-01-000001"),
    ]
    assert receipt.balance_after_paise == 100000  # the licence fee, not chosen
    with counter.db.read() as session:
        rows = session.execute(
            select(
                ReceiptLine.service, ReceiptLine.account, ReceiptLine.period, ReceiptLine.head, ReceiptLine.amount_paise
            )
            .where(ReceiptLine.receipt_uuid == receipt.uuid)
            .order_by(ReceiptLine.ordinal)
        ).all()
    water, swm = counter.accounts.water_uuid, counter.accounts.swm_uuid
    assert [tuple(r) for r in rows] == [
        ("PROPERTY", "", "", "PROPERTY_TAX", 162000),
        ("PROPERTY", "", "", "SAMEKIT", 60000),
        ("PROPERTY", "", "", "REBATE", -10125),
        ("PROPERTY", "", "", "ROUND_OFF", 25),
        ("WATER", water, "2026-04", "WATER_CONNECTION_FEE", 100000),
        ("WATER", water, "2026-04", "WATER_CHARGE", 20000),
        ("WATER", water, "2026-05", "WATER_CHARGE", 20000),
        ("SWM", swm, "2026-04", "SWM_USER_CHARGE", 3000),
        ("SWM", swm, "2026-05", "SWM_USER_CHARGE", 3000),
    ]
    # Paid is derived from the lines: the property and the chosen services owe nothing now.
    after = counter.bill()
    assert [(s.service, s.payable_paise) for s in after.sections] == [
        (Service.PROPERTY, 0),
        (Service.WATER, 0),
        (Service.SWM, 0),
        (Service.TRADE, 100000),
    ]


def test_the_chain_hash_covers_service_lines_and_old_property_receipts_still_verify(counter: Counter) -> None:
    counter.collections.collect(counter.clerk, cash(counter.accounts.property_uuid, 50000))
    bill = counter.bill()
    counter.collections.collect_bill(
        counter.clerk, bill_request(bill.primary, keys(bill, Service.WATER), 140000, property_included=False)
    )
    with counter.db.read() as session:
        receipts = list(session.scalars(select(Receipt).order_by(Receipt.seq)))
        prev = GENESIS_HASH
        for receipt in receipts:
            lines = tuple(
                AllocatedLine(
                    line.fy, Head(line.head), line.amount_paise, Service(line.service), line.account, line.period
                )
                for line in receipt.lines
            )
            assert receipt.prev_hash == prev
            assert receipt.hash == chain_hash(prev, receipt_hash_content(receipt_values(receipt), lines))
            prev = receipt.hash
        assert len(receipts) == 2 and receipts[1].property_uuid == counter.accounts.property_uuid
        values = receipt_values(receipts[1])
    # A property line hashes as [fy, head, amount] (unchanged); a service line adds its key.
    water_line = AllocatedLine("2026-27", Head.WATER_CHARGE, 20000, Service.WATER, "acc", "2026-05")
    assert receipt_hash_content(values, (water_line,))["lines"] == [
        ["2026-27", "WATER_CHARGE", 20000, "WATER", "acc", "2026-05"]
    ]
    property_line = AllocatedLine("2026-27", Head.PROPERTY_TAX, 500)
    assert receipt_hash_content(values, (property_line,))["lines"] == [["2026-27", "PROPERTY_TAX", 500]]


def test_the_outbox_carries_service_keys_only_on_service_lines(counter: Counter) -> None:
    bill = counter.bill()
    receipt = counter.collections.collect_bill(
        counter.clerk, bill_request(bill.primary, keys(bill, Service.SWM), PROPERTY_PAYABLE + 6000)
    )
    with counter.db.read() as session:
        op = session.scalars(select(OutboxOperation).where(OutboxOperation.entity_uuid == receipt.uuid)).one()
        kind, payload = op.kind, json.loads(op.payload_json)
    assert kind == "receipt.created"
    assert payload["property_uuid"] == counter.accounts.property_uuid
    assert payload["lines"][0] == {"fy": "2026-27", "head": "PROPERTY_TAX", "amount_paise": 162000}
    assert payload["lines"][-1] == {
        "fy": "2026-27",
        "head": "SWM_USER_CHARGE",
        "amount_paise": 3000,
        "service": "SWM",
        "account": counter.accounts.swm_uuid,
        "period": "2026-05",
    }


def test_a_receipt_for_a_standalone_account_has_no_property(counter: Counter) -> None:
    bill = counter.bill(Service.TRADE, counter.accounts.licence_uuid)
    assert [s.service for s in bill.sections] == [Service.TRADE]
    receipt = counter.collections.collect_bill(
        counter.clerk,
        bill_request(
            bill.primary,
            keys(bill, Service.TRADE),
            100000,
            property_included=False,
            payment=Payment(Mode.UPI, instrument_no="UTR123456789"),
        ),
    )
    assert receipt.property_uuid is None and receipt.property_id == ""
    assert receipt.payer_name == "Suresh Sahu"
    assert [a.number for a in receipt.accounts] == ["TL/2026-27/00001"]
    with counter.db.read() as session:
        op = session.scalars(select(OutboxOperation).where(OutboxOperation.entity_uuid == receipt.uuid)).one()
        assert json.loads(op.payload_json)["property_uuid"] is None
    # Read back later (reprint, receipts screen): the same accounts and lines.
    again = counter.collections.get_receipt(receipt.uuid)
    assert again.lines == receipt.lines and again.accounts == receipt.accounts and again.property_uuid is None
    listed = counter.collections.list_receipts(DAY)
    assert [(r.receipt_no, r.property_id) for r in listed] == [(receipt.receipt_no, "TL/2026-27/00001")]


def test_a_second_submit_returns_the_same_receipt(counter: Counter) -> None:
    bill = counter.bill()
    request = bill_request(bill.primary, keys(bill, Service.WATER), 140000, property_included=False)
    first = counter.collections.collect_bill(counter.clerk, request)
    second = counter.collections.collect_bill(counter.clerk, request)
    assert second.uuid == first.uuid and second.accounts == first.accounts and second.lines == first.lines
    with counter.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 1


def test_a_line_paid_meanwhile_is_not_taken_twice(counter: Counter) -> None:
    bill = counter.bill()  # on the clerk's screen
    chosen = keys(bill, Service.SWM)
    counter.collections.collect_bill(counter.clerk, bill_request(bill.primary, chosen, 6000, property_included=False))
    with pytest.raises(ValidationError, match="no longer due"):
        counter.collections.collect_bill(
            counter.clerk, bill_request(bill.primary, chosen, 6000, property_included=False)
        )


def test_cancellation_reinstates_water_dues(counter: Counter) -> None:
    bill = counter.bill(Service.WATER, counter.accounts.water_uuid)
    receipt = counter.collections.collect_bill(
        counter.clerk, bill_request(bill.primary, keys(bill, Service.WATER), 130000, property_included=False)
    )
    assert counter.bill(Service.WATER, counter.accounts.water_uuid).payable_paise == 10000
    counter.collections.cancel(counter.clerk, counter.supervisor, receipt.uuid, "wrong consumer number")
    again = counter.bill(Service.WATER, counter.accounts.water_uuid)
    assert again.payable_paise == 140000
    assert [line.due_paise for line in again.sections[0].lines] == [100000, 20000, 20000]


def test_a_dishonoured_cheque_reinstates_the_user_charge_and_property_tax(counter: Counter) -> None:
    bill = counter.bill()
    cheque = Payment(Mode.CHEQUE, instrument_no="123456", instrument_date=DAY, bank="SBI", branch="Raipur")
    receipt = counter.collections.collect_bill(
        counter.clerk, bill_request(bill.primary, keys(bill, Service.SWM), PROPERTY_PAYABLE + 6000, payment=cheque)
    )
    assert counter.bill().sections[0].payable_paise == 0
    counter.collections.dishonour(counter.supervisor, receipt.uuid, "cheque returned unpaid")
    after = counter.bill()
    assert [(s.service, s.payable_paise) for s in after.sections[:3]] == [
        (Service.PROPERTY, PROPERTY_PAYABLE),
        (Service.WATER, 140000),
        (Service.SWM, 6000),
    ]


def test_a_refused_payment_saves_nothing(counter: Counter) -> None:
    bill = counter.bill()
    with pytest.raises(ValidationError, match="must be paid whole"):
        counter.collections.collect_bill(
            counter.clerk, bill_request(bill.primary, keys(bill, Service.TRADE), 50000, property_included=False)
        )
    with counter.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxOperation)) == 1  # the counter's opening
    receipt = counter.collections.collect_bill(
        counter.clerk, bill_request(bill.primary, keys(bill, Service.TRADE), 100000, property_included=False)
    )
    assert receipt.receipt_no.endswith("/000001")


def test_day_end_counts_service_heads(counter: Counter) -> None:
    bill = counter.bill()
    counter.collections.collect_bill(
        counter.clerk, bill_request(bill.primary, keys(bill, Service.WATER, Service.SWM), PROPERTY_PAYABLE + 146000)
    )
    summary = counter.collections.day_end_summary(counter.clerk)
    assert summary.by_head["WATER_CHARGE"] == 40000 and summary.by_head["SWM_USER_CHARGE"] == 6000
    assert sum(summary.by_head.values()) == summary.by_mode["CASH"] == PROPERTY_PAYABLE + 146000


def test_recent_receipts_of_a_service_account(counter: Counter) -> None:
    bill = counter.bill()
    first = counter.collections.collect_bill(
        counter.clerk, bill_request(bill.primary, keys(bill, Service.WATER), PROPERTY_PAYABLE + 140000)
    )
    swm_only = counter.bill(Service.SWM, counter.accounts.swm_uuid)
    second = counter.collections.collect_bill(
        counter.clerk, bill_request(swm_only.primary, keys(swm_only, Service.SWM), 6000, property_included=False)
    )
    water_recent = counter.collections.recent_account_receipts(counter.accounts.water_uuid)
    assert [r.receipt_no for r in water_recent] == [first.receipt_no]
    assert [r.property_id for r in water_recent] == ["W01-000001"]
    swm_recent = counter.collections.recent_account_receipts(counter.accounts.swm_uuid)
    assert [(r.receipt_no, r.property_id) for r in swm_recent] == [(second.receipt_no, "UC-01-000001")]
