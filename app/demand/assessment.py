"""The yearly property-tax demand of a property, from its tariff. Pure functions, no database.

ALV of a built unit = area × zone rate (by construction) × usage factor, less the maintenance
deduction; open land = area × the zone's open-land rate. Property tax = ALV × slab rate (the slab
chosen by the whole ALV, or marginal, as the tariff says). Samekit by whether tax is payable;
education cess as a percentage. Each head is rounded half-up to the paisa.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.core.money import PAISE_PER_RUPEE, round_half_up_paise
from app.demand.dto import Head
from app.errors import ValidationError
from app.masters.tariffs import CONSTRUCTIONS, OPEN_LAND, USAGES, PropertyTaxTariff

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class UnitFacts:
    floor: int
    area_sqft: Decimal
    construction: str
    usage: str


@dataclass(frozen=True)
class PropertyFacts:
    zone: str
    units: tuple[UnitFacts, ...]
    open_land_sqft: Decimal = Decimal(0)


def check_facts(tariff: PropertyTaxTariff, facts: PropertyFacts) -> None:
    """Raise ValidationError naming the first thing the tariff cannot assess."""
    if facts.zone not in tariff.zones:
        raise ValidationError(f"unknown zone {facts.zone!r} (ULB {tariff.ulb} has zones {', '.join(tariff.zones)})")
    for index, unit in enumerate(facts.units, start=1):
        where = f"unit {index}"
        if unit.construction not in CONSTRUCTIONS:
            raise ValidationError(
                f"{where}: unknown construction {unit.construction!r} (expected one of {', '.join(CONSTRUCTIONS)})"
            )
        if unit.usage not in USAGES:
            raise ValidationError(f"{where}: unknown usage {unit.usage!r} (expected one of {', '.join(USAGES)})")
        if unit.area_sqft <= 0:
            raise ValidationError(f"{where}: area must be more than 0 sq ft, got {unit.area_sqft}")
    if facts.open_land_sqft < 0:
        raise ValidationError(f"open land area cannot be negative, got {facts.open_land_sqft}")


def annual_letting_value(tariff: PropertyTaxTariff, facts: PropertyFacts) -> Decimal:
    """Exact ALV in rupees (not rounded: rounding happens once, on each head)."""
    check_facts(tariff, facts)
    keep = (HUNDRED - tariff.maintenance_deduction_pct) / HUNDRED
    total = Decimal(0)
    for unit in facts.units:
        rate = tariff.alv_rates[unit.construction][facts.zone]
        total += unit.area_sqft * rate * tariff.usage_factors[unit.usage] * keep
    total += facts.open_land_sqft * tariff.alv_rates[OPEN_LAND][facts.zone]
    return total


def property_tax_rupees(tariff: PropertyTaxTariff, alv: Decimal) -> Decimal:
    if tariff.slab_mode == "whole":
        for slab in tariff.slabs:
            if slab.upto is None or alv <= slab.upto:
                return alv * slab.rate_pct / HUNDRED
        raise AssertionError("unreachable: the last slab is open-ended")
    tax = Decimal(0)
    lower = Decimal(0)
    for slab in tariff.slabs:
        upper = alv if slab.upto is None else min(alv, slab.upto)
        if upper > lower:
            tax += (upper - lower) * slab.rate_pct / HUNDRED
        if slab.upto is None or alv <= slab.upto:
            break
        lower = slab.upto
    return tax


def _paise(rupees: Decimal) -> int:
    return round_half_up_paise(rupees * PAISE_PER_RUPEE)


def yearly_demand(tariff: PropertyTaxTariff, facts: PropertyFacts) -> dict[Head, int]:
    """The year's demand by head, in paise: PROPERTY_TAX, SAMEKIT, EDUCATION_CESS."""
    alv = annual_letting_value(tariff, facts)
    tax = _paise(property_tax_rupees(tariff, alv))
    samekit = _paise(tariff.samekit.when_tax_payable if tax > 0 else tariff.samekit.otherwise)
    cess_rule = tariff.education_cess
    cess_base = Decimal(tax) / PAISE_PER_RUPEE if cess_rule.basis == "pct_property_tax" else alv
    cess = _paise(cess_base * cess_rule.value / HUNDRED)
    return {Head.PROPERTY_TAX: tax, Head.SAMEKIT: samekit, Head.EDUCATION_CESS: cess}
