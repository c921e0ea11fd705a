"""Synced records of issue 5 (water connections, readings, licences, SWM payers, service demands):
how the app queues them for the central. The sync package carries them up and applies the central's
changes back (sync/apply_records.py); app/ never imports sync/.

Every create or change of such a row, in the same transaction, calls `queue_record`, which appends
ONE outbox op of kind RECORD_OP_KIND with payload {"entity", "uuid", "fields"}. `fields` is the whole
row as JSON values (dates ISO strings, decimals strings), without version/server_version/created_at.
A change to a row the central already knows passes base_version (the row's server_version) and
base_values (the fields as they were before this edit) so the central can merge field by field.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.db.base import Base
from app.outbox.service import Outbox

RECORD_OP_KIND = "record.upserted"

# entity name -> table name (the same string, kept explicit: it is on the wire).
SYNCED_ENTITIES: dict[str, str] = {
    "water_connection": "water_connection",
    "meter_reading": "meter_reading",
    "water_connection_event": "water_connection_event",
    "trade_licence": "trade_licence",
    "trade_licence_event": "trade_licence_event",
    "swm_payer": "swm_payer",
    "service_demand": "service_demand",
}
_NOT_SYNCED = frozenset({"version", "server_version", "created_at", "id"})
_DEMAND_NAMESPACE = uuid_module.UUID("5f0c2a4e-3d43-4d1e-9b7a-6a1f0c9e2b11")


def service_demand_uuid(service: str, account_uuid: str, period: str, head: str) -> str:
    """A service demand's identity everywhere: derived from its natural key, so two devices that
    raise the same month's charge produce the same record."""
    return str(uuid_module.uuid5(_DEMAND_NAMESPACE, f"{service}|{account_uuid}|{period}|{head}"))


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record_fields(row: Base) -> dict[str, Any]:
    """The synced fields of an ORM row, as JSON values."""
    table = row.__table__
    return {
        column.key: _json_value(getattr(row, column.key)) for column in table.columns if column.key not in _NOT_SYNCED
    }


def queue_record(
    session: Session,
    outbox: Outbox,
    entity: str,
    uuid: str,
    fields: dict[str, Any],
    base_version: int | None = None,
    base_values: dict[str, Any] | None = None,
) -> None:
    if entity not in SYNCED_ENTITIES:
        raise ValueError(f"{entity!r} is not a synced record entity")
    outbox.append(
        session,
        RECORD_OP_KIND,
        uuid,
        {"entity": entity, "uuid": uuid, "fields": {k: _json_value(v) for k, v in fields.items()}},
        base_version=base_version,
        base_values=base_values,
    )


def queue_record_edit(session: Session, outbox: Outbox, entity: str, row: Any, before: dict[str, Any]) -> None:
    """An edit of an editable record (a connection, licence or payer: it has server_version): the
    whole row, the version the edit started from and the row before it. The central merges field by
    field (fields equal to their base merge away), also for edits made before it confirmed the row,
    so steps taken offline follow one another instead of clashing. Nothing changed, nothing queued."""
    after = record_fields(row)
    if after == before:
        return
    queue_record(session, outbox, entity, row.uuid, after, base_version=row.server_version, base_values=before)
