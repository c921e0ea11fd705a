"""A short Jepsen-style soak: three counters collect and sync (each with its real background worker)
while the network misbehaves at random — refused, cut mid-request, cut mid-response, connections
dropped — and the central is restarted once. Then the network heals and, with no new write, every
worker drains; I1–I4 hold across all three devices. NIKAY_SOAK_SEED / NIKAY_SOAK_SECONDS vary it."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from sync.worker import SyncWorker
from tests.sync_faults.conftest import World
from tests.sync_faults.devices import SyncedDevice, enrolled_device
from tests.sync_faults.invariants import check_invariants

SEED = int(os.environ.get("NIKAY_SOAK_SEED", "20261128"))
SECONDS = float(os.environ.get("NIKAY_SOAK_SECONDS", "6"))


@pytest.mark.slow
def test_random_network_faults_and_a_restart_then_heal(own_world: World, tmp_path: Path) -> None:
    world = own_world
    rng = random.Random(SEED)
    devices: list[SyncedDevice] = [
        enrolled_device(tmp_path / f"dev{i}", world.proxy.url, world.code()) for i in range(3)
    ]
    workers = [
        SyncWorker(d.sync, interval_s=0.3, rng=random.Random(SEED + i), backoff_base_s=0.05, backoff_cap_s=0.3)
        for i, d in enumerate(devices)
    ]
    faults: list[str] = []
    try:
        for worker in workers:
            worker.start()
        restarted = False
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            device = rng.choice(devices)
            device.counter.collect(rng.randint(1, 4))
            roll = rng.random()
            if roll < 0.15:
                world.proxy.refuse()
                faults.append("refuse")
            elif roll < 0.3:
                world.proxy.cut_request_after(rng.randint(200, 6_000), connections=rng.randint(1, 3))
                faults.append("cut request")
            elif roll < 0.45:
                world.proxy.cut_response_after(rng.randint(10, 400), connections=rng.randint(1, 3))
                faults.append("cut response")
            elif roll < 0.55:
                world.proxy.drop_all()
                faults.append("drop")
            elif roll < 0.6 and not restarted:
                world.restart()
                restarted = True
                faults.append("restart")
            else:
                world.proxy.heal()
            time.sleep(rng.uniform(0.05, 0.3))
        world.proxy.heal()

        def drained() -> bool:
            return all(d.sync.status().pending_ops == 0 for d in devices)

        settle = time.monotonic() + 45
        while time.monotonic() < settle and not drained():
            time.sleep(0.1)
        assert drained(), [d.sync.status() for d in devices]
    finally:
        world.proxy.heal()
        for worker in workers:
            worker.stop()
    try:
        verdict = check_invariants(world.url, [d.data_dir for d in devices])
        assert verdict.ok, f"seed {SEED}, faults {faults}: {verdict}"
        assert verdict.central_count == verdict.device_count > 0
        assert len(set(faults) - {"restart"}) >= 3, faults
    finally:
        for d in devices:
            d.close()
