"""Receipts are append-only. A cancellation or a cheque dishonour is a new row, never an UPDATE."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, UtcDateTime


class CounterSession(Base):
    __tablename__ = "counter_session"
    __table_args__ = (Index("ix_counter_session_user", "user_id", "closed_at"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_no: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    business_date: Mapped[str] = mapped_column(String(10))  # ISO date in IST
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opening_cash_paise: Mapped[int]
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    # Day-end count, filled once on close: JSON {"2000": 3, "500": 10, ..., "coins_1": 4}
    denominations_json: Mapped[str | None] = mapped_column(Text, default=None)
    counted_cash_paise: Mapped[int | None] = mapped_column(default=None)
    expected_cash_paise: Mapped[int | None] = mapped_column(default=None)
    difference_explanation: Mapped[str | None] = mapped_column(Text, default=None)


class ReceiptSeries(Base):
    """The numbering counter of one series (device + FY). Bumped in the receipt's own transaction."""

    __tablename__ = "receipt_series"

    series_key: Mapped[str] = mapped_column(String(60), primary_key=True)  # DEMO/Z01/C01/2026-27
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")


class Receipt(Base):
    __tablename__ = "receipt"
    __table_args__ = (
        UniqueConstraint("series_key", "seq"),
        UniqueConstraint("receipt_no"),
        Index("ix_receipt_property", "property_uuid"),
        Index("ix_receipt_business_date", "business_date"),
        # Covering index for the DCB statement (app/reports/dcb.py): a year of receipts without table look-ups.
        Index("ix_dcb_receipt_date", "business_date", "uuid", "property_uuid", "amount_paise"),
        CheckConstraint("amount_paise > 0", name="amount_positive"),
        CheckConstraint("mode IN ('CASH', 'CHEQUE', 'DD', 'UPI')", name="mode_known"),
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Made when the clerk's confirmation opened: a second submit of the same request finds this
    # receipt instead of making another (double Enter, a retried call).
    request_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(60))
    series_key: Mapped[str] = mapped_column(ForeignKey("receipt_series.series_key"))
    seq: Mapped[int]
    fy: Mapped[str] = mapped_column(String(7))
    device_no: Mapped[int]
    counter_session_uuid: Mapped[str] = mapped_column(ForeignKey("counter_session.uuid"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    # None when the receipt pays only accounts not tied to a property (a thela's licence, a tenant
    # shop's user charge); each line names its own service and account.
    property_uuid: Mapped[str | None] = mapped_column(ForeignKey("property.uuid"))
    payer_name: Mapped[str] = mapped_column(String(200))
    collected_at: Mapped[datetime] = mapped_column(UtcDateTime())
    business_date: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(8))
    amount_paise: Mapped[int]
    tendered_paise: Mapped[int | None] = mapped_column(default=None)
    change_paise: Mapped[int | None] = mapped_column(default=None)
    instrument_no: Mapped[str] = mapped_column(String(40), default="")  # cheque/DD number or UPI UTR
    instrument_date: Mapped[str] = mapped_column(String(10), default="")
    bank: Mapped[str] = mapped_column(String(100), default="")
    branch: Mapped[str] = mapped_column(String(100), default="")
    balance_after_paise: Mapped[int]  # still due on the property right after this receipt
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    lines: Mapped[list[ReceiptLine]] = relationship(order_by="ReceiptLine.ordinal")


class ReceiptLine(Base):
    __tablename__ = "receipt_line"
    __table_args__ = (
        Index("ix_receipt_line_receipt", "receipt_uuid"),
        Index("ix_receipt_line_account", "account", "period"),
        Index("ix_dcb_receipt_line", "receipt_uuid", "service", "fy", "head", "amount_paise", "account", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_uuid: Mapped[str] = mapped_column(ForeignKey("receipt.uuid"))
    ordinal: Mapped[int]
    fy: Mapped[str] = mapped_column(String(7))
    head: Mapped[str] = mapped_column(String(24))
    amount_paise: Mapped[int]
    service: Mapped[str] = mapped_column(String(8), default="PROPERTY", server_default="PROPERTY")
    account: Mapped[str] = mapped_column(String(36), default="", server_default="")  # "" on property lines
    period: Mapped[str] = mapped_column(String(12), default="", server_default="")  # "" on property lines


class ReceiptCancellation(Base):
    """A receipt taken back: CANCELLED by a supervisor, or DISHONOURED (cheque bounced)."""

    __tablename__ = "receipt_cancellation"
    __table_args__ = (CheckConstraint("kind IN ('CANCELLED', 'DISHONOURED')", name="kind_known"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    receipt_uuid: Mapped[str] = mapped_column(ForeignKey("receipt.uuid"), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    approved_by_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    business_date: Mapped[str] = mapped_column(String(10))


class ReceiptReprint(Base):
    """Each reprint (marked DUPLICATE); never consumes a number."""

    __tablename__ = "receipt_reprint"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    receipt_uuid: Mapped[str] = mapped_column(ForeignKey("receipt.uuid"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
