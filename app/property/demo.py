"""A realistic demo register for a ULB: up to 500,000 properties with owners, units, returns and demands.

What it makes (deterministic for a seed):
- Property IDs `W12-000345` (ward + serial in the ward), old IDs `OLD/12/1039` for about 70%.
- Wards 1..N of the ULB's masters; the central wards are zone A, then B, the outer wards C, with
  some properties of a ward in a neighbouring zone. Addresses (house number, street, mohalla) in
  English and Hindi.
- Owners with paired English/Hindi names (app.property.names), S/O, W/O or D/O relations, a
  mobile number for about 75%; a second owner (the spouse) for about a quarter, a third for a few.
- Units: 1-3 floors of RCC_RB / OTHER_PAKKA / KUTCHA, mostly residential, some commercial and
  industrial; about 6% open plots (no units); some built properties with open land too.
- Demands: every property gets its rows for the current FY (2026-27) from the tariff
  (`yearly_demand`; a head of 0 is not written). About 20% also owe the previous FY (arrears: its
  demand rows exist and nothing paid them); a property with no previous-FY rows has paid that year.
- Returns: about 10% of properties have an unfiled return (mostly among the defaulters for the
  previous FY, a few for the current FY), recorded as return_filing rows with filed = 0. Filed
  returns are not written (a year without a row is not penalised, see app.demand.dues), which
  keeps a 500,000-property demo fast.

Fast (300,000 properties in about 20 s on a 2-core office PC):
- Rows are made from pools: each distinct owner name (with its search key) is composed once, and
  each zone has LAYOUT_POOL unit layouts drawn up front with their yearly demand worked out once;
  a property draws a layout. UUIDv7 keys come from a millisecond counter and seeded random bytes,
  made in bulk. No cyclic GC while rows are made (millions of tuples, no cycles).
- On Linux a forked helper process makes the rows while this one writes them.
- ONE write transaction (the audit entry is in it too), rows in with executemany on its DBAPI
  connection. On an empty register the secondary indexes of the filled tables are dropped first and
  re-created from their own SQL after the load (a sort instead of a random B-tree insert per row);
  the search index's insert triggers are dropped too and the FTS5 index is fed each batch's
  documents with a large term buffer, then optimized (BulkIndexing fast mode). All of it is inside
  the transaction: a failure leaves nothing, other connections never see the dropped indexes.
- A large page cache keeps the new pages in memory until the commit.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import sqlite3
import sys
import time
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from queue import Empty
from typing import Any

from sqlalchemy import func, select

from app.audit.service import AuditLog
from app.db import Database
from app.demand.assessment import PropertyFacts, UnitFacts, yearly_demand
from app.errors import ValidationError
from app.masters.models import Ulb, Ward, Zone
from app.masters.tariffs import PropertyTaxTariff, TariffBook, load_tariff_book
from app.property import names
from app.property.models import Property
from app.property.search import BulkIndexing, owner_search_key
from app.security.roles import Actor, Permission, require

CURRENT_FY = "2026-27"
PREVIOUS_FY = "2025-26"
MAX_PROPERTIES = 500_000
# Bump when the rows made for a seed change (benchmark fixtures built by an older generator are rebuilt).
GENERATOR_VERSION = 2
CHUNK = 20_000
LAYOUT_POOL = 2048  # unit layouts drawn per zone (each with its yearly demand worked out once)
ARREAR_SHARE = 0.20
CREATED_AT = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
_CREATED_AT_TEXT = "2026-04-01 00:00:00.000000"  # how UtcDateTime stores it (naive UTC)

CONSTRUCTIONS = ("RCC_RB", "OTHER_PAKKA", "KUTCHA")
USAGES = ("RESIDENTIAL", "COMMERCIAL", "INDUSTRIAL")


@dataclass(frozen=True)
class DemoReport:
    properties: int
    owners: int
    units: int
    demand_rows: int
    arrear_properties: int  # owe the previous FY
    unfiled_returns: int  # return_filing rows with filed = 0
    open_plots: int
    seconds: float


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


class _Uuids:
    """Deterministic, time-ordered UUIDv7 strings, made in bulk: the 48-bit timestamp is a
    millisecond counter from `start` (so keys are sequential, which keeps their B-tree appends
    cheap), the 74 random bits come from the seeded generator."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self._rng = rng
        self._ms = int(start.timestamp() * 1000)

    def take(self, count: int) -> list[str]:
        first = self._ms + 1
        self._ms += count
        digits = self._rng.randbytes(10 * count).hex()  # 20 random hex digits per UUID
        variant = _VARIANT
        out: list[str] = []
        append = out.append
        for ms, at in zip(range(first, first + count), range(0, 20 * count, 20), strict=True):
            stamp = f"{ms:012x}"
            append(
                f"{stamp[:8]}-{stamp[8:]}-7{digits[at : at + 3]}-{variant[digits[at + 3]]}{digits[at + 4 : at + 7]}"
                f"-{digits[at + 7 : at + 19]}"
            )
        return out


