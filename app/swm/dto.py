"""What crosses layers about SWM payers: plain frozen dataclasses, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PayerInput:
    """What a person says about a payer. Text is cleaned by the service."""

    name_en: str
    ward_no: int
    category: str  # HOUSEHOLD or a key of the SWM tariff's categories
    name_hi: str = ""
    mobile: str = ""
    address_en: str = ""
    address_hi: str = ""
    built_up_sqft: Decimal | None = None  # households: picks the slab
    property_uuid: str | None = None  # the property it is linked to, if any
    # True: the charge appears on the property's bill (needs property_uuid); False: its own payer.
    billed_with_property: bool = False
    start_month: str = ""  # "2026-04"; "" = the current month


@dataclass(frozen=True)
class PayerView:
    uuid: str
    payer_id: str
    name_en: str
    name_hi: str
    mobile: str
    address_en: str
    address_hi: str
    ward_no: int
    category: str
    built_up_sqft: Decimal | None
    property_uuid: str | None
    property_id: str  # "" when not linked
    billed_with_property: bool
    status: str  # ACTIVE / CLOSED
    start_month: str
    version: int
    monthly_paise: int | None  # the charge under the tariff in force today (None: no tariff)

    def as_input(self) -> PayerInput:
        return PayerInput(
            name_en=self.name_en,
            ward_no=self.ward_no,
            category=self.category,
            name_hi=self.name_hi,
            mobile=self.mobile,
            address_en=self.address_en,
            address_hi=self.address_hi,
            built_up_sqft=self.built_up_sqft,
            property_uuid=self.property_uuid,
            billed_with_property=self.billed_with_property,
            start_month=self.start_month,
        )


@dataclass(frozen=True)
class GenerationResult:
    month: str
    fy: str
    raised: int  # demands raised now
    amount_paise: int  # their total
    already: int  # payers that had this month's demand already (idempotent re-run)
    exempt: int  # active payers of 0-rated categories: registered, nothing raised
