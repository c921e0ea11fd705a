"""Search at the service layer on the 500,000-property demo ULB: p95 per query kind (target ≤ 10 ms).

Queries are drawn (seeded) from the register itself, and each name is also typed letter by letter
as a clerk would, so search-as-you-type prefixes are measured too."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from app.db import open_database
from app.db.engine import DB_FILE_NAME
from app.property.search import PropertySearch
from tests.bench.common import Figure, p95
from tests.bench.fixtures import ensure_bench_ulb

N = 500_000
SAMPLES = 300
TARGET_MS = 10.0


def _sample_queries(path: Path, rng: random.Random) -> dict[str, list[str]]:
    conn = sqlite3.connect(path / DB_FILE_NAME)
    try:
        total = conn.execute("SELECT max(rowid) FROM owner").fetchone()[0]
        rows = []
        while len(rows) < SAMPLES:
            row = conn.execute(
                "SELECT p.property_id, p.old_id, o.name_en, o.name_hi, o.mobile FROM owner o"
                " JOIN property p ON p.uuid = o.property_uuid WHERE o.rowid = ?",
                (rng.randrange(1, total + 1),),
            ).fetchone()
            if row:
                rows.append(row)
    finally:
        conn.close()
    queries: dict[str, list[str]] = {k: [] for k in ("id", "old_id", "name_en", "name_hi", "cross", "mobile", "typing")}
    for pid, old_id, name_en, name_hi, mobile in rows:
        queries["id"].append(pid[: rng.randint(5, len(pid))])
        if old_id:
            queries["old_id"].append(old_id[: rng.randint(6, len(old_id))])
        words_en, words_hi = name_en.split(), name_hi.split()
        queries["name_en"].append(f"{words_en[0]} {words_en[-1][: rng.randint(2, len(words_en[-1]))]}")
        queries["name_hi"].append(f"{words_hi[0]} {words_hi[-1]}")
        queries["cross"].append(words_en[-1].lower().replace("w", "v"))  # a spelling only the name key matches
        if mobile:
            queries["mobile"].append(mobile[: rng.randint(4, 10)])
        full = f"{words_en[0]} {words_en[-1]}"
        queries["typing"].extend(full[:i] for i in range(1, len(full) + 1))
    queries["typing"] = queries["typing"][: SAMPLES * 3]
    return queries


def _time(search: Callable[[str], object], queries: list[str]) -> list[float]:
    for query in queries[:20]:
        search(query)  # warm the page cache
    samples = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(workdir: Path) -> list[Figure]:
    path = ensure_bench_ulb(workdir, N)
    db = open_database(path)
    try:
        search = PropertySearch(db)
        queries = _sample_queries(path, random.Random(11))
        labels = {
            "id": "search p95, property ID prefix (500k)",
            "old_id": "search p95, old ID prefix (500k)",
            "name_en": "search p95, owner name in English (500k)",
            "name_hi": "search p95, owner name in Hindi (500k)",
            "cross": "search p95, Latin spelling of a Hindi name (500k)",
            "mobile": "search p95, mobile prefix (500k)",
            "typing": "search p95, name typed letter by letter (500k)",
        }
        figures = []
        for kind, label in labels.items():
            samples = _time(lambda q: search.search(q, 30), queries[kind])
            figures.append(Figure(label, p95(samples), "ms", TARGET_MS))
        return figures
    finally:
        db.dispose()
