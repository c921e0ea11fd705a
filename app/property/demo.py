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

Fast: rows go in with executemany on the DBAPI connection of ONE write transaction (the audit entry
is in it too), the search index triggers are suspended and the index is built in one pass at the
end, and `yearly_demand` is computed once per distinct (zone, units, open land).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sys
import time
from bisect import bisect_right
from collections.abc import Iterator
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
from app.property.search import BulkIndexing, optimize_search_index, owner_search_key
from app.security.roles import Actor, Permission, require

CURRENT_FY = "2026-27"
PREVIOUS_FY = "2025-26"
MAX_PROPERTIES = 500_000
CHUNK = 20_000
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


class _Uuids:
    """Deterministic, time-ordered UUIDv7 strings (sequential keys also make bulk inserts fast)."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self._rng = rng
        self._ms = int(start.timestamp() * 1000)

    def next(self) -> str:
        self._ms += 1
        ms = self._ms
        rand = self._rng.getrandbits(74)
        return "%08x-%04x-7%03x-%04x-%012x" % (  # noqa: UP031 - the fastest way here
            ms >> 16,
            ms & 0xFFFF,
            rand >> 62,
            0x8000 | ((rand >> 48) & 0x3FFF),
            rand & 0xFFFFFFFFFFFF,
        )


def _weighted(rng: random.Random, cumulative: list[float]) -> int:
    """Index drawn by cumulative weights (faster than rng.choices for one draw)."""
    return min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _cumulative(weights: tuple[float, ...] | list[float]) -> list[float]:
    return list(accumulate(weights))


_UnitKey = tuple[tuple[int, str, str, str], ...]


class _People:
    """Draws owners; caches each distinct name's search key."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._surname_cum = _cumulative(list(names.SURNAME_WEIGHTS))
        self._keys: dict[tuple[str, str], str] = {}
        self._mobiles: set[str] = set()

    def surname(self) -> int:
        return _weighted(self._rng, self._surname_cum)

    def first(self, female: bool) -> tuple[str, str]:
        pool = names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES
        return pool[int(self._rng.random() * len(pool))]

    def person(self, female: bool, surname: int) -> tuple[str, str, str]:
        """(English name, Hindi name, search key)."""
        first_en, first_hi = self.first(female)
        last_en, last_hi = names.SURNAMES[surname]
        kumar = not female and self._rng.random() < 0.1
        if kumar:
            name_en, name_hi = f"{first_en} Kumar {last_en}", f"{first_hi} कुमार {last_hi}"
        else:
            name_en, name_hi = f"{first_en} {last_en}", f"{first_hi} {last_hi}"
        keys = [*self._part_key(first_en, first_hi), *(("kumar",) if kumar else ()), *self._part_key(last_en, last_hi)]
        return name_en, name_hi, " ".join(dict.fromkeys(keys))

    def _part_key(self, en: str, hi: str) -> list[str]:
        found = self._keys.get((en, hi))
        if found is None:
            found = self._keys[(en, hi)] = owner_search_key(en, hi)
        return found.split(" ") if found else []

    def first_name(self, female: bool) -> str:
        return self.first(female)[0]

    def full_name_en(self, female: bool, surname: int) -> str:
        return f"{self.first(female)[0]} {names.SURNAMES[surname][0]}"

    def mobile(self) -> str:
        while True:
            number = f"{self._rng.choice('6789')}{self._rng.randrange(10**9):09d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
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
        self.uuids = _Uuids(rng, CREATED_AT)
        self.tariffs = {CURRENT_FY: current, PREVIOUS_FY: previous}
        self.demand_cache: dict[tuple[str, str, _UnitKey, str], dict[str, int]] = {}
        self.areas = [Decimal(a) for a in range(250, 2050, 50)]
        self.counts = {"owners": 0, "units": 0, "demands": 0, "arrears": 0, "unfiled": 0, "open": 0}

    def demand(
        self, fy: str, zone: str, units: tuple[tuple[int, str, str, str], ...], open_land: str
    ) -> dict[str, int]:
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
            found = {str(head): paise for head, paise in yearly_demand(tariff, facts).items() if paise > 0}
            self.demand_cache[cache_key] = found
        return found

    def chunk(self, wards: list[int]) -> dict[str, list[tuple[Any, ...]]]:
        """Rows for one property in each of `wards` (given in ward order, so IDs are inserted in order)."""
        rng = self.rng
        rand = rng.random
        people = self.people
        counts = self.counts
        zones = self.zones
        areas = self.areas
        n_areas = len(areas)
        new_uuid = self.uuids.next
        properties: list[tuple[Any, ...]] = []
        owners_rows: list[tuple[Any, ...]] = []
        units_rows: list[tuple[Any, ...]] = []
        returns: list[tuple[Any, ...]] = []
        demands: list[tuple[Any, ...]] = []
        documents: list[tuple[str, str, str, str]] = []
        for ward in wards:
            self.serial[ward] += 1
            serial = self.serial[ward]
            zone = self.ward_zone[ward] if rand() >= 0.15 else zones[int(rand() * len(zones))]
            uuid = new_uuid()
            property_id = f"W{ward:02d}-{serial:06d}"
            old_id = f"OLD/{ward}/{1000 + serial * 3 + int(rand() * 3)}" if rand() < 0.7 else ""
            mohalla_en, mohalla_hi = self.ward_mohallas[ward][int(rand() * 3)]
            house = 1 + int(rand() * 400)
            if rand() < 0.3:
                street_en, street_hi = names.STREETS[int(rand() * len(names.STREETS))]
                address_en = f"H.No. {house}, {street_en}, {mohalla_en}"
                address_hi = f"म.नं. {house}, {street_hi}, {mohalla_hi}"
            else:
                address_en = f"H.No. {house}, {mohalla_en}"
                address_hi = f"म.नं. {house}, {mohalla_hi}"

            units: list[tuple[int, str, str, str]] = []
            open_land = "0"
            if rand() < 0.06:
                open_land = str(600 + 100 * int(rand() * 45))
                counts["open"] += 1
            else:
                draw = rand()
                floors = 1 if draw < 0.65 else 2 if draw < 0.93 else 3
                kutcha = 0.25 if zone == zones[-1] else 0.08
                draw = rand()
                construction = "KUTCHA" if draw < kutcha else "OTHER_PAKKA" if draw < kutcha + 0.3 else "RCC_RB"
                ground = areas[int(rand() * n_areas)]
                commercial_ground = 0.3 if zone == zones[0] else 0.06
                for floor in range(floors):
                    area = ground if floor == 0 or rand() < 0.6 else ground / 2
                    draw = rand()
                    commercial = commercial_ground if floor == 0 else 0.03
                    usage = "COMMERCIAL" if draw < commercial else "INDUSTRIAL" if draw > 0.975 else "RESIDENTIAL"
                    units.append((floor, str(area), construction, usage))
                if rand() < 0.08:
                    open_land = str(200 + 100 * int(rand() * 18))
            unit_key = tuple(units)

            surname = people.surname()
            female = rand() < 0.3
            name_en, name_hi, key = people.person(female, surname)
            if female and rand() < 0.65:
                relation = f"W/O {people.full_name_en(False, surname)}"
            else:
                relation = f"{'D/O' if female else 'S/O'} {people.full_name_en(False, surname)}"
            owners = [(name_en, name_hi, relation, people.mobile() if rand() < 0.75 else "", key)]
            draw = rand()
            if draw < 0.3:
                if not female:
                    s_en, s_hi, s_key = people.person(True, surname)
                    owners.append((s_en, s_hi, f"W/O {name_en}", people.mobile() if rand() < 0.4 else "", s_key))
                    if draw < 0.04:
                        c_en, c_hi, c_key = people.person(False, surname)
                        owners.append((c_en, c_hi, f"S/O {name_en}", "", c_key))
                else:
                    s_en, s_hi, s_key = people.person(rand() < 0.5, surname)
                    owners.append((s_en, s_hi, relation, "", s_key))

            properties.append(
                (
                    uuid,
                    self.ulb,
                    property_id,
                    old_id,
                    ward,
                    zone,
                    address_en,
                    address_hi,
                    open_land,
                    _CREATED_AT_TEXT,
                    1,
                )
            )
            for ordinal, owner in enumerate(owners):
                owners_rows.append((uuid, ordinal, *owner))
            for ordinal, unit in enumerate(units):
                units_rows.append((uuid, ordinal, *unit))
            documents.append(
                (
                    uuid,
                    f"{property_id} {old_id}",
                    " ".join(f"{o[0]} {o[1]}" for o in owners),
                    " ".join(o[4] for o in owners),
                )
            )
            counts["owners"] += len(owners)
            counts["units"] += len(units)

            for head, paise in self.demand(CURRENT_FY, zone, unit_key, open_land).items():
                demands.append((uuid, CURRENT_FY, head, paise, _CREATED_AT_TEXT))
            in_arrears = self.tariffs[PREVIOUS_FY] is not None and rand() < ARREAR_SHARE
            if in_arrears:
                counts["arrears"] += 1
                for head, paise in self.demand(PREVIOUS_FY, zone, unit_key, open_land).items():
                    demands.append((uuid, PREVIOUS_FY, head, paise, _CREATED_AT_TEXT))
            previous_filed = rand() >= (0.32 if in_arrears else 0.015)
            current_filed = rand() >= 0.03
            # only "not filed" is recorded: a year without a row is not penalised (app.demand.dues)
            if not previous_filed:
                returns.append((uuid, PREVIOUS_FY, 0))
            if not current_filed:
                returns.append((uuid, CURRENT_FY, 0))
            counts["unfiled"] += (not previous_filed) + (not current_filed)
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


