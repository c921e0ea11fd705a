"""Rebate, surcharge and penalty as of the payment date, and how payments are allocated."""

from __future__ import annotations

from datetime import date

import pytest

from app.demand.dto import Dues, Head
from app.demand.dues import Ledger, PaidLine, allocate, compute_dues
from app.errors import ValidationError
from app.masters.tariffs import TariffBook, load_tariff_book
from app.paths import RESOURCES_DIR

PT, SK, EC = Head.PROPERTY_TAX, Head.SAMEKIT, Head.EDUCATION_CESS


@pytest.fixture(scope="module")
def book() -> TariffBook:
    return load_tariff_book(RESOURCES_DIR / "tariffs")


def worked_example(*fys: str, filed: bool = True, paid: tuple[PaidLine, ...] = ()) -> Ledger:
    """Zone B, 1,000 sq ft RCC_RB residential: ₹1,620 tax + ₹600 samekit a year."""
    demands = {}
    for fy in fys:
        demands |= {(fy, PT): 162000, (fy, SK): 60000, (fy, EC): 0}
    return Ledger("p1", "DEMO", demands, paid, {fy: filed for fy in fys})


def by_head(dues: Dues) -> dict[tuple[str, Head], int]:
    return {(line.fy, line.head): line.due_paise for line in dues.lines}


def test_worked_example_paid_in_full_on_15_june(book: TariffBook) -> None:
    dues = compute_dues(book, worked_example("2026-27"), date(2026, 6, 15))
    assert dues.gross_due_paise == 222000
    assert dues.rebate is not None
    assert dues.rebate.amount_paise == 10125
    assert dues.rebate.valid_until == date(2026, 7, 31)
    assert dues.round_off_paise == 25
    assert dues.payable_paise == 211900
    allocation = allocate(dues, 211900)
    assert allocation.full_settlement
    assert [(line.head, line.amount_paise) for line in allocation.lines] == [
        (PT, 162000),
        (SK, 60000),
        (Head.REBATE, -10125),
        (Head.ROUND_OFF, 25),
    ]
    assert sum(line.amount_paise for line in allocation.lines) == 211900
    assert allocation.balance_after_paise == 0


@pytest.mark.parametrize(
    ("day", "rebate_paise"),
    [
        (date(2026, 4, 1), 10125),
        (date(2026, 7, 31), 10125),  # last day of 6.25%
        (date(2026, 8, 1), 6480),  # 4% of ₹1,620
        (date(2026, 12, 30), 6480),  # last day of 4%
        (date(2026, 12, 31), 0),
        (date(2027, 3, 31), 0),
    ],
)
def test_rebate_windows(book: TariffBook, day: date, rebate_paise: int) -> None:
    dues = compute_dues(book, worked_example("2026-27"), day)
    assert (dues.rebate.amount_paise if dues.rebate else 0) == rebate_paise


def test_no_rebate_once_part_of_the_year_was_paid(book: TariffBook) -> None:
    paid = (PaidLine("2026-27", PT, 50000, date(2026, 5, 2)),)
    dues = compute_dues(book, worked_example("2026-27", paid=paid), date(2026, 6, 15))
    assert dues.rebate is None
    assert dues.payable_paise == 172000


def test_surcharge_starts_on_1_april_of_the_next_year(book: TariffBook) -> None:
    ledger = worked_example("2025-26", "2026-27")
    on_31_march = compute_dues(book, ledger, date(2026, 3, 31))
    assert (("2025-26", Head.SURCHARGE)) not in by_head(on_31_march)
    on_1_april = compute_dues(book, ledger, date(2026, 4, 1))
    # 18% of the unpaid ₹2,220 (tax + samekit + cess) of 2025-26 = ₹399.60; not of the current year.
    assert by_head(on_1_april)[("2025-26", Head.SURCHARGE)] == 39960
    assert ("2026-27", Head.SURCHARGE) not in by_head(on_1_april)


def test_surcharge_is_on_what_was_unpaid_the_day_before_and_not_compounded(book: TariffBook) -> None:
    paid = (
        PaidLine("2025-26", PT, 100000, date(2026, 3, 20)),  # before the surcharge date: reduces it
        PaidLine("2025-26", PT, 20000, date(2026, 4, 5)),  # after: does not
    )
    ledger = worked_example("2025-26", "2026-27", paid=paid)
    dues = compute_dues(book, ledger, date(2027, 6, 1))  # a year later: still charged once
    assert by_head(dues)[("2025-26", Head.SURCHARGE)] == 21960  # 18% of (2,220 - 1,000)


