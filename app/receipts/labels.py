"""The words a citizen reads on a receipt, in English and Hindi, for each head and mode."""

from __future__ import annotations

from app.collections.dto import Mode
from app.demand.dto import Head, Service

HEAD_LABELS: dict[Head, tuple[str, str]] = {
    Head.PROPERTY_TAX: ("Property tax", "संपत्ति कर"),
    Head.SAMEKIT: ("Consolidated tax", "समेकित कर"),
    Head.EDUCATION_CESS: ("Education cess", "शिक्षा उपकर"),
    Head.SURCHARGE: ("Surcharge", "अधिभार"),
    Head.PENALTY: ("Penalty (return not filed)", "शास्ति (विवरणी नहीं भरी)"),
    Head.REBATE: ("Rebate", "छूट"),
    Head.ROUND_OFF: ("Round off", "पूर्णांकन"),
    Head.ADVANCE: ("Advance", "अग्रिम"),
    Head.WATER_CHARGE: ("Water charge", "जल प्रभार"),
    Head.WATER_CONNECTION_FEE: ("Water connection fee", "नल कनेक्शन शुल्क"),
    Head.WATER_REGULARISATION_FEE: ("Regularisation fee", "नियमितीकरण शुल्क"),
    Head.WATER_RECONNECTION_FEE: ("Reconnection fee", "पुनर्संयोजन शुल्क"),
    Head.TRADE_LICENCE_FEE: ("Trade licence fee", "व्यापार अनुज्ञप्ति शुल्क"),
    Head.SWM_USER_CHARGE: ("User charge (sanitation)", "यूजर चार्ज (स्वच्छता शुल्क)"),
    Head.PERMIT_SCRUTINY_FEE: ("Plan scrutiny fee", "मानचित्र परीक्षण शुल्क"),
    Head.PERMIT_FEE: ("Building permission fee", "भवन अनुज्ञा शुल्क"),
    Head.LABOUR_CESS: ("Labour cess", "श्रमिक उपकर"),
}

# A receipt groups its lines by service, each under its title and the account's number.
SERVICE_LABELS: dict[Service, tuple[str, str]] = {
    Service.PROPERTY: ("Property tax", "संपत्ति कर"),
    Service.WATER: ("Water", "जल"),
    Service.TRADE: ("Trade licence", "व्यापार अनुज्ञप्ति"),
    Service.SWM: ("Solid-waste user charge", "ठोस अपशिष्ट यूजर चार्ज"),
    Service.PERMIT: ("Building permission", "भवन अनुज्ञा"),
}

# What the account number is called, per service.
ACCOUNT_NUMBER_LABELS: dict[Service, tuple[str, str]] = {
    Service.PROPERTY: ("Property ID", "संपत्ति क्र."),
    Service.WATER: ("Consumer no.", "उपभोक्ता क्र."),
    Service.TRADE: ("Licence no.", "अनुज्ञप्ति क्र."),
    Service.SWM: ("Payer ID", "भुगतानकर्ता आईडी"),
    Service.PERMIT: ("Application no.", "आवेदन क्र."),
}

MODE_LABELS: dict[Mode, tuple[str, str]] = {
    Mode.CASH: ("Cash", "नकद"),
    Mode.CHEQUE: ("Cheque", "चेक"),
    Mode.DD: ("Demand draft", "डिमांड ड्राफ्ट"),
    Mode.UPI: ("UPI", "यूपीआई"),
}
