"""Scrutiny of one plan: read -> measure -> evaluate with the rule set in force on the application date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.scrutiny.convention import Convention, load_convention
from app.scrutiny.dto import ScrutinyReport
from app.scrutiny.evaluate import evaluate_rule, outlines, verdict
from app.scrutiny.measure import measure
from app.scrutiny.reader import PlanReadError, read_plan
from app.scrutiny.rules import RuleSet, load_rule_set

__all__ = ["PlanReadError", "scrutinize", "scrutinize_with"]


def scrutinize_with(path: Path, rule_set: RuleSet, convention: Convention, on: date) -> ScrutinyReport:
    """Raises PlanReadError when the file is not a DXF we can read; anything else becomes the report."""
    plan = read_plan(path, lambda layer: convention.classify(layer) is not None)
    measured = measure(plan, convention, rule_set.length_tol_m, rule_set.declared_area_pct)
    rows = tuple(evaluate_rule(rule, measured) for rule in rule_set.rules)
    warnings = list(plan.warnings)
    if rule_set.ref.illustrative:
        warnings.append(f"Rule set {rule_set.ref.id} is illustrative, not Chhattisgarh law.")
    elif rule_set.ref.status == "draft":
        warnings.append(f"Rule set {rule_set.ref.id} is a draft: its values are not yet verified.")
    return ScrutinyReport(
        measures=measured.measures,
        drawing_errors=measured.errors,
        rules=rows,
        verdict=verdict(measured.errors, rows),
        rule_set=rule_set.ref,
        convention=convention.name,
        warnings=tuple(warnings),
        source_sha256=plan.sha256,
        unit=plan.unit,
        unit_factor=plan.unit_factor,
        application_date=on.isoformat(),
        outlines_wkt=outlines(measured.geometry),
    )


def scrutinize(
    path: Path,
    rule_set_id: str,
    on: date,
    convention: str = "default",
    rules_dir: Path | None = None,
    conventions_dir: Path | None = None,
) -> ScrutinyReport:
    rule_set = load_rule_set(rule_set_id, on, rules_dir)
    return scrutinize_with(path, rule_set, load_convention(convention, conventions_dir), on)
