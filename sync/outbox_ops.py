"""Reading the outbox as wire operations (sync.protocol.Op), in device order within a lane."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.outbox.models import OutboxOperation
from sync.protocol import Lane, Op, payload_sha256


@dataclass(frozen=True)
class PushedOp:
    op: Op


def op_of(row: OutboxOperation) -> Op:
    payload = json.loads(row.payload_json)
    return Op(
        op_id=row.op_uuid,
        device_seq=row.device_seq,
        kind=row.kind,
        entity_uuid=row.entity_uuid,
        payload=payload,
        # Rows from before issue 4 have no stored hash; the canonical payload gives the same one.
        payload_sha256=row.payload_sha256 or payload_sha256(payload),
        device_time=row.device_time or row.created_at,
        base_version=row.base_version,
        base_values=None if row.base_values_json is None else json.loads(row.base_values_json),
    )


def pending_batch(session: Session, lane: Lane, limit: int) -> list[PushedOp]:
    rows = session.scalars(
        select(OutboxOperation)
        .where(OutboxOperation.state == "pending", OutboxOperation.lane == int(lane))
        .order_by(OutboxOperation.device_seq)
        .limit(limit)
    )
    return [PushedOp(op_of(row)) for row in rows]
