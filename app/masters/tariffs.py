"""Loading tariffs from resources/tariffs (see its README): validated, exact, keyed by ULB, FY and date.

A malformed file fails loudly at load with the file and field named, never at a counter mid-receipt.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.core.fy import FinancialYear
from app.errors import NikayError

CONSTRUCTIONS = ("RCC_RB", "OTHER_PAKKA", "KUTCHA")
OPEN_LAND = "OPEN_LAND"
USAGES = ("RESIDENTIAL", "COMMERCIAL", "INDUSTRIAL")


class TariffError(NikayError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Slab(_Strict):
    upto: Decimal | None = None
    rate_pct: Decimal


class Samekit(_Strict):
    when_tax_payable: Decimal
    otherwise: Decimal


class EducationCess(_Strict):
    basis: Literal["pct_property_tax", "pct_alv"]
    value: Decimal


class RebateWindow(_Strict):
    from_: date = Field(alias="from")
    to: date
    pct: Decimal
    heads: tuple[str, ...] = ("PROPERTY_TAX",)

    def covers(self, day: date) -> bool:
        return self.from_ <= day <= self.to


class Surcharge(_Strict):
    pct: Decimal
    starts: date
    heads: tuple[str, ...]


class FlatPenalty(_Strict):
    amount: Decimal
    starts: date


class Penalties(_Strict):
    return_not_filed: FlatPenalty


class PropertyTaxTariff(_Strict):
    ulb: str
    fy: str
    effective_from: date
    maintenance_deduction_pct: Decimal
    slab_mode: Literal["whole", "marginal"] = "whole"
    allocation_order: tuple[str, ...]
    alv_rates: dict[str, dict[str, Decimal]]
    usage_factors: dict[str, Decimal]
    slabs: tuple[Slab, ...]
    samekit: Samekit
    education_cess: EducationCess
    rebates: tuple[RebateWindow, ...] = ()
    surcharge: Surcharge
    penalties: Penalties

    @field_validator("fy")
    @classmethod
    def _fy_is_valid(cls, value: str) -> str:
        FinancialYear.parse(value)
        return value

    @model_validator(mode="after")
    def _complete(self) -> PropertyTaxTariff:
        for construction in (*CONSTRUCTIONS, OPEN_LAND):
            if construction not in self.alv_rates:
                raise ValueError(f"alv_rates has no {construction} row")
        zones = set(self.alv_rates[OPEN_LAND])
        for construction, by_zone in self.alv_rates.items():
            if set(by_zone) != zones:
                raise ValueError(f"alv_rates.{construction} has zones {sorted(by_zone)}, expected {sorted(zones)}")
        for usage in USAGES:
            if usage not in self.usage_factors:
                raise ValueError(f"usage_factors has no {usage}")
        if not self.slabs or self.slabs[-1].upto is not None:
            raise ValueError("the last slab must have no 'upto' (it takes everything above)")
        uppers = [s.upto for s in self.slabs[:-1] if s.upto is not None]
        if len(uppers) != len(self.slabs) - 1 or uppers != sorted(uppers):
            raise ValueError("slabs must be in increasing order of 'upto'")
        fy = FinancialYear.parse(self.fy)
        for window in self.rebates:
            if not (fy.contains(window.from_) and fy.contains(window.to)) or window.from_ > window.to:
                raise ValueError(f"rebate window {window.from_}..{window.to} is not inside FY {self.fy}")
        return self

    @property
    def zones(self) -> tuple[str, ...]:
        return tuple(sorted(self.alv_rates[OPEN_LAND]))

    def rebate_on(self, day: date) -> RebateWindow | None:
        return next((w for w in self.rebates if w.covers(day)), None)


@dataclass(frozen=True)
class TariffBook:
    """Every tariff version loaded, looked up by (ULB, FY, date)."""

    property_tax_versions: dict[tuple[str, str], tuple[PropertyTaxTariff, ...]]

    def property_tax(self, ulb: str, fy: str, on: date | None = None) -> PropertyTaxTariff:
        versions = self.property_tax_versions.get((ulb, fy))
        if not versions:
            raise TariffError(f"no property-tax tariff for ULB {ulb}, FY {fy}")
        if on is None:
            return versions[-1]
        in_force = [v for v in versions if v.effective_from <= on]
        return in_force[-1] if in_force else versions[0]

    def has_property_tax(self, ulb: str, fy: str) -> bool:
        return (ulb, fy) in self.property_tax_versions


def _load_file(path: Path) -> PropertyTaxTariff:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        tariff = PropertyTaxTariff.model_validate(raw)
    except tomllib.TOMLDecodeError as error:
        raise TariffError(f"{path}: not valid TOML: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in issue['loc']) or '(file)'}: {issue['msg']}" for issue in error.errors()
        )
        raise TariffError(f"{path}: {problems}") from None
    if path.parent.name != tariff.ulb:
        raise TariffError(f"{path}: says ulb = {tariff.ulb!r} but lies in the folder of {path.parent.name!r}")
    return tariff


def load_tariff_book(tariffs_dir: Path) -> TariffBook:
    grouped: dict[tuple[str, str], list[PropertyTaxTariff]] = {}
    for path in sorted(tariffs_dir.glob("*/property-tax-*.toml")):
        tariff = _load_file(path)
        grouped.setdefault((tariff.ulb, tariff.fy), []).append(tariff)
    return TariffBook(
        {key: tuple(sorted(v, key=lambda t: t.effective_from)) for key, v in grouped.items()},
    )
