"""The background sync worker: one plain thread per device, never gives up.

It runs a cycle when started, on a timer (every `interval_s` after a clean cycle), when woken
("Sync now", the network came back, a receipt was just made) and after a failure with exponential
backoff and full jitter: sleep = uniform(0, min(cap, base · 2^failures)), at least Retry-After when
the central asked for it. There is no cap on attempts and no cap on the outbox, ever.

Only one worker per data folder syncs: it holds the service's cross-process file lock for as long
as it runs; a second one (another window, another process) waits and retries the lock.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from filelock import Timeout as LockTimeout

from sync.errors import DeviceRevoked, NotEnrolled, SyncUnavailable
from sync.service import SyncService
from sync.status import SyncState, SyncStatus

log = logging.getLogger(__name__)

BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
PROBE_INTERVAL_S = 5.0  # while backing off: how often to check whether the central answers again
REVOKED_PARK_S = 24 * 3600.0  # a revoked device waits for Sync now, not for the timer


def backoff_delay(
    failures: int,
    rng: random.Random,
    base_s: float = BACKOFF_BASE_S,
    cap_s: float = BACKOFF_CAP_S,
    retry_after_s: float | None = None,
) -> float:
    """Full jitter: uniform(0, min(cap, base · 2^failures)); never less than Retry-After."""
    ceiling = min(cap_s, base_s * (2 ** min(failures, 30)))
    delay = rng.uniform(0, ceiling)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, cap_s))
    return delay


class SyncWorker:
    def __init__(
        self,
        service: SyncService,
        on_status: Callable[[SyncStatus], None] | None = None,
        interval_s: float = 60.0,
        rng: random.Random | None = None,
        *,
        backoff_base_s: float = BACKOFF_BASE_S,
        backoff_cap_s: float = BACKOFF_CAP_S,
        probe_interval_s: float = PROBE_INTERVAL_S,
    ) -> None:
        self._service = service
        self._on_status = on_status
        self._interval_s = interval_s
        self._rng = rng or random.Random()
        self._base_s = backoff_base_s
        self._cap_s = backoff_cap_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._probe_s = probe_interval_s
        self.failures = 0  # consecutive failed cycles (drives the backoff)
        self.cycles = 0  # cycles completed cleanly
        self.holds_lock = False

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="nikay-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Run a cycle now (Sync now, the network came back, a receipt was just made)."""
        self._wake.set()

    def _emit(self, syncing: bool = False) -> None:
        if self._on_status is None:
            return
        try:
            status = self._service.status()
            if syncing and status.state != SyncState.NOT_ENROLLED:
                status = replace(status, state=SyncState.SYNCING)  # the bar says so while the cycle runs
            self._on_status(status)
        except Exception:  # a broken listener must never stop syncing
            log.exception("sync status listener failed")

    def _take_lock(self) -> bool:
        if self.holds_lock:
            return True
        try:
            self._service.lock.acquire(timeout=0)
        except LockTimeout:
            return False
        self.holds_lock = True
        return True

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                delay = self._step()
                self._service.note_next_attempt(datetime.now(UTC) + timedelta(seconds=delay))
                self._emit()
                self._wait(delay)
                self._wake.clear()
        finally:
            if self.holds_lock:
                self._service.lock.release()
                self.holds_lock = False

    def _wait(self, delay: float) -> None:
        """Sleep until the timer, a wake(), or — while backing off after failures — the central
        answering a TCP probe again (the network came back: sync now, not in five minutes)."""
        if self.failures == 0 or delay <= self._probe_s:
            self._wake.wait(delay)
            return
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0 or self._wake.wait(min(self._probe_s, left)):
                return
            if self._service.central_reachable():
                log.info("sync: the central answers again; syncing now")
                return

    def _step(self) -> float:
        """One attempt; returns how long to wait before the next."""
        if not self._take_lock():
            log.info("sync: another Nikay on this PC holds the sync lock; waiting")
            return self._interval_s
        retry_after: float | None = None
        try:
            self._emit(syncing=True)
            self._service.run_cycle()
        except NotEnrolled:
            return self._interval_s
        except DeviceRevoked:
            # 403 device_revoked: stop knocking (the status bar says so); only Sync now — after the
            # ULB admin has dealt with it — tries again. The outbox keeps every receipt meanwhile.
            log.warning("sync: this device was revoked by the central; parked until Sync now")
            return REVOKED_PARK_S
        except SyncUnavailable as error:
            self.failures += 1
            retry_after = error.retry_after_s
            delay = backoff_delay(self.failures, self._rng, self._base_s, self._cap_s, retry_after)
            log.info("sync: attempt failed (%s); retrying in %.1f s", error, delay)
            return delay
        except Exception:  # a bug: keep the worker alive and keep trying (money must still go up)
            log.exception("sync: unexpected error in a cycle")
            self.failures += 1
            return backoff_delay(self.failures, self._rng, self._base_s, self._cap_s)
        self.failures = 0
        self.cycles += 1
        return self._interval_s
