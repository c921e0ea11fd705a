"""The Qt side of the background sync: runs sync.worker.SyncWorker and hands its SyncStatus to the GUI.

SyncWorker owns its own thread and calls `on_status` FROM THAT THREAD. `SyncRunner.status_changed` is a
signal of a QObject that lives on the GUI thread, so emitting it from the worker thread queues the
delivery to the GUI thread (Qt's AutoConnection): widgets are only ever touched there. Only SyncStatus
(a frozen dataclass) crosses threads.

`sync_now()` only wakes the worker (an Event set): the network never runs on the GUI thread, and the
button returns at once. `refresh()` re-reads the status on the Operations read pool (after a receipt
was saved, the pending count changes without a cycle); when it shows more money waiting than before,
a cycle follows PUSH_SOON_S later, so a receipt reaches the central in seconds, not at the next tick.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from sync.status import SyncState, SyncStatus

if TYPE_CHECKING:
    from sync.service import SyncService
    from ui.workers import Operations

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 60.0
STOP_TIMEOUT_S = 15.0
# New money in the outbox (a receipt, a cancellation) is pushed this soon, not at the next timer tick;
# the short delay lets a burst (session opened, then the first receipt) go up in one cycle.
PUSH_SOON_S = 3.0


class SyncRunner(QObject):
    """One per process (the shell owns it): start() after sign-in if enrolled, stop() on quit."""

    #: a SyncStatus, always delivered on the GUI thread
    status_changed = Signal(object)

    def __init__(
        self,
        service: SyncService,
        ops: Operations,
        *,
        interval_s: float = DEFAULT_INTERVAL_S,
        push_soon_s: float | None = PUSH_SOON_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.ops = ops
        self.interval_s = interval_s
        self.last_status: SyncStatus | None = None
        self._worker: Any = None
        self._lock = threading.Lock()
        self._stopped = False
        self._stopped_for_good = False  # after the shell's stop(): a late enrolment answer starts nothing
        self.push_soon_s = push_soon_s  # None: only the timer and Sync now start a cycle
        self._push_timer = QTimer(self)
        self._push_timer.setSingleShot(True)
        self._push_timer.timeout.connect(self.sync_now)
        self.status_changed.connect(self._remember)

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._worker is not None

    def start(self) -> bool:
        """Start the background worker if this device is enrolled. Returns True if it runs now.

        Called on the GUI thread; is_enrolled() reads the keyring and a settings row (quick)."""
        if self._worker is not None:
            return True
        self._stopped = False
        self._stopped_for_good = False
        try:
            enrolled = self.service.is_enrolled()
        except Exception:
            log.exception("could not tell whether this device is enrolled; sync not started")
            return False
        if not enrolled:
            self.refresh()
            return False
        self._start_worker()
        return True

    def _start_worker(self) -> None:
        from sync.worker import SyncWorker

        worker = SyncWorker(self.service, on_status=self._from_worker, interval_s=self.interval_s)
        with self._lock:
            self._worker = worker
        worker.start()
        log.info("sync worker started (every %.0f s)", self.interval_s)

    def start_soon(self) -> None:
        """start(), with the enrolment check (keyring, settings row) on the read pool, not the GUI thread."""
        if self._worker is not None:
            return
        service = self.service

        def enrolled() -> bool:
            try:
                return bool(service.is_enrolled())
            except Exception:
                log.exception("could not tell whether this device is enrolled; sync not started")
                return False

        self.ops.read(enrolled, self._enrolled_known)

    def _enrolled_known(self, enrolled: bool) -> None:
        if enrolled and not self._stopped_for_good and self._worker is None:
            self._stopped = False
            self._start_worker()
        else:
            self.refresh()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Stop the worker and wait for its thread. A cycle in flight finishes its current request; what
        was not acknowledged stays in the outbox and goes with the next cycle, so nothing is lost."""
        self._push_timer.stop()
        with self._lock:
            worker, self._worker = self._worker, None
            self._stopped = True
            self._stopped_for_good = True
        if worker is not None:
            worker.stop(timeout_s)
            log.info("sync worker stopped")

    # -- actions --------------------------------------------------------------------------------

    def sync_now(self) -> bool:
        """Ask for a cycle now. Never blocks: the worker thread does the network. False if not running."""
        worker = self._worker
        if worker is None:
            self.refresh()
            return False
        worker.wake()
        return True

    def refresh(self) -> None:
        """Re-read the status off the GUI thread (cheap: a few counts on the local DB)."""
        service = self.service

        def read() -> SyncStatus:
            try:
                return service.status()
            except Exception as exc:  # a status that cannot be read is shown, never a crash dialog
                log.warning("sync status not read: %s", exc)
                return SyncStatus(SyncState.ERROR, last_error=f"{type(exc).__name__}: {exc}")

        with contextlib.suppress(RuntimeError):  # Operations already shut down (quitting)
            self.ops.read(read, self._deliver)

    # -- plumbing -------------------------------------------------------------------------------

    def _from_worker(self, status: SyncStatus) -> None:
        """Called on the worker's thread: emitting queues delivery to the GUI thread."""
        if not self._stopped:
            self.status_changed.emit(status)

    def _deliver(self, status: SyncStatus) -> None:
        self.status_changed.emit(status)

    def _remember(self, status: object) -> None:
        if not isinstance(status, SyncStatus):
            return
        previous, self.last_status = self.last_status, status
        grew = previous is not None and status.pending_money_ops > previous.pending_money_ops
        if grew and self.push_soon_s is not None and self._worker is not None and not self._push_timer.isActive():
            self._push_timer.start(int(self.push_soon_s * 1000))
