"""Monthly water demand for 100,000 connections (target ≤ 30 s), into a fresh database each run.

The connections (90% flat domestic, commercial and industrial, 2% bulk metered with two readings
each) are bulk-inserted first; only `WaterService.generate_demand` is timed: reading them, working
out every charge, inserting the rows and queuing one sync op per charge, in one transaction."""

from __future__ import annotations

import random
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.core.ids import new_uuid
from app.db.base import table_of
from app.masters.tariffs import load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.security.passwords import fast_hasher
from app.security.service import UserService
from app.water.models import MeterReading, WaterConnection
from app.water.service import WaterService
from tests.bench.common import Figure
from tests.factories import set_up_device

N = 100_000
PERIOD = "2026-11"
_MIX = ((0.02, "BULK"), (0.12, "COMMERCIAL"), (0.14, "INDUSTRIAL"), (1.0, "DOMESTIC"))


def _connections(n: int, seed: int = 1) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    connections: list[dict[str, object]] = []
    readings: list[dict[str, object]] = []
    per_ward: dict[int, int] = {}
    for _ in range(n):
        ward = rng.randint(1, 40)
        per_ward[ward] = per_ward.get(ward, 0) + 1
        roll = rng.random()
        category = next(c for limit, c in _MIX if roll < limit)
        uuid = new_uuid()
        metered = category == "BULK"
        connections.append(
            {
                "uuid": uuid,
                "ulb_code": "DEMO",
                "consumer_no": f"W-{ward:02d}-{per_ward[ward]:06d}",
                "property_uuid": None,
                "holder_name_en": f"Consumer {len(connections) + 1}",
                "holder_name_hi": "",
                "mobile": "",
                "address_en": "",
                "address_hi": "",
                "ward_no": ward,
                "category": category,
                "pipe_size_mm": 50 if metered else 15,
                "metered": metered,
                "meter_no": f"M{len(connections) + 1}" if metered else "",
                "billing_cycle": "MONTHLY",
                "status": "ACTIVE",
                "connected_on": date(2020 + rng.randint(0, 6), rng.randint(1, 10), rng.randint(1, 28)).isoformat(),
                "disconnected_on": "",
                "created_at": now,
                "version": 1,
                "server_version": 0,
            }
        )
        if metered:
            start = rng.randint(0, 5_000_000)
            for day, litres in ((date(2026, 10, 31), start), (date(2026, 11, 30), start + rng.randint(0, 90_000))):
                readings.append(
                    {
                        "uuid": new_uuid(),
                        "connection_uuid": uuid,
                        "reading_date": day.isoformat(),
                        "reading_litres": litres,
                        "consumption_litres": litres - start,
                        "reason": "",
                        "note": "",
                        "recorded_by_user_id": None,
                        "created_at": now,
                    }
                )
    return connections, readings


def run(workdir: Path) -> list[Figure]:
    target = workdir / "water-100k-scratch"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    clock = FixedClock.on_ist_date(date(2026, 12, 5))
    db = set_up_device(target, clock)
    try:
        connections, readings = _connections(N)
        with db.write() as session:
            session.connection().execute(table_of(WaterConnection).insert(), connections)
            session.connection().execute(table_of(MeterReading).insert(), readings)
        audit = AuditLog(clock, 1)
        supervisor = UserService(db, audit, clock, hasher=fast_hasher()).actor_for("supervisor1", 1)
        water = WaterService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit, Outbox(clock), "DEMO")
        started = time.perf_counter()
        result = water.generate_demand(supervisor, PERIOD)
        elapsed = time.perf_counter() - started
        again_started = time.perf_counter()
        again = water.generate_demand(supervisor, PERIOD)
        again_elapsed = time.perf_counter() - again_started
    finally:
        db.dispose()
        shutil.rmtree(target, ignore_errors=True)
    print(
        f"   {result.raised:,} charges raised ({result.not_chargeable:,} not chargeable), "
        f"₹{result.total_paise // 100:,}; re-run raised {again.raised:,} in {again_elapsed:.1f} s",
        flush=True,
    )
    return [Figure(f"water demand for one month, {N:,} connections", elapsed, "s", 30.0)]
