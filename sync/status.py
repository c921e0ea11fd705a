"""What the desktop shows about sync: plain dataclasses, safe to pass between threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class SyncState(StrEnum):
    NOT_ENROLLED = "not_enrolled"  # no central configured for this device yet
    IDLE = "idle"  # last cycle finished cleanly; waiting for the timer
    SYNCING = "syncing"
    OFFLINE = "offline"  # the central could not be reached; retrying with backoff
    ERROR = "error"  # the central answered with an error; retrying with backoff
    REVOKED = "revoked"  # the central revoked this device: sync stopped, supervisor must act


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    central_url: str = ""
    device_no: int | None = None
    last_success_at: datetime | None = None  # UTC, end of the last complete cycle
    last_attempt_at: datetime | None = None
    next_attempt_at: datetime | None = None
    pending_ops: int = 0  # outbox rows not yet acknowledged by the central
    pending_money_ops: int = 0  # of which receipts, cancellations, day-ends
    oldest_pending_at: datetime | None = None
    quarantined_ops: int = 0  # the central could not read them: support must look
    conflicts_open: int = 0  # master-data conflicts waiting for a supervisor
    ledger_mismatches: int = 0  # series/days whose count, sum, last number or chain head differ
    skipped_changes: int = 0  # changes from the central this PC could not apply (logged; support looks)
    clock_offset_s: float | None = None  # server time minus device time at the last hello
    last_error: str = ""


# Warn the clerk when the device clock is this far from the central's (sync-research.md §3.10).
CLOCK_WARN_S = 5 * 60


@dataclass(frozen=True)
class CycleReport:
    """What one sync cycle did (Sync now shows it; the tests assert on it)."""

    pushed: int = 0
    acknowledged: int = 0
    duplicates: int = 0
    conflicts: int = 0
    quarantined: int = 0
    pulled: int = 0
    snapshot_reloaded: bool = False
    epoch_changed: bool = False
    ledger_mismatches: int = 0
    repushed: int = 0


@dataclass(frozen=True)
class ConflictField:
    name: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class ConflictView:
    uuid: str
    entity: str  # "property"
    entity_uuid: str
    label: str  # e.g. the property id, for people
    created_at: datetime
    fields: tuple[ConflictField, ...] = field(default=())
