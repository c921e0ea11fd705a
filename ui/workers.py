"""Background operations: nothing slow runs on the GUI thread.

The pattern is Anki's task manager (qt/aqt/taskman.py): one single-worker executor serialises every
database write, a small pool runs reads, and results come back to the GUI thread through one Qt signal
connected to a slot of a QObject that lives on the GUI thread. Only plain data crosses threads; the
callbacks run on the GUI thread and may touch widgets.

Errors:
- `NikayError` (app/errors.py: expected, a person can act on it) goes to `on_error`, or, if none was
  given, to a non-modal message (`Operations.user_error` signal; by default a non-modal message box);
- anything else is a bug: it goes to the crash handler (sys.excepthook, installed by
  ui.application, which shows the crash dialog and writes the log).

A callback bound to a QObject that has since been deleted (its screen was closed) is skipped
instead of raising "Internal C++ object already deleted".
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import SIGNAL, QCoreApplication, QEventLoop, QObject, Signal, Slot

from app.errors import NikayError

T = TypeVar("T")

log = logging.getLogger(__name__)

READ_POOL_SIZE = 2
THREAD_PREFIX = "nikay-"


@dataclass
class _Job:
    id: int
    kind: str  # "read" or "write"
    fn: Callable[[], Any]
    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None] | None
    result: Any = None
    error: BaseException | None = None
    started: float = 0.0
    finished: bool = False


def _target_alive(callback: Callable[..., Any]) -> bool:
    """False when the callback is a method of a QObject whose C++ side is gone."""
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject):
        import shiboken6

        return bool(shiboken6.isValid(owner))
    return True


class Operations(QObject):
    """Background work. `write` runs fn on ONE writer thread (all DB writes, in order); `read` runs fn on a
    small read pool. on_done/on_error are called on the GUI thread with plain data. NikayError (app/errors.py)
    goes to on_error, or, if none given, to a non-modal message; any other exception goes to the crash
    handler + log."""

    # Emitted on the worker thread, delivered (queued) to `_deliver` on the GUI thread.
    _finished = Signal(object)
    #: a NikayError nobody handled; the main window shows it (non-modal). Argument: the message.
    user_error = Signal(str)
    #: True while any operation is pending (for a busy indicator), False when idle again.
    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        read_workers: int = READ_POOL_SIZE,
        crash_handler: Callable[[BaseException], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{THREAD_PREFIX}writer")
        self._readers = ThreadPoolExecutor(max_workers=read_workers, thread_name_prefix=f"{THREAD_PREFIX}reader")
        self._pending: dict[int, _Job] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._closed = False
        self._crash_handler = crash_handler
        self._message_boxes: list[QObject] = []
        self._finished.connect(self._deliver)

    # -- public API ---------------------------------------------------------------------------------

    def read(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._submit("read", fn, on_done, on_error)

    def write(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._submit("write", fn, on_done, on_error)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """Process events until no operation is pending (callbacks included). For tests and shutdown.

        Events processed while waiting may start new operations (a callback chaining a read, a debounce
        timer firing): those are waited for too, until the deadline."""
        deadline = time.monotonic() + timeout_ms / 1000
        app = QCoreApplication.instance()
        while True:
            while self._pending:
                if time.monotonic() >= deadline:
                    log.warning("wait_idle: %d operation(s) pending: %s", len(self._pending), self.describe_pending())
                    return False
                if app is not None:
                    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                time.sleep(0.001)
            if app is not None:
                app.processEvents()  # posted events from the last callbacks
            if not self._pending:
                return True

    def describe_pending(self) -> str:
        """What is still pending (for a timeout message): kind, function, and how far it got."""
        now = time.perf_counter()
        parts = []
        for job in list(self._pending.values()):
            name = getattr(job.fn, "__qualname__", repr(job.fn))
            if not job.started:
                state = "queued"
            elif not job.finished:
                state = f"running for {now - job.started:.1f} s"
            else:
                state = "finished, result not yet delivered"
            parts.append(f"{job.kind} {name} ({state})")
        return "; ".join(parts)

    def shutdown(self) -> None:
        """Finish what was queued (writes are never dropped), then stop the threads. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        # Deliver what finished meanwhile, so no write result is lost silently.
        app = QCoreApplication.instance()
        if app is not None:
            app.processEvents()
        if self._pending:
            log.warning("%d operation result(s) not delivered at shutdown", len(self._pending))
            self._pending.clear()

    # -- internals ----------------------------------------------------------------------------------

    def _submit(
        self,
        kind: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        if self._closed:
            raise RuntimeError("Operations has been shut down")
        with self._lock:
            self._next_id += 1
            job = _Job(self._next_id, kind, fn, on_done, on_error)
            was_idle = not self._pending
            self._pending[job.id] = job
        executor = self._writer if kind == "write" else self._readers
        future: Future[None] = executor.submit(self._run, job)
        del future
        if was_idle:
            self.busy_changed.emit(True)

    def _run(self, job: _Job) -> None:
        """Worker thread: run the function, keep result or error, hand the job back to the GUI thread."""
        job.started = time.perf_counter()
        try:
            job.result = job.fn()
        except BaseException as exc:  # every failure is reported on the GUI thread
            job.error = exc
        job.finished = True
        self._finished.emit(job.id)

    @Slot(object)
    def _deliver(self, job_id: int) -> None:
        """GUI thread: call the job's callbacks."""
        job = self._pending.get(job_id)
        if job is None:
            return
        try:
            error = job.error
            if error is None:
                if _target_alive(job.on_done):
                    job.on_done(job.result)
            elif isinstance(error, NikayError):
                if job.on_error is not None:
                    if _target_alive(job.on_error):
                        job.on_error(error)
                else:
                    self._show_user_error(error)
            else:
                self._crash(error)
        except Exception as exc:  # a bug in a callback
            self._crash(exc)
        finally:
            job.fn = _nothing  # drop references (closures may hold screens)
            job.on_done = _noop
            job.on_error = None
            self._pending.pop(job_id, None)
            if not self._pending:
                self.busy_changed.emit(False)

    def _show_user_error(self, error: NikayError) -> None:
        message = str(error) or type(error).__name__
        log.info("unhandled user error: %s", message)
        if self.receivers(SIGNAL("user_error(QString)")) > 0:
            self.user_error.emit(message)
            return
        from PySide6.QtWidgets import QApplication, QMessageBox

        if not isinstance(QCoreApplication.instance(), QApplication):
            return
        from PySide6.QtCore import Qt

        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Operations", "Nikay"), message)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self._message_boxes.append(box)  # keep a reference while it is shown
        box.finished.connect(lambda _result: self._message_boxes.remove(box) if box in self._message_boxes else None)

    def _crash(self, error: BaseException) -> None:
        if self._crash_handler is not None:
            self._crash_handler(error)
            return
        sys.excepthook(type(error), error, error.__traceback__)


def _noop(_: Any) -> None:
    return None


def _nothing() -> None:
    return None
