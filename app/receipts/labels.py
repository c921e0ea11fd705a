"""The words a citizen reads on a receipt, in English and Hindi, for each head and mode."""

from __future__ import annotations

from app.collections.dto import Mode
from app.demand.dto import Head

HEAD_LABELS: dict[Head, tuple[str, str]] = {
    Head.PROPERTY_TAX: ("Property tax", "संपत्ति कर"),
    Head.SAMEKIT: ("Consolidated tax", "समेकित कर"),
    Head.EDUCATION_CESS: ("Education cess", "शिक्षा उपकर"),
    Head.SURCHARGE: ("Surcharge", "अधिभार"),
    Head.PENALTY: ("Penalty (return not filed)", "शास्ति (विवरणी नहीं भरी)"),
    Head.REBATE: ("Rebate", "छूट"),
    Head.ROUND_OFF: ("Round off", "पूर्णांकन"),
    Head.ADVANCE: ("Advance", "अग्रिम"),
}

MODE_LABELS: dict[Mode, tuple[str, str]] = {
    Mode.CASH: ("Cash", "नकद"),
    Mode.CHEQUE: ("Cheque", "चेक"),
    Mode.DD: ("Demand draft", "डिमांड ड्राफ्ट"),
    Mode.UPI: ("UPI", "यूपीआई"),
}
