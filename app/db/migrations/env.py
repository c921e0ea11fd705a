"""Alembic environment for the device database. Imports every model so autogenerate sees them."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

import app.models  # noqa: F401 - registers every table on Base.metadata
from app.db.base import Base

config = context.config
target_metadata = Base.metadata


# Tables made by hand-written migrations, not by models (the FTS5 search index and its helpers):
# autogenerate must not propose dropping them.
UNMODELLED_PREFIXES = ("property_search",)


def include_object(_obj: object, name: str | None, type_: str, reflected: bool, _compare_to: object) -> bool:
    return not (type_ == "table" and reflected and name is not None and name.startswith(UNMODELLED_PREFIXES))


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        # A batch migration rebuilds a table (copy, drop, rename); with foreign keys enforced, the
        # drop of a referenced table (receipt) would fail, or cascade (remote_payment -> its lines).
        # The pragma only takes effect outside a transaction, so it is set first — on the driver's
        # connection: Connection.exec_driver_sql would autobegin a transaction (the engine's BEGIN)
        # and the pragma would silently do nothing. The whole database is checked before commit.
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=include_object,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows whose foreign keys point nowhere: {broken[:5]}")
            connection.commit()
        finally:
            if connection.in_transaction():
                connection.rollback()
            driver.execute("PRAGMA foreign_keys=ON")


run_migrations()
