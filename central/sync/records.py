"""Appliers for generic synced records (water connections, trade licences, SWM payers, …).

`central.sync.ingest` merges RECORD_APPLIERS into its op-kind dispatch table (`_APPLIERS`): each
entry maps an OpKind to a function `(batch, op) -> OpResult` applied inside the push's transaction,
in device order, like the ingest's own master-data appliers.

A "record.upserted" op (app.replica.records) carries {"entity", "uuid", "fields"}: the device's whole
row. The central keeps it in synced_record, keyed by (the device's ULB, entity, uuid) — the ULB is
never read from the payload — and:
- a new uuid is stored as version 1;
- an editable record (connection, licence, SWM payer) whose edit started from the current version
  takes the edited fields, version + 1; from an older version, a field-level three-way merge
  (sync/merge.py) against the op's base_values; fields both sides changed differently keep the
  central's value and become a sync_conflict for a supervisor, like properties;
- an append-only record (reading, event, service demand) is idempotent: the same uuid with the same
  fields is a duplicate. With other fields (two devices priced the same month differently) the first
  is kept, an anomaly is written for a person, and the kept row goes to every device again so they
  all converge on it.
Every accepted change goes into the ULB's change feed as a "record" change. Editable records go back
to the device that sent them too (origin not set): that is how it learns the central's version.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.replica.records import SYNCED_ENTITIES, service_demand_uuid
from central.api.deps import DeviceContext
from central.db.models import SyncConflict
from central.db.records_models import SyncedRecord
from sync.merge import FieldConflict, three_way_merge
from sync.protocol import Change, ChangeEntity, Op, OpKind, OpResult, OpStatus

if TYPE_CHECKING:
    from central.sync.ingest import _Batch

_T: Table = SyncedRecord.__table__  # type: ignore[assignment]
_T_CONFLICT: Table = SyncConflict.__table__  # type: ignore[assignment]

# Parents before children: the snapshot sends them in this order, so a device can insert a reading
# after its connection (foreign keys).
ENTITY_ORDER = (
    "water_connection",
    "trade_licence",
    "swm_payer",
    "meter_reading",
    "water_connection_event",
    "trade_licence_event",
    "service_demand",
)
EDITABLE = frozenset({"water_connection", "trade_licence", "swm_payer"})
# Fields an entity cannot be without (the device needs them for its own foreign keys and keys).
REQUIRED: dict[str, tuple[str, ...]] = {
    "water_connection": ("consumer_no", "ward_no", "category"),
    "trade_licence": ("application_no", "ward_no", "trade_kind", "status"),
    "swm_payer": ("payer_id", "ward_no", "category"),
    "meter_reading": ("connection_uuid", "reading_date", "reading_litres"),
    "water_connection_event": ("connection_uuid", "kind"),
    "trade_licence_event": ("licence_uuid", "to_status"),
    "service_demand": ("service", "account_uuid", "period", "head", "amount_paise", "fy"),
}
RECORD_MISMATCH = "record_mismatch"  # anomaly kind / flag: an append-only record sent again with other fields
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_MAX_TEXT = 4000
_MAX_INT = 2**62
_MAX_FIELDS = 100

assert set(ENTITY_ORDER) == set(SYNCED_ENTITIES), "every synced entity has its place in the snapshot"


class BadRecord(ValueError):
    """A record op the central cannot read: the op is quarantined with this reason."""


def parse_record(payload: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(entity, uuid, fields) of a record.upserted payload, or BadRecord naming what is wrong."""
    entity = payload.get("entity")
    if not isinstance(entity, str) or entity not in SYNCED_ENTITIES:
        raise BadRecord(f"entity: {entity!r} is not a synced record (one of {', '.join(ENTITY_ORDER)})")
    uuid = payload.get("uuid")
    if not isinstance(uuid, str) or not 1 <= len(uuid) <= 36:
        raise BadRecord(f"{entity}.uuid: a string of 1 to 36 characters is required")
    fields = payload.get("fields")
    if not isinstance(fields, dict):
        raise BadRecord(f"{entity} {uuid}: fields must be an object")
    if len(fields) > _MAX_FIELDS:
        raise BadRecord(f"{entity} {uuid}: more than {_MAX_FIELDS} fields")
    for name, value in fields.items():
        where = f"{entity} {uuid}: field {name!r}"
        if not _FIELD_NAME.match(name):
            raise BadRecord(f"{where} is not a field name")
        if isinstance(value, float):
            raise BadRecord(f"{where}: a float (amounts travel as integer paise, decimals as strings)")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _MAX_INT:
            raise BadRecord(f"{where}: out of range")
        if isinstance(value, str) and len(value) > _MAX_TEXT:
            raise BadRecord(f"{where}: longer than {_MAX_TEXT} characters")
        if not (value is None or isinstance(value, str | int | bool)):
            raise BadRecord(f"{where}: must be a string, integer, boolean or null")
    # An edit of an editable record may carry only the fields it changed (base_values say from what);
    # a new one must be whole: checked when it turns out to be new (apply_record).
    missing = missing_fields(entity, fields)
    if missing and entity not in EDITABLE:
        raise BadRecord(f"{entity} {uuid}: missing {', '.join(missing)}")
    if entity == "service_demand":
        amount = fields["amount_paise"]
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise BadRecord(f"service_demand {uuid}: amount_paise must be a whole number of paise, not negative")
        key = [str(fields[k]) for k in ("service", "account_uuid", "period", "head")]
        if uuid != service_demand_uuid(*key):
            raise BadRecord(f"service_demand {uuid}: the uuid is not the one of its key {'|'.join(key)}")
    return entity, uuid, dict(fields)


