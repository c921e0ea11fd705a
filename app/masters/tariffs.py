"""Loading tariffs from resources/tariffs (see its README): validated, exact, keyed by ULB, FY and date.

A malformed file fails loudly at load with the file and field named, never at a counter mid-receipt.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeVar

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


class ServiceTariff(_Strict):
    """What every non-property tariff file has: where it applies and how a bill takes its lines."""

    ulb: str
    fy: str
    effective_from: date
    # Order of this service's heads when a part payment is spread (older periods always first).
    allocation_order: tuple[str, ...]
    # On a combined bill, services are filled in increasing bill_priority when less than the whole
    # of the chosen lines is paid (property tax's own rules stay as they are).
    bill_priority: int
    part_payment_allowed: bool = True
    due_days: int = 15  # a period's demand is due this many days after the period ends

    @field_validator("fy")
    @classmethod
    def _fy_is_valid(cls, value: str) -> str:
        FinancialYear.parse(value)
        return value


WATER_CATEGORIES = ("DOMESTIC", "COMMERCIAL", "INDUSTRIAL", "BULK")


class MeteredRate(_Strict):
    rate_per_kl: Decimal  # ₹ per 1,000 litres
    minimum_monthly: Decimal  # ₹ a month however little is drawn


class WaterFees(_Strict):
    new_connection: Decimal
    regularisation: Decimal
    reconnection: Decimal


class WaterTariff(ServiceTariff):
    """`water-<FY>[-n].toml`: flat monthly charge by category; metered rates; one-time fees."""

    flat_monthly: dict[str, Decimal]  # category -> ₹ a month (unmetered connections)
    metered: dict[str, MeteredRate]  # category -> rate (metered connections)
    fees: WaterFees

    @model_validator(mode="after")
    def _categories_known(self) -> WaterTariff:
        for category in (*self.flat_monthly, *self.metered):
            if category not in WATER_CATEGORIES:
                raise ValueError(f"unknown water category {category!r} (known: {', '.join(WATER_CATEGORIES)})")
        return self


ULB_CLASSES = ("NN", "NPP", "NP")
ROAD_WIDTH_BANDS = ("LT_7_5", "7_5_TO_15", "GT_15")  # < 7.5 m; 7.5 m to 15 m inclusive; > 15 m
FLAT_TRADE_KINDS = ("GUMTI", "THELA", "VEHICLE")


class TradeLicenceTariff(ServiceTariff):
    """`trade-licence-<FY>[-n].toml`: ₹ per sq ft a year by ULB class and road-width band; flat
    rows (₹ a year) for gumti, thela and vehicle-based trade, by ULB class."""

    per_sqft: dict[str, dict[str, Decimal]]  # ULB class -> band -> ₹/sq ft/yr
    flat: dict[str, dict[str, Decimal]]  # ULB class -> kind -> ₹/yr
    deemed_grant_days: int = 15
    renewal_notice_days: int = 60  # renewals fall due this many days before the licence year ends

    @model_validator(mode="after")
    def _complete(self) -> TradeLicenceTariff:
        for ulb_class, bands in self.per_sqft.items():
            if ulb_class not in ULB_CLASSES:
                raise ValueError(f"per_sqft: unknown ULB class {ulb_class!r}")
            if set(bands) != set(ROAD_WIDTH_BANDS):
                raise ValueError(f"per_sqft.{ulb_class} must have bands {', '.join(ROAD_WIDTH_BANDS)}")
        for ulb_class, kinds in self.flat.items():
            if ulb_class not in ULB_CLASSES:
                raise ValueError(f"flat: unknown ULB class {ulb_class!r}")
            if set(kinds) != set(FLAT_TRADE_KINDS):
                raise ValueError(f"flat.{ulb_class} must have {', '.join(FLAT_TRADE_KINDS)}")
        return self


class HouseholdSlab(_Strict):
    upto_sqft: Decimal | None = None  # inclusive; the last slab has none
    monthly: Decimal


class SwmTariff(ServiceTariff):
    """`swm-<FY>[-n].toml`: households by built-up area slab; other categories a flat monthly charge."""

    household_slabs: tuple[HouseholdSlab, ...]
    categories: dict[str, Decimal]  # category -> ₹ a month (0 = exempt, e.g. STREET_VENDOR)

    @model_validator(mode="after")
    def _slabs_ordered(self) -> SwmTariff:
        if not self.household_slabs or self.household_slabs[-1].upto_sqft is not None:
            raise ValueError("the last household slab must have no 'upto_sqft'")
        uppers = [s.upto_sqft for s in self.household_slabs[:-1]]
        if any(u is None for u in uppers) or uppers != sorted(uppers):  # type: ignore[type-var]
            raise ValueError("household slabs must be in increasing order of 'upto_sqft'")
        if "HOUSEHOLD" in self.categories:
            raise ValueError("HOUSEHOLD is charged by household_slabs, not categories")
        return self


ServiceTariffT = TypeVar("ServiceTariffT", bound=ServiceTariff)

# File-name prefix -> model, for every tariff kind besides property tax.
SERVICE_TARIFF_KINDS: dict[str, type[ServiceTariff]] = {
    "water": WaterTariff,
    "trade-licence": TradeLicenceTariff,
    "swm": SwmTariff,
}


@dataclass(frozen=True)
class TariffBook:
    """Every tariff version loaded, looked up by (ULB, FY, date)."""

    property_tax_versions: dict[tuple[str, str], tuple[PropertyTaxTariff, ...]]
    # (kind, ULB, FY) -> versions by effective_from; kind is a key of SERVICE_TARIFF_KINDS.
    service_versions: dict[tuple[str, str, str], tuple[ServiceTariff, ...]] = field(default_factory=dict)

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

    def _service(self, kind: str, model: type[ServiceTariffT], ulb: str, fy: str, on: date | None) -> ServiceTariffT:
        versions = self.service_versions.get((kind, ulb, fy))
        if not versions:
            raise TariffError(f"no {kind} tariff for ULB {ulb}, FY {fy}")
        in_force = [v for v in versions if on is None or v.effective_from <= on]
        chosen = in_force[-1] if in_force else versions[0]
        assert isinstance(chosen, model)
        return chosen

    def water(self, ulb: str, fy: str, on: date | None = None) -> WaterTariff:
        return self._service("water", WaterTariff, ulb, fy, on)

    def trade_licence(self, ulb: str, fy: str, on: date | None = None) -> TradeLicenceTariff:
        return self._service("trade-licence", TradeLicenceTariff, ulb, fy, on)

    def swm(self, ulb: str, fy: str, on: date | None = None) -> SwmTariff:
        return self._service("swm", SwmTariff, ulb, fy, on)

    def has_service(self, kind: str, ulb: str, fy: str) -> bool:
        return (kind, ulb, fy) in self.service_versions


def _validated(model: type[_Strict], text: str, source: str) -> _Strict:
    try:
        return model.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise TariffError(f"{source}: not valid TOML: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in issue['loc']) or '(file)'}: {issue['msg']}" for issue in error.errors()
        )
        raise TariffError(f"{source}: {problems}") from None


AnyTariff = PropertyTaxTariff | ServiceTariff


def tariff_kind(file_name: str) -> str | None:
    """'property-tax', 'water', 'trade-licence' or 'swm' for a tariff file name, else None."""
    for kind in ("property-tax", *SERVICE_TARIFF_KINDS):
        if re.fullmatch(rf"{re.escape(kind)}-\d{{4}}-\d{{2}}(-\d+)?\.toml", file_name):
            return kind
    return None


def parse_tariff(text: str, source: str, folder_ulb: str) -> PropertyTaxTariff:
    """A property-tax tariff from TOML text, validated; `source` names it in errors (a path, or a
    file that came down from the central), `folder_ulb` is the ULB it was filed under."""
    tariff = _validated(PropertyTaxTariff, text, source)
    assert isinstance(tariff, PropertyTaxTariff)
    if folder_ulb != tariff.ulb:
        raise TariffError(f"{source}: says ulb = {tariff.ulb!r} but lies in the folder of {folder_ulb!r}")
    return tariff


def parse_service_tariff(kind: str, text: str, source: str, folder_ulb: str) -> ServiceTariff:
    """A water, trade-licence or SWM tariff (kind = a key of SERVICE_TARIFF_KINDS), validated."""
    tariff = _validated(SERVICE_TARIFF_KINDS[kind], text, source)
    assert isinstance(tariff, ServiceTariff)
    if folder_ulb != tariff.ulb:
        raise TariffError(f"{source}: says ulb = {tariff.ulb!r} but lies in the folder of {folder_ulb!r}")
    return tariff


def parse_any_tariff(file_name: str, text: str, source: str, folder_ulb: str) -> AnyTariff:
    kind = tariff_kind(file_name)
    if kind is None:
        raise TariffError(f"{source}: {file_name!r} is not a tariff file name (<kind>-<FY>[-n].toml)")
    if kind == "property-tax":
        return parse_tariff(text, source, folder_ulb)
    return parse_service_tariff(kind, text, source, folder_ulb)


def _load_dir(tariffs_dir: Path, skip_bad: bool) -> dict[tuple[str, str, str], list[AnyTariff]]:
    """(kind, ULB, FY) -> the versions in `tariffs_dir`/<ULB>/<kind>-<FY>[-n].toml."""
    grouped: dict[tuple[str, str, str], list[AnyTariff]] = {}
    for path in sorted(tariffs_dir.glob("*/*.toml")):
        kind = tariff_kind(path.name)
        if kind is None:
            continue
        try:
            tariff = parse_any_tariff(path.name, path.read_text(encoding="utf-8"), str(path), path.parent.name)
        except (TariffError, OSError, UnicodeDecodeError) as error:
            if not skip_bad:
                raise
            # A damaged downloaded file must not stop the counter: the bundled tariff stays in force.
            _log.error("tariff file skipped: %s", error)
            continue
        grouped.setdefault((kind, tariff.ulb, tariff.fy), []).append(tariff)
    return grouped


def load_tariff_book(tariffs_dir: Path, downloaded_dir: Path | None = None) -> TariffBook:
    """The bundled tariffs of `tariffs_dir` (resources/tariffs: a bad file fails loudly), then those
    that came down from the central into `downloaded_dir` (<data dir>/tariffs): for each (kind, ULB,
    FY) they have, the downloaded versions replace the bundled ones."""
    grouped = _load_dir(tariffs_dir, skip_bad=False)
    if downloaded_dir is not None and downloaded_dir.is_dir():
        grouped.update(_load_dir(downloaded_dir, skip_bad=True))
    ordered = {key: tuple(sorted(v, key=lambda t: t.effective_from)) for key, v in grouped.items()}
    property_tax: dict[tuple[str, str], tuple[PropertyTaxTariff, ...]] = {}
    services: dict[tuple[str, str, str], tuple[ServiceTariff, ...]] = {}
    for (kind, ulb, fy), versions in ordered.items():
        if kind == "property-tax":
            property_tax[(ulb, fy)] = tuple(v for v in versions if isinstance(v, PropertyTaxTariff))
        else:
            services[(kind, ulb, fy)] = tuple(v for v in versions if isinstance(v, ServiceTariff))
    return TariffBook(property_tax, services)


DOWNLOADED_TARIFFS_DIR = "tariffs"


def downloaded_tariffs_dir(data_dir: Path) -> Path:
    """Where tariffs published by the central are kept on this device: <data dir>/tariffs/<ULB>/."""
    return data_dir / DOWNLOADED_TARIFFS_DIR
