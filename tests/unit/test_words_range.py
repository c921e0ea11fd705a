"""Amount in words from ₹0 to ₹99,99,99,999.99, in English and Hindi (issue 3 item 4).

Hindi is checked by reading the words back into a number with an independent reader (a table of
the 100 irregular words typed separately from app/core/words.py, and the scale words), over every
value 0-99 999 and a seeded sample up to 99 crore; English by num2words' own en_IN reading and
known texts.
"""

from __future__ import annotations

import random

import pytest

from app.core.words import amount_in_words, english_number, hindi_number

# Typed independently of app/core/words.py, from a printed Hindi number chart.
HINDI_CHART = {
    "शून्य": 0,
    "एक": 1,
    "दो": 2,
    "तीन": 3,
    "चार": 4,
    "पाँच": 5,
    "छह": 6,
    "सात": 7,
    "आठ": 8,
    "नौ": 9,
    "दस": 10,
    "ग्यारह": 11,
    "बारह": 12,
    "तेरह": 13,
    "चौदह": 14,
    "पंद्रह": 15,
    "सोलह": 16,
    "सत्रह": 17,
    "अठारह": 18,
    "उन्नीस": 19,
    "बीस": 20,
    "इक्कीस": 21,
    "बाईस": 22,
    "तेईस": 23,
    "चौबीस": 24,
    "पच्चीस": 25,
    "छब्बीस": 26,
    "सत्ताईस": 27,
    "अट्ठाईस": 28,
    "उनतीस": 29,
    "तीस": 30,
    "इकतीस": 31,
    "बत्तीस": 32,
    "तैंतीस": 33,
    "चौंतीस": 34,
    "पैंतीस": 35,
    "छत्तीस": 36,
    "सैंतीस": 37,
    "अड़तीस": 38,
    "उनतालीस": 39,
    "चालीस": 40,
    "इकतालीस": 41,
    "बयालीस": 42,
    "तैंतालीस": 43,
    "चवालीस": 44,
    "पैंतालीस": 45,
    "छियालीस": 46,
    "सैंतालीस": 47,
    "अड़तालीस": 48,
    "उनचास": 49,
    "पचास": 50,
    "इक्यावन": 51,
    "बावन": 52,
    "तिरपन": 53,
    "चौवन": 54,
    "पचपन": 55,
    "छप्पन": 56,
    "सत्तावन": 57,
    "अट्ठावन": 58,
    "उनसठ": 59,
    "साठ": 60,
    "इकसठ": 61,
    "बासठ": 62,
    "तिरसठ": 63,
    "चौंसठ": 64,
    "पैंसठ": 65,
    "छियासठ": 66,
    "सड़सठ": 67,
    "अड़सठ": 68,
    "उनहत्तर": 69,
    "सत्तर": 70,
    "इकहत्तर": 71,
    "बहत्तर": 72,
    "तिहत्तर": 73,
    "चौहत्तर": 74,
    "पचहत्तर": 75,
    "छिहत्तर": 76,
    "सतहत्तर": 77,
    "अठहत्तर": 78,
    "उन्यासी": 79,
    "अस्सी": 80,
    "इक्यासी": 81,
    "बयासी": 82,
    "तिरासी": 83,
    "चौरासी": 84,
    "पचासी": 85,
    "छियासी": 86,
    "सत्तासी": 87,
    "अट्ठासी": 88,
    "नवासी": 89,
    "नब्बे": 90,
    "इक्यानबे": 91,
    "बानबे": 92,
    "तिरानबे": 93,
    "चौरानबे": 94,
    "पंचानबे": 95,
    "छियानबे": 96,
    "सत्तानबे": 97,
    "अट्ठानबे": 98,
    "निन्यानबे": 99,
}
SCALES = {"सौ": 100, "हज़ार": 1_000, "लाख": 100_000, "करोड़": 10_000_000}
MAX_RUPEES = 99_99_99_999


def read_hindi(words: str) -> int:
    """Hindi number words back to a number (Indian system: crore, lakh, thousand, hundred)."""
    total = 0
    pending = 0
    for word in words.split():
        if word in HINDI_CHART:
            pending += HINDI_CHART[word]
        elif word in SCALES:
            total += pending * SCALES[word]
            pending = 0
        else:
            raise ValueError(f"unknown word {word!r} in {words!r}")
    return total + pending


def test_chart_has_a_hundred_distinct_words() -> None:
    assert sorted(HINDI_CHART.values()) == list(range(100))


def test_every_value_up_to_a_lakh_reads_back() -> None:
    for value in range(100_000):
        assert read_hindi(hindi_number(value)) == value, value


def test_a_sample_up_to_99_crore_reads_back_in_both_languages() -> None:
    rng = random.Random(20261128)
    values = [rng.randrange(MAX_RUPEES + 1) for _ in range(20_000)]
    values += [MAX_RUPEES, 10_000_000, 10_00_00_000 - 1, 1_00_000, 99_999, 1_00_001, 10_00_001]
    for value in values:
        assert read_hindi(hindi_number(value)) == value, value
        english = english_number(value)
        assert english and "," not in english and "-" not in english


@pytest.mark.parametrize(
    ("paise", "english", "hindi"),
    [
        (0, "Rupees Zero Only", "शून्य रुपये मात्र"),
        (1, "Rupees Zero and One Paise Only", "शून्य रुपये और एक पैसे मात्र"),
        (
            99_99_99_999_99,
            "Rupees Ninety Nine Crore Ninety Nine Lakh Ninety Nine Thousand Nine Hundred Ninety Nine"
            " and Ninety Nine Paise Only",
            "निन्यानबे करोड़ निन्यानबे लाख निन्यानबे हज़ार नौ सौ निन्यानबे रुपये और निन्यानबे पैसे मात्र",
        ),
        (1_00_00_000_00, "Rupees One Crore Only", "एक करोड़ रुपये मात्र"),
        (1_00_000_50, "Rupees One Lakh and Fifty Paise Only", "एक लाख रुपये और पचास पैसे मात्र"),
    ],
)
def test_known_amounts(paise: int, english: str, hindi: str) -> None:
    assert amount_in_words(paise, "en") == english
    assert amount_in_words(paise, "hi") == hindi
