"""On-screen receipt preview: the printed receipt's layout in a QTextBrowser, Hindi and English side by side.

It draws the same receipt document (app/receipts/document.py) with the same HTML as the thermal renderer;
this is what the clerk sees the moment the receipt is committed, and what a reprint shows (DUPLICATE).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from app.collections.dto import ReceiptView
from app.printing import PAPER_DOTS
from app.receipts.document import ReceiptDocument


class ReceiptPreview(QTextBrowser):
    """Read-only receipt preview. Focus never lands here on its own (the clerk's focus stays in search).

    It shows the receipt in the printed receipt's own layout (ui/printing/raster.receipt_html,
    verification QR included), from `document_of` (services.receipts.document_of): what the clerk
    sees is what the printer gets."""

    def __init__(self, document_of: Callable[[ReceiptView], ReceiptDocument], parent: QWidget | None = None) -> None:
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
        from ui.printing.raster import qr_image, receipt_html

        document = self._document_of(view)
        dots = PAPER_DOTS[58]  # the 58 mm sizes read comfortably on a 1366x768 screen
        if document.verification:
            self.document().addResource(
                QTextDocument.ResourceType.ImageResource.value, QUrl("nikay:qr"), qr_image(document.verification, dots)
            )
        self.setHtml(receipt_html(document, dots))

    def plain_text(self) -> str:
        """The text a person reads (the layout's invisible wrap points removed)."""
        return self.document().toPlainText().replace("\u200b", "").replace("\u00ad", "")
