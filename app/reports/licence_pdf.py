"""A trade licence certificate as an A4 PDF (ReportLab Platypus, shaped Devanagari), bilingual.

Everything is a shaping Paragraph (app.reports.fonts); the verification QR (app.trade.verification)
is drawn as vectors and its text is also the PDF's `keywords`, so a program can read what the QR says.
A certificate printed after the licence expired carries an EXPIRED watermark.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core.clock import format_date
from app.core.money import format_inr
from app.reports.fonts import LATIN_BOLD, bilingual, markup, para, register_fonts
from app.reports.upi import QrFlowable
from app.trade.dto import LicenceCertificate
from app.trade.fees import BAND_LABELS

KIND_LABELS: dict[str, tuple[str, str]] = {
    "SHOP": ("Shop", "दुकान"),
    "GUMTI": ("Gumti (kiosk)", "गुमटी"),
    "THELA": ("Thela (handcart)", "ठेला"),
    "VEHICLE": ("Vehicle-based trade", "वाहन आधारित व्यापार"),
}
GRID = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.93, 0.93, 0.93)


def _expired_mark(canvas: Any, doc: Any) -> None:
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
    canvas.setFont(LATIN_BOLD, width / 7)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, 0, "EXPIRED")  # Latin only: no shaping needed
    canvas.restoreState()


def _border(canvas: Any, doc: Any) -> None:
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setStrokeColor(colors.Color(0.25, 0.25, 0.45))
    canvas.setLineWidth(2.2)
    canvas.rect(9 * mm, 9 * mm, width - 18 * mm, height - 18 * mm)
    canvas.setLineWidth(0.6)
    canvas.rect(11 * mm, 11 * mm, width - 22 * mm, height - 22 * mm)
    canvas.restoreState()


def certificate_story(certificate: LicenceCertificate, width: float, size: float = 10.5) -> list[Flowable]:
    register_fonts()
    lic = certificate.licence
    small = size * 0.85
    kind_en, kind_hi = KIND_LABELS.get(lic.trade_kind, (lic.trade_kind, lic.trade_kind))
    story: list[Flowable] = [
        para(markup(certificate.ulb_name_hi, bold=True), size * 1.7, "center"),
        para(markup(certificate.ulb_name_en, bold=True), size * 1.35, "center"),
        Spacer(1, size * 0.8),
        para(bilingual("TRADE LICENCE", "व्यापार अनुज्ञप्ति", bold=True), size * 1.6, "center"),
        para(
            markup("छत्तीसगढ़ नगरपालिका (व्यापार अनुज्ञापन) नियम 2025 के अंतर्गत"),
            small,
            "center",
        ),
        para(markup("Under the Chhattisgarh Nagarpalika (Vyapar Anugyapan) Niyam 2025"), small, "center"),
        Spacer(1, size * 1.0),
    ]
    trade = "<br/>".join(markup(t, bold=True) for t in (lic.trade_name, lic.trade_name_hi) if t)
    owner = "<br/>".join(markup(t) for t in (lic.owner_name_en, lic.owner_name_hi) if t)
    address = "<br/>".join(markup(t) for t in (lic.address_en, lic.address_hi) if t) or markup("—")
    rows: list[tuple[str, str, str]] = [
        ("Licence No.", "अनुज्ञप्ति क्र.", markup(lic.licence_no, bold=True)),
        ("Application No.", "आवेदन क्र.", markup(lic.application_no)),
        ("Licence year", "अनुज्ञप्ति वर्ष", markup(lic.licence_year)),
        ("Trade name", "व्यापार का नाम", trade),
        ("Licensee", "अनुज्ञप्तिधारी", owner),
        ("Address", "पता", address),
        ("Ward", "वार्ड", markup(str(lic.ward_no))),
        ("Trade kind", "व्यापार का प्रकार", bilingual(kind_en, kind_hi)),
    ]
    if lic.property_id:
        rows.append(("Property ID", "संपत्ति क्र.", markup(lic.property_id)))
    if lic.trade_kind == "SHOP" and lic.area_sqft is not None and lic.road_width_m is not None:
        band = BAND_LABELS.get(lic.road_band, lic.road_band)
        rows.append(
            (
                "Trade area, road in front",
                "व्यापार क्षेत्रफल, सामने की सड़क",
                markup(f"{lic.area_sqft} sq ft · road {lic.road_width_m} m (band {band})")
                + "<br/>"
                + markup(f"{lic.area_sqft} वर्गफुट · सड़क {lic.road_width_m} मीटर"),
            )
        )
    paid = markup(format_inr(lic.fee_paise), bold=True)
    if lic.fee_receipt_no:
        day = f", {format_date(lic.fee_receipt_date)}" if lic.fee_receipt_date else ""
        paid += "<br/>" + bilingual("Receipt", "रसीद") + markup(f" {lic.fee_receipt_no}{day}")
    rows += [
        ("Licence fee paid", "जमा अनुज्ञप्ति शुल्क", paid),
        ("Issued on", "जारी दिनांक", markup(format_date(lic.issued_on) if lic.issued_on else "—")),
        (
            "Valid up to",
            "वैध दिनांक तक",
            markup(format_date(lic.valid_to) if lic.valid_to else "—", bold=True),
        ),
    ]
    qr_size = 38 * mm
    info_width = width - qr_size - 6 * mm
    label_width = info_width * 0.36
    info = Table(
        [[para(bilingual(en, hi), small), para(v, size)] for en, hi, v in rows],
        colWidths=[label_width, info_width - label_width],
    )
    info.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    qr_cell = [
        QrFlowable(certificate.verification_text, qr_size),
        para(bilingual("Scan to verify", "सत्यापन हेतु स्कैन करें"), small * 0.9, "center"),
    ]
    side = Table([[info, qr_cell]], colWidths=[info_width + 3 * mm, width - info_width - 3 * mm])
    side.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    valid = format_date(lic.valid_to) if lic.valid_to else "—"
    story += [
        side,
        Spacer(1, size * 1.4),
        para(
            markup(
                f"Permission is granted to carry on the above trade at the above place until {valid}, subject to "
                "the Niyam and the conditions of this licence. Display this licence at the place of trade and "
                "apply for renewal before it expires."
            ),
            size,
        ),
        Spacer(1, size * 0.5),
        para(
            markup(
                f"उपरोक्त स्थान पर उपरोक्त व्यापार करने की अनुमति {valid} तक नियम एवं इस अनुज्ञप्ति की शर्तों के अधीन "
                "दी जाती है। यह अनुज्ञप्ति व्यापार स्थल पर प्रदर्शित करें तथा समाप्ति से पहले नवीनीकरण हेतु आवेदन करें।"
            ),
            size,
        ),
        Spacer(1, size * 4.5),
        para(bilingual("Licensing officer", "अनुज्ञापन अधिकारी", bold=True), size, "right"),
        para(markup(certificate.ulb_name_en), small, "right"),
        Spacer(1, size * 2.5),
        para(markup(f"ID {lic.uuid}"), small * 0.8, "center"),
    ]
    return story


def licence_certificate_pdf(certificate: LicenceCertificate) -> bytes:
    """The certificate on one A4 page."""
    register_fonts()
    margin = 18 * mm
    buffer = BytesIO()
    lic = certificate.licence
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"Trade licence {lic.licence_no}",
        author=certificate.ulb_name_en,
        subject="Trade licence certificate",
        keywords=certificate.verification_text,
        creator="Nikay",
    )

    def on_page(canvas: Any, document: Any) -> None:
        _border(canvas, document)
        if lic.expired:
            _expired_mark(canvas, document)

    doc.build(certificate_story(certificate, A4[0] - 2 * margin), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
