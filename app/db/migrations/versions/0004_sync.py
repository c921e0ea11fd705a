"""sync: outbox states and lanes, replica tables, property.server_version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 13:40:00

Hand-written so an existing demo database upgrades: old outbox rows get their lane, canonical
payload hash and device time back-filled; a row already acknowledged becomes `acked`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = (
    "receipt.created",
    "receipt.cancelled",
    "receipt.dishonoured",
    "counter_session.opened",
    "counter_session.closed",
)
_MASTER = ("property.created", "property.updated", "sync_conflict.resolved", "demand.summary")


def _canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("state", sa.String(12), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("lane", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(sa.Column("payload_sha256", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("device_time", app.db.base.UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("base_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("base_values_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("server_result", sa.Text(), nullable=True))
        batch.add_column(sa.Column("reconciled_at", app.db.base.UtcDateTime(), nullable=True))
        batch.create_check_constraint("state_known", "state IN ('pending', 'acked', 'conflict', 'quarantined')")
        batch.create_index("ix_outbox_state_lane", ["state", "lane", "device_seq"])
        batch.create_index("ix_outbox_entity", ["entity_uuid"])

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT device_seq, kind, payload_json, acknowledged_at FROM outbox")).all()
    for device_seq, kind, payload_json, acknowledged_at in rows:
        payload = json.loads(payload_json)
        lane = 0 if kind in _MONEY else 1 if kind in _MASTER else 2
        connection.execute(
            sa.text(
                "UPDATE outbox SET lane = :lane, payload_json = :payload, payload_sha256 = :sha, "
                "device_time = created_at, state = :state WHERE device_seq = :seq"
            ),
            {
                "lane": lane,
                "payload": _canonical(payload),
                "sha": hashlib.sha256(_canonical(payload).encode()).hexdigest(),
                "state": "acked" if acknowledged_at is not None else "pending",
                "seq": device_seq,
            },
        )

    with op.batch_alter_table("property") as batch:
        batch.add_column(sa.Column("server_version", sa.Integer(), nullable=False, server_default="0"))

    op.create_table(
        "sync_meta",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_meta")),
    )
    op.create_table(
        "remote_payment",
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("receipt_no", sa.String(60), nullable=False),
        sa.Column("property_uuid", sa.String(36), nullable=False),
        sa.Column("business_date", sa.String(10), nullable=False),
        sa.Column("amount_paise", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("origin_device_id", sa.String(36), nullable=False),
        sa.Column("collected_at", app.db.base.UtcDateTime(), nullable=True),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("received_at", app.db.base.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_remote_payment")),
    )
    op.create_index("ix_remote_payment_property", "remote_payment", ["property_uuid"])
    op.create_table(
        "remote_payment_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payment_uuid", sa.String(36), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("fy", sa.String(7), nullable=False),
        sa.Column("head", sa.String(24), nullable=False),
        sa.Column("amount_paise", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_uuid"],
            ["remote_payment.uuid"],
            name=op.f("fk_remote_payment_line_payment_uuid_remote_payment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remote_payment_line")),
    )
    op.create_index("ix_remote_payment_line_payment", "remote_payment_line", ["payment_uuid"])
    op.create_table(
        "remote_payment_cancellation",
        sa.Column("receipt_uuid", sa.String(36), nullable=False),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("received_at", app.db.base.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("receipt_uuid", name=op.f("pk_remote_payment_cancellation")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(30), nullable=False),
        sa.Column("entity_uuid", sa.String(36), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("created_at", app.db.base.UtcDateTime(), nullable=False),
        sa.Column("resolved_at", app.db.base.UtcDateTime(), nullable=True),
        sa.Column("resolution_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_sync_conflict")),
    )


def downgrade() -> None:
    op.drop_table("sync_conflict")
    op.drop_table("remote_payment_cancellation")
    op.drop_index("ix_remote_payment_line_payment", table_name="remote_payment_line")
    op.drop_table("remote_payment_line")
    op.drop_index("ix_remote_payment_property", table_name="remote_payment")
    op.drop_table("remote_payment")
    op.drop_table("sync_meta")
    with op.batch_alter_table("property") as batch:
        batch.drop_column("server_version")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_entity")
        batch.drop_index("ix_outbox_state_lane")
        batch.drop_constraint("ck_outbox_state_known", type_="check")
        for column in (
            "reconciled_at",
            "server_result",
            "last_error",
            "attempts",
            "base_values_json",
            "base_version",
            "device_time",
            "payload_sha256",
            "lane",
            "state",
        ):
            batch.drop_column(column)
