"""Real device data folders for the fault tests: DEMO masters, a few properties, receipts made through
the real CollectionService (numbering, chain, outbox in one transaction) on a settable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.audit.service import AuditLog
from app.collections.service import CollectionService
from app.core.clock import FixedClock
from app.demand.service import DuesService
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.security.passwords import fast_hasher
from app.security.service import UserService
from tests.factories import add_property, cash, set_up_device

CLERK = "clerk1"
SUPERVISOR = "supervisor1"


@dataclass
class Counter:
    """One device's collecting services on its own data folder, with a clock the test moves."""

    data_dir: Path
    clock: FixedClock
    collections: CollectionService
    users: UserService
    properties: list[str]
    db: Any

    def actor(self, username: str = CLERK) -> Any:
        return self.users.actor_for(username, self.collections._device.device_no)

    def set_day(self, day: date, hour: int = 11, minute: int = 0) -> None:
        """Move the device clock to `day` (IST); close a session of another day, open today's."""
        from datetime import time

        self.clock.current = FixedClock.on_ist_date(day, time(hour, minute)).current
        self.open_today()

    def shift(self, delta: timedelta) -> None:
        """Move the device clock (a wrong clock, or days passing); the counter session follows."""
        self.clock.current = self.clock.current + delta
        self.open_today()

    def open_today(self) -> None:
        day = self.collections.today()
        clerk = self.actor()
        current = self.collections.current_session(clerk)
        if current is not None and current.business_date == day:
            return
        if current is not None:
            self.collections.close_session(clerk, {}, {}, "closed by the fault test")
        self.collections.open_session(clerk, 100_000)

    def collect(self, n: int, amount_paise: int = 10_000) -> list[str]:
        """n cash receipts (round-robin over the properties); their uuids."""
        clerk = self.actor()
        made = []
        for i in range(n):
            prop = self.properties[i % len(self.properties)]
            made.append(self.collections.collect(clerk, cash(prop, amount_paise + (i % 7) * 100)).uuid)
        return made

    def close(self) -> None:
        self.db.dispose()


def open_counter(
    data_dir: Path,
    day: date | None,
    properties: int = 3,
    new: bool = True,
    clock: FixedClock | None = None,
    years: tuple[str, ...] = ("2025-26", "2026-27"),
) -> Counter:
    """A device folder (set up when `new`) with its counter session open on `day` (None: today, the
    device clock at the real time, so the central sees no skew)."""
    if clock is None:
        start = FixedClock.on_ist_date(day).current if day is not None else datetime.now(UTC)
        clock = FixedClock(start, tick=timedelta(seconds=7) if day is not None else timedelta(milliseconds=1))
    if new:
        db = set_up_device(data_dir, clock)
        uuids = [add_property(db, f"W01-{i + 1:06d}", years=years) for i in range(properties)]
    else:
        from app.db import open_database

        db = open_database(data_dir)
        from sqlalchemy import select

        from app.property.models import Property

        with db.read() as session:
            uuids = list(session.scalars(select(Property.uuid).order_by(Property.property_id)))
    device = MastersService(db).device()
    audit = AuditLog(clock, device.device_no)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    dues = DuesService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit)
    collections = CollectionService(db, dues, device, audit, Outbox(clock), clock)
    counter = Counter(data_dir, clock, collections, users, uuids, db)
    counter.open_today()
    return counter


@dataclass
class SyncedDevice:
    """A counter enrolled with a central: collect with `counter`, sync with `sync` (in this process)."""

    counter: Counter
    services: Any
    sync: Any

    @property
    def data_dir(self) -> Path:
        return self.counter.data_dir

    def drain(self, max_cycles: int = 10) -> list[Any]:
        """Sync cycles until nothing is pending; the reports."""
        reports = []
        for _ in range(max_cycles):
            reports.append(self.sync.run_cycle())
            if self.sync.status().pending_ops == 0:
                return reports
        raise AssertionError(f"still pending after {max_cycles} cycles: {self.sync.status()}")

    def close(self) -> None:
        self.counter.close()
        self.services.close()


def enrolled_device(
    data_dir: Path,
    central_url: str,
    code: str,
    day: date | None = None,
    years: tuple[str, ...] = ("2025-26", "2026-27"),
) -> SyncedDevice:
    """Set up a device folder, enrol it with the central (the sync engine's own enrol, device key in
    the file secret store), open its counter on `day` (None: today, clock at the real time)."""
    from app.composition import build_services
    from sync.composition import build_sync

    data_dir.mkdir(parents=True, exist_ok=True)
    start = FixedClock.on_ist_date(day).current if day is not None else datetime.now(UTC)
    clock = FixedClock(start, tick=timedelta(milliseconds=1))
    db = set_up_device(data_dir, clock)
    for i in range(3):
        add_property(db, f"W01-{i + 1:06d}", years=years)
    db.dispose()
    services = build_services(data_dir, clock=clock)
    try:
        build_sync(services).enrol(central_url, code)
    finally:
        services.close()
    counter = open_counter(data_dir, day, new=False, clock=clock)
    services = build_services(data_dir, clock=clock)
    return SyncedDevice(counter, services, build_sync(services))
