"""Money is an integer number of paise inside Nikay. Decimal appears only at the edges.

Rules (DESIGN.md, tariffs in resources/tariffs):
- each computed head is rounded half-up to the paisa (`round_half_up_paise`);
- a bill total is rounded to the nearest rupee, half-up (`round_to_rupee`), and the difference
  is shown as a ROUND_OFF line;
- people read money in Indian grouping: ₹1,23,45,678.00.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

PAISE_PER_RUPEE = 100
MAX_AMOUNT_PAISE = 99_99_99_999_99  # ₹99,99,99,999.99: no counter takes more in one receipt
_AMOUNT = re.compile(r"^(?=.*\d)(\d*)(?:\.(\d{0,2}))?$")


class MoneyFormatError(ValueError):
    """Text that should have been an amount of money was not."""


def round_half_up_paise(value: Decimal) -> int:
    """Round an exact amount expressed in paise (maybe fractional) half-up to whole paise."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(amount_paise: int, percent: Decimal) -> int:
    """`percent`% of an amount, rounded half-up to the paisa. Never touches float."""
    return round_half_up_paise(Decimal(amount_paise) * percent / Decimal(100))


def round_to_rupee(amount_paise: int) -> int:
    """Round to the nearest whole rupee, half-up (away from zero for negatives)."""
    rupees = (Decimal(amount_paise) / PAISE_PER_RUPEE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(rupees) * PAISE_PER_RUPEE


def parse_rupees(text: str) -> int:
    """Parse what a person typed ("1,500", "1500.5", "₹ 2,119.00") into paise.

    Raises MoneyFormatError for anything that is not a non-negative amount with at most two
    decimal places, so a typo never silently becomes a different amount.
    """
    cleaned = text.strip().replace("₹", "").replace(",", "").replace(" ", "")
    if not cleaned:
        raise MoneyFormatError("amount is empty")
    if cleaned.startswith("-"):
        raise MoneyFormatError(f"{text!r} is negative")
    match = _AMOUNT.match(cleaned)
    if not match:
        if re.match(r"^\d*\.\d{3,}$", cleaned):
            raise MoneyFormatError(f"{text!r} has more than two decimal places")
        raise MoneyFormatError(f"{text!r} is not an amount of money (digits, with at most two decimals)")
    rupees, paise = match.group(1) or "0", (match.group(2) or "").ljust(2, "0")
    value = int(rupees) * PAISE_PER_RUPEE + int(paise)
    if value > MAX_AMOUNT_PAISE:
        raise MoneyFormatError(f"{text!r} is more than {format_inr(MAX_AMOUNT_PAISE)}")
    return value


def paise_to_decimal(amount_paise: int) -> Decimal:
    return (Decimal(amount_paise) / PAISE_PER_RUPEE).quantize(Decimal("0.01"))


def group_indian(whole: int) -> str:
    """12345678 -> '1,23,45,678' (last three digits, then pairs)."""
    digits = str(whole)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    if head:
        pairs.insert(0, head)
    return ",".join([*pairs, tail])


def format_inr(amount_paise: int, *, symbol: bool = True) -> str:
    """Indian-grouped rupees with two decimals: 1234567800 -> '₹1,23,45,678.00'."""
    sign = "-" if amount_paise < 0 else ""
    whole, paise = divmod(abs(amount_paise), PAISE_PER_RUPEE)
    body = f"{group_indian(whole)}.{paise:02d}"
    return f"{sign}{'₹' if symbol else ''}{body}"
