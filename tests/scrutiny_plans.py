"""Building plans for the scrutiny tests, drawn with ezdxf (issue 6 item 8; scrutiny-research §6.4).

`write_plan(path, Plan(...))` draws a plot W x D with the road along its front (y < 0) edge, the
footprint(s), one BUA outline per floor (the footprint's outline), parking stalls (2.5 x 5 m, inside the
ground floor: stilt parking) and PLAN_INFO MTEXT. Fields switch on the awkward cases: open plot, other
units, a footprint inside a block, arcs, an irregular plot, two blocks, a corner plot, a self-intersecting
footprint, a footprint outside the plot, eDCR layer names. Shared with the PDF and screen tests.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import ezdxf

Point = tuple[float, float]

DEFAULT_LAYERS = {
    "plot": "PLOT_BOUNDARY",
    "road": "ROAD",
    "footprint": "BLK_{b}_FOOTPRINT",
    "floor": "BLK_{b}_FLR_{f}_BUA",
    "parking": "PARKING",
    "info": "PLAN_INFO",
}
EDCR_LAYERS = {
    "plot": "PLOT_BOUNDARY",
    "road": "NOTIFIED_ROAD",
    "footprint": "BLK_{b}_LVL_0_BLDG_FOOT_PRINT",
    "floor": "BLK_{b}_FLR_{f}_BLT_UP_AREA",
    "parking": "PARKING_SLOT",
    "info": "PLAN_INFO",
}
UNITS = {
    "m": (6, 1.0),
    "mm": (4, 1000.0),
    "cm": (5, 100.0),
    "ft": (2, 1 / 0.3048),
    "in": (1, 1 / 0.0254),
    "none": (0, 1.0),
}


@dataclass(frozen=True)
class Block:
    left: float  # gap from the plot's left edge (x = 0)
    front: float  # gap from the plot's front edge (y = 0)
    width: float
    depth: float
    floors: int


@dataclass(frozen=True)
class Plan:
    width: float = 12.0
    depth: float = 20.0
    road_width: float = 9.0
    blocks: tuple[Block, ...] = (Block(1.5, 3.5, 9.0, 14.0, 2),)
    height: float = 7.5
    stalls: int = 3
    declared_area: float | None = None  # default: width x depth
    units: str = "m"
    open_plot: bool = False
    footprint_in_block: bool = False  # the footprint drawn on layer 0 inside a block, INSERTed on its layer
    rear_arc: bool = False  # the rear edge a semicircle bulging outwards (bulge 1)
    plot_points: tuple[Point, ...] = ()  # an irregular plot instead of the rectangle
    corner: bool = False  # a second road along the left edge (x < 0)
    bow_tie: bool = False  # block 1's footprint drawn self-intersecting
    layers: tuple[tuple[str, str], ...] = tuple(DEFAULT_LAYERS.items())
    info_keys: tuple[tuple[str, str], ...] = (
        ("area", "PLOT_AREA_M2"),
        ("road", "ROAD_WIDTH_M"),
        ("height", "HEIGHT_M"),
    )
    omit_info: tuple[str, ...] = ()  # PLAN_INFO keys left out
    extra_entities: int = 0  # filler LINEs for the benchmark


T01 = Plan()
EDCR = replace(
    T01,
    layers=tuple(EDCR_LAYERS.items()),
    info_keys=(("area", "PLOT_AREA_M2"), ("road", "ROAD_WIDTH"), ("height", "BUILDING_HEIGHT")),
)


def rect(x: float, y: float, w: float, d: float) -> list[Point]:
    return [(x, y), (x + w, y), (x + w, y + d), (x, y + d)]


def write_plan(path: Path, plan: Plan = T01) -> Path:
    code, k = UNITS[plan.units]
    doc = ezdxf.new("R2010", setup=False)
    doc.header["$INSUNITS"] = code
    msp = doc.modelspace()
    layer = dict(plan.layers)

    def poly(points: list[Point], on: str, closed: bool = True, target: object = msp) -> None:
        target.add_lwpolyline([(x * k, y * k) for x, y in points], close=closed, dxfattribs={"layer": on})  # type: ignore[attr-defined]

    w, d = plan.width, plan.depth
    if plan.plot_points:
        poly(list(plan.plot_points), layer["plot"])
    elif plan.rear_arc:
        # (w, d) -> (0, d) with bulge 1: a semicircle of radius w/2 outside the rectangle
        msp.add_lwpolyline(
            [(0, 0, 0), (w * k, 0, 0), (w * k, d * k, 1.0), (0, d * k, 0)],
            format="xyb",
            close=True,
            dxfattribs={"layer": layer["plot"]},
        )
    else:
        poly(rect(0, 0, w, d), layer["plot"], closed=not plan.open_plot)
    span = max(x for x, _ in plan.plot_points) if plan.plot_points else w
    poly(rect(-5, -plan.road_width, span + 10, plan.road_width), layer["road"])
    if plan.corner:
        poly(rect(-plan.road_width, -plan.road_width, plan.road_width, d + plan.road_width + 5), layer["road"])
    for n, blk in enumerate(plan.blocks, start=1):
        outline = rect(blk.left, blk.front, blk.width, blk.depth)
        if plan.bow_tie and n == 1:
            outline = [outline[0], outline[2], outline[1], outline[3]]
        fp_layer = layer["footprint"].format(b=n)
        if plan.footprint_in_block:
            block = doc.blocks.new(f"FOOTPRINT_{n}")
            poly(rect(0, 0, blk.width, blk.depth), "0", target=block)
            msp.add_blockref(f"FOOTPRINT_{n}", (blk.left * k, blk.front * k), dxfattribs={"layer": fp_layer})
        else:
            poly(outline, fp_layer)
        for f in range(blk.floors):
            poly(outline, layer["floor"].format(b=n, f=f))
    first = plan.blocks[0]
    per_row = max(1, int((first.width - 0.2) // 2.6))
    for i in range(plan.stalls):
        x = first.left + 0.1 + (i % per_row) * 2.6
        y = first.front + 0.1 + (i // per_row) * 5.1
        poly(rect(x, y, 2.5, 5.0), layer["parking"])
    keys = dict(plan.info_keys)
    area = plan.declared_area if plan.declared_area is not None else w * d
    lines = {keys["area"]: f"{area:g}", keys["road"]: f"{plan.road_width:g}", keys["height"]: f"{plan.height:g}"}
    lines["OCCUPANCY"] = "RES"
    lines["FLOORS"] = str(max(b.floors for b in plan.blocks))
    text = "\\P".join(f"{key}={value}" for key, value in lines.items() if key not in plan.omit_info)
    msp.add_mtext(text, dxfattribs={"layer": layer["info"], "insert": (w * k + 5 * k, d * k)})
    # Filler as in a real drawing (furniture, hatching lines, labels) on layers no rule reads.
    for i in range(plan.extra_entities):
        x, y = (i % 200) * 0.5 * k, (-30 - i // 200 * 0.5) * k
        if i % 3 == 0:
            msp.add_line((x, y), (x + 0.4 * k, y + 0.4 * k), dxfattribs={"layer": "FURNITURE"})
        elif i % 3 == 1:
            points = [(x, y), (x + 0.4 * k, y), (x + 0.4 * k, y + 0.4 * k, 0.5), (x, y + 0.4 * k)]
            msp.add_lwpolyline(points, format="xyb", close=True, dxfattribs={"layer": "FURNITURE"})
        else:
            msp.add_text(f"T{i}", dxfattribs={"layer": "LABELS", "insert": (x, y), "height": 0.1 * k})
    doc.saveas(path)
    return path
