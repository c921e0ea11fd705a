"""The headless demo (`nikay run-demo` without a display, `python -m ui.launch --headless-demo OUT`).

With QT_QPA_PLATFORM=offscreen it signs in as clerk1, opens a counter session, and walks through every
screen — login, main window, counter (search, a property's dues), the collection confirmation, the
receipt preview, the receipts list, day-end, the F1 help — in English and then in Hindi, saving a
`QWidget.grab()` PNG of each step plus the rendered receipt to `out_dir`, and prints the folder.

The counter is driven the way a clerk drives it: keys typed into its widgets (QTest), nothing private.

With a local central (`make run` on a machine without a display: local_central=True), the walk also
shows sync: after each receipt it presses "Sync now", waits until the status bar says the outbox is
empty, saves the status bar, checks the receipt is in the central's own database and prints a line
saying so; then it signs in as the supervisor and saves the conflicts screen.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.composition import Services
    from ui.main_window import MainWindow
    from ui.workers import Operations

DEMO_USER = "clerk1"
DEMO_PASSWORD = "Clerk@123"  # documented demo user (docs/users.md); never on a real office's device
DEMO_SUPERVISOR = ("supervisor1", "Super@123")
SYNC_TIMEOUT_S = 60
OPENING_CASH = "2000"
WINDOW_SIZE = (1366, 768)  # the office monitor the counter is designed for
SEARCH_CANDIDATES = {"en": ("Sahu", "Verma", "Kumar", "Singh", "1"), "hi": ("साहू", "वर्मा", "कुमार", "सिंह")}


class DemoError(RuntimeError):
    pass


class Walker:
    def __init__(self, out_dir: Path, ops: Operations) -> None:
        self.out_dir = out_dir
        self.ops = ops
        self.saved: list[Path] = []
        self.step = 0

    def pump(self, ms: int = 50) -> None:
        from PySide6.QtCore import QCoreApplication, QEventLoop

        deadline = time.monotonic() + ms / 1000
        while time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            time.sleep(0.002)

    def settle(self, ms: int = 300) -> None:
        """Let debounce timers fire and background operations finish."""
        for _ in range(3):
            self.pump(ms // 3)
            if not self.ops.wait_idle(20000):
                raise DemoError("background operations did not finish")
        self.pump(60)

    def wait_for(self, condition: Callable[[], bool], what: str, timeout_s: float = 20) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise DemoError(f"timed out waiting for {what}")
            self.pump(30)
            self.ops.wait_idle(2000)

    def shot(self, widget: QWidget, name: str) -> Path:
        self.settle(150)
        self.step += 1
        path = self.out_dir / f"{self.step:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise DemoError(f"could not save {path}")
        self.saved.append(path)
        print(f"  {path.name}", flush=True)
        return path


def close_all_windows() -> None:
    """Close and delete every top-level widget before the interpreter exits (a clean PySide teardown)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _key(widget: QWidget, key: Any, modifier: Any = None) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, key, modifier if modifier is not None else Qt.KeyboardModifier.NoModifier)


