"""Operations: results on the GUI thread, one writer in order, NikayError to on_error, bugs to the crash path."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from app.errors import NikayError, ValidationError
from ui.workers import Operations


def test_results_come_back_on_the_gui_thread(qapp: Any, ops: Operations) -> None:
    gui = threading.get_ident()
    seen: list[tuple[str, int, int]] = []
    ops.read(lambda: ("read", threading.get_ident()), lambda r: seen.append((*r, threading.get_ident())))
    ops.write(lambda: ("write", threading.get_ident()), lambda r: seen.append((*r, threading.get_ident())))
    assert ops.wait_idle(5000)
    assert sorted(kind for kind, _, _ in seen) == ["read", "write"]
    for _kind, worker, callback in seen:
        assert worker != gui, "the function ran on the GUI thread"
        assert callback == gui, "the callback did not run on the GUI thread"


def test_writes_run_one_at_a_time_in_submission_order(qapp: Any, ops: Operations) -> None:
    active = 0
    most = 0
    order: list[int] = []
    threads: set[int] = set()
    lock = threading.Lock()

    def job(n: int) -> int:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        threads.add(threading.get_ident())
        time.sleep(0.005 if n % 2 else 0.001)
        order.append(n)
        with lock:
            active -= 1
        return n

    done: list[int] = []
    for n in range(20):
        ops.write(lambda n=n: job(n), done.append)
    assert ops.wait_idle(10000)
    assert most == 1, "two writes ran at the same time"
    assert order == list(range(20))
    assert done == list(range(20))
    assert len(threads) == 1, "writes ran on more than one thread"


def test_reads_can_overlap_a_slow_write(qapp: Any, ops: Operations) -> None:
    release = threading.Event()
    results: list[str] = []
    ops.write(lambda: release.wait(5) and "write", results.append)
    ops.read(lambda: "read", lambda r: (results.append(r), release.set()))
    assert ops.wait_idle(10000)
    assert results == ["read", "write"]


def test_nikay_error_goes_to_on_error(qapp: Any, ops: Operations) -> None:
    errors: list[Exception] = []
    done: list[object] = []

    def fail() -> None:
        raise ValidationError("amount is empty")

    ops.write(fail, done.append, errors.append)
    assert ops.wait_idle(5000)
    assert done == []
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert str(errors[0]) == "amount is empty"


def test_unhandled_nikay_error_becomes_a_non_modal_message(qapp: Any, ops: Operations) -> None:
    messages: list[str] = []
    ops.user_error.connect(messages.append)

    def fail() -> None:
        raise NikayError("printer is offline")

    ops.read(fail, lambda _r: None)
    assert ops.wait_idle(5000)
    assert messages == ["printer is offline"]


def test_a_bug_goes_to_the_crash_handler_not_on_error(qapp: Any) -> None:
    crashes: list[BaseException] = []
    errors: list[Exception] = []
    operations = Operations(crash_handler=crashes.append)
    try:
        operations.read(lambda: 1 / 0, lambda _r: None, errors.append)
        operations.read(lambda: [], lambda r: r[1])  # a bug in a callback, too
        assert operations.wait_idle(5000)
    finally:
        operations.shutdown()
    assert errors == []
    assert sorted(type(c).__name__ for c in crashes) == ["IndexError", "ZeroDivisionError"]  # reads may overlap


def test_callback_of_a_deleted_widget_is_skipped(qapp: Any, qtbot: Any, ops: Operations) -> None:
    label = QLabel()
    gate = threading.Event()
    ops.read(lambda: gate.wait(5) and "late", label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not _valid(label), timeout=2000)
    gate.set()
    assert ops.wait_idle(5000)  # no "Internal C++ object already deleted" raised


def _valid(obj: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


def test_wait_idle_times_out_and_shutdown_finishes_queued_writes(qapp: Any) -> None:
    operations = Operations()
    gate = threading.Event()
    written: list[str] = []
    operations.write(lambda: gate.wait(5) and written.append("first"), lambda _r: None)
    operations.write(lambda: written.append("second"), lambda _r: None)
    assert operations.wait_idle(50) is False
    gate.set()
    operations.shutdown()
    assert written == ["first", "second"], "a queued write was dropped at shutdown"
    with pytest.raises(RuntimeError):
        operations.read(lambda: 1, lambda _r: None)


def test_busy_signal(qapp: Any, qtbot: Any, ops: Operations) -> None:
    states: list[bool] = []
    ops.busy_changed.connect(states.append)
    ops.read(lambda: 1, lambda _r: None)
    assert ops.wait_idle(5000)
    assert states == [True, False]


def test_wait_idle_also_waits_for_operations_started_while_waiting(qapp: Any, qtbot: Any, ops: Operations) -> None:
    from PySide6.QtCore import QTimer

    results: list[str] = []
    ops.read(lambda: "first", lambda r: (results.append(r), QTimer.singleShot(0, chain)))

    def chain() -> None:
        ops.read(lambda: time.sleep(0.05) or "chained", results.append)

    assert ops.wait_idle(5000)
    assert results == ["first", "chained"]
