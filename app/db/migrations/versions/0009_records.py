"""records: payments from other counters carry their service lines (issue 5 follow-up)

- remote_payment_line gains service / account / period (server defaults as receipt_line's), so a
  water, licence or user-charge line paid at another counter counts as paid here too.
- remote_payment.property_uuid becomes nullable: a receipt for services only has no property (the
  device used to store the text "None" for it; such rows become NULL).
- Rows pulled before this migration are filled in from the payload they were stored with (the central
  already sent service/account/period on non-property lines); a line is only filled in when the
  payload's line at the same position has the same fy, head and amount (an online payment's lines
  are this device's re-allocation, not the payload's).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 16:10:00
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _rebuild_remote_payment("property_uuid VARCHAR(36) NOT NULL,", "property_uuid VARCHAR(36),")
    op.execute("UPDATE remote_payment SET property_uuid = NULL WHERE property_uuid IN ('None', '')")

    with op.batch_alter_table("remote_payment_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service", sa.String(length=8), server_default="PROPERTY", nullable=False))
        batch_op.add_column(sa.Column("account", sa.String(length=36), server_default="", nullable=False))
        batch_op.add_column(sa.Column("period", sa.String(length=12), server_default="", nullable=False))
        batch_op.create_index("ix_remote_payment_line_account", ["account", "period"], unique=False)

    _fill_service_lines()


def downgrade() -> None:
    with op.batch_alter_table("remote_payment_line", schema=None) as batch_op:
        batch_op.drop_index("ix_remote_payment_line_account")
        batch_op.drop_column("period")
        batch_op.drop_column("account")
        batch_op.drop_column("service")
    op.execute("UPDATE remote_payment SET property_uuid = '' WHERE property_uuid IS NULL")
    _rebuild_remote_payment("property_uuid VARCHAR(36),", "property_uuid VARCHAR(36) NOT NULL,")


def _fill_service_lines() -> None:
    """service/account/period of lines pulled before this revision, from the stored payload."""
    bind = op.get_bind()
    payments = bind.exec_driver_sql(
        "SELECT uuid, payload_json FROM remote_payment WHERE payload_json LIKE '%\"service\"%'"
    ).fetchall()
    for uuid, payload_json in payments:
        try:
            payload = json.loads(payload_json)
        except ValueError:
            continue
        sent = payload.get("lines") if isinstance(payload, dict) else None
        if not isinstance(sent, list):
            continue
        stored = bind.exec_driver_sql(
            "SELECT id, ordinal, fy, head, amount_paise FROM remote_payment_line WHERE payment_uuid = ?", (uuid,)
        ).fetchall()
        for line_id, ordinal, fy, head, amount in stored:
            line = sent[ordinal] if 0 <= ordinal < len(sent) else None
            if not isinstance(line, dict) or not line.get("service") or line.get("service") == "PROPERTY":
                continue
            if (str(line.get("fy")), str(line.get("head")), line.get("amount_paise")) != (fy, head, amount):
                continue
            bind.exec_driver_sql(
                "UPDATE remote_payment_line SET service = ?, account = ?, period = ? WHERE id = ?",
                (str(line["service"]), str(line.get("account") or ""), str(line.get("period") or ""), line_id),
            )


def _rebuild_remote_payment(old_column: str, new_column: str) -> None:
    """SQLite's own recipe for changing a column (as 0005 does for receipt): a new table from the old
    one's SQL with the one column changed, copy, drop, rename, indexes back — so the schema text is
    the same on every device. Foreign keys are off for the duration (the environment), so dropping
    the old table does not cascade to remote_payment_line."""
    bind = op.get_bind()
    # With foreign keys on, DROP TABLE would delete every line through ON DELETE CASCADE.
    assert bind.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0, "foreign keys must be off to rebuild"
    table_sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'remote_payment'"
    ).scalar()
    assert isinstance(table_sql, str) and old_column in table_sql, "remote_payment table is not as expected"
    index_sql = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'remote_payment' AND sql IS NOT NULL"
        )
    ]
    changed = table_sql.replace(old_column, new_column, 1)
    new_sql = re.sub(r'^CREATE TABLE "?remote_payment"?', "CREATE TABLE remote_payment_new", changed)
    op.execute(new_sql)
    op.execute("INSERT INTO remote_payment_new SELECT * FROM remote_payment")
    op.execute("DROP TABLE remote_payment")
    op.execute('ALTER TABLE remote_payment_new RENAME TO "remote_payment"')
    for sql in index_sql:
        op.execute(sql)