def missing_fields(entity: str, fields: dict[str, Any]) -> list[str]:
    return [name for name in REQUIRED[entity] if fields.get(name) in (None, "")]


def record_change_payload(entity: str, uuid: str, fields: dict[str, Any]) -> dict[str, Any]:
    """What the devices of the ULB get for a record (pull and snapshot alike)."""
    return {"entity": entity, "uuid": uuid, "fields": fields}


def _lock(connection: Connection, ulb_code: str, entity: str, uuid: str) -> Any:
    return connection.execute(
        select(_T.c.version, _T.c.fields)
        .where(_T.c.ulb_code == ulb_code, _T.c.entity == entity, _T.c.uuid == uuid)
        .with_for_update()
    ).one_or_none()


def _insert(batch: _Batch, entity: str, uuid: str, fields: dict[str, Any]) -> bool:
    """Store a new record as version 1; False when the ULB holds this uuid already. One statement
    for the common case (a new reading, event or demand), no look-up first."""
    connection = batch.connection
    device_id = batch.device.device_id
    insert: Any = postgresql.insert(_T) if connection.dialect.name == "postgresql" else sqlite.insert(_T)
    statement = (
        insert.values(
            ulb_code=batch.device.ulb_code,
            entity=entity,
            uuid=uuid,
            version=1,
            fields=fields,
            origin_device_id=device_id,
            updated_by_device_id=device_id,
            created_at=batch.now,
            updated_at=batch.now,
        )
        .on_conflict_do_nothing(index_elements=["ulb_code", "entity", "uuid"])
        .returning(_T.c.version)
    )
    return connection.execute(statement).first() is not None


def _save(batch: _Batch, entity: str, uuid: str, version: int, fields: dict[str, Any]) -> None:
    batch.connection.execute(
        update(_T)
        .where(_T.c.ulb_code == batch.device.ulb_code, _T.c.entity == entity, _T.c.uuid == uuid)
        .values(version=version, fields=fields, updated_by_device_id=batch.device.device_id, updated_at=batch.now)
    )


def _feed(batch: _Batch, entity: str, uuid: str, version: int, fields: dict[str, Any], own: bool) -> None:
    batch.change(ChangeEntity.RECORD, uuid, record_change_payload(entity, uuid, fields), version=version, own=own)


