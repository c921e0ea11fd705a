"""The User charges (solid-waste) screen: find payers (ID, name in English or Hindi, mobile, property ID),
register one, edit or close it, and generate a month's user charges.

Everything goes through app.swm.service.SwmService on the worker threads (ctx.ops); the table holds plain
strings. Dialogs only gather input: the screen runs the call and either closes the dialog (done) or shows
the service's message in the dialog's banner with the input kept as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_inr
from app.errors import NikayError
from app.swm.dto import GenerationResult, PayerInput, PayerView
from app.swm.service import month_of
from ui.common.widgets import MessageBanner
from ui.context import UiContext

CONTEXT = "SwmScreen"
_ModelIndex = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

CATEGORY_TEXT: dict[str, str] = {
    "HOUSEHOLD": str(QT_TRANSLATE_NOOP("SwmScreen", "Household (by built-up area)")),
    "BPL_SLUM": str(QT_TRANSLATE_NOOP("SwmScreen", "BPL / slum household (exempt)")),
    "SHOP": str(QT_TRANSLATE_NOOP("SwmScreen", "Shop")),
    "EATERY": str(QT_TRANSLATE_NOOP("SwmScreen", "Eatery, dhaba")),
    "HOTEL_RESTAURANT": str(QT_TRANSLATE_NOOP("SwmScreen", "Hotel, restaurant")),
    "OFFICE_BANK": str(QT_TRANSLATE_NOOP("SwmScreen", "Office, bank")),
    "INSTITUTION": str(QT_TRANSLATE_NOOP("SwmScreen", "Institution")),
    "STAR_HOTEL": str(QT_TRANSLATE_NOOP("SwmScreen", "Star hotel")),
    "STREET_VENDOR": str(QT_TRANSLATE_NOOP("SwmScreen", "Street vendor (exempt)")),
}
STATUS_TEXT = {
    "ACTIVE": str(QT_TRANSLATE_NOOP("SwmScreen", "Active")),
    "CLOSED": str(QT_TRANSLATE_NOOP("SwmScreen", "Closed")),
}
HEADERS = (
    str(QT_TRANSLATE_NOOP("SwmScreen", "Payer ID")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "Name")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "Ward")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "Category")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "Property")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "Billed with property")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "Monthly")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "From")),
    str(QT_TRANSLATE_NOOP("SwmScreen", "Status")),
)
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", str(QT_TRANSLATE_NOOP("SwmScreen", "Find a payer"))),
    ("Ctrl+N", str(QT_TRANSLATE_NOOP("SwmScreen", "Register a payer"))),
    ("Ctrl+E", str(QT_TRANSLATE_NOOP("SwmScreen", "Edit the payer"))),
    ("Ctrl+G", str(QT_TRANSLATE_NOOP("SwmScreen", "Generate a month's user charges"))),
    ("F5", str(QT_TRANSLATE_NOOP("SwmScreen", "Read the list again"))),
)


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def category_text(key: str) -> str:
    return tr(CATEGORY_TEXT[key]) if key in CATEGORY_TEXT else key.replace("_", " ").title()


class PayersModel(QAbstractTableModel):
    def __init__(self, screen: SwmScreen) -> None:
        super().__init__(screen)
        self._screen = screen
        self.payers: list[PayerView] = []

    def set_payers(self, payers: list[PayerView]) -> None:
        self.beginResetModel()
        self.payers = payers
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.payers:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.payers) - 1, len(HEADERS) - 1))

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.payers)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def text(self, row: int, column: int) -> str:
        p = self.payers[row]
        hindi = self._screen.ctx.language == "hi"
        if column == 0:
            return p.payer_id
        if column == 1:
            return (p.name_hi or p.name_en) if hindi else (p.name_en or p.name_hi)
        if column == 2:
            return str(p.ward_no)
        if column == 3:
            text = category_text(p.category)
            if p.built_up_sqft is not None and p.category == "HOUSEHOLD":
                text += f" · {p.built_up_sqft.normalize():f} sq ft"
            return text
        if column == 4:
            return p.property_id
        if column == 5:
            return tr("Yes") if p.billed_with_property else tr("No")
        if column == 6:
            return "" if p.monthly_paise is None else format_inr(p.monthly_paise)
        if column == 7:
            return p.start_month
        return tr(STATUS_TEXT.get(p.status, p.status))

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if index.column() in (2, 6) else _LEFT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADERS[section]) if section < len(HEADERS) else None
        return None


class _Dialog(QDialog):
    """A form, a banner for the service's message, OK/Cancel. `submit` runs on OK."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.banner = MessageBanner()
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.submit: Callable[[], None] = lambda: None

    def _ok(self) -> None:
        self.banner.clear_message()
        self.submit()

    def failed(self, message: str) -> None:
        self.banner.show_message(message)


