"""Plain data of the counter: sessions, payment details, receipts, day-end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from app.demand.dto import AllocatedLine

if TYPE_CHECKING:  # app.billing.dto imports Payment from here
    from app.billing.dto import AccountRef


class Mode(StrEnum):
    CASH = "CASH"
    CHEQUE = "CHEQUE"
    DD = "DD"
    UPI = "UPI"


@dataclass(frozen=True)
class Payment:
    mode: Mode
    tendered_paise: int | None = None  # cash handed over (>= amount); change is worked out
    instrument_no: str = ""  # cheque/DD number, or UPI reference/UTR
    instrument_date: date | None = None  # cheque/DD date
    bank: str = ""
    branch: str = ""


@dataclass(frozen=True)
class CollectRequest:
    property_uuid: str
    amount_paise: int
    payment: Payment
    request_uuid: str  # made when the confirmation opens: the same request never makes two receipts
    payer_name: str = ""  # defaults to the primary owner


@dataclass(frozen=True)
class CounterSessionInfo:
    uuid: str
    user_id: int
    username: str
    business_date: date
    opened_at: datetime
    opening_cash_paise: int
    closed_at: datetime | None


@dataclass(frozen=True)
class ReceiptView:
    uuid: str
    receipt_no: str
    fy: str
    collected_at: datetime
    business_date: date
    # The property the receipt is for; None (and property_id "") when it pays only accounts without one
    # (a thela's licence, a tenant shop's user charge). Ward and address are the primary account's.
    property_uuid: str | None
    property_id: str
    ward_no: int
    address_en: str
    address_hi: str
    payer_name: str
    collector_name: str
    mode: Mode
    amount_paise: int
    tendered_paise: int | None
    change_paise: int | None
    instrument_no: str
    instrument_date: date | None
    bank: str
    branch: str
    lines: tuple[AllocatedLine, ...]
    balance_after_paise: int
    cancelled: str | None = None  # None, "CANCELLED" or "DISHONOURED"
    cancel_reason: str = ""
    duplicate: bool = False  # True on a reprint
    ulb_name_en: str = ""
    ulb_name_hi: str = ""
    hash: str = ""
    # Every account other than the property whose lines the receipt carries (consumer no., licence
    # no., payer ID), in line order; a line's `account` is the AccountRef's account_uuid.
    accounts: tuple[AccountRef, ...] = ()


@dataclass(frozen=True)
class ReceiptSummary:
    uuid: str
    receipt_no: str
    collected_at: datetime
    property_id: str
    payer_name: str
    mode: Mode
    amount_paise: int
    cancelled: str | None


# Notes and coins a counter counts at day-end, in rupees.
NOTE_DENOMINATIONS = (2000, 500, 200, 100, 50, 20, 10)
COIN_DENOMINATIONS = (20, 10, 5, 2, 1)


@dataclass(frozen=True)
class DayEndSummary:
    session_uuid: str
    business_date: date
    receipts: int
    cancelled: int
    by_head: dict[str, int]  # head -> paise (cancelled receipts excluded)
    by_mode: dict[str, int]  # mode -> paise (cancelled receipts excluded)
    opening_cash_paise: int
    expected_cash_paise: int  # opening + cash collected
    first_receipt_no: str = ""
    last_receipt_no: str = ""
    cancelled_receipt_nos: tuple[str, ...] = field(default_factory=tuple)
