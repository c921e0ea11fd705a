"""How people in the office read values: Indian-grouped rupees, DD-MM-YYYY dates, IST times."""

from __future__ import annotations

from datetime import date, datetime

from app.core.clock import format_date, format_datetime_ist
from app.core.money import format_inr


def money(paise: int, *, symbol: bool = True) -> str:
    """₹1,23,456.00 (Indian grouping, two decimals). Never float."""
    return format_inr(paise, symbol=symbol)


def day(value: date) -> str:
    """DD-MM-YYYY."""
    return format_date(value)


def moment(value: datetime) -> str:
    """DD-MM-YYYY HH:MM in IST."""
    return format_datetime_ist(value)
