"""The wire protocol between a desktop device and the central API (version 1).

Both sides import these models: the desktop's sync engine (sync/) builds and reads them, the central
(central/) validates every request body with them. Nothing here touches a database or the network.

The protocol is sync-research.md §3, in short:

- Enrolment: a ULB admin issues a one-time code on the central; the device generates an Ed25519 key,
  POSTs `EnrolRequest` to /v1/devices/enrol and gets its identity (device number never reused) and a
  rotating refresh token. /v1/auth/token trades the refresh token plus a signature made with the
  device key for a short-lived access token (and the next refresh token).
- Every request after enrolment carries `Authorization: Bearer <access token>`. The central derives
  the device, its ULB and office from the token, never from the payload.
- A sync cycle: GET /v1/sync/hello → push lane 0 (money) until empty, then lanes 1 and 2 → pull each
  scope until `has_more` is false (410 → snapshot) → GET /v1/sync/ledger and compare per series/day.
- Push: up to `MAX_OPS_PER_PUSH` operations in device order; one `OpResult` per operation. The
  central stores each op's result in the same transaction as its effects; a replay returns it.
- Money (lane 0) is never refused for a business reason: the central accepts it and adds `flags`.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.outbox.service import LANE_MASTER, LANE_MONEY, LANE_OTHER, lane_for, payload_hash
from app.outbox.service import canonical_json as outbox_canonical_json
from app.property.dto import PROPERTY_SYNC_FIELDS

PROTOCOL_VERSION = 1
MAX_OPS_PER_PUSH = 500
MAX_CHANGES_PER_PULL = 500

# HTTP paths (the central mounts these; the client calls them).
PATH_ENROL = "/v1/devices/enrol"
PATH_TOKEN = "/v1/auth/token"
PATH_HELLO = "/v1/sync/hello"
PATH_PUSH = "/v1/sync/push"
PATH_PULL = "/v1/sync/pull"
PATH_SNAPSHOT = "/v1/sync/snapshot"
PATH_LEDGER = "/v1/sync/ledger"

# Error codes in the `code` field of an error body (`ErrorBody`).
ERROR_DEVICE_REVOKED = "device_revoked"  # 403: stop syncing, tell the supervisor
ERROR_TOKEN_EXPIRED = "token_expired"  # 401: refresh once, then retry
ERROR_CURSOR_GONE = "cursor_gone"  # 410: re-download the snapshot of that scope
ERROR_BAD_REQUEST = "bad_request"  # 422: a malformed body (a bug: the ops go to quarantine)


class Lane(IntEnum):
    """Push order: all money first, then master data, then the rest."""

    MONEY = LANE_MONEY
    MASTER = LANE_MASTER
    OTHER = LANE_OTHER


class OpKind(StrEnum):
    """What an outbox operation records. The payload shapes are documented beside each kind."""

    # lane 0, money — append-only, never refused
    RECEIPT_CREATED = "receipt.created"  # collections.service._payload: uuid, receipt_no, series_key, seq, ...
    RECEIPT_CANCELLED = "receipt.cancelled"  # uuid (of the cancellation), receipt_uuid, reason, at, business_date
    RECEIPT_DISHONOURED = "receipt.dishonoured"  # same shape as cancelled
    SESSION_OPENED = "counter_session.opened"  # uuid, user, business_date, opening_cash_paise
    SESSION_CLOSED = "counter_session.closed"  # the day-end record: counts, totals, first/last number
    # lane 1, master data — version-checked, field-level three-way merge
    PROPERTY_CREATED = "property.created"  # the whole property (PropertyFields below)
    PROPERTY_UPDATED = "property.updated"  # changed fields only; base_version + base_values on the op
    CONFLICT_RESOLVED = "sync_conflict.resolved"  # conflict_uuid, chosen values (a supervisor's decision)
    DEMAND_SUMMARY = "demand.summary"  # fy, totals per head and ward after `demand generate`
    # issue 5: water connections, readings, licences, SWM payers, service demands (app.replica.records):
    # {"entity", "uuid", "fields"}; an edit carries base_version + base_values like property.updated
    RECORD_UPSERTED = "record.upserted"
    # lane 2, everything else
    AUDIT_ENTRY = "audit.entry"


def lane_of(kind: str) -> Lane:
    """The lane the outbox gave this kind when it queued it (app.outbox.service decides, in the
    receipt's own transaction). Unknown kinds travel with the rest, never blocking money."""
    return Lane(lane_for(kind))


# The byte form both sides hash: defined once, where the outbox writes it.
canonical_json = outbox_canonical_json
payload_sha256 = payload_hash


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(WireModel):
    code: str
    message: str


# --- enrolment and tokens ----------------------------------------------------------------------------


class EnrolRequest(WireModel):
    code: str = Field(min_length=6, max_length=64)  # the one-time enrolment code
    public_key: str = Field(min_length=40, max_length=64)  # Ed25519 raw public key, urlsafe base64
    hostname: str = Field(max_length=200)
    app_version: str = Field(max_length=40)


class EnrolResponse(WireModel):
    device_id: str
    device_no: int
    ulb_code: str
    office_code: str
    refresh_token: str
    access_token: str
    access_expires_in_s: int
    server_epoch: str
    server_time: datetime


class TokenRequest(WireModel):
    """Refresh-token exchange with proof of the device key: `signature` is the Ed25519 signature of
    `token_signing_message(device_id, refresh_token, signed_at)`, urlsafe base64."""

    device_id: str
    refresh_token: str
    signed_at: datetime
    signature: str


def token_signing_message(device_id: str, refresh_token: str, signed_at: datetime) -> bytes:
    digest = hashlib.sha256(refresh_token.encode()).hexdigest()
    return f"nikay-token-v1|{device_id}|{digest}|{signed_at.isoformat()}".encode()


class TokenResponse(WireModel):
    access_token: str
    access_expires_in_s: int
    refresh_token: str  # rotated: the old one is spent (one grace use if this reply was lost)


# --- hello -------------------------------------------------------------------------------------------


class SeriesMark(WireModel):
    series_key: str
    last_seq: int
    chain_head: str


class HelloResponse(WireModel):
    protocol_version: int = PROTOCOL_VERSION
    server_time: datetime
    server_epoch: str  # changes when the central is restored from a backup: re-push everything kept
    device_id: str
    device_no: int
    ulb_code: str
    office_code: str
    device_status: str  # active | revoked
    last_device_seq: int  # highest device_seq the central holds a result for, contiguous from 1
    series: list[SeriesMark]  # the central's high-water mark per receipt series of this device
    min_client_version: str = "0.1.0"


# --- push --------------------------------------------------------------------------------------------


class Op(WireModel):
    op_id: str  # UUIDv7 made on the device: the idempotency key
    device_seq: int = Field(ge=1)  # monotonic per device, commit-ordered
    kind: str
    entity_uuid: str
    payload: dict[str, Any]
    payload_sha256: str  # of canonical_json(payload); same op_id + different hash = conflict
    device_time: datetime  # the device clock when the op was made (recorded, flagged, never trusted)
    base_version: int | None = None  # master data: the server version the edit started from
    base_values: dict[str, Any] | None = None  # master data: the edited fields' values before the edit


class OpStatus(StrEnum):
    ACCEPTED = "accepted"  # applied now
    DUPLICATE = "duplicate"  # applied before; this is the stored result of that first apply
    CONFLICT = "conflict"  # master data: some fields kept the server value; see `conflict_uuid`
    QUARANTINED = "quarantined"  # malformed or op_id reused with another payload; kept for support


ACKNOWLEDGED = frozenset({OpStatus.ACCEPTED, OpStatus.DUPLICATE, OpStatus.CONFLICT})


class Flag(StrEnum):
    """Anomalies the central records against a money record it accepted anyway."""

    LATE_ARRIVAL = "late_arrival"  # business day older than the late-arrival window
    DAY_CLOSED = "day_closed"  # arrived after that counter's day-end record
    NUMBER_COLLISION = "number_collision"  # the same receipt number with another uuid: both kept
    CHAIN_BREAK = "chain_break"  # prev_hash does not match the previous receipt of the series
    CLOCK_SKEW = "clock_skew"  # device time far from server time
    DOUBLE_PAYMENT = "double_payment"  # dues already paid elsewhere (e.g. online); became advance
    UNKNOWN_PROPERTY = "unknown_property"  # the central has no such property (yet)


class OpResult(WireModel):
    op_id: str
    device_seq: int
    status: OpStatus
    flags: list[str] = []
    message: str = ""
    server_version: int | None = None  # master data: the version after this op
    merged: dict[str, Any] | None = None  # master data: the record as the central now holds it
    conflict_uuid: str | None = None


class PushRequest(WireModel):
    batch_id: str
    ops: list[Op] = Field(max_length=MAX_OPS_PER_PUSH)


class PushResponse(WireModel):
    results: list[OpResult]
    last_device_seq: int
    server_time: datetime
    server_epoch: str


# --- pull and snapshot ---------------------------------------------------------------------------------


class ChangeEntity(StrEnum):
    """What comes down to the devices of a ULB."""

    PROPERTY = "property"  # payload: PropertyFields as JSON (version in `version`)
    PAYMENT = "payment"  # a receipt made by another device of the ULB, or an online payment
    PAYMENT_BATCH = "payment_batch"  # payload {"items": [a "payment" payload each]}: receipts of one push
    PAYMENT_CANCELLATION = "payment_cancellation"  # receipt_uuid, kind, reason
    TARIFF = "tariff"  # payload: {"name": file name, "toml": text}
    USER = "user"  # username, full_name, role, password_hash, active
    SETTING = "setting"  # key, value (e.g. payments.upi_vpa)
    CONFLICT = "sync_conflict"  # a master-data conflict a supervisor of this ULB must resolve
    RECORD = "record"  # payload {"entity", "uuid", "fields"} (app.replica.records); version in `version`


class Change(WireModel):
    seq: int  # the central's change sequence (commit-ordered) — 0 inside a snapshot
    entity: str
    entity_uuid: str
    op: str  # upsert | delete
    version: int
    payload: dict[str, Any]
    origin_device_id: str | None = None


class PullResponse(WireModel):
    changes: list[Change]
    next_cursor: int
    has_more: bool
    server_epoch: str


class SnapshotResponse(WireModel):
    """A page of the current state of a scope. Follow `next_page` until it is None; then continue
    pulling from `cursor_after` (the change sequence the snapshot was cut at)."""

    changes: list[Change]
    next_page: str | None
    cursor_after: int
    server_epoch: str


# --- ledger reconciliation ------------------------------------------------------------------------------


class LedgerDay(WireModel):
    """One receipt series on one business day, as the central holds it (cancellations excluded from
    nothing: every receipt counts; `cancelled_count` says how many of them were taken back)."""

    series_key: str
    business_date: date
    count: int
    sum_paise: int
    first_seq: int
    last_seq: int
    chain_head: str  # hash of the receipt with last_seq
    cancelled_count: int = 0


class LedgerResponse(WireModel):
    days: list[LedgerDay]
    server_epoch: str


# --- master data: properties ------------------------------------------------------------------------


# The fields of a property that merge independently: defined once, beside the property's data.
PROPERTY_MERGE_FIELDS = PROPERTY_SYNC_FIELDS
