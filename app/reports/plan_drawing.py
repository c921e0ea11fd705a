"""A DXF plan drawn to a PNG with ezdxf's drawing add-on (Matplotlib, Agg, no window), with each
violation marked on it in red and labelled.

Qt-free: the Matplotlib backend renders off-screen into memory. The plan is drawn in black on white
(colour in a CAD file means nothing to a reader of the report); marks are filled translucent red with
a solid red outline, so the plan under them stays readable. Marks come in metres (the engine measures
in metres) and are scaled back to drawing units here, because the add-on draws in drawing units.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot anywhere: never a GUI backend in app/

from ezdxf import bbox, recover
from ezdxf.addons.drawing.backend import BkPath2d, BkPoints2d
from ezdxf.addons.drawing.config import BackgroundPolicy, ColorPolicy, Configuration
from ezdxf.addons.drawing.frontend import Frontend
from ezdxf.addons.drawing.matplotlib import SCATTER_POINT_SIZE, MatplotlibBackend
from ezdxf.addons.drawing.properties import BackendProperties, RenderContext
from ezdxf.document import Drawing
from ezdxf.entities.dxfgfx import DXFGraphic
from ezdxf.lldxf.const import DXFError
from ezdxf.math import BoundingBox2d, Vec2
from ezdxf.npshapes import to_matplotlib_path
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch
from shapely.geometry import LineString, Polygon, box
from shapely.ops import unary_union

MARK_RED = (0.86, 0.08, 0.08)
GUIDE_AMBER = (0.93, 0.6, 0.0)  # the required open space: context for a red mark, never red itself
_FILL_ALPHA = 0.35


@dataclass(frozen=True, slots=True)
class PlanMark:
    """One thing to show on the plan: a rule id or drawing-error code as its label (none when empty),
    and the area (polygons, each a ring of (x, y) in metres; a one-point ring is a location) it concerns.
    `outline_only` draws the outline in red, unfilled; `guide` a dashed amber outline (the required
    open space around a red intrusion). `of` names the rule id or drawing-error code it shows, so a
    screen can highlight the marks of the row clicked."""

    label: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    outline_only: bool = False
    guide: bool = False
    of: str = ""


def _ring_area(ring: Sequence[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True))) / 2


def _ring_centre(ring: Sequence[tuple[float, float]]) -> tuple[float, float]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


class _BatchingBackend(MatplotlibBackend):
    """ezdxf's Matplotlib backend adds one artist per line and per path, and Matplotlib slows to a
    crawl past a few thousand (a 50,000-entity plan took 87 s, most of it in text, which arrives as
    filled paths). Here lines, outline paths, filled paths (text, solid hatches), filled polygons and
    points are collected and added as one collection each by `flush()`. Drawing order among them is
    lost, which a black-on-white plan does not show."""

    def __init__(self, axes: Any) -> None:
        super().__init__(axes, adjust_figure=False)
        self._segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
        self._segment_widths: list[float] = []
        self._segment_colours: list[str] = []
        self._paths: list[Any] = []
        self._path_widths: list[float] = []
        self._path_colours: list[str] = []
        self._fills: list[Any] = []
        self._fill_colours: list[str] = []
        self._polygons: list[list[tuple[float, float]]] = []
        self._polygon_colours: list[str] = []
        self._points: list[tuple[float, float]] = []
        self._point_colours: list[str] = []

    def draw_point(self, pos: Vec2, properties: BackendProperties) -> None:
        self._points.append((pos.x, pos.y))
        self._point_colours.append(properties.color)

    def draw_line(self, start: Vec2, end: Vec2, properties: BackendProperties) -> None:
        if start.isclose(end):
            self.draw_point(start, properties)
            return
        self._segments.append(((start.x, start.y), (end.x, end.y)))
        self._segment_widths.append(self.get_lineweight(properties))
        self._segment_colours.append(properties.color)

    def draw_solid_lines(self, lines: Iterable[tuple[Vec2, Vec2]], properties: BackendProperties) -> None:
        for start, end in lines:  # hatch pattern lines: the stock backend adds a scatter per hatch
            self.draw_line(start, end, properties)

    def draw_filled_polygon(self, points: BkPoints2d, properties: BackendProperties) -> None:
        self._polygons.append([(p.x, p.y) for p in points.vertices()])
        self._polygon_colours.append(properties.color)

    def draw_path(self, path: BkPath2d, properties: BackendProperties) -> None:
        self._paths.append(to_matplotlib_path([path]))
        self._path_widths.append(self.get_lineweight(properties))
        self._path_colours.append(properties.color)

    def draw_filled_paths(self, paths: Iterable[BkPath2d], properties: BackendProperties) -> None:
        try:
            self._fills.append(to_matplotlib_path(paths, detect_holes=True))
        except ValueError:  # as the stock backend: a degenerate path is left out, never fatal
            return
        self._fill_colours.append(properties.color)

    def flush(self) -> None:
        if self._segments:
            self.ax.add_collection(
                LineCollection(
                    self._segments, linewidths=self._segment_widths, colors=self._segment_colours, capstyle="butt"
                )
            )
        if self._paths:
            self.ax.add_collection(
                PathCollection(
                    self._paths, facecolors="none", edgecolors=self._path_colours, linewidths=self._path_widths
                )
            )
        if self._fills:
            self.ax.add_collection(
                PathCollection(self._fills, facecolors=self._fill_colours, edgecolors="none", linewidths=0)
            )
        if self._polygons:
            self.ax.add_collection(
                PolyCollection(self._polygons, facecolors=self._polygon_colours, edgecolors="none", linewidths=0)
            )
        if self._points:
            xs, ys = zip(*self._points, strict=True)
            self.ax.scatter(xs, ys, s=SCATTER_POINT_SIZE, c=self._point_colours)
        self._segments, self._paths, self._fills, self._polygons, self._points = [], [], [], [], []


def _in_view(focus: tuple[float, float, float, float] | None, scale: float) -> Callable[[DXFGraphic], bool] | None:
    """A filter that skips entities wholly outside the view: the floor plans, sections and notes an
    architect draws beside the site plan cost time to draw and would be cut off anyway."""
    if focus is None:
        return None
    x0, y0, x1, y1 = (value * scale for value in focus)
    margin = max(x1 - x0, y1 - y0)  # generous: the view's own padding is smaller
    view = BoundingBox2d([(x0 - margin, y0 - margin), (x1 + margin, y1 + margin)])

    def visible(entity: DXFGraphic) -> bool:
        box = bbox.extents([entity], fast=True)
        if not box.has_data:
            return True
        return view.has_overlap(BoundingBox2d([box.extmin.vec2, box.extmax.vec2]))

    return visible


def render_plan_png(
    doc: Drawing,
    marks: Sequence[PlanMark] = (),
    *,
    metres_per_unit: float = 1.0,
    focus: tuple[float, float, float, float] | None = None,
    width_in: float = 7.0,
    max_height_in: float = 9.0,
    dpi: int = 200,
) -> bytes:
    """The model space of `doc` as a PNG with `marks` over it. `metres_per_unit` is the drawing's unit
    factor ($INSUNITS), used to put the metre-valued marks back into drawing coordinates. `focus`
    (min x, min y, max x, max y in metres) is the part to show, with a margin around it: the plot and
    what is marked, not the notes and title blocks an architect draws beside it. The image is
    `width_in` wide and as tall as the view needs, up to `max_height_in`."""
    figure = Figure(figsize=(width_in, width_in), dpi=dpi)
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.98))
    axes.set_axis_off()
    config = Configuration(background_policy=BackgroundPolicy.WHITE, color_policy=ColorPolicy.BLACK)
    scale = 1.0 / metres_per_unit if metres_per_unit > 0 else 1.0
    backend = _BatchingBackend(axes)
    frontend = Frontend(RenderContext(doc), backend, config=config)
    frontend.draw_layout(doc.modelspace(), finalize=False, filter_func=_in_view(focus, scale))
    backend.flush()
    axes.autoscale(True)
    axes.autoscale_view()
    for mark in marks:
        for ring in mark.rings:
            if len(ring) == 1:  # a location (a drawing error): a ring marker
                ((x, y),) = ring
                axes.plot(
                    [x * scale],
                    [y * scale],
                    marker="o",
                    markersize=14,
                    markerfacecolor="none",
                    markeredgecolor=MARK_RED,
                    markeredgewidth=2.2,
                )
                continue
            points = [(x * scale, y * scale) for x, y in ring]
            if mark.guide:
                patch = PolygonPatch(
                    points, closed=True, fill=False, edgecolor=GUIDE_AMBER, linewidth=1.4, linestyle=(0, (4, 2))
                )
            elif mark.outline_only:
                patch = PolygonPatch(points, closed=True, fill=False, edgecolor=MARK_RED, linewidth=2.4)
            else:
                patch = PolygonPatch(
                    points,
                    closed=True,
                    facecolor=(*MARK_RED, _FILL_ALPHA),
                    edgecolor=MARK_RED,
                    linewidth=1.2,
                    hatch="///",
                )
            axes.add_patch(patch)
        if mark.rings and mark.label:
            biggest = max(mark.rings, key=lambda ring: (len(ring) > 1, _ring_area(ring)))
            ring_points = [(x * scale, y * scale) for x, y in biggest]
            if len(ring_points) >= 3:  # inside the area even when it is an L (a corner plot's fronts)
                inner = Polygon(ring_points).buffer(0).representative_point()
                cx, cy = float(inner.x), float(inner.y)
            else:
                cx, cy = _ring_centre(ring_points)
            if mark.outline_only or len(ring_points) == 1:
                # An outline's label sits on its top edge, clear of the labels of areas inside it.
                cy = max(y for _, y in ring_points)
            axes.annotate(
                mark.label,
                (cx, cy),
                color="white",
                fontsize=9,
                fontweight="bold",
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.25", "facecolor": MARK_RED, "edgecolor": "none"},
            )
    if focus is not None:
        x0, y0, x1, y1 = (value * scale for value in focus)
        pad = 0.12 * max(x1 - x0, y1 - y0, 1e-9)
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        axes.set_xlim(x0, x1)
        axes.set_ylim(y0, y1)
    else:
        axes.autoscale_view()
        (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    aspect = (y1 - y0) / (x1 - x0) if x1 > x0 else 1.0
    figure.set_size_inches(width_in, min(max(width_in * aspect, 2.5), max_height_in))
    axes.set_aspect("equal", adjustable="box")
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


# --- marks from geometry (shapely, metres) ---------------------------------------------------------

Ring = tuple[tuple[float, float], ...]


def rings_of(geometry: Any) -> tuple[Ring, ...]:
    """The outer rings of a shapely (Multi)Polygon or GeometryCollection; empty for anything else."""
    if geometry is None or geometry.is_empty:
        return ()
    if geometry.geom_type == "Polygon":
        return (tuple((float(x), float(y)) for x, y, *_ in geometry.exterior.coords),)
    if hasattr(geometry, "geoms"):
        return tuple(ring for part in geometry.geoms for ring in rings_of(part))
    return ()


def required_band(plot: Any, edges: Sequence[Any], required_m: float) -> Any:
    """The required open space: the band `required_m` deep inside the plot along `edges` (LineStrings
    of its front, rear or side edges)."""
    if required_m <= 0 or not edges:
        return Polygon()
    band = unary_union([LineString(edge.coords).buffer(required_m, cap_style="flat") for edge in edges])
    return band.intersection(plot)


def setback_strip(plot: Any, footprint: Any, edges: Sequence[Any], required_m: float) -> Any:
    """The part of the building standing in the required open space along `edges`: footprint ∩ that
    band. For a rectangle set back 2.4 m where 3.0 m is required it is the 0.6 m strip between them."""
    return footprint.intersection(required_band(plot, edges, required_m))


def excess_footprint(footprint: Any, allowed_area: float) -> Any:
    """The footprint area above `allowed_area`, shown as the band at the far (top, +y) end of the
    footprint that holds exactly that much area; empty when the footprint is within the limit."""
    excess = footprint.area - allowed_area
    if excess <= 1e-9 or footprint.is_empty:
        return Polygon()
    minx, miny, maxx, maxy = footprint.bounds
    low, high = 0.0, maxy - miny
    for _ in range(50):  # bisection on the band depth: area grows monotonically with it
        depth = (low + high) / 2
        if footprint.intersection(box(minx, maxy - depth, maxx, maxy)).area < excess:
            low = depth
        else:
            high = depth
    return footprint.intersection(box(minx, maxy - high, maxx, maxy))


def area_mark(label: str, geometry: Any, of: str = "") -> PlanMark | None:
    rings = rings_of(geometry)
    return PlanMark(label, rings, of=of or label) if rings else None


def guide_mark(geometry: Any, of: str = "") -> PlanMark | None:
    rings = rings_of(geometry)
    return PlanMark("", rings, guide=True, of=of) if rings else None


def outline_mark(label: str, geometry: Any, of: str = "") -> PlanMark | None:
    rings = rings_of(geometry)
    return PlanMark(label, rings, outline_only=True, of=of or label) if rings else None


def point_mark(label: str, x: float, y: float) -> PlanMark:
    return PlanMark(label, (((x, y),),), of=label)


def read_drawing(path: Path) -> Drawing | None:
    """The DXF for drawing the plan, read in recover mode as the engine reads it; None when it cannot
    be read (the report then says so instead of showing the plan)."""
    try:
        doc, _auditor = recover.readfile(str(path))
    except (DXFError, OSError, ValueError, UnicodeDecodeError, IndexError, KeyError):
        return None
    return doc
