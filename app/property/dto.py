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


# The fields of a property that sync merges independently (a three-way merge compares each of
# them): `owners` and `units` are whole lists (an edit to one owner changes the field), `returns` a
# dict {fy: filed}. The wire protocol (sync.protocol.PROPERTY_MERGE_FIELDS) is this tuple.
PROPERTY_SYNC_FIELDS = (
    "property_id",
    "old_id",
    "ward_no",
    "zone_code",
    "address_en",
    "address_hi",
    "open_land_sqft",
    "owners",
    "units",
    "returns",
)
