"""Receipt documents for every renderer, with their verification code, and checking a scanned code."""

from __future__ import annotations

from app.collections.dto import ReceiptView
from app.collections.service import CollectionService
from app.masters.service import DeviceInfo
from app.receipts.document import ReceiptDocument, build_document
from app.receipts.verification import Verification, verification_text, verify


class ReceiptDocuments:
    def __init__(self, collections: CollectionService, device: DeviceInfo, receipt_key: bytes) -> None:
        self._collections = collections
        self._device = device
        self._key = receipt_key

    def for_receipt(self, uuid: str, duplicate: bool = False) -> ReceiptDocument:
        """The document of a saved receipt; `duplicate` for a reprint (record it with collections.reprint)."""
        return self.document_of(self._collections.get_receipt(uuid, duplicate=duplicate))

    def document_of(self, view: ReceiptView) -> ReceiptDocument:
        """The document of a receipt already read (no database access: safe on the GUI thread)."""
        code = verification_text(self._key, view.receipt_no, view.uuid, view.amount_paise, view.business_date)
        return build_document(
            view, office_code=self._device.office_code, counter_code=self._device.counter_code, verification=code
        )

    def for_number(self, receipt_no: str, duplicate: bool = False) -> ReceiptDocument:
        return self.for_receipt(self._collections.find_receipt(receipt_no).uuid, duplicate)

    def verify(self, text: str) -> Verification:
        """Check a scanned code against this device's key and its saved receipts."""
        return verify(self._key, text, self._collections.find_receipt)
