"""The scrutiny contract: plain frozen dataclasses that cross layers (PDF, screens, CLI, JSON).

Lengths are metres and areas square metres, in the drawing's own coordinate frame after scaling by
`ScrutinyReport.unit_factor` (drawing units -> metres); divide by it to draw on the original DXF.
Geometry for marking a plan (the missing setback strip, the excess footprint) travels as WKT text so
this module does not depend on shapely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    VERIFY = "VERIFY"  # passes on the drawing but a declared value disagrees: the engineer must check
    NA = "NA"  # the rule does not apply to this plan (reason in `note`)
    NOT_EVALUATED = "NOT_EVALUATED"  # a drawing error stops the measure it needs (named in `note`)


class Verdict(StrEnum):
    ACCEPTED = "ACCEPTED"  # every rule PASS or NA, no drawing error
    NOT_ACCEPTED = "NOT_ACCEPTED"  # no blocking drawing error, at least one rule FAIL
    DRAWING_ERRORS = "DRAWING_ERRORS"  # at least one drawing error of severity "error"
    VERIFY = "VERIFY"  # nothing fails, but a row needs the engineer's check (e.g. declared area off by > 2 %)


class Severity(StrEnum):
    ERROR = "error"  # blocks the measures that depend on it: their rules are NOT_EVALUATED
    WARNING = "warning"  # read anyway (e.g. unitless drawing read as metres); never blocks a rule


@dataclass(frozen=True)
class DrawingError:
    code: str  # stable, e.g. NOT_CLOSED, PLOT_COUNT, INVALID_POLYGON, OUTSIDE_PLOT, MISSING_INFO
    severity: Severity
    message: str  # plain language: what is wrong and how to fix it
    layer: str = ""
    location: tuple[float, float] | None = None  # a point (metres) to show on the plan
    handle: str = ""  # DXF entity handle, when one entity is at fault


@dataclass(frozen=True)
class Measures:
    plot_area_m2: float | None = None
    declared_plot_area_m2: float | None = None
    footprint_m2: tuple[tuple[int, float], ...] = ()  # (block, area) sorted by block
    footprint_total_m2: float | None = None  # area of the union of all footprints
    coverage_pct: float | None = None
    bua_m2: tuple[tuple[int, int, float], ...] = ()  # (block, floor, area); floor 0 = ground
    bua_total_m2: float | None = None
    far: float | None = None
    front_m: float | None = None  # min distance footprint -> front edge(s) (those abutting a ROAD)
    rear_m: float | None = None
    side_m: float | None = None  # the smaller of the sides
    sides_m: tuple[float, ...] = ()  # each side edge group, as measured
    height_m: float | None = None  # PLAN_INFO HEIGHT_M
    road_width_m: float | None = None  # PLAN_INFO ROAD_WIDTH_M
    parking_spaces: int | None = None  # closed PARKING polylines
    occupancy: str = ""
    floors: int | None = None
    front_edges: int = 0  # how many plot edges abut a road (2 on a corner plot)
    road_width_drawn_m: float | None = None  # the widest abutting ROAD polygon's short side, as drawn


@dataclass(frozen=True)
class RuleResult:
    id: str  # COV, FAR, HT, FRONT, REAR, SIDE, PARK
    title: str
    required: float | None  # the limit from the band chosen
    provided: float | None  # the measured value
    status: Status
    clause: str = ""
    title_hi: str = ""
    op: str = ""  # "<=" (a maximum) or ">=" (a minimum)
    unit: str = ""  # "%", "", "m", "spaces"
    band: str = ""  # e.g. "7.5 <= road width < 18"
    note: str = ""  # why NA / NOT_EVALUATED / VERIFY
    marks_wkt: tuple[str, ...] = ()  # geometry to highlight on the plan, metres


@dataclass(frozen=True)
class RuleSetRef:
    id: str
    version: str
    title: str
    status: str  # draft | verified
    illustrative: bool
    sha256: str
    effective_from: str
    effective_to: str


@dataclass(frozen=True)
class ScrutinyReport:
    measures: Measures
    drawing_errors: tuple[DrawingError, ...]
    rules: tuple[RuleResult, ...]
    verdict: Verdict
    rule_set: RuleSetRef
    convention: str
    warnings: tuple[str, ...] = ()
    source_sha256: str = ""
    unit: str = "m"  # the drawing unit as read
    unit_factor: float = 1.0  # drawing units -> metres
    application_date: str = ""
    # Outlines for drawing the plan with its violations (metres, WKT): plot, footprints, roads.
    outlines_wkt: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def rule(self, rule_id: str) -> RuleResult:
        for row in self.rules:
            if row.id == rule_id:
                return row
        raise KeyError(rule_id)


def _num(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def report_to_dict(report: ScrutinyReport) -> dict[str, Any]:
    """The JSON shape of issue 6 item 6 (plus provenance); keys stable, numbers rounded to mm / 0.001."""
    m = report.measures
    return {
        "measures": {
            "plot_area_m2": _num(m.plot_area_m2),
            "declared_plot_area_m2": _num(m.declared_plot_area_m2),
            "footprint_m2": {str(block): _num(area) for block, area in m.footprint_m2},
            "footprint_total_m2": _num(m.footprint_total_m2),
            "coverage_pct": _num(m.coverage_pct),
            "bua_m2": {f"{block}/{floor}": _num(area) for block, floor, area in m.bua_m2},
            "bua_total_m2": _num(m.bua_total_m2),
            "far": _num(m.far),
            "front_m": _num(m.front_m),
            "rear_m": _num(m.rear_m),
            "side_m": _num(m.side_m),
            "sides_m": [_num(s) for s in m.sides_m],
            "height_m": _num(m.height_m),
            "road_width_m": _num(m.road_width_m),
            "parking_spaces": m.parking_spaces,
            "occupancy": m.occupancy,
            "floors": m.floors,
            "front_edges": m.front_edges,
            "road_width_drawn_m": _num(m.road_width_drawn_m),
        },
        "drawing_errors": [
            {
                "code": e.code,
                "severity": str(e.severity),
                "message": e.message,
                "layer": e.layer,
                "location": list(e.location) if e.location else None,
            }
            for e in report.drawing_errors
        ],
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "required": r.required,
                "provided": _num(r.provided),
                "status": str(r.status),
                "clause": r.clause,
                "op": r.op,
                "unit": r.unit,
                "band": r.band,
                "note": r.note,
            }
            for r in report.rules
        ],
        "verdict": str(report.verdict),
        "rule_set": {
            "id": report.rule_set.id,
            "version": report.rule_set.version,
            "status": report.rule_set.status,
            "illustrative": report.rule_set.illustrative,
            "sha256": report.rule_set.sha256,
        },
        "convention": report.convention,
        "warnings": list(report.warnings),
        "unit": report.unit,
        "source_sha256": report.source_sha256,
        "application_date": report.application_date,
    }
