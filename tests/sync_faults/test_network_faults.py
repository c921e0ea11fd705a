"""The central dies after committing a push but before replying; the connection is cut mid-request
and mid-response. Each time the device cannot know what happened, re-pushes, and after healing the
central holds every receipt exactly once (I1–I4)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.sync_faults.conftest import World
from tests.sync_faults.devices import enrolled_device
from tests.sync_faults.invariants import check_invariants, device_receipts, plain_pg_url


def _central_count(world: World, data_dir: Path) -> int:
    uuids = [r.uuid for r in device_receipts(data_dir)]
    with psycopg.connect(plain_pg_url(world.url)) as conn:
        row = conn.execute("SELECT count(*) FROM receipt WHERE uuid = ANY(%s)", (uuids,)).fetchone()
    return int(row[0]) if row else 0


def test_central_killed_after_commit_before_reply_then_retry_is_duplicate(world: World, tmp_path: Path) -> None:
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    try:
        device.drain()  # the session opening: the device is in step with the central
        device.counter.collect(5)
        doomed = world.start_server(NIKAY_CENTRAL_FAILPOINTS="after_commit_before_response")
        world.proxy.retarget(doomed.port)
        for _ in range(3):  # the first try may meet the keep-alive connection the switch reset
            with pytest.raises(Exception):  # noqa: B017 - any transport failure: the outcome is unknown
                device.sync.run_cycle()
            if doomed.process.poll() is not None:
                break
        assert doomed.process.wait(10) == 137, "the server died at the failpoint"
        assert _central_count(world, device.data_dir) == 5, "the push was committed before the crash"
        assert device.sync.status().pending_ops == 5, "…but the device never heard it, so nothing is acked"

        world.proxy.retarget(world.server.port)
        reports = device.drain()
        assert sum(r.duplicates for r in reports) == 5
        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
        assert verdict.central_count == 5
    finally:
        world.proxy.retarget(world.server.port)
        device.close()


def test_connection_cut_mid_request_and_mid_response_heals_without_loss(world: World, tmp_path: Path) -> None:
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    try:
        device.drain()
        device.counter.collect(8)

        # Mid-request: the central gets half a push body and must apply nothing.
        world.proxy.cut_request_after(4_000, connections=None)
        for _ in range(2):
            with pytest.raises(Exception):  # noqa: B017
                device.sync.run_cycle()
        assert _central_count(world, device.data_dir) == 0
        assert device.sync.status().pending_ops == 8

        # Mid-response: the central applies the push; the device sees a reset 100 bytes into the reply.
        world.proxy.cut_response_after(100, connections=None, request_bytes_first=4_000)
        for _ in range(2):
            with pytest.raises(Exception):  # noqa: B017
                device.sync.run_cycle()
        assert _central_count(world, device.data_dir) == 8
        assert device.sync.status().pending_ops == 8

        device.counter.collect(3)  # the counter kept working meanwhile
        made = device.counter.collect(1)
        clerk, supervisor = device.counter.actor(), device.counter.actor("supervisor1")
        device.counter.collections.cancel(clerk, supervisor, made[0], "wrong property chosen")
        world.proxy.heal()
        world.proxy.drop_all()
        reports = device.drain()
        assert sum(r.duplicates for r in reports) >= 1
        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
        assert verdict.central_count == 12
        assert world.proxy.stats.faulted >= 2
    finally:
        world.proxy.heal()
        device.close()
