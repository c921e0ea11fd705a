"""QApplication setup, fonts, translators, logging, the crash handler, and the login -> main window flow.

Start-up order (kept short so the login window shows quickly, DESIGN.md "nothing slow on the GUI thread"):
QApplication -> bundled fonts -> translators -> crash handler -> login window shown -> services are built
on a background thread (SQLAlchemy import, database open and migration) -> the Sign in button is enabled.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLoggingCategory, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.common.settings import UiSettings
from ui.fonts import apply_application_font
from ui.i18n import Translations

if TYPE_CHECKING:
    from app.composition import Services
    from app.security.roles import Actor
    from sync.service import SyncService
    from ui.context import UiContext
    from ui.login.window import LoginWindow
    from ui.main_window import MainWindow
    from ui.sync.runner import SyncRunner
    from ui.workers import Operations

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

APP_NAME = "Nikay"
ORGANISATION = "SUDA Chhattisgarh"
LOG_DIR_NAME = "logs"

STYLE_SHEET = """
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QPlainTextEdit:focus, QTableView:focus, QListView:focus {
    border: 2px solid #1a56db;
}
QPushButton:default { font-weight: bold; }
QStatusBar QLabel { padding: 0 6px; }
"""


def is_headless() -> bool:
    return QApplication.platformName() in {"offscreen", "minimal"} or os.environ.get("QT_QPA_PLATFORM") in {
        "offscreen",
        "minimal",
    }


# ---- logging and crashes ------------------------------------------------------------------------


def setup_logging(data_dir: Path) -> Path:
    """Log to `<data dir>/logs/nikay.log` (rotated, 5 x 2 MB). Returns the log file path."""
    log_dir = data_dir / LOG_DIR_NAME
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "nikay.log"
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
        root.addHandler(handler)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)
    return path


class CrashHandler:
    """`sys.excepthook` (and `threading.excepthook`): log the traceback, write a crash file, show a dialog.

    A bug must never pass silently, and must never take a receipt with it: receipts are committed
    before anything is printed or shown, so the dialog only has to tell the clerk what to do.
    """

    def __init__(self, data_dir: Path, *, show_dialog: bool = True) -> None:
        self.log_dir = data_dir / LOG_DIR_NAME
        self.show_dialog = show_dialog
        self.crash_files: list[Path] = []
        self._dialogs: list[QMessageBox] = []
        self._previous_hook: Callable[..., object] | None = None
        self._handling = False

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if sys.excepthook == self.handle and self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        threading.excepthook = threading.__excepthook__

    def report(self, error: BaseException) -> Path | None:
        """Handle an exception caught elsewhere (the Operations crash path)."""
        return self.handle(type(error), error, error.__traceback__)

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path | None:
        if issubclass(exc_type, KeyboardInterrupt):
            QCoreApplication.quit()
            return None
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.critical("unhandled exception\n%s", text)
        path = self._write_crash_file(text)
        if self.show_dialog and not self._handling:
            self._handling = True
            try:
                self._show_dialog(exc, text, path)
            finally:
                self._handling = False
        return path

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        log.critical("unhandled exception in thread %s\n%s", args.thread.name if args.thread else "?", text)
        self._write_crash_file(text)

    def _write_crash_file(self, text: str) -> Path | None:
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S-%f")
            path = self.log_dir / f"crash-{stamp}.log"
            path.write_text(text, encoding="utf-8")
        except OSError:
            log.exception("could not write the crash file")
            return None
        self.crash_files.append(path)
        return path

    def _show_dialog(self, exc: BaseException, details: str, path: Path | None) -> None:
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication) or is_headless():
            return
        box = QMessageBox(QMessageBox.Icon.Critical, translate("CrashHandler", "Nikay: unexpected error"), "")
        box.setText(
            translate(
                "CrashHandler",
                "Something went wrong inside Nikay. Receipts already saved are safe. "
                "Please tell the office's system administrator and give them the log file:\n{path}",
            ).format(path=str(path) if path else translate("CrashHandler", "(could not be written)"))
        )
        box.setInformativeText(f"{type(exc).__name__}: {exc}")
        box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialogs.append(box)
        box.finished.connect(lambda _r: self._dialogs.remove(box) if box in self._dialogs else None)
        box.open()


# ---- the application ----------------------------------------------------------------------------


class Runtime:
    """What lives as long as the process: the QApplication, settings, translators, crash handler."""

    def __init__(self, app: QApplication, data_dir: Path, crash: CrashHandler) -> None:
        self.app = app
        self.data_dir = data_dir
        self.settings = UiSettings(data_dir)
        self.translations = Translations()
        self.crash = crash

    @property
    def language(self) -> str:
        return self.translations.language

    def set_language(self, language: str, *, remember: bool = True) -> None:
        """Switch the UI language live: every widget gets QEvent.LanguageChange and retranslates."""
        if language == self.translations.language and language == "en":
            return
        self.translations.set_language(language)
        if remember:
            self.settings.language = language

    def set_font_size(self, point_size: int) -> None:
        apply_application_font(point_size)
        self.settings.font_size = point_size


def create_application(
    data_dir: Path,
    argv: list[str] | None = None,
    *,
    install_crash_handler: bool = True,
    show_crash_dialog: bool = True,
) -> Runtime:
    """Create (or reuse) the QApplication and set up fonts, translators, style, logging and crashes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    setup_logging(data_dir)
    # Qt notes, once per face, that Noto Sans has no Devanagari tables before it falls back to Noto Sans
    # Devanagari: expected with the bundled pair, and only noise in the log.
    QLoggingCategory.setFilterRules("qt.text.font.db.info=false")
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QApplication.setApplicationName(APP_NAME)
        QApplication.setOrganizationName(ORGANISATION)
        QApplication.setApplicationDisplayName(APP_NAME)
        QApplication.setDesktopFileName("nikay")
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    crash = CrashHandler(data_dir, show_dialog=show_crash_dialog)
    if install_crash_handler:
        crash.install()
    runtime = Runtime(app, data_dir, crash)
    apply_application_font(runtime.settings.font_size)
    if runtime.settings.language != "en":
        runtime.set_language(runtime.settings.language, remember=False)
    return runtime


