"""The desktop app must survive a long day at the counter.

PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every Qt call returning nothing and to
True on every Signal.emit; after some thousand actions the process aborted ("none_dealloc"). This
guards the pinned Qt against that class of bug.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    flag = Signal(bool)


def test_qt_calls_keep_none_and_true_alive(qtbot: Any) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("रसीद")
        emitter.flag.emit(True)
    # Other threads may hold a few more or fewer; a leak of one per call would be thousands.
    assert sys.getrefcount(None) - none_before > -100
    assert sys.getrefcount(True) - true_before > -100
