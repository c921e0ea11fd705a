"""The main window hosts navigation only: a side list of screens, a QStackedWidget, the status bar.

Screens come from ui/screens.py (one registry), are created on first use and are never rebuilt, so a
language switch or a font-size change keeps the clerk's place (search text, selection, typed amount).

Status bar: counter session and clerk | today's receipts and total | printer | sync | date (DD-MM-YYYY).
It is refreshed after each operation (screens call ctx.refresh_status()) and every minute.
Sync (ui/sync/): the status bar's sync field (state, pending, conflicts, Sync now) and the clock banner
show what ctx.sync (the shell's SyncRunner) reports; a receipt saved re-reads the pending count.
Online backup: every 30 minutes on the writer thread; the day-end screen asks via ctx.request_backup().
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.core.clock import IST, business_date, format_date
from sync.status import SyncState, SyncStatus
from ui.common.format import money
from ui.fonts import POINT_SIZES
from ui.help_overlay import HelpOverlay, Shortcut
from ui.i18n import LANGUAGE_NAMES, LANGUAGES
from ui.screens import SCREENS, ScreenSpec, UnavailableScreen, screens_for
from ui.status import StatusSnapshot, read_status
from ui.sync.widgets import ClockSkewBanner, SyncStatusWidget

if TYPE_CHECKING:
    from ui.application import Runtime
    from ui.context import UiContext

log = logging.getLogger(__name__)

BACKUP_INTERVAL_MS = 30 * 60 * 1000
STATUS_INTERVAL_MS = 60 * 1000

# Shortcuts of the shell itself, listed first in the F1 overlay (context "MainWindow").
SHELL_SHORTCUTS: list[Shortcut] = [
    ("F1", "MainWindow", str(QT_TRANSLATE_NOOP("MainWindow", "Show or hide this list of keyboard shortcuts"))),
    ("Ctrl+1 … Ctrl+4", "MainWindow", str(QT_TRANSLATE_NOOP("MainWindow", "Open a screen (in the order of the list)"))),
    ("Ctrl+Shift+L", "MainWindow", str(QT_TRANSLATE_NOOP("MainWindow", "Switch language: English / Hindi"))),
    ("Ctrl++ / Ctrl+-", "MainWindow", str(QT_TRANSLATE_NOOP("MainWindow", "Larger / smaller text"))),
    ("Ctrl+Shift+Q", "MainWindow", str(QT_TRANSLATE_NOOP("MainWindow", "Sign out"))),
    ("Ctrl+Shift+S", "MainWindow", str(QT_TRANSLATE_NOOP("MainWindow", "Sync with the central now"))),
]


class MainWindow(QMainWindow):
    sign_out_requested = Signal()

    def __init__(self, ctx: UiContext, runtime: Runtime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.ctx = ctx
        self.runtime = runtime
        self.specs: list[ScreenSpec] = screens_for(ctx.actor, SCREENS)
        self.screens: dict[str, QWidget] = {}
        self.status_snapshot: StatusSnapshot | None = None
        self._status_in_flight = False
        self._status_again = False
        self._closing = False
        self.last_backup: object | None = None

        # -- navigation + stack ------------------------------------------------------------------
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard users switch with Ctrl+1..; Tab stays in screens
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(2)
        self.nav.setUniformItemSizes(True)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screens")
        for spec in self.specs:
            item = QListWidgetItem(self.style().standardIcon(spec.icon), "")
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.help = HelpOverlay(central, runtime.translations.lookup)

        # -- status bar --------------------------------------------------------------------------
        self.session_label = QLabel()
        self.session_label.setObjectName("statusSession")
        self.today_label = QLabel()
        self.today_label.setObjectName("statusToday")
        self.printer_label = QLabel()
        self.printer_label.setObjectName("statusPrinter")
        self.sync_widget = SyncStatusWidget(
            can_resolve=any(spec.id == "conflicts" for spec in self.specs), now=ctx.services.clock.now_utc
        )
        self.sync_widget.setObjectName("statusSync")
        self.sync_label = self.sync_widget.state_label  # the sync state's text (kept under its old name)
        self.sync_widget.sync_now_requested.connect(self.sync_now)
        self.sync_widget.conflicts_requested.connect(lambda: self.show_screen("conflicts"))
        self.date_label = QLabel()
        self.date_label.setObjectName("statusDate")
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        for widget in (self.session_label, self.today_label, self.printer_label, self.sync_widget, self.date_label):
            bar.addPermanentWidget(widget)

        # -- menus and shortcuts -----------------------------------------------------------------
        self._build_menus()

        # -- signals and timers ------------------------------------------------------------------
        ctx.events.status_changed.connect(self.refresh_status)
        ctx.events.backup_requested.connect(self.run_backup)
        ctx.events.message.connect(self.show_message)
        ctx.ops.user_error.connect(self._user_error)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_INTERVAL_MS)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start()
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_INTERVAL_MS)
        self.backup_timer.timeout.connect(lambda: self.run_backup("timer"))
        self.backup_timer.start()

        self._build_printing()
        self._build_sync()

        self.resize(1366, 768)
        self.retranslateUi()
        self.refresh_status()
        if self.specs:
            self.nav.setCurrentRow(0)

    # ---- navigation --------------------------------------------------------------------------

    def visible_screen_ids(self) -> list[str]:
        return [spec.id for spec in self.specs]

    def current_screen_id(self) -> str | None:
        row = self.nav.currentRow()
        return self.specs[row].id if 0 <= row < len(self.specs) else None

    def current_screen(self) -> QWidget | None:
        screen_id = self.current_screen_id()
        return self.screens.get(screen_id) if screen_id else None

    def opened_screen(self, screen_id: str) -> QWidget | None:
        """The screen widget if it was opened already (tests and the headless demo use it)."""
        return self.screens.get(screen_id)

    def show_screen(self, screen_id: str) -> QWidget:
        """Open a screen by id (creating it on first use). Raises KeyError if the role may not see it."""
        for row, spec in enumerate(self.specs):
            if spec.id == screen_id:
                self.nav.setCurrentRow(row)
                return self.screens[screen_id]
        raise KeyError(f"screen {screen_id!r} is not available to {self.ctx.actor.username}")

    @Slot(int)
    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        spec = self.specs[row]
        widget = self.screens.get(spec.id)
        if widget is None:
            try:
                widget = spec.create(self.ctx)
            except Exception as exc:  # a bug in a screen must not take the shell down
                sys.excepthook(type(exc), exc, exc.__traceback__)
                widget = UnavailableScreen(spec)
            widget.setObjectName(widget.objectName() or f"screen_{spec.id}")
            self.screens[spec.id] = widget
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self._update_title()
        activated = getattr(widget, "activated", None)
        if callable(activated):
            activated()
        else:
            widget.setFocus()

    # ---- menus -------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.app_menu = QMenu(self)
        self.view_menu = QMenu(self)
        self.go_menu = QMenu(self)
        self.help_menu = QMenu(self)
        for menu in (self.app_menu, self.go_menu, self.view_menu, self.help_menu):
            bar.addMenu(menu)

        self.change_password_action = QAction(self)
        self.change_password_action.triggered.connect(self._change_password)
        self.sign_out_action = QAction(self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(lambda: self.run_backup("manual"))
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.app_menu.addAction(self.change_password_action)
        self.app_menu.addAction(self.backup_action)
        self.app_menu.addSeparator()
        self.app_menu.addAction(self.sign_out_action)
        self.app_menu.addAction(self.quit_action)

        self.screen_actions: list[QAction] = []
        for spec in self.specs:
            action = QAction(self)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, sid=spec.id: self.show_screen(sid))
            self.go_menu.addAction(action)
            self.screen_actions.append(action)

        self.language_menu = QMenu(self)
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[code], self)  # each language named in itself
            action.setCheckable(True)
            action.setChecked(code == self.runtime.language)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.toggle_language_action = QAction(self)
        self.toggle_language_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.toggle_language_action.triggered.connect(self.toggle_language)
        self.language_menu.addSeparator()
        self.language_menu.addAction(self.toggle_language_action)

        self.font_menu = QMenu(self)
        self.font_group = QActionGroup(self)
        self.font_group.setExclusive(True)
        self.font_actions: dict[int, QAction] = {}
        for size in POINT_SIZES:
            action = QAction(self)
            action.setCheckable(True)
            action.setChecked(size == self.runtime.settings.font_size)
            action.triggered.connect(lambda _checked=False, s=size: self.set_font_size(s))
            self.font_group.addAction(action)
            self.font_menu.addAction(action)
            self.font_actions[size] = action
        self.larger_action = QAction(self)
        self.larger_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.larger_action.triggered.connect(lambda: self.step_font_size(+1))
        self.smaller_action = QAction(self)
        self.smaller_action.setShortcut(QKeySequence("Ctrl+-"))
        self.smaller_action.triggered.connect(lambda: self.step_font_size(-1))
        self.font_menu.addSeparator()
        self.font_menu.addAction(self.larger_action)
        self.font_menu.addAction(self.smaller_action)
        self.view_menu.addMenu(self.language_menu)
        self.view_menu.addMenu(self.font_menu)

        self.shortcuts_action = QAction(self)
        self.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.shortcuts_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcuts_action.triggered.connect(self.toggle_help)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addAction(self.about_action)
        # Shortcuts of actions in menus work while the menu bar is visible; add them to the window too.
        self.addActions(
            [
                self.sign_out_action,
                self.quit_action,
                self.toggle_language_action,
                self.larger_action,
                self.smaller_action,
                self.shortcuts_action,
                *self.screen_actions,
            ]
        )

    # ---- language and font -------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.app_menu.setTitle(self.tr("&Nikay"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.change_password_action.setText(self.tr("Change &password…"))
        self.backup_action.setText(self.tr("&Back up now"))
        self.sign_out_action.setText(self.tr("&Sign out"))
        self.quit_action.setText(self.tr("E&xit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.toggle_language_action.setText(self.tr("Switch language"))
        self.font_menu.setTitle(self.tr("&Text size"))
        for size, action in self.font_actions.items():
            action.setText(self.tr("{size} pt").format(size=size))
        self.larger_action.setText(self.tr("Larger text"))
        self.smaller_action.setText(self.tr("Smaller text"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        self.about_action.setText(self.tr("&About Nikay"))
        for row, spec in enumerate(self.specs):
            title = spec.translated_title()
            item = self.nav.item(row)
            item.setText(title)
            item.setToolTip(f"{title} ({spec.shortcut})" if spec.shortcut else title)
            self.screen_actions[row].setText(title)
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0) + 28))
        self._update_title()
        self._show_status()
        self._retranslate_sync()

    def _retranslate_sync(self) -> None:
        action = getattr(self, "sync_action", None)
        if action is not None:  # (the menus are first translated before _build_sync ran)
            action.setText(self.tr("S&ync with the central now"))

    def _update_title(self) -> None:
        device = self.ctx.services.device
        ulb = device.ulb_name_hi if self.ctx.language == "hi" else device.ulb_name_en
        row = self.nav.currentRow()
        screen = self.specs[row].translated_title() if 0 <= row < len(self.specs) else ""
        parts = [p for p in (screen, ulb, self.tr("Nikay")) if p]
        self.setWindowTitle(" — ".join(parts))

    @Slot(str)
    def set_language(self, language: str) -> None:
        """Switch the UI language live; the current screen and everything typed in it stay."""
        self.runtime.set_language(language)
        self.ctx.language = language
        self.language_actions[language].setChecked(True)
        self.ctx.events.language_changed.emit(language)
        # Some text is composed by this window from data (ULB name) and is not a translation: refresh.
        self.retranslateUi()

    @Slot()
    def toggle_language(self) -> None:
        self.set_language("en" if self.ctx.language == "hi" else "hi")

    @Slot(int)
    def set_font_size(self, point_size: int) -> None:
        self.runtime.set_font_size(point_size)
        self.font_actions[point_size].setChecked(True)

    def step_font_size(self, step: int) -> None:
        sizes = list(POINT_SIZES)
        current = self.runtime.settings.font_size
        index = sizes.index(current) if current in sizes else 1
        self.set_font_size(sizes[max(0, min(len(sizes) - 1, index + step))])

    # ---- status bar --------------------------------------------------------------------------

    @Slot()
    def refresh_status(self) -> None:
        """Re-read today's figures off the GUI thread; coalesces bursts of requests into one read."""
        if self._closing:
            return
        if self._status_in_flight:
            self._status_again = True
            return
        self._status_in_flight = True
        services, actor = self.ctx.services, self.ctx.actor
        self.ctx.ops.read(lambda: read_status(services, actor), self._status_read, self._status_failed)
        if self.ctx.sync is not None:
            self.ctx.sync.refresh()  # a receipt saved: one more not yet on the central

    def _status_read(self, snapshot: StatusSnapshot) -> None:
        self._status_in_flight = False
        self.status_snapshot = snapshot
        self._show_status()
        if self._status_again:
            self._status_again = False
            self.refresh_status()

    def _status_failed(self, error: Exception) -> None:
        self._status_in_flight = False
        log.warning("status bar not refreshed: %s", error)

    def _show_status(self) -> None:
        actor = self.ctx.actor
        snap = self.status_snapshot
        if snap is None:
            self.session_label.setText(self.tr("Counter: …  ·  {user}").format(user=actor.full_name))
            self.today_label.setText("")
        else:
            if snap.session_open and snap.session_opened_at is not None:
                opened = snap.session_opened_at.astimezone(IST).strftime("%H:%M")
                session = self.tr("Counter {counter} open since {time}").format(
                    counter=self.ctx.services.device.counter_code, time=opened
                )
            else:
                session = self.tr("Counter {counter}: not open").format(counter=self.ctx.services.device.counter_code)
            self.session_label.setText(f"{session}  ·  {actor.full_name}")
            today = self.tr("Today: %n receipt(s)", "", snap.receipts)
            self.today_label.setText(f"{today}  ·  {money(snap.total_paise)}")
        self._show_printer_status()
        day = snap.today if snap is not None else business_date(self.ctx.services.clock.now_utc())
        self.date_label.setText(format_date(day))

    @Slot(str, int)
    def show_message(self, text: str, timeout_ms: int = 5000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    @Slot(str)
    def _user_error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Nikay"), message, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()

    # ---- backup ------------------------------------------------------------------------------

    @Slot(str)
    def run_backup(self, reason: str) -> None:
        """An online backup (SQLite backup API) on the writer thread, so it never races a receipt.

        `reason`: "timer", "dayend" (also "day-end") or "manual" (app.db.backup.BackupKind)."""
        if self._closing:
            return
        from app.db.backup import BackupKind

        normalised = reason.strip().lower().replace("-", "").replace("_", "")
        kind = BackupKind(normalised) if normalised in {k.value for k in BackupKind} else BackupKind.MANUAL
        backups = self.ctx.services.backups
        self.ctx.ops.write(lambda: backups.backup(kind), self._backup_done, self._backup_failed)

    def _backup_done(self, info: object) -> None:
        path = getattr(info, "path", info)
        self.last_backup = path
        now = self.ctx.services.clock.now_utc().astimezone(IST).strftime("%H:%M")
        name = getattr(path, "name", str(path))
        self.show_message(self.tr("Backup saved at {time}: {file}").format(time=now, file=name), 10000)

    def _backup_failed(self, error: Exception) -> None:
        self.show_message(self.tr("Backup failed: {error}").format(error=str(error)), 0)

    # ---- printing (ui/printing/worker.py): banner with Retry, unprinted count, settings ---------

    def _build_printing(self) -> None:
        from ui.printing.worker import PrinterBanner, PrintWorker

        self.printing = PrintWorker(self.ctx, parent=self)
        self.printer_banner = PrinterBanner(self.printing.retry, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.printer_banner)
        self.printer_banner.hide()
        self.ctx.events.printer_status.connect(self._printer_status)
        self.printer_settings_action = QAction(self)
        self.printer_settings_action.setObjectName("printerSettingsAction")
        self.printer_settings_action.triggered.connect(self.open_printer_settings)
        self.app_menu.insertAction(self.backup_action, self.printer_settings_action)
        self.printing.start()
        self.printing.refresh()

    @Slot(object)
    def _printer_status(self, counts: object) -> None:
        from app.printing.queue import QueueCounts

        if isinstance(counts, QueueCounts) and not self._closing:
            self.printer_banner.show_counts(counts)
            self._show_printer_status()

    def _show_printer_status(self) -> None:
        banner = getattr(self, "printer_banner", None)
        if banner is not None:  # (the status bar is first drawn before _build_printing ran)
            self.printer_label.setText(banner.status_text())
            self.printer_label.setToolTip(banner.unprinted_text())
            self.printer_settings_action.setText(banner.settings_action_text())

    @Slot()
    def open_printer_settings(self) -> None:
        from ui.printing.settings import PrinterSettingsDialog

        dialog = PrinterSettingsDialog(self.ctx, parent=self)
        dialog.on_saved = lambda _printer: self.printing.refresh()  # "not set up" -> ready
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # ---- sync (ui/sync/) -----------------------------------------------------------------------

    def _build_sync(self) -> None:
        self.sync_action = QAction(self)
        self.sync_action.setObjectName("syncNowAction")
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_action.triggered.connect(self.sync_now)
        self.app_menu.insertAction(self.backup_action, self.sync_action)
        self.addAction(self.sync_action)
        self.clock_banner = ClockSkewBanner(self)
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.clock_banner)
        self.clock_banner.hide()
        self._retranslate_sync()
        runner = self.ctx.sync
        if runner is None:
            self.sync_widget.set_status(SyncStatus(SyncState.NOT_ENROLLED))
            return
        runner.status_changed.connect(self.show_sync_status)
        if runner.last_status is not None:
            self.show_sync_status(runner.last_status)

    @Slot(object)
    def show_sync_status(self, status: object) -> None:
        if isinstance(status, SyncStatus) and not self._closing:
            self.sync_widget.set_status(status)
            self.clock_banner.set_status(status)

    @Slot()
    def sync_now(self) -> None:
        """Wake the sync worker; returns at once (the cycle runs on the worker's thread)."""
        runner = self.ctx.sync
        if runner is None or not runner.sync_now():
            self.show_message(self.tr("This PC is not connected to the central."), 8000)
            return
        # Say at once that it is on its way; the worker's own status replaces this when the cycle ends.
        current = self.sync_widget.status
        if current is not None and current.state in (SyncState.IDLE, SyncState.OFFLINE, SyncState.ERROR):
            self.sync_widget.set_status(dataclasses.replace(current, state=SyncState.SYNCING))

    # ---- help, password, sign out ------------------------------------------------------------

    def help_shortcuts(self) -> list[Shortcut]:
        shortcuts = list(SHELL_SHORTCUTS)
        screen = self.current_screen()
        provider = getattr(screen, "help_shortcuts", None)
        if callable(provider):
            try:
                shortcuts.extend(provider())
            except Exception:
                log.exception("help_shortcuts() of the current screen failed")
        return shortcuts

    @Slot()
    def toggle_help(self) -> None:
        if self.help.isVisible():
            self.help.hide()
        else:
            self.help.show_shortcuts(self.help_shortcuts())

    @Slot()
    def _change_password(self) -> None:
        from ui.login.password import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.ctx.ops, self.ctx.services, self.ctx.actor, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.show_message(self.tr("Password changed."), 8000))
        dialog.open()

    @Slot()
    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Nikay"),
            self.tr(
                "Nikay — the office system of Chhattisgarh's urban local bodies.\n"
                "Works offline on this PC's own database and synchronises with the central server.\n"
                "Fonts: Noto Sans and Noto Sans Devanagari (SIL Open Font License 1.1)."
            ),
        )

    @Slot()
    def sign_out(self) -> None:
        self.sign_out_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.status_timer.stop()
        self.backup_timer.stop()
        # Let queued writes (a receipt being saved) finish and report before the window goes.
        if self.ctx.ops.pending and not self.ctx.ops.wait_idle(10000):
            log.warning("closing with operations still pending")
        self.printing.shutdown()  # the attempt in progress finishes; unprinted jobs stay queued on disk
        try:
            self.ctx.events.status_changed.disconnect(self.refresh_status)
            self.ctx.events.backup_requested.disconnect(self.run_backup)
            self.ctx.events.message.disconnect(self.show_message)
            self.ctx.ops.user_error.disconnect(self._user_error)
            if self.ctx.sync is not None:
                self.ctx.sync.status_changed.disconnect(self.show_sync_status)
        except (RuntimeError, TypeError):
            pass
        self.sync_widget.tick.stop()
        super().closeEvent(event)
