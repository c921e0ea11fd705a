"""Sync in the running desktop, against a real central (sync/localcentral.py: `central serve --demo` on
SQLite, uvicorn on loopback): the enrolled device's worker runs on its own thread, the status bar follows
a receipt up to the central, Sync now returns at once even while the central hangs, and stopping leaves
no thread behind."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.security.passwords import fast_hasher
from app.security.secrets import MemorySecretStore
from sync.composition import build_sync
from sync.localcentral import LocalCentral, ensure_enrolled, start_local_central
from sync.status import SyncState
from tests.factories import cash
from tests.ui.conftest import login_actor
from tests.ui.helpers import WAIT_MS

pytestmark = pytest.mark.xdist_group("sync-local-central")


@pytest.fixture
def central(tmp_path: Path) -> Iterator[LocalCentral]:
    """A central of the test's own: a fresh device's first sync downloads the ULB's snapshot, and other
    tests' receipts in it would make the tests depend on each other."""
    server = start_local_central(tmp_path / "local-central")
    yield server
    server.stop()


def _issue_code(central: LocalCentral) -> str:
    from central.auth import service
    from central.cli import session_for

    with session_for(central.database_url) as session:
        issued = service.issue_code(
            session, ulb_code="DEMO", office_code="Z01", issued_by="test", ttl_h=1, now=datetime.now(UTC)
        )
    return issued.code


@pytest.fixture
def enrolled(
    request: pytest.FixtureRequest, ui_data_dir: Path, clock: FixedClock, central: LocalCentral
) -> Iterator[tuple[Services, Any]]:
    """This data folder enrolled to the central; services rebuilt after it (the device number changed)."""
    secrets = MemorySecretStore()
    first = build_services(ui_data_dir, clock=clock, password_hasher=fast_hasher())
    try:
        service = build_sync(first, secrets)
        if getattr(request, "param", "") == "cli":
            assert ensure_enrolled(central, service) is True  # the demo's way: `central issue-code`
        else:  # the same code issued in-process: the CLI's subprocess start costs seconds per test
            service.enrol(central.url, _issue_code(central), verify_tls=False)
        assert service.is_enrolled()
    finally:
        first.close()
    services = build_services(ui_data_dir, clock=clock, password_hasher=fast_hasher())
    yield services, build_sync(services, secrets)
    services.close()


@pytest.fixture
def window(qtbot: Any, enrolled: tuple[Services, Any], ops: Any, runtime: Any) -> Iterator[Any]:
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.sync.runner import SyncRunner

    services, sync_service = enrolled
    # The timer never fires in a test: cycles run at start, on Sync now, and soon after new money.
    runner = SyncRunner(sync_service, ops, interval_s=3600, push_soon_s=1.0)
    ctx = UiContext(services, login_actor(services, "clerk1"), ops, "en", sync=runner)
    main = MainWindow(ctx, runtime)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    assert runner.start() is True
    yield main
    runner.stop()
    assert not any(t.name == "nikay-sync" and t.is_alive() for t in threading.enumerate())


def _payable_property(services: Services) -> str:
    from sqlalchemy import text

    with services.db.read() as session:
        uuids = session.execute(text("SELECT DISTINCT property_uuid FROM demand ORDER BY property_uuid")).scalars()
        candidates = list(uuids)
    today = services.collections.today()
    return next(u for u in candidates if services.dues.dues(u, today).payable_paise >= 10_000)


def _first_cycle_done(qtbot: Any, window: Any) -> None:
    runner = window.ctx.sync
    qtbot.waitUntil(
        lambda: (
            runner.last_status is not None
            and runner.last_status.state is SyncState.IDLE
            and runner.last_status.last_success_at is not None
        ),
        timeout=WAIT_MS,
    )