def test_penalty_for_an_unfiled_return_is_not_surcharged_and_keeps_the_rebate(book: TariffBook) -> None:
    ledger = Ledger(
        "p1",
        "DEMO",
        {("2025-26", PT): 162000, ("2025-26", SK): 60000, ("2026-27", PT): 162000, ("2026-27", SK): 60000},
        (),
        {"2025-26": False, "2026-27": False},
    )
    dues = compute_dues(book, ledger, date(2026, 6, 15))
    lines = by_head(dues)
    assert lines[("2025-26", Head.PENALTY)] == 100000
    assert lines[("2025-26", Head.SURCHARGE)] == 39960  # 18% of 2,220: the penalty is not in the base
    assert ("2026-27", Head.PENALTY) not in lines  # the current year's return is not yet late
    assert dues.rebate is not None and dues.rebate.amount_paise == 10125


def test_assess_example_with_an_arrear_year(book: TariffBook) -> None:
    dues = compute_dues(book, worked_example("2025-26", "2026-27"), date(2026, 6, 15))
    # 2,220 + 399.60 surcharge + 2,220 - 101.25 rebate = 4,738.35 -> ₹4,738 (round-off -0.35)
    assert dues.gross_due_paise == 483960
    assert dues.payable_paise == 473800
    assert dues.round_off_paise == -35


def test_part_payment_goes_oldest_year_first_penalty_and_surcharge_first(book: TariffBook) -> None:
    ledger = worked_example("2025-26", "2026-27", filed=False)
    dues = compute_dues(book, ledger, date(2026, 6, 15))
    allocation = allocate(dues, 150000)
    assert not allocation.full_settlement
    assert [(line.fy, line.head, line.amount_paise) for line in allocation.lines] == [
        ("2025-26", Head.PENALTY, 100000),
        ("2025-26", Head.SURCHARGE, 39960),
        ("2025-26", PT, 10040),
    ]
    assert allocation.rebate_paise == 0
    assert allocation.balance_after_paise == dues.gross_due_paise - 150000


def test_overpayment_becomes_advance_and_is_used_next_time(book: TariffBook) -> None:
    dues = compute_dues(book, worked_example("2026-27"), date(2026, 6, 15))
    allocation = allocate(dues, 250000)
    assert allocation.advance_created_paise == 250000 - 211900
    assert allocation.lines[-1].head == Head.ADVANCE
    paid = tuple(PaidLine(line.fy, line.head, line.amount_paise, date(2026, 6, 15)) for line in allocation.lines)
    later = worked_example("2026-27", "2027-28", paid=paid)
    # The next year's bill (with the same demand) takes the ₹381 credit off.
    next_year = compute_dues(book, later, date(2027, 6, 15)) if book.has_property_tax("DEMO", "2027-28") else None
    if next_year is None:  # no 2027-28 tariff shipped: check the advance through a part payment instead
        dues_again = compute_dues(
            book,
            Ledger("p1", "DEMO", {("2026-27", PT): 162000, ("2026-27", SK): 60000, ("2026-27", EC): 0}, paid, {}),
            date(2026, 6, 20),
        )
        assert dues_again.advance_paise == 38100
        assert dues_again.payable_paise == 0


def test_part_payment_uses_advance_first(book: TariffBook) -> None:
    paid = (PaidLine("2026-27", Head.ADVANCE, 30000, date(2026, 5, 1)),)
    dues = compute_dues(book, worked_example("2026-27", paid=paid), date(2026, 9, 1))
    allocation = allocate(dues, 50000)
    assert [(line.head, line.amount_paise) for line in allocation.lines] == [(PT, 80000), (Head.ADVANCE, -30000)]
    assert sum(line.amount_paise for line in allocation.lines) == 50000


def test_zero_or_negative_amount_is_refused(book: TariffBook) -> None:
    dues = compute_dues(book, worked_example("2026-27"), date(2026, 6, 15))
    with pytest.raises(ValidationError, match="more than"):
        allocate(dues, 0)


def test_a_rebated_payment_settles_the_tax_exactly(book: TariffBook) -> None:
    dues = compute_dues(book, worked_example("2026-27"), date(2026, 6, 15))
    allocation = allocate(dues, dues.payable_paise)
    paid = tuple(PaidLine(line.fy, line.head, line.amount_paise, date(2026, 6, 15)) for line in allocation.lines)
    later = compute_dues(book, worked_example("2026-27", paid=paid), date(2026, 6, 16))
    assert later.lines == ()
    # Were the year's tax revised upwards by ₹100, exactly ₹100 would be due (the rebate is not a payment).
    revised = worked_example("2026-27", paid=paid)
    revised.demands[("2026-27", PT)] += 10000
    assert compute_dues(book, revised, date(2026, 6, 16)).gross_due_paise == 10000
