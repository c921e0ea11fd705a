"""Trade licences: one row per application (new or renewal); the licence number appears at issue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, ExactDecimal, UtcDateTime

LICENCE_STATUSES = (
    "APPLIED",
    "DOCUMENT_CHECK",
    "INSPECTION",
    "APPROVED",  # fee demand raised; waits for payment at the counter
    "ISSUED",  # fee paid and certificate issued
    "REJECTED",
    "EXPIRED",
)


class TradeLicence(Base):
    __tablename__ = "trade_licence"
    __table_args__ = (
        UniqueConstraint("ulb_code", "application_no"),
        UniqueConstraint("ulb_code", "licence_no"),
        Index("ix_trade_licence_licence_no", "licence_no"),
        Index("ix_trade_licence_property", "property_uuid"),
        Index("ix_trade_licence_status", "status"),
        Index("ix_trade_licence_previous", "previous_licence_uuid"),  # renewals of a licence (0007)
        CheckConstraint("application_type IN ('NEW', 'RENEWAL')", name="type_known"),
        CheckConstraint("trade_kind IN ('SHOP', 'GUMTI', 'THELA', 'VEHICLE')", name="kind_known"),
        CheckConstraint(
            "status IN ('APPLIED', 'DOCUMENT_CHECK', 'INSPECTION', 'APPROVED', 'ISSUED', 'REJECTED', 'EXPIRED')",
            name="status_known",
        ),
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    application_no: Mapped[str] = mapped_column(String(30))  # e.g. TLA/2026-27/00012
    licence_no: Mapped[str | None] = mapped_column(String(30), default=None)  # set at issue
    application_type: Mapped[str] = mapped_column(String(8), default="NEW")
    previous_licence_uuid: Mapped[str | None] = mapped_column(String(36), default=None)  # a renewal's predecessor
    property_uuid: Mapped[str | None] = mapped_column(ForeignKey("property.uuid"), default=None)
    trade_name: Mapped[str] = mapped_column(String(200))
    trade_name_hi: Mapped[str] = mapped_column(String(200), default="")
    owner_name_en: Mapped[str] = mapped_column(String(200))
    owner_name_hi: Mapped[str] = mapped_column(String(200), default="")
    mobile: Mapped[str] = mapped_column(String(15), default="")
    address_en: Mapped[str] = mapped_column(String(300), default="")
    address_hi: Mapped[str] = mapped_column(String(300), default="")
    ward_no: Mapped[int]
    trade_kind: Mapped[str] = mapped_column(String(8))  # SHOP pays per sq ft; the others a flat fee
    road_width_m: Mapped[Decimal | None] = mapped_column(ExactDecimal(), default=None)  # SHOP only
    area_sqft: Mapped[Decimal | None] = mapped_column(ExactDecimal(), default=None)  # SHOP only
    licence_year: Mapped[str] = mapped_column(String(7))  # FY code; the licence expires at its end
    status: Mapped[str] = mapped_column(String(16), default="APPLIED")
    applied_on: Mapped[str] = mapped_column(String(10))  # ISO date (deemed grant counts from it)
    decided_on: Mapped[str] = mapped_column(String(10), default="")  # approved or rejected
    issued_on: Mapped[str] = mapped_column(String(10), default="")
    valid_to: Mapped[str] = mapped_column(String(10), default="")
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    fee_paise: Mapped[int] = mapped_column(default=0)  # computed from the tariff at approval
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(default=1)
    server_version: Mapped[int] = mapped_column(default=0, server_default="0")


class TradeLicenceEvent(Base):
    """Each workflow step: who moved the application from which status to which, and why."""

    __tablename__ = "trade_licence_event"
    __table_args__ = (Index("ix_trade_licence_event_licence", "licence_uuid"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    licence_uuid: Mapped[str] = mapped_column(ForeignKey("trade_licence.uuid"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(24))
    remarks: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
