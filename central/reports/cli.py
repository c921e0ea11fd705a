"""`nikay-central report <name> [--ulb] [--from --to] [--format table|csv|json]` (added to the central
CLI by central.cli). Reads the central database directly: for the state's operators."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, datetime
from typing import Annotated, Any

import typer

from app.core.money import format_inr
from central.config import CentralSettings
from central.db.engine import make_engine, make_sessionmaker
from central.reports.queries import REPORTS, Report, ReportScope, run_report

app = typer.Typer(no_args_is_help=True, help="state-level reports: " + ", ".join(REPORTS))

FORMATS = ("table", "csv", "json")


def _cell(value: Any, column: str, money: bool) -> str:
    if value is None:
        return ""
    if money and column.endswith("_paise") and isinstance(value, int):
        return format_inr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            {"name": report.name, "rows": report.as_dicts(), "totals": report.totals},
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(report.columns)
        for row in report.rows:
            writer.writerow([_cell(v, c, money=False) for v, c in zip(row, report.columns, strict=True)])
        return out.getvalue().rstrip("\n")
    cells = [[_cell(v, c, money=True) for v, c in zip(row, report.columns, strict=True)] for row in report.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(report.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(report.columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    totals = ", ".join(f"{k} {format_inr(v) if k.endswith('_paise') else v}" for k, v in report.totals.items())
    lines.append(f"({len(cells)} rows; {totals})" if totals else f"({len(cells)} rows)")
    return "\n".join(lines)


def _make_command(name: str) -> None:
    def command(
        ulb: Annotated[str | None, typer.Option("--ulb", help="one ULB (default: every ULB)")] = None,
        date_from: Annotated[str | None, typer.Option("--from", help="first business date, YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, typer.Option("--to", help="last business date, YYYY-MM-DD")] = None,
        fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
        database_url: Annotated[
            str | None, typer.Option("--database-url", help="default: NIKAY_CENTRAL_DATABASE_URL")
        ] = None,
    ) -> None:
        if fmt not in FORMATS:
            typer.echo(f"error: --format is one of {', '.join(FORMATS)}", err=True)
            raise typer.Exit(2)
        try:
            first = date.fromisoformat(date_from) if date_from else None
            last = date.fromisoformat(date_to) if date_to else None
        except ValueError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        settings = CentralSettings()
        settings = dataclasses.replace(settings, database_url=database_url or settings.database_url, db_pool_size=1)
        engine = make_engine(settings)
        try:
            with make_sessionmaker(engine)() as session:
                report = run_report(session, name, ReportScope(frozenset({ulb}) if ulb else None, first, last))
        finally:
            engine.dispose()
        typer.echo(render(report, fmt))

    command.__doc__ = f"The {name} report."
    app.command(name)(command)


for _name in REPORTS:
    _make_command(_name)
