"""Tables of central.payments: online payments, their receipt series, and reference data the central
manages for the devices (ULB users, tariff files).

Idempotency is a unique constraint: `online_payment.gateway_txn_id` (a replayed gateway callback can
never make a second receipt). Online receipt numbers come from `online_series`, bumped with one
atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING` (never read-max-plus-one).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db.models import CentralBase, Json, Utc

ORDER_CREATED = "created"
ORDER_PAID = "paid"
ORDER_FAILED = "failed"


class OnlinePayment(CentralBase):
    """An order a citizen pays through the gateway. `lines` is the bill: [{fy, head, amount_paise}]."""

    __tablename__ = "online_payment"

    order_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(String(16), index=True)
    property_uuid: Mapped[str] = mapped_column(String(36), index=True)
    payer_name: Mapped[str] = mapped_column(String(200), default="")
    lines: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(8), default=ORDER_CREATED)  # created | paid | failed
    gateway: Mapped[str] = mapped_column(String(20), default="sandbox")
    gateway_txn_id: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    paid_amount_paise: Mapped[int | None] = mapped_column(BigInteger, default=None)
    signature: Mapped[str] = mapped_column(String(128), default="")  # of the accepted callback
    created_at: Mapped[datetime] = mapped_column(Utc)
    paid_at: Mapped[datetime | None] = mapped_column(Utc, default=None)
    receipt_uuid: Mapped[str | None] = mapped_column(String(36), default=None)


class OnlineSeries(CentralBase):
    """One online receipt series per ULB and FY (`<ULB>/ONLINE/<FY>`), chained like a device's."""

    __tablename__ = "online_series"

    series_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")


class UlbUser(CentralBase):
    """A counter/office user managed centrally; comes down to every device of the ULB (login offline)."""

    __tablename__ = "ulb_user"

    ulb_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id PHC string (never the password)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(Utc)


class TariffFile(CentralBase):
    """A tariff TOML published to a ULB's devices; `version` goes up only when the text changes."""

    __tablename__ = "tariff_file"

    ulb_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    toml: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    published_at: Mapped[datetime] = mapped_column(Utc)


class SettingValue(CentralBase):
    """A ULB setting pushed to its devices (e.g. payments.upi_vpa), versioned per key."""

    __tablename__ = "ulb_setting"

    ulb_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(Utc)
