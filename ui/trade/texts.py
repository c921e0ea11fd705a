"""Words of the trade-licence screens, translated in context "TradeTexts" (resources/translations/trade_hi.ts)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.trade.dto import LicenceView

CONTEXT = "TradeTexts"

STATUS: dict[str, str] = {
    "APPLIED": str(QT_TRANSLATE_NOOP("TradeTexts", "Applied")),
    "DOCUMENT_CHECK": str(QT_TRANSLATE_NOOP("TradeTexts", "Document check")),
    "INSPECTION": str(QT_TRANSLATE_NOOP("TradeTexts", "Inspection")),
    "APPROVED": str(QT_TRANSLATE_NOOP("TradeTexts", "Approved — fee due")),
    "APPROVED_PAID": str(QT_TRANSLATE_NOOP("TradeTexts", "Approved — fee paid")),
    "ISSUED": str(QT_TRANSLATE_NOOP("TradeTexts", "Issued")),
    "REJECTED": str(QT_TRANSLATE_NOOP("TradeTexts", "Rejected")),
    "EXPIRED": str(QT_TRANSLATE_NOOP("TradeTexts", "Expired")),
}
KINDS: dict[str, str] = {
    "SHOP": str(QT_TRANSLATE_NOOP("TradeTexts", "Shop")),
    "GUMTI": str(QT_TRANSLATE_NOOP("TradeTexts", "Gumti (kiosk)")),
    "THELA": str(QT_TRANSLATE_NOOP("TradeTexts", "Thela (handcart)")),
    "VEHICLE": str(QT_TRANSLATE_NOOP("TradeTexts", "Vehicle-based trade")),
}
TYPES: dict[str, str] = {
    "NEW": str(QT_TRANSLATE_NOOP("TradeTexts", "New")),
    "RENEWAL": str(QT_TRANSLATE_NOOP("TradeTexts", "Renewal")),
}
ACTIONS: dict[str, str] = {
    "apply": str(QT_TRANSLATE_NOOP("TradeTexts", "Application received")),
    "document_check": str(QT_TRANSLATE_NOOP("TradeTexts", "Sent for document check")),
    "inspection": str(QT_TRANSLATE_NOOP("TradeTexts", "Sent for inspection")),
    "approve": str(QT_TRANSLATE_NOOP("TradeTexts", "Approved, fee raised")),
    "reject": str(QT_TRANSLATE_NOOP("TradeTexts", "Rejected")),
    "issue": str(QT_TRANSLATE_NOOP("TradeTexts", "Licence issued")),
    "expire": str(QT_TRANSLATE_NOOP("TradeTexts", "Expired")),
}
BANDS: dict[str, str] = {
    "LT_7_5": str(QT_TRANSLATE_NOOP("TradeTexts", "road under 7.5 m")),
    "7_5_TO_15": str(QT_TRANSLATE_NOOP("TradeTexts", "road 7.5 m to 15 m")),
    "GT_15": str(QT_TRANSLATE_NOOP("TradeTexts", "road over 15 m")),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def status_text(view: LicenceView) -> str:
    key = view.display_status
    if key == "APPROVED" and view.fee_paid:
        key = "APPROVED_PAID"
    return tr(STATUS.get(key, key))


def kind_text(kind: str) -> str:
    return tr(KINDS.get(kind, kind))


def word(table: dict[str, str], key: str) -> str:
    return tr(table.get(key, key))
