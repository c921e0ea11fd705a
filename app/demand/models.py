from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UtcDateTime


class Demand(Base):
    """The amount raised on a property for one financial year and head.

    What has been paid against it is never stored here: it is the sum of the receipt lines of
    receipts that were not cancelled, so a cancellation reinstates the demand by itself.
    Surcharge and penalty are not rows: they follow from the rules as of the payment date.
    """

    __tablename__ = "demand"
    __table_args__ = (
        # Also the index for "all demands of a property". The natural key (property, FY, head) is
        # the demand's identity across devices and the central; no UUID needed.
        UniqueConstraint("property_uuid", "fy", "head"),
        # Covering index for the DCB statement's year-wide GROUP BY (app/reports/dcb.py).
        Index("ix_dcb_demand_fy", "fy", "property_uuid", "head", "amount_paise"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    property_uuid: Mapped[str] = mapped_column(ForeignKey("property.uuid"))
    fy: Mapped[str] = mapped_column(String(7))
    head: Mapped[str] = mapped_column(String(24))
    amount_paise: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ServiceDemand(Base):
    """A charge raised on a water connection, trade licence or solid-waste payer for one period.

    Like `Demand`, what is paid is never stored here: it is the sum of the lines (service, account,
    period, head) of receipts not cancelled. The natural key is the row's identity on every device
    and the central, so two devices that generate the same month converge on one row.
    """

    __tablename__ = "service_demand"
    __table_args__ = (
        UniqueConstraint("service", "account_uuid", "period", "head"),
        Index("ix_service_demand_fy_service", "fy", "service"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    service: Mapped[str] = mapped_column(String(8))  # app.demand.dto.Service (not PROPERTY)
    account_uuid: Mapped[str] = mapped_column(String(36))
    period: Mapped[str] = mapped_column(String(12))  # "2026-11", "2026-27-Q3" or "2026-27"
    fy: Mapped[str] = mapped_column(String(7))  # the FY the period falls in
    head: Mapped[str] = mapped_column(String(24))  # app.demand.dto.Head
    amount_paise: Mapped[int]
    due_date: Mapped[str] = mapped_column(String(10))  # ISO date; unpaid after it is an arrear
    ward_no: Mapped[int]  # the account's ward when raised (DCB by ward without joins)
    detail: Mapped[str] = mapped_column(String(200), default="")  # e.g. "12,400 L @ ₹15/kL"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
