"""The trade-licence fee: every row of the DEMO tariff (Niyam 2025, tariffs.md §2.3), the road-width
band edges, whole-rupee rounding, and the ULB class taken from the ULB master."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from app.errors import ValidationError
from app.masters.models import Ulb
from app.masters.tariffs import TariffBook, load_tariff_book
from app.paths import RESOURCES_DIR
from app.trade.fees import licence_fee_paise, road_band
from tests.unit.test_trade_payment import TradeOffice, approved, shop, trade_office  # noqa: F401

# ₹ per sq ft a year: class -> (< 7.5 m, 7.5–15 m, > 15 m)
PER_SQFT = {"NN": (4, 5, 6), "NPP": (3, 4, 5), "NP": (2, 3, 4)}
# ₹ a year: class -> kind -> fee
FLAT = {
    "NN": {"GUMTI": 250, "THELA": 200, "VEHICLE": 3600},
    "NPP": {"GUMTI": 200, "THELA": 150, "VEHICLE": 3000},
    "NP": {"GUMTI": 100, "THELA": 100, "VEHICLE": 2400},
}
WIDTH_IN_BAND = (Decimal(6), Decimal(12), Decimal(20))


@pytest.fixture(scope="module")
def book() -> TariffBook:
    return load_tariff_book(RESOURCES_DIR / "tariffs")


@pytest.mark.parametrize("fy", ["2025-26", "2026-27"])
@pytest.mark.parametrize("ulb_class", ["NN", "NPP", "NP"])
def test_shop_fee_per_sqft_for_every_class_and_band(book: TariffBook, fy: str, ulb_class: str) -> None:
    tariff = book.trade_licence("DEMO", fy)
    for width, rate in zip(WIDTH_IN_BAND, PER_SQFT[ulb_class], strict=True):
        assert licence_fee_paise(tariff, ulb_class, "SHOP", Decimal(250), width) == 250 * rate * 100


@pytest.mark.parametrize("fy", ["2025-26", "2026-27"])
@pytest.mark.parametrize("ulb_class", ["NN", "NPP", "NP"])
@pytest.mark.parametrize("kind", ["GUMTI", "THELA", "VEHICLE"])
def test_flat_fee_for_every_class_and_kind(book: TariffBook, fy: str, ulb_class: str, kind: str) -> None:
    tariff = book.trade_licence("DEMO", fy)
    # Area and road width do not change a flat fee.
    assert licence_fee_paise(tariff, ulb_class, kind) == FLAT[ulb_class][kind] * 100
    assert licence_fee_paise(tariff, ulb_class, kind, Decimal(999), Decimal(30)) == FLAT[ulb_class][kind] * 100


@pytest.mark.parametrize(
    ("width", "band", "rupees_per_sqft"),
    [
        ("7.49", "LT_7_5", 4),
        ("7.5", "7_5_TO_15", 5),
        ("15", "7_5_TO_15", 5),
        ("15.00", "7_5_TO_15", 5),
        ("15.01", "GT_15", 6),
        ("0.5", "LT_7_5", 4),
    ],
)
def test_road_width_band_edges(book: TariffBook, width: str, band: str, rupees_per_sqft: int) -> None:
    assert road_band(Decimal(width)) == band
    tariff = book.trade_licence("DEMO", "2026-27")
    assert licence_fee_paise(tariff, "NN", "SHOP", Decimal(100), Decimal(width)) == 100 * rupees_per_sqft * 100


@pytest.mark.parametrize(
    ("area", "width", "rupees"),
    [
        ("100.5", "10", 503),  # 502.50 rounds half up
        ("100.1", "6", 400),  # 400.40 rounds down
        ("100.13", "20", 601),  # 600.78 rounds up
        ("0.10", "6", 0),  # 0.40: less than half a rupee
        ("0.13", "6", 1),  # 0.52
    ],
)
def test_fee_is_whole_rupees_rounded_half_up(book: TariffBook, area: str, width: str, rupees: int) -> None:
    tariff = book.trade_licence("DEMO", "2026-27")
    assert licence_fee_paise(tariff, "NN", "SHOP", Decimal(area), Decimal(width)) == rupees * 100


def test_a_shop_without_area_or_road_width_has_no_fee_and_says_which(book: TariffBook) -> None:
    tariff = book.trade_licence("DEMO", "2026-27")
    with pytest.raises(ValidationError, match="area_sqft"):
        licence_fee_paise(tariff, "NN", "SHOP", None, Decimal(10))
    with pytest.raises(ValidationError, match="road_width_m"):
        licence_fee_paise(tariff, "NN", "SHOP", Decimal(10), Decimal(0))
    with pytest.raises(ValidationError, match="unknown kind 'KIOSK'"):
        licence_fee_paise(tariff, "NN", "KIOSK")


def test_a_revised_rate_applies_from_its_effective_date(tmp_path: Path) -> None:
    folder = tmp_path / "DEMO"
    folder.mkdir()
    base = (RESOURCES_DIR / "tariffs" / "DEMO" / "trade-licence-2026-27.toml").read_text(encoding="utf-8")
    (folder / "trade-licence-2026-27.toml").write_text(base, encoding="utf-8")
    revised = base.replace('effective_from = "2026-04-01"', 'effective_from = "2026-10-01"').replace(
        '[per_sqft.NN]\nLT_7_5 = "4"', '[per_sqft.NN]\nLT_7_5 = "4.5"'
    )
    (folder / "trade-licence-2026-27-2.toml").write_text(revised, encoding="utf-8")
    book = load_tariff_book(tmp_path)
    from datetime import date

    before = book.trade_licence("DEMO", "2026-27", date(2026, 9, 30))
    after = book.trade_licence("DEMO", "2026-27", date(2026, 10, 1))
    assert licence_fee_paise(before, "NN", "SHOP", Decimal(100), Decimal(5)) == 40000
    assert licence_fee_paise(after, "NN", "SHOP", Decimal(100), Decimal(5)) == 45000


@pytest.mark.parametrize(("ulb_class", "rupees"), [("NN", 1000), ("NPP", 800), ("NP", 600)])
def test_approval_uses_the_class_of_the_ulb_master(trade_office: TradeOffice, ulb_class: str, rupees: int) -> None:  # noqa: F811
    with trade_office.services.db.write() as session:
        session.execute(update(Ulb).where(Ulb.code == "DEMO").values(ulb_class=ulb_class))
    # 200 sq ft on a 10 m road: the middle band.
    assert trade_office.services.trade.quote_fee("SHOP", Decimal(200), Decimal(10)) == rupees * 100
    assert approved(trade_office).fee_paise == rupees * 100
    gumti = approved(trade_office, replace(shop(), trade_kind="GUMTI", area_sqft=None, road_width_m=None))
    assert gumti.fee_paise == FLAT[ulb_class]["GUMTI"] * 100
