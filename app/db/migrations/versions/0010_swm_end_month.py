"""swm_payer.end_month: the last month a closed payer is charged

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 17:20:00

A payer closed in December was left out of a November run made after the closing; the month of
closing is now kept, and runs for months up to it still charge the payer. Payers closed before this
revision get their start month (charged at most from then: the earlier behaviour, nothing new raised).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("swm_payer", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("end_month", sa.String(length=7), server_default="", nullable=False))
    op.execute("UPDATE swm_payer SET end_month = start_month WHERE status = 'CLOSED'")


def downgrade() -> None:
    with op.batch_alter_table("swm_payer", schema=None) as batch_op:
        batch_op.drop_column("end_month")
