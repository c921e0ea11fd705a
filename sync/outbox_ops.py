"""Reading the outbox as wire operations (sync.protocol.Op), in device order within a lane.

A push of 500 receipts is read, sent and recorded while the central works on the one before, on
the same interpreter (the GIL): every µs a receipt spent here was a µs of the one-device sync. So a
batch is read with the driver's plain cursor (no SQLAlchemy type processing per row), and each op's
wire form is written once from the stored text: the payload goes out as the canonical JSON the
outbox holds (`orjson.Fragment`, never parsed and re-serialised, so the bytes the device hashed are
the bytes the central reads), the rest with orjson in the field order and formats pydantic writes
(`Op.model_dump_json`). The `Op` model itself is only built for the few ops that need it (a
conflict, a property result, an op pushed alone)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import orjson
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.base import table_of
from app.outbox.models import OutboxOperation
from sync.protocol import Lane, Op, payload_sha256

_OUTBOX = table_of(OutboxOperation)
_COLUMNS = (
    _OUTBOX.c.op_uuid,
    _OUTBOX.c.device_seq,
    _OUTBOX.c.kind,
    _OUTBOX.c.entity_uuid,
    _OUTBOX.c.payload_json,
    _OUTBOX.c.payload_sha256,
    _OUTBOX.c.device_time,
    _OUTBOX.c.created_at,
    _OUTBOX.c.base_version,
    _OUTBOX.c.base_values_json,
)
_PENDING = select(*_COLUMNS).where(_OUTBOX.c.state == "pending").order_by(_OUTBOX.c.device_seq)
# The same query for the driver's cursor: values come back as SQLite stores them (text timestamps).
_PENDING_SQL = (
    "SELECT op_uuid, device_seq, kind, entity_uuid, payload_json, payload_sha256, device_time, created_at,"
    " base_version, base_values_json FROM outbox"
    " WHERE state = 'pending' AND lane = ? AND device_seq > ? ORDER BY device_seq LIMIT ?"
)
_TIME = TypeAdapter(datetime)


def wire_time(moment: datetime) -> str:
    """`moment` as pydantic writes a datetime field in model_dump_json."""
    text: str = _TIME.dump_python(moment, mode="json")
    return text


def _stored_time(value: Any) -> datetime:
    """A UtcDateTime column's value as the driver returns it (ISO text on SQLite), made aware."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class PushedOp:
    """One outbox row on its way: the few fields the push and its recording need, the op's wire
    JSON (`wire`, an orjson fragment of exactly what `Op.model_dump_json()` writes, the payload as
    stored) and, on demand, the `Op` itself."""

    __slots__ = ("__dict__", "base_values_json", "device_seq", "entity_uuid", "kind", "op_id", "row", "wire")

    def __init__(self, row: Sequence[Any]) -> None:
        (op_uuid, device_seq, kind, entity_uuid, payload_json, stored_sha256, device_time, created_at) = row[:8]
        base_version: int | None = row[8]
        base_values_json: str | None = row[9]
        moment = _stored_time(device_time or created_at)
        # Rows from before issue 4 have no stored hash; the canonical payload gives the same one.
        sha = stored_sha256 or payload_sha256(json.loads(payload_json))
        self.op_id: str = op_uuid
        self.device_seq: int = device_seq
        self.kind: str = kind
        self.entity_uuid: str = entity_uuid
        self.base_values_json = base_values_json
        self.row = (payload_json, sha, moment, base_version)
        self.wire = orjson.Fragment(
            orjson.dumps(
                {
                    "op_id": op_uuid,
                    "device_seq": device_seq,
                    "kind": kind,
                    "entity_uuid": entity_uuid,
                    "payload": orjson.Fragment(payload_json),
                    "payload_sha256": sha,
                    "device_time": wire_time(moment),
                    "base_version": base_version,
                    "base_values": None if base_values_json is None else orjson.Fragment(base_values_json),
                }
            )
        )

    @cached_property
    def op(self) -> Op:
        """The Op of this row (the payload parsed): for the ops whose result changes more than
        their outbox row, and for an op pushed alone."""
        payload_json, sha, moment, base_version = self.row
        return Op.model_construct(
            op_id=self.op_id,
            device_seq=self.device_seq,
            kind=self.kind,
            entity_uuid=self.entity_uuid,
            payload=json.loads(payload_json),
            payload_sha256=sha,
            device_time=moment,
            base_version=base_version,
            base_values=None if self.base_values_json is None else json.loads(self.base_values_json),
        )


def push_body(batch_id: str, batch: Sequence[PushedOp]) -> bytes:
    """The PushRequest body for `batch`: what `PushRequest(batch_id=…, ops=[…]).model_dump_json()`
    writes, with each payload exactly as the outbox stores it."""
    return orjson.dumps({"batch_id": batch_id, "ops": [item.wire for item in batch]})


def pending_batch(session: Session, lane: Lane, limit: int, after_seq: int = 0) -> list[PushedOp]:
    """The next pending ops of `lane` in device order; `after_seq` skips those already in flight."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows: Any = connection.exec_driver_sql(_PENDING_SQL, (int(lane), after_seq, limit))
    else:
        query = _PENDING.where(_OUTBOX.c.lane == int(lane), _OUTBOX.c.device_seq > after_seq).limit(limit)
        rows = connection.execute(query)
    return [PushedOp(row) for row in rows]