def _type(widget: QWidget, text: str) -> None:
    """Type `text` as key presses. QTest.keyClicks only knows ASCII; Hindi goes as key events with text."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def pick_query(services: Services, language: str) -> str:
    """A search text that finds demo properties with something due (chosen off-screen, typed on-screen)."""
    for query in SEARCH_CANDIDATES[language]:
        hits = services.search.search(query, 10)
        for hit in hits:
            dues = services.dues.dues(hit.uuid, services.collections.today())
            if dues.payable_paise > 0:
                return query
    raise DemoError(f"no demo property with dues found for the {language} queries {SEARCH_CANDIDATES[language]}")


def walk_counter(walker: Walker, window: MainWindow, services: Services, language: str) -> Any:
    from PySide6.QtCore import Qt

    counter: Any = window.show_screen("counter")
    walker.settle()
    if counter.stack.currentIndex() == counter.PAGE_OPENING:
        walker.shot(window, f"counter-opening-cash-{language}")
        counter.opening.amount_edit.selectAll()
        _type(counter.opening.amount_edit, OPENING_CASH)
        _key(counter.opening.amount_edit, Qt.Key.Key_Return)
        walker.wait_for(lambda: counter.stack.currentIndex() == counter.PAGE_COUNTER, "the counter session to open")
    walker.settle()
    if counter.confirmation.isVisible() or counter.middle.currentIndex() != counter.MIDDLE_DUES:
        _key(counter.search_edit, Qt.Key.Key_Escape)
        walker.settle()
    query = pick_query(services, language)
    counter.search_edit.setFocus()
    counter.search_edit.clear()
    _type(counter.search_edit, query)
    walker.wait_for(lambda: counter.results_model.rowCount() > 0, f"search results for {query!r}")
    walker.settle()
    walker.shot(window, f"counter-search-{language}")
    # Down to the first result with something to pay, then Enter.
    for row in range(counter.results_model.rowCount()):
        hit = counter.results_model.hit(row)
        if hit is None:  # a water connection, licence or user-charge payer: the walk pays a property
            continue
        if services.dues.dues(hit.uuid, services.collections.today()).payable_paise > 0:
            for _ in range(row):
                _key(counter.search_edit, Qt.Key.Key_Down)
            break
    _key(counter.search_edit, Qt.Key.Key_Return)
    walker.wait_for(lambda: counter._dues is not None and not counter._property_loading, "the property's dues")
    walker.settle()
    walker.shot(window, f"counter-dues-{language}")
    _key(window.focusWidget() or counter, Qt.Key.Key_F10)
    walker.wait_for(counter.confirmation.isVisible, "the confirmation")
    walker.shot(window, f"counter-confirmation-{language}")
    before = counter.last_receipt
    _key(counter.confirmation, Qt.Key.Key_Return)
    walker.wait_for(lambda: counter.last_receipt is not before, "the receipt to be saved")
    walker.settle()
    walker.shot(window, f"counter-receipt-preview-{language}")
    receipt = counter.last_receipt
    from app.printing import PAPER_DOTS
    from ui.printing.raster import render_png

    # What the 80 mm thermal printer burns, dot for dot (the same document model as the preview).
    path = walker.out_dir / f"receipt-{receipt.receipt_no.replace('/', '_')}.png"
    path.write_bytes(render_png(services.receipts.document_of(receipt), PAPER_DOTS[80]))
    walker.saved.append(path)
    print(f"  {path.name}", flush=True)
    return receipt


def sync_and_wait(walker: Walker, window: MainWindow, what: str, done: Callable[[Any], bool] | None = None) -> Any:
    """Press Sync now (returns at once: the worker thread does the network) and wait for a clean cycle
    that ended after the press and satisfies `done` (default: nothing left pending). Returns the status."""
    from datetime import UTC, datetime

    from sync.status import SyncState

    runner = window.ctx.sync
    if runner is None:
        raise DemoError("no sync service: the device could not be enrolled with the local central")
    walker.wait_for(lambda: runner.running and runner.last_status is not None, "the sync worker to start")
    pressed = datetime.now(UTC)
    window.sync_now()

    def finished() -> bool:
        status = runner.last_status
        if status is None or status.state is not SyncState.IDLE or status.last_success_at is None:
            return False
        if status.last_success_at < pressed:
            return False
        return done(status) if done is not None else status.pending_ops == 0

    walker.wait_for(finished, what, SYNC_TIMEOUT_S)
    walker.settle()
    return runner.last_status


def walk_sync(walker: Walker, window: MainWindow, central: Any, receipt: Any, language: str) -> None:
    """Sync now, wait for a clean cycle, shoot the status bar, check the receipt is on the central."""
    sync_and_wait(walker, window, "a sync cycle that leaves nothing pending")
    walker.shot(window.statusBar(), f"sync-status-bar-{language}")
    walker.shot(window, f"sync-synced-{language}")
    number = central.receipt_no(receipt.uuid)
    if number != receipt.receipt_no:
        raise DemoError(f"receipt {receipt.receipt_no} is not on the central after a clean sync")
    print(
        f"Receipt {number} reached the central at {central.url} "
        f"({central.receipt_count()} receipt(s) there now, in {central.db_path}).",
        flush=True,
    )


def _property_input(detail: Any, **changes: Any) -> Any:
    from app.property.service import PropertyInput

    names = ("property_id", "ward_no", "zone_code", "old_id", "address_en", "address_hi", "open_land_sqft")
    values = {name: getattr(detail, name) for name in names}
    values.update(owners=tuple(detail.owners), units=tuple(detail.units))
    values.update(changes)
    return PropertyInput(**values)


def make_conflict(walker: Walker, window: MainWindow, services: Services, central: Any) -> str:
    """A true conflict, made the way offices make one: another counter (a throwaway second device
    enrolled to the same local central) and this PC change the same property's address differently.
    The other counter syncs first, so the central keeps its value and this PC gets the conflict."""
    import tempfile

    from sqlalchemy import select

    from app.composition import build_services
    from app.demo import ensure_demo
    from app.property.models import Property
    from app.security.secrets import MemorySecretStore
    from sync.composition import build_sync
    from sync.localcentral import ensure_enrolled

    supervisor = services.users.actor_for(DEMO_SUPERVISOR[0], services.device.device_no)
    with services.db.read() as session:
        uuid = session.scalars(select(Property.uuid).order_by(Property.property_id).limit(1)).one()
    detail = services.properties.get(uuid)
    # 1. This PC's edit takes the property to the central (an update of a property it does not know
    #    creates it there), so the other counter can pull it.
    services.properties.update(supervisor, uuid, _property_input(detail, old_id=f"{detail.property_id}-OLD"))
    sync_and_wait(walker, window, "this PC's property edit to reach the central")
    address = detail.address_en
    with tempfile.TemporaryDirectory(prefix="nikay-other-counter-") as other_dir:
        other_path = Path(other_dir)
        ensure_demo(other_path, properties=1, quiet=True, office_records=False)
        secrets = MemorySecretStore()  # a throwaway device: its key lives only as long as this walk
        other = build_services(other_path)
        try:
            ensure_enrolled(central, build_sync(other, secrets))
            other.close()
            other = build_services(other_path)  # the device number changed at enrolment
            other_sync = build_sync(other, secrets)
            other_sync.run_cycle()  # pulls the property
            other_supervisor = other.users.actor_for(DEMO_SUPERVISOR[0], other.device.device_no)
            theirs = other.properties.get(uuid)
            other.properties.update(
                other_supervisor, uuid, _property_input(theirs, address_en=f"{address}, behind the water tank")
            )
            other_sync.run_cycle()
            print(f"Another counter (device {other.device.device_no}) changed the address of {detail.property_id}.")
        finally:
            other.close()
    # 2. This PC changes the same field to something else, and syncs: a conflict for a supervisor.
    mine = services.properties.get(uuid)
    services.properties.update(supervisor, uuid, _property_input(mine, address_en=f"{address}, near the temple"))
    sync_and_wait(walker, window, "the conflict to come back", lambda status: status.conflicts_open > 0)
    print(f"This PC changed it too: a conflict on {detail.property_id} waits for a supervisor.", flush=True)
    return uuid


def walk_conflicts(walker: Walker, shell: Any, services: Services, central: Any) -> None:
    """Make a real conflict, sign in as the supervisor, show the conflicts screen (English, Hindi),
    keep this office's address, and sync the decision up."""

    window = shell.window
    try:
        make_conflict(walker, window, services, central)
    except Exception as exc:  # the conflict is a bonus: the walk goes on and shows the screen as it is
        print(f"warning: could not make a demo conflict: {type(exc).__name__}: {str(exc)[:300]}", flush=True)
    window = sign_in_as_supervisor(walker, shell)
    window.set_language("en")
    screen: Any = window.show_screen("conflicts")
    walker.settle()
    has_conflict = screen.list.rowCount() > 0
    walker.shot(window, "sync-conflicts-en")
    window.set_language("hi")
    walker.settle()
    walker.shot(window, "sync-conflicts-hi")
    window.set_language("en")
    if not has_conflict:
        window.set_language("hi")
        return
    for name in screen.choices:
        screen.set_choice(name, "mine")  # this office's address
    screen.resolve_button.click()
    walker.wait_for(lambda: screen.list.rowCount() == 0, "the conflict to be resolved")
    sync_and_wait(walker, window, "the decision to reach the central")
    walker.shot(window, "sync-conflicts-resolved-en")
    print("The supervisor kept this office's address; the decision reached the central.", flush=True)
    window.set_language("hi")  # the walk ends on the Hindi sign-in screen


