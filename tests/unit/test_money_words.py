from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.money import MoneyFormatError, format_inr, parse_rupees, percent_of, round_half_up_paise, round_to_rupee
from app.core.words import amount_in_words, hindi_number


@pytest.mark.parametrize(
    ("paise", "text"),
    [(0, "₹0.00"), (5, "₹0.05"), (100000, "₹1,000.00"), (1234567800, "₹1,23,45,678.00"), (-211900, "-₹2,119.00")],
)
def test_indian_grouping(paise: int, text: str) -> None:
    assert format_inr(paise) == text


@pytest.mark.parametrize(("typed", "paise"), [("1500", 150000), ("1,500.5", 150050), ("₹ 2,119.00", 211900)])
def test_parse_rupees(typed: str, paise: int) -> None:
    assert parse_rupees(typed) == paise


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.234", "NaN", "1e400"])
def test_parse_rupees_refuses_what_is_not_money(typed: str) -> None:
    with pytest.raises(MoneyFormatError):
        parse_rupees(typed)


def test_half_up_rounding() -> None:
    assert round_half_up_paise(Decimal("10124.5")) == 10125
    assert round_half_up_paise(Decimal("10124.49")) == 10124
    assert percent_of(162000, Decimal("6.25")) == 10125
    assert round_to_rupee(211875) == 211900
    assert round_to_rupee(211850) == 211900  # 0.50 goes up
    assert round_to_rupee(211849) == 211800


@given(st.integers(min_value=0, max_value=10**12))
def test_round_to_rupee_is_within_half_a_rupee(paise: int) -> None:
    rounded = round_to_rupee(paise)
    assert rounded % 100 == 0
    assert -50 < rounded - paise <= 50


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "शून्य"),
        (19, "उन्नीस"),
        (99, "निन्यानबे"),
        (100, "एक सौ"),
        (2119, "दो हज़ार एक सौ उन्नीस"),
        (100000, "एक लाख"),
        (12345678, "एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर"),
    ],
)
def test_hindi_numbers(value: int, words: str) -> None:
    assert hindi_number(value) == words


def test_amount_in_words_both_languages() -> None:
    assert amount_in_words(211900) == "Rupees Two Thousand One Hundred Nineteen Only"
    assert amount_in_words(10125, "hi") == "एक सौ एक रुपये और पच्चीस पैसे मात्र"
    assert (
        amount_in_words(1234567800)
        == "Rupees One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight Only"
    )
