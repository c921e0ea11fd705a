"""Engines, sessions and migrations of the central database.

PostgreSQL is the real store; SQLite (WAL, foreign keys on) only backs the one-command demo. Nothing
here is a module global: the app builds one engine per process and keeps it on `app.state`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, insert, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from central.config import CentralSettings
from central.db.models import ServerMeta

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any constant works; it only has to be the same in every process that migrates this database.
MIGRATION_LOCK_KEY = 0x4E494B41  # "NIKA"


def is_sqlite_url(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def engine_for_url(url: str, pool_size: int = 10) -> Engine:
    if is_sqlite_url(url):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping (a round trip on every checkout, ~10 % of the push rate under load): a connection
    # broken by a database restart fails one request, SQLAlchemy then drops the whole pool, and the
    # device retries that push (idempotent). Recycling bounds a connection's life behind poolers.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=900)


def make_engine(settings: CentralSettings) -> Engine:
    return engine_for_url(settings.database_url, settings.db_pool_size)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit off: routers build plain dataclasses from rows after the commit.
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    """Found by path (never the working directory), so the CLI, the app and the tests agree."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    """Read directly (not via MigrationContext, which logs two lines on every /readyz probe)."""
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    return frozenset(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def migrate(url: str) -> None:
    """Upgrade to head and make sure the server_meta row exists. Several app processes may start at
    once: on PostgreSQL an advisory lock lets one migrate while the others wait."""
    engine = engine_for_url(url, pool_size=1)
    try:
        with engine.connect() as connection:
            if not is_sqlite_url(url):
                connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
                connection.commit()
            try:
                command.upgrade(alembic_config(url, connection), "head")
                connection.commit()
                ensure_server_meta(connection)
                connection.commit()
            finally:
                if not is_sqlite_url(url):
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                    connection.commit()
    finally:
        engine.dispose()


def ensure_server_meta(connection: Connection) -> str:
    """The one server_meta row (id 1); its epoch is made once and replaced only by mark-restored."""
    epoch = connection.execute(select(ServerMeta.server_epoch).where(ServerMeta.id == 1)).scalar_one_or_none()
    if epoch is not None:
        return epoch
    epoch = str(uuid.uuid4())
    connection.execute(
        insert(ServerMeta).values(id=1, server_epoch=epoch, min_retained_seq=0, epoch_changed_at=datetime.now(UTC))
    )
    return epoch


def server_epoch(connection: Connection | Session) -> str:
    epoch = connection.execute(select(ServerMeta.server_epoch).where(ServerMeta.id == 1)).scalar_one_or_none()
    if epoch is None:
        raise RuntimeError("server_meta is missing: run `python -m central migrate`")
    return epoch


@dataclass(frozen=True)
class Readiness:
    ok: bool
    detail: str

    def __bool__(self) -> bool:
        return self.ok


def check_ready(engine: Engine) -> Readiness:
    """Ready = the database answers and its schema is at the Alembic head this code expects."""
    try:
        with engine.connect() as connection:
            connection.execute(select(func.now()) if engine.dialect.name == "postgresql" else text("SELECT 1"))
            current = current_revisions(connection)
    except Exception as error:  # any driver error means "not ready", with the reason for the operator
        return Readiness(False, f"database unreachable: {type(error).__name__}: {error}"[:300])
    heads = head_revisions()
    if current != heads:
        have = ",".join(sorted(current)) or "none"
        return Readiness(False, f"schema at {have}, code expects {','.join(sorted(heads))}: run migrate")
    return Readiness(True, "ok")
