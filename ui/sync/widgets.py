"""Sync in the main window: the status-bar field (state, pending, conflicts, Sync now) and the clock banner.

Both only render a SyncStatus they are given (SyncRunner.status_changed, on the GUI thread); they never
call the service themselves. "Sync now" emits `sync_now_requested`: the shell wakes the worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolBar, QWidget

from sync.status import SyncState, SyncStatus
from ui.sync import texts

# Colour of the state dot: green synced, blue working, amber waiting/offline, red needs a person.
STATE_COLOURS: dict[SyncState, str] = {
    SyncState.NOT_ENROLLED: "#8a8a8a",
    SyncState.IDLE: "#1f8a3b",
    SyncState.SYNCING: "#1a56db",
    SyncState.OFFLINE: "#c98a00",
    SyncState.ERROR: "#c0392b",
    SyncState.REVOKED: "#c0392b",
}


# The status bar is crowded at 1366 px: the sync field's own labels get less padding than the shell's.
LABEL_STYLE = "padding:0 1px;"
DOT_STYLE = "padding:0 0 0 6px;"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SyncStatusWidget(QWidget):
    """The status bar's sync field: ● Synced 2 min ago · 12 not yet on the central, oldest 3 h · [Sync now]."""

    sync_now_requested = Signal()
    conflicts_requested = Signal()

    def __init__(
        self,
        *,
        can_resolve: bool = False,
        now: Callable[[], datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.can_resolve = can_resolve  # supervisors and admins: the conflicts link opens their screen
        self._now = now
        self.status: SyncStatus | None = None
        self.dot = QLabel("●")
        self.dot.setObjectName("syncDot")
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.state_label.setStyleSheet(LABEL_STYLE)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("syncPending")
        self.pending_label.setStyleSheet(LABEL_STYLE)
        self.conflicts_button = QPushButton()
        self.conflicts_button.setObjectName("syncConflicts")
        self.conflicts_button.setFlat(True)
        self.conflicts_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.conflicts_button.setStyleSheet("QPushButton { color:#8a1c1c; text-decoration: underline; border:0; }")
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.conflicts_button.hide()
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never steals the counter's keyboard focus
        self.sync_button.setStyleSheet("QPushButton { padding: 1px 8px; }")
        self.sync_button.clicked.connect(self._sync_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.dot)
        layout.addWidget(self.state_label)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.conflicts_button)
        layout.addWidget(self.sync_button)
        # Exactly as wide as its text: the status bar must not spread the parts apart when a long state
        # ("Offline — retrying in 40 s") gives way to a short one ("Synced just now").
        for part in (self.dot, self.state_label, self.pending_label, self.conflicts_button, self.sync_button):
            part.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        # "retrying in 40 s" and "2 min ago" move with the clock: re-render (no reads) every second.
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self.redraw)
        self.tick.start()
        self.retranslateUi()

    def set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.redraw()

    @Slot()
    def _sync_clicked(self) -> None:
        self.sync_now_requested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.sync_button.setText(self.tr("Sync now"))
        self.sync_button.setToolTip(self.tr("Send what is waiting to the central and fetch its changes now"))
        self.redraw()

    @Slot()
    def redraw(self) -> None:
        status = self.status
        if status is None:
            self.state_label.setText(self.tr("Sync: …"))
            self.pending_label.clear()
            self.pending_label.hide()
            self.conflicts_button.hide()
            self.sync_button.setEnabled(False)
            self.dot.setStyleSheet(f"{DOT_STYLE}color:{STATE_COLOURS[SyncState.NOT_ENROLLED]};")
            return
        now = self._now()
        self.dot.setStyleSheet(f"{DOT_STYLE}color:{STATE_COLOURS[status.state]};")
        self.state_label.setText(texts.state_text(status, now))
        self.setToolTip(texts.state_tooltip(status))
        pending = texts.pending_text(status, now)
        self.pending_label.setText(pending)
        self.pending_label.setToolTip(texts.pending_tooltip(status, now))
        self.pending_label.setVisible(bool(pending))
        # Money not yet on the central is worth a glance: bold when there is some.
        weight = "font-weight:bold;" if status.pending_money_ops else ""
        self.pending_label.setStyleSheet(f"{LABEL_STYLE}{weight}")
        conflicts = texts.conflicts_text(status.conflicts_open)
        self.conflicts_button.setText(conflicts)
        self.conflicts_button.setVisible(bool(conflicts) and self.can_resolve)
        self.conflicts_button.setToolTip(self.tr("Open the conflicts screen"))
        syncable = status.state not in (SyncState.NOT_ENROLLED, SyncState.REVOKED)
        self.sync_button.setVisible(syncable)
        self.sync_button.setEnabled(syncable and status.state is not SyncState.SYNCING)


class ClockSkewBanner(QToolBar):
    """A non-blocking bar under the menu when this PC's clock is off by more than CLOCK_WARN_S.

    Collection goes on: receipts carry the PC's time and the central flags them; the banner only asks a
    person to fix the clock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.setAllowedAreas(Qt.ToolBarArea.TopToolBarArea)
        self.toggleViewAction().setVisible(False)
        self.setStyleSheet(
            "#clockBanner { background: #fde8e8; border-bottom: 1px solid #e0a0a0; }"
            " QLabel { color: #8a1c1c; padding: 4px; }"
        )
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(8, 2, 8, 2)
        self.message = QLabel(box)
        self.message.setObjectName("clockBannerMessage")
        # One line, as the printer's banner: a wrapped label makes a toolbar three lines tall.
        self.message.setWordWrap(False)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.message, 1)
        self.addWidget(box)
        self.status: SyncStatus | None = None
        self.hide()

    def set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.retranslateUi()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        text = texts.clock_warning(self.status) if self.status is not None else ""
        self.message.setText(text)
        self.message.setToolTip(text)
        self.setVisible(bool(text))
