"""How an amount paid on a combined bill is spread over the lines the clerk chose. A pure function.

Rules:
- "Pay all chosen" = the property section's payable under its own rules (rebate, surcharge, advance,
  round-off: app.demand.dues) if the property is included, plus the due of every chosen service line.
- Amount >= that total: every chosen line is paid whole; the property takes its payable plus any
  excess, which app.demand.dues.allocate turns into a property ADVANCE. Without the property, an
  excess is refused: services hold no advance.
- Amount < total: sections are filled in bill order (property first, then the services' tariff
  bill_priority), within a section oldest period first in the tariff's allocation order. The property
  takes a part payment by allocate(dues, share) (no rebate). A line of a service that does not allow
  part payment (trade licence) is paid whole or the payment is refused, naming the minimum amount.
"""

from __future__ import annotations

from app.billing.dto import Bill, BillAllocation, BillChoice, BillLine
from app.core.money import format_inr
from app.demand.dto import AllocatedLine, Allocation, Service
from app.demand.dues import allocate
from app.errors import ValidationError
from app.receipts.labels import HEAD_LABELS


def line_text(line: BillLine, number: str) -> str:
    """A line as the clerk reads it in a message: "Trade licence fee 2026-27 (TL/2026-27/00012)"."""
    return f"{HEAD_LABELS[line.head][0]} {line.period} ({number})"


def chosen_total(bill: Bill, choice: BillChoice) -> int:
    """What "pay all chosen" costs: the property's payable (if included) + the chosen lines' due."""
    total = 0
    for section in bill.sections:
        if section.service == Service.PROPERTY:
            if choice.property_included:
                total += section.payable_paise
        else:
            total += sum(line.due_paise for line in section.lines if line.key in choice.keys)
    return total


def _check_choice(bill: Bill, choice: BillChoice) -> None:
    known = {line.key for section in bill.sections if section.service != Service.PROPERTY for line in section.lines}
    property_keys = {
        line.key for section in bill.sections if section.service == Service.PROPERTY for line in section.lines
    }
    unknown = sorted(choice.keys - known - property_keys)
    if unknown:
        raise ValidationError(
            f"{len(unknown)} chosen line(s) are no longer due on this bill (paid elsewhere?): refresh the bill "
            f"({', '.join(unknown[:3])})"
        )
    has_property = any(section.service == Service.PROPERTY for section in bill.sections)
    if choice.property_included and not has_property:
        raise ValidationError("this bill has no property section to pay")
    if not choice.property_included and not (choice.keys & known):
        raise ValidationError("choose at least one line to pay")


def allocate_bill(bill: Bill, choice: BillChoice, amount_paise: int) -> BillAllocation:
    """Spread `amount_paise` over the chosen lines of `bill`. sum(lines) == amount_paise always.

    Raises ValidationError (nothing is saved by the caller) for: no line chosen, a line no longer on
    the bill, a non-positive amount, an excess without the property, a no-part-payment line cut short."""
    if amount_paise <= 0:
        raise ValidationError("the amount must be more than ₹0.00")
    _check_choice(bill, choice)
    total = chosen_total(bill, choice)
    property_section = next((s for s in bill.sections if s.service == Service.PROPERTY), None)
    include_property = choice.property_included and property_section is not None
    if amount_paise > total and not include_property:
        raise ValidationError(
            f"{format_inr(amount_paise - total)} more than the chosen lines' total {format_inr(total)}: "
            "only property tax can take an advance"
        )
    full = amount_paise >= total
    funds = amount_paise
    lines: list[AllocatedLine] = []
    property_allocation: Allocation | None = None
    balance = 0
    for section in bill.sections:
        if section.service == Service.PROPERTY:
            if not include_property or section.dues is None:
                balance += section.payable_paise
                continue
            # Full: the payable plus any excess (-> ADVANCE). Part: what is left, as a part payment.
            share = section.payable_paise + (amount_paise - total) if full else min(funds, section.payable_paise)
            if share > 0:
                property_allocation = allocate(section.dues, share)
                lines.extend(property_allocation.lines)
                balance += property_allocation.balance_after_paise
                funds -= share
            else:
                balance += section.payable_paise
            continue
        for line in section.lines:
            if line.key not in choice.keys or funds <= 0:
                balance += line.due_paise
                continue
            part = min(funds, line.due_paise)
            if part < line.due_paise and not line.part_payment_allowed:
                minimum = amount_paise - funds + line.due_paise
                raise ValidationError(
                    f"{line_text(line, section.account.number)} must be paid whole ({format_inr(line.due_paise)}): "
                    f"pay at least {format_inr(minimum)}, or leave it out"
                )
            lines.append(
                AllocatedLine(
                    fy=line.fy,
                    head=line.head,
                    amount_paise=part,
                    service=line.service,
                    account=line.account_uuid,
                    period=line.period,
                )
            )
            balance += line.due_paise - part
            funds -= part
    assert funds == 0, f"allocation left {funds} paise unspent"
    assert sum(line.amount_paise for line in lines) == amount_paise
    return BillAllocation(
        amount_paise=amount_paise,
        lines=tuple(lines),
        chosen_total_paise=total,
        full_settlement=full,
        property_allocation=property_allocation,
        balance_after_paise=balance,
    )
