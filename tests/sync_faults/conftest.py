"""Fixtures of the fault-injection tests: a throwaway PostgreSQL database per test, migrated.

Real PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres). With CI set, a missing server fails
the tests; locally they skip with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.sync_faults.loadkit import CentralProcess, issue_code, start_central
from tests.sync_faults.netproxy import NetProxy

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


# -- a central for the fault tests -----------------------------------------------------------------------


@dataclass
class World:
    """A migrated central database with the DEMO ULB and an admin, a server on it, and a proxy in front
    (devices enrol through the proxy, so the server behind it can die, restart and move)."""

    db_name: str
    url: str
    admin_token: str
    workdir: Path
    server: CentralProcess
    proxy: NetProxy
    extra: list[CentralProcess] = field(default_factory=list)

    def code(self) -> str:
        return issue_code(self.server.base_url, self.admin_token)

    def start_server(self, **env: str) -> CentralProcess:
        """Another server process on the same database (e.g. with a failpoint armed)."""
        server = start_central(self.url, self.workdir, workers=1, env={"NIKAY_CENTRAL_FAILPOINTS": "", **env})
        self.extra.append(server)
        return server

    def restart(self, while_down: Callable[[], None] | None = None) -> None:
        """Stop the main server (running `while_down` then: a backup, a restore) and start a fresh
        one; the proxy follows it."""
        self.server.stop()
        if while_down is not None:
            while_down()
        self.server = start_central(self.url, self.workdir, workers=1, env={"NIKAY_CENTRAL_FAILPOINTS": ""})
        self.proxy.retarget(self.server.port)

    def close(self) -> None:
        self.proxy.close()
        for server in [*self.extra, self.server]:
            server.stop()


def seed_central(url: str) -> str:
    """DEMO ULB and a ULB admin, in this process through the central's own seeding code; the token."""
    from central.cli import session_for
    from central.seed import DEMO_TOML, add_admin, ulb_from_toml, upsert_ulb

    with session_for(url) as session:
        upsert_ulb(session, ulb_from_toml(DEMO_TOML))
        return add_admin(session, username="faultadmin", role="ulb_admin", ulb_code="DEMO", full_name="Fault admin")


def _world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    require_pg()
    name = f"nikay_h5_{uuid.uuid4().hex[:12]}"
    create_database(name)
    url = url_of(name)
    server = None
    try:
        migrate_schema(url)
        token = seed_central(url)
        workdir = tmp_path_factory.mktemp("central")
        server = start_central(url, workdir, workers=1, env={"NIKAY_CENTRAL_FAILPOINTS": ""})
        world = World(name, url, token, workdir, server, NetProxy(server.port))
        try:
            yield world
        finally:
            world.close()
    finally:
        if server is not None:
            server.stop()
        drop_database(name)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One central for these tests (per xdist worker): tests tell their data apart by their devices'
    own series, so they never see each other's receipts."""
    yield from _world(tmp_path_factory)


@pytest.fixture
def own_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A central of this test alone (restored from a backup, or otherwise rewritten)."""
    yield from _world(tmp_path_factory)
