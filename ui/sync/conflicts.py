"""Conflicts screen (supervisors and admins): master-data edits the central could not merge by itself.

Left, the open conflicts (what, which record, since when). Right, the fields of the selected one side
by side — as they were (base), as this office changed them, as the central has them — and per field a
choice: keep the central's value or use this office's. Resolve sends the choice through
SyncService.resolve_conflict on the writer thread (it checks the permission again and queues the
decision for the central), then the list is read again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sync.status import ConflictView
from ui.common.format import moment
from ui.common.widgets import MessageBanner

if TYPE_CHECKING:
    from ui.context import UiContext

log = logging.getLogger(__name__)

MINE = "mine"
THEIRS = "theirs"
CHANGED_COLOURS = {2: "#fff3cd", 3: "#e6f0fb"}  # this office's change (amber), the central's (blue)


# Property merge fields (app.property.service.PROPERTY_SYNC_FIELDS) as people call them.
FIELD_LABELS = {
    "property_id": QT_TRANSLATE_NOOP("ConflictsScreen", "Property ID"),
    "old_id": QT_TRANSLATE_NOOP("ConflictsScreen", "Old property ID"),
    "ward_no": QT_TRANSLATE_NOOP("ConflictsScreen", "Ward"),
    "zone_code": QT_TRANSLATE_NOOP("ConflictsScreen", "Zone"),
    "address_en": QT_TRANSLATE_NOOP("ConflictsScreen", "Address (English)"),
    "address_hi": QT_TRANSLATE_NOOP("ConflictsScreen", "Address (Hindi)"),
    "open_land_sqft": QT_TRANSLATE_NOOP("ConflictsScreen", "Open land (sq ft)"),
    "owners": QT_TRANSLATE_NOOP("ConflictsScreen", "Owners"),
    "units": QT_TRANSLATE_NOOP("ConflictsScreen", "Floors and units"),
    "returns": QT_TRANSLATE_NOOP("ConflictsScreen", "Self-assessment returns"),
}


def show_value(value: Any) -> str:
    """A field value for the table: owners by name, other lists compactly, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and ("name_en" in v or "name_hi" in v) for v in value):
            return "; ".join(" / ".join(p for p in (v.get("name_en", ""), v.get("name_hi", "")) if p) for v in value)
        return "; ".join(show_value(v) for v in value) if value else "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_value(v)}" for k, v in value.items())
    return str(value)


class ConflictsScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictsScreen")
        self.ctx = ctx
        self.conflicts: list[ConflictView] = []
        self.loading = False
        self.resolving = False

        self.heading = QLabel()
        self.heading.setObjectName("conflictsHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.25)
        self.heading.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.banner = MessageBanner()

        self.list = QTableWidget(0, 3)
        self.list.setObjectName("conflictsList")
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().hide()
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.itemSelectionChanged.connect(self._selected)

        self.detail_title = QLabel()
        self.detail_title.setObjectName("conflictTitle")
        self.detail_title.setWordWrap(True)
        self.fields = QTableWidget(0, 5)
        self.fields.setObjectName("conflictFields")
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.fields.verticalHeader().hide()
        self.fields.setWordWrap(True)
        header = self.fields.horizontalHeader()
        # The three values share the width (long addresses wrap); the name and the choice fit their text.
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)
        self.choices: dict[str, QComboBox] = {}
        self.resolve_button = QPushButton()
        self.resolve_button.setObjectName("conflictResolve")
        self.resolve_button.setDefault(True)
        self.resolve_button.clicked.connect(self.resolve)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail_title)
        right_layout.addWidget(self.fields, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.resolve_button)
        right_layout.addLayout(buttons)
        # The list above, the selected conflict's fields below at the full width (values side by side).
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.retranslateUi()
        self.reload()

    # ---- data ---------------------------------------------------------------------------------

    @property
    def service(self) -> Any:
        runner = self.ctx.sync
        return runner.service if runner is not None else None

    def activated(self) -> None:
        self.reload()
        self.list.setFocus()

    @Slot()
    def reload(self) -> None:
        service = self.service
        if service is None:
            self._show([])
            self.banner.show_message(self.tr("This PC is not connected to the central: no conflicts."), "info")
            return
        if self.loading:
            return
        self.loading = True
        self.ctx.ops.read(service.conflicts, self._loaded, self._failed)

    def _loaded(self, conflicts: list[ConflictView]) -> None:
        self.loading = False
        self.banner.clear_message()
        self._show(conflicts)

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self.resolving = False
        self.banner.show_message(str(error), "error")
        self._update_buttons()

    def _show(self, conflicts: list[ConflictView]) -> None:
        selected = self.current()
        keep = selected.uuid if selected is not None else None
        self.conflicts = list(conflicts)
        self.list.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            cells = (self._entity_name(conflict.entity), conflict.label, moment(conflict.created_at))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, conflict.uuid)
                self.list.setItem(row, column, item)
        self.list.resizeColumnsToContents()
        row = next((i for i, c in enumerate(self.conflicts) if c.uuid == keep), 0 if self.conflicts else -1)
        if row >= 0:
            self.list.selectRow(row)
        self._selected()
        if not self.conflicts and self.service is not None:
            self.banner.show_message(self.tr("No conflicts: everything this office changed is on the central."), "info")

    def current(self) -> ConflictView | None:
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    @Slot()
    def _selected(self) -> None:
        conflict = self.current()
        self.choices.clear()
        if conflict is None:
            self.detail_title.setText(self.tr("Select a conflict on the left."))
            self.fields.setRowCount(0)
            self._update_buttons()
            return
        self._selected_title()
        self.fields.setRowCount(len(conflict.fields))
        for row, fld in enumerate(conflict.fields):
            values = (self._field_name(fld.name), show_value(fld.base), show_value(fld.mine), show_value(fld.theirs))
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column in (2, 3) and text != values[1]:
                    item.setBackground(QColor(CHANGED_COLOURS[column]))  # what each side changed
                self.fields.setItem(row, column, item)
            combo = QComboBox()
            combo.setObjectName(f"choice_{fld.name}")
            combo.addItem(self.tr("Keep central's"), THEIRS)
            combo.addItem(self.tr("Use this office's"), MINE)
            self.fields.setCellWidget(row, 4, combo)
            self.choices[fld.name] = combo
        self.fields.resizeRowsToContents()
        self._update_buttons()

    def choice(self) -> dict[str, str]:
        return {name: str(combo.currentData()) for name, combo in self.choices.items()}

    def set_choice(self, field_name: str, choose: str) -> None:
        combo = self.choices[field_name]
        combo.setCurrentIndex(combo.findData(choose))

    @Slot()
    def resolve(self) -> None:
        conflict = self.current()
        service = self.service
        if conflict is None or service is None or self.resolving:
            return
        self.resolving = True
        self._update_buttons()
        actor, choose, uuid = self.ctx.actor, self.choice(), conflict.uuid
        self.ctx.ops.write(lambda: service.resolve_conflict(actor, uuid, choose), self._resolved, self._failed)

    def _resolved(self, _result: object) -> None:
        self.resolving = False
        self.ctx.show_message(self.tr("Conflict resolved; the decision goes to the central with the next sync."))
        self.ctx.refresh_status()
        runner = self.ctx.sync
        if runner is not None:
            runner.sync_now()  # send the decision now rather than at the next timer tick
        self.reload()

    def _update_buttons(self) -> None:
        self.resolve_button.setEnabled(self.current() is not None and not self.resolving)

    # ---- language -----------------------------------------------------------------------------

    def _field_name(self, name: str) -> str:
        label = FIELD_LABELS.get(name)
        return self.tr(str(label)) if label else name

    def _entity_name(self, entity: str) -> str:
        names = {
            "property": self.tr("Property"),
            "water_connection": self.tr("Water connection"),
            "trade_licence": self.tr("Trade licence"),
            "swm_payer": self.tr("User-charge payer"),
        }
        return names.get(entity, entity)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.heading.setText(self.tr("Sync conflicts"))
        self.intro.setText(
            self.tr(
                "These records were changed in this office and on the central at the same time, in the same "
                "fields. For each field choose which value stays, then press Resolve."
            )
        )
        self.list.setHorizontalHeaderLabels([self.tr("What"), self.tr("Record"), self.tr("Since")])
        self.fields.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Before"), self.tr("This office"), self.tr("Central"), self.tr("Keep")]
        )
        self.resolve_button.setText(self.tr("Resolve"))
        self.refresh_button.setText(self.tr("Refresh"))
        for combo in self.choices.values():
            combo.setItemText(0, self.tr("Keep central's"))
            combo.setItemText(1, self.tr("Use this office's"))
        for row, listed in enumerate(self.conflicts):
            item = self.list.item(row, 0)
            if item is not None:
                item.setText(self._entity_name(listed.entity))
        conflict = self.current()
        if conflict is not None:
            for row, fld in enumerate(conflict.fields):
                item = self.fields.item(row, 0)
                if item is not None:
                    item.setText(self._field_name(fld.name))
        if self.current() is None:
            self.detail_title.setText(self.tr("Select a conflict on the left."))
        else:
            self._selected_title()

    def _selected_title(self) -> None:
        conflict = self.current()
        if conflict is not None:
            self.detail_title.setText(
                self.tr("{what} {label}: changed here and on the central since {when}").format(
                    what=self._entity_name(conflict.entity), label=conflict.label, when=moment(conflict.created_at)
                )
            )
