"""The migrations build exactly the schema the models describe: a column, index or constraint added to
a model without its migration (or the other way round) fails here, not on a counter after an upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import app.models  # noqa: F401  (every table on the metadata)
from app.db import open_database
from app.db.base import Base

# Made by hand-written migrations, not by models (the FTS5 search index): see migrations/env.py.
UNMODELLED_PREFIX = "property_search"


def test_a_migrated_database_has_no_difference_from_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    try:
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    finally:
        db.dispose()
    differences = [
        change
        for change in diff
        if not (
            isinstance(change, tuple) and change[0] == "remove_table" and change[1].name.startswith(UNMODELLED_PREFIX)
        )
    ]
    assert differences == []