class PayerDialog(_Dialog):
    """Register a payer (no `payer`) or edit one."""

    def __init__(self, parent: QWidget | None, categories: list[str], payer: PayerView | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("swmPayerDialog")
        self.payer = payer
        self.setWindowTitle(tr("Edit payer %1").replace("%1", payer.payer_id) if payer else tr("Register a payer"))
        self.name_en = QLineEdit()
        self.name_hi = QLineEdit()
        self.mobile = QLineEdit()
        self.address_en = QLineEdit()
        self.address_hi = QLineEdit()
        self.ward = QSpinBox()
        self.ward.setRange(1, 999)
        self.category = QComboBox()
        for key in categories:
            self.category.addItem(category_text(key), key)
        self.sqft = QLineEdit()
        self.property_id = QLineEdit()
        self.billed_with_property = QCheckBox(tr("Charge it on the property's bill"))
        self.start_month = QLineEdit()
        self.start_month.setPlaceholderText("2026-04")
        for label, widget in (
            (tr("Name (English)"), self.name_en),
            (tr("Name (Hindi)"), self.name_hi),
            (tr("Mobile"), self.mobile),
            (tr("Address (English)"), self.address_en),
            (tr("Address (Hindi)"), self.address_hi),
            (tr("Ward"), self.ward),
            (tr("Category"), self.category),
            (tr("Built-up area (sq ft)"), self.sqft),
            (tr("Property ID (if linked)"), self.property_id),
            ("", self.billed_with_property),
            (tr("Charged from month"), self.start_month),
        ):
            self.form.addRow(label, widget)
        self.category.currentIndexChanged.connect(self._category_changed)
        self.property_id.textChanged.connect(self._category_changed)
        if payer is not None:
            self.name_en.setText(payer.name_en)
            self.name_hi.setText(payer.name_hi)
            self.mobile.setText(payer.mobile)
            self.address_en.setText(payer.address_en)
            self.address_hi.setText(payer.address_hi)
            self.ward.setValue(payer.ward_no)
            self.category.setCurrentIndex(max(self.category.findData(payer.category), 0))
            self.sqft.setText("" if payer.built_up_sqft is None else f"{payer.built_up_sqft.normalize():f}")
            self.property_id.setText(payer.property_id)
            self.billed_with_property.setChecked(payer.billed_with_property)
            self.start_month.setText(payer.start_month)
        self._category_changed()

    def _category_changed(self) -> None:
        self.sqft.setEnabled(self.category.currentData() == "HOUSEHOLD")
        linked = bool(self.property_id.text().strip())
        self.billed_with_property.setEnabled(linked)
        if not linked:
            self.billed_with_property.setChecked(False)

    def sqft_value(self) -> Decimal | None:
        text = self.sqft.text().strip().replace(",", "")
        if not text or self.category.currentData() != "HOUSEHOLD":
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(tr("Built-up area: %1 is not a number").replace("%1", text)) from None


class GenerateDialog(_Dialog):
    def __init__(self, parent: QWidget | None, month: str) -> None:
        super().__init__(parent)
        self.setObjectName("swmGenerateDialog")
        self.setWindowTitle(tr("Generate user charges"))
        self.month = QLineEdit(month)
        self.form.addRow(tr("Month (e.g. 2026-11)"), self.month)
        note = QLabel(
            tr(
                "Raises the month's user charge for every active payer charged from that month or earlier. "
                "Exempt categories raise nothing; charges already raised are left as they are."
            )
        )
        note.setWordWrap(True)
        self.form.addRow(note)


class SwmScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("swmScreen")
        self.ctx = ctx
        self.dialog: _Dialog | None = None
        self.categories: list[str] = ["HOUSEHOLD"]
        self.last_generation: GenerationResult | None = None

        self.title = QLabel()
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 9) * 1.3)
        self.title.setFont(font)
        self.search = QLineEdit()
        self.search.setObjectName("swmSearch")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton()
        self.edit_button = QPushButton()
        self.close_button = QPushButton()
        self.generate_button = QPushButton()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.search, 1)
        for button in (self.new_button, self.edit_button, self.close_button, self.generate_button):
            top.addWidget(button)
        self.banner = MessageBanner()
        self.banner.setObjectName("swmBanner")
        self.model = PayersModel(self)
        self.table = QTableView()
        self.table.setObjectName("swmPayers")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.new_button.clicked.connect(self.open_register)
        self.edit_button.clicked.connect(self.open_edit)
        self.close_button.clicked.connect(self.close_selected)
        self.generate_button.clicked.connect(self.open_generate)
        self.table.doubleClicked.connect(lambda _index: self.open_edit())
        for keys, slot in (
            ("Ctrl+F", self.search.setFocus),
            ("Ctrl+N", self.open_register),
            ("Ctrl+E", self.open_edit),
            ("Ctrl+G", self.open_generate),
            ("F5", self.refresh),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.retranslateUi()
        self._load_categories()
        self.refresh()

    # -- screen protocol --------------------------------------------------------------------------------

    def activated(self) -> None:
        self.search.setFocus()

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        return [(keys, CONTEXT, text) for keys, text in SHORTCUTS]

    def hideEvent(self, event: Any) -> None:
        self._debounce.stop()  # a search typed just before leaving the screen is not run for nobody
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.title.setText(tr("User charges"))
        self.search.setPlaceholderText(tr("Payer ID, name, mobile or property ID"))
        self.new_button.setText(tr("Register (Ctrl+N)"))
        self.edit_button.setText(tr("Edit (Ctrl+E)"))
        self.close_button.setText(tr("Close payer"))
        self.generate_button.setText(tr("Generate month (Ctrl+G)"))
        self.model.retranslate()
        self._count()

    def _count(self) -> None:
        self.count_label.setText(tr("%1 payers shown").replace("%1", str(len(self.model.payers))))

    # -- reading ----------------------------------------------------------------------------------------

    def _load_categories(self) -> None:
        swm = self.ctx.services.swm

        def read() -> list[str]:
            return [key for key, _ in swm.categories()]

        def done(keys: list[str]) -> None:
            self.categories = keys

        self.ctx.ops.read(read, done, self._failed)

    def refresh(self) -> None:
        swm, text = self.ctx.services.swm, self.search.text()

        def read() -> list[PayerView]:
            return swm.search(text)

        def done(payers: list[PayerView]) -> None:
            selected = self.selected()
            self.model.set_payers(payers)
            self._count()
            if selected is not None:
                for row, payer in enumerate(payers):
                    if payer.uuid == selected.uuid:
                        self.table.selectRow(row)

        self.ctx.ops.read(read, done, self._failed)

    def selected(self) -> PayerView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.model.payers):
            return None
        return self.model.payers[rows[0].row()]

    def _failed(self, error: Exception) -> None:
        if isinstance(error, NikayError):
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.failed(str(error))
            else:
                self.banner.show_message(str(error))
        else:
            raise error

    # -- dialogs ----------------------------------------------------------------------------------------

    def open_register(self) -> None:
        self._open_payer(None)

    def open_edit(self) -> None:
        payer = self.selected()
        if payer is None:
            self.banner.show_message(tr("Choose a payer in the list first."))
            return
        self._open_payer(payer)

    def _open_payer(self, payer: PayerView | None) -> None:
        dialog = PayerDialog(self, self.categories, payer)
        dialog.submit = lambda: self._save(dialog)
        self.dialog = dialog
        dialog.open()

    def _save(self, dialog: PayerDialog) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        try:
            sqft = dialog.sqft_value()
        except ValueError as error:
            dialog.failed(str(error))
            return
        property_id = dialog.property_id.text().strip()
        data = PayerInput(
            name_en=dialog.name_en.text(),
            name_hi=dialog.name_hi.text(),
            mobile=dialog.mobile.text(),
            address_en=dialog.address_en.text(),
            address_hi=dialog.address_hi.text(),
            ward_no=dialog.ward.value(),
            category=str(dialog.category.currentData()),
            built_up_sqft=sqft,
            billed_with_property=dialog.billed_with_property.isChecked(),
            start_month=dialog.start_month.text().strip(),
        )
        existing = dialog.payer

        def write() -> PayerView:
            linked = data
            if property_id:
                linked = PayerInput(
                    **{**data.__dict__, "property_uuid": services.properties.get_by_property_id(property_id).uuid}
                )
            if existing is None:
                return services.swm.register(actor, linked)
            return services.swm.update(actor, existing.uuid, linked, existing.version)

        def done(payer: PayerView) -> None:
            dialog.accept()
            self.dialog = None
            self.banner.show_message(tr("Saved payer %1").replace("%1", payer.payer_id), "info")
            self.search.setText(payer.payer_id)
            self.refresh()

        self.ctx.ops.write(write, done, self._failed)

    def close_selected(self) -> None:
        payer = self.selected()
        if payer is None:
            self.banner.show_message(tr("Choose a payer in the list first."))
            return
        services, actor = self.ctx.services, self.ctx.actor

        def write() -> PayerView:
            return services.swm.close(actor, payer.uuid, payer.version)

        def done(closed: PayerView) -> None:
            self.banner.show_message(
                tr("Payer %1 closed: no further months are charged.").replace("%1", closed.payer_id), "info"
            )
            self.refresh()

        self.ctx.ops.write(write, done, self._failed)

    def open_generate(self) -> None:
        from app.core.clock import business_date

        dialog = GenerateDialog(self, month_of(business_date(self.ctx.services.clock.now_utc())))
        dialog.submit = lambda: self._generate(dialog)
        self.dialog = dialog
        dialog.open()

    def _generate(self, dialog: GenerateDialog) -> None:
        services, actor, month = self.ctx.services, self.ctx.actor, dialog.month.text().strip()

        def write() -> GenerationResult:
            return services.swm.generate_month(actor, month)

        def done(result: GenerationResult) -> None:
            dialog.accept()
            self.dialog = None
            self.last_generation = result
            text = tr("%1: %2 charges raised (%3); %4 had it already; %5 exempt.")
            for key, value in (
                ("%1", result.month),
                ("%2", str(result.raised)),
                ("%3", format_inr(result.amount_paise)),
                ("%4", str(result.already)),
                ("%5", str(result.exempt)),
            ):
                text = text.replace(key, value)
            self.banner.show_message(text, "info")

        self.ctx.ops.write(write, done, self._failed)
