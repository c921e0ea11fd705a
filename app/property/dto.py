"""Plain data about properties that crosses layer and thread boundaries (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PropertyHit:
    """One row of the counter's search results."""

    uuid: str
    property_id: str
    old_id: str
    ward_no: int
    zone_code: str
    owner_name_en: str
    owner_name_hi: str
    mobile: str
    address_en: str
    address_hi: str


@dataclass(frozen=True)
class OwnerData:
    name_en: str
    name_hi: str
    relation: str = ""
    mobile: str = ""


@dataclass(frozen=True)
class UnitData:
    floor: int
    area_sqft: Decimal
    construction: str  # RCC_RB, OTHER_PAKKA, KUTCHA
    usage: str  # RESIDENTIAL, COMMERCIAL, INDUSTRIAL


@dataclass(frozen=True)
class PropertyDetail:
    uuid: str
    ulb_code: str
    property_id: str
    old_id: str
    ward_no: int
    zone_code: str
    address_en: str
    address_hi: str
    open_land_sqft: Decimal
    owners: tuple[OwnerData, ...]
    units: tuple[UnitData, ...]
    returns_filed: dict[str, bool]  # FY code -> filed

    @property
    def primary_owner(self) -> OwnerData | None:
        return self.owners[0] if self.owners else None
