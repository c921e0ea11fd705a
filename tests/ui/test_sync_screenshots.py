"""Screenshots of sync in the main window at 1366×768, English and Hindi: the status bar in its busiest
state, the clock banner, and the supervisor's conflicts screen with a real conflict on the real device DB.

PNGs go to the test's tmp dir and /tmp/nikay-shots/ (and to docs/screenshots/sync-*.png when
NIKAY_DOCS_SHOTS=1) to be looked at by a person. The test checks what a machine can: no status-bar label
is clipped, the banner is shown, the conflict's five columns fit without a horizontal scroll bar.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from app.composition import Services
from sync.status import SyncState, SyncStatus
from tests.ui.conftest import login_actor
from tests.ui.helpers import WAIT_MS
from tests.ui.test_counter_screenshots import _clipped_labels
from tests.ui.test_sync_conflicts import a_property, make_conflict, sync_service

SHOTS = Path("/tmp/nikay-shots")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _save(widget: QWidget, tmp_path: Path, name: str) -> Path:
    QTest.qWait(100)  # the status bar re-lays out its fields after a text change (a posted event or two)
    path = tmp_path / f"{name}.png"
    assert widget.grab().save(str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    if os.environ.get("NIKAY_DOCS_SHOTS") == "1":
        shutil.copy(path, DOCS / path.name)
    return path


@pytest.mark.parametrize("language", ["en", "hi"])
def test_sync_screens(qtbot: Any, services: Services, ops: Any, runtime: Any, tmp_path: Path, language: str) -> None:
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.sync.runner import SyncRunner

    runner = SyncRunner(sync_service(services), ops)
    uuid, property_id, address, ward = a_property(services)
    make_conflict(services, uuid, address, ward)
    ctx = UiContext(services, login_actor(services, "supervisor1"), ops, "en", sync=runner)
    window = MainWindow(ctx, runtime)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    if language == "hi":
        window.set_language("hi")
    assert ops.wait_idle(WAIT_MS)

    now = services.clock.now_utc()
    busy = SyncStatus(
        SyncState.OFFLINE,
        central_url="https://nikay.cg.gov.in",
        device_no=3,
        last_success_at=now - timedelta(hours=3, minutes=20),
        next_attempt_at=now + timedelta(seconds=40),
        pending_ops=12,
        pending_money_ops=9,
        oldest_pending_at=now - timedelta(hours=3, minutes=12),
        conflicts_open=1,
        clock_offset_s=3 * 3600 + 12 * 60,
    )
    runner.status_changed.emit(busy)  # as the worker reports it (delivered on the GUI thread)
    qtbot.waitUntil(lambda: window.sync_widget.status == busy, timeout=WAIT_MS)
    assert window.clock_banner.isVisible()
    assert window.sync_widget.conflicts_button.isVisible()
    assert not _clipped_labels(window.statusBar())
    _save(window, tmp_path, f"sync-offline-banner-{language}")
    _save(window.statusBar(), tmp_path, f"sync-status-offline-{language}")

    synced = SyncStatus(SyncState.IDLE, central_url="https://nikay.cg.gov.in", device_no=3, last_success_at=now)
    runner.status_changed.emit(synced)
    qtbot.waitUntil(lambda: window.sync_widget.status == synced, timeout=WAIT_MS)
    assert not window.clock_banner.isVisible()
    _save(window.statusBar(), tmp_path, f"sync-status-synced-{language}")

    screen: Any = window.show_screen("conflicts")
    assert ops.wait_idle(WAIT_MS)
    qtbot.waitUntil(lambda: screen.list.rowCount() == 1, timeout=WAIT_MS)
    assert screen.list.item(0, 1).text() == property_id
    assert not screen.fields.horizontalScrollBar().isVisible(), "the conflict's columns do not fit"
    header = screen.fields.horizontalHeader()
    assert header.sectionPosition(4) + header.sectionSize(4) <= screen.fields.viewport().width() + 1
    _save(window, tmp_path, f"sync-conflicts-{language}")
