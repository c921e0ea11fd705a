"""Generating a 300,000-property demo ULB (target ≤ 30 s), into a fresh database each run."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from app.db import open_database
from app.masters.seed import seed_demo_masters
from app.property.demo import generate_demo
from tests.bench.common import Figure
from tests.bench.fixtures import ensure_bench_ulb

__all__ = ["ensure_bench_ulb", "run"]

N = 300_000


def run(workdir: Path) -> list[Figure]:
    target = workdir / "demo-300k-scratch"
    shutil.rmtree(target, ignore_errors=True)
    db = open_database(target)
    try:
        seed_demo_masters(db)
        started = time.perf_counter()
        report = generate_demo(db, N, seed=1)
        elapsed = time.perf_counter() - started
    finally:
        db.dispose()
        shutil.rmtree(target, ignore_errors=True)
    print(
        f"   {report.properties:,} properties, {report.owners:,} owners, {report.units:,} units, "
        f"{report.demand_rows:,} demand rows",
        flush=True,
    )
    return [Figure("generate a 300,000-property demo", elapsed, "s", 30.0)]
