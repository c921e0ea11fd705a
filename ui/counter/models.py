"""Table models of the counter: search results, dues, allocation preview.

Like Anki's DataModel (qt/aqt/browser/table/model.py) they hold plain rows built once when a result
arrives (one model reset per result) and never call a service while painting.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.clock import format_date
from app.core.money import format_inr
from app.demand.dto import Allocation, Dues, Head
from app.property.dto import PropertyHit
from ui.counter.labels import head_label

_ModelIndex = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

# High-contrast colours, readable at arm's length.
ARREAR_BG = QColor("#fff1d6")
SECTION_ARREAR_BG = QColor("#f7d9a0")
CURRENT_BG = QColor("#ffffff")
SECTION_CURRENT_BG = QColor("#cfe3f7")
PENALTY_FG = QColor("#b00020")
REBATE_FG = QColor("#0b6b2f")
TOTAL_BG = QColor("#1f3a5f")
TOTAL_FG = QColor("#ffffff")


def _scaled(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


class SearchResultsModel(QAbstractTableModel):
    """Search hits as plain display rows. `set_hits` resets the model once per result."""

    COLUMNS = 6  # property id, old id, owner, ward, mobile, address

    def __init__(self, parent: QObject | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self._language = language
        self._hits: list[PropertyHit] = []
        self._rows: list[tuple[str, str, str, str, str, str]] = []
        self._headers: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        self._headers = [
            self.tr("Property ID"),
            self.tr("Old ID"),
            self.tr("Owner"),
            self.tr("Ward"),
            self.tr("Mobile"),
            self.tr("Address"),
        ]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)

    def set_language(self, language: str) -> None:
        self._language = language
        self.set_hits(self._hits)

    def set_hits(self, hits: list[PropertyHit]) -> None:
        hindi = self._language == "hi"
        rows = []
        for hit in hits:
            first, second = (hit.owner_name_hi, hit.owner_name_en) if hindi else (hit.owner_name_en, hit.owner_name_hi)
            owner = f"{first} · {second}" if first and second and first != second else (first or second)
            address = (hit.address_hi or hit.address_en) if hindi else (hit.address_en or hit.address_hi)
            rows.append((hit.property_id, hit.old_id, owner, str(hit.ward_no), hit.mobile, address))
        self.beginResetModel()
        self._hits = list(hits)
        self._rows = rows
        self.endResetModel()

    def hit(self, row: int) -> PropertyHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return _RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


class RowKind(Enum):
    SECTION_ARREAR = "section_arrear"
    SECTION_CURRENT = "section_current"
    LINE = "line"
    SUBTOTAL = "subtotal"
    REBATE = "rebate"
    ADVANCE = "advance"
    ROUND_OFF = "round_off"
    TOTAL = "total"


@dataclass(frozen=True)
class DuesRow:
    kind: RowKind
    fy: str
    head: str  # a Head value for LINE rows, else a caption
    raised_paise: int | None
    paid_paise: int | None
    due_paise: int | None
    is_arrear: bool


class DuesModel(QAbstractTableModel):
    """Dues by FY and head: arrears first (shaded, apart), then the current year, then rebate, advance,
    round-off and the payable total. Columns: FY, head, demand, paid, due."""

    COLUMNS = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dues: Dues | None = None
        self._rows: list[DuesRow] = []
        self._headers: list[str] = []
        self._base_font = QFont()
        self.retranslate()

    def set_base_font(self, font: QFont) -> None:
        self._base_font = QFont(font)

    def retranslate(self) -> None:
        self._headers = [self.tr("Year"), self.tr("Head"), self.tr("Demand"), self.tr("Paid"), self.tr("Due")]
        self.set_dues(self._dues)

    @property
    def dues(self) -> Dues | None:
        return self._dues

    def section_rows(self) -> list[int]:
        """Rows whose caption spans the whole width (section headings, subtotals, totals)."""
        return [i for i, row in enumerate(self._rows) if row.kind is not RowKind.LINE]

    def set_dues(self, dues: Dues | None) -> None:
        rows: list[DuesRow] = []
        if dues is not None:
            arrears = [line for line in dues.lines if line.is_arrear]
            current = [line for line in dues.lines if not line.is_arrear]
            if arrears:
                rows.append(
                    DuesRow(RowKind.SECTION_ARREAR, "", self.tr("Arrears (earlier years)"), None, None, None, True)
                )
                for line in arrears:
                    rows.append(
                        DuesRow(
                            RowKind.LINE, line.fy, line.head, line.raised_paise, line.paid_paise, line.due_paise, True
                        )
                    )
                rows.append(
                    DuesRow(RowKind.SUBTOTAL, "", self.tr("Arrears total"), None, None, dues.arrear_paise, True)
                )
            if current:
                rows.append(
                    DuesRow(
                        RowKind.SECTION_CURRENT,
                        "",
                        self.tr("Current year %1").replace("%1", dues.current_fy),
                        None,
                        None,
                        None,
                        False,
                    )
                )
                for line in current:
                    rows.append(
                        DuesRow(
                            RowKind.LINE, line.fy, line.head, line.raised_paise, line.paid_paise, line.due_paise, False
                        )
                    )
                rows.append(
                    DuesRow(RowKind.SUBTOTAL, "", self.tr("Current year total"), None, None, dues.current_paise, False)
                )
            if dues.rebate is not None and dues.rebate.amount_paise:
                caption = (
                    self.tr("Rebate %1% if the whole current year is paid by %2")
                    .replace("%1", f"{dues.rebate.percent.normalize():f}")
                    .replace("%2", format_date(dues.rebate.valid_until))
                )
                rows.append(DuesRow(RowKind.REBATE, "", caption, None, None, -dues.rebate.amount_paise, False))
            if dues.advance_paise:
                rows.append(
                    DuesRow(RowKind.ADVANCE, "", self.tr("Advance credit held"), None, None, -dues.advance_paise, False)
                )
            if dues.round_off_paise:
                rows.append(
                    DuesRow(RowKind.ROUND_OFF, "", self.tr("Round off"), None, None, dues.round_off_paise, False)
                )
            rows.append(DuesRow(RowKind.TOTAL, "", self.tr("Payable today"), None, None, dues.payable_paise, False))
        self.beginResetModel()
        self._dues = dues
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> DuesRow:
        return self._rows[row]

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column >= 2 else _LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row)
        if role == Qt.ItemDataRole.FontRole:
            if row.kind is RowKind.TOTAL:
                return _scaled(self._base_font, 1.5, bold=True)
            if row.kind in (RowKind.SECTION_ARREAR, RowKind.SECTION_CURRENT, RowKind.SUBTOTAL):
                return _scaled(self._base_font, 1.1, bold=True)
            if column == 4:
                return _scaled(self._base_font, 1.2, bold=True)
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.kind.value
        return None

    def _display(self, row: DuesRow, column: int) -> str:
        if row.kind is RowKind.LINE:
            if column == 0:
                return row.fy
            if column == 1:
                return head_label(row.head)
            amount = (row.raised_paise, row.paid_paise, row.due_paise)[column - 2]
            return format_inr(amount) if amount is not None else ""
        if column == 0:
            return row.head  # the caption; the view spans it over the label columns
        if column == 4 and row.due_paise is not None:
            return format_inr(row.due_paise)
        return ""

    @staticmethod
    def _background(row: DuesRow) -> QBrush | None:
        if row.kind is RowKind.SECTION_ARREAR:
            return QBrush(SECTION_ARREAR_BG)
        if row.kind is RowKind.SECTION_CURRENT:
            return QBrush(SECTION_CURRENT_BG)
        if row.kind is RowKind.TOTAL:
            return QBrush(TOTAL_BG)
        if row.is_arrear:
            return QBrush(ARREAR_BG)
        return None

    @staticmethod
    def _foreground(row: DuesRow) -> QBrush | None:
        if row.kind is RowKind.TOTAL:
            return QBrush(TOTAL_FG)
        if row.kind is RowKind.REBATE or row.kind is RowKind.ADVANCE:
            return QBrush(REBATE_FG)
        if row.kind is RowKind.LINE and row.head in (Head.SURCHARGE, Head.PENALTY):
            return QBrush(PENALTY_FG)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return _RIGHT if section >= 2 else _LEFT
        return None


class AllocationModel(QAbstractTableModel):
    """How the amount being taken will be spread: FY, head, amount."""

    COLUMNS = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, int]] = []
        self._allocation: Allocation | None = None
        self._headers: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        self._headers = [self.tr("Year"), self.tr("Head"), self.tr("Amount")]
        self.set_allocation(self._allocation)

    def set_allocation(self, allocation: Allocation | None) -> None:
        rows = [] if allocation is None else [(line.fy, line.head, line.amount_paise) for line in allocation.lines]
        self.beginResetModel()
        self._allocation = allocation
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        fy, head, amount = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (fy, head_label(head), format_inr(amount))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == 2 else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if head in (Head.SURCHARGE, Head.PENALTY):
                return QBrush(PENALTY_FG)
            if head in (Head.REBATE, Head.ADVANCE):
                return QBrush(REBATE_FG)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
