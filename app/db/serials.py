"""Register numbers a counter gives out offline (consumer no., payer ID, application and licence no.)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

SERIAL_DIGITS = 5


def next_serial(session: Session, column: Any, stem: str, *where: Any) -> str:
    """`stem` followed by the next 5-digit sequence among the values of `column` that start with it
    (within `where`, e.g. the ULB). The stem carries the counter's tag (app.core.ids.device_tag), so
    two counters numbering offline never collide; the caller's write transaction keeps it gapless."""
    last = session.scalar(select(func.max(column)).where(column.startswith(stem, autoescape=True), *where))
    tail = str(last).removeprefix(stem) if last else ""
    seq = int(tail) + 1 if tail.isdigit() else 1
    return f"{stem}{seq:0{SERIAL_DIGITS}d}"
