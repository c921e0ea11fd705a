"""issue 5: synced records (water connections, readings, licences, SWM payers, service demands)

Revision ID: c0004
Revises: c0003
Create Date: 2026-11-28 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c0004"
down_revision: str | None = "c0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # central/db/records_models.py SyncedRecord
    op.create_table(
        "synced_record",
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fields", _JSON, nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=False),
        sa.Column("updated_by_device_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ulb_code", "entity", "uuid", name=op.f("pk_synced_record")),
    )


def downgrade() -> None:
    op.drop_table("synced_record")
