"""On-screen receipt preview: the receipt rendered as HTML in a QTextDocument, Hindi and English side by side.

Printing (thermal / PDF) is a later issue and renders the same ReceiptView through its own renderers; this
is what the clerk sees the moment the receipt is committed, and what a reprint shows (marked DUPLICATE).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from app.collections.dto import Mode, ReceiptView
from app.core.clock import format_date, format_datetime_ist
from app.core.money import format_inr
from app.core.words import amount_in_words
from app.printing import PAPER_DOTS
from app.receipts.document import ReceiptDocument
from ui.counter.labels import RECEIPT_HEADS, RECEIPT_MODES


def _bi(english: str, hindi: str) -> str:
    return f"{escape(hindi)} / {escape(english)}"


def receipt_html(view: ReceiptView) -> str:
    """The receipt as HTML for QTextDocument (bilingual, amount in figures and in words)."""
    head_rows = []
    for line in view.lines:
        english, hindi = RECEIPT_HEADS.get(line.head, (line.head, line.head))
        head_rows.append(
            f"<tr><td>{escape(line.fy)}</td><td>{_bi(english, hindi)}</td>"
            f"<td align='right'>{format_inr(line.amount_paise)}</td></tr>"
        )
    mode_en, mode_hi = RECEIPT_MODES.get(view.mode, (view.mode, view.mode))
    payment = _bi(mode_en, mode_hi)
    if view.mode in (Mode.CHEQUE, Mode.DD):
        dated = format_date(view.instrument_date) if view.instrument_date else ""
        payment += f"<br/>No. {escape(view.instrument_no)} · {dated} · {escape(view.bank)} {escape(view.branch)}"
    elif view.mode == Mode.UPI:
        payment += f"<br/>UTR {escape(view.instrument_no)}"
    elif view.tendered_paise is not None:
        payment += (
            f"<br/>{_bi('Tendered', 'प्राप्त')}: {format_inr(view.tendered_paise)}"
            f" · {_bi('Change', 'वापसी')}: {format_inr(view.change_paise or 0)}"
        )
    banners = []
    if view.duplicate:
        banners.append(
            "<p align='center' style='font-size:x-large; font-weight:bold; color:#b00020;'>DUPLICATE / द्वितीय प्रति</p>"
        )
    if view.cancelled:
        word = {"CANCELLED": "CANCELLED / निरस्त", "DISHONOURED": "DISHONOURED / अनादरित"}.get(
            view.cancelled, view.cancelled
        )
        reason = f"<br/>{escape(view.cancel_reason)}" if view.cancel_reason else ""
        banners.append(
            f"<p align='center' style='font-size:x-large; font-weight:bold; color:#b00020;'>{escape(word)}{reason}</p>"
        )
    ulb = escape(view.ulb_name_hi) + ("<br/>" + escape(view.ulb_name_en) if view.ulb_name_en else "")
    address = escape(view.address_hi or view.address_en)
    if view.address_hi and view.address_en:
        address += f"<br/>{escape(view.address_en)}"
    return f"""
<div style='line-height:135%'>
<p align='center' style='font-size:large; font-weight:bold;'>{ulb}</p>
<p align='center' style='font-weight:bold;'>{_bi("Property tax receipt", "संपत्ति कर रसीद")}</p>
{"".join(banners)}
<table width='100%' cellspacing='0' cellpadding='3'>
<tr><td>{_bi("Receipt no.", "रसीद क्र.")}</td><td align='right'><b>{escape(view.receipt_no)}</b></td></tr>
<tr><td>{_bi("Date", "दिनांक")}</td><td align='right'>{format_datetime_ist(view.collected_at)}</td></tr>
<tr><td>{_bi("Property ID", "संपत्ति क्र.")}</td><td align='right'>{escape(view.property_id)}</td></tr>
<tr><td>{_bi("Ward", "वार्ड")}</td><td align='right'>{view.ward_no}</td></tr>
<tr><td>{_bi("Received from", "भुगतानकर्ता")}</td><td align='right'><b>{escape(view.payer_name)}</b></td></tr>
<tr><td colspan='2'>{address}</td></tr>
</table>
<hr/>
<table width='100%' cellspacing='0' cellpadding='3'>
<tr><th align='left'>{_bi("Year", "वर्ष")}</th><th align='left'>{_bi("Head", "मद")}</th>
<th align='right'>{_bi("Amount", "राशि")}</th></tr>
{"".join(head_rows)}
<tr><td colspan='2'><b>{_bi("Total received", "कुल प्राप्त")}</b></td>
<td align='right' style='font-size:large;'><b>{format_inr(view.amount_paise)}</b></td></tr>
</table>
<p>{escape(amount_in_words(view.amount_paise, "hi"))}<br/>{escape(amount_in_words(view.amount_paise, "en"))}</p>
<p>{_bi("Mode", "भुगतान माध्यम")}: {payment}</p>
<p>{_bi("Still due", "शेष बकाया")}: <b>{format_inr(view.balance_after_paise)}</b></p>
<p>{_bi("Collected by", "संग्रहकर्ता")}: {escape(view.collector_name)}</p>
</div>
"""


class ReceiptPreview(QTextBrowser):
    """Read-only receipt preview. Focus never lands here on its own (the clerk's focus stays in search).

    With `document_of` (services.receipts.document_of) it shows the receipt in the printed receipt's own
    layout (ui/printing/raster.receipt_html, verification QR included), so what the clerk sees
    is what the printer gets; without it, the simpler bilingual HTML above."""

    def __init__(
        self, document_of: Callable[[ReceiptView], ReceiptDocument] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPreview")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setOpenLinks(False)
        self._view: ReceiptView | None = None
        self._document_of = document_of

    @property
    def receipt(self) -> ReceiptView | None:
        return self._view

    def show_receipt(self, view: ReceiptView | None) -> None:
        self._view = view
        if view is None:
            self.clear()
            return
        if self._document_of is None:
            self.setHtml(receipt_html(view))
            return
        from ui.printing.raster import qr_image
        from ui.printing.raster import receipt_html as printed_layout

        document = self._document_of(view)
        dots = PAPER_DOTS[58]  # the 58 mm sizes read comfortably on a 1366x768 screen
        if document.verification:
            self.document().addResource(
                QTextDocument.ResourceType.ImageResource.value, QUrl("nikay:qr"), qr_image(document.verification, dots)
            )
        self.setHtml(printed_layout(document, dots))

    def plain_text(self) -> str:
        """The text a person reads (the layout's invisible wrap points removed)."""
        return self.document().toPlainText().replace("\u200b", "").replace("\u00ad", "")
