"""Screenshots of the counter (and receipts/day-end) inside the main window at 1366×768, in English and Hindi.

The PNGs go to the test's tmp dir and are copied to /tmp/nikay-shots/ to be looked at by a person (nothing
clipped, Hindi shaped). The test itself checks what a machine can: the language switch kept the clerk's
place, Hindi strings are on screen, and no label's text is wider than the label.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.core.money import format_inr
from tests.ui.helpers import WAIT_MS
from ui.counter.screen import CounterScreen

TODAY = date(2026, 6, 15)
SHOTS = Path("/tmp/nikay-shots")


def _save(widget: QWidget, tmp_path: Path, name: str) -> Path:
    QApplication.processEvents()
    path = tmp_path / f"{name}.png"
    assert widget.grab().save(str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


def _clipped_labels(root: QWidget) -> list[str]:
    """Visible single-line labels whose text is wider than the label (a sign of clipping)."""
    problems = []
    for label in root.findChildren(QLabel):
        if (
            not label.isVisible()
            or label.wordWrap()
            or not label.text()
            or label.textFormat() == Qt.TextFormat.RichText
        ):
            continue
        if "<" in label.text():
            continue
        needed = label.fontMetrics().horizontalAdvance(label.text().replace("&", ""))
        if needed > label.contentsRect().width() + 2:
            problems.append(f"{label.objectName() or label.text()!r}: needs {needed}px, has {label.width()}px")
    return problems


def _property_with_arrears_and_rebate(services: Any) -> tuple[str, str]:
    from sqlalchemy import text

    with services.db.read() as session:
        rows = session.execute(
            text("SELECT p.uuid, o.name_en FROM property p JOIN owner o ON o.property_uuid = p.uuid AND o.ordinal = 0")
        ).all()
    fallback = None
    for uuid, name in rows:
        dues = services.dues.dues(uuid, TODAY)
        if dues.arrear_paise > 0 and dues.rebate is not None:
            return uuid, name
        if fallback is None and dues.payable_paise > 0:
            fallback = (uuid, name)
    if fallback is None:
        pytest.skip("no property with dues")
    return fallback


@pytest.mark.parametrize("language", ["en", "hi"])
def test_counter_screenshots(
    qtbot: Any, make_main_window: Any, services: Any, runtime: Any, tmp_path: Path, language: str
) -> None:
    window = make_main_window("clerk1")
    window.resize(1366, 768)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    if language == "hi":
        window.set_language("hi")
        assert window.ctx.language == "hi"
    ops = window.ctx.ops
    screen = window.show_screen("counter")
    assert isinstance(screen, CounterScreen)
    assert ops.wait_idle(WAIT_MS)

    # Opening cash, asked once.
    assert screen.stack.currentIndex() == screen.PAGE_OPENING
    _save(window, tmp_path, f"counter-opening-{language}")
    qtbot.keyClicks(screen.opening.amount_edit, "2000")
    qtbot.keyClick(screen.opening.amount_edit, Qt.Key.Key_Return)
    assert ops.wait_idle(WAIT_MS)
    assert screen.search_edit.hasFocus()

    uuid, name = _property_with_arrears_and_rebate(services)
    words = name.split()[0]
    qtbot.keyClicks(screen.search_edit, words)
    qtbot.waitUntil(lambda: screen._searched_text == words, timeout=WAIT_MS)
    row = next(r for r in range(screen.results_model.rowCount()) if screen.results_model.hit(r).uuid == uuid)  # type: ignore[union-attr]
    for _ in range(row):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Down)
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen._dues is not None, timeout=WAIT_MS)
    dues = services.dues.dues(uuid, TODAY)
    part = max(100, dues.payable_paise // 300 * 100)
    qtbot.keyClicks(screen.payment.amount_edit, str(part // 100))
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F5)
    qtbot.keyClicks(screen.payment.tendered_edit, str(part // 100 + 100))
    expected = services.collections.preview(uuid, part, TODAY)
    qtbot.waitUntil(
        lambda: format_inr(expected.balance_after_paise) in screen.payment.balance_value.text(), timeout=WAIT_MS
    )
    if language == "hi":
        assert "बकाया" in screen.payment.balance_value.text()
        assert screen.payment.cash_button.text().startswith("नकद")
    dues_shot = _save(window, tmp_path, f"counter-dues-{language}")
    assert _clipped_labels(screen) == []

    # The language switch keeps the clerk's place.
    other = "en" if language == "hi" else "hi"
    row_before = screen.results_view.currentIndex().row()
    window.set_language(other)
    assert screen.results_view.currentIndex().row() == row_before
    assert screen.payment.amount_edit.text() == str(part // 100)
    assert screen._dues is not None and screen._dues.property_uuid == uuid
    window.set_language(language)

    qtbot.keyClick(screen.payment.tendered_edit, Qt.Key.Key_F10)
    assert screen.confirmation.isVisible()
    _save(window, tmp_path, f"counter-confirm-{language}")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert ops.wait_idle(WAIT_MS)
    assert screen.last_receipt is not None
    _save(window, tmp_path, f"counter-receipt-{language}")

    receipts = window.show_screen("receipts")
    assert ops.wait_idle(WAIT_MS)
    _save(window, tmp_path, f"receipts-{language}")
    assert receipts is not None
    window.show_screen("dayend")
    assert ops.wait_idle(WAIT_MS)
    _save(window, tmp_path, f"dayend-{language}")
    assert dues_shot.stat().st_size > 10_000
