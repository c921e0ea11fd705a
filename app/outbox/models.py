"""The transactional outbox: operations for the central, written in the same transaction as their
effects. sync/ reads and pushes them; app/ only appends.

A row is `pending` until the central reports a durable result for it: `acked` (accepted or
duplicate), `conflict` (master data: acknowledged, a supervisor decides the rest) or `quarantined`
(the central could not read it: kept, shown, never dropped). Money rows are never deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UtcDateTime

OUTBOX_STATES = ("pending", "acked", "conflict", "quarantined")


class OutboxOperation(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_lane", "state", "lane", "device_seq"),
        Index("ix_outbox_entity", "entity_uuid"),
        CheckConstraint("state IN ('pending', 'acked', 'conflict', 'quarantined')", name="state_known"),
    )

    device_seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)  # monotonic
    op_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. receipt.created
    entity_uuid: Mapped[str] = mapped_column(String(36))
    payload_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The column keeps its issue-2 name; it is the moment the central acknowledged the row.
    acked_at: Mapped[datetime | None] = mapped_column("acknowledged_at", UtcDateTime(), default=None)
    state: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending")
    lane: Mapped[int] = mapped_column(default=2, server_default="2")  # 0 money, 1 master data, 2 other
    payload_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    device_time: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    base_version: Mapped[int | None] = mapped_column(default=None)
    base_values_json: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    server_result: Mapped[str | None] = mapped_column(Text, default=None)  # the OpResult as JSON
    reconciled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
