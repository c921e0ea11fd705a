"""The central's CPU per receipt, in-process: `ingest` on one thread against PostgreSQL.

The wall-time benches (bench_sync_ingest, bench_sync_one_device) share two cores with whatever else
runs on the machine; this one measures CPU time, which the load stretches far less. Eight devices
(enrolled over the wire, then the central stopped) push 500-receipt batches made as the ingest bench
makes them (parsed by `parse_push`, as the router does); Python CPU is `time.process_time`, the
PostgreSQL backend's CPU comes from /proc/<pid>/stat of the connection's backend (same host).
`NIKAY_BENCH_INPROCESS_PUSHES` (default 160) sets the timed pushes; the first 8 only warm up.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from pathlib import Path

from tests.bench.common import Figure
from tests.sync_faults.loadkit import (
    IST,
    SeriesState,
    create_database,
    drop_database,
    enrol,
    fy_of,
    now_utc,
    push_body,
    receipt_ops,
    sa_url,
    seed_ulb_and_admin,
    start_central,
)

PUSHES = int(os.environ.get("NIKAY_BENCH_INPROCESS_PUSHES", "160"))
DEVICES = 8
BATCH = 500
WARM = DEVICES


def _backend_cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(workdir: Path) -> list[Figure]:
    from sqlalchemy import text

    from central.api.deps import DeviceContext
    from central.cli import settings_for
    from central.db.engine import engine_for_url
    from central.sync.ingest import ingest
    from central.sync.wire import parse_push

    db_name = f"nikay_bench_inproc_{os.getpid()}"
    create_database(db_name)
    url = sa_url(db_name)
    logs = workdir / "sync-inprocess-logs"
    logs.mkdir(exist_ok=True)
    try:
        admin_token = seed_ulb_and_admin(url)
        central = start_central(url, logs, workers=1)
        try:
            devices = [enrol(central.base_url, admin_token) for _ in range(DEVICES)]
        finally:
            central.stop()
            if os.environ.get("NIKAY_BENCH_KEEP_LOGS") is None:
                central.log.unlink(missing_ok=True)
        properties = [str(uuid.UUID(int=random.getrandbits(128), version=4)) for _ in range(64)]
        moment = now_utc()
        fy = fy_of((moment + IST).date())
        series = [SeriesState(f"{d.ulb_code}/{d.office_code}/C{d.device_no:02d}/{fy}") for d in devices]
        bodies = []
        for i in range(PUSHES + WARM):
            k = i % DEVICES
            ops = receipt_ops(devices[k], series[k], series[k].seq + 1, BATCH, moment, properties)
            bodies.append((k, push_body(ops)))
        settings = settings_for(url)
        engine = engine_for_url(url, pool_size=1)
        contexts = [DeviceContext(d.device_id, d.ulb_code, d.office_code, d.device_no) for d in devices]
        with engine.connect() as connection:
            backend = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
        python_s = backend_s = wall_s = 0.0
        for i, (k, body) in enumerate(bodies):
            if i == WARM:
                python_s, backend_s, wall_s = time.process_time(), _backend_cpu_s(backend), time.perf_counter()
            outcome = ingest(engine, contexts[k], parse_push(body), settings)
            assert all(r.status == "accepted" for r in outcome.response.results), outcome.response.results[:1]
        receipts = PUSHES * BATCH
        python_us = (time.process_time() - python_s) / receipts * 1e6
        backend_us = (_backend_cpu_s(backend) - backend_s) / receipts * 1e6
        wall_us = (time.perf_counter() - wall_s) / receipts * 1e6
        engine.dispose()
        print(
            f"   {receipts:,} receipts in {PUSHES} pushes: Python {python_us:.1f} µs, PostgreSQL backend "
            f"{backend_us:.1f} µs, wall {wall_us:.1f} µs a receipt (load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
        # 2 cores ÷ 20,000 receipts/s = 100 µs of CPU a receipt for everything (HTTP, the load too).
        return [Figure("central in-process: Python + PostgreSQL CPU a receipt", python_us + backend_us, "µs", 100.0)]
    finally:
        drop_database(db_name)
