"""The whole thermal receipt drawn by Qt into a 1-bit raster at the printer's dot width.

Thermal printers have no Devanagari font, so everything (Hindi, English, the ₹ sign, the
verification QR) is one image: HTML laid out by QTextDocument (HarfBuzz shaping, font fallback from
Noto Sans to Noto Sans Devanagari), painted (glyphs hinted, not antialiased) on an 8-bit grey QImage
exactly `dots` wide, then thresholded — never dithered — to black and white. Text wraps at word
boundaries, or anywhere when a single word is wider than the paper, so nothing is ever cut off; the
image grows taller instead.

Qt documents QPainter on a QImage and QTextDocument as usable off the GUI thread, which is where the
print queue calls this. app/ reaches it through the `nikay.renderers` entry point
(`render_thermal_1bit_rows`), which returns a plain `MonoRaster`.
"""

from __future__ import annotations

import math
import threading
from html import escape

from PIL import Image
from PySide6.QtCore import QLoggingCategory, QRectF, QUrl
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QTextDocument, QTextOption, qRgb

from app.core.clock import format_date
from app.core.money import format_inr
from app.demand.dto import Service
from app.printing import DOTS_58MM, MonoRaster
from app.receipts.document import InstrumentRow, ReceiptDocument, ReceiptRow

LATIN_FAMILY = "Noto Sans"
DEVANAGARI_FAMILY = "Noto Sans Devanagari"
INK_THRESHOLD = 160  # grey levels below this burn a dot (no dithering)
MARGIN_DOTS = 4  # printers already keep a few mm of margin; the raster uses (almost) all of the width
QR_MODULE_DOTS = 4  # 0.5 mm modules at 203 dpi: a phone reads them from the paper
QR_QUIET_MODULES = 4
# A fixed mask: any of the 8 is a standard, readable QR code; letting qrcode score all 8 (its pure-Python
# penalty rules) costs ~15-25 ms, half the 50 ms budget of a whole receipt.
QR_MASK_PATTERN = 2
ZWSP = "\u200b"

_app_lock = threading.Lock()
_apps: list[QGuiApplication] = []  # keeps the one we create alive


def _ensure_fonts() -> None:
    """A Qt application (offscreen when the CLI or the queue renders without one) and the bundled fonts."""
    with _app_lock:
        if QGuiApplication.instance() is None:
            _apps.append(QGuiApplication(["nikay-render", "-platform", "offscreen"]))
            # Devanagari comes from the fallback face; Qt's note that Noto Sans lacks it is noise here.
            QLoggingCategory.setFilterRules("qt.text.font.db.info=false\nqt.text.font.db.warning=false")
        from ui.fonts import register_fonts

        register_fonts()


def _sizes(dots: int) -> tuple[int, int, int]:
    """Pixel sizes (small, body, big) for a paper width: 58 mm keeps ~28 Latin characters a line."""
    if dots <= DOTS_58MM:
        return 17, 20, 34
    return 20, 24, 40


def _breakable(text: str) -> str:
    """Escaped text with break opportunities after "/" (receipt numbers, addresses) so it wraps."""
    return escape(text).replace("/", "/" + ZWSP)


def _bi(hindi: str, english: str) -> str:
    return f"{escape(hindi)} / {escape(english)}"


def _money(paise: int) -> str:
    return format_inr(paise).replace("-", "\u2212")  # a real minus: rebate and round-off read negative


def _row(label: str, amount: str, *, bold: bool = False, wrap_amount: bool = False) -> str:
    weight = " style='font-weight:bold;'" if bold else ""
    nowrap = "" if wrap_amount else " style='white-space:nowrap;'"
    return f"<tr{weight}><td width='72%'>{label}</td><td align='right'{nowrap}>{amount}</td></tr>"


def _field(label_hi: str, label_en: str, value: str) -> str:
    return f"<p>{_bi(label_hi, label_en)}: <b>{value}</b></p>"


def _head_rows(rows: tuple[ReceiptRow, ...]) -> str:
    return "".join(
        _row(f"{escape(row.fy)} {escape(row.label_hi)} / {escape(row.label_en)}", _money(row.amount_paise))
        for row in rows
    )


def _service_rows(rows: tuple[ReceiptRow, ...]) -> str:
    """A service's rows: the period in both languages, then the head ("नवंबर 2026 / Nov 2026 जल प्रभार / …")."""
    out = []
    for row in rows:
        when = f"{escape(row.period_hi)} / {escape(row.period_en)}" if row.period_en else escape(row.fy)
        out.append(_row(f"{when} {escape(row.label_hi)} / {escape(row.label_en)}", _money(row.amount_paise)))
    return "".join(out)


