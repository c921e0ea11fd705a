"""Opening the device database with the durability settings DESIGN.md requires.

Every connection gets WAL, synchronous=FULL, foreign keys on and a busy timeout. Transactions
that write start with BEGIN IMMEDIATE (they take the write lock up front, so two writers never
deadlock half-way through a receipt); read-only units of work start with a plain deferred BEGIN.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DB_FILE_NAME = "nikay.sqlite3"
BUSY_TIMEOUT_MS = 10_000
CONNECTION_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)
_WRITE_OPTION = "nikay_write"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Autocommit at the driver level: we issue BEGIN ourselves (see _on_begin), which is the
    # only way to get BEGIN IMMEDIATE through pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in CONNECTION_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=8,
        max_overflow=8,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


@dataclass
class Database:
    """The device database. One per process, built by the composition root and passed in."""

    path: Path
    engine: Engine

    def __post_init__(self) -> None:
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write unit of work: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""
        with self._write_sessions() as session, session.begin():
            session.connection()  # emit BEGIN IMMEDIATE now, not at the first statement
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read unit of work on a consistent snapshot; never writes."""
        with self._read_sessions() as session, session.begin():
            yield session
            session.rollback()

    def raw_connection(self) -> sqlite3.Connection:
        """A plain sqlite3 connection with the same pragmas, for bulk loads and the backup API."""
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        _on_connect(connection, None)
        return connection

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(data_dir: Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the device database under `data_dir` and bring its schema up to date."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_FILE_NAME
    database = Database(path=path, engine=make_engine(path))
    if migrate:
        from app.db.migrate import upgrade_to_head

        upgrade_to_head(database)
    return database
