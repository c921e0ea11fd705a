"""Amounts in words, Indian system (lakh, crore), in English and Hindi.

English comes from num2words (`en_IN`); it has no Hindi, so Hindi uses its own table: the words
for 0-99 are irregular and must be listed, then सौ, हज़ार, लाख, करोड़.
"""

from __future__ import annotations

import unicodedata

from num2words import num2words

_HINDI_0_99 = [
    "शून्य",
    "एक",
    "दो",
    "तीन",
    "चार",
    "पाँच",
    "छह",
    "सात",
    "आठ",
    "नौ",
    "दस",
    "ग्यारह",
    "बारह",
    "तेरह",
    "चौदह",
    "पंद्रह",
    "सोलह",
    "सत्रह",
    "अठारह",
    "उन्नीस",
    "बीस",
    "इक्कीस",
    "बाईस",
    "तेईस",
    "चौबीस",
    "पच्चीस",
    "छब्बीस",
    "सत्ताईस",
    "अट्ठाईस",
    "उनतीस",
    "तीस",
    "इकतीस",
    "बत्तीस",
    "तैंतीस",
    "चौंतीस",
    "पैंतीस",
    "छत्तीस",
    "सैंतीस",
    "अड़तीस",
    "उनतालीस",
    "चालीस",
    "इकतालीस",
    "बयालीस",
    "तैंतालीस",
    "चवालीस",
    "पैंतालीस",
    "छियालीस",
    "सैंतालीस",
    "अड़तालीस",
    "उनचास",
    "पचास",
    "इक्यावन",
    "बावन",
    "तिरपन",
    "चौवन",
    "पचपन",
    "छप्पन",
    "सत्तावन",
    "अट्ठावन",
    "उनसठ",
    "साठ",
    "इकसठ",
    "बासठ",
    "तिरसठ",
    "चौंसठ",
    "पैंसठ",
    "छियासठ",
    "सड़सठ",
    "अड़सठ",
    "उनहत्तर",
    "सत्तर",
    "इकहत्तर",
    "बहत्तर",
    "तिहत्तर",
    "चौहत्तर",
    "पचहत्तर",
    "छिहत्तर",
    "सतहत्तर",
    "अठहत्तर",
    "उन्यासी",
    "अस्सी",
    "इक्यासी",
    "बयासी",
    "तिरासी",
    "चौरासी",
    "पचासी",
    "छियासी",
    "सत्तासी",
    "अट्ठासी",
    "नवासी",
    "नब्बे",
    "इक्यानबे",
    "बानबे",
    "तिरानबे",
    "चौरानबे",
    "पंचानबे",
    "छियानबे",
    "सत्तानबे",
    "अट्ठानबे",
    "निन्यानबे",
]
assert len(_HINDI_0_99) == 100

_HINDI_SCALES = ((10_000_000, "करोड़"), (100_000, "लाख"), (1_000, "हज़ार"), (100, "सौ"))


def hindi_number(value: int) -> str:
    """A whole number in Hindi words (NFC)."""
    if value < 0:
        return "ऋण " + hindi_number(-value)
    if value < 100:
        return _HINDI_0_99[value]
    parts: list[str] = []
    rest = value
    for size, word in _HINDI_SCALES:
        if rest >= size:
            count, rest = divmod(rest, size)
            parts.append(f"{hindi_number(count)} {word}")
    if rest:
        parts.append(_HINDI_0_99[rest])
    return unicodedata.normalize("NFC", " ".join(parts))


def english_number(value: int) -> str:
    return str(num2words(value, lang="en_IN")).replace(",", "").replace("-", " ").title().replace(" And ", " ")


def amount_in_words(amount_paise: int, language: str = "en") -> str:
    """'Rupees Two Thousand One Hundred Nineteen Only' / 'दो हज़ार एक सौ उन्नीस रुपये मात्र'."""
    rupees, paise = divmod(abs(amount_paise), 100)
    if language == "hi":
        text = f"{hindi_number(rupees)} रुपये"
        if paise:
            text += f" और {hindi_number(paise)} पैसे"
        return unicodedata.normalize("NFC", text + " मात्र")
    text = f"Rupees {english_number(rupees)}"
    if paise:
        text += f" and {english_number(paise)} Paise"
    return text + " Only"
