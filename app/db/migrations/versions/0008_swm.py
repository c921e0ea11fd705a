"""swm: schema changes after 0005 (owned by the swm work of issue 5): indexes for the DCB statement

The DCB statement (app/reports/dcb.py) reads every demand and receipt line of a year in a few
GROUP BY queries; these covering indexes let SQLite answer them from the index alone instead of a
table look-up per row (300,000 properties: about 3.7 s of CPU down to 2 s). They sit on tables of
other capabilities (demand, receipt, receipt_line, property), and are declared in those models too
(tests/unit/test_schema_matches_models.py checks models and migrations agree).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 16:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DCB_INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_dcb_demand_fy", "demand", ["fy", "property_uuid", "head", "amount_paise"]),
    (
        "ix_dcb_receipt_line",
        "receipt_line",
        ["receipt_uuid", "service", "fy", "head", "amount_paise", "account", "period"],
    ),
    ("ix_dcb_receipt_date", "receipt", ["business_date", "uuid", "property_uuid", "amount_paise"]),
    ("ix_dcb_property_ward", "property", ["uuid", "ward_no"]),
)


def upgrade() -> None:
    for name, table, columns in DCB_INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(DCB_INDEXES):
        op.drop_index(name, table_name=table)