def _sections_table(document: ReceiptDocument) -> str:
    """A receipt for several services: one titled block per account, with its number and subtotal."""
    table = "<table width='100%' cellspacing='0' cellpadding='1'>"
    table += _row(_bi("विवरण", "Particulars"), "राशि ₹", bold=True, wrap_amount=True)
    for section in document.sections:
        title = _bi(section.title_hi, section.title_en)
        if section.service != Service.PROPERTY:  # the property ID is in the header already
            number = _bi(section.number_label_hi, section.number_label_en)
            title += f"<br/>{number}: {_breakable(section.account_no)}"
        if section.holder:
            title += f" · {escape(section.holder)}"
        table += f"<tr><td colspan='2' style='padding-top:4px;'><b>{title}</b></td></tr>"
        rows = _head_rows(section.rows) if section.service == Service.PROPERTY else _service_rows(section.rows)
        table += rows + _row(_bi("उप-योग", "Subtotal"), _money(section.total_paise), bold=True)
    return table + "</table>"


def _instrument(row: InstrumentRow) -> str:
    parts = [_bi(row.label_hi, row.label_en)]
    if row.number:
        parts.append(f"No. {_breakable(row.number)}")
    if row.instrument_date:
        parts.append(format_date(row.instrument_date))
    if row.bank or row.branch:
        parts.append(_breakable(f"{row.bank} {row.branch}".strip()))
    return _row(" · ".join(parts), _money(row.amount_paise))


def receipt_html(document: ReceiptDocument, dots: int) -> str:
    """The thermal receipt's layout (black on white; sizes in device dots)."""
    small, body, big = _sizes(dots)
    d = document
    out: list[str] = [f"<div style='font-size:{body}px; color:#000;'>"]
    banner = f"style='font-size:{big}px; font-weight:bold;'"
    if d.duplicate:
        out.append(
            "<table width='100%' border='2' cellspacing='0' cellpadding='2' style='border-style:solid;'>"
            f"<tr><td align='center' {banner}>DUPLICATE / प्रतिलिपि</td></tr></table>"
        )
    if d.cancelled:
        word = {"CANCELLED": "CANCELLED / निरस्त", "DISHONOURED": "DISHONOURED / अनादरित"}.get(d.cancelled, d.cancelled)
        reason = f"<br/><span style='font-size:{body}px;'>{escape(d.cancel_reason)}</span>" if d.cancel_reason else ""
        out.append(
            "<table width='100%' border='2' cellspacing='0' cellpadding='2' style='border-style:solid;'>"
            f"<tr><td align='center' {banner}>{escape(word)}{reason}</td></tr></table>"
        )
    out.append(
        f"<p align='center' style='font-size:{round(body * 1.25)}px; font-weight:bold;'>{escape(d.ulb_name_hi)}"
        f"<br/>{escape(d.ulb_name_en)}</p>"
        f"<p align='center'>{_bi('कार्यालय', 'Office')} {escape(d.office_code)} · "
        f"{_bi('काउंटर', 'Counter')} {escape(d.counter_code)}</p>"
        f"<p align='center' style='font-weight:bold;'>{escape(d.title_hi)} / {escape(d.title_en)}</p>"
        "<hr/>"
    )
    out.append(f"<p>{_bi('रसीद क्र.', 'Receipt no.')}<br/><b>{_breakable(d.receipt_no)}</b></p>")
    out.append(_field("दिनांक", "Date", escape(d.collected_at_text)))
    out.append(_field("संग्रहकर्ता", "Collector", escape(d.collector_name)))
    out.append("<hr/>")
    out.append(_field("भुगतानकर्ता", "Payer", escape(d.payer_name)))
    if d.property_id:  # a receipt for a thela's licence or a tenant's user charge has none
        out.append(_field("संपत्ति क्र.", "Property ID", _breakable(d.property_id)))
    out.append(_field("वार्ड", "Ward", str(d.ward_no)))
    address = f"<p>{_bi('पता', 'Address')}:<br/>"
    if d.address_hi:
        address += f"{_breakable(d.address_hi)}<br/>"
    address += f"{_breakable(d.address_en)}</p>"
    out.append(address)
    if not d.combined:  # a combined receipt gives each row its own period
        out.append(_field("अवधि", "Period", escape(d.period_text)))
    out.append("<hr/>")
    if d.combined:
        out.append(_sections_table(d))
    else:
        table = "<table width='100%' cellspacing='0' cellpadding='1'>"
        table += _row(_bi("विवरण", "Particulars"), "राशि ₹", bold=True, wrap_amount=True)
        if d.arrear_rows:
            table += f"<tr><td colspan='2'><b>{_bi('बकाया', 'Arrears')}</b></td></tr>" + _head_rows(d.arrear_rows)
            table += f"<tr><td colspan='2'><b>{_bi('चालू', 'Current')}</b></td></tr>"
        table += _head_rows(d.current_rows) + "</table>"
        out.append(table)
    out.append("<hr/>")
    out.append(
        f"<table width='100%' cellspacing='0' cellpadding='0' style='font-size:{big}px; font-weight:bold;'>"
        f"<tr><td>{_bi('कुल', 'TOTAL')}</td><td align='right' style='white-space:nowrap;'>{_money(d.total_paise)}"
        "</td></tr></table>"
    )
    out.append(f"<p>{escape(d.words_en)}<br/>{escape(d.words_hi)}</p>")
    out.append("<hr/>")
    payment = "<table width='100%' cellspacing='0' cellpadding='1'>"
    payment += "".join(_instrument(row) for row in d.instruments)
    if d.tendered_paise is not None:
        payment += _row(_bi("प्राप्त", "Tendered"), _money(d.tendered_paise))
        payment += _row(_bi("वापसी", "Change"), _money(d.change_paise or 0))
    payment += _row(_bi("शेष बकाया", "Balance still due"), _money(d.balance_due_paise), bold=True)
    if d.advance_credit_paise:
        payment += _row(_bi("अग्रिम जमा", "Advance credit"), _money(d.advance_credit_paise), bold=True)
    payment += "</table>"
    out.append(payment)
    if d.verification:
        out.append(
            f"<hr/><p align='center'><img src='nikay:qr'/><br/>"
            f"<span style='font-size:{small}px;'>{_bi('सत्यापन हेतु स्कैन करें', 'Scan to verify')}</span></p>"
        )
    out.append(
        f"<hr/><p align='center' style='font-size:{small}px;'>{escape(d.footer_hi)}<br/>{escape(d.footer_en)}</p>"
    )
    out.append("</div>")
    return "".join(out)


