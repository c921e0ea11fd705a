"""(No tests here.) Shared set-up of the water tests: a DEMO device, its water service and handy inputs."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.db import Database
from app.masters.tariffs import load_tariff_book
from app.outbox.models import OutboxOperation
from app.paths import RESOURCES_DIR
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.security.service import UserService
from app.water.dto import ConnectionInput
from app.water.service import WaterService
from tests.factories import set_up_device


@dataclass
class WaterWorld:
    db: Database
    clock: FixedClock
    water: WaterService
    supervisor: Actor
    clerk: Actor
    admin: Actor
    commissioner: Actor

    def ops(self, entity: str | None = None) -> list[dict[str, Any]]:
        """Record ops queued for the central, oldest first (payloads), optionally of one entity."""
        with self.db.read() as session:
            query = select(OutboxOperation).where(OutboxOperation.kind == "record.upserted")
            rows = session.scalars(query.order_by(OutboxOperation.device_seq)).all()
            payloads = [json.loads(r.payload_json) for r in rows]
        return [p for p in payloads if entity is None or p["entity"] == entity]


def make_world(data_dir: Path, today: date) -> WaterWorld:
    clock = FixedClock.on_ist_date(today)
    db = set_up_device(data_dir, clock)
    audit = AuditLog(clock, 1)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    from app.outbox.service import Outbox

    water = WaterService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit, Outbox(clock), "DEMO")
    return WaterWorld(
        db,
        clock,
        water,
        users.actor_for("supervisor1", 1),
        users.actor_for("clerk1", 1),
        users.actor_for("admin1", 1),
        users.actor_for("commissioner1", 1),
    )


DOMESTIC = ConnectionInput(
    holder_name_en="Ramesh Sahu",
    holder_name_hi="रमेश साहू",
    ward_no=5,
    category="DOMESTIC",
    connected_on=date(2026, 4, 10),
    mobile="9876543210",
    address_en="12, Gandhi Chowk",
)
BULK = replace(
    DOMESTIC,
    holder_name_en="Bhilai Steel Colony",
    holder_name_hi="",
    category="BULK",
    metered=True,
    meter_no="M-1001",
    pipe_size_mm=50,
    initial_reading_litres=1_000,
)
