"""Reading a DXF plan into plain outlines (metres) and PLAN_INFO text.

ezdxf's recover mode survives messy files; a DWG or a non-DXF file is refused with a clear message.
Blocks are exploded (entities on layer 0 inside a block take their INSERT's layer, as CAD shows them);
arcs and polyline bulges are flattened with a small sagitta so areas are right.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import ezdxf
from ezdxf import recover, units
from ezdxf.entities.dxfgfx import DXFGraphic
from ezdxf.entities.insert import Insert
from ezdxf.enums import InsertUnits
from ezdxf.lldxf.const import DXFError
from ezdxf.path import make_path

from app.errors import NikayError

SAGITTA_M = 0.01  # max distance of a flattened chord from its arc
MAX_BLOCK_DEPTH = 16
UNIT_NAMES = {0: "unitless", 1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m"}
CURVES = ("LWPOLYLINE", "POLYLINE")
TEXTS = ("TEXT", "MTEXT")


class PlanReadError(NikayError):
    """The file is not a DXF plan we can read (nothing to report on)."""


@dataclass(frozen=True)
class Outline:
    layer: str
    points: tuple[tuple[float, float], ...]  # metres, WCS, flattened
    closed: bool  # the polyline's closed flag
    handle: str


@dataclass(frozen=True)
class Note:
    layer: str
    text: str
    at: tuple[float, float]


@dataclass(frozen=True)
class RawPlan:
    outlines: tuple[Outline, ...]
    notes: tuple[Note, ...]
    unit: str
    unit_factor: float  # drawing units -> metres
    warnings: tuple[str, ...]
    sha256: str
    entity_count: int


def _check_header(path: Path, head: bytes) -> None:
    if not head.strip():
        raise PlanReadError(f"{path.name}: the file is empty; a DXF plan is needed.")
    if head.startswith(b"AC10") or path.suffix.lower() == ".dwg":
        raise PlanReadError(
            f"{path.name}: this is a DWG drawing; Nikay reads DXF only. Save it from the CAD program as DXF "
            "(File > Save As > DXF) and try again."
        )
    if head.startswith(b"AutoCAD Binary DXF"):
        return
    if b"\x00" in head or b"SECTION" not in head.upper():
        raise PlanReadError(f"{path.name}: not a DXF file (no DXF SECTION found); a DXF plan is needed.")


def _exploded(entity: DXFGraphic, depth: int = 0) -> Iterator[DXFGraphic]:
    if not isinstance(entity, Insert):
        yield entity
        return
    if depth >= MAX_BLOCK_DEPTH:
        return
    layer = entity.dxf.layer
    for child in entity.virtual_entities():
        if child.dxf.layer == "0":
            child.dxf.layer = layer  # layer 0 inside a block takes the INSERT's layer
        yield from _exploded(child, depth + 1)


def read_plan(path: Path, wanted: Callable[[str], bool] | None = None) -> RawPlan:
    """`wanted(layer)` says which layers to flatten and read (others are only counted): a full drawing's
    furniture and labels cost nothing beyond parsing."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PlanReadError(f"{path}: cannot read: {error.strerror or error}") from error
    _check_header(path, data[:4096])
    try:
        doc, auditor = recover.readfile(str(path))
    except (DXFError, OSError, ValueError, UnicodeDecodeError, IndexError, KeyError) as error:
        raise PlanReadError(f"{path.name}: not a readable DXF file ({error}).") from error
    warnings: list[str] = []
    if auditor.has_errors:
        warnings.append(f"The DXF had {len(auditor.errors)} structural error(s); ezdxf recovered what it could.")
    code = int(doc.header.get("$INSUNITS", 0))
    if code == 0:
        factor = 1.0
        warnings.append("The drawing has no units ($INSUNITS = 0): read as metres; check the plot area.")
    else:
        try:
            factor = float(units.conversion_factor(InsertUnits(code), InsertUnits.Meters))
        except (KeyError, ValueError, IndexError, TypeError) as error:
            raise PlanReadError(f"{path.name}: unknown drawing unit $INSUNITS = {code}.") from error
        if code not in UNIT_NAMES:
            warnings.append(f"Unusual drawing unit $INSUNITS = {code}; scaled by {factor:g} to metres.")
    unit = UNIT_NAMES.get(code, str(code))
    sagitta = SAGITTA_M / factor
    outlines: list[Outline] = []
    notes: list[Note] = []
    count = 0
    verdicts: dict[str, bool] = {}

    def keep(layer: str) -> bool:
        if wanted is None:
            return True
        if layer not in verdicts:
            verdicts[layer] = wanted(layer)
        return verdicts[layer]

    for top in doc.modelspace():
        for entity in _exploded(top):
            count += 1
            kind = entity.dxftype()
            if not keep(entity.dxf.layer):
                continue
            if kind in CURVES:
                try:
                    vertices = make_path(entity).flattening(sagitta)
                    points = tuple((v.x * factor, v.y * factor) for v in vertices)
                except (DXFError, ValueError, ZeroDivisionError):
                    continue  # a degenerate polyline carries no outline
                closed = bool(entity.closed if kind == "LWPOLYLINE" else entity.is_closed)  # type: ignore[attr-defined]
                outlines.append(Outline(entity.dxf.layer, points, closed, str(entity.dxf.handle or "")))
            elif kind in TEXTS:
                text = entity.plain_text() if kind == "MTEXT" else entity.dxf.text  # type: ignore[attr-defined]
                insert = entity.dxf.get("insert", ezdxf.math.Vec3())
                notes.append(Note(entity.dxf.layer, str(text), (insert.x * factor, insert.y * factor)))
    return RawPlan(
        outlines=tuple(outlines),
        notes=tuple(notes),
        unit=unit,
        unit_factor=factor,
        warnings=tuple(warnings),
        sha256=hashlib.sha256(data).hexdigest(),
        entity_count=count,
    )
