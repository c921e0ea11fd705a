"""Drawing conventions as data (resources/scrutiny/conventions/<name>.toml): which layers hold the plot,
roads, footprints, floors, parking and PLAN_INFO. Matching is case-insensitive on the whole layer name."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.errors import ValidationError
from app.paths import RESOURCES_DIR

CONVENTIONS_DIR = RESOURCES_DIR / "scrutiny" / "conventions"
CONCEPTS = ("plot", "road", "footprint", "floor", "parking", "plan_info")
INFO_KEYS = ("plot_area_m2", "road_width_m", "height_m", "occupancy", "floors")


@dataclass(frozen=True)
class LayerMatch:
    concept: str
    block: int | None = None
    floor: int | None = None


@dataclass(frozen=True)
class Convention:
    name: str
    title: str
    patterns: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    info_keys: tuple[tuple[str, tuple[str, ...]], ...]

    def classify(self, layer: str) -> LayerMatch | None:
        for concept, regexes in self.patterns:
            for regex in regexes:
                found = regex.match(layer)
                if found is None:
                    continue
                groups = found.groupdict()
                block = int(groups["block"]) if groups.get("block") is not None else None
                floor = int(groups["floor"]) if groups.get("floor") is not None else None
                return LayerMatch(concept, block, floor)
        return None

    def keys_for(self, concept: str) -> tuple[str, ...]:
        return dict(self.info_keys).get(concept, ())


def load_convention(name: str = "default", directory: Path | None = None) -> Convention:
    path = (directory or CONVENTIONS_DIR) / f"{name}.toml"
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or not path.is_file():
        known = ", ".join(sorted(p.stem for p in (directory or CONVENTIONS_DIR).glob("*.toml")))
        raise ValidationError(f"Drawing convention {name!r} not found (known: {known}).")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValidationError(f"{path.name}: not valid TOML: {error}") from error
    layers = data.get("layers")
    if not isinstance(layers, dict) or set(layers) != set(CONCEPTS):
        raise ValidationError(f"{path.name}: [layers] must name exactly {', '.join(CONCEPTS)}.")
    patterns: list[tuple[str, tuple[re.Pattern[str], ...]]] = []
    for concept in CONCEPTS:
        raw = layers[concept]
        if not isinstance(raw, list) or not raw or not all(isinstance(p, str) for p in raw):
            raise ValidationError(f"{path.name}: layers.{concept} must be a non-empty list of patterns.")
        try:
            patterns.append((concept, tuple(re.compile(p, re.IGNORECASE) for p in raw)))
        except re.error as error:
            raise ValidationError(f"{path.name}: layers.{concept}: bad pattern: {error}") from error
    info = data.get("plan_info", {})
    unknown = set(info) - set(INFO_KEYS)
    if unknown:
        raise ValidationError(f"{path.name}: unknown [plan_info] keys {sorted(unknown)}.")
    info_keys = tuple((k, tuple(str(v).upper() for v in info.get(k, [k.upper()]))) for k in INFO_KEYS)
    return Convention(str(data.get("name", name)), str(data.get("title", name)), tuple(patterns), info_keys)
