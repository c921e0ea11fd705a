"""`make bench`: run every benchmark module and print each figure beside its target.

Each module in tests/bench named bench_*.py exposes `run(workdir: Path) -> list[Figure]`.
Large fixtures (the 500,000-property ULB) are built once under bench-data/ and reused.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from tests.bench.common import Figure

WORKDIR = Path(__file__).resolve().parents[2] / "bench-data"


def main(selected: list[str]) -> int:
    WORKDIR.mkdir(exist_ok=True)
    package = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    figures: list[Figure] = []
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"tests.bench.{name}")
        for figure in module.run(WORKDIR):
            print(figure.line(), flush=True)
            figures.append(figure)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    print("\nSummary")
    for figure in figures:
        print(figure.line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
