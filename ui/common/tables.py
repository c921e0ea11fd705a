"""A read-only table of strings, shared by the office screens (registers, water, DCB)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

_ModelIndex = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
CANCELLED_FG = QColor("#b00020")


class RowsModel(QAbstractTableModel):
    """Rows of plain strings; `right` columns right-aligned; `struck` rows red (amounts struck out);
    `bold` rows bold (totals). Headers come from `headers()` at paint time, so a language switch only
    needs `retranslate()`; `header_text` may reshape each (e.g. break it over two lines)."""

    def __init__(
        self,
        headers: Callable[[], Sequence[str]],
        right: Sequence[int] = (),
        parent: QObject | None = None,
        header_text: Callable[[str], str] = str,
    ) -> None:
        super().__init__(parent)
        self._headers = headers
        self._right = set(right)
        self._header_text = header_text
        self._rows: list[tuple[str, ...]] = []
        self._struck: set[int] = set()
        self._bold: set[int] = set()

    def set_rows(
        self, rows: list[tuple[str, ...]], struck: set[int] | None = None, bold: set[int] | None = None
    ) -> None:
        self.beginResetModel()
        self._rows = rows
        self._struck = struck or set()
        self._bold = bold or set()
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.columnCount() - 1, 0))

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers())

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in self._right else LEFT
        if role == Qt.ItemDataRole.ForegroundRole and row in self._struck:
            return QBrush(CANCELLED_FG)
        if role == Qt.ItemDataRole.FontRole and (row in self._struck or row in self._bold):
            font = QFont()
            font.setStrikeOut(row in self._struck and column in self._right)
            font.setBold(row in self._bold)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                headers = self._headers()
                return self._header_text(headers[section]) if section < len(headers) else None
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT if section in self._right else LEFT
        return None


def rows_table(model: RowsModel, name: str, stretch: int | None, single_selection: bool = False) -> QTableView:
    """A read-only view of `model`: whole rows selected, no grid editing, room for Devanagari marks;
    columns sized to their contents, `stretch` (if any) taking the rest of the width."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(False)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
