"""How a water charge is worked out: periods, chargeable months and the amount. Pure functions, no DB.

Rules (documented in resources/tariffs/README.md, "water files"):
- A period is a month ("2026-11") or an FY quarter ("2026-27-Q3", Q1 = April-June). The tariff used
  is the one in force on the period's first day, of the period's FY.
- A connection is charged for a month from the month after it was connected (or reconnected) up to
  and including the month it was disconnected.
- Flat (unmetered): tariff flat_monthly[category] for each chargeable month.
- Metered: litres drawn in the period (the consumption of the readings dated inside it) x rate_per_kl
  / 1,000, but at least minimum_monthly for each chargeable month.
- Demand is in whole rupees: the worked amount is rounded half up to the rupee.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.core.fy import FinancialYear
from app.core.money import format_inr, group_indian, round_half_up_paise
from app.errors import ValidationError
from app.masters.tariffs import WaterTariff

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4}-\d{2})-Q([1-4])$")

Month = tuple[int, int]  # (year, month)


@dataclass(frozen=True)
class Period:
    code: str  # "2026-11" or "2026-27-Q3"
    fy: str
    months: tuple[Month, ...]  # in order

    @property
    def is_quarter(self) -> bool:
        return len(self.months) == 3

    @property
    def first_day(self) -> date:
        year, month = self.months[0]
        return date(year, month, 1)

    @property
    def last_day(self) -> date:
        return month_end(self.months[-1])


def month_code(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def month_of(day: date) -> Month:
    return (day.year, day.month)


def month_end(month: Month) -> date:
    return date(month[0], month[1], calendar.monthrange(*month)[1])


def next_month(month: Month) -> Month:
    year, m = month
    return (year + 1, 1) if m == 12 else (year, m + 1)


def parse_period(text: str) -> Period:
    """A month "2026-11" or an FY quarter "2026-27-Q3"; ValidationError naming the text otherwise.

    "2026-27" (an FY) is not a billing period of water charges and is refused."""
    cleaned = text.strip().upper()
    quarter = _QUARTER.match(cleaned)
    if quarter:
        try:
            fy = FinancialYear.parse(quarter.group(1))
        except ValueError as error:
            raise ValidationError(f"period {text!r}: {error}") from None
        first = (int(quarter.group(2)) - 1) * 3  # months after April
        months = []
        for offset in range(first, first + 3):
            absolute = 3 + offset  # April = index 3 (0-based months)
            months.append((fy.start_year + absolute // 12, absolute % 12 + 1))
        return Period(cleaned, fy.code, tuple(months))
    month = _MONTH.match(cleaned)
    if month and 1 <= int(month.group(2)) <= 12:
        year, m = int(month.group(1)), int(month.group(2))
        return Period(cleaned, FinancialYear.of(date(year, m, 1)).code, ((year, m),))
    raise ValidationError(
        f"period {text!r} is not a month (e.g. 2026-11) or a financial-year quarter (e.g. 2026-27-Q3)"
    )


def quarter_of(month: Month) -> str:
    """The FY quarter code a month falls in: (2026, 11) -> "2026-27-Q3"."""
    fy = FinancialYear.of(date(month[0], month[1], 1))
    index = (month[1] - 4) % 12 // 3 + 1
    return f"{fy.code}-Q{index}"


@dataclass(frozen=True)
class Interval:
    """Months a connection is chargeable: from `first` (inclusive) to `last` (inclusive; None = open)."""

    first: Month
    last: Month | None


def chargeable_intervals(connected_on: date, events: list[tuple[date, str]]) -> list[Interval]:
    """From the connection date and its (date, kind) DISCONNECTED / RECONNECTED events, in order."""
    intervals: list[Interval] = []
    start: Month | None = next_month(month_of(connected_on))
    for on, kind in sorted(events):
        if kind == "DISCONNECTED" and start is not None:
            intervals.append(Interval(start, month_of(on)))
            start = None
        elif kind == "RECONNECTED" and start is None:
            start = next_month(month_of(on))
    if start is not None:
        intervals.append(Interval(start, None))
    return intervals


def chargeable_months(period: Period, intervals: list[Interval]) -> tuple[Month, ...]:
    return tuple(m for m in period.months if any(i.first <= m and (i.last is None or m <= i.last) for i in intervals))


def rupees_to_paise(amount: Decimal) -> int:
    """Whole rupees, half up, in paise (service demand is raised in whole rupees)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100


def _rupees(value: Decimal) -> str:
    """₹ in Indian grouping, exact to the paisa, without a trailing .00 (details stay short)."""
    return format_inr(round_half_up_paise(value * 100)).removesuffix(".00")


def litres_text(litres: int) -> str:
    return f"{group_indian(litres)} L"


@dataclass(frozen=True)
class Charge:
    amount_paise: int
    detail: str


def rate_problem(tariff: WaterTariff, category: str, metered: bool) -> str | None:
    """Why `tariff` cannot charge such a connection, or None."""
    if metered and category not in tariff.metered:
        known = ", ".join(sorted(tariff.metered)) or "none"
        return f"the water tariff of {tariff.ulb} {tariff.fy} has no metered rate for {category} (metered: {known})"
    if not metered and category not in tariff.flat_monthly:
        known = ", ".join(sorted(tariff.flat_monthly)) or "none"
        return f"the water tariff of {tariff.ulb} {tariff.fy} has no flat monthly rate for {category} (flat: {known})"
    return None


def flat_charge(tariff: WaterTariff, category: str, months: int) -> Charge:
    monthly = tariff.flat_monthly[category]
    amount = monthly * months
    detail = f"flat {category.lower()} {_rupees(monthly)}/month" + (f" x {months}" if months != 1 else "")
    return Charge(rupees_to_paise(amount), detail)


def metered_charge(tariff: WaterTariff, category: str, months: int, consumption_litres: int) -> Charge:
    rate = tariff.metered[category]
    drawn = Decimal(consumption_litres) * rate.rate_per_kl / Decimal(1000)
    minimum = rate.minimum_monthly * months
    base = f"{litres_text(consumption_litres)} @ {_rupees(rate.rate_per_kl)}/kL = {_rupees(drawn)}"
    if drawn < minimum:
        suffix = f" x {months}" if months != 1 else ""
        return Charge(rupees_to_paise(minimum), f"{base}; minimum {_rupees(rate.minimum_monthly)}/month{suffix}")
    return Charge(rupees_to_paise(drawn), base)


def water_charge(tariff: WaterTariff, category: str, metered: bool, months: int, consumption_litres: int = 0) -> Charge:
    """The charge of `months` chargeable months of one period. Raises ValidationError if the tariff
    has no rate for the category (flat or metered)."""
    problem = rate_problem(tariff, category, metered)
    if problem:
        raise ValidationError(problem)
    if metered:
        return metered_charge(tariff, category, months, consumption_litres)
    return flat_charge(tariff, category, months)
