"""trade: schema changes after 0005 (owned by the trade work of issue 5): an index on the licence a
renewal renews (the renewal due list and the one-renewal-per-licence check look it up)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 16:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_trade_licence_previous", "trade_licence", ["previous_licence_uuid"])


def downgrade() -> None:
    op.drop_index("ix_trade_licence_previous", table_name="trade_licence")
