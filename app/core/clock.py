"""Time. Stored in UTC, shown in IST; the business date of a counter is the IST date.

The device clock is recorded, never trusted for ordering; services get a Clock passed in so tests
and `--on DATE` can fix the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Protocol

IST = timezone(timedelta(hours=5, minutes=30), "IST")


class Clock(Protocol):
    def now_utc(self) -> datetime: ...


class SystemClock:
    def now_utc(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that says what it is told (tests, `--on DATE`). Advances by `tick` on each read."""

    current: datetime
    tick: timedelta = timedelta(0)

    def now_utc(self) -> datetime:
        value = self.current
        self.current = self.current + self.tick
        return value

    @classmethod
    def on_ist_date(cls, day: date, at: time = time(11, 0)) -> FixedClock:
        return cls(datetime.combine(day, at, tzinfo=IST).astimezone(UTC))


def as_utc(moment: datetime) -> datetime:
    """The same instant as an aware UTC datetime; a naive one (SQLite hands them back so) is UTC."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def to_ist(moment: datetime) -> datetime:
    return moment.astimezone(IST)


def business_date(moment: datetime) -> date:
    """The office's date for a UTC moment: the calendar date in India."""
    return to_ist(moment).date()


def format_date(day: date) -> str:
    """DD-MM-YYYY, as people in the office read dates."""
    return day.strftime("%d-%m-%Y")


def format_datetime_ist(moment: datetime) -> str:
    return to_ist(moment).strftime("%d-%m-%Y %H:%M")


def parse_date(text: str) -> date:
    """Accepts ISO (2026-06-15) or Indian (15-06-2026) dates."""
    cleaned = text.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(cleaned, fmt).date()  # noqa: DTZ007 - a date, not a moment
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD or DD-MM-YYYY)")