class ServicesLoader(QObject):
    """Builds the services on a background thread (imports SQLAlchemy, opens and migrates the DB)."""

    ready = Signal(object)  # Services
    failed = Signal(str)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.first_admin_password: str | None = None
        self.sync_service: SyncService | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="nikay-startup", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            from app.composition import build_services

            services = build_services(self.data_dir)
            users = getattr(services, "users", None)
            if users is not None:
                self.first_admin_password = users.ensure_first_admin()
            self.sync_service = build_sync_service(services)
        except Exception as exc:
            log.exception("could not open the data folder %s", self.data_dir)
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.ready.emit(services)


def build_sync_service(services: Services) -> SyncService | None:
    """The sync client (sync.composition.build_sync) for these services; None if it cannot be built (the
    desktop then works as before, offline, and the status bar says "Not connected to the central")."""
    try:
        from sync.composition import build_sync
    except ImportError:
        log.warning("this build has no sync client")
        return None
    try:
        service: SyncService = build_sync(services)
    except Exception:
        log.exception("the sync client could not be built; working offline only")
        return None
    return service


class Shell(QObject):
    """The flow of windows: login -> (forced password change) -> main window -> sign out -> login.

    Sync: the shell owns one SyncRunner for the whole process. It starts after the first sign-in (if this
    device is enrolled), keeps running across sign-outs (the outbox belongs to the device, not the user)
    and stops in shutdown(), before the Operations threads, so no thread is left behind."""

    main_window_shown = Signal(object)  # MainWindow

    def __init__(
        self,
        runtime: Runtime,
        services: Services | None = None,
        sync_service: SyncService | None = None,
        *,
        sync_interval_s: float = 60.0,
    ) -> None:
        super().__init__()
        self.runtime = runtime
        self.services: Services | None = services
        self.sync_service: SyncService | None = sync_service
        self.sync: SyncRunner | None = None
        self.sync_interval_s = sync_interval_s
        self.ops: Operations | None = None
        self.login: LoginWindow | None = None
        self.window: MainWindow | None = None
        self.context: UiContext | None = None
        self._loader: ServicesLoader | None = None

    def start(self) -> LoginWindow:
        from ui.workers import Operations

        self.ops = Operations(crash_handler=self.runtime.crash.report)
        login = self.show_login()
        if self.services is None:
            self._loader = ServicesLoader(self.runtime.data_dir, self)
            self._loader.ready.connect(self._services_ready)
            self._loader.failed.connect(login.set_startup_failed)
            self._loader.start()
        else:
            login.set_services(self.services)
        return login

    def show_login(self) -> LoginWindow:
        from ui.login.window import LoginWindow

        assert self.ops is not None
        login = LoginWindow(self.ops, self.runtime)
        login.logged_in.connect(self._logged_in)
        if self.services is not None:
            login.set_services(self.services)
        login.show()
        self.login = login
        return login

    @Slot(object)
    def _services_ready(self, services: Services) -> None:
        self.services = services
        if self._loader is not None and self.sync_service is None:
            self.sync_service = self._loader.sync_service
        if self.login is not None:
            self.login.set_services(services)
            if self._loader is not None and self._loader.first_admin_password:
                self.login.show_first_run_password(self._loader.first_admin_password)

    @Slot(object)
    def _logged_in(self, actor: Actor) -> None:
        from ui.context import UiContext
        from ui.main_window import MainWindow

        assert self.services is not None and self.ops is not None
        runner = self._sync_runner()
        self.context = UiContext(self.services, actor, self.ops, self.runtime.language, sync=runner)
        window = MainWindow(self.context, self.runtime)
        window.sign_out_requested.connect(self._sign_out)
        window.show()
        self.window = window
        if self.login is not None:
            self.login.close()
            self.login.deleteLater()
            self.login = None
        self.main_window_shown.emit(window)

    def _sync_runner(self) -> SyncRunner | None:
        """The process's SyncRunner, made and started (if enrolled) at the first sign-in."""
        if self.sync is None and self.sync_service is not None and self.ops is not None:
            from ui.sync.runner import SyncRunner

            self.sync = SyncRunner(self.sync_service, self.ops, interval_s=self.sync_interval_s, parent=self)
            self.sync.start_soon()
        return self.sync

    @Slot()
    def _sign_out(self) -> None:
        window = self.window
        self.window = None
        self.context = None
        self.show_login()
        if window is not None:
            window.close()
            window.deleteLater()

    def shutdown(self) -> None:
        # Sync first: its worker thread finishes the request in flight; unacknowledged operations stay
        # in the outbox for the next start. Then the DB threads, then the database.
        if self.sync is not None:
            self.sync.stop()
        close_sync = getattr(self.sync_service, "close", None)
        if callable(close_sync):
            close_sync()
        self.sync_service = None
        if self.ops is not None:
            self.ops.shutdown()
        if self._loader is not None:
            self._loader.join(10)
        if self.services is not None:
            self.services.close()
            self.services = None


def quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or SIGTERM in the terminal closes the app the normal way (sync stopped, the demo's
    central stopped, the database closed) instead of being ignored while Qt's loop runs: Python only
    runs signal handlers when it gets control, so a short timer gives it control."""
    import signal

    from PySide6.QtCore import QTimer

    def quit_now(_signum: int, _frame: object) -> None:
        log.info("signal received: closing")
        app.closeAllWindows()
        app.quit()

    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), quit_now)
    timer = QTimer(app)
    timer.setInterval(250)
    timer.timeout.connect(lambda: None)
    timer.start()


def run(data_dir: Path, argv: list[str] | None = None, *, sync_interval_s: float = 60.0) -> int:
    """Open the desktop app on `data_dir` and run the event loop until the last window closes."""
    runtime = create_application(data_dir, argv)
    shell = Shell(runtime, sync_interval_s=sync_interval_s)
    shell.start()
    quit_on_signals(runtime.app)
    try:
        code = runtime.app.exec()
    finally:
        shell.shutdown()
        runtime.crash.uninstall()
    return int(code)
