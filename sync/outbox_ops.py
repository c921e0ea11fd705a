"""Reading the outbox as wire operations (sync.protocol.Op), in device order within a lane."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.base import table_of
from app.outbox.models import OutboxOperation
from sync.protocol import Lane, Op, payload_sha256

_OUTBOX = table_of(OutboxOperation)
_PENDING = (
    select(
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
    .where(_OUTBOX.c.state == "pending")
    .order_by(_OUTBOX.c.device_seq)
)


@dataclass(frozen=True)
class PushedOp:
    op: Op


def op_from_row(row: Sequence[Any]) -> Op:
    """An Op from the outbox row's columns (as `_PENDING` selects them). `model_construct`: these
    values were checked when the row was written (and the central validates every op again), so a
    500-op batch skips a second validation here."""
    (op_uuid, device_seq, kind, entity_uuid, payload_json, stored_sha256, device_time, created_at) = row[:8]
    base_version: int | None = row[8]
    base_values_json: str | None = row[9]
    payload: dict[str, Any] = json.loads(payload_json)
    return Op.model_construct(
        op_id=op_uuid,
        device_seq=device_seq,
        kind=kind,
        entity_uuid=entity_uuid,
        payload=payload,
        # Rows from before issue 4 have no stored hash; the canonical payload gives the same one.
        payload_sha256=stored_sha256 or payload_sha256(payload),
        device_time=device_time or created_at,
        base_version=base_version,
        base_values=None if base_values_json is None else json.loads(base_values_json),
    )


def pending_batch(session: Session, lane: Lane, limit: int, after_seq: int = 0) -> list[PushedOp]:
    """The next pending ops of `lane` in device order; `after_seq` skips those already in flight."""
    query = _PENDING.where(_OUTBOX.c.lane == int(lane), _OUTBOX.c.device_seq > after_seq).limit(limit)
    rows = session.connection().execute(query)
    return [PushedOp(op_from_row(row)) for row in rows]
