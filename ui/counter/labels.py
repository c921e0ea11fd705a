"""Names of heads and modes as a person reads them.

On screen they go through Qt translations (context "CounterLabels"), so they follow the language switch.
A receipt is always bilingual, whatever the UI language: `RECEIPT_HEADS` / `RECEIPT_MODES` hold both.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.collections.dto import Mode
from app.demand.dto import Head, Service
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
        Head.WATER_CHARGE: QCoreApplication.translate("CounterLabels", "Water charge"),
        Head.WATER_CONNECTION_FEE: QCoreApplication.translate("CounterLabels", "Water connection fee"),
        Head.WATER_REGULARISATION_FEE: QCoreApplication.translate("CounterLabels", "Regularisation fee"),
        Head.WATER_RECONNECTION_FEE: QCoreApplication.translate("CounterLabels", "Reconnection fee"),
        Head.TRADE_LICENCE_FEE: QCoreApplication.translate("CounterLabels", "Trade licence fee"),
        Head.SWM_USER_CHARGE: QCoreApplication.translate("CounterLabels", "User charge (sanitation)"),
    }
    return texts.get(head, head)


def service_label(service: str) -> str:
    """The badge of a service (search results, bill sections), in the current UI language."""
    texts: dict[str, str] = {
        Service.PROPERTY: QCoreApplication.translate("CounterLabels", "Property"),
        Service.WATER: QCoreApplication.translate("CounterLabels", "Water"),
        Service.TRADE: QCoreApplication.translate("CounterLabels", "Licence"),
        Service.SWM: QCoreApplication.translate("CounterLabels", "User charge"),
    }
    return texts.get(service, service)


def status_label(status: str) -> str:
    """An account's status in a search result (shown when it is not simply active)."""
    texts: dict[str, str] = {
        "ACTIVE": QCoreApplication.translate("CounterLabels", "Active"),
        "DISCONNECTED": QCoreApplication.translate("CounterLabels", "Disconnected"),
        "APPLIED": QCoreApplication.translate("CounterLabels", "Applied"),
        "DOCUMENT_CHECK": QCoreApplication.translate("CounterLabels", "Document check"),
        "INSPECTION": QCoreApplication.translate("CounterLabels", "Inspection"),
        "APPROVED": QCoreApplication.translate("CounterLabels", "Fee due"),
        "ISSUED": QCoreApplication.translate("CounterLabels", "Issued"),
        "EXPIRED": QCoreApplication.translate("CounterLabels", "Expired"),
        "REJECTED": QCoreApplication.translate("CounterLabels", "Rejected"),
        "CLOSED": QCoreApplication.translate("CounterLabels", "Closed"),
    }
    return texts.get(status, status.replace("_", " ").capitalize())


# Badge colours per service: distinct at a glance, dark enough for white text.
SERVICE_COLOURS: dict[str, str] = {
    Service.PROPERTY: "#1f3a5f",
    Service.WATER: "#0a6f8f",
    Service.TRADE: "#7a3e9d",
    Service.SWM: "#2e7d32",
}

MONTHS = (
    QT_TRANSLATE_NOOP("CounterLabels", "Jan"),
    QT_TRANSLATE_NOOP("CounterLabels", "Feb"),
    QT_TRANSLATE_NOOP("CounterLabels", "Mar"),
    QT_TRANSLATE_NOOP("CounterLabels", "Apr"),
    QT_TRANSLATE_NOOP("CounterLabels", "May"),
    QT_TRANSLATE_NOOP("CounterLabels", "Jun"),
    QT_TRANSLATE_NOOP("CounterLabels", "Jul"),
    QT_TRANSLATE_NOOP("CounterLabels", "Aug"),
    QT_TRANSLATE_NOOP("CounterLabels", "Sep"),
    QT_TRANSLATE_NOOP("CounterLabels", "Oct"),
    QT_TRANSLATE_NOOP("CounterLabels", "Nov"),
    QT_TRANSLATE_NOOP("CounterLabels", "Dec"),
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4}-\d{2})-Q([1-4])$")
_QUARTER_MONTHS = {1: (3, 5), 2: (6, 8), 3: (9, 11), 4: (0, 2)}  # Q1 = Apr–Jun (indexes into MONTHS)


def period_label(period: str) -> str:
    """A demand period in words: "2026-11" -> "Nov 2026", "2026-27-Q3" -> "Q3 2026-27 (Oct–Dec)",
    "2026-27" -> "FY 2026-27". Anything else is shown as it is."""
    quarter = _QUARTER.match(period)
    if quarter:
        first, last = _QUARTER_MONTHS[int(quarter.group(2))]
        months = (
            QCoreApplication.translate("CounterLabels", str(MONTHS[first]))
            + "–"
            + QCoreApplication.translate("CounterLabels", str(MONTHS[last]))
        )
        return (
            QCoreApplication.translate("CounterLabels", "Q%1 %2 (%3)")
            .replace("%1", quarter.group(2))
            .replace("%2", quarter.group(1))
            .replace("%3", months)
        )
    month = _MONTH.match(period)
    if month:
        number = int(month.group(2))
        if 1 <= number <= 12:
            name = QCoreApplication.translate("CounterLabels", str(MONTHS[number - 1]))
            return f"{name} {month.group(1)}"
        return QCoreApplication.translate("CounterLabels", "FY %1").replace("%1", period)  # "2026-27"
    return period


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
