"""Push ingestion: one PostgreSQL transaction per request, a handful of multi-row statements per batch.

Why it is set-based. A push carries up to 500 operations; per-op ORM work or per-op savepoints cost
a round trip (or several) each and cap ingestion at a few hundred receipts a second. Here a push is
two round trips to PostgreSQL plus the commit, whatever its size:
1. one psycopg pipeline: lock the device row (SELECT … FOR UPDATE, with the server epoch); claim
   every op (INSERT INTO sync_op … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING
   op_id); read the receipt state the checks need (receipts of this batch already held, the
   neighbours of each series range for the chain and number-collision checks, the device's
   counter days) in one UNION statement;
2. flags and results computed in Python, in device_seq order; then a second pipeline writes every
   table with one INSERT … SELECT FROM unnest(arrays) each (receipt, receipt_line,
   receipt_cancellation, change_log, anomaly, quarantined_op) and one UPDATE … FROM unnest for
   the results that are not a plain acceptance; last, one UPDATE of the device's last_device_seq.
On PostgreSQL a push is first tried optimistically: ops claimed by a plain INSERT (no ON CONFLICT
arbitration) and no look-up of the batch's receipt uuids; an op or receipt the central holds already
(a replay, a re-sent receipt) raises a unique violation, the transaction rolls back whole, and the
push runs again exactly as described here. New work pays for neither check; a replay pays twice.
Array parameters keep each statement short and fixed, so psycopg prepares it once and PostgreSQL
plans it once, whatever the row count. Master data (properties, conflicts, demand summaries,
counter sessions) is rare and applied op by op in the same transaction, because each edit must see
the one before it. Ops the central already held (a replay) cost one more SELECT.

Why it is idempotent. The unique constraints decide, never a look-up alone:
- sync_op (device_id, op_id) and (device_id, device_seq): the INSERT … ON CONFLICT DO NOTHING
  RETURNING claims each op; the effects of an op are written only by the transaction that claimed
  it, and its result is stored in that same row in that same transaction, so a replay (sequential
  or concurrent) finds the row and returns the stored result as `duplicate` — whatever happened to
  the first reply. A concurrent replay waits on the claim's unique index until the first commits.
- receipt.uuid and receipt_cancellation.uuid: a receipt exists once even if a device re-sends it
  under a new op_id (a restored outbox); same content → `duplicate`, other content → quarantine.
- The device row is locked first (SELECT … FOR UPDATE): two pushes of one device run one after the
  other, so the pre-reads are exact; a claim the lock did not protect (it cannot happen) aborts the
  whole transaction rather than leave effects without their op.

Money is never refused for a business reason: a late, closed-day, colliding, chain-breaking or
skewed receipt is stored and flagged (and an anomaly row written for a person). Only an op the
central cannot read (malformed, hash mismatch, an op_id or device_seq reused) is quarantined: kept
whole in quarantined_op, never applied, never dropped.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import orjson
from psycopg.errors import UniqueViolation
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Date,
    Engine,
    Integer,
    String,
    Table,
    and_,
    any_,
    bindparam,
    case,
    exists,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError

from app.core.clock import as_utc, business_date
from app.core.fy import FinancialYear
from app.demand.dto import Service
from central import failpoints
from central.api.deps import DeviceContext
from central.config import CentralSettings
from central.db.models import (
    Anomaly,
    ChangeLog,
    CounterDay,
    DemandSummary,
    Device,
    PropertyRecord,
    QuarantinedOp,
    Receipt,
    ReceiptCancellation,
    ReceiptLine,
    ReceiptSeries,
    ServerMeta,
    SyncConflict,
    SyncOp,
)
from central.sync.feed import read_meta
from central.sync.records import RECORD_APPLIERS
from central.sync.wire import checked_canonical, op_result, payload_canonical
from sync.merge import FieldConflict, three_way_merge
from sync.protocol import (
    PROPERTY_MERGE_FIELDS,
    ChangeEntity,
    Flag,
    Op,
    OpKind,
    OpResult,
    OpStatus,
    PushRequest,
    PushResponse,
    payload_sha256,
)

_T_SYNC_OP: Table = SyncOp.__table__  # type: ignore[assignment]
_T_RECEIPT: Table = Receipt.__table__  # type: ignore[assignment]
_T_LINE: Table = ReceiptLine.__table__  # type: ignore[assignment]
_T_CANCEL: Table = ReceiptCancellation.__table__  # type: ignore[assignment]
_T_CHANGE: Table = ChangeLog.__table__  # type: ignore[assignment]
_T_ANOMALY: Table = Anomaly.__table__  # type: ignore[assignment]
_T_QUARANTINE: Table = QuarantinedOp.__table__  # type: ignore[assignment]
_T_DAY: Table = CounterDay.__table__  # type: ignore[assignment]
_T_PROPERTY: Table = PropertyRecord.__table__  # type: ignore[assignment]
_T_CONFLICT: Table = SyncConflict.__table__  # type: ignore[assignment]
_T_DEMAND: Table = DemandSummary.__table__  # type: ignore[assignment]
_T_SERIES: Table = ReceiptSeries.__table__  # type: ignore[assignment]

_FY = re.compile(r"^\d{4}-\d{2}$")
# What a receipt line pays (issue 5); a line without "service" is a property line. The device's own
# list, so a service added there (building-permit fees) is accepted here too.
SERVICE_PROPERTY = Service.PROPERTY.value
SERVICES = tuple(service.value for service in Service)
_CANCEL_KINDS = {OpKind.RECEIPT_CANCELLED.value: "CANCELLED", OpKind.RECEIPT_DISHONOURED.value: "DISHONOURED"}
SECOND_CANCELLATION = "second_cancellation"  # anomaly kind: a receipt taken back twice (both kept)
OP_REUSE = "op_reuse"  # anomaly kind: an op_id or device_seq used again for another operation
MALFORMED = "malformed_op"
# A push's receipts go to the feed as one change_log row when there are at least this many in a row
# (a 500-receipt push is one row to write, stamp and pull, not 500); fewer stay one row each (a
# counter's everyday push is a handful of receipts; the tests of the feed count rows per receipt).
PAYMENT_BATCH_MIN = 64


_MAX_BIGINT = 2**63 - 1


def _dumps(value: Any) -> str:
    """JSON text for a JSONB parameter (orjson; json for what orjson refuses, e.g. a huge int)."""
    try:
        return orjson.dumps(value).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False)


def _printable(text: str) -> str:
    return text.replace("\x00", "\ufffd")


def unstorable(op: Op) -> str | None:
    """Why the op's own fields cannot be a sync_op row (it is quarantined, never a 500), or None."""
    if len(op.op_id) > 36 or len(op.kind) > 40:
        return "op_id or kind too long"
    if op.device_seq > _MAX_BIGINT:
        return "device_seq out of range"
    if "\x00" in op.op_id or "\x00" in op.kind:
        return "op_id or kind holds a NUL character"
    return None


class RawJson(str):
    """JSON text made already (a JSON column's value that needs no second encoding)."""


_EMPTY_RESULT = RawJson("{}")  # a plain acceptance (see result_json), encoded once


class Malformed(ValueError):
    """An op payload the central cannot read: the op is quarantined (kept, never applied)."""


# --- payload readers (every length is checked: an overlong value must quarantine one op, not 500) ----


def _text(payload: dict[str, Any], key: str, limit: int, required: bool = True) -> str:
    value = payload.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise Malformed(f"{key}: a non-empty string is required")
    if len(value) > limit:
        raise Malformed(f"{key}: longer than {limit} characters")
    if "\x00" in value:
        raise Malformed(f"{key}: holds a NUL character")
    return value


def _int(payload: dict[str, Any], key: str, minimum: int | None = None) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Malformed(f"{key}: an integer is required")
    if minimum is not None and value < minimum:
        raise Malformed(f"{key}: must be at least {minimum}")
    if abs(value) >= 2**62:
        raise Malformed(f"{key}: out of range")
    return value


