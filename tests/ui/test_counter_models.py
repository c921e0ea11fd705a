"""The counter's table models pass pytest-qt's qtmodeltester (Qt's QAbstractItemModelTester)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from app.collections.dto import Mode, ReceiptSummary
from app.demand.dto import AllocatedLine, Allocation, DueLine, Dues, Head, RebateOffer
from app.property.dto import PropertyHit
from ui.counter.models import AllocationModel, DuesModel, RowKind, SearchResultsModel
from ui.receipts.screen import ReceiptListModel

DUES = Dues(
    property_uuid="p1",
    as_of=date(2026, 6, 15),
    current_fy="2026-27",
    lines=(
        DueLine("2025-26", Head.PENALTY, 100000, 0, True),
        DueLine("2025-26", Head.SURCHARGE, 39960, 0, True),
        DueLine("2025-26", Head.PROPERTY_TAX, 162000, 0, True),
        DueLine("2026-27", Head.PROPERTY_TAX, 162000, 0, False),
        DueLine("2026-27", Head.SAMEKIT, 60000, 0, False),
    ),
    rebate=RebateOffer("2026-27", Decimal("6.25"), 10125, date(2026, 7, 31)),
    advance_paise=0,
    gross_due_paise=523960,
    round_off_paise=-35,
    payable_paise=513800,
)


def test_search_results_model(qtmodeltester: Any) -> None:
    model = SearchResultsModel()
    hits = [
        PropertyHit(f"u{i}", f"W01-{i:06d}", "", 1, "A", f"Owner {i}", f"मालिक {i}", "98765", "Addr", "पता")
        for i in range(5)
    ]
    model.set_hits(hits)
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "Owner 0 · मालिक 0"
    model.set_language("hi")
    assert model.index(0, 2).data() == "मालिक 0 · Owner 0"


def test_dues_model_keeps_arrears_apart(qtmodeltester: Any) -> None:
    model = DuesModel()
    model.set_dues(DUES)
    qtmodeltester.check(model)
    kinds = [model.row_at(r).kind for r in range(model.rowCount())]
    assert kinds[0] is RowKind.SECTION_ARREAR
    assert kinds.index(RowKind.SECTION_CURRENT) > kinds.index(RowKind.SUBTOTAL)
    assert RowKind.REBATE in kinds and kinds[-1] is RowKind.TOTAL
    assert model.index(model.rowCount() - 1, 4).data() == "₹5,138.00"
    rebate_row = kinds.index(RowKind.REBATE)
    assert "31-07-2026" in model.index(rebate_row, 0).data()
    assert model.index(rebate_row, 4).data() == "-₹101.25"


def test_allocation_model(qtmodeltester: Any) -> None:
    model = AllocationModel()
    allocation = Allocation(
        amount_paise=150000,
        lines=(AllocatedLine("2025-26", Head.PENALTY, 100000), AllocatedLine("2025-26", Head.SURCHARGE, 50000)),
        full_settlement=False,
        rebate_paise=0,
        round_off_paise=0,
        advance_used_paise=0,
        advance_created_paise=0,
        balance_after_paise=373960,
    )
    model.set_allocation(allocation)
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "₹1,000.00"


def test_receipt_list_model(qtmodeltester: Any) -> None:
    model = ReceiptListModel()
    at = datetime(2026, 6, 15, 5, 30, tzinfo=UTC)
    model.set_receipts(
        [
            ReceiptSummary("r1", "DEMO/Z01/C01/2026-27/000001", at, "W01-000001", "A", Mode.CASH, 100000, None),
            ReceiptSummary("r2", "DEMO/Z01/C01/2026-27/000002", at, "W01-000002", "B", Mode.CHEQUE, 5000, "CANCELLED"),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "11:00"  # shown in IST
    assert model.index(1, 6).data() == "CANCELLED"
