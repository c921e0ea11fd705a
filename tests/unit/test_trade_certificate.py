"""The licence certificate PDF: bilingual text, the fee's receipt, validity, and a verification QR
that decodes (zxing-cpp, from the rendered page) to a code this device signed. The page is also
saved (docs/screenshots/trade-licence-certificate.png with NIKAY_DOCS_SHOTS=1)."""

from __future__ import annotations

import os
from datetime import date
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from app.core.clock import FixedClock
from app.errors import ValidationError
from app.security.secrets import default_secret_store, get_or_create_key
from app.trade.verification import LICENCE_KEY_NAME, check_licence_code, licence_verification_text
from tests.factories import add_property
from tests.unit.test_trade_payment import TradeOffice, approved, pay_fee, shop, trade_office  # noqa: F401

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot_path(tmp_path: Path, name: str) -> Path:
    """docs/screenshots/<name> when NIKAY_DOCS_SHOTS=1 (to refresh the committed picture), else tmp."""
    return (DOCS if os.environ.get("NIKAY_DOCS_SHOTS") == "1" else tmp_path) / name


def _page(pdf: bytes, scale: float = 2.0) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1, "a certificate is one page"
        return document[0].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages).split())


def _issued(office: TradeOffice) -> str:
    property_uuid = add_property(office.services.db, "W03-000042")
    view = approved(
        office,
        shop(
            property_uuid=property_uuid,
            trade_name="Sahu General Store and Mobile Recharge Centre",
            address_en="Shop 4, Sadar Bazar, near Jaistambh Chowk",
            address_hi="दुकान 4, सदर बाज़ार, जयस्तंभ चौक के पास",
        ),
    )
    pay_fee(office, view)
    return office.services.trade.issue(office.commissioner, view.uuid).uuid


def test_certificate_says_who_what_where_and_until_when(trade_office: TradeOffice, tmp_path: Path) -> None:  # noqa: F811
    trade = trade_office.services.trade
    uuid = _issued(trade_office)
    certificate = trade.certificate(uuid)
    pdf = trade.certificate_pdf(uuid)
    text = _text(pdf)
    assert certificate.licence.fee_receipt_no.startswith("DEMO/")
    for expected in (
        "Demo Municipal Corporation",
        "TRADE LICENCE",
        "TL/2026-27/C01-00001",
        "TLA/2026-27/C01-00001",
        "Sahu General Store and Mobile Recharge Centre",
        "Ramesh Sahu",
        "Sadar Bazar",
        "W03-000042",
        "200 sq ft",
        "road 10 m",
        "7.5–15 m",
        "₹1,000.00",
        certificate.licence.fee_receipt_no,
        "15-06-2026",  # issued
        "31-03-2027",  # valid to
        "Vyapar Anugyapan",
    ):
        assert expected in text, expected
    assert "EXPIRED" not in text
    # Hindi: words with only post-base signs extract in order (see test_reports_receipt_pdf).
    assert "पता" in text
    assert PdfReader(BytesIO(pdf)).metadata["/Keywords"] == certificate.verification_text

    image = _page(pdf)
    image.save(screenshot_path(tmp_path, "trade-licence-certificate.png"))
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert image.width * image.height * 0.004 < dark < image.width * image.height * 0.3


def test_the_qr_decodes_to_a_code_signed_by_this_device(trade_office: TradeOffice, data_dir: Path) -> None:  # noqa: F811
    trade = trade_office.services.trade
    uuid = _issued(trade_office)
    pdf = trade.certificate_pdf(uuid)
    decoded = [result.text for result in zxingcpp.read_barcodes(_page(pdf, scale=3))]
    key = get_or_create_key(default_secret_store(data_dir), LICENCE_KEY_NAME)
    assert decoded == [licence_verification_text(key, "TL/2026-27/C01-00001", "DEMO", trade.get(uuid).valid_to)]  # type: ignore[arg-type]
    check = check_licence_code(key, decoded[0])
    assert check.genuine
    assert (check.licence_no, check.ulb_code, str(check.valid_to)) == ("TL/2026-27/C01-00001", "DEMO", "2027-03-31")
    # Altered validity or another key: not genuine.
    assert not check_licence_code(key, decoded[0].replace("20270331", "20280331")).genuine
    assert not check_licence_code(b"another device's key" * 2, decoded[0]).genuine
    assert not check_licence_code(key, "NKY1|something|else").genuine


def test_an_expired_licence_prints_with_an_expired_mark(trade_office: TradeOffice) -> None:  # noqa: F811
    trade = trade_office.services.trade
    uuid = _issued(trade_office)
    assert trade.get(uuid).valid_to == date(2027, 3, 31)
    trade_office.clock.current = FixedClock.on_ist_date(date(2027, 4, 1)).current
    trade.expire_due()
    pdf = trade.certificate_pdf(uuid)
    assert "EXPIRED" in _text(pdf)


def test_no_certificate_before_issue(trade_office: TradeOffice) -> None:  # noqa: F811
    view = approved(trade_office)
    with pytest.raises(ValidationError, match="is APPROVED: a certificate is printed only once issued"):
        trade_office.services.trade.certificate_pdf(view.uuid)


def test_a_thela_certificate_has_no_area_row(trade_office: TradeOffice) -> None:  # noqa: F811
    view = approved(trade_office, shop(trade_kind="THELA", area_sqft=None, road_width_m=None, trade_name="Fruit thela"))
    pay_fee(trade_office, view)
    trade = trade_office.services.trade
    trade.issue(trade_office.commissioner, view.uuid)
    text = _text(trade.certificate_pdf(view.uuid))
    assert "Thela (handcart)" in text
    assert "₹200.00" in text
    assert "sq ft" not in text


def test_a_scanned_code_is_checked_against_the_register(trade_office: TradeOffice) -> None:  # noqa: F811
    trade = trade_office.services.trade
    uuid = _issued(trade_office)
    code = trade.certificate(uuid).verification_text
    result = trade.verify_code(code)
    assert (result.genuine, result.status) == (True, "GENUINE")
    assert result.message == "TL/2026-27/C01-00001: genuine and in force until 31-03-2027"
    assert result.licence is not None and result.licence.uuid == uuid
    assert trade.verify_code(code, on=date(2027, 4, 1)).status == "EXPIRED"
    assert trade.verify_code(code.replace("20270331", "20280331")).status == "FORGED"
    assert trade.verify_code("hello").status == "MALFORMED"
