"""The device killed (SIGKILL) at each named point of a sync — and a counter killed right after a
receipt's commit — then restarted: nothing lost, nothing numbered twice, nothing left pending.

The sync runs as `python -m sync now --data-dir D` in a subprocess with NIKAY_SYNC_FAILPOINTS set, the
way the desktop's worker would be cut by a power failure; the restart is the same command without it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync_faults.conftest import World
from tests.sync_faults.devices import SyncedDevice, enrolled_device
from tests.sync_faults.invariants import check_invariants, device_receipts

ROOT = Path(__file__).resolve().parents[2]


def _sync_now(data_dir: Path, failpoint: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NIKAY_SYNC_FAILPOINTS": failpoint, "NIKAY_SECRET_STORE": "file"}
    return subprocess.run(
        [sys.executable, "-m", "sync", "now", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _other_counter_pushes(world: World, tmp_path: Path) -> None:
    """Another counter of the ULB syncs receipts, so the next pull has pages to apply."""
    other = enrolled_device(tmp_path / "other", world.proxy.url, world.code())
    try:
        other.counter.collect(4)
        other.drain()
    finally:
        other.close()


FAILPOINTS = ("after_outbox_read", "mid_push", "after_push_response_before_ack_commit", "mid_pull_page_apply")


@pytest.mark.slow
def test_sync_killed_at_each_named_point_then_restarted(world: World, tmp_path: Path) -> None:
    """One device through all four crash points in a row: each run must first recover from the
    previous crash (or it would never reach its own failpoint), the counter collecting in between;
    then a clean run, and the invariants."""
    device: SyncedDevice = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    try:
        made = 0
        for failpoint in FAILPOINTS:
            device.counter.collect(3)
            made += 3
            if failpoint == "mid_pull_page_apply":
                _other_counter_pushes(world, tmp_path)
            killed = _sync_now(device.data_dir, failpoint)
            assert killed.returncode == -signal.SIGKILL, (failpoint, killed.returncode, killed.stdout, killed.stderr)
            if failpoint != "mid_pull_page_apply":
                assert device.sync.status().pending_ops > 0, f"{failpoint}: nothing may be acked before the ack commit"
        device.counter.collect(2)
        restarted = _sync_now(device.data_dir)
        assert restarted.returncode == 0, restarted.stderr
        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
        assert verdict.central_count == made + 2
    finally:
        device.close()


@pytest.mark.slow
def test_counter_killed_right_after_a_receipt_commit_loses_nothing(world: World, tmp_path: Path) -> None:
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    device.counter.collect(2)
    device.close()  # the counter process below owns the folder now
    worker = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.sync_faults.collect_worker",
            "--data-dir",
            str(tmp_path / "dev"),
            "--receipts",
            "5",
        ],
        cwd=ROOT,
        env={**os.environ, "NIKAY_SECRET_STORE": "file"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr
    made = worker.stdout.split()
    assert len(made) == 5
    on_disk = {r.uuid for r in device_receipts(tmp_path / "dev")}
    assert set(made) <= on_disk, "a committed receipt survives the kill"

    synced = _sync_now(tmp_path / "dev")
    assert synced.returncode == 0, synced.stderr
    verdict = check_invariants(world.url, [tmp_path / "dev"])
    assert verdict.ok, str(verdict)
    assert verdict.central_count == 7


@pytest.mark.slow
def test_two_sync_processes_on_one_device_at_once(world: World, tmp_path: Path) -> None:
    """Two windows syncing one data folder: the device lock lets one through (the other says so),
    and whatever overlaps, the central's constraints keep every receipt single."""
    from tests.sync_faults.bulk import clone_receipts

    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    try:
        device.counter.collect(1)
        clone_receipts(device.data_dir, 599)
        env = {**os.environ, "NIKAY_SYNC_FAILPOINTS": "", "NIKAY_SECRET_STORE": "file"}
        command = [sys.executable, "-m", "sync", "now", "--data-dir", str(device.data_dir)]
        runs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outcomes = [(run.wait(120), *run.communicate()) for run in runs]
        for code, out, err in outcomes:
            assert code == 0 or "another Nikay window" in out + err, (code, out, err)
        assert any(code == 0 for code, _, _ in outcomes)
        final = _sync_now(device.data_dir)  # whichever was turned away catches up
        assert final.returncode == 0, final.stderr
        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
        assert verdict.central_count == 600
    finally:
        device.close()
