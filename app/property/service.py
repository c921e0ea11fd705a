"""The property register: read a property, create or edit one with its owners and units, record returns.

Every change is validated first (all problems reported at once, each naming its field), cleaned
(NFC, single spaces), permission-checked and written with its audit entry in ONE BEGIN IMMEDIATE
transaction. The search index follows by itself (SQL triggers, see app.property.search).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.core.clock import Clock
from app.core.fy import FinancialYear
from app.core.ids import new_uuid
from app.core.text import clean_text, has_devanagari
from app.db import Database
from app.errors import ConflictError, NotFoundError, ValidationError
from app.masters.models import DeviceIdentity, Ulb, Ward, Zone
from app.masters.tariffs import CONSTRUCTIONS, USAGES
from app.outbox.service import Outbox
from app.property.dto import PROPERTY_SYNC_FIELDS, OwnerData, PropertyDetail, UnitData
from app.property.models import Owner, Property, ReturnFiling, Unit
from app.security.roles import Actor, Permission, require

if TYPE_CHECKING:
    from app.property.importer import PropertyImporter

PROPERTY_ID_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9/\-.]*$")
MOBILE_PATTERN = re.compile(r"^[6-9]\d{9}$")
MAX_AREA_SQFT = Decimal(10_000_000)
MAX_FLOOR = 60
MIN_FLOOR = -3  # basements


@dataclass(frozen=True)
class PropertyInput:
    """What a person (or a CSV row) says about a property. Text is cleaned by the register."""

    property_id: str
    ward_no: int
    zone_code: str
    old_id: str = ""
    address_en: str = ""
    address_hi: str = ""
    open_land_sqft: Decimal = Decimal(0)
    owners: tuple[OwnerData, ...] = ()
    units: tuple[UnitData, ...] = ()


@dataclass(frozen=True)
class FieldProblem:
    field: str  # e.g. "owners[1].mobile", "units[2].area_sqft", "zone_code"
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class PropertyValidationError(ValidationError):
    """Input was wrong; nothing was saved. `.problems` lists every field that is wrong."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Masters:
    """What a property is checked against: the ULB's zones and wards."""

    ulb_code: str
    zones: frozenset[str]
    wards: frozenset[int]
    constructions: tuple[str, ...] = CONSTRUCTIONS
    usages: tuple[str, ...] = USAGES

    @classmethod
    def load(cls, session: Session, ulb_code: str) -> Masters:
        zones = frozenset(session.scalars(select(Zone.code).where(Zone.ulb_code == ulb_code)))
        wards = frozenset(session.scalars(select(Ward.number).where(Ward.ulb_code == ulb_code)))
        return cls(ulb_code=ulb_code, zones=zones, wards=wards)


def clean_input(data: PropertyInput) -> PropertyInput:
    """NFC, trimmed, single-spaced text; IDs and codes upper-case; mobile digits only."""
    return replace(
        data,
        property_id=clean_text(data.property_id).upper().replace(" ", ""),
        old_id=clean_text(data.old_id).upper(),
        zone_code=clean_text(data.zone_code).upper(),
        address_en=clean_text(data.address_en),
        address_hi=clean_text(data.address_hi),
        owners=tuple(
            OwnerData(
                name_en=clean_text(o.name_en),
                name_hi=clean_text(o.name_hi),
                relation=clean_text(o.relation),
                mobile=re.sub(r"[\s\-]", "", o.mobile),
            )
            for o in data.owners
        ),
        units=tuple(
            replace(u, construction=clean_text(u.construction).upper(), usage=clean_text(u.usage).upper())
            for u in data.units
        ),
    )


