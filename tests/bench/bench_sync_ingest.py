"""Sync ingest under load: 192 devices pushing receipts to a real central on loopback.

A real central (`python -m central serve`, uvicorn, NIKAY_BENCH_SYNC_WORKERS processes, default 2:
on the 2-core box, shared with the load generator and PostgreSQL, 1 worker gave 3,460 receipts/s,
2 gave 4,858/s and 3 gave 4,383/s)
on a PostgreSQL database of its own (nikay_bench_<pid>, dropped afterwards). The DEMO ULB and an
admin are seeded with the central's CLI; the 192 devices enrol over the wire (admin API code, Ed25519
key, /v1/devices/enrol), exactly as a counter PC does.

The load generator runs in LOADGEN_PROCS processes (asyncio, one keep-alive connection per device,
a minimal HTTP/1.1 client) and sends request bodies it built BEFORE the clock starts: valid
receipt.created ops, real chain hashes per device series, contiguous device_seq. Two phases:

(a) saturation — every device pushes its next batch of BATCH ops as soon as the last one is answered
    (closed loop) for PHASE_S seconds: the ingest rate. Latency here is queueing by construction
    (Little's law: 192 pushes in flight / pushes per second), so it is printed, not targeted.
(b) paced — each device pushes a batch about every 4 s on a fixed schedule so the offered load is
    min(20,000, 0.8 × rate of (a)) receipts/s, for PHASE_S seconds: p50/p99 push latency measured
    from the scheduled send time (no coordinated omission).

Then the check: the central holds exactly the acknowledged receipts (lost 0, duplicated 0, every
series 1..n), errors 0. Last, the baseline: the same rows the ingest wrote for these devices (receipt,
receipt_line, sync_op, change_log, receipt_series: every table and column) COPYed by psycopg into
scratch tables made LIKE the central's (same indexes) in the same run; ratio = ours / COPY.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psycopg

from tests.bench.common import Figure
from tests.sync_faults.loadkit import (
    BenchDevice,
    RawHttp,
    SeriesState,
    create_database,
    drop_database,
    enrol,
    fy_of,
    now_utc,
    plain_url,
    push_body,
    receipt_ops,
    sa_url,
    seed_ulb_and_admin,
    start_central,
)

DEVICES = int(os.environ.get("NIKAY_BENCH_SYNC_DEVICES", "192"))
WORKERS = int(os.environ.get("NIKAY_BENCH_SYNC_WORKERS", "2"))
BATCH = int(os.environ.get("NIKAY_BENCH_SYNC_BATCH", "200"))
PHASE_S = float(os.environ.get("NIKAY_BENCH_SYNC_SECONDS", "10"))
LOADGEN_PROCS = 2
# Bodies are built before the clock starts; enough for this rate (if the central is faster, the
# devices run dry early and the rate is taken over the time it took).
BUDGET_RATE = int(os.environ.get("NIKAY_BENCH_SYNC_BUDGET", "25000"))
TARGET_RATE = 20_000.0
TARGET_P99_MS = 250.0
PUSH_PATH = "/v1/sync/push"


# -- the load generator (child processes) -----------------------------------------------------------------


@dataclass
class DeviceLoad:
    device: BenchDevice
    series: SeriesState
    next_seq: int = 1  # device_seq of the next op to build
    bodies: list[tuple[bytes, int]] = field(default_factory=list)  # (body, ops in it), not yet sent
    acked: int = 0  # receipts the central acknowledged (a prefix of the series)


@dataclass
class PhaseStats:
    latencies_ms: list[float] = field(default_factory=list)
    pushes: int = 0
    receipts: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0
    ran_dry: int = 0


def _build(loads: list[DeviceLoad], per_device: int, batch: int) -> None:
    properties = [str(uuid.UUID(int=random.getrandbits(128), version=4)) for _ in range(64)]
    moment = now_utc()
    for load in loads:
        remaining = per_device
        while remaining > 0:
            n = min(batch, remaining)
            ops = receipt_ops(load.device, load.series, load.next_seq, n, moment, properties)
            load.next_seq += n
            load.bodies.append((push_body(ops), n))
            remaining -= n
        load.bodies.reverse()  # pop() from the end is the next one


async def _push(http: RawHttp, load: DeviceLoad, body: bytes, n: int, stats: PhaseStats) -> bool:
    try:
        status, data = await http.post(PUSH_PATH, body, load.device.access_token)
    except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError) as error:
        stats.errors += 1
        if len(stats.error_samples) < 5:
            stats.error_samples.append(f"{type(error).__name__}: {error}")
        await http.close()
        return False
    if status != 200:
        stats.errors += 1
        if len(stats.error_samples) < 5:
            stats.error_samples.append(f"HTTP {status}: {data[:300]!r}")
        return False
    results = json.loads(data)["results"]
    good = 0
    for result in results:
        stats.statuses[result["status"]] = stats.statuses.get(result["status"], 0) + 1
        if result["status"] in ("accepted", "duplicate"):
            good += 1
    if good != n or len(results) != n:
        stats.errors += n - good
        if len(stats.error_samples) < 5:
            stats.error_samples.append(f"{n - good} of {n} ops not acknowledged: {results[0]}")
    load.acked += good
    stats.receipts += good
    stats.pushes += 1
    return True


async def _closed_loop(port: int, loads: list[DeviceLoad], start_at: float, seconds: float) -> PhaseStats:
    stats = PhaseStats()

    async def one(load: DeviceLoad) -> None:
        http = RawHttp(port)
        await asyncio.sleep(max(0.0, start_at - time.time()))
        deadline = time.perf_counter() + seconds
        try:
            while time.perf_counter() < deadline:
                if not load.bodies:
                    stats.ran_dry += 1
                    return
                body, n = load.bodies[-1]
                began = time.perf_counter()
                if await _push(http, load, body, n, stats):
                    load.bodies.pop()  # a failed push is retried with the same body (same op ids)
                stats.latencies_ms.append((time.perf_counter() - began) * 1000)
                stats.ended = max(stats.ended, time.perf_counter())
        finally:
            await http.close()

    await asyncio.sleep(max(0.0, start_at - time.time()))
    stats.started = time.perf_counter()
    await asyncio.gather(*(one(load) for load in loads))
    return stats


async def _paced(
    port: int, loads: list[DeviceLoad], start_at: float, seconds: float, interval: float, offsets: list[float]
) -> PhaseStats:
    stats = PhaseStats()

    async def one(load: DeviceLoad, offset: float) -> None:
        http = RawHttp(port)
        try:
            await asyncio.sleep(max(0.0, start_at - time.time()))
            origin = time.perf_counter() + offset
            k = 0
            while True:
                due = origin + k * interval
                if due - origin + offset >= seconds:
                    return
                if not load.bodies:
                    stats.ran_dry += 1
                    return
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                body, n = load.bodies[-1]
                if await _push(http, load, body, n, stats):
                    load.bodies.pop()
                stats.latencies_ms.append((time.perf_counter() - due) * 1000)  # from the scheduled time
                stats.ended = max(stats.ended, time.perf_counter())
                k += 1
        finally:
            await http.close()

    await asyncio.sleep(max(0.0, start_at - time.time()))
    stats.started = time.perf_counter()
    await asyncio.gather(*(one(load, off) for load, off in zip(loads, offsets, strict=True)))
    return stats


def _child(pipe: Connection, port: int, devices: list[BenchDevice]) -> None:
    loads = [
        DeviceLoad(d, SeriesState(f"{d.ulb_code}/{d.office_code}/C{d.device_no:02d}/{fy_of(_today())}"))
        for d in devices
    ]
    while True:
        command, args = pipe.recv()
        if command == "build":
            per_device, batch = args
            _build(loads, per_device, batch)
            pipe.send("built")
        elif command == "closed":
            start_at, seconds = args
            pipe.send(asyncio.run(_closed_loop(port, loads, start_at, seconds)))
        elif command == "paced":
            start_at, seconds, interval, offsets = args
            pipe.send(asyncio.run(_paced(port, loads, start_at, seconds, interval, offsets)))
        elif command == "drop_unsent":
            for load in loads:
                load.bodies.clear()
            pipe.send("dropped")
        elif command == "acked":
            pipe.send({load.device.device_id: (load.series.key, load.acked) for load in loads})
        else:
            return


def _today() -> Any:
    from datetime import timedelta

    return (now_utc() + timedelta(hours=5, minutes=30)).date()


class LoadGenerator:
    def __init__(self, port: int, devices: list[BenchDevice]) -> None:
        context = multiprocessing.get_context("fork")
        self._pipes: list[Connection] = []
        self._procs: list[Any] = []
        for i in range(LOADGEN_PROCS):
            parent, child = context.Pipe()
            proc = context.Process(target=_child, args=(child, port, devices[i::LOADGEN_PROCS]), daemon=True)
            proc.start()
            self._pipes.append(parent)
            self._procs.append(proc)
        self.shares = [len(devices[i::LOADGEN_PROCS]) for i in range(LOADGEN_PROCS)]

    def ask(self, command: str, args_per_child: list[Any]) -> list[Any]:
        for pipe, args in zip(self._pipes, args_per_child, strict=True):
            pipe.send((command, args))
        return [pipe.recv() for pipe in self._pipes]

    def close(self) -> None:
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                pipe.send(("quit", None))
        for proc in self._procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()


def _merge(parts: list[PhaseStats]) -> PhaseStats:
    merged = PhaseStats(started=min(p.started for p in parts), ended=max(p.ended for p in parts))
    for part in parts:
        merged.latencies_ms += part.latencies_ms
        merged.pushes += part.pushes
        merged.receipts += part.receipts
        merged.errors += part.errors
        merged.error_samples += part.error_samples
        merged.ran_dry += part.ran_dry
        for key, value in part.statuses.items():
            merged.statuses[key] = merged.statuses.get(key, 0) + value
    return merged


def _percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- checks and the COPY baseline ----------------------------------------------------------------------


def _verify(db_name: str, acked: dict[str, tuple[str, int]]) -> tuple[int, int, int]:
    """(rows on the central, lost, duplicated) for the bench devices' series."""
    keys = [key for key, _ in acked.values()]
    with psycopg.connect(plain_url(db_name)) as conn:
        rows = conn.execute(
            "SELECT series_key, count(*), count(DISTINCT seq), max(seq) FROM receipt"
            " WHERE series_key = ANY(%s) GROUP BY series_key",
            (keys,),
        ).fetchall()
        uuid_dupes = conn.execute(
            "SELECT count(*) - count(DISTINCT uuid) FROM receipt WHERE series_key = ANY(%s)", (keys,)
        ).fetchone()
    held = {key: (count, distinct, top) for key, count, distinct, top in rows}
    total = sum(count for count, _, _ in held.values())
    duplicated = sum(count - distinct for count, distinct, _ in held.values()) + int(uuid_dupes[0] if uuid_dupes else 0)
    lost = 0
    for key, n_acked in acked.values():
        _count, distinct, top = held.get(key, (0, 0, 0))
        # Acknowledged seqs are 1..n_acked; the central must hold each (distinct seqs up to the top).
        lost += max(0, n_acked - min(distinct, top))
    return total, lost, duplicated


