from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
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
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    property_uuid: Mapped[str] = mapped_column(ForeignKey("property.uuid"))
    fy: Mapped[str] = mapped_column(String(7))
    head: Mapped[str] = mapped_column(String(24))
    amount_paise: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
