"""Desktop start-up and memory (issue 2 item 11). Figures are printed, never asserted.

- process start to login window shown: spawn `python -m ui.launch --bench-startup` (offscreen), take
  the time from spawning to the line it prints when the login window is first painted (interpreter
  start, imports, QApplication, fonts, translators included). Median of several runs; target ≤ 1.5 s.
- resident memory with the 500,000-property ULB open: spawn `python -m ui.launch --bench-memory` on
  the bench ULB; it signs in as clerk1, opens the counter, runs one search and prints its RSS (psutil).
  Target ≤ 300 MB.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.common import Figure

ROOT = Path(__file__).resolve().parents[2]
STARTUP_RUNS = 5
BENCH_PROPERTIES = 500_000


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def startup_once(data_dir: Path) -> tuple[float, float]:
    """(seconds from spawn to login window painted, seconds as measured inside the process)."""
    command = [sys.executable, "-m", "ui.launch", "--data-dir", str(data_dir), "--bench-startup"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env())
    assert process.stdout is not None
    outside = inside = float("nan")
    for line in process.stdout:
        if line.startswith("login-window-shown"):
            outside = time.perf_counter() - started
            inside = float(line.split()[1])
            break
    process.stdout.close()
    process.wait(60)
    if math.isnan(outside):
        raise RuntimeError("the login window was never shown")
    return outside, inside


def _bench_ulb(workdir: Path, n: int) -> Path:
    """The shared 500k fixture (tests/bench/fixtures.py) if it is there, otherwise the demo generator;
    plus the documented demo users (the memory run signs in as clerk1)."""
    try:
        from tests.bench.fixtures import ensure_bench_ulb

        path = Path(ensure_bench_ulb(workdir, n))
    except ImportError:
        from app.demo import ensure_demo

        path = workdir / f"ulb-{n}"
        ensure_demo(path, properties=n, quiet=True)
    _ensure_demo_users(path)
    return path


def _ensure_demo_users(data_dir: Path) -> None:
    from app.audit.service import AuditLog
    from app.core.clock import SystemClock
    from app.db import open_database
    from app.security.service import UserService

    db = open_database(data_dir)
    try:
        clock = SystemClock()
        UserService(db, AuditLog(clock, 1), clock).seed_demo_users()  # idempotent
    finally:
        db.dispose()


def memory_once(data_dir: Path) -> tuple[float, int]:
    command = [sys.executable, "-m", "ui.launch", "--data-dir", str(data_dir), "--bench-memory"]
    result = subprocess.run(command, check=False, capture_output=True, text=True, env=_env(), timeout=600)
    rss = results = None
    for line in result.stdout.splitlines():
        if line.startswith("rss-mb"):
            rss = float(line.split()[1])
        elif line.startswith("results"):
            results = int(line.split()[1])
    if rss is None:
        raise RuntimeError(f"the memory run failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return rss, results or 0


def run(workdir: Path) -> list[Figure]:
    from app.demo import ensure_demo

    small = workdir / "startup-demo"
    ensure_demo(small, properties=200, quiet=True)
    startup_once(small)  # warm the OS file cache once; not counted
    outside: list[float] = []
    inside: list[float] = []
    for _ in range(STARTUP_RUNS):
        total, own = startup_once(small)
        outside.append(total)
        inside.append(own)
    figures = [
        Figure("start-up: process spawn to login window shown (median)", statistics.median(outside), "s", 1.5),
        Figure("start-up: worst of the runs", max(outside), "s", 1.5),
        Figure("start-up: inside the process (imports to first paint)", statistics.median(inside), "s", 1.5),
    ]
    big = _bench_ulb(workdir, BENCH_PROPERTIES)
    rss, results = memory_once(big)
    figures.append(Figure(f"resident memory, {BENCH_PROPERTIES:,} properties, counter + 1 search", rss, "MB", 300))
    print(f"   (search returned {results} rows)")
    return figures


if __name__ == "__main__":
    for figure in run(ROOT / "bench-data"):
        print(figure.line())