def _day(value: Any, key: str) -> date:
    if not isinstance(value, str):
        raise Malformed(f"{key}: an ISO date is required")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as error:
        raise Malformed(f"{key}: {error}") from error


def _moment(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise Malformed(f"{key}: an ISO timestamp is required")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise Malformed(f"{key}: {error}") from error
    return as_utc(moment)


@dataclass
class ParsedReceipt:
    row: dict[str, Any]
    lines: list[dict[str, Any]]


def parse_receipt(payload: dict[str, Any]) -> ParsedReceipt:
    """The receipt row and line rows of a receipt.created payload; raises Malformed (the op is
    quarantined) with what is wrong. A well-formed payload takes the fast path (the same checks, in
    one expression); anything it is unsure of goes through the field-by-field checks that name the
    fault."""
    parsed = _parse_receipt_fast(payload)
    return parsed if parsed is not None else _parse_receipt_checked(payload)


_INT_LIMIT = 2**62


def _parse_receipt_fast(payload: dict[str, Any]) -> ParsedReceipt | None:
    """parse_receipt for a payload every check passes on, or None (never raises, never accepts what
    _parse_receipt_checked refuses: tests/central/test_sync_perf_parse.py)."""
    get: Callable[..., Any] = payload.get
    uuid, series_key, receipt_no, mode = get("uuid"), get("series_key"), get("receipt_no"), get("mode")
    property_uuid = get("property_uuid")
    payer_name, instrument_no = get("payer_name", ""), get("instrument_no", "")
    prev_hash, chain = get("prev_hash", ""), get("hash", "")
    payer_name = "" if payer_name is None else payer_name
    instrument_no = "" if instrument_no is None else instrument_no
    prev_hash = "" if prev_hash is None else prev_hash
    chain = "" if chain is None else chain
    if property_uuid is None:
        if "property_uuid" not in payload:
            return None
        texts: tuple[Any, ...] = (uuid, series_key, receipt_no, mode, payer_name, instrument_no, prev_hash, chain)
    else:
        texts = (uuid, series_key, receipt_no, mode, payer_name, instrument_no, prev_hash, chain, property_uuid)
    if not (
        all(type(text) is str for text in texts)
        and 0 < len(uuid) <= 36
        and 0 < len(series_key) <= 60
        and 0 < len(receipt_no) <= 60
        and 0 < len(mode) <= 8
        and len(payer_name) <= 200
        and len(instrument_no) <= 40
        and len(prev_hash) <= 64
        and len(chain) <= 64
        and (property_uuid is None or 0 < len(property_uuid) <= 36)
        and "\x00" not in "".join(texts)
    ):
        return None
    seq, amount, day_text, moment_text = get("seq"), get("amount_paise"), get("business_date"), get("collected_at")
    if not (
        type(seq) is int
        and 1 <= seq < 2**31
        and type(amount) is int
        and -_INT_LIMIT < amount < _INT_LIMIT
        and type(day_text) is str
        and type(moment_text) is str
    ):
        return None
    try:
        business = date.fromisoformat(day_text[:10])
        collected_at = as_utc(datetime.fromisoformat(moment_text))
    except ValueError:
        return None
    raw_lines = get("lines")
    if type(raw_lines) is not list:
        return None
    lines = []
    for ordinal, line in enumerate(raw_lines, start=1):
        if type(line) is not dict:
            return None
        fy_l, head, paise = line.get("fy"), line.get("head"), line.get("amount_paise")
        service, account, period = line.get("service", SERVICE_PROPERTY), line.get("account"), line.get("period")
        account = "" if account is None else account
        period = "" if period is None else period
        if not (
            type(fy_l) is str
            and type(head) is str
            and type(account) is str
            and type(period) is str
            and 0 < len(fy_l) <= 7
            and 0 < len(head) <= 24
            and len(account) <= 36
            and len(period) <= 10
            and type(paise) is int
            and -_INT_LIMIT < paise < _INT_LIMIT
            and type(service) is str
            and service in SERVICES
            and "\x00" not in fy_l + head + account + period
        ):
            return None
        lines.append(
            {
                "receipt_uuid": uuid,
                "ordinal": ordinal,
                "fy": fy_l,
                "head": head,
                "amount_paise": paise,
                "service": service,
                "account": account,
                "period": period,
            }
        )
    fy = get("fy")
    if not isinstance(fy, str) or not _FY.match(fy):
        tail = series_key.rsplit("/", 1)[-1]
        fy = tail if _FY.match(tail) else FinancialYear.of(business).code
    row: dict[str, Any] = {
        "uuid": uuid,
        "receipt_no": receipt_no,
        "series_key": series_key,
        "seq": seq,
        "fy": fy,
        "property_uuid": property_uuid,
        "payer_name": payer_name,
        "collected_at": collected_at,
        "business_date": business,
        "mode": mode,
        "amount_paise": amount,
        "instrument_no": instrument_no,
        "prev_hash": prev_hash,
        "hash": chain,
    }
    return ParsedReceipt(row=row, lines=lines)


def _parse_receipt_checked(payload: dict[str, Any]) -> ParsedReceipt:
    uuid = _text(payload, "uuid", 36)
    series_key = _text(payload, "series_key", 60)
    business = _day(payload.get("business_date"), "business_date")
    fy = payload.get("fy")
    if not isinstance(fy, str) or not _FY.match(fy):
        tail = series_key.rsplit("/", 1)[-1]
        fy = tail if _FY.match(tail) else FinancialYear.of(business).code
    raw_lines = payload.get("lines")
    if not isinstance(raw_lines, list):
        raise Malformed("lines: a list is required")
    lines = []
    for ordinal, line in enumerate(raw_lines, start=1):
        if not isinstance(line, dict):
            raise Malformed("lines: each line must be an object")
        service = line.get("service", SERVICE_PROPERTY)
        if service not in SERVICES:
            raise Malformed(f"lines: service must be one of {', '.join(SERVICES)}")
        lines.append(
            {
                "receipt_uuid": uuid,
                "ordinal": ordinal,
                "fy": _text(line, "fy", 7),
                "head": _text(line, "head", 24),
                "amount_paise": _int(line, "amount_paise"),
                "service": service,
                "account": _text(line, "account", 36, required=False),
                "period": _text(line, "period", 10, required=False),
            }
        )
    seq = _int(payload, "seq", minimum=1)
    if seq >= 2**31:
        raise Malformed("seq: out of range")
    row: dict[str, Any] = {
        "uuid": uuid,
        "receipt_no": _text(payload, "receipt_no", 60),
        "series_key": series_key,
        "seq": seq,
        "fy": fy,
        # null: a receipt for water, a licence or user charges only (issue 5); absent is malformed
        "property_uuid": (
            None
            if "property_uuid" in payload and payload["property_uuid"] is None
            else _text(payload, "property_uuid", 36)
        ),
        "payer_name": _text(payload, "payer_name", 200, required=False),
        "collected_at": _moment(payload.get("collected_at"), "collected_at"),
        "business_date": business,
        "mode": _text(payload, "mode", 8),
        "amount_paise": _int(payload, "amount_paise"),
        "instrument_no": _text(payload, "instrument_no", 40, required=False),
        "prev_hash": _text(payload, "prev_hash", 64, required=False),
        "hash": _text(payload, "hash", 64, required=False),
    }
    return ParsedReceipt(row=row, lines=lines)


def payment_change_payload(row: dict[str, Any], lines: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What other devices of the ULB get for a receipt (pull and snapshot alike)."""
    return {
        "uuid": row["uuid"],
        "receipt_no": row["receipt_no"],
        "property_uuid": row["property_uuid"],
        "business_date": row["business_date"].isoformat(),
        "collected_at": as_utc(row["collected_at"]).isoformat() if row.get("collected_at") else None,
        "amount_paise": row["amount_paise"],
        "mode": row["mode"],
        "source": row.get("source", "COUNTER"),
        "lines": [_line_change_payload(line) for line in lines],
    }


def _line_change_payload(line: dict[str, Any]) -> dict[str, Any]:
    """A property line keeps its three keys (what devices before issue 5 read); other services add
    service, account and period."""
    out = {"fy": line["fy"], "head": line["head"], "amount_paise": line["amount_paise"]}
    service = line.get("service") or SERVICE_PROPERTY
    if service != SERVICE_PROPERTY:
        out.update(service=service, account=line.get("account") or "", period=line.get("period") or "")
    return out


def result_json(result: OpResult) -> dict[str, Any]:
    """What sync_op.result keeps. A plain acceptance (most receipts) is {}: op_id, device_seq and
    status are columns of the row already, and the row is written for every op."""
    plain = not (result.flags or result.message or result.merged is not None or result.conflict_uuid is not None)
    if result.status == OpStatus.ACCEPTED and plain and result.server_version is None:
        return {}
    return result.model_dump(mode="json", exclude_defaults=True, exclude={"op_id", "device_seq"})


_ARRAY_TYPES: dict[tuple[str, tuple[str, ...], tuple[bool, ...]], tuple[str, tuple[bool, ...]]] = {}


def _unnest_sql(
    connection: Connection, table: Table, columns: tuple[str, ...], constant: tuple[bool, ...]
) -> tuple[str, tuple[bool, ...]]:
    """INSERT … SELECT FROM unnest(one array per column): one short statement whatever the row count,
    so PostgreSQL and psycopg parse it once (a multi-VALUES statement of 500 rows is re-parsed on
    every call and costs more than the rows themselves). A column whose value is the same in every
    row (`constant`: the device, the ULB, the time of the push, an empty flag list …) is one scalar
    parameter instead of an array: psycopg dumps arrays element by element in Python."""
    key = (table.name, columns, constant)
    cached = _ARRAY_TYPES.get(key)
    if cached is None:
        scalars, arrays, names, is_json = [], [], [], []
        for name, fixed in zip(columns, constant, strict=True):
            column_type = table.c[name].type.dialect_impl(connection.dialect)
            sql_type = column_type.compile(dialect=connection.dialect)
            json_column = sql_type == "JSONB"
            is_json.append(json_column)
            if fixed:
                scalars.append(f"%b::TEXT::JSONB AS {name}" if json_column else f"%b::{sql_type} AS {name}")
            else:
                arrays.append(f"%b::{'TEXT' if json_column else sql_type}[]")
                names.append(name)
                scalars.append(f"{name}::JSONB" if json_column else name)
        sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"SELECT {', '.join(scalars)} FROM unnest({', '.join(arrays)}) AS t({', '.join(names)})"
        )
        cached = _ARRAY_TYPES[key] = (sql, tuple(is_json))
    return cached


def bulk_insert(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict_target: str | None = None,
    returning: str | None = None,
) -> list[Any]:
    """Insert `rows` (all with the same keys) in one statement; ON CONFLICT (target) DO NOTHING when
    `conflict_target` is "" (any constraint) or a column list; returns the `returning` column."""
    if not rows:
        return []
    if connection.dialect.name != "postgresql":  # the SQLite demo: SQLAlchemy's executemany
        rows = [{k: json.loads(v) if isinstance(v, RawJson) else v for k, v in row.items()} for row in rows]
        statement: Any = sqlite.insert(table)
        if conflict_target is not None:
            targets = [c.strip() for c in conflict_target.split(",") if c.strip()]
            statement = statement.on_conflict_do_nothing(index_elements=targets or None)
        if returning is None:
            connection.execute(statement, list(rows))
            return []
        return list(connection.execute(statement.returning(table.c[returning]), list(rows)).scalars())
    sql, params = _pg_bulk_insert(connection, table, rows, conflict_target, returning)
    result = connection.exec_driver_sql(sql, params)
    return list(result.scalars()) if returning is not None else []


def _pg_bulk_insert(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict_target: str | None = None,
    returning: str | None = None,
) -> tuple[str, tuple[Any, ...]]:
    columns = tuple(rows[0])
    suffix = ""
    if conflict_target is not None:
        suffix += f" ON CONFLICT ({conflict_target}) DO NOTHING" if conflict_target else " ON CONFLICT DO NOTHING"
    if returning is not None:
        suffix += f" RETURNING {returning}"
    columns_values = [[row[name] for row in rows] for name in columns]
    # The first column stays an array (unnest needs one); a column is constant when every row holds
    # its first row's value (list.count compares in C).
    constant = tuple(
        position > 0 and values.count(values[0]) == len(values) for position, values in enumerate(columns_values)
    )
    sql, is_json = _unnest_sql(connection, table, columns, constant)
    sql += suffix
    scalars: list[Any] = []
    arrays: list[Any] = []
    for column_values, json_column, fixed in zip(columns_values, is_json, constant, strict=True):
        values = column_values[:1] if fixed else column_values
        if json_column:
            values = [v if v is None or isinstance(v, RawJson) else _dumps(v) for v in values]
        if fixed:
            scalars.append(values[0])
        else:
            arrays.append(values)
    return sql, (*scalars, *arrays)


def _dialect_insert(connection: Connection, table: Table) -> postgresql.Insert:
    """INSERT … ON CONFLICT for the connection's dialect (both spell it alike; typed as PG's)."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)  # type: ignore[return-value]


# --- the batch ------------------------------------------------------------------------------------


@dataclass
class _Stored:
    op_id: str
    device_seq: int
    payload_sha256: str
    status: str
    result: dict[str, Any]


@dataclass
class _Batch:
    connection: Connection
    device: DeviceContext
    settings: CentralSettings
    now: datetime
    clock_skew_s: int | None
    today: date = field(init=False)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    cancellations: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    payment_run: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # receipt state: DB rows read up front, then this batch's rows as they are applied
    receipt_by_uuid: dict[str, str] = field(default_factory=dict)  # uuid -> sha of its payload
    series_rows: dict[tuple[str, int], list[tuple[str, str]]] = field(default_factory=dict)  # -> [(uuid, hash)]
    cancel_by_uuid: dict[str, str] = field(default_factory=dict)  # cancellation uuid -> payload sha
    cancelled_receipts: set[str] = field(default_factory=set)
    sessions: dict[str, tuple[date, bool]] = field(default_factory=dict)  # session uuid -> (day, closed)
    grouped_flags: dict[tuple[str, date], list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.today = business_date(self.now)

    def anomaly(self, kind: str, entity_uuid: str, detail: dict[str, Any]) -> None:
        self.anomalies.append(
            {
                "ulb_code": self.device.ulb_code,
                "device_id": self.device.device_id,
                "kind": kind,
                "entity_uuid": _printable(entity_uuid)[:36],
                "detail": detail,
                "at": self.now,
                "resolved_at": None,
            }
        )

    def payment(self, uuid: str, payload: dict[str, Any]) -> None:
        """A receipt of this push for the other devices: kept in a run, written by flush_payments."""
        self.payment_run.append((uuid, payload))

    def flush_payments(self) -> None:
        """The receipts accepted since the last other change: one "payment_batch" row (payload
        {"items": [the "payment" payload of each]}) for a run of PAYMENT_BATCH_MIN or more, one
        "payment" row each below that. A run ends at any other change, so the feed keeps the device's
        order (a cancellation never comes before its receipt)."""
        run, self.payment_run = self.payment_run, []
        if len(run) >= PAYMENT_BATCH_MIN:
            self._append_change(ChangeEntity.PAYMENT_BATCH, run[0][0], {"items": [p for _, p in run]}, 1, True)
        else:
            for uuid, payload in run:
                self._append_change(ChangeEntity.PAYMENT, uuid, payload, 1, True)

    def change(
        self, entity: str, entity_uuid: str, payload: dict[str, Any], version: int = 1, own: bool = True
    ) -> None:
        self.flush_payments()
        self._append_change(entity, entity_uuid, payload, version, own)

    def _append_change(self, entity: str, entity_uuid: str, payload: dict[str, Any], version: int, own: bool) -> None:
        self.changes.append(
            {
                "ulb_code": self.device.ulb_code,
                "entity": entity,
                "entity_uuid": entity_uuid,
                "op": "upsert",
                "version": version,
                "payload": payload,
                "origin_device_id": self.device.device_id if own else None,
                "created_at": self.now,
            }
        )

    def quarantine(self, op: Op, reason: str, claim: bool) -> OpResult:
        """Keep the op whole for support. `claim`: store its result under its op_id (a replay gets the
        same answer); not when the op_id/device_seq belongs to another op already."""
        # PostgreSQL text holds no NUL character: what cannot be stored as sent is stored as U+FFFD.
        self.quarantined.append(
            {
                "device_id": self.device.device_id,
                "op_id": _printable(op.op_id)[:36],
                "device_seq": min(op.device_seq, _MAX_BIGINT),
                "reason": reason,
                "op": RawJson(op.model_dump_json().replace("\\u0000", "\\ufffd")),
                "at": self.now,
            }
        )
        kind = MALFORMED if claim else OP_REUSE
        self.anomaly(kind, _printable(op.entity_uuid), {"op_id": _printable(op.op_id), "reason": reason})
        return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.QUARANTINED, message=reason)


# --- pre-reads --------------------------------------------------------------------------------------


def member_of(connection: Connection, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `= ANY(array)`: one parameter, so a 500-value list does not
    make a 500-placeholder statement to parse on every push."""
    if connection.dialect.name != "postgresql":
        return cast("ColumnElement[bool]", column.in_(values))
    item_type = BigInteger() if isinstance(column.type, (Integer, BigInteger)) else String()
    return cast("ColumnElement[bool]", column == any_(bindparam(None, list(values), type_=ARRAY(item_type))))


def _stored_ops(connection: Connection, device_id: str, ops: Sequence[Op]) -> list[_Stored]:
    op_ids = list({op.op_id for op in ops})
    seqs = list({op.device_seq for op in ops})
    t = _T_SYNC_OP
    rows = connection.execute(
        select(t.c.op_id, t.c.device_seq, t.c.payload_sha256, t.c.status, t.c.result).where(
            t.c.device_id == device_id,
            or_(member_of(connection, t.c.op_id, op_ids), member_of(connection, t.c.device_seq, seqs)),
        )
    ).all()
    return [_Stored(r.op_id, int(r.device_seq), r.payload_sha256, r.status, r.result) for r in rows]


StateRow = tuple[str, str, str | None, int | None, str | None, Any, date | None, int | None]
Begun = tuple[tuple[int, int | None, str], set[str], list[StateRow]]

_LOCK_PG = (
    "SELECT d.last_device_seq, d.last_clock_skew_s, m.server_epoch FROM device AS d "
    "JOIN server_meta AS m ON m.id = 1 WHERE d.device_id = %b FOR UPDATE OF d"
)
# The receipts of this batch the central holds already (by uuid); the neighbours of each series
# range (the seq before the lowest up to the highest: chain and collision checks); this device's
# counter sessions on the business days concerned. One statement whatever the batch holds.
_STATE_PG = """
SELECT 'u', uuid, payload_sha256, NULL::BIGINT, NULL,
       CASE WHEN payload_sha256 = '' THEN payload END, NULL::DATE, NULL::INT
  FROM receipt WHERE uuid = ANY(%b::VARCHAR[])
UNION ALL
SELECT 's', r.uuid, r.series_key, r.seq, r.hash, NULL::JSONB, NULL::DATE, NULL::INT
  FROM unnest(%b::VARCHAR[], %b::INT[], %b::INT[]) AS b(series_key, low, high)
  JOIN receipt AS r ON r.series_key = b.series_key AND r.seq BETWEEN b.low AND b.high
UNION ALL
SELECT 'd', uuid, NULL, NULL::BIGINT, NULL, NULL::JSONB, business_date,
       CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END
  FROM counter_day WHERE device_id = %b AND business_date = ANY(%b::DATE[])
"""


def _series_bounds(parsed: Sequence[ParsedReceipt]) -> dict[str, tuple[int, int]]:
    bounds: dict[str, tuple[int, int]] = {}
    for p in parsed:
        key, seq = p.row["series_key"], p.row["seq"]
        low, high = bounds.get(key, (seq, seq))
        bounds[key] = (min(low, seq), max(high, seq))
    return {key: (low - 1, high) for key, (low, high) in bounds.items()}


def _begin_pg(
    connection: Connection,
    device_id: str,
    claim_rows: list[dict[str, Any]],
    parsed: Sequence[ParsedReceipt],
    optimistic: bool = False,
) -> Begun | None:
    raw: Any = connection.connection.driver_connection  # the psycopg connection, same transaction
    bounds = _series_bounds(parsed)
    with raw.pipeline():
        lock, claim, state = raw.cursor(), raw.cursor(), raw.cursor()
        lock.execute(_LOCK_PG, (device_id,))
        if claim_rows:
            # optimistic: a plain INSERT (no ON CONFLICT arbitration per row); an op the central holds
            # already makes it fail with a unique violation and ingest() runs the push again with
            # ON CONFLICT DO NOTHING (a replay costs a second try; a new op ~1.5 µs of PostgreSQL less).
            conflict = None if optimistic else ""
            claim.execute(
                *_pg_bulk_insert(connection, _T_SYNC_OP, claim_rows, conflict_target=conflict, returning="op_id")
            )
        if parsed:
            state.execute(
                _STATE_PG,
                (
                    # optimistic: no look-up of the batch's receipt uuids; one the central holds
                    # already fails the receipt INSERT (unique) and the push runs again with it
                    [] if optimistic else [p.row["uuid"] for p in parsed],
                    list(bounds),
                    [low for low, _ in bounds.values()],
                    [high for _, high in bounds.values()],
                    device_id,
                    list({p.row["business_date"] for p in parsed}),
                ),
            )
    try:
        row = lock.fetchone()
        won = {r[0] for r in claim.fetchall()} if claim_rows else set()
        rows = state.fetchall() if parsed else []
    finally:
        for cursor in (lock, claim, state):
            cursor.close()
    if row is None:
        return None
    return (int(row[0]), row[1], row[2]), won, rows


def _begin_generic(
    connection: Connection, device_id: str, claim_rows: list[dict[str, Any]], parsed: Sequence[ParsedReceipt]
) -> Begun | None:
    """The same as _begin_pg, statement by statement (the SQLite demo; a fresh PG database)."""
    meta: Table = ServerMeta.__table__  # type: ignore[assignment]
    row = connection.execute(
        select(Device.last_device_seq, Device.last_clock_skew_s, meta.c.server_epoch)
        .select_from(Device.__table__.join(meta, meta.c.id == 1))
        .where(Device.device_id == device_id)
        .with_for_update(of=Device.__table__)
    ).one_or_none()
    if row is None:
        return None
    won = set(bulk_insert(connection, _T_SYNC_OP, claim_rows, conflict_target="", returning="op_id"))
    rows: list[StateRow] = []
    if parsed:
        t, d = _T_RECEIPT, _T_DAY
        text_null, int_null = sql_cast(null(), String), sql_cast(null(), BigInteger)
        payload_null, day_null = sql_cast(null(), t.c.payload.type), sql_cast(null(), Date)
        stored_payload = case((t.c.payload_sha256 == "", t.c.payload), else_=payload_null)
        parts = [
            select(
                literal("u"), t.c.uuid, t.c.payload_sha256, int_null, text_null, stored_payload, day_null, int_null
            ).where(t.c.uuid.in_([p.row["uuid"] for p in parsed]))
        ]
        for key, (low, high) in _series_bounds(parsed).items():
            parts.append(
                select(
                    literal("s"), t.c.uuid, t.c.series_key, t.c.seq, t.c.hash, payload_null, day_null, int_null
                ).where(t.c.series_key == key, t.c.seq >= low, t.c.seq <= high)
            )
        closed = case((d.c.closed_at.is_(None), 0), else_=1)
        parts.append(
            select(
                literal("d"), d.c.uuid, text_null, int_null, text_null, payload_null, d.c.business_date, closed
            ).where(d.c.device_id == device_id, d.c.business_date.in_(list({p.row["business_date"] for p in parsed})))
        )
        rows = [tuple(r) for r in connection.execute(union_all(*parts))]
    return (int(row.last_device_seq), row.last_clock_skew_s, row.server_epoch), won, rows


def _apply_receipt_state(batch: _Batch, rows: Sequence[StateRow]) -> None:
    for kind, uuid, key, seq, chain, payload, day, is_closed in rows:
        if kind == "u":
            # payload_sha256 ('' for a receipt stored before c0003, or an online one: hash its payload)
            if key:
                batch.receipt_by_uuid[uuid] = key
            elif payload is not None:
                batch.receipt_by_uuid[uuid] = payload_sha256(
                    payload if isinstance(payload, dict) else json.loads(payload)
                )
            else:
                batch.receipt_by_uuid[uuid] = ""
        elif kind == "s" and key is not None and seq is not None:
            batch.series_rows.setdefault((key, int(seq)), []).append((uuid, chain or ""))
        elif kind == "d" and day is not None:
            batch.sessions[uuid] = (day, bool(is_closed))


def _read_cancellation_state(batch: _Batch, ops: Sequence[Op]) -> None:
    cancel_uuids: list[str] = []
    receipt_uuids: list[str] = []
    for op in ops:
        uuid, receipt_uuid = op.payload.get("uuid", op.entity_uuid), op.payload.get("receipt_uuid")
        if isinstance(uuid, str):
            cancel_uuids.append(uuid)
        if isinstance(receipt_uuid, str):
            receipt_uuids.append(receipt_uuid)
    if not cancel_uuids and not receipt_uuids:
        return
    t = _T_CANCEL
    rows = batch.connection.execute(
        select(t.c.uuid, t.c.receipt_uuid, t.c.payload).where(
            or_(
                member_of(batch.connection, t.c.uuid, cancel_uuids),
                member_of(batch.connection, t.c.receipt_uuid, receipt_uuids),
            )
        )
    )
    for row in rows:
        batch.cancel_by_uuid[row.uuid] = payload_sha256(row.payload)
        batch.cancelled_receipts.add(row.receipt_uuid)


# --- money ------------------------------------------------------------------------------------------


def _day_closed(batch: _Batch, day: date) -> bool:
    """The device closed its counter day(s) for `day` and none is open again."""
    states = [closed for (session_day, closed) in batch.sessions.values() if session_day == day]
    return bool(states) and all(states)


def _apply_receipt(batch: _Batch, op: Op, parsed: ParsedReceipt | Malformed) -> OpResult:
    if isinstance(parsed, Malformed):
        return batch.quarantine(op, f"malformed receipt: {parsed}", claim=True)
    row = dict(parsed.row)
    uuid = row["uuid"]
    known = batch.receipt_by_uuid.get(uuid)
    if known is not None:
        if known == op.payload_sha256:
            return OpResult(
                op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.DUPLICATE, message="receipt already held"
            )
        return batch.quarantine(op, "receipt uuid already held with other content", claim=True)
    flags: list[str] = []
    key, seq = row["series_key"], row["seq"]
    others = [other for other in batch.series_rows.get((key, seq), []) if other[0] != uuid]
    if others:
        flags.append(Flag.NUMBER_COLLISION)
        batch.anomaly(
            Flag.NUMBER_COLLISION, uuid, {"receipt_no": row["receipt_no"], "other_uuids": [o[0] for o in others]}
        )
    previous = batch.series_rows.get((key, seq - 1))
    if previous and row["prev_hash"] not in {h for _, h in previous}:
        flags.append(Flag.CHAIN_BREAK)
        batch.anomaly(Flag.CHAIN_BREAK, uuid, {"receipt_no": row["receipt_no"], "prev_hash": row["prev_hash"]})
    day: date = row["business_date"]
    if day < batch.today - timedelta(days=batch.settings.late_arrival_days):
        flags.append(Flag.LATE_ARRIVAL)
        batch.grouped_flags[(Flag.LATE_ARRIVAL, day)].append(uuid)
    if _day_closed(batch, day):
        flags.append(Flag.DAY_CLOSED)
        batch.anomaly(Flag.DAY_CLOSED, uuid, {"receipt_no": row["receipt_no"], "business_date": day.isoformat()})
    # The device clock: its offset measured at hello, or an op stamped in the future. (An old
    # device_time is not skew: the op was made offline and is arriving late.)
    ahead = int((as_utc(op.device_time) - batch.now).total_seconds())
    skew = batch.clock_skew_s
    if ahead > batch.settings.clock_skew_flag_s and (skew is None or ahead > abs(skew)):
        skew = ahead
    if skew is not None and abs(skew) > batch.settings.clock_skew_flag_s:
        flags.append(Flag.CLOCK_SKEW)
        batch.grouped_flags[(Flag.CLOCK_SKEW, day)].append(uuid)
    row.update(
        ulb_code=batch.device.ulb_code,
        device_id=batch.device.device_id,
        source="COUNTER",
        payload_sha256=op.payload_sha256,  # checked against the payload by _apply; no JSONB copy
        server_received_at=batch.now,
        skew_s=skew,
        flags=flags,
    )
    batch.receipts.append(row)
    batch.lines.extend(parsed.lines)
    batch.receipt_by_uuid[uuid] = op.payload_sha256
    batch.series_rows.setdefault((key, seq), []).append((uuid, row["hash"]))
    batch.payment(uuid, payment_change_payload(row, parsed.lines))
    return op_result(op.op_id, op.device_seq, OpStatus.ACCEPTED, flags)


def _apply_cancellation(batch: _Batch, op: Op) -> OpResult:
    payload = op.payload
    try:
        uuid = _text(payload, "uuid", 36) if "uuid" in payload else _text({"uuid": op.entity_uuid}, "uuid", 36)
        receipt_uuid = _text(payload, "receipt_uuid", 36)
        kind = str(payload.get("kind") or _CANCEL_KINDS[op.kind])[:12]
        at = _moment(payload["at"], "at") if "at" in payload else as_utc(op.device_time)
        day = _day(payload["business_date"], "business_date") if "business_date" in payload else business_date(at)
        reason = payload.get("reason", "")
        if not isinstance(reason, str):
            raise Malformed("reason: a string is required")
    except Malformed as error:
        return batch.quarantine(op, f"malformed cancellation: {error}", claim=True)
    known = batch.cancel_by_uuid.get(uuid)
    if known is not None:
        if known == op.payload_sha256:
            return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.DUPLICATE)
        return batch.quarantine(op, "cancellation uuid already held with other content", claim=True)
    flags: list[str] = []
    if receipt_uuid in batch.cancelled_receipts:
        flags.append(SECOND_CANCELLATION)
        batch.anomaly(SECOND_CANCELLATION, receipt_uuid, {"cancellation_uuid": uuid, "kind": kind})
    batch.cancellations.append(
        {
            "uuid": uuid,
            "receipt_uuid": receipt_uuid,
            "ulb_code": batch.device.ulb_code,
            "device_id": batch.device.device_id,
            "kind": kind,
            "reason": reason,
            "at": at,
            "business_date": day,
            "payload": payload,
            "flags": flags,
        }
    )
    batch.cancel_by_uuid[uuid] = op.payload_sha256
    batch.cancelled_receipts.add(receipt_uuid)
    batch.change(
        ChangeEntity.PAYMENT_CANCELLATION,
        uuid,
        cancellation_change_payload(
            {"uuid": uuid, "receipt_uuid": receipt_uuid, "kind": kind, "reason": reason, "at": at, "business_date": day}
        ),
    )
    return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.ACCEPTED, flags=flags)


def _apply_session(batch: _Batch, op: Op) -> OpResult:
    payload = op.payload
    try:
        uuid = _text(payload, "uuid", 36) if "uuid" in payload else _text({"uuid": op.entity_uuid}, "uuid", 36)
        day = (
            _day(payload["business_date"], "business_date")
            if "business_date" in payload
            else business_date(as_utc(op.device_time))
        )
    except Malformed as error:
        return batch.quarantine(op, f"malformed counter session: {error}", claim=True)
    insert = _dialect_insert(batch.connection, _T_DAY)
    base = {"uuid": uuid, "ulb_code": batch.device.ulb_code, "device_id": batch.device.device_id, "business_date": day}
    if op.kind == OpKind.SESSION_OPENED:
        batch.connection.execute(
            insert.values(**base, opened=payload, closed=null(), closed_at=None).on_conflict_do_nothing(
                index_elements=["uuid"]
            )
        )
        batch.sessions.setdefault(uuid, (day, False))
    else:
        closed_at = as_utc(op.device_time)
        statement = insert.values(**base, opened={}, closed=payload, closed_at=closed_at)
        batch.connection.execute(
            statement.on_conflict_do_update(
                index_elements=["uuid"], set_={"closed": statement.excluded.closed, "closed_at": closed_at}
            )
        )
        batch.sessions[uuid] = (batch.sessions.get(uuid, (day, True))[0], True)
    return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.ACCEPTED)


# --- master data ------------------------------------------------------------------------------------


def _property_fields(payload: dict[str, Any]) -> dict[str, Any]:
    return {name: payload[name] for name in PROPERTY_MERGE_FIELDS if name in payload}


def _lock_property(batch: _Batch, uuid: str) -> Any:
    t = _T_PROPERTY
    return batch.connection.execute(
        select(t.c.uuid, t.c.ulb_code, t.c.version, t.c.fields).where(t.c.uuid == uuid).with_for_update()
    ).one_or_none()


def _save_property(batch: _Batch, uuid: str, version: int, fields: dict[str, Any], new: bool) -> None:
    t = _T_PROPERTY
    values = {
        "version": version,
        "fields": fields,
        "updated_at": batch.now,
        "updated_by_device_id": batch.device.device_id,
    }
    if new:
        batch.connection.execute(t.insert().values(uuid=uuid, ulb_code=batch.device.ulb_code, **values))
    else:
        batch.connection.execute(update(t).where(t.c.uuid == uuid).values(**values))
    batch.change(ChangeEntity.PROPERTY, uuid, {"uuid": uuid, **fields}, version=version)


def cancellation_change_payload(row: dict[str, Any]) -> dict[str, Any]:
    """What other devices of the ULB get for a cancellation or dishonour (pull and snapshot alike)."""
    return {
        "uuid": row["uuid"],
        "receipt_uuid": row["receipt_uuid"],
        "kind": row["kind"],
        "reason": row["reason"],
        "at": as_utc(row["at"]).isoformat(),
        "business_date": row["business_date"].isoformat(),
    }


def conflict_change_payload(row: dict[str, Any]) -> dict[str, Any]:
    """What the devices of the ULB get for a master-data conflict (pull and snapshot alike)."""
    return {
        "uuid": row["uuid"],
        "entity": row["entity"],
        "entity_uuid": row["entity_uuid"],
        "device_id": row["device_id"],
        "fields": row["fields"],
        "created_at": row["created_at"].isoformat(),
        "resolved": row.get("resolved_at") is not None,
        "resolution": row.get("resolution"),
    }


def _apply_property(batch: _Batch, op: Op) -> OpResult:
    try:
        uuid = _text(op.payload, "uuid", 36) if "uuid" in op.payload else _text({"u": op.entity_uuid}, "u", 36)
    except Malformed as error:
        return batch.quarantine(op, f"malformed property: {error}", claim=True)
    mine = _property_fields(op.payload)
    current = _lock_property(batch, uuid)
    ok = {"op_id": op.op_id, "device_seq": op.device_seq}
    if current is not None and current.ulb_code != batch.device.ulb_code:
        return batch.quarantine(op, "this property belongs to another ULB", claim=True)
    if current is None:
        _save_property(batch, uuid, 1, mine, new=True)
        flags = [Flag.UNKNOWN_PROPERTY.value] if op.kind != OpKind.PROPERTY_CREATED else []
        return OpResult(**ok, status=OpStatus.ACCEPTED, flags=flags, server_version=1, merged=mine)
    theirs: dict[str, Any] = dict(current.fields)
    conflicts: tuple[FieldConflict, ...] = ()
    if op.base_version is not None and op.base_version == current.version:
        merged = {**theirs, **mine}
    else:
        outcome = three_way_merge(op.base_values or {}, mine, theirs)
        merged, conflicts = outcome.merged, outcome.conflicts
    version = int(current.version)
    if merged != theirs:
        version += 1
        _save_property(batch, uuid, version, merged, new=False)
    if not conflicts:
        return OpResult(**ok, status=OpStatus.ACCEPTED, server_version=version, merged=merged)
    conflict: dict[str, Any] = {
        "uuid": str(uuidlib.uuid4()),
        "ulb_code": batch.device.ulb_code,
        "entity": "property",
        "entity_uuid": uuid,
        "device_id": batch.device.device_id,
        "op_id": op.op_id[:36],
        "fields": {c.field: {"base": c.base, "mine": c.mine, "theirs": c.theirs} for c in conflicts},
        "created_at": batch.now,
        "resolved_at": None,
        "resolution": None,
    }
    batch.connection.execute(_T_CONFLICT.insert().values(**conflict))
    # Every device of the ULB gets it (a supervisor may sit at the device that raised it, too).
    batch.change(ChangeEntity.CONFLICT, conflict["uuid"], conflict_change_payload(conflict), own=False)
    message = "kept the central's value of " + ", ".join(c.field for c in conflicts)
    return OpResult(
        **ok,
        status=OpStatus.CONFLICT,
        message=message,
        server_version=version,
        merged=merged,
        conflict_uuid=conflict["uuid"],
    )


def _apply_resolution(batch: _Batch, op: Op) -> OpResult:
    ok = {"op_id": op.op_id, "device_seq": op.device_seq}
    conflict_uuid = op.payload.get("conflict_uuid", op.entity_uuid)
    t = _T_CONFLICT
    row = batch.connection.execute(
        select(t).where(t.c.uuid == str(conflict_uuid)[:36], t.c.ulb_code == batch.device.ulb_code).with_for_update()
    ).one_or_none()
    if row is None:
        return batch.quarantine(op, "no such conflict in this ULB", claim=True)
    conflict = dict(row._mapping)
    chosen: dict[str, Any] = {}
    values = op.payload.get("values")
    if isinstance(values, dict):
        chosen.update(values)
    choose = op.payload.get("choose")  # {field: "mine" | "theirs"}: pick a side of the stored conflict
    if isinstance(choose, dict):
        for name, side in choose.items():
            stored = conflict["fields"].get(name)
            if isinstance(stored, dict) and side in ("mine", "theirs", "base"):
                chosen[name] = stored.get(side)
    chosen = {name: value for name, value in chosen.items() if name in PROPERTY_MERGE_FIELDS}
    current = _lock_property(batch, conflict["entity_uuid"])
    if current is None:
        return batch.quarantine(op, "the property of this conflict is missing", claim=True)
    fields: dict[str, Any] = dict(current.fields)
    version = int(current.version)
    if conflict["resolved_at"] is not None:
        return OpResult(
            **ok, status=OpStatus.ACCEPTED, message="already resolved", server_version=version, merged=fields
        )
    merged = {**fields, **chosen}
    if merged != fields:
        version += 1
        _save_property(batch, conflict["entity_uuid"], version, merged, new=False)
    resolution = {"values": chosen, "device_id": batch.device.device_id, "op_id": op.op_id}
    batch.connection.execute(
        update(t).where(t.c.uuid == conflict["uuid"]).values(resolved_at=batch.now, resolution=resolution)
    )
    conflict.update(resolved_at=batch.now, resolution=resolution)
    batch.change(ChangeEntity.CONFLICT, conflict["uuid"], conflict_change_payload(conflict), own=False)
    return OpResult(**ok, status=OpStatus.ACCEPTED, server_version=version, merged=merged)


def _apply_demand(batch: _Batch, op: Op) -> OpResult:
    try:
        fy = _text(op.payload, "fy", 7)
        by_head, by_ward = op.payload.get("by_head", {}), op.payload.get("by_ward", {})
        if not isinstance(by_head, dict) or not isinstance(by_ward, dict):
            raise Malformed("by_head and by_ward must be objects")
    except Malformed as error:
        return batch.quarantine(op, f"malformed demand summary: {error}", claim=True)
    statement = _dialect_insert(batch.connection, _T_DEMAND).values(
        ulb_code=batch.device.ulb_code,
        fy=fy,
        by_head=by_head,
        by_ward=by_ward,
        reported_at=batch.now,
        device_id=batch.device.device_id,
    )
    batch.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["ulb_code", "fy"],
            set_={
                "by_head": statement.excluded.by_head,
                "by_ward": statement.excluded.by_ward,
                "reported_at": statement.excluded.reported_at,
                "device_id": statement.excluded.device_id,
            },
        )
    )
    return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.ACCEPTED)


# OpKind → apply(batch, op) -> OpResult; other modules extend it (records.py below).
_APPLIERS: dict[OpKind, Callable[..., OpResult]] = {
    OpKind.RECEIPT_CANCELLED: _apply_cancellation,
    OpKind.RECEIPT_DISHONOURED: _apply_cancellation,
    OpKind.SESSION_OPENED: _apply_session,
    OpKind.SESSION_CLOSED: _apply_session,
    OpKind.PROPERTY_CREATED: _apply_property,
    OpKind.PROPERTY_UPDATED: _apply_property,
    OpKind.CONFLICT_RESOLVED: _apply_resolution,
    OpKind.DEMAND_SUMMARY: _apply_demand,
}
_APPLIERS.update(RECORD_APPLIERS)  # generic synced records (central/sync/records.py) extend the table


# --- the push ---------------------------------------------------------------------------------------


class ClaimLost(RuntimeError):
    """An op of this push was claimed by another transaction meanwhile (the device lock makes this
    impossible; if it happens the whole push rolls back and the device's retry gets `duplicate`)."""


def _replayed(stored: _Stored, op: Op) -> OpResult:
    status = OpStatus.QUARANTINED if stored.status == OpStatus.QUARANTINED else OpStatus.DUPLICATE
    fields = {**stored.result, "op_id": op.op_id, "device_seq": op.device_seq, "status": status}
    return OpResult.model_validate(fields)


@dataclass(frozen=True)
class PushOutcome:
    response: PushResponse
    changes_written: int


def apply_push(
    connection: Connection,
    device: DeviceContext,
    request: PushRequest,
    settings: CentralSettings,
    now: datetime | None = None,
    optimistic: bool = False,
) -> PushOutcome:
    """Apply one push inside the caller's transaction (it commits). `optimistic`: claim the ops with a
    plain INSERT, which raises a unique violation (the transaction is then unusable) if the central
    holds any of them already; the caller runs the push again without it."""
    now = now or datetime.now(UTC)
    order = sorted(range(len(request.ops)), key=lambda i: request.ops[i].device_seq)
    ops = [request.ops[i] for i in order]

    # 1. Claim. The first op of each op_id and device_seq is offered to sync_op; the unique
    # constraints say which ones are new. Stored as a plain acceptance; step 4 writes other results.
    offered: list[Op] = []
    offered_ids: set[str] = set()
    offered_seqs: set[int] = set()
    for op in ops:
        if op.op_id in offered_ids or op.device_seq in offered_seqs or unstorable(op):
            continue
        offered_ids.add(op.op_id)
        offered_seqs.add(op.device_seq)
        offered.append(op)
    claim_rows = [
        {
            "device_id": device.device_id,
            "op_id": op.op_id,
            "device_seq": op.device_seq,
            "kind": op.kind,
            "payload_sha256": op.payload_sha256[:64],
            "status": OpStatus.ACCEPTED.value,
            "result": _EMPTY_RESULT,
            "received_at": now,
        }
        for op in offered
    ]
    parsed: dict[int, ParsedReceipt | Malformed] = {}
    for op in offered:
        if op.kind == OpKind.RECEIPT_CREATED:
            try:
                parsed[id(op)] = parse_receipt(op.payload)
            except Malformed as error:
                parsed[id(op)] = error
    readable = [p for p in parsed.values() if isinstance(p, ParsedReceipt)]
    if connection.dialect.name == "postgresql":
        # Lock, claim and read the receipt state in one round trip (a pipeline): the state query
        # runs after the lock is granted, so it sees every earlier push of this device.
        locked = _begin_pg(connection, device.device_id, claim_rows, readable, optimistic)
    else:
        locked = _begin_generic(connection, device.device_id, claim_rows, readable)
    if locked is None:  # no server_meta row yet: seed it, then start again
        read_meta(connection)
        locked = _begin_generic(connection, device.device_id, claim_rows, readable)
        assert locked is not None
    (last_seq, skew, epoch), won_ids, state_rows = locked
    batch = _Batch(connection, device, settings, now, skew)
    _apply_receipt_state(batch, state_rows)
    won = {id(op) for op in offered if op.op_id in won_ids}
    # 2. What the central already held for the others (a replay; normally none).
    lost = [op for op in ops if id(op) not in won and not unstorable(op)]
    stored = _stored_ops(connection, device.device_id, lost) if lost else []
    by_op_id = {s.op_id: s for s in stored}
    by_seq = {s.device_seq: s for s in stored}

    # 3. Effects of the won ops, in device order, against what the database holds.
    _read_cancellation_state(batch, [op for op in ops if id(op) in won and op.kind in _CANCEL_KINDS])
    results: list[OpResult] = []
    claimed: dict[str, tuple[Op, OpResult]] = {}
    changed: list[OpResult] = []
    for op in ops:
        if id(op) in won:
            result = _apply(batch, op, parsed)
            claimed[op.op_id] = (op, result)
            if result_json(result) or result.status != OpStatus.ACCEPTED:
                changed.append(result)
        else:
            result = _not_won(batch, op, by_op_id, by_seq, claimed)
        results.append(result)

    # 4. The results that are not a plain acceptance, in the same transaction as the effects.
    held = {op.device_seq for op in ops if id(op) in won} | set(by_seq)
    new_last = last_seq
    while new_last + 1 in held:
        new_last += 1
    if _write_rows(batch, changed, new_last):
        new_last = _contiguous(connection, device.device_id, new_last, now)
    response = PushResponse(
        results=_reorder(results, order),
        last_device_seq=new_last,
        server_time=now,
        server_epoch=epoch,
    )
    return PushOutcome(response=response, changes_written=len(batch.changes))


def _reorder(results: list[OpResult], order: list[int]) -> list[OpResult]:
    out: list[OpResult | None] = [None] * len(order)
    for position, original in enumerate(order):
        out[original] = results[position]
    return [r for r in out if r is not None]


def _apply(batch: _Batch, op: Op, parsed: dict[int, ParsedReceipt | Malformed]) -> OpResult:
    canonical, matches = checked_canonical(op.payload, op.payload_sha256)
    if not matches:
        return batch.quarantine(op, "payload_sha256 does not match the payload", claim=True)
    if "\\u0000" in canonical or (op.base_values and "\\u0000" in payload_canonical(op.base_values)):
        return batch.quarantine(op, "the payload holds a NUL character (\\u0000)", claim=True)
    if op.kind == OpKind.RECEIPT_CREATED:
        return _apply_receipt(batch, op, parsed[id(op)])
    handler = _APPLIERS.get(cast(OpKind, op.kind))  # a StrEnum: the plain string finds it
    if handler is None:
        # Unknown kinds (a later issue's) are accepted and kept in sync_op: they never block a device.
        return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.ACCEPTED)
    return handler(batch, op)


def _not_won(
    batch: _Batch,
    op: Op,
    by_op_id: dict[str, _Stored],
    by_seq: dict[int, _Stored],
    claimed: dict[str, tuple[Op, OpResult]],
) -> OpResult:
    """An op whose op_id or device_seq the central already holds (or this batch had twice)."""
    stored = by_op_id.get(op.op_id)
    if stored is not None:
        if stored.payload_sha256 == op.payload_sha256:
            return _replayed(stored, op)
        return batch.quarantine(op, "op_id reused with a different payload", claim=False)
    earlier = claimed.get(op.op_id)
    if earlier is not None:
        first, result = earlier
        if first.payload_sha256 == op.payload_sha256 and first.device_seq == op.device_seq:
            status = OpStatus.QUARANTINED if result.status == OpStatus.QUARANTINED else OpStatus.DUPLICATE
            return result.model_copy(update={"status": status})
        return batch.quarantine(op, "op_id reused with a different payload", claim=False)
    reason = unstorable(op)
    if reason:
        return batch.quarantine(op, reason, claim=False)
    if op.device_seq in by_seq or any(first.device_seq == op.device_seq for first, _ in claimed.values()):
        return batch.quarantine(op, "device_seq already used by another operation", claim=False)
    # Claimed by a transaction that did not hold the device lock: impossible; retry the whole push.
    raise ClaimLost(f"op {op.op_id} was claimed elsewhere during this push")


_STORE_RESULTS_PG = (
    "UPDATE sync_op AS s SET status = u.status, result = u.result::JSONB "
    "FROM unnest(%b::VARCHAR[], %b::VARCHAR[], %b::TEXT[]) AS u(op_id, status, result) "
    "WHERE s.device_id = %b AND s.op_id = u.op_id"
)


def _store_results_pg(device_id: str, results: Sequence[OpResult]) -> tuple[str, tuple[Any, ...]]:
    return _STORE_RESULTS_PG, (
        [r.op_id for r in results],
        [r.status.value for r in results],
        [_dumps(result_json(r)) for r in results],
        device_id,
    )


def _store_results(connection: Connection, device_id: str, results: Sequence[OpResult]) -> None:
    """The SQLite demo's way (PostgreSQL pipelines _store_results_pg with the rows)."""
    if not results:
        return
    t = _T_SYNC_OP
    connection.execute(
        update(t)
        .where(t.c.device_id == device_id, t.c.op_id == bindparam("o"))
        .values(status=bindparam("s"), result=bindparam("r")),
        [{"o": r.op_id, "s": r.status.value, "r": result_json(r)} for r in results],
    )


def _write_rows(batch: _Batch, results: Sequence[OpResult], last_device_seq: int) -> bool:
    """Every row of the batch, one multi-row statement per table, and the device's new
    last_device_seq. On PostgreSQL they go out in one pipeline (one round trip). Returns whether ops
    lie beyond last_device_seq (see _contiguous).

    Receipts are plain INSERTs. Tried optimistically (see ingest), the uuids were not looked up
    first: a unique violation here rolls the push back whole and ingest runs it again with the
    look-up. Otherwise the uuid pre-read under the device lock found none of them, so a violation
    means a concurrent writer of the same uuid and the whole push rolls back (the device's retry then
    gets `duplicate`) — never a receipt half-stored."""
    batch.flush_payments()
    for (kind, day), uuids in batch.grouped_flags.items():
        # One anomaly per kind and day for the high-volume flags (a week offline is not 2,000 alerts).
        batch.anomaly(kind, uuids[0], {"business_date": day.isoformat(), "count": len(uuids), "receipt_uuids": uuids})
    series = {(r["device_id"], r["series_key"]): r["ulb_code"] for r in batch.receipts}
    series_rows = [{"device_id": d, "series_key": k, "ulb_code": u} for (d, k), u in series.items()]
    writes: list[tuple[Table, list[dict[str, Any]], str | None]] = [
        (_T_SERIES, series_rows, "device_id, series_key"),
        (_T_RECEIPT, batch.receipts, None),
        (_T_LINE, batch.lines, None),
        (_T_CANCEL, batch.cancellations, "uuid"),
        (_T_CHANGE, batch.changes, None),
        (_T_ANOMALY, batch.anomalies, None),
        (_T_QUARANTINE, batch.quarantined, None),
    ]
    connection = batch.connection
    device_id = batch.device.device_id
    if connection.dialect.name != "postgresql":
        for table, rows, conflict in writes:
            bulk_insert(connection, table, rows, conflict_target=conflict)
        _store_results(connection, device_id, results)
        return _set_device_seq(connection, device_id, last_device_seq, batch.now)
    statements = [_pg_bulk_insert(connection, table, rows, conflict) for table, rows, conflict in writes if rows]
    if results:
        statements.append(_store_results_pg(device_id, results))
    raw: Any = connection.connection.driver_connection  # the psycopg connection, same transaction
    cursor, device_cursor = raw.cursor(), raw.cursor()
    try:
        with raw.pipeline():
            for sql, params in statements:
                cursor.execute(sql, params)
            device_cursor.execute(_DEVICE_SEQ_PG, (last_device_seq, batch.now, device_id, device_id, last_device_seq))
        row = device_cursor.fetchone()
    finally:
        cursor.close()
        device_cursor.close()
    return bool(row and row[0])


_DEVICE_SEQ_PG = (
    "UPDATE device SET last_device_seq = %b, last_seen_at = %b WHERE device_id = %b "
    "RETURNING EXISTS (SELECT 1 FROM sync_op WHERE device_id = %b AND device_seq > %b)"
)


def _set_device_seq(connection: Connection, device_id: str, last: int, now: datetime) -> bool:
    """Store last_device_seq; True when ops beyond it exist (left by an earlier push past a gap)."""
    t = _T_SYNC_OP
    more = connection.execute(
        update(Device)
        .where(Device.device_id == device_id)
        .values(last_device_seq=last, last_seen_at=now)
        .returning(exists().where(t.c.device_id == device_id, t.c.device_seq > last))
    ).scalar_one()
    return bool(more)


def _contiguous(connection: Connection, device_id: str, last: int, now: datetime) -> int:
    """Extend last_device_seq over ops an earlier push stored beyond a gap this push filled."""
    t = _T_SYNC_OP
    while True:
        beyond = connection.execute(
            select(t.c.device_seq)
            .where(and_(t.c.device_id == device_id, t.c.device_seq > last))
            .order_by(t.c.device_seq)
            .limit(1000)
        ).scalars()
        moved = False
        for seq in beyond:
            if seq != last + 1:
                break
            last, moved = seq, True
        if not moved or not _set_device_seq(connection, device_id, last, now):
            return last


def ingest(
    engine: Engine,
    device: DeviceContext,
    request: PushRequest,
    settings: CentralSettings,
    now: datetime | None = None,
) -> PushOutcome:
    """One push = one transaction. Failpoint `before_commit` kills the process with the effects
    written but not committed.

    On PostgreSQL the push is first tried optimistically (ops claimed by a plain INSERT); a unique
    violation — an op or receipt the central holds already, i.e. a replay — rolls that transaction
    back whole and the push runs again as before (ON CONFLICT DO NOTHING and the stored results)."""
    now = now or datetime.now(UTC)
    if engine.dialect.name == "postgresql":
        try:
            with engine.begin() as connection:
                outcome = apply_push(connection, device, request, settings, now, optimistic=True)
                failpoints.hit(failpoints.BEFORE_COMMIT)
            return outcome
        except (UniqueViolation, IntegrityError) as error:
            if not _unique_violation(error):
                raise
    with engine.begin() as connection:
        outcome = apply_push(connection, device, request, settings, now)
        failpoints.hit(failpoints.BEFORE_COMMIT)
    return outcome


def _unique_violation(error: Exception) -> bool:
    return isinstance(error, UniqueViolation) or isinstance(getattr(error, "orig", None), UniqueViolation)
