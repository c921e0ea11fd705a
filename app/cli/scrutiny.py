"""`nikay scrutinize PLAN.dxf --rules ID [--convention NAME] [--on DATE] --json`: a plan checked against a rule set.

Exit 0 whenever a report was produced, whatever its verdict; exit 2 when the file cannot be read or the
rule set / convention is unknown (the message says which)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from app.cli.context import fail
from app.errors import NikayError


def register(cli: typer.Typer) -> None:
    @cli.command("scrutinize")
    def scrutinize_command(
        plan: Path = typer.Argument(..., help="The plan as a DXF file."),
        rules: str = typer.Option(..., "--rules", help="Rule set id, e.g. sample-mbbl2016."),
        convention: str = typer.Option("default", "--convention", help="Layer convention: default or edcr."),
        on: str = typer.Option("", "--on", help="Application date (YYYY-MM-DD or DD-MM-YYYY); default today (IST)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Scrutinise a building plan: measures, drawing errors, one row per rule and the verdict."""
        from app.core.clock import SystemClock, business_date, parse_date
        from app.scrutiny.dto import report_to_dict
        from app.scrutiny.service import scrutinize

        try:
            day = parse_date(on) if on else business_date(SystemClock().now_utc())
        except ValueError as error:
            fail(f"--on: {error}")
        try:
            report = scrutinize(plan, rules, day, convention)
        except NikayError as error:
            fail(str(error))
        if as_json:
            print(json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
            return
        m = report.measures
        print(f"{plan.name}: {report.verdict} (rule set {report.rule_set.id} v{report.rule_set.version}, {day})")
        for warning in report.warnings:
            print(f"  warning: {warning}")
        for problem in report.drawing_errors:
            print(f"  drawing {problem.severity}: {problem.code} [{problem.layer}] {problem.message}")
        areas = f"plot {m.plot_area_m2 or 0:.2f} m², footprint {m.footprint_total_m2 or 0:.2f} m²"
        print(f"  {areas}, BUA {m.bua_total_m2 or 0:.2f} m²")
        for row in report.rules:
            required = "-" if row.required is None else f"{row.op} {row.required:g}"
            provided = "-" if row.provided is None else f"{row.provided:g}"
            note = f"  ({row.note})" if row.note else ""
            print(f"  {row.id:<6} {row.status:<14} required {required:<10} provided {provided:<10} {row.unit}{note}")
