"""Plain data that crosses layers for trade licences (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

OPEN_STATUSES = ("APPLIED", "DOCUMENT_CHECK", "INSPECTION")  # not yet approved or rejected


@dataclass(frozen=True)
class LicenceInput:
    """What an applicant says. Text is cleaned (NFC, single spaces) by the service."""

    trade_name: str
    owner_name_en: str
    ward_no: int
    trade_kind: str  # SHOP, GUMTI, THELA or VEHICLE
    trade_name_hi: str = ""
    owner_name_hi: str = ""
    mobile: str = ""
    address_en: str = ""
    address_hi: str = ""
    road_width_m: Decimal | None = None  # SHOP: width of the road in front, metres
    area_sqft: Decimal | None = None  # SHOP: trade area, sq ft
    property_uuid: str | None = None  # the property the trade runs in, if known
    application_type: str = "NEW"  # NEW or RENEWAL
    previous_licence_uuid: str | None = None  # RENEWAL: the licence renewed


@dataclass(frozen=True)
class LicenceEvent:
    from_status: str
    to_status: str
    action: str
    remarks: str
    username: str
    at: datetime


@dataclass(frozen=True)
class LicenceView:
    """A licence (application) as screens, lists and the certificate read it, with derived flags."""

    uuid: str
    ulb_code: str
    application_no: str
    licence_no: str  # "" until issued
    application_type: str
    previous_licence_uuid: str | None
    property_uuid: str | None
    property_id: str  # "" when not linked
    trade_name: str
    trade_name_hi: str
    owner_name_en: str
    owner_name_hi: str
    mobile: str
    address_en: str
    address_hi: str
    ward_no: int
    trade_kind: str
    road_width_m: Decimal | None
    area_sqft: Decimal | None
    road_band: str  # LT_7_5 / 7_5_TO_15 / GT_15 for a shop, else ""
    licence_year: str
    status: str  # as stored
    applied_on: date
    decided_on: date | None
    issued_on: date | None
    valid_to: date | None
    rejection_reason: str
    fee_paise: int  # 0 until approved
    fee_paid_paise: int  # receipts not cancelled
    fee_receipt_no: str  # the receipt that paid the fee ("" if none)
    fee_receipt_date: date | None
    deemed_granted_on: date | None  # the day an undecided application became deemed granted
    expired: bool  # EXPIRED, or ISSUED with valid_to before the day asked about
    version: int
    events: tuple[LicenceEvent, ...] = ()

    @property
    def fee_due_paise(self) -> int:
        return max(self.fee_paise - self.fee_paid_paise, 0)

    @property
    def fee_paid(self) -> bool:
        return self.fee_paise > 0 and self.fee_paid_paise >= self.fee_paise

    @property
    def deemed_granted(self) -> bool:
        return self.deemed_granted_on is not None

    @property
    def display_status(self) -> str:
        """The status a person should see: an issued licence past its validity is EXPIRED."""
        return "EXPIRED" if self.expired else self.status

    @property
    def number(self) -> str:
        return self.licence_no or self.application_no


@dataclass(frozen=True)
class LicenceCertificate:
    """Everything printed on a licence certificate."""

    ulb_name_en: str
    ulb_name_hi: str
    licence: LicenceView
    verification_text: str  # what the QR carries


@dataclass(frozen=True)
class LicenceVerification:
    """A scanned certificate code, checked: GENUINE (in force), EXPIRED, MISMATCH, NOT_ON_THIS_DEVICE,
    OTHER_ULB, FORGED or MALFORMED, with a sentence for the person who scanned it."""

    genuine: bool  # made with this office's key
    status: str
    message: str
    licence: LicenceView | None = None
