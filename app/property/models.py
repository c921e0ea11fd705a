from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.db.base import Base, ExactDecimal, UtcDateTime


class Property(Base):
    __tablename__ = "property"
    __table_args__ = (
        UniqueConstraint("ulb_code", "property_id"),
        Index("ix_property_old_id", "old_id"),
        Index("ix_property_property_id", "property_id"),  # search-as-you-type by ID prefix
        Index("ix_dcb_property_ward", "uuid", "ward_no"),  # DCB by ward from the index alone
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    property_id: Mapped[str] = mapped_column(String(40))
    old_id: Mapped[str] = mapped_column(String(40), default="")
    ward_no: Mapped[int]
    zone_code: Mapped[str] = mapped_column(String(8))
    address_en: Mapped[str] = mapped_column(String(300), default="")
    address_hi: Mapped[str] = mapped_column(String(300), default="")
    open_land_sqft: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal(0))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(default=1)
    # The version the central last confirmed (sync); 0 = never synced. A local edit sends it as
    # base_version so the central can merge field by field.
    server_version: Mapped[int] = mapped_column(default=0, server_default="0")

    owners: Mapped[list[Owner]] = relationship(
        back_populates="property", order_by="Owner.ordinal", cascade="all, delete-orphan"
    )
    units: Mapped[list[Unit]] = relationship(
        back_populates="property", order_by="Unit.ordinal", cascade="all, delete-orphan"
    )
    returns: Mapped[list[ReturnFiling]] = relationship(cascade="all, delete-orphan")


class Owner(Base):
    __tablename__ = "owner"
    __table_args__ = (Index("ix_owner_mobile", "mobile"), Index("ix_owner_property", "property_uuid"))

    id: Mapped[int] = mapped_column(primary_key=True)
    property_uuid: Mapped[str] = mapped_column(ForeignKey("property.uuid"))
    ordinal: Mapped[int] = mapped_column(default=0)
    name_en: Mapped[str] = mapped_column(String(200), default="")
    name_hi: Mapped[str] = mapped_column(String(200), default="")
    relation: Mapped[str] = mapped_column(String(200), default="")  # e.g. "S/O Ramesh Sahu"
    mobile: Mapped[str] = mapped_column(String(15), default="")
    # Romanised, spelling-folded key of both names (app.property.search.owner_search_key), kept
    # up to date by the validators below; the FTS5 search index reads it (migration 0002).
    search_key: Mapped[str] = mapped_column(String(400), default="")

    property: Mapped[Property] = relationship(back_populates="owners")

    @validates("name_en", "name_hi")
    def _refresh_search_key(self, key: str, value: str) -> str:
        from app.property.search import owner_search_key

        name_en = value if key == "name_en" else (self.name_en or "")
        name_hi = value if key == "name_hi" else (self.name_hi or "")
        self.search_key = owner_search_key(name_en, name_hi)
        return value


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (Index("ix_unit_property", "property_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_uuid: Mapped[str] = mapped_column(ForeignKey("property.uuid"))
    ordinal: Mapped[int] = mapped_column(default=0)
    floor: Mapped[int] = mapped_column(default=0)
    area_sqft: Mapped[Decimal] = mapped_column(ExactDecimal())
    construction: Mapped[str] = mapped_column(String(16))  # RCC_RB, OTHER_PAKKA, KUTCHA
    usage: Mapped[str] = mapped_column(String(16))  # RESIDENTIAL, COMMERCIAL, INDUSTRIAL

    property: Mapped[Property] = relationship(back_populates="units")


class ReturnFiling(Base):
    """Whether the owner filed the self-assessment return for a financial year."""

    __tablename__ = "return_filing"

    property_uuid: Mapped[str] = mapped_column(ForeignKey("property.uuid"), primary_key=True)
    fy: Mapped[str] = mapped_column(String(7), primary_key=True)
    filed: Mapped[bool]
