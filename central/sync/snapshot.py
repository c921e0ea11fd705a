"""The snapshot a device downloads after a 410: the current state of its ULB, page by page.

Sections in a fixed order, each paged by its primary key (stable while writes go on): properties
(latest version), payments of other devices and online, their cancellations, open conflicts, then
reference rows (users, tariffs, settings: the latest change_log row per entity and uuid). The
`cursor_after` is the highest stamped change seq when the snapshot started (carried in the page
token): everything at or below it is in the snapshot, so the device resumes pulling from there (a
row that changed since comes again through the pull; applying it twice is harmless)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, tuple_

from central.api.deps import DeviceContext
from central.db.models import ChangeLog, PropertyRecord, Receipt, ReceiptCancellation, ReceiptLine, SyncConflict
from central.sync.feed import max_stamped_seq, read_meta, stamp
from central.sync.ingest import cancellation_change_payload, conflict_change_payload, payment_change_payload
from central.sync.records import snapshot_records
from sync.protocol import Change, ChangeEntity, SnapshotResponse

PAGE_SIZE = 500
REFERENCE_ENTITIES = (ChangeEntity.USER.value, ChangeEntity.TARIFF.value, ChangeEntity.SETTING.value)

_P: Table = PropertyRecord.__table__  # type: ignore[assignment]
_R: Table = Receipt.__table__  # type: ignore[assignment]
_L: Table = ReceiptLine.__table__  # type: ignore[assignment]
_C: Table = ReceiptCancellation.__table__  # type: ignore[assignment]
_K: Table = SyncConflict.__table__  # type: ignore[assignment]
_CL: Table = ChangeLog.__table__  # type: ignore[assignment]


class BadPageToken(ValueError):
    pass


def _properties(connection: Connection, device: DeviceContext, after: str, limit: int) -> list[tuple[str, Change]]:
    rows = connection.execute(
        select(_P.c.uuid, _P.c.version, _P.c.fields, _P.c.updated_by_device_id)
        .where(_P.c.ulb_code == device.ulb_code, _P.c.uuid > after)
        .order_by(_P.c.uuid)
        .limit(limit)
    )
    return [
        (
            row.uuid,
            Change(
                seq=0,
                entity=ChangeEntity.PROPERTY,
                entity_uuid=row.uuid,
                op="upsert",
                version=row.version,
                payload={"uuid": row.uuid, **row.fields},
                origin_device_id=row.updated_by_device_id or None,
            ),
        )
        for row in rows
    ]


def _payments(connection: Connection, device: DeviceContext, after: str, limit: int) -> list[tuple[str, Change]]:
    rows = connection.execute(
        select(
            _R.c.uuid,
            _R.c.receipt_no,
            _R.c.property_uuid,
            _R.c.business_date,
            _R.c.collected_at,
            _R.c.amount_paise,
            _R.c.mode,
            _R.c.source,
            _R.c.device_id,
        )
        .where(_R.c.ulb_code == device.ulb_code, _R.c.device_id != device.device_id, _R.c.uuid > after)
        .order_by(_R.c.uuid)
        .limit(limit)
    ).all()
    uuids = [row.uuid for row in rows]
    lines: dict[str, list[dict[str, Any]]] = {}
    cancelled: dict[str, str] = {}
    if uuids:
        for line in connection.execute(
            select(_L.c.receipt_uuid, _L.c.fy, _L.c.head, _L.c.amount_paise, _L.c.service, _L.c.account, _L.c.period)
            .where(_L.c.receipt_uuid.in_(uuids))
            .order_by(_L.c.receipt_uuid, _L.c.ordinal)
        ):
            lines.setdefault(line.receipt_uuid, []).append(dict(line._mapping))
        for cancellation in connection.execute(
            # only this ULB's cancellations: another ULB's device cannot take back our receipts
            select(_C.c.receipt_uuid, _C.c.kind)
            .where(_C.c.receipt_uuid.in_(uuids), _C.c.ulb_code == device.ulb_code)
            .order_by(_C.c.at)
        ):
            cancelled.setdefault(cancellation.receipt_uuid, cancellation.kind)
    out = []
    for row in rows:
        payload = payment_change_payload(dict(row._mapping), lines.get(row.uuid, []))
        payload["cancelled"] = cancelled.get(row.uuid)  # CANCELLED | DISHONOURED | None
        change = Change(
            seq=0,
            entity=ChangeEntity.PAYMENT,
            entity_uuid=row.uuid,
            op="upsert",
            version=1,
            payload=payload,
            origin_device_id=row.device_id or None,
        )
        out.append((row.uuid, change))
    return out


def _cancellations(connection: Connection, device: DeviceContext, after: str, limit: int) -> list[tuple[str, Change]]:
    rows = connection.execute(
        select(_C.c.uuid, _C.c.receipt_uuid, _C.c.kind, _C.c.reason, _C.c.at, _C.c.business_date, _C.c.device_id)
        .where(_C.c.ulb_code == device.ulb_code, _C.c.device_id != device.device_id, _C.c.uuid > after)
        .order_by(_C.c.uuid)
        .limit(limit)
    )
    return [
        (
            row.uuid,
            Change(
                seq=0,
                entity=ChangeEntity.PAYMENT_CANCELLATION,
                entity_uuid=row.uuid,
                op="upsert",
                version=1,
                payload=cancellation_change_payload(dict(row._mapping)),
                origin_device_id=row.device_id or None,
            ),
        )
        for row in rows
    ]


def _conflicts(connection: Connection, device: DeviceContext, after: str, limit: int) -> list[tuple[str, Change]]:
    rows = connection.execute(
        select(_K)
        .where(_K.c.ulb_code == device.ulb_code, _K.c.resolved_at.is_(None), _K.c.uuid > after)
        .order_by(_K.c.uuid)
        .limit(limit)
    )
    return [
        (
            row.uuid,
            Change(
                seq=0,
                entity=ChangeEntity.CONFLICT,
                entity_uuid=row.uuid,
                op="upsert",
                version=1,
                payload=conflict_change_payload(dict(row._mapping)),
            ),
        )
        for row in rows
    ]


def _reference(
    connection: Connection, device: DeviceContext, after: str, limit: int, cursor_after: int
) -> list[tuple[str, Change]]:
    """The latest row per (entity, entity_uuid) of users, tariffs and settings, up to the cut."""
    scope = (
        _CL.c.entity.in_(REFERENCE_ENTITIES),
        _CL.c.ulb_code.in_((device.ulb_code, "*")),
        _CL.c.seq.is_not(None),
        _CL.c.seq <= cursor_after,
    )
    latest = (
        select(_CL.c.entity, _CL.c.entity_uuid, func.max(_CL.c.seq).label("seq"))
        .where(*scope)
        .group_by(_CL.c.entity, _CL.c.entity_uuid)
        .subquery()
    )
    entity, _, entity_uuid = after.partition("|")
    query = select(_CL).join(latest, latest.c.seq == _CL.c.seq)
    if after:
        query = query.where(tuple_(_CL.c.entity, _CL.c.entity_uuid) > tuple_(entity, entity_uuid))
    rows = connection.execute(query.order_by(_CL.c.entity, _CL.c.entity_uuid).limit(limit))
    out = []
    for row in rows:
        change = Change(
            seq=0,
            entity=row.entity,
            entity_uuid=row.entity_uuid,
            op=row.op,
            version=row.version,
            payload=row.payload,
            origin_device_id=row.origin_device_id,
        )
        out.append((f"{row.entity}|{row.entity_uuid}", change))
    return out


Section = Callable[[Connection, DeviceContext, str, int, int], list[tuple[str, Change]]]
SECTIONS: dict[str, Section] = {
    "property": lambda c, d, a, n, _cut: _properties(c, d, a, n),
    "record": lambda c, d, a, n, _cut: snapshot_records(c, d, a, n),  # issue 5: after properties (FKs)
    "payment": lambda c, d, a, n, _cut: _payments(c, d, a, n),
    "cancellation": lambda c, d, a, n, _cut: _cancellations(c, d, a, n),
    "conflict": lambda c, d, a, n, _cut: _conflicts(c, d, a, n),
    "reference": _reference,
}
_ORDER = list(SECTIONS)


def _parse_token(token: str) -> tuple[int, str, str]:
    cut, _, rest = token.partition(":")
    section, _, after = rest.partition(":")
    if not cut.isdigit() or section not in SECTIONS:
        raise BadPageToken(f"not a snapshot page token: {token!r}")
    return int(cut), section, after


def snapshot_page(engine: Engine, device: DeviceContext, page: str | None, limit: int = PAGE_SIZE) -> SnapshotResponse:
    limit = max(1, min(limit, PAGE_SIZE))
    if page:
        cursor_after, section, after = _parse_token(page)
    else:
        stamp(engine, wait=True)  # the cut includes everything committed before the snapshot began
        with engine.connect() as connection:
            cursor_after = max_stamped_seq(connection)
        section, after = _ORDER[0], ""
    with engine.connect() as connection:
        rows = SECTIONS[section](connection, device, after, limit + 1, cursor_after)
        epoch = read_meta(connection).server_epoch
    if len(rows) > limit:
        rows = rows[:limit]
        next_page: str | None = f"{cursor_after}:{section}:{rows[-1][0]}"
    else:
        position = _ORDER.index(section)
        next_page = f"{cursor_after}:{_ORDER[position + 1]}:" if position + 1 < len(_ORDER) else None
    return SnapshotResponse(
        changes=[change for _, change in rows], next_page=next_page, cursor_after=cursor_after, server_epoch=epoch
    )
