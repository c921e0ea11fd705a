"""Alembic environment of the central database (found by path from central.db.engine.alembic_config)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

import central.db.records_models  # issue 5: synced_record lives on CentralBase too (migration c0004)
import central.payments.models  # noqa: F401 - its tables live on CentralBase too (migration c0002)
from central.db.models import CentralBase

config = context.config
target_metadata = CentralBase.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as fresh:
            _run(fresh)
            fresh.commit()
    finally:
        engine.dispose()


run_migrations()
