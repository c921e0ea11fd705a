"""The register: validation with clear messages, NFC text, permissions, audit in the same transaction."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.db import Database
from app.errors import ConflictError, PermissionDenied
from app.masters.seed import seed_demo_masters
from app.property.dto import OwnerData, UnitData
from app.property.models import Property
from app.property.service import PropertyInput, PropertyRegister, PropertyValidationError
from app.security.roles import Actor, Role

SUPERVISOR = Actor(user_id=1, username="sup1", full_name="Supervisor", role=Role.SUPERVISOR, device_no=1)
CLERK = Actor(user_id=2, username="clerk1", full_name="Clerk", role=Role.CLERK, device_no=1)


@pytest.fixture
def register(db: Database, clock: FixedClock) -> PropertyRegister:
    seed_demo_masters(db)
    return PropertyRegister(db, AuditLog(clock, 1), clock)


def good(**changes: object) -> PropertyInput:
    base = PropertyInput(
        property_id="w07-000123",
        ward_no=7,
        zone_code="b",
        old_id="old/7/55",
        address_en="  H.No. 5,   Gandhi Nagar ",
        address_hi="म.नं. 5, गांधी नगर",
        owners=(
            OwnerData(name_en="Ramesh Sahu", name_hi="रमेश साहू", relation="S/O Bholaram Sahu", mobile="98270 12345"),
        ),
        units=(UnitData(floor=0, area_sqft=Decimal("1000.50"), construction="RCC_RB", usage="RESIDENTIAL"),),
    )
    return PropertyInput(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def audit_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_create_cleans_text_and_reads_back(db: Database, register: PropertyRegister) -> None:
    decomposed = unicodedata.normalize("NFD", "रमेश साहू")
    created = register.create(SUPERVISOR, good(owners=(OwnerData("Ramesh Sahu", decomposed, "", "9827012345"),)))
    detail = register.get(created.uuid)
    assert detail.property_id == "W07-000123"
    assert detail.zone_code == "B"
    assert detail.old_id == "OLD/7/55"
    assert detail.address_en == "H.No. 5, Gandhi Nagar"
    assert detail.owners[0].name_hi == unicodedata.normalize("NFC", "रमेश साहू")
    assert detail.units[0].area_sqft == Decimal("1000.50")
    assert register.get_by_property_id("w07-000123").uuid == created.uuid


def test_create_writes_one_audit_entry_with_the_new_state(db: Database, register: PropertyRegister) -> None:
    before = audit_count(db)
    created = register.create(SUPERVISOR, good())
    assert audit_count(db) == before + 1
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.action, entry.entity_id, entry.username) == ("property.create", created.uuid, "sup1")
        assert "W07-000123" in entry.after_json


def test_every_problem_is_reported_with_its_field(register: PropertyRegister) -> None:
    bad = good(
        ward_no=999,
        zone_code="Z",
        owners=(OwnerData(name_en="रमेश", name_hi="Ramesh", mobile="12345"),),
        units=(UnitData(floor=0, area_sqft=Decimal(0), construction="STEEL", usage="HOTEL"),),
    )
    with pytest.raises(PropertyValidationError) as caught:
        register.create(SUPERVISOR, bad)
    fields = {p.field for p in caught.value.problems}
    assert fields >= {
        "ward_no",
        "zone_code",
        "owners[1].name_en",
        "owners[1].name_hi",
        "owners[1].mobile",
        "units[1].area_sqft",
        "units[1].construction",
        "units[1].usage",
    }
    assert "ward 999 does not exist" in str(caught.value)


def test_duplicate_property_id_is_refused_and_nothing_is_written(db: Database, register: PropertyRegister) -> None:
    register.create(SUPERVISOR, good())
    entries = audit_count(db)
    with pytest.raises(PropertyValidationError, match="W07-000123 already exists"):
        register.create(SUPERVISOR, good(old_id="OTHER"))
    assert audit_count(db) == entries
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Property)) == 1


def test_a_clerk_may_not_edit_the_register(register: PropertyRegister) -> None:
    with pytest.raises(PermissionDenied):
        register.create(CLERK, good())


def test_update_replaces_owners_and_units_and_checks_the_version(register: PropertyRegister) -> None:
    created = register.create(SUPERVISOR, good())
    changed = good(
        owners=(OwnerData("Geeta Sahu", "गीता साहू", "W/O Ramesh Sahu", ""), OwnerData("Ramesh Sahu", "रमेश साहू")),
        units=(
            UnitData(0, Decimal(800), "OTHER_PAKKA", "COMMERCIAL"),
            UnitData(1, Decimal(800), "OTHER_PAKKA", "RESIDENTIAL"),
        ),
    )
    updated = register.update(SUPERVISOR, created.uuid, changed, expected_version=1)
    assert [o.name_en for o in updated.owners] == ["Geeta Sahu", "Ramesh Sahu"]
    assert [u.usage for u in register.get(created.uuid).units] == ["COMMERCIAL", "RESIDENTIAL"]
    with pytest.raises(ConflictError, match="changed by someone else"):
        register.update(SUPERVISOR, created.uuid, good(), expected_version=1)


def test_return_filed_is_recorded_per_fy(register: PropertyRegister) -> None:
    created = register.create(SUPERVISOR, good())
    register.set_return_filed(SUPERVISOR, created.uuid, "2025-26", False)
    detail = register.set_return_filed(SUPERVISOR, created.uuid, "2026-27", True)
    assert detail.returns_filed == {"2025-26": False, "2026-27": True}
    assert register.set_return_filed(SUPERVISOR, created.uuid, "2025-26", True).returns_filed["2025-26"] is True
