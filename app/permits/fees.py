"""Building-permit fee schedules as data (resources/permits/fees-<ULB>.toml): fees, risk classes and
their paths, SLA days. Money in integer paise; rupee figures rounded half up to the whole rupee."""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path as FsPath
from typing import Any

from app.errors import ValidationError
from app.permits.workflow import APPROVED, CHECK_STATES, DECISION, SUBMITTED, Path


@dataclass(frozen=True)
class RiskClass:
    name: str
    height_below_m: Decimal | None  # None: no limit (the last, highest class)
    plot_below_m2: Decimal | None
    path: Path


@dataclass(frozen=True)
class PermitSchedule:
    ulb: str
    effective_from: date
    source: str
    scrutiny_fee_paise: int
    permit_fee_per_m2: Decimal  # rupees
    construction_rate_per_m2: Decimal  # rupees
    labour_cess_percent: Decimal
    fee_due_days: int
    validity_years: int
    risk_classes: tuple[RiskClass, ...]
    sla_days: dict[str, int]

    def risk_class(self, height_m: Decimal, plot_area_m2: Decimal) -> RiskClass:
        """The first class whose both limits the application is strictly below (a value on a limit is
        the next class up)."""
        for risk in self.risk_classes:
            if (risk.height_below_m is None or height_m < risk.height_below_m) and (
                risk.plot_below_m2 is None or plot_area_m2 < risk.plot_below_m2
            ):
                return risk
        return self.risk_classes[-1]


@dataclass(frozen=True)
class PermitFees:
    scrutiny_fee_paise: int
    permit_fee_paise: int
    construction_cost_paise: int
    labour_cess_paise: int

    @property
    def total_paise(self) -> int:
        return self.scrutiny_fee_paise + self.permit_fee_paise + self.labour_cess_paise


def _rupees_to_paise(rupees: Decimal) -> int:
    return int(rupees.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100


def compute_fees(schedule: PermitSchedule, built_up_area_m2: Decimal) -> PermitFees:
    """Scrutiny fee (flat), permit fee (BUA × rate), labour cess (cess % of BUA × construction rate),
    each rounded half up to the rupee."""
    if built_up_area_m2 <= 0:
        raise ValidationError("built_up_area_m2: the fees need a built-up area of more than 0 m²")
    cost = built_up_area_m2 * schedule.construction_rate_per_m2
    return PermitFees(
        scrutiny_fee_paise=schedule.scrutiny_fee_paise,
        permit_fee_paise=_rupees_to_paise(built_up_area_m2 * schedule.permit_fee_per_m2),
        construction_cost_paise=_rupees_to_paise(cost),
        labour_cess_paise=_rupees_to_paise(cost * schedule.labour_cess_percent / 100),
    )


def _dec(table: dict[str, Any], key: str, where: str, optional: bool = False) -> Decimal | None:
    if key not in table:
        if optional:
            return None
        raise ValidationError(f"{where}: {key} is missing")
    try:
        value = Decimal(str(table[key]))
    except InvalidOperation:
        raise ValidationError(f"{where}: {key} = {table[key]!r} is not a number") from None
    if value < 0:
        raise ValidationError(f"{where}: {key} must not be negative")
    return value


def _need(table: dict[str, Any], key: str, where: str) -> Decimal:
    value = _dec(table, key, where)
    assert value is not None  # _dec raises when a required key is missing
    return value


def parse_schedule(ulb: str, raw: dict[str, Any], where: str) -> PermitSchedule:
    try:
        effective = date.fromisoformat(str(raw.get("effective_from", "")))
    except ValueError:
        raise ValidationError(f"{where}: effective_from must be a date YYYY-MM-DD") from None
    risks: list[RiskClass] = []
    for i, item in enumerate(raw.get("risk", [])):
        at = f"{where} risk[{i}]"
        name = str(item.get("name", "")).strip().upper()
        if not name:
            raise ValidationError(f"{at}: name is missing")
        try:
            path = Path(name, tuple(str(s).upper() for s in item.get("path", [])))
        except ValidationError as error:
            raise ValidationError(f"{at}: {error}") from None
        risks.append(
            RiskClass(
                name=name,
                height_below_m=_dec(item, "height_below_m", at, optional=True),
                plot_below_m2=_dec(item, "plot_below_m2", at, optional=True),
                path=path,
            )
        )
    if not risks:
        raise ValidationError(f"{where}: at least one [[schedule.risk]] class is needed")
    if risks[-1].height_below_m is not None or risks[-1].plot_below_m2 is not None:
        raise ValidationError(f"{where}: the last risk class ({risks[-1].name}) must have no limits")
    for lower, higher in itertools.pairwise(risks):
        for attr in ("height_below_m", "plot_below_m2"):
            lo, hi = getattr(lower, attr), getattr(higher, attr)
            if lo is None or (hi is not None and hi <= lo):
                raise ValidationError(f"{where}: {attr} of {higher.name} must be above that of {lower.name}")
    sla_raw = raw.get("sla_days", {})
    open_states = (SUBMITTED, *CHECK_STATES, DECISION, APPROVED)
    missing = [s for s in open_states if s not in sla_raw]
    if missing:
        raise ValidationError(f"{where}: sla_days has no figure for {', '.join(missing)}")
    sla = {str(k).upper(): int(v) for k, v in sla_raw.items()}
    if any(v <= 0 for v in sla.values()):
        raise ValidationError(f"{where}: every sla_days figure must be at least 1 day")
    return PermitSchedule(
        ulb=ulb,
        effective_from=effective,
        source=str(raw.get("source", "")),
        scrutiny_fee_paise=_rupees_to_paise(_need(raw, "scrutiny_fee_rupees", where)),
        permit_fee_per_m2=_need(raw, "permit_fee_per_m2_rupees", where),
        construction_rate_per_m2=_need(raw, "construction_rate_per_m2_rupees", where),
        labour_cess_percent=_need(raw, "labour_cess_percent", where),
        fee_due_days=int(raw.get("fee_due_days", 30)),
        validity_years=int(raw.get("validity_years", 2)),
        risk_classes=tuple(risks),
        sla_days=sla,
    )


@dataclass(frozen=True)
class PermitSchedules:
    """Every ULB's schedules, oldest first."""

    by_ulb: dict[str, tuple[PermitSchedule, ...]]

    def in_force(self, ulb: str, on: date) -> PermitSchedule:
        found = [s for s in self.by_ulb.get(ulb, ()) if s.effective_from <= on]
        if not found:
            raise ValidationError(f"no building-permit fee schedule of {ulb} in force on {on.isoformat()}")
        return found[-1]


def load_permit_schedules(folder: FsPath) -> PermitSchedules:
    """Read every fees-<ULB>.toml in `folder` (none: an empty book; asking it raises ValidationError)."""
    by_ulb: dict[str, tuple[PermitSchedule, ...]] = {}
    for file in sorted(folder.glob("fees-*.toml")) if folder.is_dir() else []:
        with file.open("rb") as handle:
            try:
                raw = tomllib.load(handle)
            except tomllib.TOMLDecodeError as error:
                raise ValidationError(f"{file.name}: not valid TOML ({error})") from None
        ulb = str(raw.get("ulb", file.stem.removeprefix("fees-")))
        schedules = [parse_schedule(ulb, item, f"{file.name} schedule[{i}]") for i, item in enumerate(raw["schedule"])]
        by_ulb[ulb] = tuple(sorted(schedules, key=lambda s: s.effective_from))
    return PermitSchedules(by_ulb)
