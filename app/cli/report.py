"""`nikay report notice|notices|day`: demand notices and day-end registers as PDF files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from app.cli.context import fail, state
from app.errors import NikayError


def _day(text: str, default: date) -> date:
    from app.core.clock import parse_date

    try:
        return parse_date(text) if text else default
    except ValueError as error:
        fail(str(error))


def _write(out: Path, pdf: bytes, what: str) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
    except OSError as error:
        fail(f"{out}: cannot write: {error.strerror or error}", 1)
    print(f"{what}: {out} ({len(pdf):,} bytes)")


def register(cli: typer.Typer) -> None:
    report = typer.Typer(help="Reports on paper (PDF): demand notices, day-end registers.", no_args_is_help=True)
    cli.add_typer(report, name="report")

    @report.command("notice")
    def notice(
        ctx: typer.Context,
        property_id: str = typer.Argument(..., help="Property ID (or old ID)."),
        out: Path = typer.Option(..., "--out", help="PDF file to write."),
        on: str = typer.Option("", help="Dues as on this date (YYYY-MM-DD or DD-MM-YYYY); default today."),
    ) -> None:
        """The demand notice of one property, with its UPI payment QR."""
        from app.cli.collect import _property_uuid
        from app.reports.demand_notice import render_property_notice

        services = state(ctx).services()
        day = _day(on, services.collections.today())
        try:
            uuid = _property_uuid(services.db, services.device.ulb_code, property_id)
            pdf = render_property_notice(services, uuid, day)
        except NikayError as error:
            fail(str(error))
        _write(out, pdf, "Demand notice")

    @report.command("notices")
    def notices(
        ctx: typer.Context,
        ward: int = typer.Option(..., "--ward", help="Ward number."),
        out: Path = typer.Option(..., "--out", help="PDF file to write."),
        on: str = typer.Option("", help="Dues as on this date; default today."),
        limit: int = typer.Option(0, help="At most this many notices (0: the whole ward)."),
    ) -> None:
        """Every property's demand notice of a ward, in ONE PDF."""
        from app.reports.demand_notice import render_ward_notices

        services = state(ctx).services()
        day = _day(on, services.collections.today())
        if ward not in services.masters.ward_numbers(services.device.ulb_code):
            fail(f"ward {ward} does not exist in {services.device.ulb_code}")
        try:
            pdf = render_ward_notices(services, ward, day, limit or None)
        except NikayError as error:
            fail(str(error))
        _write(out, pdf, f"Demand notices of ward {ward}")

    @report.command("day")
    def day_report_command(
        ctx: typer.Context,
        day: str = typer.Option("", "--date", help="Business date (YYYY-MM-DD or DD-MM-YYYY); default today."),
        out: Path = typer.Option(..., "--out", help="PDF file to write."),
        session_id: str = typer.Option("", "--session", help="Only this counter session (its UUID)."),
    ) -> None:
        """Summary of Daily Collections (by head and mode), the collection register and the cancelled-receipts
        register of a day (or a counter session), in one PDF; the totals are printed too."""
        from app.core.money import format_inr
        from app.reports.registers import day_report, render_day_pdf

        services = state(ctx).services()
        business_day = _day(day, services.collections.today())
        try:
            report_data = day_report(
                services.db,
                business_day,
                session_uuid=session_id or None,
                ulb_name_en=services.device.ulb_name_en,
                ulb_name_hi=services.device.ulb_name_hi,
            )
        except NikayError as error:
            fail(str(error))
        _write(out, render_day_pdf(report_data), "Day-end registers")
        summary = report_data.summary
        print(
            f"{summary.receipts} receipts ({summary.cancelled} cancelled), collected {format_inr(summary.total_paise)}"
        )
