"""The sync field of the status bar and the clock banner: what a clerk reads, in English and Hindi."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync.status import CLOCK_WARN_S, SyncState, SyncStatus

NOW = datetime(2026, 6, 15, 6, 30, tzinfo=UTC)  # 12:00 IST


def status(state: SyncState = SyncState.IDLE, **kw: Any) -> SyncStatus:
    base: dict[str, Any] = {"central_url": "https://central.example", "device_no": 3}
    base.update(kw)
    return SyncStatus(state, **base)


@pytest.fixture
def widget(qtbot: Any, runtime: Any) -> Any:
    from ui.sync.widgets import SyncStatusWidget

    w = SyncStatusWidget(can_resolve=True, now=lambda: NOW)
    qtbot.addWidget(w)
    w.show()
    return w


def shown(w: Any) -> str:
    parts = [w.state_label.text()]
    if w.pending_label.isVisible():
        parts.append(w.pending_label.text())
    if w.conflicts_button.isVisible():
        parts.append(w.conflicts_button.text())
    return " ".join(parts)


ENGLISH = [
    (status(SyncState.NOT_ENROLLED), "Not connected to the central"),
    (status(SyncState.IDLE, last_success_at=NOW - timedelta(minutes=2)), "Synced 2 min ago"),
    (status(SyncState.IDLE, last_success_at=NOW - timedelta(seconds=20)), "Synced just now"),
    (status(SyncState.IDLE, last_success_at=NOW - timedelta(days=2, hours=1)), "Synced on 13-06-2026 11:00"),
    (status(SyncState.IDLE), "Waiting for the first sync"),
    (status(SyncState.SYNCING), "Syncing…"),
    (status(SyncState.OFFLINE, next_attempt_at=NOW + timedelta(seconds=40)), "Offline — retrying in 40 s"),
    (
        status(SyncState.ERROR, last_error="HTTP 503 from the central", next_attempt_at=NOW + timedelta(minutes=2)),
        "Sync error: HTTP 503 from the central — retrying in 2 min",
    ),
    (status(SyncState.REVOKED), "Device revoked by the central: sync stopped"),
]


@pytest.mark.parametrize(
    ("value", "expected"), ENGLISH, ids=[f"{s.state.value}{i}" for i, (s, _) in enumerate(ENGLISH)]
)
def test_state_text_english(widget: Any, value: SyncStatus, expected: str) -> None:
    widget.set_status(value)
    assert widget.state_label.text() == expected


HINDI = [
    (status(SyncState.NOT_ENROLLED), "केंद्रीय सर्वर से नहीं जुड़ा"),
    (status(SyncState.IDLE, last_success_at=NOW - timedelta(minutes=2)), "2 मिनट पहले सिंक हुआ"),
    (status(SyncState.SYNCING), "सिंक हो रहा है…"),
    (status(SyncState.OFFLINE, next_attempt_at=NOW + timedelta(seconds=40)), "ऑफ़लाइन — 40 से. में फिर कोशिश"),
    (status(SyncState.ERROR, last_error="HTTP 503", next_attempt_at=NOW + timedelta(seconds=5)), "सिंक त्रुटि: HTTP 503"),
    (status(SyncState.REVOKED), "केंद्रीय सर्वर ने यह उपकरण रद्द किया: सिंक बंद"),
]


@pytest.mark.parametrize(("value", "expected"), HINDI, ids=[s.state.value for s, _ in HINDI])
def test_state_text_hindi(widget: Any, runtime: Any, qtbot: Any, value: SyncStatus, expected: str) -> None:
    widget.set_status(value)
    runtime.set_language("hi", remember=False)
    qtbot.waitUntil(lambda: widget.sync_button.text() == "अभी सिंक करें")
    assert widget.state_label.text().startswith(expected)


def test_pending_and_oldest(widget: Any, runtime: Any, qtbot: Any) -> None:
    widget.set_status(
        status(
            last_success_at=NOW - timedelta(minutes=5),
            pending_ops=12,
            pending_money_ops=9,
            oldest_pending_at=NOW - timedelta(hours=3, minutes=12),
        )
    )
    assert widget.pending_label.text() == "12 not sent yet · oldest 3 h"
    assert widget.pending_label.toolTip() == (
        "12 operation(s) not yet on the central (9 of them receipts or counter sessions); "
        "the oldest was saved 3 h 12 min ago."
    )
    assert "bold" in widget.pending_label.styleSheet()  # money waiting stands out
    widget.set_status(status(last_success_at=NOW, pending_ops=1, oldest_pending_at=NOW - timedelta(seconds=30)))
    assert widget.pending_label.text() == "1 not sent yet · oldest 30 s"
    assert "bold" not in widget.pending_label.styleSheet()
    widget.set_status(status(last_success_at=NOW, pending_ops=2, oldest_pending_at=NOW - timedelta(days=3)))
    assert widget.pending_label.text() == "2 not sent yet · oldest 3 day(s)"
    widget.set_status(status(last_success_at=NOW, pending_ops=0))
    assert widget.pending_label.text() == "All on the central"
    # Not enrolled: the receipts are only on this PC, say so.
    widget.set_status(status(SyncState.NOT_ENROLLED, pending_ops=4))
    assert widget.pending_label.text() == "4 saved on this PC only"
    assert not widget.sync_button.isVisible()  # nothing to sync with

    widget.set_status(status(last_success_at=NOW, pending_ops=12, oldest_pending_at=NOW - timedelta(hours=3)))
    runtime.set_language("hi", remember=False)
    qtbot.waitUntil(lambda: widget.sync_button.text() == "अभी सिंक करें")
    assert widget.pending_label.text() == "12 अभी नहीं भेजी गईं · सबसे पुरानी 3 घंटे"


def test_conflicts_link_only_for_supervisors(qtbot: Any, runtime: Any) -> None:
    from ui.sync.widgets import SyncStatusWidget

    value = status(last_success_at=NOW, conflicts_open=2)
    supervisor = SyncStatusWidget(can_resolve=True, now=lambda: NOW)
    clerk = SyncStatusWidget(can_resolve=False, now=lambda: NOW)
    for w in (supervisor, clerk):
        qtbot.addWidget(w)
        w.show()
        w.set_status(value)
    assert supervisor.conflicts_button.isVisible()
    assert supervisor.conflicts_button.text() == "2 conflict(s)"
    with qtbot.waitSignal(supervisor.conflicts_requested, timeout=1000):
        supervisor.conflicts_button.click()
    assert not clerk.conflicts_button.isVisible()


def test_sync_now_disabled_while_syncing(widget: Any, qtbot: Any) -> None:
    widget.set_status(status(SyncState.SYNCING))
    assert not widget.sync_button.isEnabled()
    widget.set_status(status(SyncState.OFFLINE, next_attempt_at=NOW + timedelta(seconds=30)))
    assert widget.sync_button.isEnabled()
    with qtbot.waitSignal(widget.sync_now_requested, timeout=1000):
        widget.sync_button.click()


def test_clock_banner_threshold(qtbot: Any, runtime: Any) -> None:
    from ui.sync.widgets import ClockSkewBanner

    banner = ClockSkewBanner()
    qtbot.addWidget(banner)
    banner.set_status(status(clock_offset_s=float(CLOCK_WARN_S)))
    assert banner.isHidden()
    banner.set_status(status(clock_offset_s=-float(CLOCK_WARN_S)))
    assert banner.isHidden()
    banner.set_status(status(clock_offset_s=None))
    assert banner.isHidden()
    banner.set_status(status(clock_offset_s=3 * 3600 + 12 * 60 + 5))
    assert not banner.isHidden()
    assert banner.message.text() == (
        "This PC's clock is 3 h 12 min behind the central's. Receipts will carry the PC's time. "
        "Ask the supervisor to correct the clock."
    )
    banner.set_status(status(clock_offset_s=-(CLOCK_WARN_S + 60)))
    assert banner.message.text().startswith("This PC's clock is 6 min ahead of the central's.")
    runtime.set_language("hi", remember=False)
    qtbot.waitUntil(lambda: "घड़ी" in banner.message.text())
    assert banner.message.text().startswith("इस कंप्यूटर की घड़ी केंद्रीय सर्वर से 6 मिनट आगे है।")
    banner.set_status(status(clock_offset_s=10.0))
    assert banner.isHidden()


def test_the_tooltip_tells_support_about_changes_that_could_not_be_applied(
    widget: Any, runtime: Any, qtbot: Any
) -> None:
    widget.set_status(status(skipped_changes=2))
    assert "2 change(s) from the central could not be applied on this PC: call support" in widget.toolTip()
    runtime.set_language("hi", remember=False)
    qtbot.waitUntil(lambda: "बदलाव इस कंप्यूटर पर लागू नहीं हो सके" in widget.toolTip())
    widget.set_status(status())
    assert "बदलाव" not in widget.toolTip()