def _weighted(rng: random.Random, cumulative: list[float]) -> int:
    """Index drawn by cumulative weights (faster than rng.choices for one draw)."""
    return min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _cumulative(weights: tuple[float, ...] | list[float]) -> list[float]:
    return list(accumulate(weights))


_UnitKey = tuple[tuple[int, str, str, str], ...]
# (unit rows (ordinal, floor, area, construction, usage), open land, demand rows of the current FY
#  (fy, head, paise, created_at), of the previous FY, is an open plot)
_DemandRows = tuple[tuple[str, str, int, str], ...]
_Layout = tuple[tuple[tuple[int, int, str, str, str], ...], str, _DemandRows, _DemandRows, bool]


class _People:
    """Draws owners. Each distinct (first name, Kumar, surname) is composed once: its English and
    Hindi names and search key are cached, so a person costs a few random draws."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._surname_cum = _cumulative(list(names.SURNAME_WEIGHTS))
        self._persons: dict[int, tuple[str, str, str]] = {}
        self._part_keys: dict[tuple[str, str], list[str]] = {}
        self._mobiles: set[str] = set()
        self._male = names.MALE_FIRST_NAMES
        self._female = names.FEMALE_FIRST_NAMES
        self._n_male = len(names.MALE_FIRST_NAMES)
        self._n_female = len(names.FEMALE_FIRST_NAMES)
        self._n_surnames = len(names.SURNAMES)
        self._surnames_en = [en for en, _ in names.SURNAMES]

    def surname(self) -> int:
        return _weighted(self._rng, self._surname_cum)

    def person(self, female: bool, surname: int) -> tuple[str, str, str]:
        """(English name, Hindi name, search key)."""
        rand = self._rng.random
        first = int(rand() * (self._n_female if female else self._n_male))
        kumar = not female and rand() < 0.1
        code = ((first * 2 + kumar) * 2 + female) * self._n_surnames + surname
        found = self._persons.get(code)
        if found is None:
            found = self._persons[code] = self._compose(female, first, kumar, surname)
        return found

    def _compose(self, female: bool, first: int, kumar: bool, surname: int) -> tuple[str, str, str]:
        first_en, first_hi = (self._female if female else self._male)[first]
        last_en, last_hi = names.SURNAMES[surname]
        if kumar:
            name_en, name_hi = f"{first_en} Kumar {last_en}", f"{first_hi} कुमार {last_hi}"
        else:
            name_en, name_hi = f"{first_en} {last_en}", f"{first_hi} {last_hi}"
        keys = [*self._part_key(first_en, first_hi), *(("kumar",) if kumar else ()), *self._part_key(last_en, last_hi)]
        return name_en, name_hi, " ".join(dict.fromkeys(keys))

    def _part_key(self, en: str, hi: str) -> list[str]:
        found = self._part_keys.get((en, hi))
        if found is None:
            key = owner_search_key(en, hi)
            found = self._part_keys[(en, hi)] = key.split(" ") if key else []
        return found

    def man_en(self, surname: int) -> str:
        """The English name of a man of this family (a father or husband in a relation)."""
        return f"{self._male[int(self._rng.random() * self._n_male)][0]} {self._surnames_en[surname]}"

    def mobile(self) -> str:
        """A 10-digit mobile number starting 6-9, unique in the demo."""
        rand = self._rng.random
        seen = self._mobiles
        while True:
            number = str(6_000_000_000 + int(rand() * 4_000_000_000))
            if number not in seen:
                seen.add(number)
                return number


def _ward_zones(wards: list[int], zones: list[str]) -> dict[int, str]:
    """Central (low-numbered) wards in the first zone, outer wards in the last."""
    shares = [0.25, 0.45, 0.30] if len(zones) == 3 else [1 / len(zones)] * len(zones)
    edges = list(accumulate(shares))
    result: dict[int, str] = {}
    for position, ward in enumerate(sorted(wards)):
        fraction = (position + 0.5) / len(wards)
        result[ward] = zones[min(next(i for i, e in enumerate(edges) if fraction <= e + 1e-9), len(zones) - 1)]
    return result


class _Generator:
    def __init__(
        self,
        rng: random.Random,
        ulb_code: str,
        wards: list[int],
        zones: list[str],
        current: PropertyTaxTariff,
        previous: PropertyTaxTariff | None,
    ) -> None:
        self.rng = rng
        self.ulb = ulb_code
        self.wards = sorted(wards)
        self.zones = zones
        self.ward_zone = _ward_zones(wards, zones)
        self.ward_cum = _cumulative([0.5 + rng.random() for _ in self.wards])
        self.ward_mohallas = {
            ward: [names.MOHALLAS[(ward * 7 + k * 13) % len(names.MOHALLAS)] for k in range(3)] for ward in self.wards
        }
        self.serial: dict[int, int] = dict.fromkeys(self.wards, 0)
        self.people = _People(rng)
        self.uuids = _Uuids(random.Random(rng.getrandbits(64)), CREATED_AT)  # own stream: chunking-independent
        self.tariffs = {CURRENT_FY: current, PREVIOUS_FY: previous}
        self.has_previous = previous is not None
        self.demand_cache: dict[tuple[str, str, _UnitKey, str], _DemandRows] = {}
        self.areas = [Decimal(a) for a in range(250, 2050, 50)]
        self.layouts = {zone: [self._layout(zone) for _ in range(LAYOUT_POOL)] for zone in zones}
        self.counts = {"owners": 0, "units": 0, "demands": 0, "arrears": 0, "unfiled": 0, "open": 0}

    def demand(self, fy: str, zone: str, units: _UnitKey, open_land: str) -> _DemandRows:
        """The demand rows of a layout for a year (fy, head, paise, created_at); a head of 0 is left out."""
        cache_key = (fy, zone, units, open_land)
        found = self.demand_cache.get(cache_key)
        if found is None:
            tariff = self.tariffs[fy]
            assert tariff is not None
            facts = PropertyFacts(
                zone=zone,
                units=tuple(UnitFacts(floor=f, area_sqft=Decimal(a), construction=c, usage=u) for f, a, c, u in units),
                open_land_sqft=Decimal(open_land),
            )
            found = tuple(
                (fy, str(head), paise, _CREATED_AT_TEXT)
                for head, paise in yearly_demand(tariff, facts).items()
                if paise > 0
            )
            self.demand_cache[cache_key] = found
        return found

    def _layout(self, zone: str) -> _Layout:
        """One property's units and open land as the register has them in `zone`, with its demand."""
        rand = self.rng.random
        zones = self.zones
        units: list[tuple[int, str, str, str]] = []
        open_land = "0"
        is_open = rand() < 0.06
        if is_open:
            open_land = str(600 + 100 * int(rand() * 45))
        else:
            draw = rand()
            floors = 1 if draw < 0.65 else 2 if draw < 0.93 else 3
            kutcha = 0.25 if zone == zones[-1] else 0.08
            draw = rand()
            construction = "KUTCHA" if draw < kutcha else "OTHER_PAKKA" if draw < kutcha + 0.3 else "RCC_RB"
            ground = self.areas[int(rand() * len(self.areas))]
            commercial_ground = 0.3 if zone == zones[0] else 0.06
            for floor in range(floors):
                area = ground if floor == 0 or rand() < 0.6 else ground / 2
                draw = rand()
                commercial = commercial_ground if floor == 0 else 0.03
                usage = "COMMERCIAL" if draw < commercial else "INDUSTRIAL" if draw > 0.975 else "RESIDENTIAL"
                units.append((floor, str(area), construction, usage))
            if rand() < 0.08:
                open_land = str(200 + 100 * int(rand() * 18))
        key = tuple(units)
        current = self.demand(CURRENT_FY, zone, key, open_land)
        previous = self.demand(PREVIOUS_FY, zone, key, open_land) if self.has_previous else ()
        rows = tuple((ordinal, *unit) for ordinal, unit in enumerate(units))
        return rows, open_land, current, previous, is_open

    def chunk(self, wards: list[int]) -> dict[str, list[tuple[Any, ...]]]:
        """Rows for one property in each of `wards` (given in ward order, so IDs are inserted in order)."""
        rand = self.rng.random
        people = self.people
        person = people.person
        man_en = people.man_en
        mobile = people.mobile
        zones = self.zones
        n_zones = len(zones)
        ward_zone = self.ward_zone
        ward_mohallas = self.ward_mohallas
        serials = self.serial
        layouts = self.layouts
        streets = names.STREETS
        n_streets = len(streets)
        ulb = self.ulb
        has_previous = self.has_previous
        properties: list[tuple[Any, ...]] = []
        owners_rows: list[tuple[Any, ...]] = []
        units_rows: list[tuple[Any, ...]] = []
        returns: list[tuple[Any, ...]] = []
        demands: list[tuple[Any, ...]] = []
        documents: list[tuple[str, str, str, str]] = []
        n_owners = n_units = arrears = unfiled = open_plots = 0
        for ward, uuid in zip(wards, self.uuids.take(len(wards)), strict=True):
            serial = serials[ward] + 1
            serials[ward] = serial
            zone = ward_zone[ward] if rand() >= 0.15 else zones[int(rand() * n_zones)]
            property_id = f"W{ward:02d}-{serial:06d}"
            old_id = f"OLD/{ward}/{1000 + serial * 3 + int(rand() * 3)}" if rand() < 0.7 else ""
            mohalla_en, mohalla_hi = ward_mohallas[ward][int(rand() * 3)]
            house = 1 + int(rand() * 400)
            if rand() < 0.3:
                street_en, street_hi = streets[int(rand() * n_streets)]
                address_en = f"H.No. {house}, {street_en}, {mohalla_en}"
                address_hi = f"म.नं. {house}, {street_hi}, {mohalla_hi}"
            else:
                address_en = f"H.No. {house}, {mohalla_en}"
                address_hi = f"म.नं. {house}, {mohalla_hi}"
            unit_rows, open_land, current, previous, is_open = layouts[zone][int(rand() * LAYOUT_POOL)]
            open_plots += is_open

            surname = people.surname()
            female = rand() < 0.3
            name_en, name_hi, key = person(female, surname)
            if female and rand() < 0.65:
                relation = f"W/O {man_en(surname)}"
            else:
                relation = f"{'D/O' if female else 'S/O'} {man_en(surname)}"
            owners_rows.append((uuid, 0, name_en, name_hi, relation, mobile() if rand() < 0.75 else "", key))
            owner_names = f"{name_en} {name_hi}"
            owner_keys = key
            count = 1
            draw = rand()
            if draw < 0.3:
                if not female:
                    s_en, s_hi, s_key = person(True, surname)
                    owners_rows.append((uuid, 1, s_en, s_hi, f"W/O {name_en}", mobile() if rand() < 0.4 else "", s_key))
                    owner_names = f"{owner_names} {s_en} {s_hi}"
                    owner_keys = f"{owner_keys} {s_key}"
                    count = 2
                    if draw < 0.04:
                        c_en, c_hi, c_key = person(False, surname)
                        owners_rows.append((uuid, 2, c_en, c_hi, f"S/O {name_en}", "", c_key))
                        owner_names = f"{owner_names} {c_en} {c_hi}"
                        owner_keys = f"{owner_keys} {c_key}"
                        count = 3
                else:
                    s_en, s_hi, s_key = person(rand() < 0.5, surname)
                    owners_rows.append((uuid, 1, s_en, s_hi, relation, "", s_key))
                    owner_names = f"{owner_names} {s_en} {s_hi}"
                    owner_keys = f"{owner_keys} {s_key}"
                    count = 2
            n_owners += count

            properties.append(
                (uuid, ulb, property_id, old_id, ward, zone, address_en, address_hi, open_land, _CREATED_AT_TEXT, 1)
            )
            for unit in unit_rows:
                units_rows.append((uuid, *unit))
            n_units += len(unit_rows)
            documents.append((uuid, f"{property_id} {old_id}", owner_names, owner_keys))

            for demand in current:
                demands.append((uuid, *demand))
            in_arrears = has_previous and rand() < ARREAR_SHARE
            if in_arrears:
                arrears += 1
                for demand in previous:
                    demands.append((uuid, *demand))
            # only "not filed" is recorded: a year without a row is not penalised (app.demand.dues)
            if rand() < (0.32 if in_arrears else 0.015):
                returns.append((uuid, PREVIOUS_FY, 0))
                unfiled += 1
            if rand() < 0.03:
                returns.append((uuid, CURRENT_FY, 0))
                unfiled += 1
        counts = self.counts
        counts["owners"] += n_owners
        counts["units"] += n_units
        counts["arrears"] += arrears
        counts["unfiled"] += unfiled
        counts["open"] += open_plots
        counts["demands"] += len(demands)
        return {
            "property": properties,
            "owner": owners_rows,
            "unit": units_rows,
            "return": returns,
            "demand": demands,
            "documents": documents,
        }

    def ward_sequence(self, total: int) -> list[int]:
        """Which ward each of `total` properties lies in, in ward order."""
        rng = self.rng
        drawn = [self.wards[_weighted(rng, self.ward_cum)] for _ in range(total)]
        drawn.sort()
        return drawn


