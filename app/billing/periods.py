"""Period strings of service demands: a month "2026-11", an FY quarter "2026-27-Q3" (Q1 = Apr–Jun)
or a whole FY "2026-27" — parsed, ordered, and written in words for receipts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.core.fy import FinancialYear

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_HI = (
    "जनवरी",
    "फ़रवरी",
    "मार्च",
    "अप्रैल",
    "मई",
    "जून",
    "जुलाई",
    "अगस्त",
    "सितंबर",
    "अक्टूबर",
    "नवंबर",
    "दिसंबर",
)


@dataclass(frozen=True)
class Period:
    kind: str  # MONTH, QUARTER or YEAR
    fy: FinancialYear
    first_day: date  # orders periods: oldest first
    last_day: date

    @property
    def fy_code(self) -> str:
        return self.fy.code


_DAY = timedelta(days=1)


def _month_start(year: int, month: int) -> date:
    """The 1st of `month` counted from January of `year` (13 = next January)."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _is_fy(start: int, end_2: int) -> bool:
    return (start + 1) % 100 == end_2


def parse_period(text: str) -> Period:
    """Raises ValueError for anything but the three shapes."""
    match = _QUARTER.match(text)
    if match:
        start, end_2, quarter = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if not _is_fy(start, end_2):
            raise ValueError(f"{text!r}: not a financial-year quarter")
        opens = _month_start(start, 4 + 3 * (quarter - 1))
        return Period("QUARTER", FinancialYear(start), opens, _month_start(start, 7 + 3 * (quarter - 1)) - _DAY)
    match = _MONTH.match(text)
    if match:
        first, second = int(match.group(1)), int(match.group(2))
        # "2026-27" is an FY; "2026-11" a month (an FY's second part is never 01–12 after 2012).
        if _is_fy(first, second) and second > 12:
            return Period("YEAR", FinancialYear(first), date(first, 4, 1), date(first + 1, 3, 31))
        if 1 <= second <= 12:
            day = date(first, second, 1)
            return Period("MONTH", FinancialYear.of(day), day, _month_start(first, second + 1) - _DAY)
    raise ValueError(f"{text!r} is not a period (expected 2026-11, 2026-27-Q3 or 2026-27)")


def period_fy(text: str) -> str:
    """The FY code a period falls in."""
    return parse_period(text).fy_code


def period_sort_key(text: str) -> tuple[date, str]:
    try:
        return (parse_period(text).first_day, text)
    except ValueError:
        return (date.max, text)


def period_words(text: str, language: str = "en") -> str:
    """'Nov 2026' / 'नवंबर 2026', 'Q3 2026-27' / 'तिमाही 3, 2026-27', 'FY 2026-27' / 'वित्त वर्ष 2026-27'."""
    try:
        period = parse_period(text)
    except ValueError:
        return text
    hindi = language == "hi"
    if period.kind == "MONTH":
        names = _MONTHS_HI if hindi else _MONTHS_EN
        return f"{names[period.first_day.month - 1]} {period.first_day.year}"
    if period.kind == "QUARTER":
        quarter = text[-1]
        return f"तिमाही {quarter}, {period.fy_code}" if hindi else f"Q{quarter} {period.fy_code}"
    return f"वित्त वर्ष {period.fy_code}" if hindi else f"FY {period.fy_code}"