def apply_record(batch: _Batch, op: Op) -> OpResult:
    try:
        entity, uuid, fields = parse_record(op.payload)
    except BadRecord as error:
        return batch.quarantine(op, f"malformed record: {error}", claim=True)
    ulb_code = batch.device.ulb_code
    if "ulb_code" in fields:
        fields["ulb_code"] = ulb_code  # the device's ULB, whatever the payload says
    ok = {"op_id": op.op_id, "device_seq": op.device_seq}
    missing = missing_fields(entity, fields)  # only an editable record's edit may lack fields
    if not missing and _insert(batch, entity, uuid, fields):
        _feed(batch, entity, uuid, 1, fields, own=entity not in EDITABLE)
        # A plain acceptance for the append-only (a month's demands: no result row to rewrite per op).
        return OpResult(**ok, status=OpStatus.ACCEPTED, server_version=1 if entity in EDITABLE else None)
    current = _lock(batch.connection, ulb_code, entity, uuid)
    if current is None:
        reason = f"malformed record: {entity} {uuid} is not held here and the op lacks {', '.join(missing)}"
        return batch.quarantine(op, reason, claim=True)
    theirs: dict[str, Any] = dict(current.fields)
    version = int(current.version)
    if fields == theirs:
        return OpResult(**ok, status=OpStatus.DUPLICATE, message="record already held", server_version=version)
    if entity not in EDITABLE:
        return _mismatch(batch, op, entity, uuid, version, fields, theirs)
    return _merge(batch, op, entity, uuid, version, fields, theirs)


def _mismatch(
    batch: _Batch, op: Op, entity: str, uuid: str, version: int, sent: dict[str, Any], kept: dict[str, Any]
) -> OpResult:
    """An append-only record sent again with other fields: the first stays; a person must look."""
    differing = sorted(name for name in set(sent) | set(kept) if sent.get(name) != kept.get(name))
    batch.anomaly(
        RECORD_MISMATCH,
        uuid,
        {
            "entity": entity,
            "op_id": op.op_id,
            "fields": {name: {"kept": kept.get(name), "sent": sent.get(name)} for name in differing},
        },
    )
    _feed(batch, entity, uuid, version, kept, own=False)  # the sender converges on the kept row too
    return OpResult(
        op_id=op.op_id,
        device_seq=op.device_seq,
        status=OpStatus.ACCEPTED,
        flags=[RECORD_MISMATCH],
        message=f"kept the {entity} first received; it differs in {', '.join(differing)}",
        server_version=version,
        merged=kept,
    )


def _merge(
    batch: _Batch, op: Op, entity: str, uuid: str, version: int, sent: dict[str, Any], theirs: dict[str, Any]
) -> OpResult:
    base = op.base_values
    if base is not None:
        # The fields this edit changed (base_values may hold every field or only the changed ones).
        mine = {name: value for name, value in sent.items() if name in base and base[name] != value}
    else:
        mine = sent
    mine.pop("ulb_code", None)
    conflicts: tuple[FieldConflict, ...] = ()
    if op.base_version is not None and op.base_version == version:
        merged = {**theirs, **mine}
    else:
        outcome = three_way_merge(base or {}, mine, theirs)
        merged, conflicts = outcome.merged, outcome.conflicts
    if merged != theirs:
        version += 1
        _save(batch, entity, uuid, version, merged)
        _feed(batch, entity, uuid, version, merged, own=False)
    ok = {"op_id": op.op_id, "device_seq": op.device_seq}
    if not conflicts:
        return OpResult(**ok, status=OpStatus.ACCEPTED, server_version=version, merged=merged)
    from central.sync.ingest import conflict_change_payload  # ingest imports this module

    conflict: dict[str, Any] = {
        "uuid": str(uuidlib.uuid4()),
        "ulb_code": batch.device.ulb_code,
        "entity": entity,
        "entity_uuid": uuid,
        "device_id": batch.device.device_id,
        "op_id": op.op_id[:36],
        "fields": {c.field: {"base": c.base, "mine": c.mine, "theirs": c.theirs} for c in conflicts},
        "created_at": batch.now,
        "resolved_at": None,
        "resolution": None,
    }
    batch.connection.execute(_T_CONFLICT.insert().values(**conflict))
    batch.change(ChangeEntity.CONFLICT, conflict["uuid"], conflict_change_payload(conflict), own=False)
    return OpResult(
        **ok,
        status=OpStatus.CONFLICT,
        message="kept the central's value of " + ", ".join(c.field for c in conflicts),
        server_version=version,
        merged=merged,
        conflict_uuid=conflict["uuid"],
    )


