"""What is due on a day, and how a payment is allocated. Pure functions over a property's ledger.

Rules (all amounts and dates come from the tariff of the year concerned):
- Tax heads (PROPERTY_TAX, SAMEKIT, EDUCATION_CESS) are the demand rows of each FY.
- SURCHARGE of a year accrues once, on `surcharge.starts` (1 April of the next FY), as
  `pct` × what of the surchargeable heads was still unpaid the day before; payments made on or after
  that day do not shrink it. It is never charged on penalties, and not compounded.
- PENALTY (return not filed) of a year accrues on `penalties.return_not_filed.starts`; a year
  without a recorded return is not penalised (the register must say "not filed").
- REBATE: while a rebate window of the current FY is open, paying the whole current-year demand at
  once (no earlier payment towards it) takes `pct` off that year's PROPERTY_TAX line.
- Older years are paid first; within a year, heads in the tariff's `allocation_order`.
- A full settlement is rounded to the rupee (ROUND_OFF line); anything paid beyond it is an ADVANCE
  credit, which the next payment uses before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.core.fy import FinancialYear
from app.core.money import percent_of, round_to_rupee
from app.demand.dto import TAX_HEADS, AllocatedLine, Allocation, DueLine, Dues, Head, RebateOffer
from app.errors import ValidationError
from app.masters.tariffs import TariffBook


@dataclass(frozen=True)
class PaidLine:
    """A line of a receipt that was not cancelled."""

    fy: str
    head: Head
    amount_paise: int
    business_date: date


@dataclass(frozen=True)
class Ledger:
    property_uuid: str
    ulb: str
    demands: dict[tuple[str, Head], int]  # (fy, head) -> raised
    paid: tuple[PaidLine, ...] = ()
    returns_filed: dict[str, bool] = field(default_factory=dict)


def _settled(ledger: Ledger, fy: str, head: Head, before: date | None = None) -> int:
    """What has settled (fy, head): the sum of its own lines.

    A rebated payment carries the head's whole amount on the head's line and the rebate as a
    separate negative REBATE line (less money received, not less settled), so REBATE never counts here."""
    return sum(
        line.amount_paise
        for line in ledger.paid
        if line.fy == fy and line.head == head and (before is None or line.business_date < before)
    )


def advance_balance(ledger: Ledger) -> int:
    return sum(line.amount_paise for line in ledger.paid if line.head == Head.ADVANCE)


def compute_dues(book: TariffBook, ledger: Ledger, on: date) -> Dues:
    current = FinancialYear.of(on)
    years = sorted({fy for fy, _ in ledger.demands if FinancialYear.parse(fy) <= current})
    lines: list[DueLine] = []
    for fy in years:
        tariff = book.property_tax(ledger.ulb, fy, on)
        is_arrear = fy != current.code
        raised: dict[Head, int] = {head: ledger.demands.get((fy, head), 0) for head in TAX_HEADS}
        surcharge = tariff.surcharge
        if on >= surcharge.starts:
            surchargeable = [Head(h) for h in surcharge.heads]
            unpaid_before = sum(
                raised.get(head, 0) - _settled(ledger, fy, head, before=surcharge.starts) for head in surchargeable
            )
            raised[Head.SURCHARGE] = percent_of(max(unpaid_before, 0), surcharge.pct)
        penalty = tariff.penalties.return_not_filed
        if ledger.returns_filed.get(fy) is False and on >= penalty.starts:
            raised[Head.PENALTY] = int(penalty.amount * 100)
        for head_code in tariff.allocation_order:
            head = Head(head_code)
            amount = raised.get(head, 0)
            if amount == 0:
                continue
            paid = _settled(ledger, fy, head)
            if amount - paid > 0:
                lines.append(DueLine(fy=fy, head=head, raised_paise=amount, paid_paise=paid, is_arrear=is_arrear))

    gross = sum(line.due_paise for line in lines)
    rebate = _rebate_offer(book, ledger, current, on, lines)
    advance = advance_balance(ledger)
    raw = gross - (rebate.amount_paise if rebate else 0) - advance
    payable = round_to_rupee(raw) if raw > 0 else 0
    return Dues(
        property_uuid=ledger.property_uuid,
        as_of=on,
        current_fy=current.code,
        lines=tuple(lines),
        rebate=rebate,
        advance_paise=advance,
        gross_due_paise=gross,
        round_off_paise=payable - raw if raw > 0 else 0,
        payable_paise=payable,
    )


def _rebate_offer(
    book: TariffBook, ledger: Ledger, current: FinancialYear, on: date, lines: list[DueLine]
) -> RebateOffer | None:
    if not book.has_property_tax(ledger.ulb, current.code):
        return None
    window = book.property_tax(ledger.ulb, current.code, on).rebate_on(on)
    if window is None:
        return None
    if any(line.fy == current.code and line.head in (*TAX_HEADS, Head.REBATE) for line in ledger.paid):
        return None  # part of this year was already paid: not "at once"
    base = sum(ledger.demands.get((current.code, Head(h)), 0) for h in window.heads)
    if base <= 0 or not any(line.fy == current.code for line in lines):
        return None
    return RebateOffer(
        fy=current.code, percent=window.pct, amount_paise=percent_of(base, window.pct), valid_until=window.to
    )


def allocate(dues: Dues, amount_paise: int) -> Allocation:
    """Spread `amount_paise` received today over `dues`. sum(lines) == amount_paise always."""
    if amount_paise <= 0:
        raise ValidationError("the amount must be more than ₹0.00")
    lines: list[AllocatedLine] = []
    advance = dues.advance_paise
    rebate = dues.rebate.amount_paise if dues.rebate else 0

    if amount_paise >= dues.payable_paise:
        # Full settlement: every due line, the rebate, the advance used, the round-off, then any excess.
        lines.extend(AllocatedLine(line.fy, line.head, line.due_paise) for line in dues.lines)
        if rebate:
            lines.append(AllocatedLine(dues.current_fy, Head.REBATE, -rebate))
        advance_used = min(advance, max(dues.gross_due_paise - rebate, 0))
        if advance_used:
            lines.append(AllocatedLine(dues.current_fy, Head.ADVANCE, -advance_used))
        if dues.round_off_paise:
            lines.append(AllocatedLine(dues.current_fy, Head.ROUND_OFF, dues.round_off_paise))
        excess = amount_paise - dues.payable_paise
        if excess:
            lines.append(AllocatedLine(dues.current_fy, Head.ADVANCE, excess))
        return Allocation(
            amount_paise=amount_paise,
            lines=tuple(lines),
            full_settlement=True,
            rebate_paise=rebate,
            round_off_paise=dues.round_off_paise,
            advance_used_paise=advance_used,
            advance_created_paise=excess,
            balance_after_paise=0,
        )

    # Part payment: no rebate, no rounding; the advance is used first, older years first.
    funds = amount_paise + advance
    for line in dues.lines:
        if funds <= 0:
            break
        part = min(funds, line.due_paise)
        lines.append(AllocatedLine(line.fy, line.head, part))
        funds -= part
    if advance:
        lines.append(AllocatedLine(dues.current_fy, Head.ADVANCE, -advance))
    if funds > 0:  # only possible through rounding at the edge of a full settlement
        lines.append(AllocatedLine(dues.current_fy, Head.ADVANCE, funds))
    spent = sum(line.amount_paise for line in lines if line.head != Head.ADVANCE)
    return Allocation(
        amount_paise=amount_paise,
        lines=tuple(lines),
        full_settlement=False,
        rebate_paise=0,
        round_off_paise=0,
        advance_used_paise=advance,
        advance_created_paise=max(funds, 0),
        balance_after_paise=dues.gross_due_paise - spent,
    )
