"""The annual trade-licence fee from the tariff (CG Nagarpalika (Vyapar Anugyapan) Niyam 2025).

A shop pays ₹ per sq ft of trade area by the width of the road in front and the ULB's class; a gumti,
thela or vehicle pays a flat fee by ULB class. Every rate is data (TradeLicenceTariff); the fee is
whole rupees, rounded half up, kept in paise.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from app.errors import ValidationError
from app.masters.tariffs import FLAT_TRADE_KINDS, TradeLicenceTariff

TRADE_KINDS = ("SHOP", *FLAT_TRADE_KINDS)
NARROW_MAX_M = Decimal("7.5")  # a road narrower than this is the lowest band
WIDE_MAX_M = Decimal(15)  # 7.5 m to 15 m inclusive is the middle band; wider is the top band


def road_band(road_width_m: Decimal) -> str:
    """LT_7_5 below 7.5 m, 7_5_TO_15 from 7.5 m to 15 m inclusive, GT_15 above 15 m."""
    if road_width_m < NARROW_MAX_M:
        return "LT_7_5"
    if road_width_m <= WIDE_MAX_M:
        return "7_5_TO_15"
    return "GT_15"


BAND_LABELS = {"LT_7_5": "< 7.5 m", "7_5_TO_15": "7.5–15 m", "GT_15": "> 15 m"}


def licence_fee_paise(
    tariff: TradeLicenceTariff,
    ulb_class: str,
    trade_kind: str,
    area_sqft: Decimal | None = None,
    road_width_m: Decimal | None = None,
) -> int:
    """The year's fee in paise (a whole number of rupees). Raises ValidationError naming what is missing."""
    if trade_kind == "SHOP":
        if area_sqft is None or area_sqft <= 0:
            raise ValidationError("area_sqft: a shop's fee needs its trade area in sq ft (more than 0)")
        if road_width_m is None or road_width_m <= 0:
            raise ValidationError("road_width_m: a shop's fee needs the width of the road in front (more than 0 m)")
        rates = tariff.per_sqft.get(ulb_class)
        if rates is None:
            raise ValidationError(
                f"the {tariff.fy} trade-licence tariff of {tariff.ulb} has no rates for class {ulb_class}"
            )
        rupees = area_sqft * rates[road_band(road_width_m)]
    elif trade_kind in FLAT_TRADE_KINDS:
        flat = tariff.flat.get(ulb_class)
        if flat is None:
            raise ValidationError(
                f"the {tariff.fy} trade-licence tariff of {tariff.ulb} has no flat fees for class {ulb_class}"
            )
        rupees = flat[trade_kind]
    else:
        raise ValidationError(f"trade_kind: unknown kind {trade_kind!r} (one of {', '.join(TRADE_KINDS)})")
    return int(rupees.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100