def sign_in_as_supervisor(walker: Walker, shell: Any) -> Any:
    """Sign the current user out and the demo supervisor in; returns the supervisor's main window."""
    from PySide6.QtCore import Qt

    shell.window.sign_out()
    walker.settle()
    login = shell.login
    username, password = DEMO_SUPERVISOR
    login.username.setFocus()
    login.username.clear()
    _type(login.username, username)
    _key(login.username, Qt.Key.Key_Return)
    _type(login.password, password)
    _key(login.password, Qt.Key.Key_Return)
    walker.wait_for(lambda: shell.window is not None, "the supervisor's main window")
    window = shell.window
    window.resize(*WINDOW_SIZE)
    return window


# Issue 5's screens: water connections, trade licences, user charges, the DCB statement.
OFFICE_SCREENS = ("water", "trade", "swm", "dcb", "registers")


def walk_office_screens(walker: Walker, window: Any) -> None:
    """The supervisor's office screens, in English and Hindi."""
    for language in ("en", "hi"):
        window.set_language(language)
        for screen_id in OFFICE_SCREENS:
            window.show_screen(screen_id)
            walker.settle(600)
            walker.shot(window, f"{screen_id}-{language}")


def walk_other_screens(walker: Walker, window: MainWindow, language: str) -> None:
    for screen_id in ("receipts", "dayend", "overview"):
        window.show_screen(screen_id)
        walker.settle()
        walker.shot(window, f"{screen_id}-{language}")
    window.show_screen("counter")
    walker.settle()
    window.toggle_help()
    walker.shot(window, f"help-f1-{language}")
    window.toggle_help()


