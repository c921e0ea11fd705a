from __future__ import annotations

import threading

from sqlalchemy import text

from app.db import Database


def _pragmas(connection: object) -> tuple[str, int, int]:
    exec_ = connection.exec_driver_sql  # type: ignore[attr-defined]
    return (
        exec_("PRAGMA journal_mode").scalar(),
        exec_("PRAGMA synchronous").scalar(),
        exec_("PRAGMA foreign_keys").scalar(),
    )


def test_every_pooled_connection_is_durable(db: Database) -> None:
    # Open several connections at once so the pool has to create new ones.
    connections = [db.engine.connect() for _ in range(4)]
    try:
        for connection in connections:
            assert _pragmas(connection) == ("wal", 2, 1)  # synchronous=FULL is 2
    finally:
        for connection in connections:
            connection.close()


def test_connections_from_other_threads_are_durable(db: Database) -> None:
    seen: list[tuple[str, int, int]] = []

    def worker() -> None:
        with db.engine.connect() as connection:
            seen.append(_pragmas(connection))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [("wal", 2, 1)] * 3


def test_raw_connection_is_durable(db: Database) -> None:
    raw = db.raw_connection()
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA synchronous").fetchone() == (2,)
        assert raw.execute("PRAGMA foreign_keys").fetchone() == (1,)
    finally:
        raw.close()


def test_write_units_take_the_write_lock_up_front(db: Database) -> None:
    with db.write() as session:
        # Inside BEGIN IMMEDIATE another connection cannot start writing.
        other = db.raw_connection()
        other.execute("PRAGMA busy_timeout=0")
        try:
            other.execute("BEGIN IMMEDIATE")
        except Exception as error:  # sqlite3.OperationalError: database is locked
            assert "locked" in str(error)
        else:  # pragma: no cover - would mean we started a deferred transaction
            raise AssertionError("a second writer got the lock during a write unit of work")
        finally:
            other.close()
        session.execute(text("SELECT 1"))


def test_a_failed_write_leaves_nothing(db: Database) -> None:
    try:
        with db.write() as session:
            session.execute(
                text("INSERT INTO ulb (code, name_en, name_hi, ulb_class, district) VALUES ('X', 'X', 'X', 'NN', '')")
            )
            raise RuntimeError("power cut")
    except RuntimeError:
        pass
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM ulb")).scalar() == 0


def test_foreign_keys_are_enforced(db: Database) -> None:
    import sqlalchemy.exc

    try:
        with db.write() as session:
            session.execute(text("INSERT INTO zone (ulb_code, code, name_en, name_hi) VALUES ('NOPE','A','a','a')"))
    except sqlalchemy.exc.IntegrityError:
        return
    raise AssertionError("a zone of an unknown ULB was accepted")
