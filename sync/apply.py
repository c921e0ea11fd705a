"""Applying pulled changes to the device database, one entity kind at a time.

`ApplyDispatcher.handlers` maps an entity (sync.protocol.ChangeEntity value) to
`handler(session, change)`, run inside the transaction that applies the page and saves the cursor.
Reference data (tariffs, users, settings) registers its handlers from sync/apply_reference.py.
An entity nobody handles is skipped (a newer central may send kinds this version does not know).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.outbox.models import OutboxOperation
from app.property.models import Property
from app.property.service import apply_sync_fields
from app.replica.models import LocalSyncConflict
from app.replica.service import (
    RemotePaymentIn,
    get_meta,
    record_remote_cancellation,
    record_remote_payment,
    set_meta,
)
from app.swm.models import SwmPayer
from app.trade.models import TradeLicence
from app.water.models import WaterConnection
from sync.apply_records import RecordApplier
from sync.protocol import Change, ChangeEntity

# Changes from the central that could not be applied here (kept in sync_meta; shown in the status).
META_SKIPPED_CHANGES = "skipped_changes"
META_LAST_SKIPPED = "last_skipped_change"

log = logging.getLogger(__name__)

ApplyHandler = Callable[[Session, Change], None]


def has_pending_edit(session: Session, entity_uuid: str) -> bool:
    return (
        session.scalars(
            select(OutboxOperation.device_seq).where(
                OutboxOperation.entity_uuid == entity_uuid, OutboxOperation.state == "pending"
            )
        ).first()
        is not None
    )


def conflict_label(session: Session, entity: str, entity_uuid: str) -> str:
    """What a supervisor recognises a conflicting record by: the property ID, consumer number,
    licence (or application) number or payer ID; the uuid when the row is not here."""
    if entity == "property":
        prop = session.get(Property, entity_uuid)
        return prop.property_id if prop is not None else entity_uuid
    if entity == "water_connection":
        connection = session.get(WaterConnection, entity_uuid)
        return connection.consumer_no if connection is not None else entity_uuid
    if entity == "trade_licence":
        licence = session.get(TradeLicence, entity_uuid)
        return (licence.licence_no or licence.application_no) if licence is not None else entity_uuid
    if entity == "swm_payer":
        payer = session.get(SwmPayer, entity_uuid)
        return payer.payer_id if payer is not None else entity_uuid
    return entity_uuid


def upsert_conflict(
    session: Session,
    uuid: str,
    entity: str,
    entity_uuid: str,
    fields: dict[str, object],
    created_at: datetime,
    label: str = "",
    resolved: bool = False,
) -> None:
    row = session.get(LocalSyncConflict, uuid)
    if row is None:
        if not label:
            label = conflict_label(session, entity, entity_uuid)
        row = LocalSyncConflict(
            uuid=uuid,
            entity=entity,
            entity_uuid=entity_uuid,
            label=label[:100],
            fields_json=json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str),
            created_at=created_at,
        )
        session.add(row)
    elif fields:
        row.fields_json = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    if resolved and row.resolved_at is None:
        row.resolved_at = created_at
    session.flush()


class ApplyDispatcher:
    def __init__(self, clock: Clock, ulb_code: str, device_id: Callable[[], str | None]) -> None:
        self._clock = clock
        self._ulb_code = ulb_code
        self._device_id = device_id
        self.handlers: dict[str, ApplyHandler] = {
            ChangeEntity.PROPERTY: self.apply_property,
            ChangeEntity.PAYMENT: self.apply_payment,
            ChangeEntity.PAYMENT_BATCH: self.apply_payment_batch,
            ChangeEntity.PAYMENT_CANCELLATION: self.apply_payment_cancellation,
            ChangeEntity.CONFLICT: self.apply_conflict,
            # issue 5: water connections, readings, licences, SWM payers, service demands
            ChangeEntity.RECORD: RecordApplier(clock, ulb_code).apply,
        }

    def register(self, entity: str, handler: ApplyHandler) -> None:
        self.handlers[entity] = handler

    def apply(self, session: Session, change: Change) -> bool:
        """Apply one change; False if skipped (unknown entity or a bad row, logged)."""
        handler = self.handlers.get(change.entity)
        if handler is None:
            log.info("sync: no handler for entity %r; change %s skipped", change.entity, change.seq)
            return False
        # A savepoint per change: one unreadable row (a bug elsewhere) must not block every later
        # change, nor leave half of itself behind.
        try:
            with session.begin_nested():
                handler(session, change)
        except (KeyError, ValueError, TypeError, LookupError, IntegrityError) as error:
            log.warning("sync: change %s (%s %s) not applied: %s", change.seq, change.entity, change.entity_uuid, error)
            # Counted in the page's own transaction, so the status bar tells support it happened.
            skipped = int(get_meta(session, META_SKIPPED_CHANGES) or "0") + 1
            set_meta(session, META_SKIPPED_CHANGES, str(skipped))
            set_meta(
                session, META_LAST_SKIPPED, f"{change.entity} {change.entity_uuid} (seq {change.seq}): {error}"[:500]
            )
            return False
        return True

    # --- built-in entities

    def apply_property(self, session: Session, change: Change) -> None:
        """A property changed elsewhere (or our own edit as the central merged it).

        A pending local edit of the same property is kept: the push's result (merged record or
        conflict) decides, never a silent overwrite of what the clerk typed."""
        if change.op == "delete":
            return  # properties are not deleted on devices (receipts refer to them)
        prop = session.get(Property, change.entity_uuid)
        if prop is not None and has_pending_edit(session, change.entity_uuid):
            return
        if prop is not None and prop.server_version >= change.version:
            return  # already have this version (or a newer one from a push result)
        if prop is None:
            prop = Property(
                uuid=change.entity_uuid,
                ulb_code=self._ulb_code,
                property_id=str(change.payload["property_id"]),
                ward_no=int(change.payload["ward_no"]),
                zone_code=str(change.payload["zone_code"]),
                created_at=self._clock.now_utc(),
                version=1,
                server_version=0,
            )
            session.add(prop)
            session.flush()
        else:
            prop.version += 1  # an open editor of the old version must reload
        apply_sync_fields(session, prop, change.payload)
        prop.server_version = change.version
        session.flush()

    def apply_payment(self, session: Session, change: Change) -> None:
        if change.op == "delete":
            return
        origin = change.origin_device_id or ""
        if origin and origin == self._device_id():
            return  # our own receipt coming back
        record_remote_payment(session, RemotePaymentIn.from_payload(change.payload, self._clock.now_utc(), origin))

    def apply_payment_batch(self, session: Session, change: Change) -> None:
        """Receipts of one push of another device: each item is a "payment" change, applied by the
        "payment" handler registered now (each in a savepoint of its own, as apply() does)."""
        items = change.payload["items"]
        if not isinstance(items, list):
            raise TypeError("payment_batch: items must be a list")
        for item in items:
            single = Change(
                seq=change.seq,
                entity=ChangeEntity.PAYMENT.value,
                entity_uuid=str(item.get("uuid", "")) if isinstance(item, dict) else "",
                op=change.op,
                version=change.version,
                payload=item if isinstance(item, dict) else {},
                origin_device_id=change.origin_device_id,
            )
            self.apply(session, single)

    def apply_payment_cancellation(self, session: Session, change: Change) -> None:
        payload = change.payload
        record_remote_cancellation(
            session,
            receipt_uuid=str(payload["receipt_uuid"]),
            received_at=self._clock.now_utc(),
            uuid=str(payload.get("uuid", change.entity_uuid)),
            kind=str(payload.get("kind", "CANCELLED")),
            reason=str(payload.get("reason", "")),
        )

    def apply_conflict(self, session: Session, change: Change) -> None:
        payload = change.payload
        fields = payload.get("fields", {})
        resolved = change.op == "delete" or bool(payload.get("resolved")) or bool(payload.get("resolved_at"))
        upsert_conflict(
            session,
            uuid=str(payload.get("uuid", change.entity_uuid)),
            entity=str(payload.get("entity", "property")),
            entity_uuid=str(payload.get("entity_uuid", "")),
            fields=fields if isinstance(fields, dict) else {},
            created_at=self._clock.now_utc(),
            label=str(payload.get("label", "")),
            resolved=resolved,
        )
