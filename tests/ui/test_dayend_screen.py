"""Day-end: denominations add up live, expected vs counted per mode, a difference needs an explanation,
the Daily Collection Summary by head and mode, and closing the session asks the shell for a backup."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.collections.dto import CollectRequest, Mode, Payment
from app.core.ids import new_uuid
from app.core.money import format_inr
from tests.ui.helpers import WAIT_MS, show_screen
from ui.dayend.screen import DayEndScreen

TODAY = date(2026, 6, 15)


@pytest.fixture
def day(services: Any, clerk: Any) -> int:
    """An open session with ₹1,000 opening cash and one cash receipt of ₹2,500: expects ₹3,500 in cash."""
    from sqlalchemy import text

    services.collections.open_session(clerk, 100000)
    with services.db.read() as session:
        uuids = [row[0] for row in session.execute(text("SELECT uuid FROM property ORDER BY uuid")).all()]
    target = next(u for u in uuids if services.dues.dues(u, TODAY).payable_paise > 0)
    payment = Payment(Mode.CASH, tendered_paise=250000)
    services.collections.collect(clerk, CollectRequest(target, 250000, payment, new_uuid()))
    return 350000


def _screen(qtbot: Any, ctx: Any) -> DayEndScreen:
    return show_screen(qtbot, DayEndScreen(ctx), ctx)


def _type_count(qtbot: Any, screen: DayEndScreen, kind: str, value: int, count: int) -> None:
    box = (screen.note_boxes if kind == "note" else screen.coin_boxes)[value]
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, str(count))
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter moves on to the next count


def test_expected_vs_counted_and_summary(qtbot: Any, ui_context: Any, day: int) -> None:
    screen = _screen(qtbot, ui_context)
    assert screen.summary is not None
    assert screen.cash_expected.text() == format_inr(day)
    assert screen.note_boxes[2000].hasFocus()
    _type_count(qtbot, screen, "note", 2000, 1)
    assert screen.note_boxes[500].hasFocus()
    _type_count(qtbot, screen, "note", 500, 3)
    assert screen.counted_total.text() == format_inr(350000)
    assert screen.cash_difference.text() == format_inr(0)
    summary_text = screen.summary_view.toPlainText()
    assert "Daily Collection Summary" in summary_text
    assert format_inr(250000) in summary_text  # by mode (cash) and total
    assert "Property tax" in summary_text or "Consolidated tax" in summary_text  # by head


def test_difference_without_explanation_is_refused(
    qtbot: Any, ui_context: Any, services: Any, clerk: Any, day: int
) -> None:
    screen = _screen(qtbot, ui_context)
    _type_count(qtbot, screen, "note", 2000, 1)
    _type_count(qtbot, screen, "note", 500, 2)  # ₹500 short
    assert screen.cash_difference.text() == format_inr(-50000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert screen.banner.isVisible() and "explanation" in screen.banner.text()
    assert services.collections.current_session(clerk) is not None  # still open
    # The service refuses it too, whatever the screen does.
    from app.errors import ValidationError

    with pytest.raises(ValidationError):
        services.collections.close_session(clerk, {2000: 1, 500: 2}, {}, "")

    screen.explanation.setFocus()
    qtbot.keyClicks(screen.explanation, "One 500 note given as change twice")
    with qtbot.waitSignal(ui_context.events.backup_requested, timeout=WAIT_MS) as backup:
        qtbot.keyClick(screen.explanation, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert ui_context.ops.wait_idle(WAIT_MS)
    assert backup.args == ["day-end"]
    assert services.collections.current_session(clerk) is None
    assert screen.closed_summary is not None
    assert "Closed" in screen.summary_view.toPlainText()


def test_exact_count_closes_without_explanation(
    qtbot: Any, ui_context: Any, services: Any, clerk: Any, day: int
) -> None:
    screen = _screen(qtbot, ui_context)
    _type_count(qtbot, screen, "note", 500, 7)
    assert screen.difference_total.text() == "Counted equals expected."
    screen.close_button.click()
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert services.collections.current_session(clerk) is None


def test_no_open_session_says_so(qtbot: Any, ui_context: Any) -> None:
    screen = _screen(qtbot, ui_context)
    assert screen.summary is None
    assert screen.banner.isVisible()
    assert not screen.close_button.isEnabled()
