"""Fixtures for the central's tests, against the real PostgreSQL at 127.0.0.1:5432.

- `pg_url`: one fresh database per test session and xdist worker, migrated once, dropped at the end.
  PostgreSQL unreachable: the tests fail when CI is set, else skip with the reason.
- `central_db`: that database emptied for this test, with the DEMO ULB and its admin (token kept).
- `central_settings`, `central_app` (create_app, for TestClient), `central_server` (a real uvicorn
  subprocess; see tests/central/server.py for the device/admin helpers).
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI

from central.api.app import create_app
from central.config import CentralSettings
from central.db.engine import migrate
from tests.central.server import CentralServer, add_admin_token, seed_ulb, truncate_all

PG_HOST = os.environ.get("NIKAY_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("NIKAY_TEST_PG_PORT", "5432"))
PG_ADMIN_DSN = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"
TOKEN_SECRET = "test-secret-" + secrets.token_hex(16)


def pg_unreachable(reason: str) -> None:
    message = f"PostgreSQL at {PG_HOST}:{PG_PORT} is unreachable as user postgres: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def create_database(prefix: str = "nikay_t") -> str:
    """A new empty database; returns its SQLAlchemy URL."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{prefix}_{worker}_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pg_unreachable(str(error).strip())
    return f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    url = create_database()
    try:
        migrate(url)
        yield url
    finally:
        drop_database(url)


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A database of its own that nothing has migrated (for readiness and migration tests)."""
    url = create_database("nikay_e")
    try:
        yield url
    finally:
        drop_database(url)


@dataclass(frozen=True)
class CentralDb:
    url: str
    admin_token: str  # ulb_admin of DEMO


@pytest.fixture
def central_db(pg_url: str) -> CentralDb:
    truncate_all(pg_url)
    seed_ulb(pg_url, "DEMO")
    return CentralDb(url=pg_url, admin_token=add_admin_token(pg_url, "DEMO", username="demo-admin"))


@pytest.fixture
def central_settings(central_db: CentralDb) -> CentralSettings:
    return CentralSettings(database_url=central_db.url, token_secret=TOKEN_SECRET, db_pool_size=4)


@pytest.fixture
def central_app(central_settings: CentralSettings) -> Iterator[FastAPI]:
    app = create_app(central_settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def _shared_central_server(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralServer]:
    """One server process per test session and xdist worker (starting one costs ~2 s)."""
    settings = CentralSettings(database_url=pg_url, token_secret=TOKEN_SECRET, db_pool_size=4)
    server = CentralServer(
        settings=settings, admin_token="", log_path=tmp_path_factory.mktemp("central") / "central.log"
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def central_server(central_db: CentralDb, _shared_central_server: CentralServer) -> CentralServer:
    """A real `python -m central serve` over the emptied database of this test (DEMO + its admin).

    The process is shared by the tests of a worker; a test may kill() or restart() it (the next
    test starts it again). Tests that need other settings or several workers start their own
    with `start_central_server`."""
    server = _shared_central_server
    server.admin_token = central_db.admin_token
    if not server.running:
        server.start()
    return server


@pytest.fixture
def start_central_server(
    central_settings: CentralSettings, central_db: CentralDb, tmp_path: Path
) -> Iterator[Callable[..., CentralServer]]:
    """`start_central_server(workers=2, access_token_ttl_s=2)`: a process of this test alone."""
    started: list[CentralServer] = []

    def start(workers: int = 1, **overrides: Any) -> CentralServer:
        settings = dataclasses.replace(central_settings, **overrides)
        server = CentralServer(
            settings=settings,
            admin_token=central_db.admin_token,
            log_path=tmp_path / f"central-{len(started)}.log",
            workers=workers,
        )
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()
