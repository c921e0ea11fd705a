"""Rule sets as versioned data (resources/scrutiny/rules/*.toml, format in its README).

Bands are explicit [lo, hi) and checked at load: sorted, contiguous, no overlap. A value "TBD" is a gap
in the rule set (its reason in `gap`): the rule then gives VERIFY, never PASS.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.errors import ValidationError
from app.paths import RESOURCES_DIR
from app.scrutiny.dto import RuleSetRef

RULES_DIR = RESOURCES_DIR / "scrutiny" / "rules"
SCHEMA = "nikay-dcr-ruleset/1"
MEASURES = frozenset({"coverage_pct", "far", "height_m", "front_m", "rear_m", "side_m", "parking_spaces"})
BY = frozenset({"plot_area_m2", "road_width_m", "bua_total_m2"})
META_KEYS = frozenset(
    {"id", "version", "title", "status", "illustrative", "effective_from", "effective_to", "sources", "tolerances"}
)
RULE_KEYS = frozenset(
    {"id", "title", "title_hi", "measure", "op", "unit", "by", "clause", "bands", "per", "gap", "source"}
)


@dataclass(frozen=True)
class Band:
    lo: float
    hi: float  # math.inf for the open top band
    value: float | None  # None = a gap ("TBD")

    def holds(self, x: float) -> bool:
        return self.lo <= x < self.hi

    def text(self, by: str) -> str:
        name = by.removesuffix("_m2").removesuffix("_m").replace("_", " ")
        hi = "∞" if math.isinf(self.hi) else f"{self.hi:g}"
        return f"{self.lo:g} <= {name} < {hi}"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    title_hi: str
    measure: str
    op: str  # "<=" maximum, ">=" minimum
    unit: str
    clause: str
    by: str = ""
    bands: tuple[Band, ...] = ()
    per_of: str = ""  # required = ceil(per_of / per_each)
    per_each: float | None = None
    gap: str = ""

    def band_for(self, x: float) -> Band | None:
        return next((band for band in self.bands if band.holds(x)), None)


@dataclass(frozen=True)
class RuleSet:
    ref: RuleSetRef
    rules: tuple[Rule, ...]
    length_tol_m: float
    declared_area_pct: float
    effective_from: date
    effective_to: date
    path: Path


def _number(value: Any, where: str, allow_tbd: bool = False) -> float | None:
    if allow_tbd and value == "TBD":
        return None
    if value == "inf":
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float):
        alternative = ' or "TBD"' if allow_tbd else ""
        raise ValidationError(f"{where}: {value!r} is not a number{alternative}.")
    return float(value)


def _bands(raw: Any, where: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValidationError(f"{where}: bands must be a non-empty list of [lo, hi, value].")
    bands: list[Band] = []
    for i, row in enumerate(raw):
        if not isinstance(row, list) or len(row) != 3:
            raise ValidationError(f"{where} band {i + 1}: must be [lo, hi, value], got {row!r}.")
        lo = _number(row[0], f"{where} band {i + 1} lo")
        hi = _number(row[1], f"{where} band {i + 1} hi")
        value = _number(row[2], f"{where} band {i + 1} value", allow_tbd=True)
        assert lo is not None and hi is not None
        if not lo < hi:
            raise ValidationError(f"{where} band {i + 1}: lo {lo:g} must be below hi {hi:g}.")
        if bands and lo > bands[-1].hi:
            raise ValidationError(f"{where}: gap between {bands[-1].hi:g} and {lo:g} (bands are [lo, hi)).")
        if bands and lo < bands[-1].hi:
            raise ValidationError(f"{where}: band {i + 1} [{lo:g}, {hi:g}) overlaps the one before it.")
        bands.append(Band(lo, hi, value))
    if bands[0].lo != 0:
        raise ValidationError(f"{where}: the first band must start at 0, not {bands[0].lo:g}.")
    return tuple(bands)


def _rule(raw: Any, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}: must be a table.")
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise ValidationError(f"{where}: unknown keys {sorted(unknown)}.")
    rule_id = str(raw.get("id", ""))
    where = f"{where} ({rule_id or 'no id'})"
    if not re.fullmatch(r"[A-Z][A-Z0-9_-]*", rule_id):
        raise ValidationError(f"{where}: id must be upper-case letters/digits, e.g. COV.")
    measure, op = raw.get("measure"), raw.get("op")
    if measure not in MEASURES:
        raise ValidationError(f"{where}: measure {measure!r} unknown (known: {', '.join(sorted(MEASURES))}).")
    if op not in ("<=", ">="):
        raise ValidationError(f"{where}: op must be '<=' or '>=', not {op!r}.")
    common: dict[str, Any] = {
        "id": rule_id,
        "title": str(raw.get("title", rule_id)),
        "title_hi": str(raw.get("title_hi", "")),
        "measure": str(measure),
        "op": str(op),
        "unit": str(raw.get("unit", "")),
        "clause": str(raw.get("clause", "")),
        "gap": str(raw.get("gap", "")),
    }
    if ("bands" in raw) == ("per" in raw):
        raise ValidationError(f"{where}: give exactly one of `bands` (with `by`) or `per`.")
    if "TBD" in repr(raw.get("bands", "")) + repr(raw.get("per", "")) and not common["gap"]:
        raise ValidationError(f'{where}: a value is "TBD": say why in `gap`.')
    if "per" in raw:
        per = raw["per"]
        if not isinstance(per, dict) or per.get("of") not in BY or set(per) != {"of", "each"}:
            raise ValidationError(f"{where}: per must be {{ of = <{'|'.join(sorted(BY))}>, each = <number> }}.")
        each = _number(per["each"], f"{where} per.each", allow_tbd=True)
        if each is not None and each <= 0:
            raise ValidationError(f"{where}: per.each must be above 0.")
        return Rule(**common, per_of=str(per["of"]), per_each=each)
    by = raw.get("by")
    if by not in BY:
        raise ValidationError(f"{where}: by {by!r} unknown (known: {', '.join(sorted(BY))}).")
    return Rule(**common, by=str(by), bands=_bands(raw["bands"], where))


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    raise ValidationError(f"{where}: must be a TOML date like 2024-12-24, not {value!r}.")


def parse_rule_set(path: Path) -> RuleSet:
    raw_bytes = path.read_bytes()
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(f"{path.name}: not valid TOML: {error}") from error
    if data.get("schema") != SCHEMA:
        raise ValidationError(f"{path.name}: schema must be {SCHEMA!r}.")
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise ValidationError(f"{path.name}: [meta] missing.")
    unknown_meta = set(meta) - META_KEYS
    if unknown_meta:
        raise ValidationError(f"{path.name}: unknown [meta] keys {sorted(unknown_meta)}.")
    unknown_top = set(data) - {"schema", "meta", "rule"}
    if unknown_top:
        raise ValidationError(f"{path.name}: unknown keys {sorted(unknown_top)}.")
    status = meta.get("status")
    if status not in ("draft", "verified"):
        raise ValidationError(f"{path.name}: meta.status must be draft or verified, not {status!r}.")
    start = _as_date(meta.get("effective_from"), f"{path.name} meta.effective_from")
    end = _as_date(meta.get("effective_to", date(9999, 12, 31)), f"{path.name} meta.effective_to")
    if end < start:
        raise ValidationError(f"{path.name}: effective_to {end} is before effective_from {start}.")
    rules = tuple(_rule(r, f"{path.name} rule {i + 1}") for i, r in enumerate(data.get("rule", [])))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ValidationError(f"{path.name}: rule ids repeat: {ids}.")
    tolerances = meta.get("tolerances", {})
    ref = RuleSetRef(
        id=str(meta.get("id", path.stem)),
        version=str(meta.get("version", "")),
        title=str(meta.get("title", "")),
        status=str(status),
        illustrative=bool(meta.get("illustrative", False)),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        effective_from=start.isoformat(),
        effective_to=end.isoformat(),
    )
    return RuleSet(
        ref=ref,
        rules=rules,
        length_tol_m=float(tolerances.get("length_m", 0.02)),
        declared_area_pct=float(tolerances.get("declared_area_pct", 2.0)),
        effective_from=start,
        effective_to=end,
        path=path,
    )


def load_rule_set(rule_set_id: str, on: date, directory: Path | None = None) -> RuleSet:
    """The version of `rule_set_id` in force on `on` (the application date)."""
    folder = directory or RULES_DIR
    versions = [parse_rule_set(p) for p in sorted(folder.glob("*.toml"))]
    named = [v for v in versions if v.ref.id == rule_set_id]
    if not named:
        known = ", ".join(sorted({v.ref.id for v in versions}))
        raise ValidationError(f"Rule set {rule_set_id!r} not found (known: {known}).")
    in_force = [v for v in named if v.effective_from <= on <= v.effective_to]
    if not in_force:
        spans = "; ".join(f"{v.ref.version}: {v.effective_from} to {v.effective_to}" for v in named)
        raise ValidationError(f"Rule set {rule_set_id!r} has no version in force on {on} ({spans}).")
    return max(in_force, key=lambda v: v.effective_from)
