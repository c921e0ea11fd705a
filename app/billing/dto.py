"""The combined bill: what a payer owes across services, and what the clerk chose to pay.

Contract shared by app.billing.service (composes bills, allocates, is called by
CollectionService.collect_bill), the counter screen (ui/counter) and the receipt renderers.

Keys: every payable line has a stable `key` "<SERVICE>|<account uuid>|<period>|<HEAD>" (for property
lines: "PROPERTY|<property uuid>|<FY>|<HEAD>"), which the UI uses for the clerk's choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.collections.dto import Payment
from app.demand.dto import AllocatedLine, Allocation, Dues, Head, Service


@dataclass(frozen=True)
class AccountRef:
    """One account a bill can be for: a property, water connection, trade licence or SWM payer."""

    service: Service
    account_uuid: str  # property uuid for PROPERTY
    number: str  # property ID, consumer no., licence (or application) no., payer ID
    holder_en: str
    holder_hi: str
    ward_no: int
    address_en: str = ""
    address_hi: str = ""
    property_uuid: str | None = None  # the property it is linked to, if any


@dataclass(frozen=True)
class BillLine:
    key: str
    service: Service
    account_uuid: str
    period: str  # "2026-11", "2026-27-Q3" or an FY "2026-27"
    fy: str
    head: Head
    raised_paise: int
    paid_paise: int
    is_arrear: bool  # due date passed (property: an earlier FY)
    part_payment_allowed: bool

    @property
    def due_paise(self) -> int:
        return self.raised_paise - self.paid_paise


@dataclass(frozen=True)
class BillSection:
    """One account's part of a bill. For PROPERTY, `dues` is the property's Dues (rebate, surcharge,
    advance, round-off follow its own rules) and `payable_paise` is dues.payable_paise."""

    account: AccountRef
    lines: tuple[BillLine, ...]  # oldest period first, then the tariff's allocation_order
    payable_paise: int
    dues: Dues | None = None

    @property
    def service(self) -> Service:
        return self.account.service


@dataclass(frozen=True)
class Bill:
    """Everything payable at the counter for a payer, as of a day.

    A property's bill holds the property section plus its water connections, the SWM payers billed
    with it, and its licences with a fee due. A standalone account's bill holds just that account."""

    as_of: date
    primary: AccountRef  # what the clerk searched for
    sections: tuple[BillSection, ...]  # in bill order: PROPERTY first, then by tariff bill_priority

    @property
    def payable_paise(self) -> int:
        return sum(section.payable_paise for section in self.sections)


@dataclass(frozen=True)
class BillChoice:
    """What the clerk ticked. `keys` of non-property lines; `property_included` takes the whole
    property section under its own rules (rebate only if its whole current year is paid)."""

    keys: frozenset[str]
    property_included: bool


@dataclass(frozen=True)
class BillAllocation:
    """How an amount would be (or was) spread over a bill's chosen lines (app.billing.allocation).

    Added after the contract: the counter screen previews a payment with BillingService.preview."""

    amount_paise: int
    lines: tuple[AllocatedLine, ...]  # property lines (incl. REBATE/ROUND_OFF/ADVANCE) then service lines
    chosen_total_paise: int  # what "pay all chosen" costs
    full_settlement: bool  # amount >= chosen total: every chosen line paid whole
    property_allocation: Allocation | None  # the property section's own allocation, if it was paid
    balance_after_paise: int  # still due on the whole bill (chosen or not) after this payment


@dataclass(frozen=True)
class BillCollectRequest:
    request_uuid: str  # made when the confirmation opened; a second submit returns the same receipt
    primary: AccountRef
    choice: BillChoice
    amount_paise: int  # may be less than the chosen total (part payment, where the rules allow)
    payment: Payment
    payer_name: str = ""


@dataclass(frozen=True)
class AccountHit:
    """A counter search result for a non-property account (properties keep their own hits)."""

    account: AccountRef
    due_paise: int
    status: str  # ACTIVE / DISCONNECTED / APPROVED / ISSUED / ...
