"""The queue drains by the worker's own retry timer when the network comes back — with no new
receipt, no "Sync now", nothing to wake it (the PowerSync stall, sync-research §2.8)."""

from __future__ import annotations

import random
import time
from pathlib import Path

from sync.worker import SyncWorker
from tests.sync_faults.conftest import World
from tests.sync_faults.devices import enrolled_device
from tests.sync_faults.invariants import check_invariants


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_failed_pushes_then_healed_network_drain_without_new_writes(world: World, tmp_path: Path) -> None:
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    worker = SyncWorker(device.sync, interval_s=3600, rng=random.Random(3), backoff_base_s=0.05, backoff_cap_s=0.4)
    try:
        device.counter.collect(4)
        world.proxy.refuse()
        worker.start()
        assert _wait(lambda: worker.failures >= 5, 20), "the worker keeps retrying while the network is down"
        assert device.sync.status().pending_ops >= 4

        world.proxy.heal()  # no new write, no wake(): only the backoff timer can bring it up
        assert _wait(lambda: device.sync.status().pending_ops == 0, 20), device.sync.status()
        assert _wait(lambda: worker.cycles >= 1, 20), "…and the cycle finished cleanly"
        assert worker.failures == 0
    finally:
        world.proxy.heal()
        worker.stop()
    try:
        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
        assert verdict.central_count == 4
    finally:
        device.close()


def test_the_network_coming_back_ends_a_long_backoff_at_once(world: World, tmp_path: Path) -> None:
    """Backing off for ten minutes after failures, the worker still notices within seconds that the
    central answers again (its health probe) and syncs then — not when the backoff runs out."""
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    worker = SyncWorker(
        device.sync,
        interval_s=3600,
        rng=random.Random(5),
        backoff_base_s=600.0,
        backoff_cap_s=600.0,
        probe_interval_s=0.2,
    )
    try:
        device.counter.collect(3)
        world.proxy.refuse()
        worker.start()
        assert _wait(lambda: worker.failures >= 1, 20), "the first attempt fails while the line is down"
        time.sleep(1.0)  # probes keep failing: still backing off, nothing sent
        assert worker.failures >= 1 and device.sync.status().pending_ops >= 3

        world.proxy.heal()
        assert _wait(lambda: device.sync.status().pending_ops == 0, 15), device.sync.status()
        assert _wait(lambda: worker.failures == 0 and worker.cycles >= 1, 15), "the cycle finished cleanly"
    finally:
        world.proxy.heal()
        worker.stop()
    try:
        assert check_invariants(world.url, [device.data_dir]).ok
    finally:
        device.close()
