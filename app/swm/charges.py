"""The monthly user charge of a payer, from the SWM tariff of the year (data, never constants)."""

from __future__ import annotations

from decimal import Decimal

from app.core.money import PAISE_PER_RUPEE, round_to_rupee
from app.errors import ValidationError
from app.masters.tariffs import SwmTariff

HOUSEHOLD = "HOUSEHOLD"


def household_slab_index(tariff: SwmTariff, built_up_sqft: Decimal) -> int:
    """The slab a household's built-up area falls in; `upto_sqft` is inclusive (500 -> the first
    slab of "upto 500", 500.01 -> the second)."""
    for index, slab in enumerate(tariff.household_slabs):
        if slab.upto_sqft is None or built_up_sqft <= slab.upto_sqft:
            return index
    return len(tariff.household_slabs) - 1  # unreachable: the last slab has no upper edge


def category_keys(tariff: SwmTariff) -> tuple[str, ...]:
    """HOUSEHOLD first, then the tariff's flat categories in file order."""
    return (HOUSEHOLD, *tariff.categories)


def check_category(tariff: SwmTariff, category: str, built_up_sqft: Decimal | None) -> None:
    if category == HOUSEHOLD:
        if built_up_sqft is None:
            raise ValidationError("built_up_sqft: a household needs its built-up area (sq ft) for the slab")
        if built_up_sqft <= 0:
            raise ValidationError(f"built_up_sqft: must be more than 0 sq ft, got {built_up_sqft}")
        return
    if category not in tariff.categories:
        known = ", ".join(category_keys(tariff))
        raise ValidationError(
            f"category: {category!r} is not an SWM category of {tariff.ulb} for FY {tariff.fy} (known: {known})"
        )


def monthly_charge_paise(tariff: SwmTariff, category: str, built_up_sqft: Decimal | None) -> int:
    """A month's charge in paise, whole rupees (half up): demands are raised in whole rupees.
    0 for exempt categories (street vendors, BPL)."""
    check_category(tariff, category, built_up_sqft)
    if category == HOUSEHOLD:
        assert built_up_sqft is not None
        rupees = tariff.household_slabs[household_slab_index(tariff, built_up_sqft)].monthly
    else:
        rupees = tariff.categories[category]
    return round_to_rupee(int(rupees * PAISE_PER_RUPEE))


def describe(tariff: SwmTariff, category: str, built_up_sqft: Decimal | None) -> str:
    """The demand's detail text, e.g. "HOUSEHOLD 1,000 sq ft (501-1000)" or "SHOP"."""
    if category != HOUSEHOLD or built_up_sqft is None:
        return category
    index = household_slab_index(tariff, built_up_sqft)
    low = tariff.household_slabs[index - 1].upto_sqft if index else None
    high = tariff.household_slabs[index].upto_sqft
    band = f"upto {high}" if low is None else (f"above {low}" if high is None else f"{low}-{high}")
    return f"HOUSEHOLD {built_up_sqft.normalize():f} sq ft (slab {band})"
