"""Collecting at the counter: receipts, numbering, the chain, modes, cancellation, day-end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.audit.service import AuditLog
from app.collections.dto import CollectRequest, Mode, Payment
from app.collections.models import Receipt
from app.collections.numbering import GENESIS_HASH, chain_hash
from app.collections.service import CollectionService
from app.core.clock import FixedClock
from app.core.ids import new_uuid
from app.db import Database
from app.demand.dto import Head
from app.demand.service import DuesService
from app.errors import ConflictError, PermissionDenied, ValidationError
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.outbox.models import OutboxOperation
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.security.service import UserService
from tests.factories import add_property, cash, set_up_device


@dataclass
class Counter:
    db: Database
    clock: FixedClock
    users: UserService
    dues: DuesService
    collections: CollectionService
    clerk: Actor
    supervisor: Actor


@pytest.fixture
def counter(data_dir: Path, clock: FixedClock) -> Counter:
    db = set_up_device(data_dir, clock)
    device = MastersService(db).device()
    audit = AuditLog(clock, device.device_no)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    dues = DuesService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit)
    collections = CollectionService(db, dues, device, audit, Outbox(clock), clock)
    clerk = users.actor_for("clerk1", 1)
    collections.open_session(clerk, 200000)
    return Counter(db, clock, users, dues, collections, clerk, users.actor_for("supervisor1", 1))


def test_worked_example_collected_at_the_counter(counter: Counter) -> None:
    uuid = add_property(counter.db)
    dues = counter.dues.dues(uuid, date(2026, 6, 15))
    assert dues.payable_paise == 211900
    receipt = counter.collections.collect(counter.clerk, cash(uuid, 211900, tendered_paise=250000))
    assert receipt.receipt_no == "DEMO/Z01/C01/2026-27/000001"
    assert receipt.change_paise == 38100
    assert {(line.head, line.amount_paise) for line in receipt.lines} == {
        (Head.PROPERTY_TAX, 162000),
        (Head.SAMEKIT, 60000),
        (Head.REBATE, -10125),
        (Head.ROUND_OFF, 25),
    }
    assert receipt.balance_after_paise == 0
    assert counter.dues.dues(uuid, date(2026, 6, 15)).payable_paise == 0


def test_numbers_are_gapless_and_chained(counter: Counter) -> None:
    uuid = add_property(counter.db)
    numbers = [counter.collections.collect(counter.clerk, cash(uuid, 10000)).receipt_no for _ in range(5)]
    assert [n.rsplit("/", 1)[1] for n in numbers] == ["000001", "000002", "000003", "000004", "000005"]
    with counter.db.read() as session:
        receipts = list(session.scalars(select(Receipt).order_by(Receipt.seq)))
        prev = GENESIS_HASH
        for receipt in receipts:
            assert receipt.prev_hash == prev
            prev = receipt.hash
        assert len({r.hash for r in receipts}) == 5


def test_same_request_never_makes_two_receipts(counter: Counter) -> None:
    uuid = add_property(counter.db)
    request = cash(uuid, 50000)
    first = counter.collections.collect(counter.clerk, request)
    second = counter.collections.collect(counter.clerk, request)
    assert first.uuid == second.uuid
    with counter.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 1


def test_receipt_audit_and_outbox_are_written_together(counter: Counter) -> None:
    uuid = add_property(counter.db)
    receipt = counter.collections.collect(counter.clerk, cash(uuid, 50000))
    with counter.db.read() as session:
        ops = list(session.scalars(select(OutboxOperation).where(OutboxOperation.entity_uuid == receipt.uuid)))
        assert [op.kind for op in ops] == ["receipt.created"]
        assert (
            session.execute(
                text("SELECT count(*) FROM audit_log WHERE action='receipt.create' AND entity_id=:u"),
                {"u": receipt.uuid},
            ).scalar()
            == 1
        )


def test_a_failure_mid_receipt_leaves_no_number_used(counter: Counter) -> None:
    uuid = add_property(counter.db)
    bad = CollectRequest(uuid, 50000, Payment(Mode.CASH, tendered_paise=100), new_uuid())
    with pytest.raises(ValidationError, match="less than the amount"):
        counter.collections.collect(counter.clerk, bad)
    receipt = counter.collections.collect(counter.clerk, cash(uuid, 50000))
    assert receipt.receipt_no.endswith("/000001")


@pytest.mark.parametrize(
    ("days_before", "message"),
    [(-1, "post-dated"), (91, "older than 90 days")],
)
def test_cheque_dates_are_checked(counter: Counter, days_before: int, message: str) -> None:
    uuid = add_property(counter.db)
    cheque = Payment(
        Mode.CHEQUE,
        instrument_no="123456",
        instrument_date=date(2026, 6, 15) - timedelta(days_before),
        bank="State Bank of India",
        branch="Raipur Main",
    )
    with pytest.raises(ValidationError, match=message):
        counter.collections.collect(counter.clerk, CollectRequest(uuid, 50000, cheque, new_uuid()))


def test_cheque_of_90_days_and_upi_are_accepted(counter: Counter) -> None:
    uuid = add_property(counter.db)
    cheque = Payment(
        Mode.CHEQUE,
        instrument_no="123456",
        instrument_date=date(2026, 6, 15) - timedelta(90),
        bank="State Bank of India",
        branch="Raipur Main",
    )
    counter.collections.collect(counter.clerk, CollectRequest(uuid, 50000, cheque, new_uuid()))
    upi = Payment(Mode.UPI, instrument_no="412345678901")
    receipt = counter.collections.collect(counter.clerk, CollectRequest(uuid, 50000, upi, new_uuid()))
    assert receipt.mode == Mode.UPI and receipt.instrument_no == "412345678901"


def test_clerk_cannot_cancel_and_engineer_cannot_collect(counter: Counter) -> None:
    uuid = add_property(counter.db)
    receipt = counter.collections.collect(counter.clerk, cash(uuid, 50000))
    with pytest.raises(PermissionDenied):
        counter.collections.cancel(counter.clerk, counter.clerk, receipt.uuid, "wrong property")
    engineer = counter.users.actor_for("engineer1", 1)
    with pytest.raises(PermissionDenied):
        counter.collections.collect(engineer, cash(uuid, 50000))


def test_cancellation_reinstates_the_demand_and_keeps_the_receipt(counter: Counter) -> None:
    uuid = add_property(counter.db)
    before = counter.dues.dues(uuid, date(2026, 6, 15))
    receipt = counter.collections.collect(counter.clerk, cash(uuid, before.payable_paise))
    assert counter.dues.dues(uuid, date(2026, 6, 15)).payable_paise == 0
    cancelled = counter.collections.cancel(counter.clerk, counter.supervisor, receipt.uuid, "collected on wrong ID")
    assert cancelled.cancelled == "CANCELLED"
    assert counter.dues.dues(uuid, date(2026, 6, 15)) == before
    with pytest.raises(ConflictError, match="already cancelled"):
        counter.collections.cancel(counter.clerk, counter.supervisor, receipt.uuid, "again please")
    # The next receipt takes the next number: the cancelled one is never reused.
    assert counter.collections.collect(counter.clerk, cash(uuid, 10000)).receipt_no.endswith("/000002")


def test_dishonour_only_for_cheques(counter: Counter) -> None:
    uuid = add_property(counter.db)
    cash_receipt = counter.collections.collect(counter.clerk, cash(uuid, 10000))
    with pytest.raises(ValidationError, match="not by cheque"):
        counter.collections.dishonour(counter.supervisor, cash_receipt.uuid, "bounced cheque")
    cheque = Payment(Mode.CHEQUE, instrument_no="654321", instrument_date=date(2026, 6, 10), bank="PNB", branch="Durg")
    receipt = counter.collections.collect(counter.clerk, CollectRequest(uuid, 100000, cheque, new_uuid()))
    due_before = counter.dues.dues(uuid, date(2026, 6, 15)).gross_due_paise
    counter.collections.dishonour(counter.supervisor, receipt.uuid, "insufficient funds")
    assert counter.dues.dues(uuid, date(2026, 6, 15)).gross_due_paise == due_before + 100000


def test_reprint_is_duplicate_and_takes_no_number(counter: Counter) -> None:
    uuid = add_property(counter.db)
    receipt = counter.collections.collect(counter.clerk, cash(uuid, 10000))
    copy = counter.collections.reprint(counter.clerk, receipt.uuid)
    assert copy.duplicate and copy.receipt_no == receipt.receipt_no
    assert counter.collections.collect(counter.clerk, cash(uuid, 10000)).receipt_no.endswith("/000002")


def test_day_end_needs_an_explanation_for_a_difference(counter: Counter) -> None:
    uuid = add_property(counter.db)
    counter.collections.collect(counter.clerk, cash(uuid, 211900))
    upi = Payment(Mode.UPI, instrument_no="412345678901")
    other = add_property(counter.db, "W01-000002")
    counter.collections.collect(counter.clerk, CollectRequest(other, 50000, upi, new_uuid()))
    summary = counter.collections.day_end_summary(counter.clerk)
    assert summary.by_mode == {"CASH": 211900, "UPI": 50000}
    assert summary.by_head["PROPERTY_TAX"] == 162000 + 50000
    assert summary.expected_cash_paise == 200000 + 211900  # opening cash + cash collected
    notes = {2000: 2, 200: 1}  # ₹4,200: ₹19 short of ₹4,219
    coins: dict[int, int] = {}
    with pytest.raises(ValidationError, match="explain the difference"):
        counter.collections.close_session(counter.clerk, notes, coins, "")
    counter.collections.close_session(counter.clerk, notes, coins, "₹19 given as change short")
    assert counter.collections.current_session(counter.clerk) is None
    with pytest.raises(ValidationError, match="open the counter"):
        counter.collections.collect(counter.clerk, cash(uuid, 10000))


def test_counted_cash_equal_to_expected_closes_without_explanation(counter: Counter) -> None:
    uuid = add_property(counter.db)
    counter.collections.collect(counter.clerk, cash(uuid, 211900))  # ₹2,119 + ₹2,000 opening = ₹4,119
    notes = {2000: 2, 100: 1, 10: 1}
    coins = {5: 1, 2: 2}
    summary = counter.collections.close_session(counter.clerk, notes, coins)
    assert summary.expected_cash_paise == 411900


def test_receipt_hash_covers_its_lines(counter: Counter) -> None:
    uuid = add_property(counter.db)
    receipt = counter.collections.collect(counter.clerk, cash(uuid, 211900))
    with counter.db.read() as session:
        row = session.get(Receipt, receipt.uuid)
        assert row is not None
        content = {
            "uuid": row.uuid,
            "receipt_no": row.receipt_no,
            "property_uuid": row.property_uuid,
            "collected_at": row.collected_at.isoformat(),
            "business_date": row.business_date,
            "mode": row.mode,
            "amount_paise": row.amount_paise,
            "instrument_no": row.instrument_no,
            "lines": [[line.fy, line.head.value, line.amount_paise] for line in receipt.lines],
        }
        assert chain_hash(row.prev_hash, content) == row.hash
        content["lines"][0][2] += 1  # type: ignore[index, operator]
        assert chain_hash(row.prev_hash, content) != row.hash


def test_day_end_checks_cheques_and_upi_handed_over(counter: Counter) -> None:
    uuid = add_property(counter.db)
    upi = Payment(Mode.UPI, instrument_no="412345678901")
    counter.collections.collect(counter.clerk, CollectRequest(uuid, 50000, upi, new_uuid()))
    notes = {2000: 1}  # the ₹2,000 opening cash, nothing else in cash
    with pytest.raises(ValidationError, match=r"UPI -₹100.00"):
        counter.collections.close_session(counter.clerk, notes, {}, "", {"UPI": 40000, "CHEQUE_DD": 0})
    summary = counter.collections.close_session(counter.clerk, notes, {}, "", {"UPI": 50000, "CHEQUE_DD": 0})
    assert summary.by_mode == {"UPI": 50000}
