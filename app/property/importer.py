"""Import properties from a CSV file, with a row-by-row error report. All or nothing by default.

File layout (UTF-8, with or without BOM; comma-separated; a header row; one property per row;
column order does not matter; an unknown column is an error so a typo never loses data):

| column            | required | what                                                                |
|-------------------|----------|---------------------------------------------------------------------|
| property_id       | yes      | e.g. W12-000345 (letters, digits, '/', '-'); unique in the ULB      |
| old_id            |          | the ID of the old register, e.g. OLD/12/3456                        |
| ward              | yes      | ward number, must exist in the ULB's masters                        |
| zone              | yes      | rate zone code (A, B, C for DEMO), must exist in the masters        |
| address_en        |          | address in English                                                  |
| address_hi        |          | address in Hindi (Devanagari)                                       |
| open_land_sqft    |          | open land area in sq ft (default 0)                                 |
| owner_name_en     | one of   | first owner's name in English                                       |
| owner_name_hi     | the two  | first owner's name in Hindi (Devanagari)                            |
| relation          |          | first owner's relation, e.g. "S/O Ramesh Sahu"                      |
| mobile            |          | first owner's mobile: 10 digits starting 6-9 (+91 or 0 allowed)     |
| owner2_name_en, owner2_name_hi, owner2_relation, owner2_mobile | | second owner (optional) |
| owner3_name_en, owner3_name_hi, owner3_relation, owner3_mobile | | third owner (optional)  |
| units             | *        | `floor:area_sqft:construction:usage` separated by `;`, e.g.         |
|                   |          | `0:1000:RCC_RB:RESIDENTIAL;1:650.5:OTHER_PAKKA:COMMERCIAL`          |
|                   |          | floor 0 = ground; construction RCC_RB, OTHER_PAKKA or KUTCHA;       |
|                   |          | usage RESIDENTIAL, COMMERCIAL or INDUSTRIAL                         |
| returns           |          | return filing per FY: `2025-26:N;2026-27:Y` (Y = filed, N = not)    |

(*) a property needs at least one unit or some open land. resources/demo/properties-sample.csv is a
worked example. Rows are numbered as in a spreadsheet: the header is row 1, the first property row 2.

Checks: required columns, zone and ward against the masters, construction and usage against the
known codes, areas positive decimals (at most 2 places), mobiles 10 digits, Hindi columns in
Devanagari, duplicate property IDs within the file and against the register.

A file with any bad row imports nothing (`ImportReport.imported == 0`, `problems` lists every row,
column and what is wrong). With `skip_bad_rows=True` the good rows are imported and the bad ones are
written, unchanged, to `bad_rows_out` with an `errors` column added, ready to fix and re-import.
One audit entry per import, in the same transaction as the rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.audit.service import AuditLog
from app.core.clock import Clock
from app.core.fy import FinancialYear
from app.core.ids import new_uuid
from app.db import Database
from app.errors import ValidationError
from app.property.dto import OwnerData, UnitData
from app.property.models import Property
from app.property.search import BulkIndexing, normalise_mobile, owner_search_key
from app.property.service import FieldProblem, Masters, PropertyInput, clean_input, device_ulb_code, validate
from app.security.roles import Actor, Permission, require

MAX_OWNERS = 3
OWNER_FIELDS = ("name_en", "name_hi", "relation", "mobile")
FIRST_OWNER_COLUMNS = {
    "name_en": "owner_name_en",
    "name_hi": "owner_name_hi",
    "relation": "relation",
    "mobile": "mobile",
}
REQUIRED_COLUMNS = ("property_id", "ward", "zone")
COLUMNS: tuple[str, ...] = (
    "property_id",
    "old_id",
    "ward",
    "zone",
    "address_en",
    "address_hi",
    "open_land_sqft",
    *FIRST_OWNER_COLUMNS.values(),
    *(f"owner{n}_{f}" for n in range(2, MAX_OWNERS + 1) for f in OWNER_FIELDS),
    "units",
    "returns",
)
ERRORS_COLUMN = "errors"
_FIELD_TO_COLUMN = {
    "property_id": "property_id",
    "old_id": "old_id",
    "ward_no": "ward",
    "zone_code": "zone",
    "address_en": "address_en",
    "address_hi": "address_hi",
    "open_land_sqft": "open_land_sqft",
    "owners": "owner_name_en",
    "units": "units",
}
_OWNER_FIELD = re.compile(r"^owners\[(\d+)\](?:\.(\w+))?$")
_UNIT_FIELD = re.compile(r"^units\[(\d+)\]\.(\w+)$")
_CREATED_AT = "%Y-%m-%d %H:%M:%S.%f"


@dataclass(frozen=True)
class ImportProblem:
    row: int  # spreadsheet row number (header = 1); 0 = the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"row {self.row}"
        return f"{where}, column {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportReport:
    rows: int  # property rows read
    imported: int
    problems: tuple[ImportProblem, ...]
    bad_rows: int
    bad_rows_file: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (encoding, header). Nothing was imported."""


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    problems: list[ImportProblem] = field(default_factory=list)
    data: PropertyInput | None = None
    returns: dict[str, bool] = field(default_factory=dict)

    def bad(self, column: str, message: str) -> None:
        self.problems.append(ImportProblem(self.number, column, message))


