"""One device, 100,000 receipts waiting in its outbox: how long until the central has them all?

A real central (`python -m central serve --workers 2`) on a PostgreSQL database of its own; a real
device data folder, set up with the DEMO ULB and enrolled with the central over the wire (the sync
engine's own enrol, device key in the file secret store). The first receipts are collected through
CollectionService; the rest are written in bulk reproducing exactly what that transaction writes
(tests/sync_faults/bulk.py) — built fresh each run, in about the time of a few seconds, so no cache.

Timed: `SyncService.run_cycle()` (hello, push lane by lane in the engine's own batches, pull, ledger
reconciliation) repeated until the outbox has nothing pending. Then the invariant checker compares
the device with the central (every receipt there once, per-day count and sum, chains verify).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.bench.common import Figure
from tests.sync_faults.loadkit import (
    create_database,
    drop_database,
    issue_code,
    sa_url,
    seed_ulb_and_admin,
    start_central,
)

RECEIPTS = int(os.environ.get("NIKAY_BENCH_ONE_DEVICE_RECEIPTS", "100000"))
WORKERS = int(os.environ.get("NIKAY_BENCH_SYNC_WORKERS", "2"))
TARGET_S = 20.0
THROUGH_SERVICE = 3
STEP = timedelta(milliseconds=20)


def _device_clock_start() -> datetime:
    """Recent enough not to be flagged as clock skew, on today's IST date for the whole run."""
    from app.core.clock import business_date

    now = datetime.now(UTC)
    start = now - STEP * RECEIPTS - timedelta(minutes=5)
    if business_date(start) != business_date(now):
        ist_midnight = datetime.combine(business_date(now), datetime.min.time()).replace(tzinfo=UTC) - timedelta(
            hours=5, minutes=30
        )
        start = ist_midnight + timedelta(minutes=1)
    return start


def _build_device(data_dir: Path, central_url: str, admin_token: str) -> None:
    from app.composition import build_services
    from app.core.clock import FixedClock
    from sync.composition import build_sync
    from tests.factories import add_property, set_up_device
    from tests.sync_faults.bulk import clone_receipts
    from tests.sync_faults.devices import CLERK

    clock = FixedClock(_device_clock_start(), tick=timedelta(milliseconds=1))
    db = set_up_device(data_dir, clock)
    from app.core.clock import business_date
    from tests.sync_faults.loadkit import fy_of

    fy = fy_of(business_date(clock.current))
    properties = [add_property(db, f"W01-{i + 1:06d}", years=(fy,)) for i in range(10)]
    db.dispose()
    services = build_services(data_dir, clock=clock)
    try:
        build_sync(services).enrol(central_url, issue_code(central_url, admin_token))
    finally:
        services.close()
    services = build_services(data_dir, clock=clock)  # the device number the central gave
    try:
        from app.security.passwords import fast_hasher
        from app.security.service import UserService
        from tests.factories import cash

        users = UserService(services.db, services.audit, clock, fast_hasher())
        clerk = users.actor_for(CLERK, services.device.device_no)
        services.collections.open_session(clerk, 100_000)
        for i in range(THROUGH_SERVICE):
            services.collections.collect(clerk, cash(properties[i % len(properties)], 10_000))
    finally:
        services.close()
    clone_receipts(data_dir, RECEIPTS - THROUGH_SERVICE, STEP)


def _time_phases(sync: Any) -> dict[str, float]:
    """Wrap the cycle's phases on this SyncService instance; the dict fills with their wall times
    (`push requests` is the sum of the HTTP pushes, on the push thread, overlapping the rest)."""
    totals: dict[str, float] = {}

    def timed(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    for name, attribute in (
        ("hello", "_after_hello"),
        ("push", "_push_all"),
        ("pull", "_pull"),
        ("ledger", "_reconcile"),
        ("push requests", "_send_batch"),
        ("read batches", "_money_batch"),
        ("record results", "_settle"),
    ):
        setattr(sync, attribute, timed(name, getattr(sync, attribute)))
    return totals


def run(workdir: Path) -> list[Figure]:
    os.environ.setdefault("NIKAY_SECRET_STORE", "file")  # never the developer's keyring
    from app.composition import build_services
    from sync.composition import build_sync
    from tests.sync_faults.invariants import check_invariants

    db_name = f"nikay_bench1_{os.getpid()}"
    create_database(db_name)
    url = sa_url(db_name)
    logs = workdir / "sync-one-device-logs"
    logs.mkdir(exist_ok=True)
    data_dir = workdir / "sync-one-device"
    central = None
    try:
        admin_token = seed_ulb_and_admin(url)
        central = start_central(url, logs, workers=WORKERS)
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        started = time.perf_counter()
        _build_device(data_dir, central.base_url, admin_token)
        print(f"   device with {RECEIPTS:,} receipts built in {time.perf_counter() - started:.1f} s (not timed)")

        services = build_services(data_dir)
        try:
            sync = build_sync(services)
            phases = _time_phases(sync)
            before = sync.status().pending_ops
            cpu_started = time.process_time()
            started = time.perf_counter()
            cycles = 0
            while cycles < 20:
                report = sync.run_cycle()
                cycles += 1
                if sync.status().pending_ops == 0:
                    break
            elapsed = time.perf_counter() - started
            device_cpu = time.process_time() - cpu_started
            after = sync.status()
        finally:
            services.close()
        print(
            f"   {before:,} pending ops pushed in {elapsed:.1f} s over {cycles} cycle(s) "
            f"({before / elapsed:,.0f} ops/s); left pending {after.pending_ops}, quarantined {after.quarantined_ops}; "
            f"last cycle: {report}",
            flush=True,
        )
        print(
            f"   device CPU (both threads) {device_cpu:.1f} s = {device_cpu / before * 1e6:.0f} µs an op; "
            + "wall by phase: "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()),
            flush=True,
        )
        verdict = check_invariants(url, [data_dir])
        print(f"   invariants: {'ok' if verdict.ok else 'BROKEN'} — {verdict}", flush=True)
        return [
            Figure(f"sync of {RECEIPTS:,} receipts from one device", elapsed, "s", TARGET_S),
            Figure("one-device sync: invariant violations (I1-I4)", float(len(verdict.problems)), "", 0.0),
        ]
    finally:
        if central is not None:
            central.stop()
            if os.environ.get("NIKAY_BENCH_KEEP_LOGS") is None:
                central.log.unlink(missing_ok=True)
        drop_database(db_name)
        shutil.rmtree(data_dir, ignore_errors=True)
