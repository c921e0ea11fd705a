"""What the main window's status bar shows, read on a worker thread as one plain snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.composition import Services
    from app.security.roles import Actor


@dataclass(frozen=True)
class StatusSnapshot:
    today: date
    session_open: bool
    session_opened_at: datetime | None
    receipts: int  # today's receipts of this clerk, cancelled ones excluded
    cancelled: int
    total_paise: int  # sum of today's receipts, cancelled ones excluded
    printer: str  # "not_set_up" until the printing issue
    sync: str  # "not_enrolled" until the sync issue


def read_status(services: Services, actor: Actor) -> StatusSnapshot:
    """Runs on a reader thread (ops.read)."""
    collections = services.collections
    today = collections.today()
    session = collections.current_session(actor)
    receipts = collections.list_receipts(today, user_id=actor.user_id)
    live = [r for r in receipts if not r.cancelled]
    return StatusSnapshot(
        today=today,
        session_open=session is not None,
        session_opened_at=session.opened_at if session is not None else None,
        receipts=len(live),
        cancelled=len(receipts) - len(live),
        total_paise=sum(r.amount_paise for r in live),
        printer="not_set_up",
        sync="not_enrolled",
    )
