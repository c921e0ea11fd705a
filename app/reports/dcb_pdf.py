"""The DCB statement as a PDF: A4 landscape, bilingual headings (shaped Devanagari), Indian digit
grouping. Drawn from the same DcbStatement the screen shows, so both say the same."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core.clock import format_date, format_datetime_ist
from app.core.money import format_inr
from app.reports.dcb import DcbRow, DcbStatement, GroupBy
from app.reports.fonts import LATIN, LATIN_BOLD, bilingual, markup, para, register_fonts

GRID = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.92, 0.92, 0.92)
BAND = colors.Color(0.85, 0.90, 0.97)
_BODY = 7.8

# (English, Hindi) for each amount column, in order; the screen uses the same words.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("opening_paise", "Opening arrears", "प्रारंभिक बकाया"),
    ("current_paise", "Current demand", "चालू मांग"),
    ("demand_paise", "Total demand", "कुल मांग"),
    ("collected_arrear_paise", "Collected: arrears", "वसूली: बकाया"),
    ("collected_current_paise", "Collected: current", "वसूली: चालू"),
    ("collected_paise", "Total collected", "कुल वसूली"),
    ("rebate_paise", "Rebate", "छूट"),
    ("surcharge_accrued_paise", "Surcharge, penalty accrued", "अधिभार, शास्ति"),
    ("balance_paise", "Balance", "शेष"),
)
GROUP_HEADINGS: dict[GroupBy, tuple[str, str]] = {
    GroupBy.HEAD: ("Revenue head", "राजस्व मद"),
    GroupBy.WARD: ("Ward", "वार्ड"),
    GroupBy.SERVICE: ("Service", "सेवा"),
}


def amount_of(row: DcbRow, column: str) -> int:
    value = getattr(row, column)
    assert isinstance(value, int)
    return value


def _p(text_markup: str, size: float = _BODY, align: str = "left") -> Any:
    return para(text_markup, size, align)


def render_dcb_pdf(
    statement: DcbStatement, ulb_name_en: str, ulb_name_hi: str, generated_at: datetime | None = None
) -> bytes:
    register_fonts()
    page = landscape(A4)
    margin = 10 * mm
    width = page[0] - 2 * margin
    scope = f"FY / वित्त वर्ष {statement.fy}"
    if statement.ward_no is not None:
        scope += f" · Ward / वार्ड {statement.ward_no}"
    scope += f" · as of / दिनांक {format_date(statement.as_of)}"
    story: list[Flowable] = [
        _p(bilingual(ulb_name_en, ulb_name_hi, bold=True), 13, "center"),
        _p(
            bilingual("Demand, Collection and Balance statement", "मांग, वसूली एवं शेष विवरण", bold=True),
            11.5,
            "center",
        ),
        _p(markup(scope), 9, "center"),
        Spacer(1, 4 * mm),
    ]
    group_en, group_hi = GROUP_HEADINGS[statement.group_by]
    header = [_p(f"{markup(group_en, bold=True)}<br/>{markup(group_hi, bold=True)}")] + [
        _p(f"{markup(en, bold=True)}<br/>{markup(hi, bold=True)}", _BODY, "right") for _, en, hi in COLUMNS
    ]
    rows: list[list[Any]] = [header]
    for row in (*statement.rows, statement.total):
        label = bilingual(row.label_en, row.label_hi, bold=row is statement.total)
        rows.append([_p(label)] + [format_inr(amount_of(row, column)) for column, _, _ in COLUMNS])
    label_width = width * 0.19
    amount_width = (width - label_width) / len(COLUMNS)
    table = Table(rows, colWidths=[label_width] + [amount_width] * len(COLUMNS), repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), _BODY),
        ("GRID", (0, 0), (-1, -1), 0.35, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("FONTNAME", (0, -1), (-1, -1), LATIN_BOLD),
        ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
        ("BACKGROUND", (3, 1), (3, -1), BAND),
        ("BACKGROUND", (6, 1), (6, -1), BAND),
        ("BACKGROUND", (-1, 1), (-1, -1), BAND),
    ]
    table.setStyle(TableStyle(commands))
    story.append(table)
    story.append(Spacer(1, 4 * mm))
    check = f"Receipts of the year not cancelled / वर्ष की मान्य रसीदें: {format_inr(statement.receipts_paise)}" + (
        f" ({statement.receipt_count:,})" if statement.receipt_count >= 0 else ""
    )
    if statement.remote_paise:
        check += f" + online and other counters / ऑनलाइन व अन्य काउंटर: {format_inr(statement.remote_paise)}"
    check += (
        " - equal to the total collected / कुल वसूली के बराबर"
        if statement.collections_agree
        else " - NOT equal to the total collected / कुल वसूली से भिन्न"
    )
    story.append(_p(markup(check), 8.5))
    story.append(Spacer(1, 2 * mm))
    story.append(
        _p(
            markup(
                "Balance = opening arrears + current demand - collected - rebate. / "
                "शेष = प्रारंभिक बकाया + चालू मांग − वसूली − छूट।"
            ),
            7.5,
        )
    )
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"DCB statement {statement.fy}",
        author=ulb_name_en,
        creator="Nikay",
    )
    stamp = format_datetime_ist(generated_at) + " IST" if generated_at else ""

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(LATIN, 7.5)
        canvas.drawRightString(page[0] - margin, margin - 2 * mm, f"Page {document.page}")
        canvas.drawString(margin, margin - 2 * mm, f"{ulb_name_en} · DCB {statement.fy} · {stamp}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
