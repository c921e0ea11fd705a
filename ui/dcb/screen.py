"""The DCB statement on screen: pick the financial year, group by head, ward or service, optionally one
ward; the table shows opening arrears, current demand, collection (arrears, current), rebate, surcharge
accrued and balance with a total row, and under it the check that the total collected equals the year's
receipts. "Save PDF…" writes the same statement as app.reports.dcb_pdf draws it.

The statement is read through ctx.ops (never on the GUI thread); the table holds plain strings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import format_date
from app.core.money import format_inr
from app.errors import NikayError
from app.reports.dcb import DcbRow, DcbStatement, GroupBy
from app.reports.dcb_pdf import render_dcb_pdf
from ui.common.tables import RowsModel, rows_table
from ui.common.widgets import MessageBanner
from ui.context import UiContext

CONTEXT = "DcbScreen"

# (DcbRow attribute, English source text) of the amount columns; Hindi via dcb_hi.ts.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("opening_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Opening arrears"))),
    ("current_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Current demand"))),
    ("demand_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Total demand"))),
    ("collected_arrear_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Collected: arrears"))),
    ("collected_current_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Collected: current"))),
    ("collected_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Total collected"))),
    ("rebate_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Rebate"))),
    ("surcharge_accrued_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Surcharge, penalty accrued"))),
    ("balance_paise", str(QT_TRANSLATE_NOOP("DcbScreen", "Balance"))),
)
GROUPS: tuple[tuple[GroupBy, str], ...] = (
    (GroupBy.HEAD, str(QT_TRANSLATE_NOOP("DcbScreen", "Revenue head"))),
    (GroupBy.WARD, str(QT_TRANSLATE_NOOP("DcbScreen", "Ward"))),
    (GroupBy.SERVICE, str(QT_TRANSLATE_NOOP("DcbScreen", "Service"))),
)
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+Y", str(QT_TRANSLATE_NOOP("DcbScreen", "Choose the financial year"))),
    ("Ctrl+G", str(QT_TRANSLATE_NOOP("DcbScreen", "Group by head, ward or service"))),
    ("Ctrl+S", str(QT_TRANSLATE_NOOP("DcbScreen", "Save the statement as PDF"))),
    ("F5", str(QT_TRANSLATE_NOOP("DcbScreen", "Read the statement again"))),
)


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def two_lines(text: str) -> str:
    """A heading broken at the space nearest its middle: eleven money columns then fit 1366 px
    without squeezing the head or ward names of the first column."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    if not spaces:
        return text
    middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:middle]}\n{text[middle + 1 :]}"


class DcbScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dcbScreen")
        self.ctx = ctx
        self.statement: DcbStatement | None = None
        self._seq = 0
        self.last_saved: Path | None = None

        self.title = QLabel()
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 9) * 1.3)
        self.title.setFont(title_font)
        self.fy_label = QLabel()
        self.fy_combo = QComboBox()
        self.fy_combo.setObjectName("dcbYear")
        self.fy_label.setBuddy(self.fy_combo)
        self.group_label = QLabel()
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("dcbGroup")
        self.group_label.setBuddy(self.group_combo)
        for group, _ in GROUPS:
            self.group_combo.addItem("", group.value)
        self.ward_label = QLabel()
        self.ward_spin = QSpinBox()
        self.ward_spin.setObjectName("dcbWard")
        self.ward_spin.setRange(0, 999)
        self.ward_label.setBuddy(self.ward_spin)
        self.refresh_button = QPushButton()
        self.save_button = QPushButton()
        self.save_button.setObjectName("dcbSavePdf")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        for widget in (
            self.fy_label,
            self.fy_combo,
            self.group_label,
            self.group_combo,
            self.ward_label,
            self.ward_spin,
            self.refresh_button,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.save_button)
        self.banner = MessageBanner()
        self.banner.setObjectName("dcbBanner")

        # Money columns right-aligned; headings over two lines so eleven columns fit 1366 px.
        self.model = RowsModel(self._headers, range(1, len(self._headers())), self, header_text=two_lines)
        self.table = rows_table(self.model, "dcbTable", None)
        self.check_label = QLabel()
        self.check_label.setObjectName("dcbCheck")
        self.check_label.setWordWrap(True)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.check_label)
        layout.addWidget(self.note_label)

        self.refresh_button.clicked.connect(self.refresh)
        self.save_button.clicked.connect(self._choose_pdf_path)
        self.fy_combo.activated.connect(lambda _index: self.refresh())
        self.group_combo.activated.connect(lambda _index: self.refresh())
        self.ward_spin.editingFinished.connect(self.refresh)
        for keys, slot in (
            ("Ctrl+Y", self.fy_combo.setFocus),
            ("Ctrl+G", self.group_combo.setFocus),
            ("Ctrl+S", self._choose_pdf_path),
            ("F5", self.refresh),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.retranslateUi()
        self._load_years()

    # -- screen protocol --------------------------------------------------------------------------------

    def activated(self) -> None:
        self.fy_combo.setFocus()

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        return [(keys, CONTEXT, text) for keys, text in SHORTCUTS]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.title.setText(tr("Demand, collection and balance"))
        self.fy_label.setText(tr("&Financial year"))
        self.group_label.setText(tr("&Group by"))
        self.ward_label.setText(tr("&Ward"))
        self.ward_spin.setSpecialValueText(tr("All wards"))
        self.refresh_button.setText(tr("Refresh (F5)"))
        self.save_button.setText(tr("Save PDF…"))
        for index, (_, text) in enumerate(GROUPS):
            self.group_combo.setItemText(index, tr(text))
        self.note_label.setText(tr("Balance = opening arrears + current demand − collected − rebate."))
        self.model.retranslate()
        self._show()

    # -- data -------------------------------------------------------------------------------------------

    def _headers(self) -> list[str]:
        group = GroupBy(self.group_combo.currentData() or GroupBy.HEAD.value)
        first = next(text for g, text in GROUPS if g == group)
        return [tr(first), *(tr(text) for _, text in COLUMNS)]

    def _load_years(self) -> None:
        services = self.ctx.services

        def years() -> list[str]:
            return services.dcb.years()

        def done(found: list[str]) -> None:
            self.fy_combo.clear()
            self.fy_combo.addItems(found)
            self.refresh()

        self.ctx.ops.read(years, done, self._failed)

    def select(self, fy: str | None = None, group_by: GroupBy | None = None, ward_no: int | None = None) -> None:
        """Set the choices (tests, other screens) and read the statement."""
        if fy is not None:
            self.fy_combo.setCurrentText(fy)
        if group_by is not None:
            self.group_combo.setCurrentIndex(self.group_combo.findData(group_by.value))
        self.ward_spin.setValue(ward_no or 0)
        self.refresh()

    def refresh(self) -> None:
        fy = self.fy_combo.currentText()
        if not fy:
            return
        group = GroupBy(self.group_combo.currentData() or GroupBy.HEAD.value)
        ward = self.ward_spin.value() or None
        services, actor = self.ctx.services, self.ctx.actor
        self._seq += 1
        seq = self._seq

        def read() -> DcbStatement:
            return services.dcb.statement(fy, group, ward, actor=actor)

        def done(statement: DcbStatement) -> None:
            if seq != self._seq:
                return  # a newer choice was made meanwhile
            self.banner.clear_message()
            self.statement = statement
            self.model.retranslate()
            self._show()

        self.ctx.ops.read(read, done, self._failed)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, NikayError):
            self.banner.show_message(str(error))
        else:
            raise error

    def _label(self, row: DcbRow) -> str:
        return row.label_hi if self.ctx.language == "hi" and row.label_hi else row.label_en

    def _show(self) -> None:
        statement = self.statement
        if statement is None:
            self.model.set_rows([])
            self.check_label.setText("")
            return
        rows: list[tuple[str, ...]] = []
        for row in (*statement.rows, statement.total):
            label = tr("Total") if row is statement.total else self._label(row)
            rows.append((label, *(format_inr(getattr(row, name)) for name, _ in COLUMNS)))
        self.model.set_rows(rows, bold={len(rows) - 1})  # the total
        receipts = format_inr(statement.receipts_paise + statement.remote_paise)
        if statement.collections_agree:
            text = tr("Receipts of the year that stand: %1 — equal to the total collected. Surcharge as of %2.")
        else:
            text = tr("Receipts of the year that stand: %1 — NOT equal to the total collected. Surcharge as of %2.")
        self.check_label.setText(text.replace("%1", receipts).replace("%2", format_date(statement.as_of)))

    # -- PDF --------------------------------------------------------------------------------------------

    def _choose_pdf_path(self) -> None:
        if self.statement is None:
            return
        default = str(Path.home() / f"dcb-{self.statement.fy}-{self.statement.group_by.value}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the statement as PDF"), default, "PDF (*.pdf)")
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        statement = self.statement
        if statement is None:
            return
        services = self.ctx.services

        def write() -> Path:
            device = services.device
            path.write_bytes(
                render_dcb_pdf(statement, device.ulb_name_en, device.ulb_name_hi, services.clock.now_utc())
            )
            return path

        def done(saved: Path) -> None:
            self.last_saved = saved
            self.banner.show_message(tr("Saved %1").replace("%1", str(saved)), "info")

        self.ctx.ops.read(write, done, self._failed)
