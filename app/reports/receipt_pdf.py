"""A receipt as an A5 or A4 PDF (ReportLab Platypus, shaped Devanagari), drawn from ReceiptDocument.

Everything is a Paragraph with shaping on (also inside Table cells), so Hindi conjuncts and matras
come out right and long names and addresses wrap instead of being cut. A reprint carries a DUPLICATE
banner and watermark; a cancelled or dishonoured receipt says so in a banner and a watermark.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core.money import format_inr
from app.receipts.document import ReceiptDocument, ReceiptRow, ReceiptSection, instrument_date_text
from app.reports.fonts import LATIN_BOLD, bilingual, markup, para, register_fonts
from app.reports.upi import QrFlowable

PageSize = Literal["A5", "A4"]
_PAGES = {"A5": A5, "A4": A4}
GRID = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.92, 0.92, 0.92)


def _p(text_markup: str, size: float, align: str = "left") -> Paragraph:
    return para(text_markup, size, align)


def _amount(paise: int, size: float, *, bold: bool = False) -> Paragraph:
    return _p(markup(format_inr(paise), bold=bold), size, "right")


def _watermark(text: str) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.22))
        canvas.setFont(LATIN_BOLD, width / 9)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, text)  # Latin only: drawString needs no shaping here
        canvas.restoreState()

    return draw


def _no_mark(canvas: Any, doc: Any) -> None:
    """Pages of an original receipt carry no watermark."""


def _banner(text_markup: str, size: float, width: float, fill: colors.Color) -> Table:
    table = Table([[_p(text_markup, size, "center")]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _line_rows(rows: tuple[ReceiptRow, ...], size: float) -> list[list[Paragraph]]:
    return [
        [
            _p(_period(row), size),
            _p(bilingual(row.label_en, row.label_hi), size),
            _amount(row.amount_paise, size),
        ]
        for row in rows
    ]


def _period(row: ReceiptRow) -> str:
    """A property row's FY; a service row's period in both languages ("Nov 2026 / नवंबर 2026")."""
    if not row.period_en:
        return markup(row.fy)
    return markup(row.period_en) + "<br/>" + markup(row.period_hi)


def _section_title(section: ReceiptSection) -> str:
    title = bilingual(section.title_en, section.title_hi, bold=True)
    number = bilingual(section.number_label_en, section.number_label_hi) + " " + markup(section.account_no, bold=True)
    holder = (" · " + markup(section.holder)) if section.holder else ""
    return f"{title} — {number}{holder}"


def receipt_story(document: ReceiptDocument, width: float, size: float) -> list[Flowable]:
    """The flowables of one receipt, `width` points wide, body text at `size` points."""
    register_fonts()
    small = size * 0.85
    story: list[Flowable] = [
        _p(markup(document.ulb_name_hi, bold=True), size * 1.45, "center"),
        _p(markup(document.ulb_name_en, bold=True), size * 1.2, "center"),
        _p(
            markup(f"Office {document.office_code} · Counter {document.counter_code}")
            + markup(f" / कार्यालय {document.office_code} · काउंटर {document.counter_code}"),
            small,
            "center",
        ),
        Spacer(1, size * 0.4),
        _p(bilingual("PAYMENT RECEIPT", "भुगतान रसीद", bold=True), size * 1.25, "center"),
        Spacer(1, size * 0.4),
    ]
    if document.duplicate:
        story += [
            _banner(
                bilingual(
                    "DUPLICATE — reprint of the original receipt", "प्रतिलिपि — मूल रसीद की पुनर्मुद्रित प्रति", bold=True
                ),
                size,
                width,
                SHADE,
            ),
            Spacer(1, size * 0.4),
        ]
    if document.cancelled:
        kind_hi = "निरस्त" if document.cancelled == "CANCELLED" else "अनादृत (चेक वापस)"
        story += [
            _banner(
                bilingual(
                    f"{document.cancelled} — this receipt does not count", f"{kind_hi} — यह रसीद मान्य नहीं", bold=True
                )
                + (("<br/>" + markup(document.cancel_reason)) if document.cancel_reason else ""),
                size,
                width,
                colors.Color(1, 0.85, 0.85),
            ),
            Spacer(1, size * 0.4),
        ]

    info = [
        ("Receipt No.", "रसीद क्र.", markup(document.receipt_no, bold=True)),
        ("Date & time", "दिनांक व समय", markup(document.collected_at_text)),
        ("Payer", "भुगतानकर्ता", markup(document.payer_name, bold=True)),
        ("Property ID", "संपत्ति क्र.", markup(document.property_id)),
        ("Ward", "वार्ड", markup(str(document.ward_no))),
        (
            "Address",
            "पता",
            "<br/>".join(markup(a) for a in (document.address_en, document.address_hi) if a),
        ),
        ("Period (FY)", "अवधि (वित्त वर्ष)", markup(document.period_text)),
        ("Collected by", "संग्रहकर्ता", markup(document.collector_name)),
    ]
    if document.combined:
        # Each service section names its own account; the period is per row.
        info = [
            item for item in info if item[0] != "Period (FY)" and (item[0] != "Property ID" or document.property_id)
        ]
    qr_size = 24 * mm if width < 150 * mm else 30 * mm
    info_width = width - (qr_size + 3 * mm if document.verification else 0)
    label_width = info_width * 0.36
    info_table = Table(
        [[_p(bilingual(en, hi), small), _p(value, size)] for en, hi, value in info],
        colWidths=[label_width, info_width - label_width],
    )
    info_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    if document.verification:
        qr = QrFlowable(document.verification, qr_size)
        side = Table(
            [[info_table, [qr, _p(bilingual("Scan to verify", "सत्यापन हेतु स्कैन करें"), small * 0.9, "center")]]],
            colWidths=[info_width, width - info_width],
        )
        side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(side)
    else:
        story.append(info_table)
    story.append(Spacer(1, size * 0.6))

    # Lines: arrears, then the current year; the rebate is a negative row. A receipt for several
    # services has one titled section per account (property first), each row with its period.
    header = [
        _p(bilingual("Period", "अवधि", bold=True) if document.combined else bilingual("FY", "वर्ष", bold=True), small),
        _p(bilingual("Head", "मद", bold=True), small),
        _p(bilingual("Amount", "राशि", bold=True), small, "right"),
    ]
    data: list[list[Paragraph]] = [header]
    section_rows: list[int] = []
    if document.combined:
        for section in document.sections:
            section_rows.append(len(data))
            data.append([_p(_section_title(section), small), _p("", small), _p("", small)])
            data += _line_rows(section.rows, size)
    else:
        for title_en, title_hi, rows in (
            ("Arrears", "बकाया", document.arrear_rows),
            ("Current year", "चालू वर्ष", document.current_rows),
        ):
            if not rows:
                continue
            section_rows.append(len(data))
            data.append([_p(bilingual(title_en, title_hi, bold=True), small), _p("", small), _p("", small)])
            data += _line_rows(rows, size)
    total_row = len(data)
    data.append(
        [
            _p("", size),
            _p(bilingual("Total received", "कुल प्राप्त राशि", bold=True), size),
            _amount(document.total_paise, size * 1.1, bold=True),
        ]
    )
    # "2025-26" on one line at any body size; "Q3 2026-27" and "नवंबर 2026" need a little more.
    fy_width = size * (7.2 if document.combined else 5.6) + 14
    amount_width = 30 * mm
    lines = Table(data, colWidths=[fy_width, width - fy_width - amount_width, amount_width], repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEABOVE", (0, total_row), (-1, total_row), 1.2, colors.black),
    ]
    for row in section_rows:
        commands += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), colors.Color(0.97, 0.97, 0.97))]
    lines.setStyle(TableStyle(commands))
    story += [
        lines,
        Spacer(1, size * 0.4),
        _p(markup("In words: ", bold=True) + markup(document.words_en), small),
        _p(markup("शब्दों में: ", bold=True) + markup(document.words_hi), small),
        Spacer(1, size * 0.6),
    ]

    # One row per instrument.
    inst = [
        [
            _p(bilingual("Mode", "माध्यम", bold=True), small),
            _p(bilingual("No. / UTR", "क्रमांक", bold=True), small),
            _p(bilingual("Date", "दिनांक", bold=True), small),
            _p(bilingual("Bank, branch", "बैंक, शाखा", bold=True), small),
            _p(bilingual("Amount", "राशि", bold=True), small, "right"),
        ]
    ]
    for instrument in document.instruments:
        inst.append(
            [
                _p(bilingual(instrument.label_en, instrument.label_hi), small),
                _p(markup(instrument.number), small),
                _p(markup(instrument_date_text(instrument)), small),
                _p(markup(", ".join(t for t in (instrument.bank, instrument.branch) if t)), small),
                _amount(instrument.amount_paise, small),
            ]
        )
    widths = [0.2, 0.22, 0.16, 0.22, 0.2]
    inst_table = Table(inst, colWidths=[w * width for w in widths])
    inst_table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(inst_table)

    money: list[tuple[str, str, int]] = []
    if document.tendered_paise is not None:
        money.append(("Cash tendered", "दी गई नकद राशि", document.tendered_paise))
        money.append(("Change returned", "लौटाई गई राशि", document.change_paise or 0))
    money.append(("Balance still due", "शेष देय राशि", document.balance_due_paise))
    if document.advance_credit_paise:
        money.append(
            ("Advance credit (adjusted next time)", "अग्रिम जमा (अगली बार समायोजित)", document.advance_credit_paise)
        )
    summary = Table(
        [
            [
                _p(bilingual(en, hi, bold=en.startswith("Balance")), size),
                _amount(v, size, bold=en.startswith("Balance")),
            ]
            for en, hi, v in money
        ],
        colWidths=[width - amount_width, amount_width],
    )
    summary.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story += [
        Spacer(1, size * 0.4),
        summary,
        Spacer(1, size * 1.2),
        _p(markup(document.footer_en), small * 0.95, "center"),
        _p(markup(document.footer_hi), small * 0.95, "center"),
        _p(markup(f"ID {document.uuid}"), small * 0.8, "center"),
    ]
    return story


def render_receipt_pdf(document: ReceiptDocument, size: PageSize = "A5") -> bytes:
    """The receipt as a PDF on an A5 or A4 page (more pages only if the lines need them)."""
    if size not in _PAGES:
        raise ValueError(f"page size {size!r}: use A5 or A4")
    register_fonts()
    page = _PAGES[size]
    margin = 8 * mm if size == "A5" else 15 * mm
    body = 7.6 if size == "A5" else 10.0
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"Receipt {document.receipt_no}",
        author=document.ulb_name_en,
        subject="Payment receipt",
        creator="Nikay",
    )
    marks = [text for text in ("DUPLICATE" if document.duplicate else "", document.cancelled or "") if text]
    on_page = _watermark(" ".join(marks)) if marks else _no_mark
    doc.build(receipt_story(document, page[0] - 2 * margin, body), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
