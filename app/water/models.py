"""Water connections. A connection is a synced record (uuid, version, server_version like property)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UtcDateTime


class WaterConnection(Base):
    __tablename__ = "water_connection"
    __table_args__ = (
        UniqueConstraint("ulb_code", "consumer_no"),
        Index("ix_water_connection_consumer_no", "consumer_no"),  # counter search by prefix
        Index("ix_water_connection_property", "property_uuid"),
        CheckConstraint("category IN ('DOMESTIC', 'COMMERCIAL', 'INDUSTRIAL', 'BULK')", name="category_known"),
        CheckConstraint("status IN ('ACTIVE', 'DISCONNECTED')", name="status_known"),
        CheckConstraint("billing_cycle IN ('MONTHLY', 'QUARTERLY')", name="cycle_known"),
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    consumer_no: Mapped[str] = mapped_column(String(30))  # e.g. W-05-000123
    property_uuid: Mapped[str | None] = mapped_column(ForeignKey("property.uuid"), default=None)
    holder_name_en: Mapped[str] = mapped_column(String(200))
    holder_name_hi: Mapped[str] = mapped_column(String(200), default="")
    mobile: Mapped[str] = mapped_column(String(15), default="")
    address_en: Mapped[str] = mapped_column(String(300), default="")
    address_hi: Mapped[str] = mapped_column(String(300), default="")
    ward_no: Mapped[int]
    category: Mapped[str] = mapped_column(String(12))
    pipe_size_mm: Mapped[int] = mapped_column(default=15)  # 15 = ½", 20 = ¾", 25 = 1"
    metered: Mapped[bool] = mapped_column(default=False)
    meter_no: Mapped[str] = mapped_column(String(30), default="")
    billing_cycle: Mapped[str] = mapped_column(String(10), default="MONTHLY")
    status: Mapped[str] = mapped_column(String(12), default="ACTIVE")
    connected_on: Mapped[str] = mapped_column(String(10))  # ISO date; demand starts the month after
    disconnected_on: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(default=1)
    server_version: Mapped[int] = mapped_column(default=0, server_default="0")


class MeterReading(Base):
    """A reading of a metered connection. Append-only; a correction is a new reading with a note."""

    __tablename__ = "meter_reading"
    __table_args__ = (
        UniqueConstraint("connection_uuid", "reading_date"),
        CheckConstraint("reason IN ('', 'METER_REPLACED', 'ROLLED_OVER')", name="reason_known"),
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    connection_uuid: Mapped[str] = mapped_column(ForeignKey("water_connection.uuid"))
    reading_date: Mapped[str] = mapped_column(String(10))  # ISO date
    reading_litres: Mapped[int]
    consumption_litres: Mapped[int]  # since the previous reading (the reason explains a lower reading)
    reason: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WaterConnectionEvent(Base):
    """What happened to a connection: CONNECTED, REGULARISED, DISCONNECTED, RECONNECTED."""

    __tablename__ = "water_connection_event"
    __table_args__ = (Index("ix_water_connection_event_connection", "connection_uuid"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    connection_uuid: Mapped[str] = mapped_column(ForeignKey("water_connection.uuid"))
    kind: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    fee_paise: Mapped[int] = mapped_column(default=0)  # the fee raised as a service_demand, if any
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