@dataclass(frozen=True)
class _Plan:
    """Everything the row generator needs; picklable, so a helper process can run it."""

    seed: int
    ulb_code: str
    wards: list[int]
    zones: list[str]
    current: PropertyTaxTariff
    previous: PropertyTaxTariff | None
    properties: int


_Rows = dict[str, list[Any]]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while millions of row tuples are made (they hold no cycles; the
    collector would otherwise walk all of them again and again, a third of the generating time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    """[start, end) of each chunk: small ones first, so the writer starts at once."""
    start, size = 0, CHUNK // 8
    while start < total:
        end = min(total, start + size)
        yield start, end
        start, size = end, min(CHUNK, size * 2)


def _rows_here(plan: _Plan) -> Iterator[_Rows]:
    """The rows chunk by chunk, then {"counts": [[counts]]}. Deterministic for the plan."""
    generator = _Generator(random.Random(plan.seed), plan.ulb_code, plan.wards, plan.zones, plan.current, plan.previous)
    sequence = generator.ward_sequence(plan.properties)
    for start, end in _chunks(plan.properties):
        yield generator.chunk(sequence[start:end])
    yield {"counts": [[dict(generator.counts)]]}


def _produce(plan: _Plan, queue: Any) -> None:
    gc.disable()  # a short-lived helper process: see _gc_paused
    try:
        for rows in _rows_here(plan):
            queue.put(rows)
    except BaseException as error:  # report, do not hang the writer
        queue.put({"error": [[repr(error)]]})
        raise


def _worker_helps(properties: int) -> bool:
    # fork only: "spawn" re-runs the caller's main module (breaks scripts without a __main__ guard
    # and frozen builds), so Windows and macOS generate in-process.
    return (
        properties >= 50_000
        and (os.cpu_count() or 1) > 1
        and not getattr(sys, "frozen", False)
        and "fork" in multiprocessing.get_all_start_methods()
        and sys.platform.startswith("linux")
    )


@contextmanager
def _row_source(plan: _Plan, use_worker: bool) -> Iterator[Iterator[_Rows]]:
    """The plan's rows: made here, or by a helper process (started at once, so it works while the
    writer prepares the database; generating then overlaps with writing)."""
    if not use_worker:
        yield _rows_here(plan)
        return
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=4)
    worker = context.Process(target=_produce, args=(plan, queue), daemon=True, name="nikay-demo-rows")
    worker.start()
    try:
        yield _received(worker, queue)
    except BaseException:
        worker.terminate()  # it may be blocked on a full queue
        raise
    finally:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.terminate()


