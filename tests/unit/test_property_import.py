"""CSV import: a good file goes in; a bad file imports nothing and says row, column and what is wrong."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.db import Database
from app.masters.seed import seed_demo_masters
from app.paths import RESOURCES_DIR
from app.property.importer import ImportFileError, PropertyImporter
from app.property.models import Property
from app.property.search import PropertySearch
from app.property.service import PropertyRegister
from app.security.roles import Actor, Role

ADMIN = Actor(user_id=1, username="admin", full_name="Admin", role=Role.ADMIN, device_no=1)
SAMPLE = RESOURCES_DIR / "demo" / "properties-sample.csv"
HEADER = "property_id,ward,zone,owner_name_en,owner_name_hi,mobile,units,open_land_sqft\n"


@pytest.fixture
def importer(db: Database, clock: FixedClock) -> PropertyImporter:
    seed_demo_masters(db)
    return PropertyImporter(db, AuditLog(clock, 1), clock, "DEMO")


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "props.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_sample_file_imports_and_is_searchable(db: Database, importer: PropertyImporter, clock: FixedClock) -> None:
    report = importer.import_file(ADMIN, SAMPLE)
    assert report.problems == ()
    assert (report.rows, report.imported) == (4, 4)
    assert count(db, Property) == 4
    [hit] = PropertySearch(db).search("kamla dewangan")
    detail = PropertyRegister(db, AuditLog(clock, 1), clock, "DEMO").get(hit.uuid)
    assert detail.owners[0].mobile == "9425512345"  # +91 and spaces removed
    assert detail.returns_filed == {"2025-26": False}
    assert str(detail.units[0].area_sqft) == "650.5"
    with db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert actions.count("property.import") == 1


def test_a_bad_file_imports_nothing_and_names_rows_and_columns(
    db: Database, importer: PropertyImporter, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "W01-000001,1,A,Ramesh Sahu,रमेश साहू,9827012345,0:1000:RCC_RB:RESIDENTIAL,\n"
        "W01-000002,99,Q,Geeta,,12345,0:-5:RCC_RB:RESIDENTIAL,\n"
        "W01-000003,2,B,Mohan,,,0:500:STEEL:HOTEL,\n"
        "W01-000001,1,A,Someone Else,,,,abc\n"
        "W01-000004,3,C,Plot Owner,,,,\n",
    )
    entries = count(db, AuditEntry)
    report = importer.import_file(ADMIN, path)
    assert report.imported == 0
    assert count(db, Property) == 0
    assert count(db, AuditEntry) == entries
    found = {(p.row, p.column) for p in report.problems}
    assert {(3, "ward"), (3, "zone"), (3, "mobile"), (3, "units")} <= found
    assert {(4, "units")} <= found
    assert {(5, "property_id"), (5, "open_land_sqft")} <= found
    assert (6, "units") in found  # neither units nor open land
    assert not any(p.row == 2 for p in report.problems)
    messages = " ".join(str(p) for p in report.problems)
    assert "row 5, column property_id: W01-000001 is also on row 2" in messages
    assert "unknown construction 'STEEL'" in messages
    assert "ward 99 does not exist" in messages


def test_skip_bad_rows_imports_the_good_ones_and_writes_the_bad_ones(
    db: Database, importer: PropertyImporter, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "W01-000001,1,A,Ramesh Sahu,रमेश साहू,9827012345,0:1000:RCC_RB:RESIDENTIAL,\n"
        "W01-000002,1,A,Geeta Sahu,,98,0:700:KUTCHA:RESIDENTIAL,\n"
        "W01-000003,2,B,Mohan Sahu,,,,1200\n",
    )
    out = tmp_path / "bad.csv"
    report = importer.import_file(ADMIN, path, skip_bad_rows=True, bad_rows_out=out)
    assert (report.imported, report.bad_rows, report.bad_rows_file) == (2, 1, out)
    assert count(db, Property) == 2
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    assert rows[0]["property_id"] == "W01-000002"
    assert "mobile" in rows[0]["errors"]
    # fixing the bad row and importing it again works
    rows[0]["mobile"] = "9800000000"
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[k for k in rows[0] if k != "errors"], extrasaction="ignore")
        writer.writeheader()
        writer.writerow(rows[0])
    assert importer.import_file(ADMIN, fixed).imported == 1


def test_an_id_already_in_the_register_is_a_duplicate(db: Database, importer: PropertyImporter, tmp_path: Path) -> None:
    path = write(tmp_path, "W01-000001,1,A,Ramesh Sahu,,,0:1000:RCC_RB:RESIDENTIAL,\n")
    assert importer.import_file(ADMIN, path).imported == 1
    again = importer.import_file(ADMIN, path)
    assert again.imported == 0
    assert [str(p) for p in again.problems] == ["row 2, column property_id: W01-000001 is already in the register"]


def test_unknown_column_and_non_utf8_are_file_errors(importer: PropertyImporter, tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    path.write_text("property_id,ward,zone,ownr_name_en\nW01-1,1,A,X\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="unknown column"):
        importer.import_file(ADMIN, path)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(HEADER.encode() + "W01-1,1,A,Jos\xe9,,,,100\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match="not UTF-8"):
        importer.import_file(ADMIN, latin1)