def apply_resolution(batch: _Batch, op: Op) -> OpResult:
    """sync_conflict.resolved: a conflict on a record is settled here; a property's goes to the
    ingest's own applier unchanged."""
    from central.sync.ingest import _apply_resolution, conflict_change_payload

    conflict_uuid = str(op.payload.get("conflict_uuid", op.entity_uuid))[:36]
    k = _T_CONFLICT
    row = (
        batch.connection.execute(select(k).where(k.c.uuid == conflict_uuid, k.c.ulb_code == batch.device.ulb_code))
        .mappings()
        .one_or_none()
    )
    if row is None or row["entity"] not in SYNCED_ENTITIES:
        return _apply_resolution(batch, op)
    conflict = dict(row)
    ok = {"op_id": op.op_id, "device_seq": op.device_seq}
    current = _lock(batch.connection, batch.device.ulb_code, conflict["entity"], conflict["entity_uuid"])
    if current is None:
        return batch.quarantine(op, f"the {conflict['entity']} of this conflict is missing", claim=True)
    fields: dict[str, Any] = dict(current.fields)
    version = int(current.version)
    if conflict["resolved_at"] is not None:
        return OpResult(**ok, status=OpStatus.ACCEPTED, message="already resolved", server_version=version)
    chosen: dict[str, Any] = {}
    values = op.payload.get("values")
    if isinstance(values, dict):
        chosen.update(values)
    choose = op.payload.get("choose")
    if isinstance(choose, dict):
        for name, side in choose.items():
            stored = conflict["fields"].get(name)
            if isinstance(stored, dict) and side in ("mine", "theirs", "base"):
                chosen[name] = stored.get(side)
    chosen = {name: value for name, value in chosen.items() if name in conflict["fields"]}
    merged = {**fields, **chosen}
    if merged != fields:
        version += 1
        _save(batch, conflict["entity"], conflict["entity_uuid"], version, merged)
        _feed(batch, conflict["entity"], conflict["entity_uuid"], version, merged, own=False)
    resolution = {"values": chosen, "device_id": batch.device.device_id, "op_id": op.op_id}
    batch.connection.execute(
        update(_T_CONFLICT)
        .where(_T_CONFLICT.c.uuid == conflict["uuid"])
        .values(resolved_at=batch.now, resolution=resolution)
    )
    conflict.update(resolved_at=batch.now, resolution=resolution)
    batch.change(ChangeEntity.CONFLICT, conflict["uuid"], conflict_change_payload(conflict), own=False)
    return OpResult(**ok, status=OpStatus.ACCEPTED, server_version=version, merged=merged)


RECORD_APPLIERS: dict[OpKind, Callable[..., OpResult]] = {
    OpKind.RECORD_UPSERTED: apply_record,
    # Replaces the ingest's entry with one that handles record conflicts and hands property ones on.
    OpKind.CONFLICT_RESOLVED: apply_resolution,
}


# --- snapshot ---------------------------------------------------------------------------------------


def snapshot_records(connection: Connection, device: DeviceContext, after: str, limit: int) -> list[tuple[str, Change]]:
    """The ULB's records, parents first (ENTITY_ORDER), each entity by uuid; the page key is
    "<entity rank>|<uuid>"."""
    rank_text, _, after_uuid = after.partition("|")
    rank = int(rank_text) if rank_text.isdigit() else 0
    out: list[tuple[str, Change]] = []
    for position in range(rank, len(ENTITY_ORDER)):
        entity = ENTITY_ORDER[position]
        rows = connection.execute(
            select(_T.c.uuid, _T.c.version, _T.c.fields, _T.c.updated_by_device_id)
            .where(
                _T.c.ulb_code == device.ulb_code,
                _T.c.entity == entity,
                _T.c.uuid > (after_uuid if position == rank else ""),
            )
            .order_by(_T.c.uuid)
            .limit(limit - len(out))
        )
        for row in rows:
            change = Change(
                seq=0,
                entity=ChangeEntity.RECORD,
                entity_uuid=row.uuid,
                op="upsert",
                version=row.version,
                payload=record_change_payload(entity, row.uuid, row.fields),
                origin_device_id=None,  # the device's own rows too: it takes the central's version
            )
            out.append((f"{position}|{row.uuid}", change))
        if len(out) >= limit:
            break
    return out