def _received(worker: Any, queue: Any) -> Iterator[_Rows]:
    while True:
        try:
            rows: _Rows = queue.get(timeout=1.0)
        except Empty:
            if not worker.is_alive():
                raise RuntimeError(f"the demo row generator stopped (exit code {worker.exitcode})") from None
            continue
        if "error" in rows:
            raise RuntimeError(f"the demo row generator failed: {rows['error'][0][0]}")
        yield rows
        if "counts" in rows:
            return


_INSERTS = {
    "property": "INSERT INTO property (uuid, ulb_code, property_id, old_id, ward_no, zone_code, address_en, address_hi,"
    " open_land_sqft, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "owner": "INSERT INTO owner (property_uuid, ordinal, name_en, name_hi, relation, mobile, search_key)"
    " VALUES (?,?,?,?,?,?,?)",
    "unit": "INSERT INTO unit (property_uuid, ordinal, floor, area_sqft, construction, usage) VALUES (?,?,?,?,?,?)",
    "return": "INSERT INTO return_filing (property_uuid, fy, filed) VALUES (?,?,?)",
    "demand": "INSERT INTO demand (property_uuid, fy, head, amount_paise, created_at) VALUES (?,?,?,?,?)",
}
_LOADED_TABLES = ("property", "owner", "unit", "return_filing", "demand")