@pytest.mark.parametrize("enrolled", ["cli"], indirect=True)
def test_a_receipt_goes_up_and_the_status_bar_follows(
    qtbot: Any, window: Any, enrolled: tuple[Services, Any], central: LocalCentral
) -> None:
    services, _ = enrolled
    _first_cycle_done(qtbot, window)
    widget = window.sync_widget
    qtbot.waitUntil(lambda: widget.state_label.text() == "Synced just now", timeout=WAIT_MS)
    # The test's PC clock says 15 June 2026; the central's is today's: months apart -> the banner.
    assert window.clock_banner.isVisible()
    assert "behind the central's" in window.clock_banner.message.text()

    clerk = window.ctx.actor
    services.collections.open_session(clerk, 0)
    receipt = services.collections.collect(clerk, cash(_payable_property(services), 10_000))
    window.ctx.refresh_status()  # what the counter screen does after a receipt
    qtbot.waitUntil(lambda: widget.pending_label.text().startswith("2 not sent yet"), timeout=WAIT_MS)
    assert central.receipt_no(receipt.uuid) is None

    started = time.perf_counter()
    qtbot.mouseClick(widget.sync_button, Qt.MouseButton.LeftButton)
    assert time.perf_counter() - started < 0.25, "Sync now must return at once"
    assert widget.state_label.text() == "Syncing…"
    qtbot.waitUntil(lambda: widget.pending_label.text() == "All on the central", timeout=WAIT_MS)
    assert widget.state_label.text() == "Synced just now"
    assert central.receipt_no(receipt.uuid) == receipt.receipt_no

    # The next receipt goes up by itself, seconds later: new money in the outbox wakes the worker.
    second = services.collections.collect(clerk, cash(_payable_property(services), 10_000))
    window.ctx.refresh_status()
    qtbot.waitUntil(lambda: central.receipt_no(second.uuid) == second.receipt_no, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: widget.pending_label.text() == "All on the central", timeout=WAIT_MS)


@pytest.mark.skipif(sys.platform == "win32", reason="freezes the central with SIGSTOP")
def test_sync_now_never_blocks_the_gui_while_the_central_hangs(
    qtbot: Any, window: Any, enrolled: tuple[Services, Any], central: LocalCentral
) -> None:
    services, _ = enrolled
    _first_cycle_done(qtbot, window)
    services.collections.open_session(window.ctx.actor, 0)  # one operation to push
    window.ctx.refresh_status()
    qtbot.waitUntil(lambda: window.sync_widget.pending_label.text().startswith("1 not sent yet"), timeout=WAIT_MS)

    assert central.process is not None
    pid = central.process.pid
    os.kill(pid, signal.SIGSTOP)  # the central hangs: accepts connections, answers nothing
    try:
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(50)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        started = time.perf_counter()
        window.sync_widget.sync_button.click()
        assert time.perf_counter() - started < 0.25
        qtbot.wait(1500)  # the worker is stuck in a request to the frozen central...
        timer.stop()
        assert len(ticks) >= 15, f"the GUI thread stalled: {len(ticks)} timer ticks in 1.5 s"  # ...the GUI is not
        assert window.sync_widget.pending_label.text().startswith("1 not sent yet")
    finally:
        os.kill(pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: window.sync_widget.pending_label.text() == "All on the central", timeout=WAIT_MS * 2)
    status = window.ctx.sync.last_status
    assert status.last_success_at is not None
    assert status.clock_offset_s is not None and status.clock_offset_s > timedelta(days=30).total_seconds()


def test_the_shell_runs_sync_from_the_first_sign_in_to_shutdown(
    qtbot: Any, enrolled: tuple[Services, Any], runtime: Any
) -> None:
    from ui.application import Shell

    services, sync_service = enrolled
    shell = Shell(runtime, services, sync_service, sync_interval_s=3600)
    login = shell.start()
    qtbot.addWidget(login)
    try:
        with qtbot.waitSignal(shell.main_window_shown, timeout=WAIT_MS) as signal:
            login.username.setText("clerk1")
            login.password.setText("Clerk@123")
            login.submit()
        window = signal.args[0]
        qtbot.addWidget(window)
        runner = shell.sync
        assert runner is not None and window.ctx.sync is runner
        qtbot.waitUntil(lambda: runner.running, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.sync_widget.state_label.text() == "Synced just now", timeout=WAIT_MS)
        # Signing out does not stop the device's sync; the next user's window shows the same runner.
        window.sign_out()
        assert runner.running
        login = shell.login
        assert login is not None
        qtbot.addWidget(login)
        with qtbot.waitSignal(shell.main_window_shown, timeout=WAIT_MS) as signal:
            login.username.setText("supervisor1")
            login.password.setText("Super@123")
            login.submit()
        qtbot.addWidget(signal.args[0])
        assert signal.args[0].ctx.sync is runner
    finally:
        assert shell.ops is not None
        shell.ops.wait_idle(WAIT_MS)
        shell.services = None  # the fixture closes its own services
        shell.shutdown()
    assert not runner.running
    assert not any(t.name == "nikay-sync" and t.is_alive() for t in threading.enumerate())
