"""property search index (FTS5), kept in sync with property and owner by triggers

Hand-written (Alembic cannot autogenerate virtual tables or triggers). The SQL is frozen here on
purpose; app/property/search.py documents how the index is read and bulk-maintained.

- property_search_doc: a stable integer id per property (FTS5 needs an integer rowid; the implicit
  rowid of `property` may change on VACUUM, so it is not used).
- property_search: FTS5, one row per property: pid (property ID + old ID), name (owners' names in
  both scripts), nkey (owners' spelling-folded name keys, owner.search_key). Devanagari matras and
  virama are combining marks (category M), so they are declared token characters. Prefix indexes
  of 2 and 3 characters keep search-as-you-type fast from the second letter (a 1-character index
  would double the build time of a 500,000-property demo for queries nobody needs).
- property_search_state: one row; bulk loaders set suspended=1 inside their own transaction and
  index the new rows in bulk before committing (app.property.search.BulkIndexing).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = "(SELECT suspended FROM property_search_state WHERE id = 1) = 0"


def _refresh(uuid_expr: str) -> str:
    """Statements that rewrite the index row of the property `uuid_expr` (NEW.x / OLD.x)."""
    return f"""
    DELETE FROM property_search
     WHERE rowid = (SELECT docid FROM property_search_doc WHERE property_uuid = {uuid_expr});
    INSERT INTO property_search(rowid, pid, name, nkey)
    SELECT d.docid,
           p.property_id || ' ' || p.old_id,
           coalesce((SELECT group_concat(o.name_en || ' ' || o.name_hi, ' ') FROM owner o
                     WHERE o.property_uuid = p.uuid), ''),
           coalesce((SELECT group_concat(o.search_key, ' ') FROM owner o WHERE o.property_uuid = p.uuid), '')
      FROM property_search_doc d JOIN property p ON p.uuid = d.property_uuid
     WHERE p.uuid = {uuid_expr};"""


STATEMENTS = [
    "CREATE TABLE property_search_doc ("
    " docid INTEGER PRIMARY KEY,"
    " property_uuid VARCHAR(36) NOT NULL UNIQUE)",
    "CREATE TABLE property_search_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " suspended INTEGER NOT NULL DEFAULT 0)",
    "INSERT INTO property_search_state(id, suspended) VALUES (1, 0)",
    "CREATE VIRTUAL TABLE property_search USING fts5("
    " pid, name, nkey,"
    " tokenize = \"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\","
    " prefix = '2 3', detail = column, columnsize = 0)",
    f"""CREATE TRIGGER property_search_ai AFTER INSERT ON property WHEN {_ACTIVE}
    BEGIN
    INSERT OR IGNORE INTO property_search_doc(property_uuid) VALUES (NEW.uuid);
    {_refresh("NEW.uuid")}
    END""",
    f"""CREATE TRIGGER property_search_au AFTER UPDATE OF property_id, old_id ON property WHEN {_ACTIVE}
    BEGIN
    {_refresh("NEW.uuid")}
    END""",
    """CREATE TRIGGER property_search_ad AFTER DELETE ON property
    BEGIN
    DELETE FROM property_search
     WHERE rowid = (SELECT docid FROM property_search_doc WHERE property_uuid = OLD.uuid);
    DELETE FROM property_search_doc WHERE property_uuid = OLD.uuid;
    END""",
    f"""CREATE TRIGGER owner_search_ai AFTER INSERT ON owner WHEN {_ACTIVE}
    BEGIN
    {_refresh("NEW.property_uuid")}
    END""",
    f"""CREATE TRIGGER owner_search_au AFTER UPDATE ON owner WHEN {_ACTIVE}
    BEGIN
    {_refresh("OLD.property_uuid")}
    {_refresh("NEW.property_uuid")}
    END""",
    f"""CREATE TRIGGER owner_search_ad AFTER DELETE ON owner WHEN {_ACTIVE}
    BEGIN
    {_refresh("OLD.property_uuid")}
    END""",
    # index what is already there (a database created before this revision)
    "INSERT INTO property_search_doc(property_uuid) SELECT uuid FROM property ORDER BY rowid",
    """INSERT INTO property_search(rowid, pid, name, nkey)
    SELECT d.docid, p.property_id || ' ' || p.old_id,
           coalesce((SELECT group_concat(o.name_en || ' ' || o.name_hi, ' ') FROM owner o
                     WHERE o.property_uuid = p.uuid), ''),
           coalesce((SELECT group_concat(o.search_key, ' ') FROM owner o WHERE o.property_uuid = p.uuid), '')
      FROM property_search_doc d JOIN property p ON p.uuid = d.property_uuid""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for trigger in (
        "owner_search_ad",
        "owner_search_au",
        "owner_search_ai",
        "property_search_ad",
        "property_search_au",
        "property_search_ai",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS property_search")
    op.execute("DROP TABLE IF EXISTS property_search_state")
    op.execute("DROP TABLE IF EXISTS property_search_doc")