def _copy_baseline(db_name: str, acked: dict[str, tuple[str, int]]) -> tuple[int, float]:
    """Receipts per second of a raw psycopg COPY of the same rows our ingest wrote for the bench
    devices in this run — every table, every column: receipt, receipt_line, sync_op, change_log
    (the payment_batch rows) and receipt_series — into scratch tables made LIKE the real ones
    (INCLUDING ALL: same indexes, constraints and defaults), in one transaction."""
    from psycopg.types.json import Jsonb

    device_ids = list(acked)
    keys = [key for key, _ in acked.values()]
    jsonb_oid = 3802
    sources = {
        "receipt": ("SELECT * FROM receipt WHERE series_key = ANY(%s)", keys),
        "receipt_line": (
            "SELECT l.* FROM receipt_line l JOIN receipt r ON r.uuid = l.receipt_uuid WHERE r.series_key = ANY(%s)",
            keys,
        ),
        "sync_op": ("SELECT * FROM sync_op WHERE device_id = ANY(%s)", device_ids),
        "change_log": ("SELECT * FROM change_log WHERE origin_device_id = ANY(%s)", device_ids),
        "receipt_series": ("SELECT * FROM receipt_series WHERE device_id = ANY(%s)", device_ids),
    }
    with psycopg.connect(plain_url(db_name)) as conn:
        tables: list[tuple[str, list[str], list[tuple[Any, ...]]]] = []
        for table, (sql, arg) in sources.items():
            cursor = conn.execute(sql, (arg,))
            description = cursor.description or []
            columns = [d.name for d in description]
            is_json = [d.type_code == jsonb_oid for d in description]
            rows = [
                tuple(Jsonb(v) if j and v is not None else v for v, j in zip(row, is_json, strict=True))
                for row in cursor.fetchall()
            ]
            tables.append((table, columns, rows))
        for table, _, _ in tables:
            conn.execute(f"DROP TABLE IF EXISTS bench_copy_{table}")
            conn.execute(f"CREATE TABLE bench_copy_{table} (LIKE {table} INCLUDING ALL)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur:
            for table, columns, rows in tables:
                with cur.copy(f"COPY bench_copy_{table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        conn.commit()
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{table} {len(rows):,}" for table, _, rows in tables)
        for table, _, _ in tables:
            conn.execute(f"DROP TABLE bench_copy_{table}")
        conn.commit()
    receipts = len(tables[0][2])
    print(f"   COPY rows: {counts} in {elapsed:.2f} s", flush=True)
    return receipts, receipts / elapsed


# -- the benchmark ------------------------------------------------------------------------------------


def run(workdir: Path) -> list[Figure]:
    db_name = f"nikay_bench_{os.getpid()}"
    create_database(db_name)
    url = sa_url(db_name)
    logs = workdir / "sync-ingest"
    logs.mkdir(exist_ok=True)
    central = None
    generator = None
    try:
        admin_token = seed_ulb_and_admin(url)
        central = start_central(url, logs, workers=WORKERS)
        started = time.perf_counter()
        devices = [enrol(central.base_url, admin_token) for _ in range(DEVICES)]
        print(
            f"   {DEVICES} devices enrolled over the wire in {time.perf_counter() - started:.1f} s "
            f"(central: {WORKERS} uvicorn worker(s); batches of {BATCH} ops)",
            flush=True,
        )
        generator = LoadGenerator(central.port, devices)

        # (a) saturation
        per_device = max(BATCH, int(BUDGET_RATE * PHASE_S / DEVICES) // BATCH * BATCH)
        started = time.perf_counter()
        generator.ask("build", [(per_device, BATCH)] * LOADGEN_PROCS)
        print(f"   {per_device * DEVICES:,} ops built in {time.perf_counter() - started:.1f} s (not timed)", flush=True)
        start_at = time.time() + 0.5
        a = _merge(generator.ask("closed", [(start_at, PHASE_S)] * LOADGEN_PROCS))
        generator.ask("drop_unsent", [None] * LOADGEN_PROCS)
        rate_a = a.receipts / (a.ended - a.started)
        print(
            f"   (a) saturation: {a.receipts:,} receipts in {a.ended - a.started:.1f} s = {rate_a:,.0f}/s; "
            f"{a.pushes} pushes, latency p50 {_percentile(a.latencies_ms, 0.5):.0f} ms, "
            f"p99 {_percentile(a.latencies_ms, 0.99):.0f} ms (queueing: {DEVICES} in flight); "
            f"statuses {a.statuses}; errors {a.errors}; devices run dry {a.ran_dry}",
            flush=True,
        )
        for sample in a.error_samples[:3]:
            print(f"       error: {sample}", flush=True)

        if a.receipts == 0:
            raise RuntimeError(f"the central acknowledged nothing: {a.error_samples[:2]}")
        # (b) paced at min(target, 0.8 x saturation)
        offered = min(TARGET_RATE, 0.8 * rate_a)
        batch_b = max(20, min(BATCH, int(offered * 4 / DEVICES)))  # each device about every 4 s
        interval = DEVICES * batch_b / offered
        pushes_each = int(PHASE_S / interval) + 1
        generator.ask("build", [(pushes_each * batch_b, batch_b)] * LOADGEN_PROCS)
        rng = random.Random(5)
        start_at = time.time() + 0.5
        args = []
        for share in generator.shares:
            args.append((start_at, PHASE_S, interval, [rng.uniform(0, interval) for _ in range(share)]))
        b = _merge(generator.ask("paced", args))
        generator.ask("drop_unsent", [None] * LOADGEN_PROCS)
        p50, p99 = _percentile(b.latencies_ms, 0.5), _percentile(b.latencies_ms, 0.99)
        print(
            f"   (b) paced at {offered:,.0f} receipts/s offered ({batch_b} ops every {interval:.2f} s per device): "
            f"{b.receipts:,} receipts, {b.pushes} pushes, p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
            f"max {max(b.latencies_ms, default=0):.0f} ms; errors {b.errors}",
            flush=True,
        )
        for sample in b.error_samples[:3]:
            print(f"       error: {sample}", flush=True)

        acked: dict[str, tuple[str, int]] = {}
        for part in generator.ask("acked", [None] * LOADGEN_PROCS):
            acked.update(part)
        total_acked = sum(n for _, n in acked.values())
        held, lost, duplicated = _verify(db_name, acked)
        print(f"   central holds {held:,} receipts of the bench series; acknowledged {total_acked:,}", flush=True)
        extra = max(0, held - total_acked - duplicated)  # stored but never acknowledged (cut-off replies)
        copied, copy_rate = _copy_baseline(db_name, acked)
        print(
            f"   psycopg COPY of the same {copied:,} receipts (every row ingest wrote): {copy_rate:,.0f}/s", flush=True
        )
        errors = a.errors + b.errors
        return [
            Figure(
                f"sync ingest, {DEVICES} devices, receipts/s (saturation)",
                rate_a,
                "/s",
                TARGET_RATE,
                lower_is_better=False,
            ),
            Figure(f"sync push latency p50 at {offered:,.0f}/s offered", p50, "ms", TARGET_P99_MS),
            Figure(f"sync push latency p99 at {offered:,.0f}/s offered", p99, "ms", TARGET_P99_MS),
            Figure("sync ingest errors", float(errors), "", 0.0),
            Figure("sync ingest receipts lost (acknowledged, not stored)", float(lost), "", 0.0),
            Figure("sync ingest receipts duplicated", float(duplicated), "", 0.0),
            Figure("sync ingest stored but unacknowledged", float(extra), "", 0.0),
            Figure("raw psycopg COPY, receipts/s (same rows)", copy_rate, "/s", TARGET_RATE, lower_is_better=False),
            Figure("sync ingest / COPY ratio", rate_a / copy_rate, "x", 0.0, lower_is_better=False),
        ]
    finally:
        if generator is not None:
            generator.close()
        if central is not None:
            central.stop()
        drop_database(db_name)
        if os.environ.get("NIKAY_BENCH_KEEP_LOGS") is None and central is not None:
            central.log.unlink(missing_ok=True)