def _column_of(problem: FieldProblem) -> tuple[str, str]:
    """The CSV column a validation problem belongs to, and its message (with the unit number)."""
    match = _OWNER_FIELD.match(problem.field)
    if match:
        n, name = int(match.group(1)), match.group(2) or "name_en"
        name = "name_en" if name == "name" else name
        prefix = FIRST_OWNER_COLUMNS if n == 1 else {f: f"owner{n}_{f}" for f in OWNER_FIELDS}
        return prefix.get(name, prefix["name_en"]), problem.message
    match = _UNIT_FIELD.match(problem.field)
    if match:
        return "units", f"unit {match.group(1)} {match.group(2)}: {problem.message}"
    return _FIELD_TO_COLUMN.get(problem.field, problem.field), problem.message


def _parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return value


def _parse_units(row: _Row, text: str) -> tuple[UnitData, ...]:
    units: list[UnitData] = []
    for index, part in enumerate((p for p in text.split(";") if p.strip()), start=1):
        pieces = [p.strip() for p in part.split(":")]
        if len(pieces) != 4:
            row.bad("units", f"unit {index} {part.strip()!r} is not floor:area:construction:usage")
            continue
        floor_text, area_text, construction, usage = pieces
        try:
            floor = int(floor_text)
        except ValueError:
            row.bad("units", f"unit {index} floor {floor_text!r} is not a whole number (0 = ground)")
            continue
        try:
            area = _parse_decimal(area_text)
        except ValueError as error:
            row.bad("units", f"unit {index} area: {error}")
            continue
        units.append(UnitData(floor=floor, area_sqft=area, construction=construction, usage=usage))
    return tuple(units)


def _parse_returns(row: _Row, text: str) -> dict[str, bool]:
    result: dict[str, bool] = {}
    for part in (p.strip() for p in text.split(";") if p.strip()):
        fy_text, _, flag = part.partition(":")
        try:
            fy = FinancialYear.parse(fy_text).code
        except ValueError as error:
            row.bad("returns", str(error))
            continue
        if flag.strip().upper() not in {"Y", "N"}:
            row.bad("returns", f"{part!r}: write FY:Y (filed) or FY:N (not filed)")
            continue
        result[fy] = flag.strip().upper() == "Y"
    return result


