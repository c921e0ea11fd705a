"""The DEMO tariff, the worked example of issue 2, and the rules of the assessment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.demand.assessment import PropertyFacts, UnitFacts, annual_letting_value, yearly_demand
from app.demand.dto import Head
from app.errors import ValidationError
from app.masters.tariffs import TariffBook, TariffError, load_tariff_book
from app.paths import RESOURCES_DIR


@pytest.fixture(scope="module")
def book() -> TariffBook:
    return load_tariff_book(RESOURCES_DIR / "tariffs")


def facts(zone: str, *units: tuple[int, str, str], open_land: int = 0) -> PropertyFacts:
    return PropertyFacts(
        zone=zone,
        units=tuple(UnitFacts(0, Decimal(area), c, u) for area, c, u in units),
        open_land_sqft=Decimal(open_land),
    )


def test_worked_example_demand(book: TariffBook) -> None:
    tariff = book.property_tax("DEMO", "2026-27")
    property_ = facts("B", (1000, "RCC_RB", "RESIDENTIAL"))
    assert annual_letting_value(tariff, property_) == Decimal(18000)
    demand = yearly_demand(tariff, property_)
    assert demand[Head.PROPERTY_TAX] == 162000
    assert demand[Head.SAMEKIT] == 60000
    assert demand[Head.EDUCATION_CESS] == 0
    assert sum(demand.values()) == 222000


@pytest.mark.parametrize(
    ("construction", "zone", "rate"),
    [
        ("RCC_RB", "A", 30),
        ("RCC_RB", "C", 15),
        ("OTHER_PAKKA", "A", 24),
        ("OTHER_PAKKA", "B", 16),
        ("KUTCHA", "B", 8),
        ("KUTCHA", "C", 6),
    ],
)
def test_alv_rates_and_maintenance_deduction(book: TariffBook, construction: str, zone: str, rate: int) -> None:
    tariff = book.property_tax("DEMO", "2025-26")
    alv = annual_letting_value(tariff, facts(zone, (100, construction, "RESIDENTIAL")))
    assert alv == Decimal(100 * rate) * Decimal("0.9")


def test_usage_factors(book: TariffBook) -> None:
    tariff = book.property_tax("DEMO", "2026-27")
    residential = annual_letting_value(tariff, facts("A", (100, "RCC_RB", "RESIDENTIAL")))
    assert annual_letting_value(tariff, facts("A", (100, "RCC_RB", "COMMERCIAL"))) == 2 * residential
    assert annual_letting_value(tariff, facts("A", (100, "RCC_RB", "INDUSTRIAL"))) == residential * Decimal("1.5")


def test_open_land_has_no_deduction(book: TariffBook) -> None:
    tariff = book.property_tax("DEMO", "2026-27")
    assert annual_letting_value(tariff, facts("A", open_land=1000)) == Decimal(6000)
    assert annual_letting_value(tariff, facts("C", (100, "KUTCHA", "RESIDENTIAL"), open_land=500)) == Decimal(
        540 + 1500
    )


@pytest.mark.parametrize(
    ("open_land", "zone", "expected_tax_paise", "samekit_paise"),
    [
        (1000, "A", 0, 30000),  # ALV 6,000 exactly: 0% slab, samekit ₹300
        (2000, "C", 0, 30000),  # ALV 6,000
        # ALV 6,000.06 (1,000.01 sq ft × ₹6): 9% slab -> 540.0054 -> ₹540.01
        ("1000.01", "A", 54001, 60000),
    ],
)
def test_slab_boundary_at_6000(
    book: TariffBook, open_land: int | str, zone: str, expected_tax_paise: int, samekit_paise: int
) -> None:
    tariff = book.property_tax("DEMO", "2026-27")
    property_ = PropertyFacts(zone=zone, units=(), open_land_sqft=Decimal(open_land))
    demand = yearly_demand(tariff, property_)
    assert demand[Head.PROPERTY_TAX] == expected_tax_paise
    assert demand[Head.SAMEKIT] == samekit_paise


@pytest.mark.parametrize(
    ("alv_rupees", "rate_pct"),
    [(50000, 9), (50001, 10), (100000, 10), (100001, 12), (200000, 12), (200001, 14)],
)
def test_whole_alv_slabs(book: TariffBook, alv_rupees: int, rate_pct: int) -> None:
    tariff = book.property_tax("DEMO", "2026-27")
    # Open land in zone B is ₹4/sq ft, so ALV = 4 × area exactly.
    property_ = PropertyFacts(zone="B", units=(), open_land_sqft=Decimal(alv_rupees) / 4)
    alv = annual_letting_value(tariff, property_)
    assert alv == alv_rupees
    tax = yearly_demand(tariff, property_)[Head.PROPERTY_TAX]
    assert tax == int((alv * rate_pct).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def test_unknown_codes_are_named(book: TariffBook) -> None:
    tariff = book.property_tax("DEMO", "2026-27")
    with pytest.raises(ValidationError, match="unknown zone 'D'"):
        yearly_demand(tariff, facts("D", (100, "RCC_RB", "RESIDENTIAL")))
    with pytest.raises(ValidationError, match="unit 1: unknown construction 'STEEL'"):
        yearly_demand(tariff, facts("A", (100, "STEEL", "RESIDENTIAL")))
    with pytest.raises(ValidationError, match="unit 1: unknown usage 'HOTEL'"):
        yearly_demand(tariff, facts("A", (100, "RCC_RB", "HOTEL")))


def test_a_broken_tariff_file_names_file_and_field(tmp_path: Path) -> None:
    source = (RESOURCES_DIR / "tariffs" / "DEMO" / "property-tax-2026-27.toml").read_text(encoding="utf-8")
    folder = tmp_path / "DEMO"
    folder.mkdir()
    (folder / "property-tax-2026-27.toml").write_text(source.replace('pct = "18"', 'pct = "eighteen"'))
    with pytest.raises(TariffError, match=r"property-tax-2026-27.toml: surcharge.pct"):
        load_tariff_book(tmp_path)


def test_latest_version_in_force_on_a_day_wins(tmp_path: Path) -> None:
    from datetime import date

    source = (RESOURCES_DIR / "tariffs" / "DEMO" / "property-tax-2026-27.toml").read_text(encoding="utf-8")
    folder = tmp_path / "DEMO"
    folder.mkdir()
    (folder / "property-tax-2026-27.toml").write_text(source)
    revised = source.replace('effective_from = "2026-04-01"', 'effective_from = "2026-10-01"').replace(
        'when_tax_payable = "600"', 'when_tax_payable = "700"'
    )
    (folder / "property-tax-2026-27-2.toml").write_text(revised)
    book = load_tariff_book(tmp_path)
    assert book.property_tax("DEMO", "2026-27", date(2026, 9, 30)).samekit.when_tax_payable == 600
    assert book.property_tax("DEMO", "2026-27", date(2026, 10, 1)).samekit.when_tax_payable == 700
