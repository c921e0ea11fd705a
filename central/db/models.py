"""The central's schema (PostgreSQL; SQLite only for the one-command demo).

Idempotency and "never reused" are unique constraints here, not look-ups in code:
- sync_op (device_id, op_id) and (device_id, device_seq): one result per operation, stored in the
  same transaction as its effects; a replay reads it back.
- receipt.uuid: a receipt exists once. (series_key, seq) is deliberately NOT unique: the same number
  with another uuid is a collision that must be kept (both rows) and flagged, never dropped.
- device (ulb_code, device_no) unique; numbers come from ulb.next_device_no (UPDATE … RETURNING).
- change_log.seq is stamped after commit by one stamper at a time (see central/sync/feed.py), so the
  pull cursor follows commit order.
Money amounts are integer paise (BIGINT). Times are UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL, JSON text on SQLite (demo only).
Json = JSON().with_variant(JSONB(), "postgresql")
# BIGINT on PostgreSQL; SQLite autoincrements only an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")
Utc = DateTime(timezone=True)


class CentralBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ServerMeta(CentralBase):
    """One row. `server_epoch` is replaced when the database is restored from a backup
    (`python -m central mark-restored`); `min_retained_seq` is the tombstone horizon of the feed."""

    __tablename__ = "server_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_epoch: Mapped[str] = mapped_column(String(36))
    min_retained_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch_changed_at: Mapped[datetime] = mapped_column(Utc)


class Ulb(CentralBase):
    __tablename__ = "ulb"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_hi: Mapped[str] = mapped_column(String(200))
    ulb_class: Mapped[str] = mapped_column(String(3))  # NN, NPP, NP
    district: Mapped[str] = mapped_column(String(100), default="")
    next_device_no: Mapped[int] = mapped_column(Integer, default=1)  # never decreases: numbers never reused
    settings: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)  # e.g. {"payments.upi_vpa": "..."}


class AdminUser(CentralBase):
    """People who use the central directly: a ULB admin (issues enrolment codes, revokes devices,
    resolves conflicts for their ULB) or a state official (ulb_code NULL: every ULB, read-only)."""

    __tablename__ = "admin_user"

    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # ulb_admin | state_official
    ulb_code: Mapped[str | None] = mapped_column(ForeignKey("ulb.code"), default=None)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # API token (hash only)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class EnrolmentCode(CentralBase):
    __tablename__ = "enrolment_code"

    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)  # the code itself is never stored
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    office_code: Mapped[str] = mapped_column(String(16))
    issued_by: Mapped[str] = mapped_column(String(60))
    issued_at: Mapped[datetime] = mapped_column(Utc)
    expires_at: Mapped[datetime] = mapped_column(Utc)
    used_at: Mapped[datetime | None] = mapped_column(Utc, default=None)
    used_by_device_id: Mapped[str | None] = mapped_column(String(36), default=None)


class Device(CentralBase):
    __tablename__ = "device"
    __table_args__ = (UniqueConstraint("ulb_code", "device_no"),)

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(ForeignKey("ulb.code"))
    office_code: Mapped[str] = mapped_column(String(16))
    device_no: Mapped[int] = mapped_column(Integer)
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519 raw, urlsafe base64
    hostname: Mapped[str] = mapped_column(String(200), default="")
    app_version: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | revoked
    enrolled_at: Mapped[datetime] = mapped_column(Utc)
    revoked_at: Mapped[datetime | None] = mapped_column(Utc, default=None)
    last_device_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # contiguous high-water mark
    last_seen_at: Mapped[datetime | None] = mapped_column(Utc, default=None)
    # What the device said at its last hello/push: its unsynced backlog and clock offset.
    reported_backlog: Mapped[int] = mapped_column(Integer, default=0)
    last_clock_skew_s: Mapped[int | None] = mapped_column(Integer, default=None)


class RefreshToken(CentralBase):
    """Rotating refresh tokens (hash only). A token is spent when exchanged; presenting a spent one
    again is allowed once while its successor is unused (the reply was lost), else the device's
    whole token family is revoked (theft)."""

    __tablename__ = "refresh_token"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.device_id"))
    issued_at: Mapped[datetime] = mapped_column(Utc)
    expires_at: Mapped[datetime] = mapped_column(Utc)
    spent_at: Mapped[datetime | None] = mapped_column(Utc, default=None)
    successor_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncOp(CentralBase):
    """The idempotency ledger: one row per device operation, written with its effects."""

    __tablename__ = "sync_op"
    __table_args__ = (UniqueConstraint("device_id", "device_seq"),)

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    payload_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    received_at: Mapped[datetime] = mapped_column(Utc)


class Receipt(CentralBase):
    __tablename__ = "receipt"
    __table_args__ = (
        Index("ix_receipt_series_seq", "series_key", "seq"),  # not unique: collisions are kept and flagged
        Index("ix_receipt_ulb_day", "ulb_code", "business_date"),
        Index("ix_receipt_property", "property_uuid"),
        # No (device_id, series_key, seq) index: hello finds a device's series in receipt_series and
        # their heads through ix_receipt_series_seq; one index less to write per receipt.
    )

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(String(16))  # from the device, never the payload
    device_id: Mapped[str] = mapped_column(String(36))  # "" for online payments
    source: Mapped[str] = mapped_column(String(8), default="COUNTER")  # COUNTER | ONLINE
    receipt_no: Mapped[str] = mapped_column(String(60))
    series_key: Mapped[str] = mapped_column(String(60))
    seq: Mapped[int] = mapped_column(Integer)
    fy: Mapped[str] = mapped_column(String(7))
    # None: a receipt paying only water, a trade licence or user charges (issue 5)
    property_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    payer_name: Mapped[str] = mapped_column(String(200), default="")
    collected_at: Mapped[datetime] = mapped_column(Utc)
    business_date: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(8))
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    instrument_no: Mapped[str] = mapped_column(String(40), default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")
    # The op payload as received: online payments only. A device's receipt is its columns and lines;
    # payload_sha256 (sync.protocol.payload_sha256 of the op payload) tells a re-sent receipt (same
    # uuid, same content: duplicate) from another one under the same uuid (quarantined).
    payload: Mapped[dict[str, Any] | None] = mapped_column(Json, default=None)
    payload_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    server_received_at: Mapped[datetime] = mapped_column(Utc)
    skew_s: Mapped[int | None] = mapped_column(Integer, default=None)
    flags: Mapped[list[str]] = mapped_column(Json, default=list)


class ReceiptLine(CentralBase):
    __tablename__ = "receipt_line"

    # No foreign key: lines are written in the same statement batch as their receipt, and an RI
    # trigger per line costs a tenth of the ingest rate under load.
    receipt_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    fy: Mapped[str] = mapped_column(String(7))
    head: Mapped[str] = mapped_column(String(24))
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    # Issue 5: what the line pays. PROPERTY lines leave account and period empty (the fy says it);
    # WATER / TRADE / SWM name the connection, licence or payer (account) and the month or year paid.
    service: Mapped[str] = mapped_column(String(8), default="PROPERTY", server_default="PROPERTY")
    account: Mapped[str] = mapped_column(String(36), default="", server_default="")
    period: Mapped[str] = mapped_column(String(10), default="", server_default="")


class ReceiptSeries(CentralBase):
    """The receipt series each device has written to (one row per device and series, inserted by the
    push that first brings one): hello reads a device's series here and each series' head through
    ix_receipt_series_seq, instead of an index on every receipt."""

    __tablename__ = "receipt_series"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    series_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(String(16))


class ReceiptCancellation(CentralBase):
    """A cancellation or dishonour. Append-only; one per receipt (a second is kept as an anomaly)."""

    __tablename__ = "receipt_cancellation"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    receipt_uuid: Mapped[str] = mapped_column(String(36), index=True)  # may arrive before its receipt
    ulb_code: Mapped[str] = mapped_column(String(16))
    device_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(12))  # CANCELLED | DISHONOURED
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(Utc)
    business_date: Mapped[date] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    flags: Mapped[list[str]] = mapped_column(Json, default=list)


class CounterDay(CentralBase):
    """Counter sessions: opened, and the day-end (Z) record when closed."""

    __tablename__ = "counter_day"
    __table_args__ = (Index("ix_counter_day_device_day", "device_id", "business_date"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(String(16))
    device_id: Mapped[str] = mapped_column(String(36))
    business_date: Mapped[date] = mapped_column(Date)
    opened: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    closed: Mapped[dict[str, Any] | None] = mapped_column(Json, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(Utc, default=None)


class Anomaly(CentralBase):
    """Something the central accepted but a person should look at (never a refusal)."""

    __tablename__ = "anomaly"
    __table_args__ = (Index("ix_anomaly_ulb_open", "ulb_code", "resolved_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ulb_code: Mapped[str] = mapped_column(String(16))
    device_id: Mapped[str] = mapped_column(String(36), default="")
    kind: Mapped[str] = mapped_column(String(30))  # a sync.protocol.Flag value, or op_id_reuse etc.
    entity_uuid: Mapped[str] = mapped_column(String(36), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    at: Mapped[datetime] = mapped_column(Utc)
    resolved_at: Mapped[datetime | None] = mapped_column(Utc, default=None)


class QuarantinedOp(CentralBase):
    """An operation the central could not read (malformed, or an op_id reused with another payload).
    Kept whole for support; never applied, never dropped."""

    __tablename__ = "quarantined_op"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(36))
    op_id: Mapped[str] = mapped_column(String(36))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    op: Mapped[dict[str, Any]] = mapped_column(Json)
    at: Mapped[datetime] = mapped_column(Utc)


class PropertyRecord(CentralBase):
    """A property as the central holds it: the merge fields (sync.protocol.PROPERTY_MERGE_FIELDS)
    in `fields`, and a version bumped on every applied change."""

    __tablename__ = "property"
    __table_args__ = (Index("ix_property_ulb", "ulb_code"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(Json)
    updated_at: Mapped[datetime] = mapped_column(Utc)
    updated_by_device_id: Mapped[str] = mapped_column(String(36), default="")


class SyncConflict(CentralBase):
    """A master-data field both sides changed differently. The server value stays until a
    supervisor of the ULB resolves it (from a device, as a sync_conflict.resolved op)."""

    __tablename__ = "sync_conflict"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ulb_code: Mapped[str] = mapped_column(String(16), index=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_uuid: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    op_id: Mapped[str] = mapped_column(String(36))
    fields: Mapped[dict[str, Any]] = mapped_column(Json)  # {field: {"base":…, "mine":…, "theirs":…}}
    created_at: Mapped[datetime] = mapped_column(Utc)
    resolved_at: Mapped[datetime | None] = mapped_column(Utc, default=None)
    resolution: Mapped[dict[str, Any] | None] = mapped_column(Json, default=None)


class ChangeLog(CentralBase):
    """The pull feed of a ULB. Rows are inserted with seq NULL by the writing transaction; the
    stamper (one at a time, under an advisory lock) gives committed rows their seq in order, so a
    cursor can never pass a row that commits later."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_ulb_seq", "ulb_code", "seq"),
        Index("ix_change_log_unstamped", "id", postgresql_where=text("seq IS NULL"), sqlite_where=text("seq IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True, default=None)
    ulb_code: Mapped[str] = mapped_column(String(16))  # "*" = every ULB (state reference data)
    entity: Mapped[str] = mapped_column(String(30))
    entity_uuid: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8), default="upsert")
    version: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    origin_device_id: Mapped[str | None] = mapped_column(String(36), default=None)
    created_at: Mapped[datetime] = mapped_column(Utc)


class DemandSummary(CentralBase):
    """A ULB's demand register totals for a FY, as its device last reported them (for state DCB)."""

    __tablename__ = "demand_summary"

    ulb_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    fy: Mapped[str] = mapped_column(String(7), primary_key=True)
    by_head: Mapped[dict[str, Any]] = mapped_column(Json)  # {head: paise}
    by_ward: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)  # {ward: {head: paise}}
    reported_at: Mapped[datetime] = mapped_column(Utc)
    device_id: Mapped[str] = mapped_column(String(36))
