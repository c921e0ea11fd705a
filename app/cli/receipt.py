"""`nikay receipt render|print|verify`: a saved receipt on paper (or in a file), and checking one.

render  NUMBER --format escpos58|escpos80|png58|png80|pdf-a5|pdf-a4 --out FILE
        ESC/POS: the Qt raster (entry point `nikay.renderers:thermal`) as python-escpos image commands
        for the usual profile of that paper (POS-5890 / TM-T20II); PNG: the same 1-bit raster;
        PDF: app/reports/receipt_pdf. `--duplicate` draws the DUPLICATE banner (a file is not a print:
        nothing is recorded).
print   NUMBER [--printer NAME]: through the print queue (app/printing/service.print_receipt_now).
verify  TEXT: what a scanned verification QR says about a receipt of this device.
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path

import typer

from app.cli.context import fail, state
from app.errors import NikayError
from app.receipts.document import ReceiptDocument


class RenderFormat(StrEnum):
    ESCPOS58 = "escpos58"
    ESCPOS80 = "escpos80"
    PNG58 = "png58"
    PNG80 = "png80"
    PNG = "png"  # = png80
    PDF_A5 = "pdf-a5"
    PDF_A4 = "pdf-a4"


def _paper_mm(fmt: RenderFormat) -> int:
    return 58 if fmt.value.endswith("58") else 80


def render_bytes(document: ReceiptDocument, fmt: RenderFormat) -> bytes:
    """The file contents of one receipt document in `fmt` (raises NikayError with a clear message)."""
    if fmt in (RenderFormat.PDF_A5, RenderFormat.PDF_A4):
        from app.reports.receipt_pdf import render_receipt_pdf

        return render_receipt_pdf(document, "A5" if fmt == RenderFormat.PDF_A5 else "A4")
    from app.printing import thermal_renderer
    from app.printing.escpos_out import receipt_to_escpos, settings_for_paper

    settings = settings_for_paper(_paper_mm(fmt))
    if fmt.value.startswith("escpos"):
        return receipt_to_escpos(document, settings)[1]
    raster = thermal_renderer()(document, settings.width())
    buffer = io.BytesIO()
    raster.to_pil().save(buffer, format="PNG")
    return buffer.getvalue()


def register(cli: typer.Typer) -> None:
    receipt = typer.Typer(
        help="One receipt: render it to a file, print it, verify a scanned code.", no_args_is_help=True
    )
    cli.add_typer(receipt, name="receipt")

    @receipt.command("render")
    def render(
        ctx: typer.Context,
        number: str = typer.Argument(..., help="Receipt number, e.g. DEMO/Z01/C01/2026-27/000001."),
        fmt: RenderFormat = typer.Option(..., "--format", help="escpos58, escpos80, png58, png80, pdf-a5, pdf-a4."),
        out: Path = typer.Option(..., "--out", help="File to write."),
        duplicate: bool = typer.Option(False, "--duplicate", help="Draw the DUPLICATE banner."),
    ) -> None:
        """Render a saved receipt to a file: ESC/POS bytes for a 58/80 mm printer, its PNG, or a PDF."""
        from app.printing.escpos_out import load_escpos

        load_escpos(state(ctx).data_dir / "cache" / "escpos")  # escpos' capabilities pickle stays with our data
        services = state(ctx).services()
        try:
            document = services.receipts.for_number(number, duplicate=duplicate)
            data = render_bytes(document, fmt)
        except NikayError as error:
            fail(str(error), 1)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        print(f"{document.receipt_no}: {fmt.value}, {len(data):,} bytes -> {out}")

    @receipt.command("print")
    def print_(
        ctx: typer.Context,
        number: str = typer.Argument(..., help="Receipt number."),
        printer: str = typer.Option("", "--printer", help="Printer name (default: this counter's printer)."),
        user: str = typer.Option("clerk1", "--user", help="Who prints (a reprint is recorded against them)."),
    ) -> None:
        """Print a saved receipt now, through the print queue (a reprint is marked DUPLICATE and recorded)."""
        from app.printing.service import print_receipt_now

        services = state(ctx).services()
        try:
            actor = services.users.actor_for(user, services.device.device_no)
            outcome = print_receipt_now(services, number, printer or None, actor=actor)
        except NikayError as error:
            fail(str(error), 1)
        job = outcome.job
        if not outcome.ok:
            fail(f"{number} was not printed on {outcome.printer_name}: {job.last_error} (it stays queued)", 1)
        print(f"{number}: printed on {outcome.printer_name}")

    @receipt.command("verify")
    def verify(ctx: typer.Context, text: str = typer.Argument(..., help="The text of a receipt's QR code.")) -> None:
        """Check a scanned verification code against this device's receipts (exit 1 unless GENUINE)."""
        result = state(ctx).services().receipts.verify(text)
        print(f"{result.status}: {result.message}")
        if result.status != "GENUINE":
            raise typer.Exit(1)
