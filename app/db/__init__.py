"""The device's local SQLite database: engine, sessions, migrations, backups."""

from app.db.engine import Database, open_database

__all__ = ["Database", "open_database"]