def _drop_secondary_indexes(raw: sqlite3.Connection) -> list[str]:
    """Drop the explicitly created indexes of the tables the demo fills; returns their SQL, to
    re-create them after the load (one sort per index instead of a B-tree insert per row). Inside
    the load's transaction: a failure rolls the drop back too. Constraint indexes (primary keys,
    UNIQUE) cannot be dropped; the demo's keys go into those in order, which is cheap."""
    marks = ",".join("?" * len(_LOADED_TABLES))
    found = raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})"
        " ORDER BY name",
        _LOADED_TABLES,
    ).fetchall()
    for name, _ in found:
        raw.execute(f'DROP INDEX "{name}"')
    return [str(sql) for _, sql in found]


def _cache_kib(properties: int) -> int:
    """Page cache for the load: enough to keep the whole new register in memory until the commit
    (about 1.4 KB a property), between 128 MiB and 1 GiB."""
    return min(1024 * 1024, max(128 * 1024, properties * 2))


def _load(raw: sqlite3.Connection, plan: _Plan, use_worker: bool) -> dict[str, int]:
    """Insert the plan's rows on `raw`, inside the caller's write transaction; returns the counts."""
    cache_before = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size = -{_cache_kib(plan.properties)}")
    try:
        counts: dict[str, int] = {}
        with _row_source(plan, use_worker) as source, _gc_paused():
            empty = raw.execute("SELECT NOT EXISTS (SELECT 1 FROM property)").fetchone()[0] == 1
            indexes = _drop_secondary_indexes(raw) if empty else []
            bulk = BulkIndexing(raw)
            bulk.suspend(fast=True)
            for rows in source:
                if "counts" in rows:
                    counts = rows["counts"][0][0]
                    continue
                for table, sql in _INSERTS.items():
                    raw.executemany(sql, rows[table])
                bulk.add_documents(rows["documents"])
                del rows
        for sql in indexes:
            raw.execute(sql)
        bulk.resume()  # re-creates the index triggers, optimizes the FTS index
        return counts
    finally:
        raw.execute(f"PRAGMA cache_size = {cache_before}")
        raw.execute("PRAGMA shrink_memory")


