"""Local copies of what the central sent this device (issue 4, sync).

- sync_meta: small key/value facts of the sync engine (central URL, device id, pull cursor, server
  epoch, last success, clock offset). Written in the same transaction as what they describe.
- remote_payment (+ lines): receipts made by other counters of the ULB and online payments. The
  dues ledger (property lines) and the combined bill (water, licence and user-charge lines, by
  service/account/period/head) count their lines as paid, so this counter never collects the same
  dues twice. A receipt for services only has no property (property_uuid NULL).
- remote_payment_cancellation: a cancellation/dishonour of such a payment. Keyed by the receipt so
  it may arrive before the payment itself; the ledger simply ignores cancelled payments.
- sync_conflict: master-data conflicts a supervisor of this ULB must resolve.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UtcDateTime


class SyncMeta(Base):
    __tablename__ = "sync_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RemotePayment(Base):
    __tablename__ = "remote_payment"
    __table_args__ = (Index("ix_remote_payment_property", "property_uuid"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)  # the receipt's uuid at its origin
    receipt_no: Mapped[str] = mapped_column(String(60), default="")
    # No FK: the property may come down later. None: a receipt for services only (a water connection,
    # licence or user-charge payer without a property of its own).
    property_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    business_date: Mapped[str] = mapped_column(String(10))  # ISO date (IST)
    amount_paise: Mapped[int]
    mode: Mapped[str] = mapped_column(String(8), default="")
    source: Mapped[str] = mapped_column(String(8), default="COUNTER")  # COUNTER | ONLINE
    origin_device_id: Mapped[str] = mapped_column(String(36), default="")
    collected_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    payload_json: Mapped[str] = mapped_column(Text, default="{}")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RemotePaymentLine(Base):
    __tablename__ = "remote_payment_line"
    __table_args__ = (
        Index("ix_remote_payment_line_payment", "payment_uuid"),
        Index("ix_remote_payment_line_account", "account", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    payment_uuid: Mapped[str] = mapped_column(ForeignKey("remote_payment.uuid", ondelete="CASCADE"))
    ordinal: Mapped[int]
    fy: Mapped[str] = mapped_column(String(7))
    head: Mapped[str] = mapped_column(String(24))
    amount_paise: Mapped[int]
    # As on receipt_line: what a water / licence / user-charge line paid (the bill counts it as paid
    # against the same service, account, period and head); "PROPERTY", "", "" on property lines.
    service: Mapped[str] = mapped_column(String(8), default="PROPERTY", server_default="PROPERTY")
    account: Mapped[str] = mapped_column(String(36), default="", server_default="")
    period: Mapped[str] = mapped_column(String(12), default="", server_default="")


class RemotePaymentCancellation(Base):
    __tablename__ = "remote_payment_cancellation"

    receipt_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default="")
    kind: Mapped[str] = mapped_column(String(12), default="CANCELLED")
    reason: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LocalSyncConflict(Base):
    __tablename__ = "sync_conflict"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_uuid: Mapped[str] = mapped_column(String(36))
    label: Mapped[str] = mapped_column(String(100), default="")
    fields_json: Mapped[str] = mapped_column(Text)  # {field: {"base":…, "mine":…, "theirs":…}}
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    resolution_json: Mapped[str | None] = mapped_column(Text, default=None)