def _parse_row(row: _Row, masters: Masters) -> None:
    v = row.values
    ward_text = v.get("ward", "").strip()
    ward = 0
    if not ward_text:
        row.bad("ward", "is empty")
    else:
        try:
            ward = int(ward_text)
        except ValueError:
            row.bad("ward", f"{ward_text!r} is not a ward number")
    open_land = Decimal(0)
    if v.get("open_land_sqft", "").strip():
        try:
            open_land = _parse_decimal(v["open_land_sqft"])
        except ValueError as error:
            row.bad("open_land_sqft", str(error))
    owners: list[OwnerData] = []
    for n in range(1, MAX_OWNERS + 1):
        columns = FIRST_OWNER_COLUMNS if n == 1 else {f: f"owner{n}_{f}" for f in OWNER_FIELDS}
        given = {f: v.get(c, "") for f, c in columns.items()}
        if not any(x.strip() for x in given.values()):
            continue
        mobile_text = given["mobile"].strip()
        mobile = normalise_mobile(mobile_text) if mobile_text else ""
        if mobile_text and not mobile:
            row.bad(columns["mobile"], f"{mobile_text!r} is not a mobile number")
            mobile = ""
        owners.append(
            OwnerData(name_en=given["name_en"], name_hi=given["name_hi"], relation=given["relation"], mobile=mobile)
        )
    units = _parse_units(row, v.get("units", ""))
    row.returns = _parse_returns(row, v.get("returns", ""))
    data = clean_input(
        PropertyInput(
            property_id=v.get("property_id", ""),
            ward_no=ward,
            zone_code=v.get("zone", ""),
            old_id=v.get("old_id", ""),
            address_en=v.get("address_en", ""),
            address_hi=v.get("address_hi", ""),
            open_land_sqft=open_land,
            owners=tuple(owners),
            units=units,
        )
    )
    for problem in validate(data, masters):
        if problem.field == "ward_no" and not ward_text:
            continue  # already said: empty
        if problem.field == "owners" and any(
            p.column.startswith("owner") or p.column == "mobile" for p in row.problems
        ):
            continue
        column, message = _column_of(problem)
        if problem.field == "units" and any(p.column == "units" for p in row.problems):
            continue
        row.bad(column, message)
    row.data = data


def _read_rows(text: str) -> tuple[list[str], list[_Row]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ImportFileError("the file is empty (expected a header row first)")
    reader.fieldnames = header
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)} (known: {', '.join(COLUMNS)})")
    if missing:
        problems.append(f"missing required column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        problems.append("a column appears twice in the header")
    if problems:
        raise ImportFileError("; ".join(problems))
    rows: list[_Row] = []
    for record in reader:
        number = reader.line_num  # physical line of the row's end; equals the spreadsheet row for one-line rows
        values = {k: (val or "") for k, val in record.items() if k is not None}
        row = _Row(number=number, values=values)
        if None in record:
            row.bad("", f"has {len(record[None]) + len(header)} fields, the header has {len(header)}")
        if not any(x.strip() for x in values.values()) and not row.problems:
            continue  # a blank line
        rows.append(row)
    return header, rows


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"the file is not UTF-8 (byte {error.start}); save it from the spreadsheet as 'CSV UTF-8'"
        ) from None


