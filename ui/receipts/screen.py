"""Receipts of a day: list, preview, reprint (DUPLICATE, never a new number), cancel with a supervisor's
login typed on this same screen plus a reason, and cheque/DD dishonour. Cancelled rows are struck through.

Everything that touches the database runs through ctx.ops; the list model holds plain rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.collections.dto import Mode, ReceiptSummary, ReceiptView
from app.core.clock import business_date, to_ist
from app.core.money import format_inr
from app.security.roles import Permission
from ui.common.widgets import MessageBanner
from ui.context import UiContext
from ui.counter.labels import mode_label
from ui.counter.receipt_view import ReceiptPreview

_ModelIndex = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CANCELLED_FG = QColor("#b00020")

SHORTCUTS_CONTEXT = "ReceiptsShortcuts"
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+D", QT_TRANSLATE_NOOP("ReceiptsShortcuts", "Choose the date")),
    ("↑ / ↓", QT_TRANSLATE_NOOP("ReceiptsShortcuts", "Move through the receipts")),
    ("Ctrl+P", QT_TRANSLATE_NOOP("ReceiptsShortcuts", "Reprint the selected receipt (marked DUPLICATE)")),
    ("Ctrl+Del", QT_TRANSLATE_NOOP("ReceiptsShortcuts", "Cancel the selected receipt (a supervisor logs in here)")),
    ("Ctrl+B", QT_TRANSLATE_NOOP("ReceiptsShortcuts", "Cheque/DD dishonoured")),
    ("Esc", QT_TRANSLATE_NOOP("ReceiptsShortcuts", "Close the cancel/dishonour form")),
)


class ReceiptListModel(QAbstractTableModel):
    """Receipt summaries as plain rows; cancelled/dishonoured rows struck through in red."""

    COLUMNS = 7  # number, time, property, payer, mode, amount, status

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ReceiptSummary] = []
        self._headers: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        self._headers = [
            self.tr("Receipt no."),
            self.tr("Time"),
            self.tr("Property"),
            self.tr("Payer"),
            self.tr("Mode"),
            self.tr("Amount"),
            self.tr("Status"),
        ]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)

    def set_receipts(self, receipts: list[ReceiptSummary]) -> None:
        self.beginResetModel()
        self._rows = list(receipts)
        self.endResetModel()

    def receipt(self, row: int) -> ReceiptSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, uuid: str) -> int:
        for i, summary in enumerate(self._rows):
            if summary.uuid == uuid:
                return i
        return -1

    def status_text(self, summary: ReceiptSummary) -> str:
        if summary.cancelled == "CANCELLED":
            return self.tr("CANCELLED")
        if summary.cancelled == "DISHONOURED":
            return self.tr("DISHONOURED")
        return self.tr("Valid")

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        summary = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return summary.receipt_no
            if column == 1:
                return to_ist(summary.collected_at).strftime("%H:%M")
            if column == 2:
                return summary.property_id
            if column == 3:
                return summary.payer_name
            if column == 4:
                return mode_label(summary.mode)
            if column == 5:
                return format_inr(summary.amount_paise)
            return self.status_text(summary)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 5:
            return _RIGHT
        if summary.cancelled:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(CANCELLED_FG)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setStrikeOut(column != 6)
                font.setBold(column == 6)
                return font
        if role == Qt.ItemDataRole.UserRole:
            return summary.uuid
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


class ReceiptsScreen(QWidget):
    """Today's receipts (or another day's), with reprint, cancel (supervisor on this screen) and dishonour."""

    FORM_NONE = 0
    FORM_CANCEL = 1
    FORM_DISHONOUR = 2

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptsScreen")
        self.ctx = ctx
        self._list_seq = 0
        self._preview_seq = 0
        self._busy = False
        self._select_after_load: str | None = None

        # -- top bar --------------------------------------------------------------------------------
        self.date_label = QLabel()
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("receiptDate")
        self.date_edit.setDisplayFormat("dd-MM-yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_label.setBuddy(self.date_edit)
        self.mine_check = QCheckBox()
        self.mine_check.setObjectName("onlyMine")
        self.refresh_button = QPushButton()
        self.count_label = QLabel()
        self.count_label.setObjectName("receiptCount")
        top = QHBoxLayout()
        top.addWidget(self.date_label)
        top.addWidget(self.date_edit)
        top.addWidget(self.mine_check)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.count_label)

        # -- list -----------------------------------------------------------------------------------
        self.model = ReceiptListModel(self)
        self.table = QTableView()
        self.table.setObjectName("receiptsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        # -- actions --------------------------------------------------------------------------------
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("reprintButton")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelReceiptButton")
        self.dishonour_button = QPushButton()
        self.dishonour_button.setObjectName("dishonourButton")
        actions = QHBoxLayout()
        actions.addWidget(self.reprint_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.dishonour_button)
        actions.addStretch(1)

        # Cancel: the supervisor types their own user name and password here, plus a reason.
        self.cancel_box = QGroupBox()
        self.supervisor_user = QLineEdit()
        self.supervisor_user.setObjectName("supervisorUser")
        self.supervisor_password = QLineEdit()
        self.supervisor_password.setObjectName("supervisorPassword")
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.cancel_reason = QLineEdit()
        self.cancel_reason.setObjectName("cancelReason")
        self.cancel_confirm = QPushButton()
        self.cancel_confirm.setObjectName("cancelConfirm")
        self.cancel_back = QPushButton()
        cancel_form = QFormLayout(self.cancel_box)
        self.supervisor_user_label = QLabel()
        self.supervisor_password_label = QLabel()
        self.cancel_reason_label = QLabel()
        cancel_form.addRow(self.supervisor_user_label, self.supervisor_user)
        cancel_form.addRow(self.supervisor_password_label, self.supervisor_password)
        cancel_form.addRow(self.cancel_reason_label, self.cancel_reason)
        cancel_buttons = QHBoxLayout()
        cancel_buttons.addWidget(self.cancel_back)
        cancel_buttons.addStretch(1)
        cancel_buttons.addWidget(self.cancel_confirm)
        cancel_form.addRow(cancel_buttons)

        self.dishonour_box = QGroupBox()
        self.dishonour_reason = QLineEdit()
        self.dishonour_reason.setObjectName("dishonourReason")
        self.dishonour_confirm = QPushButton()
        self.dishonour_confirm.setObjectName("dishonourConfirm")
        self.dishonour_back = QPushButton()
        dishonour_form = QFormLayout(self.dishonour_box)
        self.dishonour_reason_label = QLabel()
        dishonour_form.addRow(self.dishonour_reason_label, self.dishonour_reason)
        dishonour_buttons = QHBoxLayout()
        dishonour_buttons.addWidget(self.dishonour_back)
        dishonour_buttons.addStretch(1)
        dishonour_buttons.addWidget(self.dishonour_confirm)
        dishonour_form.addRow(dishonour_buttons)

        self.forms = QStackedWidget()
        self.forms.addWidget(QWidget())
        self.forms.addWidget(self.cancel_box)
        self.forms.addWidget(self.dishonour_box)
        self.forms.setCurrentIndex(self.FORM_NONE)

        self.banner = MessageBanner()
        self.banner.setObjectName("receiptsBanner")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.forms)

        self.preview = ReceiptPreview(ctx.services.receipts.document_of)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        # -- wiring ---------------------------------------------------------------------------------
        self.date_edit.setDate(self._qdate(self.today()))
        self.date_edit.dateChanged.connect(lambda _d: self.reload())
        self.mine_check.toggled.connect(lambda _on: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.cancel_button.clicked.connect(self.show_cancel_form)
        self.dishonour_button.clicked.connect(self.show_dishonour_form)
        self.cancel_confirm.clicked.connect(self.cancel_selected)
        self.cancel_back.clicked.connect(self.close_form)
        self.dishonour_confirm.clicked.connect(self.dishonour_selected)
        self.dishonour_back.clicked.connect(self.close_form)
        self.cancel_reason.returnPressed.connect(self.cancel_selected)
        self.supervisor_password.returnPressed.connect(self.cancel_reason.setFocus)
        self.supervisor_user.returnPressed.connect(self.supervisor_password.setFocus)
        self.dishonour_reason.returnPressed.connect(self.dishonour_selected)
        self._shortcuts: list[QShortcut] = []
        for keys, slot in (
            ("Ctrl+P", self.reprint_selected),
            ("Ctrl+Del", self.show_cancel_form),
            ("Ctrl+B", self.show_dishonour_form),
            ("Ctrl+D", self.date_edit.setFocus),
            ("F5", self.reload),
            ("Esc", self.close_form),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

        self.retranslate()
        self._update_actions()
        self.reload()

    # -- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.date_label.setText(self.tr("&Date"))
        self.date_edit.setToolTip(self.tr("Ctrl+D: choose the date"))
        self.mine_check.setText(self.tr("Only my receipts"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.reprint_button.setText(self.tr("Reprint (Ctrl+P)"))
        self.reprint_button.setToolTip(self.tr("Shows the receipt again marked DUPLICATE; no new number"))
        self.cancel_button.setText(self.tr("Cancel receipt (Ctrl+Del)"))
        self.cancel_button.setToolTip(self.tr("Needs a supervisor's user name and password, and a reason"))
        self.dishonour_button.setText(self.tr("Cheque/DD dishonoured (Ctrl+B)"))
        self.cancel_box.setTitle(self.tr("Cancel the receipt: supervisor's approval"))
        self.supervisor_user_label.setText(self.tr("Supervisor user name"))
        self.supervisor_password_label.setText(self.tr("Supervisor password"))
        self.cancel_reason_label.setText(self.tr("Reason"))
        self.cancel_confirm.setText(self.tr("Cancel the receipt (Enter)"))
        self.cancel_back.setText(self.tr("Back (Esc)"))
        self.dishonour_box.setTitle(self.tr("Cheque/DD dishonoured: the dues become payable again"))
        self.dishonour_reason_label.setText(self.tr("Bank's reason"))
        self.dishonour_confirm.setText(self.tr("Mark dishonoured (Enter)"))
        self.dishonour_back.setText(self.tr("Back (Esc)"))
        self.model.retranslate()
        self._refresh_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- shell hooks --------------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        return [(keys, SHORTCUTS_CONTEXT, text) for keys, text in SHORTCUTS]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.forms.currentIndex():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- loading ------------------------------------------------------------------------------------

    def today(self) -> date:
        return business_date(self.ctx.services.clock.now_utc())

    @staticmethod
    def _qdate(day: date) -> QDate:
        return QDate(day.year, day.month, day.day)

    def selected_day(self) -> date:
        qdate = self.date_edit.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def reload(self) -> None:
        self._list_seq += 1
        seq = self._list_seq
        day = self.selected_day()
        user_id = self.ctx.actor.user_id if self.mine_check.isChecked() else None
        collections = self.ctx.services.collections
        current = self.current_summary()
        if self._select_after_load is None and current is not None:
            self._select_after_load = current.uuid

        def work() -> tuple[int, list[ReceiptSummary]]:
            return seq, collections.list_receipts(day, user_id)

        self.ctx.ops.read(work, self._on_loaded, self._on_error)

    def _on_loaded(self, result: tuple[int, list[ReceiptSummary]]) -> None:
        seq, receipts = result
        if seq != self._list_seq:
            return
        keep = self._select_after_load
        self._select_after_load = None
        self.model.set_receipts(receipts)
        self._refresh_count()
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and receipts:
            row = len(receipts) - 1  # the latest
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.preview.show_receipt(None)
        self._update_actions()

    def _refresh_count(self) -> None:
        rows = [self.model.receipt(i) for i in range(self.model.rowCount())]
        live = [r for r in rows if r is not None and not r.cancelled]
        total = sum(r.amount_paise for r in live)
        self.count_label.setText(
            self.tr("%1 receipts · %2 cancelled · total %3")
            .replace("%1", str(len(rows)))
            .replace("%2", str(len(rows) - len(live)))
            .replace("%3", format_inr(total))
        )

    def current_summary(self) -> ReceiptSummary | None:
        index = self.table.currentIndex()
        return self.model.receipt(index.row()) if index.isValid() else None

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()
        summary = self.model.receipt(current.row())
        if summary is None:
            self.preview.show_receipt(None)
            return
        self._preview_seq += 1
        seq = self._preview_seq
        collections = self.ctx.services.collections
        uuid = summary.uuid

        def work() -> tuple[int, ReceiptView]:
            return seq, collections.get_receipt(uuid)

        self.ctx.ops.read(work, self._on_preview, self._on_error)

    def _on_preview(self, result: tuple[int, ReceiptView]) -> None:
        seq, view = result
        if seq == self._preview_seq:
            self.preview.show_receipt(view)

    def _update_actions(self) -> None:
        summary = self.current_summary()
        live = summary is not None and not summary.cancelled
        self.reprint_button.setEnabled(summary is not None and not self._busy)
        self.cancel_button.setEnabled(live and not self._busy)
        self.dishonour_button.setEnabled(
            live and summary is not None and summary.mode in (Mode.CHEQUE, Mode.DD) and not self._busy
        )
        # Dishonour is for supervisors/accounts (the service checks it again); others don't see it.
        self.dishonour_button.setVisible(self.ctx.actor.can(Permission.DISHONOUR_CHEQUE))
        self.cancel_confirm.setEnabled(not self._busy)
        self.dishonour_confirm.setEnabled(not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    def _on_error(self, error: Exception) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), "error")

    # -- reprint ------------------------------------------------------------------------------------

    def reprint_selected(self) -> None:
        summary = self.current_summary()
        if summary is None or self._busy:
            return
        self._set_busy(True)
        collections = self.ctx.services.collections
        actor = self.ctx.actor
        uuid = summary.uuid
        self.ctx.ops.write(lambda: collections.reprint(actor, uuid), self._on_reprinted, self._on_error)

    def _on_reprinted(self, view: ReceiptView) -> None:
        self.ctx.enqueue_print(view.uuid, duplicate=True)  # recorded as a reprint: print it as DUPLICATE
        self._set_busy(False)
        self._preview_seq += 1  # a pending plain preview must not replace the DUPLICATE
        self.preview.show_receipt(view)
        self.banner.show_message(
            self.tr("Receipt %1 shown again as DUPLICATE (no new number).").replace("%1", view.receipt_no), "info"
        )

    # -- cancel -------------------------------------------------------------------------------------

    def show_cancel_form(self) -> None:
        summary = self.current_summary()
        if summary is None or summary.cancelled:
            return
        self.banner.clear_message()
        self.supervisor_password.clear()
        self.forms.setCurrentIndex(self.FORM_CANCEL)
        self.supervisor_user.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.supervisor_user.selectAll()

    def close_form(self) -> None:
        if self.forms.currentIndex() == self.FORM_NONE:
            return
        self.forms.setCurrentIndex(self.FORM_NONE)
        self.supervisor_password.clear()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def cancel_selected(self) -> None:
        summary = self.current_summary()
        if summary is None or self._busy or self.forms.currentIndex() != self.FORM_CANCEL:
            return
        username = self.supervisor_user.text().strip()
        password = self.supervisor_password.text()
        reason = self.cancel_reason.text().strip()
        if not username or not password:
            self.banner.show_message(self.tr("The supervisor types their user name and password."), "error")
            (self.supervisor_user if not username else self.supervisor_password).setFocus()
            return
        if len(reason) < 5:
            self.banner.show_message(self.tr("Give the reason for cancelling (at least 5 characters)."), "error")
            self.cancel_reason.setFocus()
            return
        self.supervisor_password.clear()  # never kept after one attempt
        self._set_busy(True)
        services = self.ctx.services
        actor = self.ctx.actor
        uuid = summary.uuid

        def work() -> ReceiptView:
            supervisor = services.users.verify_supervisor(username, password, actor.device_no)
            return services.collections.cancel(actor, supervisor, uuid, reason)

        self.ctx.ops.write(work, self._on_taken_back, self._on_take_back_failed)

    def _on_taken_back(self, view: ReceiptView) -> None:
        self._set_busy(False)
        self.forms.setCurrentIndex(self.FORM_NONE)
        self.cancel_reason.clear()
        self.dishonour_reason.clear()
        self.supervisor_user.clear()
        self._preview_seq += 1
        self.preview.show_receipt(view)
        if view.cancelled == "CANCELLED":
            text = self.tr("Receipt %1 cancelled; its dues are payable again.")
        else:
            text = self.tr("Receipt %1 marked dishonoured; its dues are payable again.")
        self.banner.show_message(text.replace("%1", view.receipt_no), "info")
        self._select_after_load = view.uuid
        self.reload()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ctx.refresh_status()

    def _on_take_back_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), "error")
        if self.forms.currentIndex() == self.FORM_CANCEL:
            self.supervisor_password.setFocus()

    # -- dishonour ----------------------------------------------------------------------------------

    def show_dishonour_form(self) -> None:
        summary = self.current_summary()
        if summary is None or summary.cancelled or summary.mode not in (Mode.CHEQUE, Mode.DD):
            return
        if not self.ctx.actor.can(Permission.DISHONOUR_CHEQUE):
            self.banner.show_message(self.tr("Only a supervisor or accounts can mark a cheque dishonoured."), "error")
            return
        self.banner.clear_message()
        self.forms.setCurrentIndex(self.FORM_DISHONOUR)
        self.dishonour_reason.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def dishonour_selected(self) -> None:
        summary = self.current_summary()
        if summary is None or self._busy or self.forms.currentIndex() != self.FORM_DISHONOUR:
            return
        reason = self.dishonour_reason.text().strip()
        if len(reason) < 5:
            self.banner.show_message(self.tr("Give the bank's reason (at least 5 characters)."), "error")
            return
        self._set_busy(True)
        collections = self.ctx.services.collections
        actor = self.ctx.actor
        uuid = summary.uuid
        self.ctx.ops.write(
            lambda: collections.dishonour(actor, uuid, reason), self._on_taken_back, self._on_take_back_failed
        )
