"""Shared steps of the screen tests."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import QApplication, QWidget

WAIT_MS = 15_000  # generous: a loaded 2-core CI machine makes durable SQLite commits slow

ScreenT = TypeVar("ScreenT", bound=QWidget)


def show_screen(qtbot: Any, screen: ScreenT, ctx: Any) -> ScreenT:
    """Show a screen at the office monitor's size, active, with its first loads finished."""
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen, timeout=WAIT_MS)
    assert ctx.ops.wait_idle(WAIT_MS)
    return screen