def qr_image(text: str, max_width: int) -> QImage:
    """The verification QR as crisp square modules (no scaling, no smoothing), quiet zone included."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_QUIET_MODULES, mask_pattern=QR_MASK_PATTERN)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    size = len(matrix)
    module = max(1, min(QR_MODULE_DOTS, max_width // size))
    image = QImage(size * module, size * module, QImage.Format.Format_Grayscale8)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    try:
        black = QColor(0, 0, 0)
        for y, line in enumerate(matrix):
            for x, dark in enumerate(line):
                if dark:
                    painter.fillRect(x * module, y * module, module, module, black)
    finally:
        painter.end()
    return image


def _grey(document: ReceiptDocument, dots: int) -> QImage:
    _ensure_fonts()
    body = _sizes(dots)[1]
    text = QTextDocument()
    font = QFont()
    font.setFamilies([LATIN_FAMILY, DEVANAGARI_FAMILY])
    font.setPixelSize(body)
    # Glyphs drawn black-or-white (hinted) rather than antialiased then thresholded: as crisp on paper,
    # and half the painting time.
    font.setStyleStrategy(QFont.StyleStrategy.NoAntialias)
    text.setDefaultFont(font)
    text.setDocumentMargin(MARGIN_DOTS)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    text.setDefaultTextOption(option)
    text.setDefaultStyleSheet("p { margin-top: 2px; margin-bottom: 2px; } hr { height: 2px; }")
    if document.verification:
        text.addResource(
            QTextDocument.ResourceType.ImageResource.value,
            QUrl("nikay:qr"),
            qr_image(document.verification, dots - 2 * MARGIN_DOTS - 8),
        )
    text.setHtml(receipt_html(document, dots))
    text.setTextWidth(dots)
    height = math.ceil(text.size().height())
    image = QImage(dots, height, QImage.Format.Format_Grayscale8)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    try:
        text.drawContents(painter, QRectF(0, 0, dots, height))
    finally:
        painter.end()
    return image


_INK_LUT = [255 if value < INK_THRESHOLD else 0 for value in range(256)]


def _threshold(grey: QImage) -> MonoRaster:
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    pixels = Image.frombuffer("L", (width, height), bytes(grey.constBits()), "raw", "L", stride, 1)
    ink = pixels.point(_INK_LUT, mode="1")  # Pillow's bit 1 here = ink
    return MonoRaster(width, height, ink.tobytes())


def render_thermal_1bit_rows(document: ReceiptDocument, dots: int) -> MonoRaster:
    """The receipt as packed 1-bit rows exactly `dots` wide (entry point `nikay.renderers:thermal`)."""
    if dots < 128:
        raise ValueError(f"a receipt needs at least 128 dots of paper, not {dots}")
    return _threshold(_grey(document, dots))


def to_qimage(raster: MonoRaster) -> QImage:
    """A MonoRaster as a Format_Mono QImage (index 0 white, 1 black)."""
    image = QImage(raster.data, raster.width, raster.height, raster.row_bytes, QImage.Format.Format_Mono)
    image.setColorTable([qRgb(255, 255, 255), qRgb(0, 0, 0)])
    return image.copy()  # own the pixels (the constructor only borrowed `data`)


def render_thermal(document: ReceiptDocument, dots: int) -> QImage:
    """The whole receipt as a 1-bit (Format_Mono) QImage exactly `dots` wide (384: 58 mm, 576: 80 mm)."""
    return to_qimage(render_thermal_1bit_rows(document, dots))


def render_png(document: ReceiptDocument, dots: int) -> bytes:
    """The thermal raster as a 1-bit PNG (what the printer would burn, dot for dot)."""
    import io

    buffer = io.BytesIO()
    render_thermal_1bit_rows(document, dots).to_pil().save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