def _rows_here(plan: _Plan) -> Iterator[_Rows]:
    """The rows chunk by chunk, then {"counts": [[counts]]}. Deterministic for the plan."""
    generator = _Generator(random.Random(plan.seed), plan.ulb_code, plan.wards, plan.zones, plan.current, plan.previous)
    sequence = generator.ward_sequence(plan.properties)
    for start in range(0, plan.properties, CHUNK):
        yield generator.chunk(sequence[start : start + CHUNK])
    yield {"counts": [[dict(generator.counts)]]}


def _produce(plan: _Plan, queue: Any) -> None:
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


def _rows_in_worker(plan: _Plan) -> Iterator[_Rows]:
    """_rows_here run in a helper process, so generating overlaps with writing."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=3)
    worker = context.Process(target=_produce, args=(plan, queue), daemon=True, name="nikay-demo-rows")
    worker.start()
    try:
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
    finally:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.terminate()


_INSERTS = {
    "property": "INSERT INTO property (uuid, ulb_code, property_id, old_id, ward_no, zone_code, address_en, address_hi,"
    " open_land_sqft, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "owner": "INSERT INTO owner (property_uuid, ordinal, name_en, name_hi, relation, mobile, search_key)"
    " VALUES (?,?,?,?,?,?,?)",
    "unit": "INSERT INTO unit (property_uuid, ordinal, floor, area_sqft, construction, usage) VALUES (?,?,?,?,?,?)",
    "return": "INSERT INTO return_filing (property_uuid, fy, filed) VALUES (?,?,?)",
    "demand": "INSERT INTO demand (property_uuid, fy, head, amount_paise, created_at) VALUES (?,?,?,?,?)",
}


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
        raw.execute("PRAGMA cache_size = -131072")
        bulk = BulkIndexing(raw)
        bulk.suspend()
        use_worker = parallel if parallel is not None else _worker_helps(properties)
        counts: dict[str, int] = {}
        for rows in _rows_in_worker(plan) if use_worker else _rows_here(plan):
            if "counts" in rows:
                counts = rows["counts"][0][0]
                continue
            for table, sql in _INSERTS.items():
                raw.executemany(sql, rows[table])
            bulk.add_documents(rows["documents"])
        bulk.index_new()
        optimize_search_index(raw)
        raw.execute("PRAGMA cache_size = -2000")
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
