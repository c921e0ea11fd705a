"""Large benchmark fixtures, built once under the bench workdir and reused by every benchmark."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from app.db import open_database
from app.masters.seed import seed_demo_masters
from app.property.demo import generate_demo

BENCH_SEED = 1
_DONE = "COMPLETE"


def bench_ulb_dir(workdir: Path, n: int) -> Path:
    return workdir / (f"ulb-{n // 1000}k" if n % 1000 == 0 else f"ulb-{n}")


def ensure_bench_ulb(workdir: Path, n: int = 500_000) -> Path:
    """The data dir of a demo ULB with `n` properties (seed 1), made on first use and then reused.

    Open it with `open_database(path)` or `build_services(path)`. A half-built folder (no COMPLETE
    marker, e.g. an interrupted run) is rebuilt."""
    path = bench_ulb_dir(workdir, n)
    if (path / _DONE).exists():
        return path
    if path.exists():
        shutil.rmtree(path)
    started = time.perf_counter()
    print(f"   building the {n:,}-property bench ULB in {path} (once) ...", flush=True)
    db = open_database(path)
    try:
        seed_demo_masters(db)
        generate_demo(db, n, seed=BENCH_SEED)
    finally:
        db.dispose()
    (path / _DONE).write_text(f"{n} properties, seed {BENCH_SEED}\n")
    print(f"   built in {time.perf_counter() - started:.1f} s", flush=True)
    return path
