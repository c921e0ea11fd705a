"""Table models of the counter: search results, dues, allocation preview.

Like Anki's DataModel (qt/aqt/browser/table/model.py) they hold plain rows built once when a result
arrives (one model reset per result) and never call a service while painting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPixmap

from app.billing.dto import AccountHit, Bill, BillChoice, BillLine, BillSection
from app.core.clock import format_date
from app.core.money import format_inr
from app.demand.dto import AllocatedLine, Allocation, DueLine, Dues, Head, Service
from app.property.dto import PropertyHit
from ui.counter.labels import SERVICE_COLOURS, head_label, period_label, service_label, status_label

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
ACCOUNT_BG = QColor("#e8ecf2")
UNTICKED_FG = QColor("#8a8f96")  # a line the clerk left out of this payment


def _scaled(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def badge_pixmap(text: str, colour: str, font: QFont) -> QPixmap:
    """A small rounded service badge ("Water", "जल") to put before an account number."""
    badge_font = QFont(font)
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    badge_font.setPointSizeF(size * 0.85)
    badge_font.setBold(True)
    metrics = QFontMetrics(badge_font)
    ratio = 2.0  # drawn at twice the size: sharp on scaled screens
    width = metrics.horizontalAdvance(text) + 12
    height = metrics.height() + 4
    pixmap = QPixmap(int(width * ratio), int(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(0, 0, width, height), 5, 5)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(badge_font)
    painter.drawText(QRectF(0, 0, width, height), int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return pixmap


SearchHit = PropertyHit | AccountHit


class SearchResultsModel(QAbstractTableModel):
    """Search hits as plain display rows. `set_hits` resets the model once per result.

    Property hits and other accounts' hits (water consumer no., licence no., user-charge payer ID) share
    the list; column 0 carries a service badge (Property / Water / Licence / User charge)."""

    COLUMNS = 6  # property id (or account no.), old id (or status), owner, ward, mobile, address

    def __init__(self, parent: QObject | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self._language = language
        self._hits: list[SearchHit] = []
        self._rows: list[tuple[str, str, str, str, str, str]] = []
        self._services: list[str] = []
        self._headers: list[str] = []
        self._badges: dict[str, QPixmap] = {}
        self._font = QFont()
        self.retranslate()

    def set_base_font(self, font: QFont) -> None:
        self._font = QFont(font)
        self._badges.clear()

    def retranslate(self) -> None:
        self._headers = [
            self.tr("Property ID / account no."),
            self.tr("Old ID"),
            self.tr("Owner"),
            self.tr("Ward"),
            self.tr("Mobile"),
            self.tr("Address"),
        ]
        self._badges.clear()  # the badges' words follow the language
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)

    def set_language(self, language: str) -> None:
        self._language = language
        self.set_hits(self._hits)

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        hindi = self._language == "hi"
        rows = []
        services = []
        for hit in hits:
            if isinstance(hit, AccountHit):
                account = hit.account
                first, second = (
                    (account.holder_hi, account.holder_en) if hindi else (account.holder_en, account.holder_hi)
                )
                owner = f"{first} · {second}" if first and second and first != second else (first or second)
                address = (
                    (account.address_hi or account.address_en) if hindi else (account.address_en or account.address_hi)
                )
                status = "" if hit.status == "ACTIVE" else status_label(hit.status)
                rows.append((account.number, status, owner, str(account.ward_no), "", address))
                services.append(str(account.service))
                continue
            first, second = (hit.owner_name_hi, hit.owner_name_en) if hindi else (hit.owner_name_en, hit.owner_name_hi)
            owner = f"{first} · {second}" if first and second and first != second else (first or second)
            address = (hit.address_hi or hit.address_en) if hindi else (hit.address_en or hit.address_hi)
            rows.append((hit.property_id, hit.old_id, owner, str(hit.ward_no), hit.mobile, address))
            services.append(str(Service.PROPERTY))
        self.beginResetModel()
        self._hits = list(hits)
        self._rows = rows
        self._services = services
        self.endResetModel()

    def hit(self, row: int) -> PropertyHit | None:
        """The property hit of a row (None for another service's account, or out of range)."""
        entry = self.entry(row)
        return entry if isinstance(entry, PropertyHit) else None

    def entry(self, row: int) -> SearchHit | None:
        """The hit of a row: a PropertyHit or an AccountHit."""
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def service(self, row: int) -> str:
        return self._services[row] if 0 <= row < len(self._services) else ""

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return self._badge(self._services[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._rows[index.row()][index.column()]
            # Column 0: the badge's service, then the number (a narrow column may elide either).
            return f"{service_label(self._services[index.row()])} {text}" if index.column() == 0 else text or None
        if role == Qt.ItemDataRole.UserRole and index.column() == 0:
            return self._services[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return _RIGHT
        return None

    def _badge(self, service: str) -> QPixmap | None:
        if not isinstance(QCoreApplication.instance(), QGuiApplication):
            return None  # no fonts without a GUI application (a model checked on its own)
        badge = self._badges.get(service)
        if badge is None:
            badge = badge_pixmap(service_label(service), SERVICE_COLOURS.get(service, "#555555"), self._font)
            self._badges[service] = badge
        return badge

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
    ACCOUNT = "account"  # a combined bill's section heading: service, account no., holder


#: The key of the property section's own tick (its lines are taken whole, under the property's rules).
PROPERTY_SECTION_KEY = "PROPERTY"


@dataclass(frozen=True)
class DuesRow:
    kind: RowKind
    fy: str  # the FY, or a service line's period in words
    head: str  # a Head value for LINE rows, else a caption
    raised_paise: int | None
    paid_paise: int | None
    due_paise: int | None
    is_arrear: bool
    key: str = ""  # a checkable row's key: a BillLine key, or PROPERTY_SECTION_KEY
    service: str = ""  # the section's service (combined bills)
    service_line: bool = False  # a line of water / licence / user charge (its period in words)


class DuesModel(QAbstractTableModel):
    """Dues by FY and head: arrears first (shaded, apart), then the current year, then rebate, advance,
    round-off and the payable total. Columns: FY, head, demand, paid, due.

    A combined bill (`set_bill` with more than the property, or another service's account) shows each
    account under its own heading, every water / licence / user-charge line with a tick box, the
    property section with one tick box (it is taken whole), and the total of what is ticked. A bill
    of the property alone looks exactly like its dues."""

    COLUMNS = 5

    choice_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dues: Dues | None = None
        self._bill: Bill | None = None
        self._unticked: set[str] = set()
        self._rows: list[DuesRow] = []
        self._headers: list[str] = []
        self._base_font = QFont()
        self._language = "en"
        self.retranslate()

    def set_base_font(self, font: QFont) -> None:
        self._base_font = QFont(font)

    def set_language(self, language: str) -> None:
        """Holders' names in this script first (the captions follow on retranslate)."""
        self._language = language

    def retranslate(self) -> None:
        self._headers = [self.tr("Year"), self.tr("Head"), self.tr("Demand"), self.tr("Paid"), self.tr("Due")]
        self._rebuild()

    @property
    def dues(self) -> Dues | None:
        return self._dues

    @property
    def bill(self) -> Bill | None:
        return self._bill

    def section_rows(self) -> list[int]:
        """Rows whose caption spans the whole width (section headings, subtotals, totals)."""
        return [i for i, row in enumerate(self._rows) if row.kind is not RowKind.LINE]

    def set_dues(self, dues: Dues | None) -> None:
        self._bill = None
        self._unticked = set()
        self._dues = dues
        self._rebuild()

    def set_bill(self, bill: Bill | None) -> None:
        """Show a bill, everything ticked ("pay all")."""
        self._bill = bill
        self._unticked = set()
        self._dues = property_dues(bill)
        self._rebuild()

    def is_combined(self) -> bool:
        """More than a property's own dues: lines and sections can be ticked."""
        return is_combined(self._bill)

    # -- the clerk's choice -------------------------------------------------------------------------

    def choice(self) -> BillChoice:
        bill = self._bill
        if bill is None:
            return BillChoice(frozenset(), self._dues is not None)
        keys = frozenset(
            line.key
            for section in bill.sections
            if section.service != Service.PROPERTY
            for line in section.lines
            if line.key not in self._unticked and line.due_paise > 0
        )
        property_included = (
            any(section.service == Service.PROPERTY for section in bill.sections)
            and PROPERTY_SECTION_KEY not in self._unticked
        )
        return BillChoice(keys, property_included)

    def chosen_total(self) -> int:
        """What the ticked lines come to (the property section at its payable, rebate included)."""
        bill = self._bill
        if bill is None:
            return self._dues.payable_paise if self._dues is not None else 0
        choice = self.choice()
        total = 0
        for section in bill.sections:
            if section.service == Service.PROPERTY:
                total += section.payable_paise if choice.property_included else 0
            else:
                total += sum(line.due_paise for line in section.lines if line.key in choice.keys)
        return total

    def chosen_services(self) -> list[tuple[BillSection, int]]:
        """(section, amount ticked in it) for each section with something ticked, in bill order."""
        bill = self._bill
        if bill is None:
            return []
        choice = self.choice()
        chosen = []
        for section in bill.sections:
            if section.service == Service.PROPERTY:
                amount = section.payable_paise if choice.property_included else 0
            else:
                amount = sum(line.due_paise for line in section.lines if line.key in choice.keys)
            if amount > 0:
                chosen.append((section, amount))
        return chosen

    def is_checkable(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and bool(self._rows[row].key)

    def is_checked(self, row: int) -> bool:
        return self.is_checkable(row) and self._rows[row].key not in self._unticked

    def checkable_rows(self) -> list[int]:
        return [i for i, row in enumerate(self._rows) if row.key]

    def toggle(self, row: int) -> None:
        if self.is_checkable(row):
            self.set_checked(row, not self.is_checked(row))

    def set_checked(self, row: int, checked: bool) -> None:
        if not self.is_checkable(row) or self.is_checked(row) == checked:
            return
        key = self._rows[row].key
        if checked:
            self._unticked.discard(key)
        else:
            self._unticked.add(key)
        self._rebuild_keeping_rows()

    def set_all(self, checked: bool) -> None:
        """Tick every line (pay all) or none."""
        keys = {self._rows[row].key for row in self.checkable_rows()}
        self._unticked = set() if checked else keys
        self._rebuild_keeping_rows()

    def all_checked(self) -> bool:
        return all(self.is_checked(row) for row in self.checkable_rows())

    def _rebuild_keeping_rows(self) -> None:
        # Ticks change only the rebate row (shown while the property is ticked) and the totals: a reset
        # keeps it simple, and the view keeps its current row (the screen restores it).
        self._rebuild()
        self.choice_changed.emit()

    # -- rows ---------------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        bill = self._bill
        if bill is not None and is_combined(bill):
            rows = self._bill_rows(bill)
        else:
            rows = self._dues_rows(self._dues, total=True, rebate=True)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _dues_rows(self, dues: Dues | None, *, total: bool, rebate: bool) -> list[DuesRow]:
        rows: list[DuesRow] = []
        if dues is None:
            return rows
        arrears = [line for line in dues.lines if line.is_arrear]
        current = [line for line in dues.lines if not line.is_arrear]
        service = str(Service.PROPERTY)
        # In a combined bill the account heading carries the property's total and arrear lines are shaded:
        # the year headings and subtotals are left out, so that more of the bill fits on the screen.
        headings = total
        if arrears and headings:
            rows.append(DuesRow(RowKind.SECTION_ARREAR, "", self.tr("Arrears (earlier years)"), None, None, None, True))
            for line in arrears:
                rows.append(
                    DuesRow(
                        RowKind.LINE,
                        line.fy,
                        line.head,
                        line.raised_paise,
                        line.paid_paise,
                        line.due_paise,
                        True,
                        service=service,
                    )
                )
            rows.append(DuesRow(RowKind.SUBTOTAL, "", self.tr("Arrears total"), None, None, dues.arrear_paise, True))
        elif arrears:
            rows += [self._property_line_row(line, service) for line in arrears]
        if current and headings:
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
                        RowKind.LINE,
                        line.fy,
                        line.head,
                        line.raised_paise,
                        line.paid_paise,
                        line.due_paise,
                        False,
                        service=service,
                    )
                )
            rows.append(
                DuesRow(RowKind.SUBTOTAL, "", self.tr("Current year total"), None, None, dues.current_paise, False)
            )
        elif current:
            rows += [self._property_line_row(line, service) for line in current]
        if rebate and dues.rebate is not None and dues.rebate.amount_paise:
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
            rows.append(DuesRow(RowKind.ROUND_OFF, "", self.tr("Round off"), None, None, dues.round_off_paise, False))
        if total:
            rows.append(DuesRow(RowKind.TOTAL, "", self.tr("Payable today"), None, None, dues.payable_paise, False))
        return rows

    def _bill_rows(self, bill: Bill) -> list[DuesRow]:
        rows: list[DuesRow] = []
        hindi = self._language == "hi"
        for section in bill.sections:
            account = section.account
            service = str(account.service)
            first, second = (account.holder_hi, account.holder_en) if hindi else (account.holder_en, account.holder_hi)
            holder = f"{first} · {second}" if first and second and first != second else (first or second)
            caption = " · ".join(part for part in (service_label(service), account.number, holder) if part)
            if service == Service.PROPERTY:
                included = PROPERTY_SECTION_KEY not in self._unticked
                rows.append(
                    DuesRow(
                        RowKind.ACCOUNT,
                        "",
                        caption,
                        None,
                        None,
                        section.payable_paise,
                        False,
                        key=PROPERTY_SECTION_KEY,
                        service=service,
                    )
                )
                # The rebate is offered only while the property's whole current year is taken.
                rows.extend(self._dues_rows(section.dues, total=False, rebate=included))
                continue
            ticked = _ticked_due(section, self._unticked)
            rows.append(DuesRow(RowKind.ACCOUNT, "", caption, None, None, ticked, False, service=service))
            for line in section.lines:
                rows.append(self._service_line_row(line, service))
        caption = self.tr("Total of the ticked lines")  # the screen shows it as a footer that never scrolls away
        rows.append(DuesRow(RowKind.TOTAL, "", caption, None, None, self._ticked_total(bill), False))
        return rows

    @staticmethod
    def _property_line_row(line: DueLine, service: str) -> DuesRow:
        return DuesRow(
            RowKind.LINE,
            line.fy,
            line.head,
            line.raised_paise,
            line.paid_paise,
            line.due_paise,
            line.is_arrear,
            service=service,
        )

    def _service_line_row(self, line: BillLine, service: str) -> DuesRow:
        return DuesRow(
            RowKind.LINE,
            period_label(line.period),
            line.head,
            line.raised_paise,
            line.paid_paise,
            line.due_paise,
            line.is_arrear,
            key=line.key,
            service=service,
            service_line=True,
        )

    def _ticked_total(self, bill: Bill) -> int:
        total = 0
        for section in bill.sections:
            if section.service == Service.PROPERTY:
                total += section.payable_paise if PROPERTY_SECTION_KEY not in self._unticked else 0
            else:
                total += _ticked_due(section, self._unticked)
        return total

    def _row_ticked(self, row: DuesRow) -> bool:
        """False for a row the clerk unticked, or a property row while the property is unticked."""
        if not self.is_combined():
            return True
        if row.key:
            return row.key not in self._unticked
        if row.service == Service.PROPERTY or (not row.service and row.kind is not RowKind.TOTAL):
            return PROPERTY_SECTION_KEY not in self._unticked
        return True

    def row_at(self, row: int) -> DuesRow:
        return self._rows[row]

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0 and self._rows[index.row()].key:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: _ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or not self.is_checkable(index.row()):
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        self.set_checked(index.row(), bool(checked))
        return True

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == 0 and row.key:
            return Qt.CheckState.Checked if row.key not in self._unticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column >= 2 else _LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self._row_ticked(row):
                return QBrush(UNTICKED_FG)
            return self._foreground(row)
        if role == Qt.ItemDataRole.FontRole:
            if row.kind is RowKind.TOTAL:
                return _scaled(self._base_font, 1.5, bold=True)
            if row.kind in (RowKind.SECTION_ARREAR, RowKind.SECTION_CURRENT, RowKind.SUBTOTAL, RowKind.ACCOUNT):
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
                label = head_label(row.head)
                if row.service_line and row.is_arrear:
                    label += " · " + self.tr("arrear")
                return label
            amount = (row.raised_paise, row.paid_paise, row.due_paise)[column - 2]
            return format_inr(amount) if amount is not None else ""
        if column == 0:
            return row.head  # the caption; the view spans it over the label columns
        if column == 4 and row.due_paise is not None:
            return format_inr(row.due_paise)
        return ""

    @staticmethod
    def _background(row: DuesRow) -> QBrush | None:
        if row.kind is RowKind.ACCOUNT:
            return QBrush(ACCOUNT_BG)
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
        if row.kind is RowKind.ACCOUNT:
            return QBrush(QColor(SERVICE_COLOURS.get(row.service, "#1f3a5f")))
        if row.kind is RowKind.REBATE or row.kind is RowKind.ADVANCE:
            return QBrush(REBATE_FG)
        if row.kind is RowKind.LINE and row.head in (Head.SURCHARGE, Head.PENALTY):
            return QBrush(PENALTY_FG)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section == 0 and self.is_combined():
                return self.tr("Year / period")
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return _RIGHT if section >= 2 else _LEFT
        return None


def property_dues(bill: Bill | None) -> Dues | None:
    """The property section's dues of a bill, if it has one."""
    if bill is None:
        return None
    for section in bill.sections:
        if section.service == Service.PROPERTY and section.dues is not None:
            return section.dues
    return None


def is_combined(bill: Bill | None) -> bool:
    """A bill with more than one property's own dues (the tick boxes are shown)."""
    if bill is None:
        return False
    return len(bill.sections) != 1 or bill.sections[0].service != Service.PROPERTY


def _ticked_due(section: BillSection, unticked: set[str]) -> int:
    return sum(line.due_paise for line in section.lines if line.key not in unticked)


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
        self._allocation = allocation
        self.set_lines(() if allocation is None else allocation.lines)

    def set_lines(self, lines: Sequence[AllocatedLine]) -> None:
        """The allocated lines (a property's, or a combined bill's: other services show their period)."""
        self.beginResetModel()
        self._rows = [(_period_of(line), line.head, line.amount_paise) for line in lines]
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


def _period_of(line: AllocatedLine) -> str:
    """A property line's FY, or another service's period in words."""
    return line.fy if line.service == Service.PROPERTY else period_label(line.period)
