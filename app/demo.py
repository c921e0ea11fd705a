"""First-run set-up of the demo ULB: masters, the first admin, demo users and a generated register."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from app.audit.service import AuditLog
from app.core.clock import Clock, SystemClock
from app.db import Database, open_database
from app.masters.seed import seed_demo_masters
from app.property.models import Property
from app.security.service import UserService

DEMO_PRINTER_FILE = "demo-printer.escpos"


def _demo_printer(db: Database, clock: Clock, data_dir: Path) -> None:
    """A file "printer" as counter C01's default, so the demo prints (to a file) without hardware."""
    from app.masters.service import MastersService
    from app.printing.config import PrinterConfig, PrinterKind, PrinterSettings

    counter = MastersService(db).device().counter_code
    printer = PrinterConfig(
        name="Demo printer - file 80 mm",
        kind=PrinterKind.FILE,
        address=str(data_dir / DEMO_PRINTER_FILE),
        profile="TM-T20II",
        paper_mm=80,
    )
    PrinterSettings(db, clock).save(printer, default_for=counter)


def _seed_office_records(db: Database, clock: Clock, data_dir: Path) -> None:
    """Issue 5's registers: water connections and their dues, user-charge payers, trade licences."""
    from app.masters.tariffs import load_tariff_book
    from app.paths import RESOURCES_DIR
    from app.swm.demo import seed_demo_swm
    from app.trade.demo import seed_demo_licences
    from app.water.demo import seed_demo_water

    tariffs = load_tariff_book(RESOURCES_DIR / "tariffs")
    seed_demo_water(db, clock, tariffs)  # ~300 connections and this FY's water charges so far
    seed_demo_swm(db, clock, tariffs)  # ~500 user-charge payers and their charges
    seed_demo_licences(data_dir, clock)  # ~40 trade licences in every state (fees paid at a counter)


def ensure_demo(
    data_dir: Path,
    properties: int = 2000,
    clock: Clock | None = None,
    quiet: bool = False,
    office_records: bool = True,
) -> bool:
    """Seed the DEMO ULB under `data_dir` unless it is there already. Returns True if it seeded now.

    `office_records=False` seeds only masters, users and properties: no water connections, user-charge
    payers or licences (whose fees are paid with receipts) — a second counter of the same office
    that must start without receipts of its own."""
    clock = clock or SystemClock()
    db = open_database(data_dir)
    try:
        with db.read() as session:
            have = session.scalar(select(func.count()).select_from(Property)) or 0
        if have:
            return False
        started = time.perf_counter()
        seed_demo_masters(db)
        users = UserService(db, AuditLog(clock, 1), clock)
        one_time = users.ensure_first_admin()
        users.seed_demo_users()
        from app.property.demo import generate_demo

        generate_demo(db, properties)
        _demo_printer(db, clock, data_dir)
        if office_records:
            _seed_office_records(db, clock, data_dir)
        if not quiet:
            print(f"Seeded the demo ULB (DEMO) with {properties:,} properties in {time.perf_counter() - started:.1f} s")
            print(f"Data folder: {data_dir}")
            if one_time:
                print(f"First administrator: admin / {one_time}  (one-time password: change it at first login)")
            print("Demo users (docs/users.md): clerk1 / Clerk@123, supervisor1 / Super@123, admin1 / Admin@123")
            print(f"Demo receipt printer: a file; the last receipt's ESC/POS is {data_dir / DEMO_PRINTER_FILE}")
        return True
    finally:
        db.dispose()
