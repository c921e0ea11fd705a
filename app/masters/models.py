from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class Ulb(Base):
    __tablename__ = "ulb"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_hi: Mapped[str] = mapped_column(String(200))
    ulb_class: Mapped[str] = mapped_column(String(3))  # NN, NPP or NP
    district: Mapped[str] = mapped_column(String(100), default="")


class Zone(Base):
    """A rate zone (the ALV rate depends on it)."""

    __tablename__ = "zone"
    __table_args__ = (UniqueConstraint("ulb_code", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    code: Mapped[str] = mapped_column(String(8))
    name_en: Mapped[str] = mapped_column(String(100))
    name_hi: Mapped[str] = mapped_column(String(100))


class Ward(Base):
    __tablename__ = "ward"
    __table_args__ = (UniqueConstraint("ulb_code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    number: Mapped[int]
    name_en: Mapped[str] = mapped_column(String(100))
    name_hi: Mapped[str] = mapped_column(String(100))


class FinancialYearRow(Base):
    __tablename__ = "financial_year"

    code: Mapped[str] = mapped_column(String(7), primary_key=True)  # '2026-27'
    first_day: Mapped[str] = mapped_column(String(10))  # ISO date
    last_day: Mapped[str] = mapped_column(String(10))


class DeviceIdentity(Base):
    """Who this PC is. One row. The device number comes from the central registration (sync issue);
    until then it is set at first run and never reused."""

    __tablename__ = "device_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    office_code: Mapped[str] = mapped_column(String(8))  # e.g. Z03 (zone office) or HQ
    device_no: Mapped[int]
    label: Mapped[str] = mapped_column(String(100), default="")
