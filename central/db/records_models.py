"""Issue 5's synced records at the central: water connections, meter readings, connection events,
trade licences and their events, SWM payers and service demands (app.replica.records).

One generic table: the device's row as JSON `fields`, keyed by (ulb_code, entity, uuid), with a
version bumped on every applied change (like `property`). Keyed by ULB first: a uuid sent by a
device of another ULB can never touch, or even see, this ULB's row. Registered on CentralBase's
metadata (Alembic: migration c0004)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from central.db.models import CentralBase, Json, Utc


class SyncedRecord(CentralBase):
    __tablename__ = "synced_record"

    # The primary key (ulb_code, entity, uuid) is also the snapshot's paging order.
    ulb_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity: Mapped[str] = mapped_column(String(30), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(Json)
    origin_device_id: Mapped[str] = mapped_column(String(36))  # the device that sent it first
    updated_by_device_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(Utc)
    updated_at: Mapped[datetime] = mapped_column(Utc)
