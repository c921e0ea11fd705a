"""central schema

Revision ID: c0001
Revises:
Create Date: 2026-11-28 13:19:23.428632
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Generated from central.db.models.CentralBase.metadata (autogenerate against an empty PostgreSQL).
    op.create_table(
        "anomaly",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("entity_uuid", sa.String(length=36), nullable=False),
        sa.Column(
            "detail", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anomaly")),
    )
    op.create_index("ix_anomaly_ulb_open", "anomaly", ["ulb_code", "resolved_at"], unique=False)
    op.create_table(
        "change_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_uuid", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("origin_device_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
        sa.UniqueConstraint("seq", name=op.f("uq_change_log_seq")),
    )
    op.create_index("ix_change_log_ulb_seq", "change_log", ["ulb_code", "seq"], unique=False)
    op.create_index(
        "ix_change_log_unstamped",
        "change_log",
        ["id"],
        unique=False,
        postgresql_where=sa.text("seq IS NULL"),
        sqlite_where=sa.text("seq IS NULL"),
    )
    op.create_table(
        "counter_day",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column(
            "opened", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "closed", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_counter_day")),
    )
    op.create_index("ix_counter_day_device_day", "counter_day", ["device_id", "business_date"], unique=False)
    op.create_table(
        "demand_summary",
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("fy", sa.String(length=7), nullable=False),
        sa.Column(
            "by_head", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "by_ward", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("ulb_code", "fy", name=op.f("pk_demand_summary")),
    )
    op.create_table(
        "property",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "fields", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_device_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_property")),
    )
    op.create_index("ix_property_ulb", "property", ["ulb_code"], unique=False)
    op.create_table(
        "quarantined_op",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("op", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_op")),
    )
    op.create_table(
        "receipt",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("receipt_no", sa.String(length=60), nullable=False),
        sa.Column("series_key", sa.String(length=60), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("fy", sa.String(length=7), nullable=False),
        sa.Column("property_uuid", sa.String(length=36), nullable=False),
        sa.Column("payer_name", sa.String(length=200), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("instrument_no", sa.String(length=40), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("server_received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("skew_s", sa.Integer(), nullable=True),
        sa.Column(
            "flags", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_receipt")),
    )
    op.create_index("ix_receipt_property", "receipt", ["property_uuid"], unique=False)
    op.create_index("ix_receipt_device_series", "receipt", ["device_id", "series_key", "seq"], unique=False)
    op.create_index("ix_receipt_series_seq", "receipt", ["series_key", "seq"], unique=False)
    op.create_index("ix_receipt_ulb_day", "receipt", ["ulb_code", "business_date"], unique=False)
    op.create_table(
        "receipt_cancellation",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("receipt_uuid", sa.String(length=36), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "flags", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_receipt_cancellation")),
    )
    op.create_index(
        op.f("ix_receipt_cancellation_receipt_uuid"), "receipt_cancellation", ["receipt_uuid"], unique=False
    )
    op.create_table(
        "server_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_epoch", sa.String(length=36), nullable=False),
        sa.Column("min_retained_seq", sa.BigInteger(), nullable=False),
        sa.Column("epoch_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_meta")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_uuid", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column(
            "fields", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "resolution", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_sync_conflict")),
    )
    op.create_index(op.f("ix_sync_conflict_ulb_code"), "sync_conflict", ["ulb_code"], unique=False)
    op.create_table(
        "sync_op",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column(
            "result", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "op_id", name=op.f("pk_sync_op")),
        sa.UniqueConstraint("device_id", "device_seq", name=op.f("uq_sync_op_device_id_device_seq")),
    )
    op.create_table(
        "ulb",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_hi", sa.String(length=200), nullable=False),
        sa.Column("ulb_class", sa.String(length=3), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("next_device_no", sa.Integer(), nullable=False),
        sa.Column(
            "settings", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ulb")),
    )
    op.create_table(
        "admin_user",
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["ulb_code"], ["ulb.code"], name=op.f("fk_admin_user_ulb_code_ulb")),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_admin_user")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_admin_user_token_sha256")),
    )
    op.create_table(
        "device",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("office_code", sa.String(length=16), nullable=False),
        sa.Column("device_no", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("hostname", sa.String(length=200), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_device_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_backlog", sa.Integer(), nullable=False),
        sa.Column("last_clock_skew_s", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ulb_code"], ["ulb.code"], name=op.f("fk_device_ulb_code_ulb")),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device")),
        sa.UniqueConstraint("ulb_code", "device_no", name=op.f("uq_device_ulb_code_device_no")),
    )
    op.create_table(
        "enrolment_code",
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("ulb_code", sa.String(length=16), nullable=False),
        sa.Column("office_code", sa.String(length=16), nullable=False),
        sa.Column("issued_by", sa.String(length=60), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_device_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["ulb_code"], ["ulb.code"], name=op.f("fk_enrolment_code_ulb_code_ulb")),
        sa.PrimaryKeyConstraint("code_sha256", name=op.f("pk_enrolment_code")),
    )
    op.create_table(
        "receipt_line",
        sa.Column("receipt_uuid", sa.String(length=36), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("fy", sa.String(length=7), nullable=False),
        sa.Column("head", sa.String(length=24), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("receipt_uuid", "ordinal", name=op.f("pk_receipt_line")),
    )
    op.create_table(
        "refresh_token",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("spent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("successor_sha256", sa.String(length=64), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.device_id"], name=op.f("fk_refresh_token_device_id_device")),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_refresh_token")),
    )


def downgrade() -> None:
    # Generated from central.db.models.CentralBase.metadata (autogenerate against an empty PostgreSQL).
    op.drop_table("refresh_token")
    op.drop_table("receipt_line")
    op.drop_table("enrolment_code")
    op.drop_table("device")
    op.drop_table("admin_user")
    op.drop_table("ulb")
    op.drop_table("sync_op")
    op.drop_index(op.f("ix_sync_conflict_ulb_code"), table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_table("server_meta")
    op.drop_index(op.f("ix_receipt_cancellation_receipt_uuid"), table_name="receipt_cancellation")
    op.drop_table("receipt_cancellation")
    op.drop_index("ix_receipt_ulb_day", table_name="receipt")
    op.drop_index("ix_receipt_series_seq", table_name="receipt")
    op.drop_index("ix_receipt_property", table_name="receipt")
    op.drop_index("ix_receipt_device_series", table_name="receipt")
    op.drop_table("receipt")
    op.drop_table("quarantined_op")
    op.drop_index("ix_property_ulb", table_name="property")
    op.drop_table("property")
    op.drop_table("demand_summary")
    op.drop_index("ix_counter_day_device_day", table_name="counter_day")
    op.drop_table("counter_day")
    op.drop_index(
        "ix_change_log_unstamped",
        table_name="change_log",
        postgresql_where=sa.text("seq IS NULL"),
        sqlite_where=sa.text("seq IS NULL"),
    )
    op.drop_index("ix_change_log_ulb_seq", table_name="change_log")
    op.drop_table("change_log")
    op.drop_index("ix_anomaly_ulb_open", table_name="anomaly")
    op.drop_table("anomaly")
