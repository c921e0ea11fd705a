"""The counter's table models pass pytest-qt's qtmodeltester (Qt's QAbstractItemModelTester)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from app.collections.dto import Mode, ReceiptSummary
from app.core.money import format_inr
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


def _combined_bill() -> Any:
    from app.billing.dto import AccountRef, Bill, BillLine, BillSection
    from app.demand.dto import Service

    house = AccountRef(Service.PROPERTY, "p1", "W01-000001", "Asha Verma", "आशा वर्मा", 1)
    tap = AccountRef(Service.WATER, "w1", "W-01-000001", "Asha Verma", "आशा वर्मा", 1, property_uuid="p1")

    def water(period: str, arrear: bool) -> BillLine:
        key = f"WATER|w1|{period}|WATER_CHARGE"
        return BillLine(key, Service.WATER, "w1", period, "2026-27", Head.WATER_CHARGE, 20000, 0, arrear, True)

    lines = (water("2026-04", True), water("2026-05", False))
    return Bill(
        as_of=date(2026, 6, 15),
        primary=house,
        sections=(BillSection(house, (), DUES.payable_paise, DUES), BillSection(tap, lines, 40000)),
    )


def test_combined_bill_ticks_lines_and_the_property_section(qtmodeltester: Any) -> None:
    from app.demand.dto import Service
    from ui.counter.models import PROPERTY_SECTION_KEY

    model = DuesModel()
    model.set_bill(_combined_bill())
    qtmodeltester.check(model)
    assert model.is_combined()
    kinds = [model.row_at(r).kind for r in range(model.rowCount())]
    assert kinds[0] is RowKind.ACCOUNT and kinds[-1] is RowKind.TOTAL
    assert model.row_at(0).key == PROPERTY_SECTION_KEY
    water = [r for r in model.checkable_rows() if model.row_at(r).service == Service.WATER]
    assert [model.index(r, 0).data() for r in water] == ["Apr 2026", "May 2026"]
    assert model.index(water[0], 1).data() == "Water charge · arrear"
    assert model.chosen_total() == DUES.payable_paise + 40000  # pay all
    assert model.index(model.rowCount() - 1, 4).data() == format_inr(DUES.payable_paise + 40000)

    # A click on a tick box (CheckStateRole) leaves April's water out.
    assert model.setData(model.index(water[0], 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.choice().keys == frozenset({"WATER|w1|2026-05|WATER_CHARGE"})
    assert model.chosen_total() == DUES.payable_paise + 20000

    # The property unticked: its rebate is no longer offered, and only water is chosen.
    model.toggle(0)
    choice = model.choice()
    assert not choice.property_included and model.chosen_total() == 20000
    assert RowKind.REBATE not in [model.row_at(r).kind for r in range(model.rowCount())]
    model.set_all(True)
    assert model.all_checked() and model.choice().property_included
    assert RowKind.REBATE in [model.row_at(r).kind for r in range(model.rowCount())]
