"""DCB statement: every column by hand-worked figures, totals equal to the receipts, by head, ward, service.

The ledger (DEMO tariffs; a 1,000 sq ft RCC house in zone B owes ₹1,620 property tax + ₹600 samekit a
year in both FYs):
- P1 (ward 1): 2025-26 and 2026-27. R0 on 20-03-2026 pays ₹1,000 of 2025-26 (property tax).
  Surcharge of 2025-26 on 01-04-2026: 18% of the ₹1,220 still unpaid = ₹219.60.
  R2 on 15-06-2026 pays ₹2,000: 2025-26 surcharge 219.60, tax 620, samekit 600; 2026-27 tax 560.40.
- P2 (ward 2): 2026-27 only. R1 on 15-06-2026 settles it in the rebate window: tax 1,620, samekit 600,
  rebate −101.25 (6.25% of 1,620), round-off +0.25 = ₹2,119.
- P3 (ward 2): 2025-26 only, return not filed: surcharge 18% of 2,220 = ₹399.60, penalty ₹1,000.
  R3 pays ₹500 on 15-06-2026 and is cancelled: it counts nowhere.
- An SWM household payer (ward 3, 1,000 sq ft: ₹30 a month) charged from March 2026: March (FY
  2025-26) and April–June. R4 (no property) on 15-06-2026 pays March ₹30 and April ₹30.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from app.audit.service import AuditLog
from app.collections.service import CollectionService
from app.core.clock import FixedClock
from app.core.ids import new_uuid
from app.db import Database
from app.demand.service import DuesService
from app.errors import PermissionDenied, ValidationError
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.reports.dcb import DcbRow, DcbService, DcbStatement, GroupBy
from app.security.passwords import fast_hasher
from app.security.service import UserService
from app.swm.dto import PayerInput
from app.swm.service import SwmService
from tests.factories import add_property, cash, set_up_device

BOOK = load_tariff_book(RESOURCES_DIR / "tariffs")


@dataclass
class Ledger:
    db: Database
    clock: FixedClock
    dcb: DcbService
    users: UserService
    receipts: dict[str, str]  # R0..R4 -> receipt uuid


def insert_service_receipt(
    db: Database, business_day: str, lines: list[tuple[str, str, str, str, str, int]], like_receipt: str
) -> str:
    """A receipt of service lines only (service, account, period, fy, head, amount), every column
    written, in the series and counter session of `like_receipt` (until collect_bill is used here)."""
    uuid = new_uuid()
    amount = sum(line[5] for line in lines)
    with db.write() as session:
        conn = session.connection()
        base = conn.execute(
            text("SELECT series_key, fy, device_no, counter_session_uuid, user_id FROM receipt WHERE uuid = :u"),
            {"u": like_receipt},
        ).one()
        conn.execute(
            text(
                "INSERT INTO receipt (uuid, request_uuid, receipt_no, series_key, seq, fy, device_no,"
                " counter_session_uuid, user_id, property_uuid, payer_name, collected_at, business_date, mode,"
                " amount_paise, tendered_paise, change_paise, instrument_no, instrument_date, bank, branch,"
                " balance_after_paise, prev_hash, hash) VALUES (:uuid, :uuid, :no, :series, 900, :fy, :device,"
                " :session, :user, NULL, 'Ramesh Sahu', :at, :day, 'CASH', :amount, NULL, NULL, '', '', '', '',"
                " 0, '', '')"
            ),
            {
                "uuid": uuid,
                "no": f"{base.series_key}/000900",
                "series": base.series_key,
                "fy": base.fy,
                "device": base.device_no,
                "session": base.counter_session_uuid,
                "user": base.user_id,
                "at": f"{business_day} 05:30:00.000000",
                "day": business_day,
                "amount": amount,
            },
        )
        for ordinal, (service, account, period, fy, head, paise) in enumerate(lines):
            conn.execute(
                text(
                    "INSERT INTO receipt_line (receipt_uuid, ordinal, fy, head, amount_paise, service, account, period)"
                    " VALUES (:r, :o, :fy, :head, :amount, :service, :account, :period)"
                ),
                {
                    "r": uuid,
                    "o": ordinal,
                    "fy": fy,
                    "head": head,
                    "amount": paise,
                    "service": service,
                    "account": account,
                    "period": period,
                },
            )
    return uuid


def _set_ward(db: Database, property_uuid: str, ward: int) -> None:
    with db.write() as session:
        session.connection().execute(
            text("UPDATE property SET ward_no = :w WHERE uuid = :u"), {"w": ward, "u": property_uuid}
        )


@pytest.fixture
def ledger(data_dir: Path) -> Ledger:
    clock = FixedClock.on_ist_date(date(2026, 3, 20))
    db = set_up_device(data_dir, clock)
    device = MastersService(db).device()
    audit = AuditLog(clock, device.device_no)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    dues = DuesService(db, BOOK, clock, audit)
    collections = CollectionService(db, dues, device, audit, Outbox(clock), clock)
    swm = SwmService(db, BOOK, audit, Outbox(clock), clock, "DEMO")
    supervisor, clerk = users.actor_for("supervisor1", 1), users.actor_for("clerk1", 1)

    p1 = add_property(db, "W01-000001", years=("2025-26", "2026-27"))
    p2 = add_property(db, "W02-000002", years=("2026-27",))
    p3 = add_property(db, "W02-000003", years=("2025-26",), unfiled=("2025-26",))
    _set_ward(db, p2, 2)
    _set_ward(db, p3, 2)
    payer = swm.register(
        supervisor,
        PayerInput(
            name_en="Ramesh Sahu", ward_no=3, category="HOUSEHOLD", built_up_sqft=Decimal(1000), start_month="2026-03"
        ),
    )
    receipts: dict[str, str] = {}
    # 20-03-2026 (FY 2025-26): the supervisor's counter.
    collections.open_session(supervisor, 0)
    swm.generate_month(supervisor, "2026-03")
    receipts["R0"] = collections.collect(supervisor, cash(p1, 100000)).uuid
    # 15-06-2026 (FY 2026-27): the clerk's counter.
    clock.current = FixedClock.on_ist_date(date(2026, 6, 15), time(11, 0)).current
    collections.open_session(clerk, 0)
    for month in ("2026-04", "2026-05", "2026-06"):
        swm.generate_month(supervisor, month)
    receipts["R1"] = collections.collect(clerk, cash(p2, 211900)).uuid
    receipts["R2"] = collections.collect(clerk, cash(p1, 200000)).uuid
    receipts["R3"] = collections.collect(clerk, cash(p3, 50000)).uuid
    collections.cancel(clerk, supervisor, receipts["R3"], "wrong property chosen")
    receipts["R4"] = insert_service_receipt(
        db,
        "2026-06-15",
        [
            ("SWM", payer.uuid, "2026-03", "2025-26", "SWM_USER_CHARGE", 3000),
            ("SWM", payer.uuid, "2026-04", "2026-27", "SWM_USER_CHARGE", 3000),
        ],
        like_receipt=receipts["R1"],
    )
    return Ledger(db, clock, DcbService(db, BOOK, clock, "DEMO"), users, receipts)


def row(statement: DcbStatement, key: str) -> DcbRow:
    return next(r for r in statement.rows if r.key == key)


def figures(r: DcbRow) -> tuple[int, ...]:
    return (
        r.opening_paise,
        r.current_paise,
        r.collected_arrear_paise,
        r.collected_current_paise,
        r.rebate_paise,
        r.balance_paise,
    )


def test_the_allocation_the_figures_rest_on(ledger: Ledger) -> None:
    with ledger.db.read() as session:
        lines = session.execute(
            text(
                "SELECT l.fy, l.head, l.amount_paise FROM receipt_line l WHERE l.receipt_uuid = :r ORDER BY l.ordinal"
            ),
            {"r": ledger.receipts["R2"]},
        ).all()
    assert [tuple(line) for line in lines] == [
        ("2025-26", "SURCHARGE", 21960),
        ("2025-26", "PROPERTY_TAX", 62000),
        ("2025-26", "SAMEKIT", 60000),
        ("2026-27", "PROPERTY_TAX", 56040),
    ]


def test_by_head_every_column(ledger: Ledger) -> None:
    s = ledger.dcb.statement("2026-27", GroupBy.HEAD)
    assert s.as_of == date(2026, 6, 15)
    # (opening, current, collected arrears, collected current, rebate, balance)
    assert figures(row(s, "PROPERTY_TAX")) == (224000, 324000, 62000, 207915, 10125, 267960)
    assert figures(row(s, "SAMEKIT")) == (120000, 120000, 60000, 60000, 0, 120000)
    assert figures(row(s, "SURCHARGE")) == (61920, 0, 21960, 0, 0, 39960)
    assert figures(row(s, "PENALTY")) == (100000, 0, 0, 0, 0, 100000)
    assert figures(row(s, "SWM_USER_CHARGE")) == (3000, 9000, 3000, 3000, 0, 6000)
    assert figures(row(s, "ROUND_OFF")) == (0, 25, 0, 25, 0, 0)
    assert [r.key for r in s.rows] == [
        "PROPERTY_TAX",
        "SAMEKIT",
        "SURCHARGE",
        "PENALTY",
        "SWM_USER_CHARGE",
        "ROUND_OFF",
    ]
    assert row(s, "SURCHARGE").surcharge_accrued_paise == 61920
    assert row(s, "SURCHARGE").surcharge_collected_paise == 21960
    assert row(s, "PENALTY").surcharge_accrued_paise == 100000
    assert row(s, "PROPERTY_TAX").label_hi == "संपत्ति कर"
    # Totals: the columns add up, and what was collected is exactly the receipts of the FY that stand
    # (R1 ₹2,119 + R2 ₹2,000 + R4 ₹60; R0 is of 2025-26, R3 was cancelled).
    assert figures(s.total) == (508920, 453025, 146960, 270940, 10125, 533920)
    assert s.total.collected_paise == 417900 == s.receipts_paise
    assert s.receipt_count == 3 and s.remote_paise == 0 and s.collections_agree


def test_by_ward_and_by_service_add_up_to_the_same_total(ledger: Ledger) -> None:
    by_head = ledger.dcb.statement("2026-27", GroupBy.HEAD)
    by_ward = ledger.dcb.statement("2026-27", GroupBy.WARD)
    assert [r.key for r in by_ward.rows] == ["1", "2", "3"]
    # Ward 1 (P1): opening 2025-26 tax 620 + samekit 600 + surcharge 219.60; current 2,220; R2 ₹2,000.
    assert figures(row(by_ward, "1")) == (143960, 222000, 143960, 56040, 0, 165960)
    # Ward 2 (P2, P3): opening P3 2,220 + 399.60 + 1,000; current P2 2,220; R1 2,220 − 101.25 + 0.25.
    assert figures(row(by_ward, "2")) == (361960, 222025, 0, 211900, 10125, 361960)
    assert figures(row(by_ward, "3")) == (3000, 9000, 3000, 3000, 0, 6000)
    assert row(by_ward, "2").label_hi == "वार्ड 2"
    by_service = ledger.dcb.statement("2026-27", "service")
    assert [r.key for r in by_service.rows] == ["PROPERTY", "SWM"]
    assert figures(row(by_service, "SWM")) == (3000, 9000, 3000, 3000, 0, 6000)
    assert figures(by_ward.total) == figures(by_head.total) == figures(by_service.total)


def test_ward_filter(ledger: Ledger) -> None:
    s = ledger.dcb.statement("2026-27", GroupBy.HEAD, ward_no=2)
    assert figures(row(s, "PROPERTY_TAX")) == (162000, 162000, 0, 151875, 10125, 162000)
    assert figures(row(s, "PENALTY")) == (100000, 0, 0, 0, 0, 100000)
    assert s.total.collected_paise == s.receipts_paise == 211900  # R1 alone
    assert "SWM_USER_CHARGE" not in [r.key for r in s.rows]


def test_an_earlier_year_closes_before_the_surcharge(ledger: Ledger) -> None:
    s = ledger.dcb.statement("2025-26", GroupBy.HEAD)
    assert s.as_of == date(2026, 3, 31)
    assert figures(row(s, "PROPERTY_TAX")) == (0, 324000, 0, 100000, 0, 224000)
    assert figures(row(s, "SAMEKIT")) == (0, 120000, 0, 0, 0, 120000)
    assert figures(row(s, "SWM_USER_CHARGE")) == (0, 3000, 0, 0, 0, 3000)
    assert "SURCHARGE" not in [r.key for r in s.rows]  # it accrues on 01-04-2026: next year's opening
    assert s.total.collected_paise == s.receipts_paise == 100000


def test_cancelling_a_receipt_takes_it_out_of_the_collection(ledger: Ledger) -> None:
    before = ledger.dcb.statement("2026-27", GroupBy.HEAD)
    supervisor, clerk = ledger.users.actor_for("supervisor1", 1), ledger.users.actor_for("clerk1", 1)
    device = MastersService(ledger.db).device()
    audit = AuditLog(ledger.clock, 1)
    collections = CollectionService(
        ledger.db, DuesService(ledger.db, BOOK, ledger.clock, audit), device, audit, Outbox(ledger.clock), ledger.clock
    )
    collections.cancel(clerk, supervisor, ledger.receipts["R1"], "collected twice by mistake")
    after = ledger.dcb.statement("2026-27", GroupBy.HEAD)
    assert after.total.collected_paise == after.receipts_paise == before.receipts_paise - 211900
    assert row(after, "PROPERTY_TAX").rebate_paise == 0
    assert after.total.balance_paise == before.total.balance_paise + 222000  # P2's year is due again


def test_online_payments_pulled_by_sync_count_as_collection(ledger: Ledger) -> None:
    from app.replica.service import RemotePaymentIn, record_remote_payment

    with ledger.db.read() as session:
        p3 = session.execute(text("SELECT uuid FROM property WHERE property_id = 'W02-000003'")).scalar_one()
    payment = RemotePaymentIn.from_payload(
        {
            "uuid": new_uuid(),
            "receipt_no": "ONLINE/0001",
            "property_uuid": p3,
            "business_date": "2026-06-20",
            "amount_paise": 100000,
            "mode": "UPI",
            "source": "ONLINE",
            "lines": [{"fy": "2025-26", "head": "PENALTY", "amount_paise": 100000}],
        },
        ledger.clock.now_utc(),
        "",
    )
    with ledger.db.write() as session:
        record_remote_payment(session, payment)
    s = ledger.dcb.statement("2026-27", GroupBy.HEAD)
    assert figures(row(s, "PENALTY")) == (100000, 0, 100000, 0, 0, 0)
    assert s.remote_paise == 100000 and s.collections_agree


def test_permission_and_bad_arguments(ledger: Ledger) -> None:
    with pytest.raises(PermissionDenied):
        ledger.dcb.statement("2026-27", actor=ledger.users.actor_for("clerk1", 1))
    ledger.dcb.statement("2026-27", actor=ledger.users.actor_for("commissioner1", 1))
    with pytest.raises(ValidationError, match="fy:"):
        ledger.dcb.statement("2026-28")
    with pytest.raises(ValidationError, match="group_by"):
        ledger.dcb.statement("2026-27", "zone")
    assert ledger.dcb.years()[:2] == ["2026-27", "2025-26"]


def test_a_user_charge_paid_at_another_counter_counts_under_its_service(ledger: Ledger) -> None:
    from app.replica.service import RemotePaymentIn, record_remote_payment

    with ledger.db.read() as session:
        p1 = session.execute(text("SELECT uuid FROM property WHERE property_id = 'W01-000001'")).scalar_one()
        account, period = session.execute(
            text("SELECT account_uuid, period FROM service_demand WHERE service = 'SWM' ORDER BY period LIMIT 1")
        ).one()
    line = {"fy": "2026-27", "head": "SWM_USER_CHARGE", "amount_paise": 3000}
    payment = RemotePaymentIn.from_payload(
        {  # as the central's payment_change_payload sends it: a service line names its account and period
            "uuid": new_uuid(),
            "property_uuid": p1,
            "business_date": "2026-06-16",
            "amount_paise": 3000,
            "lines": [{**line, "service": "SWM", "account": account, "period": period}],
        },
        ledger.clock.now_utc(),
        "",
    )
    with ledger.db.write() as session:
        record_remote_payment(session, payment)
    s = ledger.dcb.statement("2026-27", GroupBy.SERVICE)
    assert figures(row(s, "SWM")) == (3000, 9000, 3000, 6000, 0, 3000)
    assert s.collections_agree and s.remote_paise == 3000


def test_an_overpayment_is_an_advance_row_with_a_credit_balance(ledger: Ledger) -> None:
    clerk = ledger.users.actor_for("clerk1", 1)
    device = MastersService(ledger.db).device()
    audit = AuditLog(ledger.clock, 1)
    collections = CollectionService(
        ledger.db, DuesService(ledger.db, BOOK, ledger.clock, audit), device, audit, Outbox(ledger.clock), ledger.clock
    )
    with ledger.db.read() as session:
        p2 = session.execute(text("SELECT uuid FROM property WHERE property_id = 'W02-000002'")).scalar_one()
    collections.collect(clerk, cash(p2, 10000))  # P2 owes nothing: all of it is credit
    s = ledger.dcb.statement("2026-27", GroupBy.HEAD)
    assert figures(row(s, "ADVANCE")) == (0, 0, 0, 10000, 0, -10000)
    assert s.total.collected_paise == s.receipts_paise == 417900 + 10000
