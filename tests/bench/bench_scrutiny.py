"""Plan scrutiny (issue 6 item 9): a typical plan ≤ 1 s; a plan of 50,000 entities ≤ 10 s.

Timed: the whole `scrutinize` call — DXF read in ezdxf recover mode, blocks exploded, outlines flattened,
measured with shapely, the rule set loaded and evaluated. The typical plan is test plan T01 (one block,
two floors, three stalls, ~15 entities); the large one adds 50,000 filler entities (lines, closed
polylines with an arc, texts) on layers no rule reads, as a full architectural drawing has. Each figure
has a CPU-time twin: on a loaded machine the gap between them is other processes' share.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from tests.bench.common import Figure

ON = date(2026, 11, 28)


def _time(path: Path, rounds: int) -> tuple[float, float, str]:
    from app.scrutiny.service import scrutinize

    best_wall = best_cpu = float("inf")
    verdict = ""
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        report = scrutinize(path, "sample-mbbl2016", ON)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        verdict = str(report.verdict)
    return best_wall, best_cpu, verdict


def run(workdir: Path) -> list[Figure]:
    from tests.scrutiny_plans import T01, write_plan

    folder = workdir / "scrutiny"
    folder.mkdir(parents=True, exist_ok=True)
    typical = write_plan(folder / "typical.dxf", T01)
    large = write_plan(folder / "large.dxf", replace(T01, extra_entities=50_000))
    figures = []
    wall, cpu, verdict = _time(typical, 5)
    print(f"   typical plan: {verdict}, {typical.stat().st_size:,} bytes")
    figures.append(Figure("scrutiny: typical plan (T01), wall", wall, "s", 1.0))
    figures.append(Figure("scrutiny: typical plan (T01), CPU", cpu, "s", 1.0))
    wall, cpu, verdict = _time(large, 1)
    print(f"   large plan: {verdict}, {large.stat().st_size:,} bytes")
    figures.append(Figure("scrutiny: plan of 50,000 entities, wall", wall, "s", 10.0))
    figures.append(Figure("scrutiny: plan of 50,000 entities, CPU", cpu, "s", 10.0))
    return figures