def validate(data: PropertyInput, masters: Masters) -> list[FieldProblem]:
    """Every problem of a (cleaned) property, in field order. Empty list = valid."""
    problems: list[FieldProblem] = []

    def bad(name: str, message: str) -> None:
        problems.append(FieldProblem(name, message))

    if not data.property_id:
        bad("property_id", "is empty")
    elif len(data.property_id) > 40 or not PROPERTY_ID_PATTERN.match(data.property_id):
        bad("property_id", f"{data.property_id!r} is not a property ID (letters, digits, '/', '-', up to 40)")
    if len(data.old_id) > 40:
        bad("old_id", "is longer than 40 characters")
    if data.ward_no not in masters.wards:
        bad("ward_no", f"ward {data.ward_no} does not exist in {masters.ulb_code}")
    if data.zone_code not in masters.zones:
        known = ", ".join(sorted(masters.zones)) or "none"
        bad("zone_code", f"zone {data.zone_code!r} does not exist in {masters.ulb_code} (zones: {known})")
    if len(data.address_en) > 300:
        bad("address_en", "is longer than 300 characters")
    if len(data.address_hi) > 300:
        bad("address_hi", "is longer than 300 characters")
    if data.address_hi and not has_devanagari(data.address_hi):
        bad("address_hi", "has no Hindi (Devanagari) text")
    if data.open_land_sqft < 0 or data.open_land_sqft > MAX_AREA_SQFT:
        bad("open_land_sqft", f"must be between 0 and {MAX_AREA_SQFT:,} sq ft, got {data.open_land_sqft}")
    elif data.open_land_sqft != data.open_land_sqft.quantize(Decimal("0.01")):
        bad("open_land_sqft", f"has more than 2 decimals: {data.open_land_sqft}")
    if not data.owners:
        bad("owners", "a property needs at least one owner")
    for index, owner in enumerate(data.owners, start=1):
        where = f"owners[{index}]"
        if not owner.name_en and not owner.name_hi:
            bad(f"{where}.name", "needs a name in English or Hindi")
        if owner.name_en and has_devanagari(owner.name_en):
            bad(f"{where}.name_en", f"{owner.name_en!r} is in Devanagari; put it in name_hi")
        if owner.name_hi and not has_devanagari(owner.name_hi):
            bad(f"{where}.name_hi", f"{owner.name_hi!r} is not in Devanagari")
        if len(owner.name_en) > 200 or len(owner.name_hi) > 200 or len(owner.relation) > 200:
            bad(where, "a name or relation is longer than 200 characters")
        if owner.mobile and not MOBILE_PATTERN.match(owner.mobile):
            bad(f"{where}.mobile", f"{owner.mobile!r} is not a 10-digit mobile number starting with 6-9")
    if not data.units and data.open_land_sqft <= 0:
        bad("units", "a property needs at least one unit or some open land")
    for index, unit in enumerate(data.units, start=1):
        where = f"units[{index}]"
        if not MIN_FLOOR <= unit.floor <= MAX_FLOOR:
            bad(f"{where}.floor", f"floor {unit.floor} is out of range ({MIN_FLOOR} to {MAX_FLOOR}; 0 = ground)")
        if unit.area_sqft <= 0 or unit.area_sqft > MAX_AREA_SQFT:
            bad(f"{where}.area_sqft", f"must be more than 0 and at most {MAX_AREA_SQFT:,} sq ft, got {unit.area_sqft}")
        elif unit.area_sqft != unit.area_sqft.quantize(Decimal("0.01")):
            bad(f"{where}.area_sqft", f"has more than 2 decimals: {unit.area_sqft}")
        if unit.construction not in masters.constructions:
            bad(
                f"{where}.construction",
                f"unknown construction {unit.construction!r} (one of {', '.join(masters.constructions)})",
            )
        if unit.usage not in masters.usages:
            bad(f"{where}.usage", f"unknown usage {unit.usage!r} (one of {', '.join(masters.usages)})")
    return problems


def detail_of(prop: Property, returns: list[ReturnFiling] | None = None) -> PropertyDetail:
    return PropertyDetail(
        uuid=prop.uuid,
        ulb_code=prop.ulb_code,
        property_id=prop.property_id,
        old_id=prop.old_id,
        ward_no=prop.ward_no,
        zone_code=prop.zone_code,
        address_en=prop.address_en,
        address_hi=prop.address_hi,
        open_land_sqft=Decimal(prop.open_land_sqft),
        owners=tuple(
            OwnerData(name_en=o.name_en, name_hi=o.name_hi, relation=o.relation, mobile=o.mobile) for o in prop.owners
        ),
        units=tuple(
            UnitData(floor=u.floor, area_sqft=Decimal(u.area_sqft), construction=u.construction, usage=u.usage)
            for u in prop.units
        ),
        returns_filed={r.fy: r.filed for r in sorted(returns if returns is not None else prop.returns, key=_fy_of)},
    )


def _fy_of(row: ReturnFiling) -> str:
    return row.fy


def _snapshot(detail: PropertyDetail) -> dict[str, Any]:
    return asdict(detail)


# --- the wire form of a property (sync: the fields that merge independently, in
# sync.protocol.PROPERTY_MERGE_FIELDS order; decimals as text so no float ever touches an area)


