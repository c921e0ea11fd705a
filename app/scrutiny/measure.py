"""Measuring a read plan: outlines -> shapely polygons -> plot, footprints, floors, open spaces, parking.

Drawing errors are collected, never raised: each names the measures it blocks, so every rule that needs
one of them is reported NOT_EVALUATED with the reason (never silently skipped).

Open spaces come from geometry: a plot edge is a front edge when at least half of it lies within the
length tolerance of a ROAD polygon; the rear is the edges facing away from the longest front; the sides
are the rest. Open space = minimum distance from the footprints to that edge set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from shapely import LineString, MultiLineString, Polygon, unary_union
from shapely.validation import explain_validity

from app.scrutiny.convention import Convention
from app.scrutiny.dto import DrawingError, Measures, Severity
from app.scrutiny.reader import Outline, RawPlan

OPPOSITE_COS = -0.7  # an edge faces away from the front when its normal is within ~45° of the reverse


@dataclass
class Geometry:
    """What evaluation needs beyond the numbers: shapes for marks (metres)."""

    plot: Any = None  # shapely Polygon
    footprint: Any = None  # union of all footprints
    front: list[Any] = field(default_factory=list)  # LineStrings
    rear: list[Any] = field(default_factory=list)
    sides: list[list[Any]] = field(default_factory=list)  # runs of side edges
    roads: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Measured:
    measures: Measures
    errors: tuple[DrawingError, ...]
    blocked: dict[str, str]  # measure name -> why it could not be measured
    geometry: Geometry


def _loc(point: tuple[float, float] | None) -> tuple[float, float] | None:
    return None if point is None else (round(point[0], 3), round(point[1], 3))


def _polygon(outline: Outline, tol: float, errors: list[DrawingError], what: str) -> Any:
    points = list(outline.points)
    first = points[0] if points else None
    if not outline.closed:
        if len(points) >= 4 and math.dist(points[0], points[-1]) <= tol:
            points = points[:-1]  # snap the end onto the start
            errors.append(
                DrawingError(
                    "NOT_CLOSED_FLAG",
                    Severity.WARNING,
                    f"{what} ends where it starts but its polyline is not marked closed; read as closed.",
                    outline.layer,
                    _loc(first),
                    outline.handle,
                )
            )
        else:
            errors.append(
                DrawingError(
                    "NOT_CLOSED",
                    Severity.ERROR,
                    f"{what} is not closed: close the polyline (gap larger than {tol * 1000:.0f} mm).",
                    outline.layer,
                    _loc(first),
                    outline.handle,
                )
            )
            return None
    if len(points) < 3:
        errors.append(
            DrawingError(
                "TOO_FEW_POINTS", Severity.ERROR, f"{what} has fewer than 3 points.", outline.layer, _loc(first)
            )
        )
        return None
    polygon = Polygon(points)
    if not polygon.is_valid or polygon.area <= 0:
        reason = explain_validity(polygon)
        where = re.search(r"\[([-\d.e]+) ([-\d.e]+)\]", reason)
        at = (float(where.group(1)), float(where.group(2))) if where else first
        errors.append(
            DrawingError(
                "INVALID_POLYGON",
                Severity.ERROR,
                f"{what} is not a simple outline ({reason}); redraw it without crossing edges.",
                outline.layer,
                _loc(at),
                outline.handle,
            )
        )
        return None
    return polygon


def _info(plan: RawPlan, convention: Convention) -> dict[str, str]:
    values: dict[str, str] = {}
    for note in plan.notes:
        match = convention.classify(note.layer)
        if match is None or match.concept != "plan_info":
            continue
        for line in re.split(r"[\r\n;]+|\\P", note.text):
            key, sep, value = line.partition("=")
            if sep:
                values.setdefault(key.strip().upper(), value.strip())
    return values


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").split()[0])
    except (ValueError, IndexError):
        return None
    return value if math.isfinite(value) else None


def _short_side(polygon: Any) -> float:
    corners = list(polygon.minimum_rotated_rectangle.exterior.coords)
    return float(min(math.dist(corners[0], corners[1]), math.dist(corners[1], corners[2])))


def _edges(plot: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    ring = plot.exterior
    if not ring.is_ccw:
        ring = LineString(list(ring.coords)[::-1])
    coords = list(ring.coords)
    return [(coords[i], coords[i + 1]) for i in range(len(coords) - 1) if coords[i] != coords[i + 1]]


def _normal(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    return (dy / length, -dx / length)  # outward for a counter-clockwise ring


def _classify_edges(plot: Any, roads: list[Any], tol: float, geometry: Geometry) -> None:
    edges = _edges(plot)
    near_road = unary_union([road.buffer(tol) for road in roads])
    kinds: list[str] = []
    for a, b in edges:
        line = LineString([a, b])
        kinds.append("front" if line.intersection(near_road).length >= 0.5 * line.length else "")
    fronts = [i for i, kind in enumerate(kinds) if kind == "front"]
    if not fronts:
        return
    # The rear faces away from the principal front: the common direction when all fronts face one way,
    # else (a corner plot) the longest front edge.
    normals = {(round(_normal(*edges[i])[0], 1), round(_normal(*edges[i])[1], 1)) for i in fronts}
    nx = sum(_normal(*edges[i])[0] * math.dist(*edges[i]) for i in fronts)
    ny = sum(_normal(*edges[i])[1] * math.dist(*edges[i]) for i in fronts)
    if len(normals) == 1 and math.hypot(nx, ny) > 0:
        main = (nx / math.hypot(nx, ny), ny / math.hypot(nx, ny))
    else:
        main = _normal(*edges[max(fronts, key=lambda i: math.dist(*edges[i]))])
    for i, (a, b) in enumerate(edges):
        if kinds[i]:
            continue
        n = _normal(a, b)
        kinds[i] = "rear" if n[0] * main[0] + n[1] * main[1] <= OPPOSITE_COS else "side"
    geometry.front = [LineString(edges[i]) for i in fronts]
    geometry.rear = [LineString(edges[i]) for i, k in enumerate(kinds) if k == "rear"]
    # Sides: runs of consecutive side edges (around the ring) count as one side each.
    start = next((i for i, k in enumerate(kinds) if k != "side"), 0)
    runs: list[list[Any]] = []
    current: list[Any] = []
    for step in range(len(edges)):
        i = (start + step) % len(edges)
        if kinds[i] == "side":
            current.append(LineString(edges[i]))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    geometry.sides = runs


def measure(plan: RawPlan, convention: Convention, tol: float, declared_area_pct: float) -> Measured:
    errors: list[DrawingError] = []
    blocked: dict[str, str] = {}
    geometry = Geometry()
    groups: dict[str, list[tuple[Outline, int | None, int | None]]] = {
        c: [] for c in ("plot", "road", "footprint", "floor", "parking")
    }
    for outline in plan.outlines:
        match = convention.classify(outline.layer)
        if match is not None and match.concept in groups:
            groups[match.concept].append((outline, match.block, match.floor))

    def block(names: tuple[str, ...], reason: str) -> None:
        for name in names:
            blocked.setdefault(name, reason)

    # Plot: exactly one closed polyline.
    plot = None
    plots = groups["plot"]
    if len(plots) != 1:
        errors.append(
            DrawingError(
                "PLOT_COUNT",
                Severity.ERROR,
                f"The plot boundary layer must hold exactly one closed polyline; found {len(plots)}.",
                plots[0][0].layer if plots else "PLOT_BOUNDARY",
            )
        )
    else:
        plot = _polygon(plots[0][0], tol, errors, "The plot boundary")
    every = ("plot_area_m2", "coverage_pct", "far", "front_m", "rear_m", "side_m", "height_m", "parking_spaces")
    if plot is None:
        code = errors[-1].code if errors else "PLOT_COUNT"
        block(
            every[:6], f"the plot boundary is not usable ({code} on {plots[0][0].layer if plots else 'PLOT_BOUNDARY'})"
        )
        plot_area = None
    else:
        geometry.plot = plot
        plot_area = plot.area

    # Footprints per block.
    footprint_by_block: dict[int, list[Any]] = {}
    for outline, blk, _ in groups["footprint"]:
        polygon = _polygon(outline, tol, errors, f"The footprint of block {blk}")
        if polygon is None:
            block(("coverage_pct", "front_m", "rear_m", "side_m"), f"the footprint of block {blk} is not usable")
            continue
        footprint_by_block.setdefault(blk or 0, []).append(polygon)
    if not groups["footprint"]:
        errors.append(
            DrawingError(
                "NO_FOOTPRINT",
                Severity.ERROR,
                "No building footprint found (layer BLK_1_FOOTPRINT).",
                "BLK_1_FOOTPRINT",
            )
        )
        block(("coverage_pct", "front_m", "rear_m", "side_m"), "no footprint drawn")
    footprints = {b: unary_union(p) for b, p in sorted(footprint_by_block.items())}
    footprint = unary_union(list(footprints.values())) if footprints else None
    if plot is not None and footprint is not None:
        outside = footprint.difference(plot.buffer(tol))
        if not outside.is_empty:
            at = outside.representative_point()
            errors.append(
                DrawingError(
                    "OUTSIDE_PLOT",
                    Severity.ERROR,
                    f"{footprint.difference(plot).area:.2f} m² of the footprint lies outside the plot boundary.",
                    groups["footprint"][0][0].layer,
                    _loc((at.x, at.y)),
                )
            )
            block(("coverage_pct", "front_m", "rear_m", "side_m"), "the footprint lies partly outside the plot")
    geometry.footprint = footprint

    # Floors: built-up area per block and floor.
    floor_polys: dict[tuple[int, int], list[Any]] = {}
    for outline, blk, flr in groups["floor"]:
        polygon = _polygon(outline, tol, errors, f"The built-up area of block {blk} floor {flr}")
        if polygon is None:
            block(("far", "parking_spaces"), f"the built-up area of block {blk} floor {flr} is not usable")
            continue
        floor_polys.setdefault((blk or 0, flr or 0), []).append(polygon)
    if not groups["floor"]:
        errors.append(
            DrawingError(
                "NO_BUA", Severity.ERROR, "No built-up area found (layers BLK_n_FLR_k_BUA).", "BLK_1_FLR_0_BUA"
            )
        )
        block(("far", "parking_spaces"), "no built-up area drawn")
    if plot is not None:
        for (blk, flr), polygons in sorted(floor_polys.items()):
            outside_area = unary_union(polygons).difference(plot.buffer(tol)).area
            if outside_area > 0:
                layer = next(o.layer for o, b, f in groups["floor"] if (b or 0, f or 0) == (blk, flr))
                errors.append(
                    DrawingError(
                        "OUTSIDE_PLOT",
                        Severity.ERROR,
                        f"{outside_area:.2f} m² of the built-up area of block {blk} floor {flr} lies outside the plot.",
                        layer,
                    )
                )
                block(("far", "parking_spaces"), f"the built-up area of block {blk} floor {flr} lies outside the plot")
    bua = tuple((b, f, unary_union(p).area) for (b, f), p in sorted(floor_polys.items()))
    bua_total = sum(a for _, _, a in bua) if bua else None

    # Roads and the edges of the plot they touch.
    for outline, _, _ in groups["road"]:
        polygon = _polygon(outline, tol, errors, "A road outline")
        if polygon is not None:
            geometry.roads.append(polygon)
    if not geometry.roads:
        errors.append(
            DrawingError(
                "NO_ROAD",
                Severity.ERROR,
                "No closed road outline found: draw the abutting road(s) on layer ROAD.",
                "ROAD",
            )
        )
        block(("front_m", "rear_m", "side_m"), "no road drawn, so the front of the plot is unknown")
    elif plot is not None:
        _classify_edges(plot, geometry.roads, tol, geometry)
        if not geometry.front:
            errors.append(
                DrawingError(
                    "NO_FRONT",
                    Severity.ERROR,
                    "No plot edge abuts a road: the road must touch the plot boundary.",
                    "ROAD",
                )
            )
            block(("front_m", "rear_m", "side_m"), "no plot edge abuts a road")

    front = rear = side = None
    sides: tuple[float, ...] = ()
    if footprint is not None and geometry.front and "front_m" not in blocked:
        front = footprint.distance(MultiLineString(geometry.front))
        rear = footprint.distance(MultiLineString(geometry.rear)) if geometry.rear else None
        sides = tuple(footprint.distance(MultiLineString(run)) for run in geometry.sides)
        side = min(sides) if sides else None

    # Parking: one closed polyline per car space.
    spaces = 0
    for outline, _, _ in groups["parking"]:
        stall = _polygon(outline, tol, errors, "A parking space")
        if stall is None:
            block(("parking_spaces",), "a parking space outline is not usable")
        elif plot is not None and not plot.buffer(tol).contains(stall):
            at = stall.representative_point()
            message = "A parking space lies outside the plot and is not counted."
            errors.append(
                DrawingError("PARKING_OUTSIDE_PLOT", Severity.WARNING, message, outline.layer, _loc((at.x, at.y)))
            )
        else:
            spaces += 1

    # Declared data.
    info = _info(plan, convention)

    def declared(concept: str) -> str | None:
        return next((info[k] for k in convention.keys_for(concept) if k in info), None)

    def declared_number(concept: str, measures: tuple[str, ...]) -> float | None:
        text = declared(concept)
        keys = "/".join(convention.keys_for(concept))
        value = _number(text) if text is not None else None
        if value is None:
            said = "is missing" if text is None else f"is not a number ({text!r})"
            errors.append(DrawingError("MISSING_INFO", Severity.ERROR, f"PLAN_INFO {keys} {said}.", "PLAN_INFO"))
            block(measures, f"PLAN_INFO {keys} {said}")
        return value

    height = declared_number("height_m", ("height_m",))
    road_width = declared_number("road_width_m", ("road_width_m",))
    declared_area_text = declared("plot_area_m2")
    declared_area = _number(declared_area_text) if declared_area_text is not None else None
    if plot_area is not None and declared_area is not None and plot_area > 0:
        off = abs(declared_area - plot_area) / plot_area * 100
        if off > declared_area_pct:
            errors.append(
                DrawingError(
                    "DECLARED_AREA_MISMATCH",
                    Severity.WARNING,
                    f"Declared plot area {declared_area:g} m² differs from the drawn {plot_area:.2f} m² by {off:.1f} % "
                    f"(more than {declared_area_pct:g} %): verify.",
                    "PLAN_INFO",
                )
            )
    # Geometry beats declarations: the drawn width of the widest road touching a front edge.
    road_drawn = None
    if geometry.front:
        fronts = MultiLineString(geometry.front).buffer(tol)
        widths = [_short_side(road) for road in geometry.roads if road.intersects(fronts)]
        road_drawn = max(widths) if widths else None
    if road_drawn is not None and road_width is not None and abs(road_drawn - road_width) > max(0.1, tol):
        errors.append(
            DrawingError(
                "ROAD_WIDTH_MISMATCH",
                Severity.WARNING,
                f"Declared road width {road_width:g} m differs from the drawn {road_drawn:.2f} m: verify.",
                "PLAN_INFO",
            )
        )
    floors_text = declared("floors")
    floors = (
        int(floors_value) if floors_text is not None and (floors_value := _number(floors_text)) is not None else None
    )

    footprint_total = footprint.area if footprint is not None else None
    measures = Measures(
        plot_area_m2=plot_area,
        declared_plot_area_m2=declared_area,
        footprint_m2=tuple((b, p.area) for b, p in footprints.items()),
        footprint_total_m2=footprint_total,
        coverage_pct=footprint_total / plot_area * 100 if footprint_total is not None and plot_area else None,
        bua_m2=bua,
        bua_total_m2=bua_total,
        far=bua_total / plot_area if bua_total is not None and plot_area else None,
        front_m=front,
        rear_m=rear,
        side_m=side,
        sides_m=sides,
        height_m=height,
        road_width_m=road_width,
        parking_spaces=spaces,
        occupancy=(declared("occupancy") or "").upper(),
        floors=floors,
        front_edges=len(geometry.front),
        road_width_drawn_m=road_drawn,
    )
    return Measured(measures, tuple(errors), blocked, geometry)
