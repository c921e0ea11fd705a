"""Append-only audit log with a hash chain: each entry's hash covers its content and the previous hash,
so an edited or deleted row breaks the chain (`verify`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.core.clock import Clock
from app.core.ids import new_uuid
from app.db.base import table_of
from app.security.roles import Actor

GENESIS = "0" * 64
_LAST_HASH = select(table_of(AuditEntry).c.hash).order_by(table_of(AuditEntry).c.id.desc()).limit(1)
_INSERT_ENTRY = table_of(AuditEntry).insert()
_HASHED_COLUMNS = (
    "uuid",
    "at",
    "user_id",
    "username",
    "device_no",
    "action",
    "entity",
    "entity_id",
    "before_json",
    "after_json",
)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(fields)).encode()).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_id: int | None = None


class AuditLog:
    def __init__(self, clock: Clock, device_no: int) -> None:
        self._clock = clock
        self._device_no = device_no

    def record(
        self,
        session: Session,
        actor: Actor | None,
        action: str,
        entity: str,
        entity_id: str,
        before: Any = None,
        after: Any = None,
    ) -> str:
        """Append an entry inside the caller's (BEGIN IMMEDIATE) transaction. Returns its hash.

        Plain Core statements, not the ORM: this runs inside every receipt's transaction."""
        conn = session.connection()
        prev_hash = conn.execute(_LAST_HASH).scalar() or GENESIS
        values: dict[str, Any] = {
            "uuid": new_uuid(),
            "at": self._clock.now_utc(),
            "user_id": actor.user_id if actor else None,
            "username": actor.username if actor else "",
            "device_no": actor.device_no if actor else self._device_no,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before_json": _canonical(before),
            "after_json": _canonical(after),
            "prev_hash": prev_hash,
        }
        values["hash"] = entry_hash(prev_hash, self._fields_of(values))
        conn.execute(_INSERT_ENTRY, values)
        return str(values["hash"])

    @staticmethod
    def _fields_of(values: dict[str, Any]) -> dict[str, Any]:
        return {
            "uuid": values["uuid"],
            "at": values["at"].isoformat(),
            "user_id": values["user_id"],
            "username": values["username"],
            "device_no": values["device_no"],
            "action": values["action"],
            "entity": values["entity"],
            "entity_id": values["entity_id"],
            "before": values["before_json"],
            "after": values["after_json"],
        }

    @classmethod
    def _hashed_fields(cls, entry: AuditEntry) -> dict[str, Any]:
        return cls._fields_of({column: getattr(entry, column) for column in _HASHED_COLUMNS})

    def verify(self, session: Session) -> ChainCheck:
        prev = GENESIS
        count = 0
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            count += 1
            if entry.prev_hash != prev or entry.hash != entry_hash(prev, self._hashed_fields(entry)):
                return ChainCheck(ok=False, entries=count, first_bad_id=entry.id)
            prev = entry.hash
        return ChainCheck(ok=True, entries=count)
