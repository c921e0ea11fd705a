from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.ids import new_uuid
from app.db.base import table_of
from app.outbox.models import OutboxOperation

_INSERT = table_of(OutboxOperation).insert()

# Push lanes (sync.protocol.Lane takes its values from here; app/ never imports sync/).
LANE_MONEY, LANE_MASTER, LANE_OTHER = 0, 1, 2
_MONEY_KINDS = frozenset(
    {"receipt.created", "receipt.cancelled", "receipt.dishonoured", "counter_session.opened", "counter_session.closed"}
)
_MASTER_KINDS = frozenset(
    {"property.created", "property.updated", "sync_conflict.resolved", "demand.summary", "record.upserted"}
)


def lane_for(kind: str) -> int:
    if kind in _MONEY_KINDS:
        return LANE_MONEY
    if kind in _MASTER_KINDS:
        return LANE_MASTER
    return LANE_OTHER


def canonical_json(value: Any) -> str:
    """The byte form the device and the central hash (sync.protocol re-exports it)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


class Outbox:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def append(
        self,
        session: Session,
        kind: str,
        entity_uuid: str,
        payload: dict[str, Any],
        base_version: int | None = None,
        base_values: dict[str, Any] | None = None,
    ) -> str:
        """Queue an operation for the central inside the caller's transaction.

        The payload is stored canonically and hashed once, so a re-push years later sends the very
        same bytes (the central tells a replay from an op_id reused with another payload by the hash)."""
        op_uuid = new_uuid()
        # Round-trip through JSON so the stored payload is exactly what the hash covers.
        stored = json.loads(canonical_json(payload))
        now = self._clock.now_utc()
        session.connection().execute(
            _INSERT,
            {
                "op_uuid": op_uuid,
                "kind": kind,
                "entity_uuid": entity_uuid,
                "payload_json": canonical_json(stored),
                "created_at": now,
                "device_time": now,
                "state": "pending",
                "lane": lane_for(kind),
                "payload_sha256": payload_hash(stored),
                "base_version": base_version,
                "base_values_json": None if base_values is None else canonical_json(base_values),
                "attempts": 0,
                "last_error": "",
            },
        )
        return op_uuid

    def append_many(
        self,
        session: Session,
        kind: str,
        items: list[tuple[str, dict[str, Any]]],
    ) -> list[str]:
        """`append` for many new operations of one kind at once ((entity_uuid, payload) each, no base
        version): one driver-level executemany, for bulk runs such as a month's water demand. Same
        stored bytes and hash as `append` would write for each."""
        if not items:
            return []
        conn = session.connection()
        table = _INSERT.table
        to_db = table.c.created_at.type.bind_processor(conn.dialect)  # the column type's own text form
        now = self._clock.now_utc()
        stored_now = to_db(now) if to_db else now
        lane = lane_for(kind)
        rows: list[tuple[Any, ...]] = []
        for entity_uuid, payload in items:
            text = canonical_json(json.loads(canonical_json(payload)))
            rows.append(
                (
                    new_uuid(),
                    kind,
                    entity_uuid,
                    text,
                    stored_now,
                    stored_now,
                    "pending",
                    lane,
                    hashlib.sha256(text.encode()).hexdigest(),
                    0,
                    "",
                )
            )
        conn.exec_driver_sql(_INSERT_MANY_SQL.format(table=table.name), rows)
        return [row[0] for row in rows]


_INSERT_MANY_SQL = (
    "INSERT INTO {table} (op_uuid, kind, entity_uuid, payload_json, created_at, device_time, state, lane, "
    "payload_sha256, attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
