from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.ids import new_uuid
from app.db.base import table_of
from app.outbox.models import OutboxOperation

_INSERT = table_of(OutboxOperation).insert()


class Outbox:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def append(self, session: Session, kind: str, entity_uuid: str, payload: dict[str, Any]) -> str:
        """Queue an operation for the central inside the caller's transaction."""
        op_uuid = new_uuid()
        session.connection().execute(
            _INSERT,
            {
                "op_uuid": op_uuid,
                "kind": kind,
                "entity_uuid": entity_uuid,
                "payload_json": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
                "created_at": self._clock.now_utc(),
            },
        )
        return op_uuid
