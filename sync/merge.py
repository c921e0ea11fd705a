"""Field-level three-way merge of master data (no timestamps, no last-writer-wins).

`base` is what the editing device saw (its server version's values of the fields it changed),
`mine` the device's new values, `theirs` what the central holds now. A field changed on one side
only takes that side; a field changed on both sides to the same value is fine; a field changed on
both sides to different values is a true conflict: the central keeps its value and a supervisor
decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class MergeResult:
    merged: dict[str, Any]  # theirs with every non-conflicting change of mine applied
    applied: tuple[str, ...]  # fields taken from mine
    conflicts: tuple[FieldConflict, ...] = field(default=())


def three_way_merge(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> MergeResult:
    """Merge the fields in `mine` (the edit) into `theirs` (the server copy), judged against `base`.

    A field missing from `base` is treated as unchanged-from-theirs only when theirs equals mine;
    otherwise it is a conflict (the device did not say what it started from)."""
    merged = dict(theirs)
    applied: list[str] = []
    conflicts: list[FieldConflict] = []
    for name, new_value in mine.items():
        current = theirs.get(name)
        if current == new_value:
            continue
        if name in base and base[name] == current:
            merged[name] = new_value
            applied.append(name)
        else:
            conflicts.append(FieldConflict(name, base.get(name), new_value, current))
    return MergeResult(merged=merged, applied=tuple(applied), conflicts=tuple(conflicts))