def sync_fields(detail: PropertyDetail) -> dict[str, Any]:
    """A property as the outbox and the central carry it (JSON-safe, canonical)."""
    return {
        "property_id": detail.property_id,
        "old_id": detail.old_id,
        "ward_no": detail.ward_no,
        "zone_code": detail.zone_code,
        "address_en": detail.address_en,
        "address_hi": detail.address_hi,
        "open_land_sqft": str(detail.open_land_sqft),
        "owners": [
            {"name_en": o.name_en, "name_hi": o.name_hi, "relation": o.relation, "mobile": o.mobile}
            for o in detail.owners
        ],
        "units": [
            {"floor": u.floor, "area_sqft": str(u.area_sqft), "construction": u.construction, "usage": u.usage}
            for u in detail.units
        ],
        "returns": dict(sorted(detail.returns_filed.items())),
    }


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(mine, base): the fields an edit changed, with their new and their old values."""
    names = [name for name in PROPERTY_SYNC_FIELDS if before.get(name) != after.get(name)]
    return {n: after.get(n) for n in names}, {n: before.get(n) for n in names}


def apply_sync_fields(session: Session, prop: Property, fields: dict[str, Any]) -> None:
    """Write wire-form fields onto a local property row (a pulled change or a push's merged
    result). Owners, units and returns are replaced whole: each is one merge field."""
    if "property_id" in fields:
        prop.property_id = str(fields["property_id"])
    if "old_id" in fields:
        prop.old_id = str(fields["old_id"])
    if "ward_no" in fields:
        prop.ward_no = int(fields["ward_no"])
    if "zone_code" in fields:
        prop.zone_code = str(fields["zone_code"])
    if "address_en" in fields:
        prop.address_en = str(fields["address_en"])
    if "address_hi" in fields:
        prop.address_hi = str(fields["address_hi"])
    if "open_land_sqft" in fields:
        prop.open_land_sqft = Decimal(str(fields["open_land_sqft"]))
    if "owners" in fields:
        prop.owners = [
            Owner(
                ordinal=i,
                name_en=str(o.get("name_en", "")),
                name_hi=str(o.get("name_hi", "")),
                relation=str(o.get("relation", "")),
                mobile=str(o.get("mobile", "")),
            )
            for i, o in enumerate(fields["owners"])
        ]
    if "units" in fields:
        prop.units = [
            Unit(
                ordinal=i,
                floor=int(u["floor"]),
                area_sqft=Decimal(str(u["area_sqft"])),
                construction=str(u["construction"]),
                usage=str(u["usage"]),
            )
            for i, u in enumerate(fields["units"])
        ]
    if "returns" in fields:
        wanted = {str(fy): bool(filed) for fy, filed in dict(fields["returns"]).items()}
        existing = {row.fy: row for row in prop.returns}
        for fy, filed in wanted.items():
            if fy in existing:
                existing[fy].filed = filed
            else:
                prop.returns.append(ReturnFiling(property_uuid=prop.uuid, fy=fy, filed=filed))
        for fy, row in existing.items():
            if fy not in wanted:
                prop.returns.remove(row)
    session.flush()


def device_ulb_code(db: Database) -> str:
    """The ULB this device works for: its identity row, else the only ULB set up."""
    with db.read() as session:
        code = session.scalars(select(DeviceIdentity.ulb_code)).first()
        if code is None:
            codes = list(session.scalars(select(Ulb.code)))
            if len(codes) != 1:
                raise NotFoundError("this device has no ULB set up yet (run `nikay demo` or enrol the device)")
            code = codes[0]
        return code


class PropertyRegister:
    """Reads and changes the register of one ULB. Built once in the composition root."""

    def __init__(
        self, db: Database, audit: AuditLog, clock: Clock, ulb_code: str | None = None, outbox: Outbox | None = None
    ) -> None:
        """`ulb_code` defaults to this device's ULB (its identity row, else the only ULB). Every
        change also queues its outbox operation for the central in the same transaction."""
        self._db = db
        self._audit = audit
        self._clock = clock
        self._ulb_code = ulb_code
        self._outbox = outbox or Outbox(clock)

    @property
    def _ulb(self) -> str:
        if self._ulb_code is None:
            self._ulb_code = device_ulb_code(self._db)
        return self._ulb_code

    @property
    def ulb_code(self) -> str:
        return self._ulb

    def importer(self) -> PropertyImporter:
        from app.property.importer import PropertyImporter

        return PropertyImporter(self._db, self._audit, self._clock, self._ulb)

    # --- reading

    def get(self, uuid: str) -> PropertyDetail:
        with self._db.read() as session:
            prop = session.get(Property, uuid)
            if prop is None:
                raise NotFoundError(f"no property with id {uuid}")
            return detail_of(prop)

    def get_by_property_id(self, property_id: str) -> PropertyDetail:
        wanted = clean_text(property_id).upper()
        with self._db.read() as session:
            prop = session.scalars(
                select(Property).where(Property.ulb_code == self._ulb, Property.property_id == wanted)
            ).first()
            if prop is None:
                raise NotFoundError(f"no property {wanted} in {self._ulb}")
            return detail_of(prop)

    # --- changing

    def create(self, actor: Actor, data: PropertyInput) -> PropertyDetail:
        require(actor, Permission.EDIT_PROPERTY)
        cleaned = clean_input(data)
        with self._db.write() as session:
            self._check(session, cleaned, exclude_uuid=None)
            prop = Property(
                uuid=new_uuid(),
                ulb_code=self._ulb,
                property_id=cleaned.property_id,
                created_at=self._clock.now_utc(),
                version=1,
            )
            self._apply(prop, cleaned)
            session.add(prop)
            session.flush()
            detail = detail_of(prop, returns=[])
            self._audit.record(session, actor, "property.create", "property", prop.uuid, None, _snapshot(detail))
            self._outbox.append(session, "property.created", prop.uuid, sync_fields(detail))
            return detail

    def update(
        self, actor: Actor, uuid: str, data: PropertyInput, expected_version: int | None = None
    ) -> PropertyDetail:
        """Replace a property's facts, owners and units. `expected_version` (from the screen that
        showed it) makes a concurrent edit fail with ConflictError instead of being overwritten."""
        require(actor, Permission.EDIT_PROPERTY)
        cleaned = clean_input(data)
        with self._db.write() as session:
            prop = session.get(Property, uuid)
            if prop is None:
                raise NotFoundError(f"no property with id {uuid}")
            if expected_version is not None and prop.version != expected_version:
                raise ConflictError(
                    f"property {prop.property_id} was changed by someone else (version {prop.version}, "
                    f"you saw {expected_version}); reopen it and edit again"
                )
            self._check(session, cleaned, exclude_uuid=uuid)
            before = detail_of(prop)
            prop.property_id = cleaned.property_id
            self._apply(prop, cleaned)
            prop.version += 1
            session.flush()
            after = detail_of(prop)
            self._audit.record(session, actor, "property.update", "property", uuid, _snapshot(before), _snapshot(after))
            self._queue_update(session, prop, before, after)
            return after

    def set_return_filed(self, actor: Actor, uuid: str, fy: str, filed: bool) -> PropertyDetail:
        require(actor, Permission.EDIT_PROPERTY)
        try:
            fy_code = FinancialYear.parse(fy).code
        except ValueError as error:
            raise ValidationError(str(error)) from None
        with self._db.write() as session:
            prop = session.get(Property, uuid)
            if prop is None:
                raise NotFoundError(f"no property with id {uuid}")
            previous = detail_of(prop)
            row = session.get(ReturnFiling, (uuid, fy_code))
            before = None if row is None else row.filed
            if row is None:
                session.add(ReturnFiling(property_uuid=uuid, fy=fy_code, filed=filed))
            else:
                row.filed = filed
            session.flush()
            session.refresh(prop, ["returns"])
            self._audit.record(
                session, actor, "property.return_filed", "property", uuid, {fy_code: before}, {fy_code: filed}
            )
            after = detail_of(prop)
            self._queue_update(session, prop, previous, after)
            return after

    # --- helpers

    def _queue_update(self, session: Session, prop: Property, before: PropertyDetail, after: PropertyDetail) -> None:
        """A property.updated op with only the changed fields, the server version the edit started
        from and those fields' values before it (the central merges field by field)."""
        old, new = sync_fields(before), sync_fields(after)
        mine, base = changed_fields(old, new)
        if mine and prop.server_version == 0:
            # Never confirmed by the central (seeded or imported here): it may not know the property
            # at all, so send every field; unchanged ones merge away against its copy if it has one.
            mine, base = new, old
        if mine:
            self._outbox.append(
                session, "property.updated", prop.uuid, mine, base_version=prop.server_version, base_values=base
            )

    def _check(self, session: Session, data: PropertyInput, exclude_uuid: str | None) -> None:
        problems = validate(data, Masters.load(session, self._ulb))
        if data.property_id and not any(p.field == "property_id" for p in problems):
            clash = session.scalars(
                select(Property.uuid).where(Property.ulb_code == self._ulb, Property.property_id == data.property_id)
            ).first()
            if clash is not None and clash != exclude_uuid:
                problems.insert(0, FieldProblem("property_id", f"{data.property_id} already exists in {self._ulb}"))
        if problems:
            raise PropertyValidationError(problems)

    @staticmethod
    def _apply(prop: Property, data: PropertyInput) -> None:
        prop.old_id = data.old_id
        prop.ward_no = data.ward_no
        prop.zone_code = data.zone_code
        prop.address_en = data.address_en
        prop.address_hi = data.address_hi
        prop.open_land_sqft = data.open_land_sqft
        prop.owners = [
            Owner(ordinal=i, name_en=o.name_en, name_hi=o.name_hi, relation=o.relation, mobile=o.mobile)
            for i, o in enumerate(data.owners)
        ]
        prop.units = [
            Unit(ordinal=i, floor=u.floor, area_sqft=u.area_sqft, construction=u.construction, usage=u.usage)
            for i, u in enumerate(data.units)
        ]
