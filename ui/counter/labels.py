"""Names of heads and modes as a person reads them.

On screen they go through Qt translations (context "CounterLabels"), so they follow the language switch.
A receipt is always bilingual, whatever the UI language: `RECEIPT_HEADS` / `RECEIPT_MODES` hold both.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.collections.dto import Mode
from app.demand.dto import Head
from app.receipts.labels import HEAD_LABELS, MODE_LABELS


def head_label(head: str) -> str:
    """The on-screen name of a demand head, in the current UI language."""
    texts: dict[str, str] = {
        Head.PROPERTY_TAX: QCoreApplication.translate("CounterLabels", "Property tax"),
        Head.SAMEKIT: QCoreApplication.translate("CounterLabels", "Consolidated tax"),
        Head.EDUCATION_CESS: QCoreApplication.translate("CounterLabels", "Education cess"),
        Head.SURCHARGE: QCoreApplication.translate("CounterLabels", "Surcharge"),
        Head.PENALTY: QCoreApplication.translate("CounterLabels", "Penalty"),
        Head.REBATE: QCoreApplication.translate("CounterLabels", "Rebate"),
        Head.ROUND_OFF: QCoreApplication.translate("CounterLabels", "Round off"),
        Head.ADVANCE: QCoreApplication.translate("CounterLabels", "Advance"),
    }
    return texts.get(head, head)


def mode_label(mode: str) -> str:
    texts: dict[str, str] = {
        Mode.CASH: QCoreApplication.translate("CounterLabels", "Cash"),
        Mode.CHEQUE: QCoreApplication.translate("CounterLabels", "Cheque"),
        Mode.DD: QCoreApplication.translate("CounterLabels", "DD"),
        Mode.UPI: QCoreApplication.translate("CounterLabels", "UPI"),
    }
    return texts.get(mode, mode)


# Receipts print both languages side by side: (English, Hindi), from the receipt document's own labels.
RECEIPT_HEADS: dict[str, tuple[str, str]] = dict(HEAD_LABELS)
RECEIPT_MODES: dict[str, tuple[str, str]] = dict(MODE_LABELS)
