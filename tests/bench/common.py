"""What every benchmark reports: a figure beside its target. Benchmarks print; tests never time."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float
    lower_is_better: bool = True

    @property
    def met(self) -> bool:
        return self.value <= self.target if self.lower_is_better else self.value >= self.target

    def line(self) -> str:
        relation = "≤" if self.lower_is_better else "≥"
        verdict = "ok" if self.met else "MISSED"
        target = f"(target {relation} {self.target:g} {self.unit})"
        return f"{self.name:<60} {self.value:>10.2f} {self.unit:<4} {target}  {verdict}"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    if len(ordered) < 20:
        return ordered[-1]
    return statistics.quantiles(ordered, n=100, method="inclusive")[94]
