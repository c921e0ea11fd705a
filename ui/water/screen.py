"""The Water screen: find connections, open one, create/edit it, record a meter reading, disconnect or
reconnect it, and (supervisor/admin/commissioner) generate a month's or a quarter's water demand.

Everything goes through app.water.service.WaterService on the worker threads (ctx.ops); the tables hold
plain strings. The service checks every permission again; the buttons only follow them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import business_date, format_date
from app.core.money import format_inr
from app.security.roles import Permission
from app.water.dto import ChargeView, ConnectionView, GenerationResult, ReadingView, Status
from ui.common.tables import RowsModel, rows_table
from ui.common.widgets import MessageBanner
from ui.context import UiContext
from ui.water.dialogs import (
    CATEGORY_TEXT,
    CONTEXT,
    CYCLE_TEXT,
    REASON_TEXT,
    ConnectionDialog,
    GenerateDialog,
    ReadingDialog,
    StatusDialog,
    _Dialog,
    litres,
    tr,
)

HEAD_TEXT = {
    "WATER_CHARGE": str(QT_TRANSLATE_NOOP("WaterScreen", "Water charge")),
    "WATER_CONNECTION_FEE": str(QT_TRANSLATE_NOOP("WaterScreen", "Connection fee")),
    "WATER_REGULARISATION_FEE": str(QT_TRANSLATE_NOOP("WaterScreen", "Regularisation fee")),
    "WATER_RECONNECTION_FEE": str(QT_TRANSLATE_NOOP("WaterScreen", "Reconnection fee")),
}
STATUS_TEXT = {
    Status.ACTIVE.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Active")),
    Status.DISCONNECTED.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Disconnected")),
}
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", str(QT_TRANSLATE_NOOP("WaterScreen", "Find a connection"))),
    ("Ctrl+N", str(QT_TRANSLATE_NOOP("WaterScreen", "New connection"))),
    ("Ctrl+E", str(QT_TRANSLATE_NOOP("WaterScreen", "Edit the connection"))),
    ("Ctrl+R", str(QT_TRANSLATE_NOOP("WaterScreen", "Record a meter reading"))),
    ("Ctrl+G", str(QT_TRANSLATE_NOOP("WaterScreen", "Generate water demand"))),
    ("F5", str(QT_TRANSLATE_NOOP("WaterScreen", "Read the list again"))),
)


class WaterScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterScreen")
        self.ctx = ctx
        self.water = ctx.services.water
        self.connections: list[ConnectionView] = []
        self.current: ConnectionView | None = None
        self.readings: list[ReadingView] = []
        self.charges: list[ChargeView] = []
        self.last_generation: GenerationResult | None = None
        self.dialog: _Dialog | None = None
        self._message: tuple[Callable[[], str], str] | None = None  # re-worded on a language switch
        self._seq = 0
        can_manage = ctx.actor.can(Permission.MANAGE_WATER)
        can_generate = can_manage or ctx.actor.can(Permission.GENERATE_DEMAND)

        # -- top bar --------------------------------------------------------------------------------
        self.title = QLabel()
        title_font = QFont(self.font())
        title_font.setBold(True)
        if title_font.pointSizeF() > 0:
            title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        self.title.setFont(title_font)
        self.search = QLineEdit()
        self.search.setObjectName("waterSearch")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton()
        self.new_button.setObjectName("newConnectionButton")
        self.generate_button = QPushButton()
        self.generate_button.setObjectName("generateDemandButton")
        self.new_button.setVisible(can_manage)
        self.generate_button.setVisible(can_generate)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.generate_button)
        self.banner = MessageBanner()
        self.banner.setObjectName("waterBanner")

        # -- list -----------------------------------------------------------------------------------
        self.list_model = RowsModel(
            lambda: (
                tr("Consumer No."),
                tr("Holder"),
                tr("Ward"),
                tr("Property"),
                tr("Category"),
                tr("Meter"),
                tr("Status"),
            ),
            (2,),
            self,
        )
        self.list_table = rows_table(self.list_model, "connectionsTable", 1, single_selection=True)
        self.count_label = QLabel()

        # -- detail ---------------------------------------------------------------------------------
        self.detail_box = QGroupBox()
        grid = QGridLayout()
        self.fact_names = [QLabel() for _ in range(8)]
        self.fact_values = [QLabel() for _ in range(8)]
        for row, (name, value) in enumerate(zip(self.fact_names, self.fact_values, strict=True)):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            bold = QFont(value.font())
            bold.setBold(True)
            value.setFont(bold)
            grid.addWidget(name, row // 2, (row % 2) * 2)
            grid.addWidget(value, row // 2, (row % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("editConnectionButton")
        self.reading_button = QPushButton()
        self.reading_button.setObjectName("readingButton")
        self.disconnect_button = QPushButton()
        self.disconnect_button.setObjectName("disconnectButton")
        self.reconnect_button = QPushButton()
        self.reconnect_button.setObjectName("reconnectButton")
        actions = QHBoxLayout()
        for button in (self.edit_button, self.reading_button, self.disconnect_button, self.reconnect_button):
            button.setVisible(can_manage)
            actions.addWidget(button)
        actions.addStretch(1)
        self.charges_model = RowsModel(
            lambda: (tr("Period"), tr("Head"), tr("Amount"), tr("Paid"), tr("Due"), tr("Due date"), tr("Worked out")),
            (2, 3, 4),
            self,
        )
        self.charges_table = rows_table(self.charges_model, "chargesTable", 6, single_selection=True)
        self.readings_model = RowsModel(
            lambda: (tr("Reading date"), tr("Reading"), tr("Consumption"), tr("Reason")), (1, 2), self
        )
        self.readings_table = rows_table(self.readings_model, "readingsTable", 3, single_selection=True)
        self.charges_title = QLabel()
        self.readings_title = QLabel()
        detail_layout = QVBoxLayout(self.detail_box)
        detail_layout.addLayout(grid)
        detail_layout.addLayout(actions)
        detail_layout.addWidget(self.charges_title)
        detail_layout.addWidget(self.charges_table, 2)
        detail_layout.addWidget(self.readings_title)
        detail_layout.addWidget(self.readings_table, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_table, 1)
        left_layout.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail_box)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        # -- wiring ---------------------------------------------------------------------------------
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)
        self.list_table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._row_chosen(current))
        self.new_button.clicked.connect(self.new_connection)
        self.generate_button.clicked.connect(self.generate_demand)
        self.edit_button.clicked.connect(self.edit_connection)
        self.reading_button.clicked.connect(self.record_reading)
        self.disconnect_button.clicked.connect(lambda: self.change_status(reconnect=False))
        self.reconnect_button.clicked.connect(lambda: self.change_status(reconnect=True))
        self._shortcuts: list[QShortcut] = []
        for keys, slot in (
            ("Ctrl+F", self.search.setFocus),
            ("Ctrl+N", self.new_connection),
            ("Ctrl+E", self.edit_connection),
            ("Ctrl+R", self.record_reading),
            ("Ctrl+G", self.generate_demand),
            ("F5", self.reload),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self.retranslate()
        self.reload()

    # -- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(tr("Water connections"))
        self.search.setPlaceholderText(tr("Consumer No., meter No., property ID, holder's name or mobile (Ctrl+F)"))
        self.new_button.setText(tr("New connection… (Ctrl+N)"))
        self.generate_button.setText(tr("Generate demand… (Ctrl+G)"))
        self.edit_button.setText(tr("Edit… (Ctrl+E)"))
        self.reading_button.setText(tr("Meter reading… (Ctrl+R)"))
        self.disconnect_button.setText(tr("Disconnect…"))
        self.reconnect_button.setText(tr("Reconnect…"))
        self.charges_title.setText(tr("Charges and fees raised"))
        self.readings_title.setText(tr("Meter readings"))
        for label, text in zip(
            self.fact_names,
            (
                tr("Consumer No."),
                tr("Status"),
                tr("Holder"),
                tr("Mobile"),
                tr("Property"),
                tr("Ward"),
                tr("Category and pipe"),
                tr("Meter"),
            ),
            strict=True,
        ):
            label.setText(text)
        for model in (self.list_model, self.charges_model, self.readings_model):
            model.retranslate()
        if self._message is not None:
            self.banner.show_message(self._message[0](), self._message[1])
        self._show_list()
        self._show_current()

    def _say(self, text: Callable[[], str], kind: str = "info") -> None:
        self._message = (text, kind)
        self.banner.show_message(text(), kind)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- shell hooks --------------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        return [(keys, CONTEXT, text) for keys, text in SHORTCUTS]

    # -- loading ------------------------------------------------------------------------------------

    def today(self) -> Any:
        return business_date(self.ctx.services.clock.now_utc())

    def reload(self, select_uuid: str | None = None) -> None:
        self._seq += 1
        seq = self._seq
        text = self.search.text()
        keep = select_uuid or (self.current.uuid if self.current else None)
        water = self.water
        self.ctx.ops.read(
            lambda: water.search(text),
            lambda rows: self._on_list(seq, rows, keep),
            self._on_error,
        )

    def _on_list(self, seq: int, rows: list[ConnectionView], keep: str | None) -> None:
        if seq != self._seq:
            return
        self.connections = rows
        self._show_list()
        index = next((i for i, v in enumerate(rows) if v.uuid == keep), 0 if rows else -1)
        if index >= 0:
            self.list_table.selectRow(index)
            self._open(rows[index].uuid)
        else:
            self.current = None
            self._show_current()

    def _row_chosen(self, current: QModelIndex) -> None:
        if 0 <= current.row() < len(self.connections):
            uuid = self.connections[current.row()].uuid
            if self.current is None or self.current.uuid != uuid:
                self._open(uuid)

    def _open(self, uuid: str) -> None:
        water = self.water

        def load() -> tuple[ConnectionView, list[ReadingView], list[ChargeView]]:
            return water.get(uuid), water.readings(uuid), water.charges(uuid)

        self.ctx.ops.read(load, self._on_detail, self._on_error)

    def _on_detail(self, loaded: tuple[ConnectionView, list[ReadingView], list[ChargeView]]) -> None:
        self.current, self.readings, self.charges = loaded
        self._show_current()

    def _on_error(self, error: Exception) -> None:
        message = str(error)
        self._say(lambda: message, "error")

    # -- showing ------------------------------------------------------------------------------------

    def holder_name(self, view: ConnectionView) -> str:
        if self.ctx.language == "hi" and view.holder_name_hi:
            return view.holder_name_hi
        return view.holder_name_en or view.holder_name_hi

    def _meter_text(self, view: ConnectionView) -> str:
        if not view.metered:
            return tr("Flat (unmetered)")
        return view.meter_no

    def _show_list(self) -> None:
        self.list_model.set_rows(
            [
                (
                    v.consumer_no,
                    self.holder_name(v),
                    str(v.ward_no),
                    v.property_id,
                    tr(CATEGORY_TEXT.get(v.category, v.category)),
                    self._meter_text(v),
                    tr(STATUS_TEXT.get(v.status, v.status)),
                )
                for v in self.connections
            ]
        )
        self.count_label.setText(tr("%1 connections shown").replace("%1", str(len(self.connections))))

    def _show_current(self) -> None:
        view = self.current
        can_manage = self.ctx.actor.can(Permission.MANAGE_WATER)
        if view is None:
            for value in self.fact_values:
                value.setText("—")
            self.detail_box.setTitle(tr("No connection chosen"))
            self.charges_model.set_rows([])
            self.readings_model.set_rows([])
            for button in (self.edit_button, self.reading_button, self.disconnect_button, self.reconnect_button):
                button.setEnabled(False)
            return
        active = view.status == Status.ACTIVE.value
        self.detail_box.setTitle(tr("Connection %1").replace("%1", view.consumer_no))
        status = tr(STATUS_TEXT.get(view.status, view.status))
        if view.disconnected_on:
            status += " " + tr("since %1").replace("%1", format_date(view.disconnected_on))
        holder = " / ".join(n for n in (view.holder_name_en, view.holder_name_hi) if n)
        cycle = tr(CYCLE_TEXT.get(view.billing_cycle, view.billing_cycle))
        category = tr(CATEGORY_TEXT.get(view.category, view.category))
        meter = self._meter_text(view)
        if view.metered and view.last_reading:
            meter += " · " + tr("last %1 on %2").replace("%1", litres(view.last_reading.reading_litres)).replace(
                "%2", format_date(view.last_reading.reading_date)
            )
        values = (
            view.consumer_no,
            status,
            holder,
            view.mobile or "—",
            view.property_id or "—",
            str(view.ward_no),
            f"{category}, {view.pipe_size_mm} mm, {cycle}",
            meter,
        )
        for label, text in zip(self.fact_values, values, strict=True):
            label.setText(text)
        self.charges_model.set_rows(
            [
                (
                    c.period,
                    tr(HEAD_TEXT.get(c.head, c.head)),
                    format_inr(c.amount_paise),
                    format_inr(c.paid_paise),
                    format_inr(c.due_paise),
                    format_date(c.due_date),
                    c.detail,
                )
                for c in self.charges
            ]
        )
        self.readings_model.set_rows(
            [
                (
                    format_date(r.reading_date),
                    litres(r.reading_litres),
                    litres(r.consumption_litres),
                    tr(REASON_TEXT[r.reason]) if r.reason else r.note,
                )
                for r in self.readings
            ]
        )
        self.edit_button.setEnabled(can_manage)
        self.reading_button.setEnabled(can_manage and active and view.metered)
        self.disconnect_button.setEnabled(can_manage and active)
        self.reconnect_button.setEnabled(can_manage and not active)

    # -- actions ------------------------------------------------------------------------------------

    def _run(self, dialog: _Dialog, call: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run `call` on the writer thread for `dialog`; on success close it and `done(result)`."""

        def ok(result: Any) -> None:
            dialog.done_ok()
            done(result)

        self.ctx.ops.write(call, ok, lambda error: dialog.failed(str(error)))

    def _show_dialog(self, dialog: _Dialog) -> None:
        self.dialog = dialog
        dialog.setModal(True)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def new_connection(self) -> None:
        if not self.ctx.actor.can(Permission.MANAGE_WATER):
            return
        dialog = ConnectionDialog(self.today(), parent=self)
        water, actor = self.water, self.ctx.actor

        def submit() -> None:
            data, regularise = dialog.value(), dialog.regularise.isChecked()
            self._run(dialog, lambda: water.create(actor, data, regularise=regularise), self._saved)

        dialog.submit = submit
        self._show_dialog(dialog)

    def edit_connection(self) -> None:
        view = self.current
        if view is None or not self.ctx.actor.can(Permission.MANAGE_WATER):
            return
        dialog = ConnectionDialog(self.today(), existing=view, parent=self)
        water, actor = self.water, self.ctx.actor

        def submit() -> None:
            data = dialog.value()
            self._run(dialog, lambda: water.update(actor, view.uuid, data, view.version), self._saved)

        dialog.submit = submit
        self._show_dialog(dialog)

    def record_reading(self) -> None:
        view = self.current
        if view is None or not self.reading_button.isEnabled():
            return
        dialog = ReadingDialog(view, self.today(), parent=self)
        water, actor = self.water, self.ctx.actor

        def submit() -> None:
            day, value, reason, note = dialog.values()
            self._run(
                dialog,
                lambda: water.record_reading(actor, view.uuid, day, value, reason, note),
                lambda reading: self._reading_saved(view, reading),
            )

        dialog.submit = submit
        self._show_dialog(dialog)

    def change_status(self, reconnect: bool) -> None:
        view = self.current
        button = self.reconnect_button if reconnect else self.disconnect_button
        if view is None or not button.isEnabled():
            return
        dialog = StatusDialog(view, self.today(), reconnect, parent=self)
        water, actor = self.water, self.ctx.actor

        def submit() -> None:
            on, reason = dialog.values()
            call = (
                (lambda: water.reconnect(actor, view.uuid, on, reason))
                if reconnect
                else (lambda: water.disconnect(actor, view.uuid, on, reason))
            )
            self._run(dialog, call, self._saved)

        dialog.submit = submit
        self._show_dialog(dialog)

    def generate_demand(self) -> None:
        actor = self.ctx.actor
        if not (actor.can(Permission.MANAGE_WATER) or actor.can(Permission.GENERATE_DEMAND)):
            return
        dialog = GenerateDialog(self.today(), parent=self)
        water, actor = self.water, self.ctx.actor

        def submit() -> None:
            period = dialog.value()
            self._run(dialog, lambda: water.generate_demand(actor, period), self._generated)

        dialog.submit = submit
        self._show_dialog(dialog)

    def _saved(self, view: ConnectionView) -> None:
        self._say(lambda: tr("Saved: connection %1").replace("%1", view.consumer_no))
        self.current = None
        self.reload(select_uuid=view.uuid)

    def _reading_saved(self, view: ConnectionView, reading: ReadingView) -> None:
        self._say(
            lambda: (
                tr("Reading saved for %1: consumption %2")
                .replace("%1", view.consumer_no)
                .replace("%2", litres(reading.consumption_litres))
            )
        )
        self.current = None
        self.reload(select_uuid=view.uuid)

    def _generated(self, result: GenerationResult) -> None:
        self.last_generation = result
        self._say(
            lambda: (
                tr("Water demand %1: %2 charges raised, total %3; %4 were raised already.")
                .replace("%1", result.period)
                .replace("%2", f"{result.raised:,}")
                .replace("%3", format_inr(result.total_paise))
                .replace("%4", f"{result.already_raised:,}")
            )
        )
        self.reload()  # the chosen connection stays chosen, with its new charge
