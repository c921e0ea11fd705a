"""Large benchmark fixtures, built once under the bench workdir and reused by every benchmark.

A fixture is reused only while it still matches the code: its COMPLETE marker records the number
of properties, the seed, the demo generator's version and the schema it was built with (the alembic
revision and a fingerprint of every table, index and trigger definition). If any of them differs
from what the code makes today, e.g. a migration was edited in place without a new revision, the
folder is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import time
from functools import cache
from pathlib import Path

from app.db import open_database
from app.db.engine import DB_FILE_NAME
from app.masters.seed import seed_demo_masters
from app.property.demo import GENERATOR_VERSION, generate_demo

BENCH_SEED = 1
_DONE = "COMPLETE"


def bench_ulb_dir(workdir: Path, n: int) -> Path:
    return workdir / (f"ulb-{n // 1000}k" if n % 1000 == 0 else f"ulb-{n}")


def schema_fingerprint(db_file: Path) -> str:
    """'<alembic revision>:<sha256 of the schema>' of a database file, read-only. The schema is every
    table, index, view and trigger definition (whitespace-normalised, sorted by name)."""
    connection = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()
        try:
            revisions = sorted(r[0] for r in connection.execute("SELECT version_num FROM alembic_version"))
        except sqlite3.DatabaseError:
            revisions = []
    finally:
        connection.close()
    digest = hashlib.sha256()
    for kind, name, table, sql in rows:
        digest.update(f"{kind}\0{name}\0{table}\0{' '.join(str(sql).split())}\n".encode())
    return f"{','.join(revisions) or '-'}:{digest.hexdigest()}"


@cache
def current_schema_fingerprint() -> str:
    """The fingerprint of a database freshly migrated to head by this code."""
    with tempfile.TemporaryDirectory(prefix="nikay-schema-") as tmp:
        db = open_database(Path(tmp))
        db.dispose()
        return schema_fingerprint(Path(tmp) / DB_FILE_NAME)


def _expected_marker(n: int) -> dict[str, object]:
    return {
        "properties": n,
        "seed": BENCH_SEED,
        "generator": GENERATOR_VERSION,
        "schema": current_schema_fingerprint(),
    }


def _stale_reason(path: Path, expected: dict[str, object]) -> str | None:
    """Why the folder cannot be reused (None: it can)."""
    marker = path / _DONE
    if not marker.exists():
        return "not built" if not path.exists() else "half-built (no COMPLETE marker)"
    try:
        recorded = json.loads(marker.read_text())
    except ValueError:
        return "built by an older fixture (no schema recorded)"
    if not isinstance(recorded, dict):
        return "unreadable COMPLETE marker"
    for key, value in expected.items():
        if recorded.get(key) != value:
            return f"{key} changed ({recorded.get(key)!r} -> {value!r})"
    db_file = path / DB_FILE_NAME
    if not db_file.exists():
        return "database file missing"
    if schema_fingerprint(db_file) != expected["schema"]:
        return "the database's schema differs from the code's"
    return None


def ensure_bench_ulb(workdir: Path, n: int = 500_000) -> Path:
    """The data dir of a demo ULB with `n` properties (seed 1), made on first use and then reused.

    Open it with `open_database(path)` or `build_services(path)`. A half-built folder (no COMPLETE
    marker, e.g. an interrupted run) or one built with another schema or generator is rebuilt."""
    path = bench_ulb_dir(workdir, n)
    expected = _expected_marker(n)
    reason = _stale_reason(path, expected)
    if reason is None:
        return path
    if path.exists():
        print(f"   rebuilding {path}: {reason}", flush=True)
        shutil.rmtree(path)
    started = time.perf_counter()
    print(f"   building the {n:,}-property bench ULB in {path} (once) ...", flush=True)
    db = open_database(path)
    try:
        seed_demo_masters(db)
        generate_demo(db, n, seed=BENCH_SEED)
    finally:
        db.dispose()
    (path / _DONE).write_text(json.dumps(expected, indent=2) + "\n")
    print(f"   built in {time.perf_counter() - started:.1f} s", flush=True)
    return path
