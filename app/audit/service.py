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
from app.security.roles import Actor

GENESIS = "0" * 64


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
    ) -> AuditEntry:
        """Append an entry inside the caller's (BEGIN IMMEDIATE) transaction."""
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
        prev_hash = last.hash if last else GENESIS
        entry = AuditEntry(
            uuid=new_uuid(),
            at=self._clock.now_utc(),
            user_id=actor.user_id if actor else None,
            username=actor.username if actor else "",
            device_no=actor.device_no if actor else self._device_no,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before_json=_canonical(before),
            after_json=_canonical(after),
            prev_hash=prev_hash,
            hash="",
        )
        entry.hash = entry_hash(prev_hash, self._hashed_fields(entry))
        session.add(entry)
        session.flush()
        return entry

    @staticmethod
    def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
        return {
            "uuid": entry.uuid,
            "at": entry.at.isoformat(),
            "user_id": entry.user_id,
            "username": entry.username,
            "device_no": entry.device_no,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "before": entry.before_json,
            "after": entry.after_json,
        }

    def verify(self, session: Session) -> ChainCheck:
        prev = GENESIS
        count = 0
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            count += 1
            if entry.prev_hash != prev or entry.hash != entry_hash(prev, self._hashed_fields(entry)):
                return ChainCheck(ok=False, entries=count, first_bad_id=entry.id)
            prev = entry.hash
        return ChainCheck(ok=True, entries=count)