def start_central(data_dir: Path) -> Any:
    """The local central, with this device enrolled (first run) — or None with a warning if it cannot
    start: the walk then runs without sync, as before."""
    from sync.localcentral import LocalCentralError, start_local_central
    from ui.launch import enrol_demo_device

    try:
        central = start_local_central(data_dir)
    except LocalCentralError as exc:
        print(f"warning: no local central: {exc}")
        return None
    try:
        # With services of its own, closed again: enrolment sets the device number, which the
        # services read once when they are built.
        enrol_demo_device(data_dir, central)
    except Exception:
        central.stop()
        raise
    return central


def run_demo(data_dir: Path, out_dir: Path, *, local_central: bool = False) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.png"):
        old.unlink()
    from app.demo import ensure_demo

    ensure_demo(data_dir, quiet=True)

    from PySide6.QtCore import Qt

    from app.composition import build_services
    from ui.application import Shell, create_application

    runtime = create_application(data_dir, install_crash_handler=False)
    runtime.set_language("en", remember=False)
    central = start_central(data_dir) if local_central else None
    services = build_services(data_dir)
    sync_service = None
    if central is not None:
        from sync.composition import build_sync

        sync_service = build_sync(services)
    # The walk syncs with "Sync now"; the timer is long so every cycle in the log is one it asked for.
    shell = Shell(runtime, services, sync_service, sync_interval_s=3600)
    login = shell.start()
    assert shell.ops is not None
    walker = Walker(out_dir, shell.ops)
    try:
        print(f"Headless demo: data {data_dir}", flush=True)
        login.resize(*WINDOW_SIZE)
        walker.shot(login, "login-en")
        login.username.setFocus()
        login.username.clear()
        _type(login.username, DEMO_USER)
        _key(login.username, Qt.Key.Key_Return)
        _type(login.password, "wrong-password")
        _key(login.password, Qt.Key.Key_Return)
        walker.settle()
        walker.shot(login, "login-wrong-password-en")
        _type(login.password, DEMO_PASSWORD)
        _key(login.password, Qt.Key.Key_Return)
        walker.wait_for(lambda: shell.window is not None, "the main window")
        window = shell.window
        assert window is not None
        window.resize(*WINDOW_SIZE)
        walker.settle()

        receipt = walk_counter(walker, window, services, "en")
        if central is not None:
            walk_sync(walker, window, central, receipt, "en")
        walk_other_screens(walker, window, "en")

        window.set_language("hi")
        walker.settle()
        receipt = walk_counter(walker, window, services, "hi")
        if central is not None:
            walk_sync(walker, window, central, receipt, "hi")
        walk_other_screens(walker, window, "hi")

        if central is not None:
            walk_conflicts(walker, shell, services, central)  # ends signed in as the supervisor
            window = shell.window
        else:
            window = sign_in_as_supervisor(walker, shell)
        assert window is not None
        walk_office_screens(walker, window)
        window.sign_out()
        walker.settle()
        assert shell.login is not None
        shell.login.resize(*WINDOW_SIZE)
        walker.shot(shell.login, "login-hi")
        shell.login.set_language("en")
    except DemoError as exc:
        print(f"error: {exc}")
        return 1
    finally:
        runtime.settings.language = "en"
        shell.shutdown()
        close_all_windows()
        if central is not None:
            central.stop()
            print("Local central stopped (its database stays for the next run).")
    print(f"Screenshots ({len(walker.saved)}): {out_dir}")
    return 0
