"""Water charges as the DEMO tariff says: every flat row, the bulk metered rate and its ₹500 minimum,
and the period rules (months, FY quarters) the demand run works with."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import ValidationError
from app.masters.tariffs import WaterTariff, load_tariff_book
from app.paths import RESOURCES_DIR
from app.water.demand import (
    chargeable_intervals,
    chargeable_months,
    parse_period,
    quarter_of,
    water_charge,
)


@pytest.fixture(scope="module")
def tariff() -> WaterTariff:
    return load_tariff_book(RESOURCES_DIR / "tariffs").water("DEMO", "2026-27", date(2026, 11, 1))


@pytest.mark.parametrize(
    ("category", "rupees"),
    [("DOMESTIC", 200), ("COMMERCIAL", 1000), ("INDUSTRIAL", 1000)],
)
def test_flat_monthly_rows(tariff: WaterTariff, category: str, rupees: int) -> None:
    assert water_charge(tariff, category, metered=False, months=1).amount_paise == rupees * 100
    # A quarterly connection pays three months at once.
    assert water_charge(tariff, category, metered=False, months=3).amount_paise == 3 * rupees * 100


@pytest.mark.parametrize(
    ("litres", "rupees", "minimum"),
    [
        (0, 500, True),  # nothing drawn: the monthly minimum
        (33_333, 500, True),  # ₹499.995 worked, under the minimum
        (33_334, 500, False),  # ₹500.01 -> ₹500 (whole rupees, half up), now by consumption
        (33_300, 500, True),  # ₹499.50: the minimum, never rounded up to it
        (33_367, 501, False),  # ₹500.505 -> ₹501 (half up)
        (100_000, 1500, False),  # 100 kL at ₹15
    ],
)
def test_bulk_metered_at_15_per_kl_with_500_minimum(
    tariff: WaterTariff, litres: int, rupees: int, minimum: bool
) -> None:
    charge = water_charge(tariff, "BULK", metered=True, months=1, consumption_litres=litres)
    assert charge.amount_paise == rupees * 100
    assert ("minimum" in charge.detail) is minimum
    assert "₹15/kL" in charge.detail


def test_bulk_minimum_edge_exactly_500(tariff: WaterTariff) -> None:
    # 33,333.33 L would be ₹500: the first whole litre count at or over it is 33,334 L.
    at = water_charge(tariff, "BULK", metered=True, months=1, consumption_litres=33_334)
    under = water_charge(tariff, "BULK", metered=True, months=1, consumption_litres=33_333)
    assert at.amount_paise == under.amount_paise == 50_000
    over = water_charge(tariff, "BULK", metered=True, months=1, consumption_litres=40_000)
    assert over.amount_paise == 60_000


def test_bulk_quarter_minimum_is_per_month(tariff: WaterTariff) -> None:
    charge = water_charge(tariff, "BULK", metered=True, months=3, consumption_litres=60_000)  # ₹900 worked
    assert charge.amount_paise == 150_000  # 3 x ₹500
    assert "x 3" in charge.detail


def test_missing_rate_is_named(tariff: WaterTariff) -> None:
    with pytest.raises(ValidationError, match=r"no flat monthly rate for BULK"):
        water_charge(tariff, "BULK", metered=False, months=1)
    with pytest.raises(ValidationError, match=r"DEMO 2026-27 has no metered rate for DOMESTIC"):
        water_charge(tariff, "DOMESTIC", metered=True, months=1)


def test_fees_are_data(tariff: WaterTariff) -> None:
    fees = tariff.fees
    assert (fees.new_connection, fees.regularisation, fees.reconnection) == (Decimal(1000), Decimal(3000), Decimal(500))


def test_periods() -> None:
    november = parse_period("2026-11")
    assert (november.fy, november.first_day, november.last_day) == ("2026-27", date(2026, 11, 1), date(2026, 11, 30))
    q4 = parse_period("2026-27-q4")
    assert q4.code == "2026-27-Q4"
    assert q4.months == ((2027, 1), (2027, 2), (2027, 3))
    assert parse_period("2026-27-Q1").months == ((2026, 4), (2026, 5), (2026, 6))
    assert parse_period("2027-02").fy == "2026-27"
    assert quarter_of((2026, 11)) == "2026-27-Q3"
    assert quarter_of((2027, 3)) == "2026-27-Q4"
    for bad in ("2026-27", "2026-13", "2026-28-Q1", "2026-27-Q5", "Nov 2026"):
        with pytest.raises(ValidationError, match="period"):
            parse_period(bad)


def test_charged_from_the_month_after_connection_to_the_month_of_disconnection() -> None:
    q3 = parse_period("2026-27-Q3")
    connected_mid_october = chargeable_intervals(date(2026, 10, 15), [])
    assert chargeable_months(q3, connected_mid_october) == ((2026, 11), (2026, 12))
    disconnected = chargeable_intervals(date(2020, 1, 1), [(date(2026, 11, 3), "DISCONNECTED")])
    assert chargeable_months(q3, disconnected) == ((2026, 10), (2026, 11))
    back = chargeable_intervals(
        date(2020, 1, 1), [(date(2026, 10, 3), "DISCONNECTED"), (date(2026, 11, 20), "RECONNECTED")]
    )
    assert chargeable_months(q3, back) == ((2026, 10), (2026, 12))