def generate_demo(
    db: Database,
    properties: int,
    seed: int = 1,
    *,
    ulb_code: str = "DEMO",
    tariffs: TariffBook | None = None,
    resources_dir: Path | None = None,
    audit: AuditLog | None = None,
    actor: Actor | None = None,
    parallel: bool | None = None,
) -> DemoReport:
    """Fill an empty register of `ulb_code` (whose masters are seeded) with `properties` demo properties.

    Raises ValidationError if the ULB or its wards/zones are missing, the register already has
    properties, or `properties` is out of range. One transaction: all or nothing.

    `parallel`: generate the rows in a helper process while this one writes them (the output is the
    same either way; None = when it pays off: large N, more than one CPU, not a frozen build).
    """
    if actor is not None:
        require(actor, Permission.IMPORT_PROPERTY)
    if not 1 <= properties <= MAX_PROPERTIES:
        raise ValidationError(f"the demo makes 1 to {MAX_PROPERTIES:,} properties, not {properties:,}")
    if tariffs is None:
        from app.paths import RESOURCES_DIR

        tariffs = load_tariff_book((resources_dir or RESOURCES_DIR) / "tariffs")
    current = tariffs.property_tax(ulb_code, CURRENT_FY)
    previous = tariffs.property_tax(ulb_code, PREVIOUS_FY) if tariffs.has_property_tax(ulb_code, PREVIOUS_FY) else None
    started = time.perf_counter()
    with db.write() as session:
        if session.get(Ulb, ulb_code) is None:
            raise ValidationError(f"ULB {ulb_code} is not set up on this device (seed its masters first)")
        wards = list(session.scalars(select(Ward.number).where(Ward.ulb_code == ulb_code)))
        zones = sorted(session.scalars(select(Zone.code).where(Zone.ulb_code == ulb_code)))
        if not wards or not zones:
            raise ValidationError(f"ULB {ulb_code} has no wards or zones in its masters")
        unknown = [z for z in zones if z not in current.zones]
        if unknown:
            raise ValidationError(f"zones {', '.join(unknown)} have no rates in the {CURRENT_FY} tariff")
        existing = session.scalar(select(func.count()).select_from(Property).where(Property.ulb_code == ulb_code))
        if existing:
            raise ValidationError(
                f"the register of {ulb_code} already has {existing:,} properties; the demo fills an empty one"
            )
        plan = _Plan(seed, ulb_code, wards, zones, current, previous, properties)
        raw: Any = session.connection().connection.dbapi_connection
        counts = _load(raw, plan, parallel if parallel is not None else _worker_helps(properties))
        report = DemoReport(
            properties=properties,
            owners=counts["owners"],
            units=counts["units"],
            demand_rows=counts["demands"],
            arrear_properties=counts["arrears"],
            unfiled_returns=counts["unfiled"],
            open_plots=counts["open"],
            seconds=0.0,
        )
        if audit is not None:
            audit.record(
                session, actor, "property.demo_generated", "ulb", ulb_code, None, {**asdict(report), "seed": seed}
            )
    report = DemoReport(**{**asdict(report), "seconds": time.perf_counter() - started})
    return report
