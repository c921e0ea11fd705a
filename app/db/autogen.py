"""Developer tool: write an Alembic migration from the models.

python -m app.db.autogen "add water connections"     # a new revision on top of head
python -m app.db.autogen --initial                   # rewrite 0001 (only before the first release)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from app.db.engine import Database, make_engine
from app.db.migrate import MIGRATIONS_DIR, alembic_config, upgrade_to_head


def main(argv: list[str]) -> None:
    initial = "--initial" in argv
    message = next((arg for arg in argv if not arg.startswith("--")), "initial schema")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "autogen.sqlite3"
        database = Database(path=path, engine=make_engine(path))
        config = alembic_config(database)
        if initial:
            versions = MIGRATIONS_DIR / "versions"
            for old in versions.glob("0001_*.py"):
                old.unlink()
            # Later revisions (hand-written ones like 0002) stand aside while 0001 is written afresh.
            later = sorted(versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
            aside = Path(scratch) / "later"
            aside.mkdir()
            for path in later:
                path.rename(aside / path.name)
            try:
                command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
            finally:
                for path in later:
                    (aside / path.name).rename(path)
        else:
            upgrade_to_head(database)
            existing = sorted((MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
            next_id = f"{int(existing[-1].name[:4]) + 1:04d}" if existing else "0001"
            command.revision(config, message=message, autogenerate=True, rev_id=next_id)
        database.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
