"""Solid-waste user-charge payers: a household billed with its property, or a payer of its own
(a shop in a rented property, a hotel, a street vendor — who is exempt but still registered)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, ExactDecimal, UtcDateTime


class SwmPayer(Base):
    __tablename__ = "swm_payer"
    __table_args__ = (
        UniqueConstraint("ulb_code", "payer_id"),
        Index("ix_swm_payer_payer_id", "payer_id"),
        Index("ix_swm_payer_property", "property_uuid"),
        CheckConstraint("status IN ('ACTIVE', 'CLOSED')", name="status_known"),
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    payer_id: Mapped[str] = mapped_column(String(30))  # e.g. UC-05-000123
    property_uuid: Mapped[str | None] = mapped_column(ForeignKey("property.uuid"), default=None)
    # True: its charge appears on the property's bill; False: it is its own payer (a tenant shop).
    billed_with_property: Mapped[bool] = mapped_column(default=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_hi: Mapped[str] = mapped_column(String(200), default="")
    mobile: Mapped[str] = mapped_column(String(15), default="")
    address_en: Mapped[str] = mapped_column(String(300), default="")
    address_hi: Mapped[str] = mapped_column(String(300), default="")
    ward_no: Mapped[int]
    category: Mapped[str] = mapped_column(String(24))  # a key of the SWM tariff's categories
    built_up_sqft: Mapped[Decimal | None] = mapped_column(ExactDecimal(), default=None)  # households: the slab
    status: Mapped[str] = mapped_column(String(8), default="ACTIVE")
    start_month: Mapped[str] = mapped_column(String(7))  # "2026-04": first month charged
    # The last month charged, set when the payer is closed ("" while active): a month generated after
    # the closing is still charged if it is not later than this.
    end_month: Mapped[str] = mapped_column(String(7), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(default=1)
    server_version: Mapped[int] = mapped_column(default=0, server_default="0")
