from __future__ import annotations

from datetime import UTC, date, datetime

from app.collections.dto import Mode, ReceiptView
from app.demand.dto import AllocatedLine, Head
from app.receipts.document import build_document


def _view(lines: tuple[AllocatedLine, ...], amount: int, duplicate: bool = False) -> ReceiptView:
    return ReceiptView(
        uuid="0190-x",
        receipt_no="DEMO/Z01/C01/2026-27/000007",
        fy="2026-27",
        collected_at=datetime(2026, 6, 15, 5, 30, tzinfo=UTC),
        business_date=date(2026, 6, 15),
        property_uuid="p",
        property_id="W01-000001",
        ward_no=1,
        address_en="12, Gandhi Chowk",
        address_hi="12, गांधी चौक",
        payer_name="Ramesh Sahu",
        collector_name="Sunita Verma",
        mode=Mode.CASH,
        amount_paise=amount,
        tendered_paise=None,
        change_paise=None,
        instrument_no="",
        instrument_date=None,
        bank="",
        branch="",
        lines=lines,
        balance_after_paise=0,
        duplicate=duplicate,
        ulb_name_en="Demo Municipal Corporation",
        ulb_name_hi="डेमो नगर पालिक निगम",
    )


def test_arrears_apart_rebate_negative_advance_shown_as_credit() -> None:
    lines = (
        AllocatedLine("2025-26", Head.PENALTY, 100000),
        AllocatedLine("2025-26", Head.SURCHARGE, 39960),
        AllocatedLine("2025-26", Head.PROPERTY_TAX, 162000),
        AllocatedLine("2026-27", Head.PROPERTY_TAX, 162000),
        AllocatedLine("2026-27", Head.REBATE, -10125),
        AllocatedLine("2026-27", Head.ROUND_OFF, -35),
        AllocatedLine("2026-27", Head.ADVANCE, 20000),
    )
    amount = sum(line.amount_paise for line in lines)
    document = build_document(_view(lines, amount), office_code="Z01", counter_code="C01")
    assert [row.head for row in document.arrear_rows] == [Head.PENALTY, Head.SURCHARGE, Head.PROPERTY_TAX]
    assert [(row.head, row.amount_paise) for row in document.current_rows] == [
        (Head.PROPERTY_TAX, 162000),
        (Head.REBATE, -10125),
        (Head.ROUND_OFF, -35),
    ]
    assert document.advance_credit_paise == 20000
    assert document.period_text == "2025-26 – 2026-27"
    assert document.collected_at_text == "15-06-2026 11:00"
    assert document.words_hi.endswith("मात्र")
    assert document.total_paise == amount


def test_reprint_is_marked_duplicate() -> None:
    document = build_document(
        _view((AllocatedLine("2026-27", Head.SAMEKIT, 30000),), 30000, duplicate=True),
        office_code="Z01",
        counter_code="C01",
    )
    assert document.duplicate
    assert document.rows[0].label_hi == "समेकित कर"
