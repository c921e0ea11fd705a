"""Indian financial years, April to March, written '2026-27'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @property
    def code(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return self.code

    @classmethod
    def of(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, code: str) -> FinancialYear:
        match = _FY_PATTERN.match(code.strip())
        if not match:
            raise ValueError(f"{code!r} is not a financial year (expected e.g. 2026-27)")
        start = int(match.group(1))
        if (start + 1) % 100 != int(match.group(2)):
            raise ValueError(f"{code!r} is not a financial year: {start} is followed by {(start + 1) % 100:02d}")
        return cls(start)
