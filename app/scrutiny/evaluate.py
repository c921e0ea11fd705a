"""Evaluating a rule set against measures: one row per rule, never a silent skip, then the verdict.

Values are compared as the report shows them (rounded to 0.001), so a value exactly on a limit passes
and the engineer can re-check any row by hand. Band edges are [lo, hi): a plot of exactly 250 m² is in
the band that starts at 250.
"""

from __future__ import annotations

import math
from typing import Any

from shapely import MultiLineString, unary_union

from app.scrutiny.dto import DrawingError, Measures, RuleResult, Severity, Status, Verdict
from app.scrutiny.measure import Geometry, Measured
from app.scrutiny.rules import Rule

PLACES = 3
SETBACKS = {"front_m": "front", "rear_m": "rear", "side_m": "sides"}


def _value(measures: Measures, name: str) -> float | None:
    value = getattr(measures, name)
    return None if value is None else float(value)


def _marks(rule: Rule, required: float, geometry: Geometry) -> tuple[str, ...]:
    """The missing setback strip (inside the plot) and the footprint in it; or the footprint for COV."""
    if geometry.plot is None or geometry.footprint is None:
        return ()
    if rule.measure in SETBACKS and required > 0:
        edges = getattr(geometry, SETBACKS[rule.measure])
        lines = [line for run in edges for line in run] if rule.measure == "side_m" else edges
        if not lines:
            return ()
        strip = MultiLineString(lines).buffer(required, cap_style="flat").intersection(geometry.plot)
        intrusion = geometry.footprint.intersection(strip)
        return (strip.wkt, intrusion.wkt)
    if rule.measure in ("coverage_pct", "far"):
        return (geometry.footprint.wkt,)
    return ()


def evaluate_rule(rule: Rule, measured: Measured) -> RuleResult:
    m = measured.measures
    base: dict[str, Any] = {
        "id": rule.id,
        "title": rule.title,
        "title_hi": rule.title_hi,
        "clause": rule.clause,
        "op": rule.op,
        "unit": rule.unit,
    }
    provided = _value(m, rule.measure)
    key = rule.by or rule.per_of
    basis = _value(m, key)
    for name in (rule.measure, key):
        if name in measured.blocked:
            return RuleResult(
                **base, required=None, provided=provided, status=Status.NOT_EVALUATED, note=measured.blocked[name]
            )
    if provided is None:
        why = "no side edges: every plot edge is a front or the rear" if rule.measure == "side_m" else "not measured"
        status = Status.NA if rule.measure in ("side_m", "rear_m") else Status.NOT_EVALUATED
        return RuleResult(**base, required=None, provided=None, status=status, note=why)
    if basis is None:
        return RuleResult(**base, required=None, provided=provided, status=Status.NOT_EVALUATED, note=f"{key} unknown")
    basis = round(basis, PLACES)
    provided = round(provided, PLACES)
    band_text = ""
    if rule.bands:
        band = rule.band_for(basis)
        if band is None:
            note = f"{key} {basis:g} is outside every band of this rule set: check by hand"
            return RuleResult(**base, required=None, provided=provided, status=Status.VERIFY, note=note)
        band_text = band.text(key)
        required = band.value
    else:
        each = rule.per_each
        required = None if each is None else float(math.ceil(round(basis / each, 9)))
        band_text = f"ceil({key} {basis:g} / {each:g})" if each is not None else ""
    if required is None:
        note = f"gap in the rule set: {rule.gap or 'no value'}; check by hand"
        return RuleResult(**base, required=None, provided=provided, status=Status.VERIFY, band=band_text, note=note)
    ok = provided <= required if rule.op == "<=" else provided >= required
    status = Status.PASS if ok else Status.FAIL
    note = ""
    area_based = rule.by == "plot_area_m2" or rule.measure in ("coverage_pct", "far")
    codes = {e.code for e in measured.errors}
    if ok and area_based and "DECLARED_AREA_MISMATCH" in codes:
        status, note = Status.VERIFY, "the declared plot area differs from the drawn one by more than the tolerance"
    if ok and rule.by == "road_width_m" and "ROAD_WIDTH_MISMATCH" in codes:
        status, note = Status.VERIFY, "the declared road width differs from the drawn road"
    marks = () if ok else _marks(rule, required, measured.geometry)
    return RuleResult(
        **base, required=required, provided=provided, status=status, band=band_text, note=note, marks_wkt=marks
    )


def verdict(errors: tuple[DrawingError, ...], rows: tuple[RuleResult, ...]) -> Verdict:
    if any(e.severity == Severity.ERROR for e in errors):
        return Verdict.DRAWING_ERRORS
    if any(r.status == Status.FAIL for r in rows):
        return Verdict.NOT_ACCEPTED
    if any(r.status in (Status.VERIFY, Status.NOT_EVALUATED) for r in rows):
        return Verdict.VERIFY
    return Verdict.ACCEPTED


def outlines(geometry: Geometry) -> dict[str, tuple[str, ...]]:
    shapes: dict[str, tuple[str, ...]] = {}
    if geometry.plot is not None:
        shapes["plot"] = (geometry.plot.wkt,)
    if geometry.footprint is not None:
        shapes["footprint"] = (geometry.footprint.wkt,)
    if geometry.roads:
        shapes["road"] = (unary_union(geometry.roads).wkt,)
    if geometry.front:
        shapes["front_edges"] = (MultiLineString(geometry.front).wkt,)
    return shapes
