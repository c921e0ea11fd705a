"""Fixtures of the fault-injection tests: a throwaway PostgreSQL database per test, migrated.

Real PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres). With CI set, a missing server fails
the tests; locally they skip with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

ADMIN_URL = os.environ.get("NIKAY_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_reachable() -> str | None:
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.OperationalError as error:
        return str(error).strip().splitlines()[0]


def require_pg() -> None:
    problem = _pg_reachable()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is not reachable at {ADMIN_URL} (CI is set, so this fails): {problem}")
    pytest.skip(f"PostgreSQL is not reachable at {ADMIN_URL}: {problem}")


def create_database(name: str, template: str | None = None) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        clause = f" TEMPLATE {template}" if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{clause}')


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_of(name: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def migrate_schema(url: str) -> None:
    """The central's own migrations (what `central serve` runs first)."""
    from central.db.engine import migrate

    migrate(url)


@pytest.fixture
def fault_pg_url() -> Iterator[str]:
    """A fresh, migrated central database of this test alone (dropped afterwards)."""
    require_pg()
    name = f"nikay_h5_{uuid.uuid4().hex[:12]}"
    create_database(name)
    try:
        url = url_of(name)
        migrate_schema(url)
        yield url
    finally:
        drop_database(name)
