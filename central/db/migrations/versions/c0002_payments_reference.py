"""payments reference: online payments, the online receipt series, ULB users, tariff files, settings

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-28 13:20:59.629688
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c0002"
down_revision: str | None = "c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Generated from central.payments.models (autogenerate against PostgreSQL at c0001).
    op.create_table(
        "online_payment",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("property_uuid", sa.String(length=36), nullable=False),
        sa.Column("payer_name", sa.String(length=200), nullable=False),
        sa.Column(
            "lines", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("gateway", sa.String(length=20), nullable=False),
        sa.Column("gateway_txn_id", sa.String(length=64), nullable=True),
        sa.Column("paid_amount_paise", sa.BigInteger(), nullable=True),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt_uuid", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_online_payment")),
        sa.UniqueConstraint("gateway_txn_id", name=op.f("uq_online_payment_gateway_txn_id")),
    )
    op.create_index(op.f("ix_online_payment_property_uuid"), "online_payment", ["property_uuid"], unique=False)
    op.create_index(op.f("ix_online_payment_ulb_code"), "online_payment", ["ulb_code"], unique=False)
    op.create_table(
        "online_series",
        sa.Column("series_key", sa.String(length=60), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("series_key", name=op.f("pk_online_series")),
    )
    op.create_table(
        "tariff_file",
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ulb_code", "name", name=op.f("pk_tariff_file")),
    )
    op.create_table(
        "ulb_setting",
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ulb_code", "key", name=op.f("pk_ulb_setting")),
    )
    op.create_table(
        "ulb_user",
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ulb_code", "username", name=op.f("pk_ulb_user")),
    )


def downgrade() -> None:
    op.drop_table("ulb_user")
    op.drop_table("ulb_setting")
    op.drop_table("tariff_file")
    op.drop_table("online_series")
    op.drop_index(op.f("ix_online_payment_ulb_code"), table_name="online_payment")
    op.drop_index(op.f("ix_online_payment_property_uuid"), table_name="online_payment")
    op.drop_table("online_payment")
