"""Plain data that crosses layers for building permits (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class PermitInput:
    """What the applicant and their licensed architect/engineer declare. Text is cleaned by the service."""

    applicant_name_en: str
    architect_name: str
    architect_licence_no: str
    khasra_no: str
    ward_no: int
    plot_area_m2: Decimal
    road_width_m: Decimal
    occupancy: str  # RESIDENTIAL, COMMERCIAL, ...
    floors: int
    height_m: Decimal
    built_up_area_m2: Decimal
    applicant_name_hi: str = ""
    mobile: str = ""
    address_en: str = ""


@dataclass(frozen=True)
class PermitEventView:
    from_status: str
    to_status: str
    action: str
    remarks: str
    username: str
    at: datetime


@dataclass(frozen=True)
class DocumentView:
    uuid: str
    kind: str
    file_name: str
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class FeeLine:
    head: str
    raised_paise: int
    paid_paise: int


@dataclass(frozen=True)
class PermitView:
    uuid: str
    application_no: str
    permit_no: str  # "" until issued
    data: PermitInput
    risk_class: str
    path: tuple[str, ...]  # checking states of its risk class
    status: str
    state_since: date
    created_on: date
    submitted_on: date | None
    decided_on: date | None
    issued_on: date | None
    valid_to: date | None
    rejection_reasons: tuple[str, ...]
    revocation_reason: str
    inspection_report: str
    fees: tuple[FeeLine, ...]  # empty until approved
    documents: tuple[DocumentView, ...] = ()
    events: tuple[PermitEventView, ...] = ()

    @property
    def fee_raised_paise(self) -> int:
        return sum(f.raised_paise for f in self.fees)

    @property
    def fee_due_paise(self) -> int:
        return sum(max(f.raised_paise - f.paid_paise, 0) for f in self.fees)

    @property
    def fee_paid(self) -> bool:
        return bool(self.fees) and self.fee_due_paise == 0


@dataclass(frozen=True)
class InboxItem:
    """An application waiting on a role: due on `due_on` (state_since + the state's SLA days)."""

    uuid: str
    application_no: str
    applicant_name_en: str
    status: str
    risk_class: str
    state_since: date
    due_on: date
    late: bool
    days_late: int  # 0 when not late
