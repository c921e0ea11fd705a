"""The composition root: every service is built once here and passed in. No globals, no locators.

The desktop (ui/), the CLI and the tests all start from `build_services(data_dir)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.audit.service import AuditLog
from app.core.clock import Clock, SystemClock
from app.db import Database, open_database
from app.outbox.service import Outbox

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


@dataclass
class Services:
    data_dir: Path
    resources_dir: Path
    clock: Clock
    db: Database
    audit: AuditLog
    outbox: Outbox

    def close(self) -> None:
        self.db.dispose()


def build_services(data_dir: Path, clock: Clock | None = None, resources_dir: Path = RESOURCES_DIR) -> Services:
    clock = clock or SystemClock()
    db = open_database(data_dir)
    device_no = 1  # replaced by the device identity row below once masters are seeded
    audit = AuditLog(clock, device_no)
    return Services(
        data_dir=data_dir,
        resources_dir=resources_dir,
        clock=clock,
        db=db,
        audit=audit,
        outbox=Outbox(clock),
    )