class PropertyImporter:
    def __init__(self, db: Database, audit: AuditLog, clock: Clock, ulb_code: str | None = None) -> None:
        """`ulb_code` defaults to this device's ULB (its identity row, else the only ULB)."""
        self._db = db
        self._audit = audit
        self._clock = clock
        self._ulb_code = ulb_code

    @property
    def _ulb(self) -> str:
        if self._ulb_code is None:
            self._ulb_code = device_ulb_code(self._db)
        return self._ulb_code

    def check_file(self, path: Path) -> ImportReport:
        """Validate without importing anything."""
        _, rows = self._parse(path)
        problems = tuple(p for r in rows for p in r.problems)
        return ImportReport(rows=len(rows), imported=0, problems=problems, bad_rows=sum(1 for r in rows if r.problems))

    def import_file(
        self,
        actor: Actor,
        path: Path,
        *,
        skip_bad_rows: bool = False,
        bad_rows_out: Path | None = None,
    ) -> ImportReport:
        """Import `path`. Raises ImportFileError if the file as a whole is unreadable."""
        require(actor, Permission.IMPORT_PROPERTY)
        raw = path.read_bytes()
        header, rows = self._parse(path, raw)
        bad = [r for r in rows if r.problems]
        good = [r for r in rows if not r.problems]
        problems = tuple(p for r in bad for p in r.problems)
        if bad and not skip_bad_rows:
            return ImportReport(rows=len(rows), imported=0, problems=problems, bad_rows=len(bad))
        bad_file: Path | None = None
        if bad:
            bad_file = bad_rows_out or path.with_name(f"{path.stem}.bad-rows.csv")
            self._write_bad_rows(bad_file, header, bad)
        if good:
            self._insert(actor, path, raw, good, len(bad))
        return ImportReport(
            rows=len(rows), imported=len(good), problems=problems, bad_rows=len(bad), bad_rows_file=bad_file
        )

    # --- internals

    def _parse(self, path: Path, raw: bytes | None = None) -> tuple[list[str], list[_Row]]:
        header, rows = _read_rows(_decode(raw if raw is not None else path.read_bytes()))
        with self._db.read() as session:
            masters = Masters.load(session, self._ulb)
            if not masters.zones or not masters.wards:
                raise ImportFileError(f"ULB {self._ulb} has no zones or wards on this device; seed its masters first")
            for row in rows:
                if not any(p.column == "" for p in row.problems):
                    _parse_row(row, masters)
            self._check_duplicates(session, rows)
        return header, rows

    def _check_duplicates(self, session: Any, rows: list[_Row]) -> None:
        first_seen: dict[str, int] = {}
        for row in rows:
            if row.data is None or not row.data.property_id:
                continue
            pid = row.data.property_id
            if pid in first_seen:
                row.bad("property_id", f"{pid} is also on row {first_seen[pid]}")
            else:
                first_seen[pid] = row.number
        ids = list(first_seen)
        existing: set[str] = set()
        for chunk in _chunks(ids, 500):
            existing.update(
                session.scalars(
                    select(Property.property_id).where(Property.ulb_code == self._ulb, Property.property_id.in_(chunk))
                )
            )
        for row in rows:
            if row.data is not None and row.data.property_id in existing:
                row.bad("property_id", f"{row.data.property_id} is already in the register")

    @staticmethod
    def _write_bad_rows(target: Path, header: list[str], rows: list[_Row]) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([*header, ERRORS_COLUMN])
            for row in rows:
                message = " | ".join(f"{p.column or 'row'}: {p.message}" for p in row.problems)
                writer.writerow([*(row.values.get(h, "") for h in header), message])

    def _insert(self, actor: Actor, path: Path, raw_bytes: bytes, rows: list[_Row], skipped: int) -> None:
        now = self._clock.now_utc()
        created_at = now.replace(tzinfo=None).strftime(_CREATED_AT)
        properties: list[tuple[Any, ...]] = []
        owners: list[tuple[Any, ...]] = []
        units: list[tuple[Any, ...]] = []
        returns: list[tuple[Any, ...]] = []
        for row in rows:
            data = row.data
            assert data is not None
            uuid = new_uuid()
            properties.append(
                (
                    *(uuid, self._ulb, data.property_id, data.old_id, data.ward_no, data.zone_code),
                    *(data.address_en, data.address_hi, str(data.open_land_sqft), created_at, 1),
                )
            )
            for i, o in enumerate(data.owners):
                key = owner_search_key(o.name_en, o.name_hi)
                owners.append((uuid, i, o.name_en, o.name_hi, o.relation, o.mobile, key))
            for i, u in enumerate(data.units):
                units.append((uuid, i, u.floor, str(u.area_sqft), u.construction, u.usage))
            for fy, filed in row.returns.items():
                returns.append((uuid, fy, int(filed)))
        with self._db.write() as session:
            conn: Any = session.connection().connection.dbapi_connection
            bulk = BulkIndexing(conn)
            bulk.suspend()
            conn.executemany(
                "INSERT INTO property (uuid, ulb_code, property_id, old_id, ward_no, zone_code, address_en,"
                " address_hi, open_land_sqft, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                properties,
            )
            conn.executemany(
                "INSERT INTO owner (property_uuid, ordinal, name_en, name_hi, relation, mobile, search_key)"
                " VALUES (?,?,?,?,?,?,?)",
                owners,
            )
            conn.executemany(
                "INSERT INTO unit (property_uuid, ordinal, floor, area_sqft, construction, usage) VALUES (?,?,?,?,?,?)",
                units,
            )
            conn.executemany("INSERT INTO return_filing (property_uuid, fy, filed) VALUES (?,?,?)", returns)
            bulk.index_new()
            self._audit.record(
                session,
                actor,
                "property.import",
                "property_import",
                path.name[:60],
                None,
                {
                    "file": path.name,
                    "sha256": hashlib.sha256(raw_bytes).hexdigest(),
                    "imported": len(rows),
                    "skipped_bad_rows": skipped,
                    "first_property_id": rows[0].data.property_id if rows[0].data else "",
                },
            )


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
