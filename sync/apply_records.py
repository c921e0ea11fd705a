"""Applying issue 5's synced records that came down from the central (device side).

A "record" change carries {"entity", "uuid", "fields"} (app.replica.records) and the central's
version. It is upserted into the entity's local table by uuid — a service demand by its natural key
(service, account, period, head), which is what its uuid is made from — inside the page's
transaction (ApplyDispatcher.apply gives each change a savepoint and counts a refused one as
skipped, with the reason shown in the sync status).

- Only the synced columns are written (never id, version, server_version, created_at), each
  converted to its column's type; a value that does not fit refuses the change, naming the field.
- The ULB is this device's. A user id (who recorded a reading, who moved a licence) means another
  user on another device, so it is left empty here.
- Editable records (connection, licence, SWM payer) follow the property rule of sync/apply.py: a
  local row with an edit still waiting to go up is kept (the push's merge decides); an older version
  never replaces a newer one; server_version becomes the central's version.
- Append-only records (readings, events, service demands) take the central's fields: the central
  keeps the first copy it received, and every device converges on it.
- A parent not here yet (the connection of a reading, the property of a connection) refuses the
  change with that reason. The central sends parents first (the snapshot in dependency order, the
  feed in the order the devices pushed them), so this only happens for a parent this device never got.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, bindparam, select, update
from sqlalchemy.orm import Session

from app.core.clock import Clock, as_utc
from app.db.base import Base, ExactDecimal, table_of
from app.demand.models import ServiceDemand
from app.outbox.models import OutboxOperation
from app.replica.records import SYNCED_ENTITIES
from app.swm.models import SwmPayer
from app.trade.models import TradeLicence, TradeLicenceEvent
from app.water.models import MeterReading, WaterConnection, WaterConnectionEvent
from sync.protocol import Change

MODELS: dict[str, type[Base]] = {
    "water_connection": WaterConnection,
    "meter_reading": MeterReading,
    "water_connection_event": WaterConnectionEvent,
    "trade_licence": TradeLicence,
    "trade_licence_event": TradeLicenceEvent,
    "swm_payer": SwmPayer,
    "service_demand": ServiceDemand,
}
EDITABLE = frozenset({"water_connection", "trade_licence", "swm_payer"})
_LOCAL_ONLY = frozenset({"id", "version", "server_version", "created_at"})
_DEMAND_KEY = ("service", "account_uuid", "period", "head")
_DEMAND = table_of(ServiceDemand)
_FIND_DEMAND = select(*_DEMAND.c).where(*(_DEMAND.c[name] == bindparam(f"k_{name}") for name in _DEMAND_KEY))

assert set(MODELS) == set(SYNCED_ENTITIES), "every synced entity has a local table here"


class RecordApplier:
    """The "record" handler of the sync engine's ApplyDispatcher."""

    def __init__(self, clock: Clock, ulb_code: str) -> None:
        self._clock = clock
        self._ulb_code = ulb_code

    def apply(self, session: Session, change: Change) -> None:
        if change.op == "delete":
            return  # records are never deleted: they end by status (disconnected, expired, closed)
        payload = change.payload
        entity = payload.get("entity")
        if not isinstance(entity, str) or entity not in MODELS:
            raise LookupError(f"unknown record entity {entity!r}")
        uuid = str(payload.get("uuid") or change.entity_uuid)
        fields = payload.get("fields")
        if not isinstance(fields, dict):
            raise TypeError(f"{entity} {uuid}: fields must be an object")
        model = MODELS[entity]
        table = table_of(model)
        values = self._values(table, entity, uuid, fields)
        self._check_parents(session, table, entity, uuid, values)
        if entity == "service_demand":
            self._upsert_demand(session, uuid, values)
        elif entity in EDITABLE:
            self._upsert_editable(session, model, entity, uuid, values, change.version)
        else:
            self._upsert_append_only(session, model, uuid, values)
        session.flush()

    # -- values --------------------------------------------------------------------------------------

    def _values(self, table: Table, entity: str, uuid: str, fields: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column in table.columns:
            name = column.key
            if name in _LOCAL_ONLY:
                continue
            if name == "ulb_code":
                values[name] = self._ulb_code
            elif any(fk.column.table.name == "app_user" for fk in column.foreign_keys):
                values[name] = None  # a user id of another device: means nobody here
            elif name == "uuid":
                values[name] = uuid
            elif name in fields:
                values[name] = _typed(column, fields[name], f"{entity} {uuid}: {name}")
        return values

    def _check_parents(self, session: Session, table: Table, entity: str, uuid: str, values: dict[str, Any]) -> None:
        for column in table.columns:
            value = values.get(column.key)
            if value is None or column.key == "ulb_code":
                continue
            for fk in column.foreign_keys:
                parent = fk.column
                if parent.table.name == "app_user":
                    continue
                if session.execute(select(parent).where(parent == value).limit(1)).first() is None:
                    raise LookupError(f"{entity} {uuid}: its {parent.table.name} {value} is not on this device yet")

    def _missing(self, table: Table, entity: str, uuid: str, values: dict[str, Any]) -> None:
        """A new row needs every column that has no default."""
        missing = [
            c.key
            for c in table.columns
            if c.key not in values
            and c.key not in _LOCAL_ONLY
            and not c.nullable
            and c.default is None
            and c.server_default is None
        ]
        if missing:
            raise ValueError(f"{entity} {uuid}: missing {', '.join(missing)}")

    # -- upserts -------------------------------------------------------------------------------------

    def _upsert_editable(
        self, session: Session, model: type[Base], entity: str, uuid: str, values: dict[str, Any], version: int
    ) -> None:
        row: Any = session.get(model, uuid)
        if row is None:
            self._missing(table_of(model), entity, uuid, values)
            session.add(model(**values, created_at=self._clock.now_utc(), version=1, server_version=version))
            return
        if _pending_edit(session, uuid):
            return  # what the clerk typed waits for its own push result
        if row.server_version >= version:
            return  # this version (or a newer one) is here already
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1  # an open editor of the old version must reload
        # else: this device's own change coming back confirmed; an open editor stays valid
        row.server_version = version

    def _upsert_append_only(self, session: Session, model: type[Base], uuid: str, values: dict[str, Any]) -> None:
        # Core statements: a month's demand for a whole ULB comes down as tens of thousands of these.
        table = table_of(model)
        connection = session.connection()
        held = connection.execute(select(*table.c).where(table.c.uuid == uuid)).mappings().first()
        if held is None:
            self._missing(table, model.__tablename__, uuid, values)
            stamped = {"created_at": self._clock.now_utc()} if "created_at" in table.c else {}
            connection.execute(table.insert(), {**values, **stamped})
        elif any(held[name] != value for name, value in values.items()):
            connection.execute(update(table).where(table.c.uuid == uuid).values(**values))

    def _upsert_demand(self, session: Session, uuid: str, values: dict[str, Any]) -> None:
        values.pop("uuid", None)
        connection = session.connection()
        held = connection.execute(_FIND_DEMAND, {f"k_{name}": values.get(name) for name in _DEMAND_KEY}).first()
        if held is None:
            self._missing(_DEMAND, "service_demand", uuid, values)
            connection.execute(_DEMAND.insert(), {**values, "created_at": self._clock.now_utc()})
        elif any(held._mapping[name] != value for name, value in values.items()):
            connection.execute(update(_DEMAND).where(_DEMAND.c.id == held.id).values(**values))


def _pending_edit(session: Session, entity_uuid: str) -> bool:
    o = OutboxOperation
    return (
        session.scalars(select(o.device_seq).where(o.entity_uuid == entity_uuid, o.state == "pending").limit(1)).first()
        is not None
    )


def _typed(column: Column[Any], value: Any, where: str) -> Any:
    """The JSON value as the column's Python type; ValueError naming the field when it cannot be."""
    if value is None:
        if not column.nullable:
            raise ValueError(f"{where}: must not be empty")
        return None
    column_type = column.type
    if isinstance(column_type, ExactDecimal):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"{where}: {value!r} is not a decimal") from None
    if isinstance(column_type, DateTime) or isinstance(getattr(column_type, "impl", None), DateTime):
        if not isinstance(value, str):
            raise ValueError(f"{where}: an ISO timestamp is required")
        return as_utc(datetime.fromisoformat(value))
    if isinstance(column_type, Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"{where}: true or false is required")
        return value
    if isinstance(column_type, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{where}: a whole number is required")
        return value
    if isinstance(column_type, String):
        if not isinstance(value, str):
            raise ValueError(f"{where}: text is required")
        if column_type.length is not None and len(value) > column_type.length:
            raise ValueError(f"{where}: longer than {column_type.length} characters")
        return value
    return value
