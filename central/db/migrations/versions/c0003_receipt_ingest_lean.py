"""receipt ingest, lean: no JSONB copy of a device receipt's payload (payload_sha256 instead), no
(device, series, seq) index (receipt_series instead), lz4 for the feed's payloads; issue 5:
receipt.property_uuid nullable, and receipt_line service / account / period

Revision ID: c0003
Revises: c0002
Create Date: 2026-11-28 15:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c0003"
down_revision: str | None = "c0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "receipt_series",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("series_key", sa.String(length=60), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "series_key", name=op.f("pk_receipt_series")),
    )
    op.execute(
        "INSERT INTO receipt_series (device_id, series_key, ulb_code) "
        "SELECT DISTINCT device_id, series_key, ulb_code FROM receipt WHERE device_id <> ''"
    )
    with op.batch_alter_table("receipt") as batch:
        batch.add_column(sa.Column("payload_sha256", sa.String(length=64), server_default="", nullable=False))
        batch.alter_column("payload", existing_type=_JSON, nullable=True)
        batch.alter_column("property_uuid", existing_type=sa.String(length=36), nullable=True)
        batch.drop_index("ix_receipt_device_series")
    # Receipts stored before this revision keep their payload (payload_sha256 ''): the ingest hashes
    # that payload when a device sends the same uuid again.
    if op.get_bind().dialect.name == "postgresql":
        # A push's receipts go to the feed as one payment_batch row (~300 bytes of JSON a receipt):
        # lz4 compresses it for a fraction of pglz's CPU (PostgreSQL 14+, when built with lz4).
        op.execute(
            "DO $$ BEGIN ALTER TABLE change_log ALTER COLUMN payload SET COMPRESSION lz4; "
            "EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$"
        )
    with op.batch_alter_table("receipt_line") as batch:
        batch.add_column(sa.Column("service", sa.String(length=8), server_default="PROPERTY", nullable=False))
        batch.add_column(sa.Column("account", sa.String(length=36), server_default="", nullable=False))
        batch.add_column(sa.Column("period", sa.String(length=10), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("receipt_line") as batch:
        batch.drop_column("period")
        batch.drop_column("account")
        batch.drop_column("service")
    with op.batch_alter_table("receipt") as batch:
        batch.create_index("ix_receipt_device_series", ["device_id", "series_key", "seq"], unique=False)
        batch.drop_column("payload_sha256")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE change_log ALTER COLUMN payload SET COMPRESSION default")
    # payload and property_uuid stay nullable: rows stored since c0003 may hold NULL there.
    op.drop_table("receipt_series")
