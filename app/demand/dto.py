"""What is due on a property on a given day, and how a payment would be allocated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Service(StrEnum):
    """What a demand or receipt line is for. A receipt may pay several services at once (issue 5)."""

    PROPERTY = "PROPERTY"  # property tax, samekit, education cess (and their surcharge, rebate...)
    WATER = "WATER"
    TRADE = "TRADE"  # trade licence fee
    SWM = "SWM"  # solid-waste user charge
    PERMIT = "PERMIT"  # building-permit fees (issue 6): account = the application uuid, period = FY


class Head(StrEnum):
    PROPERTY_TAX = "PROPERTY_TAX"
    SAMEKIT = "SAMEKIT"
    EDUCATION_CESS = "EDUCATION_CESS"
    SURCHARGE = "SURCHARGE"
    PENALTY = "PENALTY"
    REBATE = "REBATE"
    ROUND_OFF = "ROUND_OFF"
    ADVANCE = "ADVANCE"  # positive: new credit from an overpayment; negative: credit used
    # Other services' heads (service_demand rows; their line carries service, account and period).
    WATER_CHARGE = "WATER_CHARGE"  # monthly/quarterly flat or metered charge
    WATER_CONNECTION_FEE = "WATER_CONNECTION_FEE"
    WATER_REGULARISATION_FEE = "WATER_REGULARISATION_FEE"
    WATER_RECONNECTION_FEE = "WATER_RECONNECTION_FEE"
    TRADE_LICENCE_FEE = "TRADE_LICENCE_FEE"
    SWM_USER_CHARGE = "SWM_USER_CHARGE"
    PERMIT_SCRUTINY_FEE = "PERMIT_SCRUTINY_FEE"
    PERMIT_FEE = "PERMIT_FEE"  # per m² of built-up area
    LABOUR_CESS = "LABOUR_CESS"  # % of the construction cost


TAX_HEADS = (Head.PROPERTY_TAX, Head.SAMEKIT, Head.EDUCATION_CESS)


@dataclass(frozen=True)
class DueLine:
    fy: str
    head: Head
    raised_paise: int  # demand raised (or surcharge/penalty accrued as of the day)
    paid_paise: int  # paid by receipts not cancelled (and rebate already given)
    is_arrear: bool

    @property
    def due_paise(self) -> int:
        return self.raised_paise - self.paid_paise


@dataclass(frozen=True)
class RebateOffer:
    fy: str
    percent: Decimal
    amount_paise: int
    valid_until: date  # the last day of the window that applies today


@dataclass(frozen=True)
class Dues:
    property_uuid: str
    as_of: date
    current_fy: str
    lines: tuple[DueLine, ...]  # only lines with something due, oldest FY first, in allocation order
    rebate: RebateOffer | None  # what the citizen saves by paying the whole current year today
    advance_paise: int  # credit the property holds from earlier overpayments
    gross_due_paise: int  # sum of lines' due, before rebate and advance
    round_off_paise: int
    payable_paise: int  # gross - rebate - advance, rounded to the rupee (>= 0)

    @property
    def arrear_paise(self) -> int:
        return sum(line.due_paise for line in self.lines if line.is_arrear)

    @property
    def current_paise(self) -> int:
        return sum(line.due_paise for line in self.lines if not line.is_arrear)


@dataclass(frozen=True)
class AllocatedLine:
    fy: str
    head: Head
    amount_paise: int
    # For other services' lines: which account (water connection / trade licence / SWM payer uuid)
    # and period ("2026-11" a month, "2026-27-Q3" a quarter, "2026-27" a year). Property lines keep
    # the defaults, so their hash content and wire shape are unchanged.
    service: Service = Service.PROPERTY
    account: str = ""
    period: str = ""


@dataclass(frozen=True)
class Allocation:
    """How an amount would be (or was) spread over the dues."""

    amount_paise: int  # money received
    lines: tuple[AllocatedLine, ...]  # sum(lines) == amount_paise, incl. REBATE/ROUND_OFF/ADVANCE lines
    full_settlement: bool
    rebate_paise: int  # given (positive number; the REBATE line is its negative)
    round_off_paise: int
    advance_used_paise: int
    advance_created_paise: int
    balance_after_paise: int  # still due after this payment (before any future surcharge)
