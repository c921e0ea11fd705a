"""Loading tariffs from resources/tariffs (see its README): validated, exact, keyed by ULB, FY and date.

A malformed file fails loudly at load with the file and field named, never at a counter mid-receipt.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.core.fy import FinancialYear
from app.errors import NikayError

_log = logging.getLogger(__name__)

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


def parse_tariff(text: str, source: str, folder_ulb: str) -> PropertyTaxTariff:
    """A property-tax tariff from TOML text, validated; `source` names it in errors (a path, or a
    file that came down from the central), `folder_ulb` is the ULB it was filed under."""
    try:
        raw = tomllib.loads(text)
        tariff = PropertyTaxTariff.model_validate(raw)
    except tomllib.TOMLDecodeError as error:
        raise TariffError(f"{source}: not valid TOML: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in issue['loc']) or '(file)'}: {issue['msg']}" for issue in error.errors()
        )
        raise TariffError(f"{source}: {problems}") from None
    if folder_ulb != tariff.ulb:
        raise TariffError(f"{source}: says ulb = {tariff.ulb!r} but lies in the folder of {folder_ulb!r}")
    return tariff


def _load_file(path: Path) -> PropertyTaxTariff:
    return parse_tariff(path.read_text(encoding="utf-8"), str(path), path.parent.name)


def _load_dir(tariffs_dir: Path, skip_bad: bool) -> dict[tuple[str, str], list[PropertyTaxTariff]]:
    grouped: dict[tuple[str, str], list[PropertyTaxTariff]] = {}
    for path in sorted(tariffs_dir.glob("*/property-tax-*.toml")):
        try:
            tariff = _load_file(path)
        except (TariffError, OSError, UnicodeDecodeError) as error:
            if not skip_bad:
                raise
            # A damaged downloaded file must not stop the counter: the bundled tariff stays in force.
            _log.error("tariff file skipped: %s", error)
            continue
        grouped.setdefault((tariff.ulb, tariff.fy), []).append(tariff)
    return grouped


def load_tariff_book(tariffs_dir: Path, downloaded_dir: Path | None = None) -> TariffBook:
    """The bundled tariffs of `tariffs_dir` (resources/tariffs: a bad file fails loudly), then those
    that came down from the central into `downloaded_dir` (<data dir>/tariffs): for each (ULB, FY)
    they have, the downloaded versions replace the bundled ones."""
    grouped = _load_dir(tariffs_dir, skip_bad=False)
    if downloaded_dir is not None and downloaded_dir.is_dir():
        grouped.update(_load_dir(downloaded_dir, skip_bad=True))
    return TariffBook(
        {key: tuple(sorted(v, key=lambda t: t.effective_from)) for key, v in grouped.items()},
    )


DOWNLOADED_TARIFFS_DIR = "tariffs"


def downloaded_tariffs_dir(data_dir: Path) -> Path:
    """Where tariffs published by the central are kept on this device: <data dir>/tariffs/<ULB>/."""
    return data_dir / DOWNLOADED_TARIFFS_DIR
