"""The central restored from an older backup (then `python -m central mark-restored`): the devices
see the new server epoch at their next hello, re-push what they hold, and the central ends with
every receipt of every device again (I1–I4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.sync_faults.conftest import ADMIN_URL, World
from tests.sync_faults.devices import enrolled_device
from tests.sync_faults.invariants import check_invariants, plain_pg_url

ROOT = Path(__file__).resolve().parents[2]


def _count(world: World) -> int:
    with psycopg.connect(plain_pg_url(world.url)) as conn:
        row = conn.execute("SELECT count(*) FROM receipt WHERE device_id <> ''").fetchone()
    return int(row[0]) if row else 0


def test_central_restored_from_an_older_backup_gets_everything_back(own_world: World, tmp_path: Path) -> None:
    world = own_world
    backup = f"{world.db_name}_backup"
    a = enrolled_device(tmp_path / "a", world.proxy.url, world.code())
    b = enrolled_device(tmp_path / "b", world.proxy.url, world.code())
    try:
        a.counter.collect(4)
        b.counter.collect(3)
        a.drain()
        b.drain()

        def take_backup() -> None:
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{backup}" TEMPLATE "{world.db_name}"')

        world.restart(take_backup)
        a.counter.collect(5)
        b.counter.collect(2)
        a.drain()
        b.drain()
        assert _count(world) == 14

        def restore() -> None:
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{world.db_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{world.db_name}" TEMPLATE "{backup}"')
            marked = subprocess.run(
                [sys.executable, "-m", "central", "mark-restored", "--database-url", world.url],
                cwd=ROOT,
                env=os.environ.copy(),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert marked.returncode == 0, marked.stderr

        world.restart(restore)
        assert _count(world) == 7, "the backup predates the last 7 receipts"

        reports = a.drain() + b.drain()
        assert any(r.epoch_changed for r in reports)
        verdict = check_invariants(world.url, [a.data_dir, b.data_dir])
        assert verdict.ok, str(verdict)
        assert verdict.central_count == 14
    finally:
        a.close()
        b.close()
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{backup}" WITH (FORCE)')
