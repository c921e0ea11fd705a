"""Demand notices (one property, a ward in one PDF), the UPI payment link and its QR, `nikay report`."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from app.cli import cli
from app.errors import ValidationError
from app.reports.demand_notice import notice_for, notice_story, render_property_notice, render_ward_notices
from app.reports.upi import QR_MASK, QrFlowable, parse_upi_url, qr_matrix, ulb_upi_vpa, upi_url
from tests.factories import add_property
from tests.unit.test_reports_receipt_pdf import Office, office, pdf_text, png_dir, render_pages

__all__ = ["office"]

DAY = date(2026, 6, 15)


def test_upi_url_round_trips_and_is_percent_encoded() -> None:
    url = upi_url(
        "demo.nagarnigam@sbi", "Demo Municipal Corporation", 573800, "W01-000001-2026-27", "Property tax & cess"
    )
    assert url.startswith("upi://pay?pa=demo.nagarnigam@sbi&pn=Demo%20Municipal%20Corporation&am=5738.00&cu=INR&")
    assert " " not in url and "&tn=Property%20tax%20%26%20cess" in url
    assert parse_upi_url(url) == {
        "pa": "demo.nagarnigam@sbi",
        "pn": "Demo Municipal Corporation",
        "am": "5738.00",
        "cu": "INR",
        "tr": "W01-000001-2026-27",
        "tn": "Property tax & cess",
    }
    hindi = upi_url("a@b", "डेमो नगर पालिक निगम", 5, "r/1", "नोट")
    assert parse_upi_url(hindi)["pn"] == "डेमो नगर पालिक निगम" and parse_upi_url(hindi)["am"] == "0.05"
    with pytest.raises(ValidationError):
        upi_url("no-at-sign", "x", 100, "r", "n")
    with pytest.raises(ValidationError):
        upi_url("a@b", "x", 0, "r", "n")


def test_qr_encodes_exactly_the_url() -> None:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    url = upi_url("demo.nagarnigam@sbi", "Demo Municipal Corporation", 573800, "W01-000001-2026-27", "Property tax")
    flowable = QrFlowable(url, 80)
    reference = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    reference.add_data(url)
    reference.make(fit=True)
    assert flowable.data == url
    assert flowable.matrix == [list(row) for row in reference.get_matrix()] == qr_matrix(url)
    assert reference.version <= 8  # ~25-30 mm at a printable module size


def test_vpa_comes_from_the_ulb_file() -> None:
    assert ulb_upi_vpa("DEMO") == "demo.nagarnigam@sbi"
    assert ulb_upi_vpa("NOSUCHULB") == ""


def test_notice_of_a_property_with_arrears(office: Office, tmp_path: Path) -> None:
    services = office.services
    uuid = add_property(
        services.db,
        "W01-000001",
        years=("2025-26", "2026-27"),
        unfiled=("2025-26",),
        owner_en="Laxmibai Ramprasad Dwivedi",
        owner_hi="लक्ष्मीबाई रामप्रसाद द्विवेदी",
    )
    notice = notice_for(services, uuid, DAY)
    dues = services.dues.dues(uuid, DAY)
    assert notice.dues == dues and dues.rebate is not None
    assert parse_upi_url(notice.upi_url)["am"] == f"{dues.payable_paise / 100:.2f}"
    assert parse_upi_url(notice.upi_url)["pa"] == "demo.nagarnigam@sbi"

    pdf = render_property_notice(services, uuid, DAY)
    text = pdf_text(pdf)
    from app.core.clock import format_date
    from app.core.money import format_inr

    for expected in (
        "W01-000001",
        "Laxmibai Ramprasad Dwivedi",
        "2025-26",
        "Arrears",
        "Surcharge",
        "Penalty",
        format_inr(dues.payable_paise),
        format_inr(dues.arrear_paise),
        f"by {format_date(dues.rebate.valid_until)} to get",
        "AMOUNT PAYABLE",
        "demo.nagarnigam@sbi",
        "Five Thousand",
    ):
        assert expected in text, expected
    for hindi in ("मांग", "बकाया", "देय", "गांधी चौक", "पाँच"):
        assert hindi in text, hindi
    qrs = [f for f in _walk(notice_story(notice, 500)) if isinstance(f, QrFlowable)]
    assert [q.data for q in qrs] == [notice.upi_url]
    assert render_pages(pdf, png_dir(tmp_path), "demand-notice") == 1


def test_nothing_due_has_no_payment_qr(office: Office) -> None:
    services = office.services
    uuid = add_property(services.db, "W01-000009")
    from tests.factories import cash

    services.collections.collect(office.clerk, cash(uuid, services.dues.dues(uuid, DAY).payable_paise))
    notice = notice_for(services, uuid, DAY)
    assert notice.payable_paise == 0 and notice.upi_url == ""
    assert "Nothing is due" in pdf_text(render_property_notice(services, uuid, DAY))


def test_a_ward_in_one_pdf(office: Office, tmp_path: Path) -> None:
    services = office.services
    ids = [f"W01-{n:06d}" for n in range(1, 8)]
    for property_id in ids:
        add_property(services.db, property_id, owner_en=f"Owner {property_id}")
    pdf = render_ward_notices(services, 1, DAY)
    text = pdf_text(pdf)
    for property_id in ids:
        assert f"Owner {property_id}" in text
    assert render_pages(pdf, png_dir(tmp_path), "ward-notices", scale=0.5) == len(ids)
    assert render_pages(render_ward_notices(services, 1, DAY, limit=3), tmp_path, "ward-3", scale=0.3) == 3
    empty = render_ward_notices(services, 2, DAY)
    assert "No properties." in pdf_text(empty) and len(PdfReader(BytesIO(empty)).pages) == 1


def _walk(flowables: list[object]) -> list[object]:
    found: list[object] = []
    stack = list(flowables)
    while stack:
        item = stack.pop()
        found.append(item)
        for row in getattr(item, "_cellvalues", []):
            for cell in row:
                stack.extend(cell if isinstance(cell, list) else [cell])
    return found


def test_cli_report_commands(office: Office, tmp_path: Path) -> None:
    services = office.services
    add_property(services.db, "W01-000001", years=("2025-26", "2026-27"))
    from tests.factories import cash

    uuid = add_property(services.db, "W01-000002")
    services.collections.collect(office.clerk, cash(uuid, 100000))
    data_dir = services.data_dir

    def nikay(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args])
        return result.exit_code, result.stdout, result.stderr

    out = tmp_path / "notice.pdf"
    code, stdout, stderr = nikay("report", "notice", "W01-000001", "--out", str(out), "--on", "2026-06-15")
    assert code == 0, stderr
    assert "W01-000001" in pdf_text(out.read_bytes())
    code, stdout, stderr = nikay(
        "report", "notices", "--ward", "1", "--out", str(tmp_path / "w.pdf"), "--on", "2026-06-15"
    )
    assert code == 0, stderr
    assert render_pages((tmp_path / "w.pdf").read_bytes(), tmp_path, "cli-ward", scale=0.3) == 2
    code, stdout, stderr = nikay("report", "day", "--date", "2026-06-15", "--out", str(tmp_path / "d.pdf"))
    assert code == 0, stderr
    assert "1 receipts (0 cancelled), collected ₹1,000.00" in stdout
    code, _, stderr = nikay("report", "notice", "NOPE", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "no property" in stderr
    code, _, stderr = nikay("report", "notices", "--ward", "99", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "ward 99" in stderr


def test_printed_qr_codes_decode_back_exactly(office: Office) -> None:
    """The payment QR on the notice page and the verification QR on the receipt page, rendered from
    the PDF and decoded (zxing-cpp): exactly the UPI link / the verification text."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    import zxingcpp

    from app.receipts.document import build_document
    from app.reports.receipt_pdf import render_receipt_pdf
    from tests.unit.test_reports_receipt_pdf import sample_view

    def decoded(pdf: bytes) -> list[str]:
        document = pdfium.PdfDocument(pdf)
        try:
            image = document[0].render(scale=3).to_pil().convert("L")
        finally:
            document.close()
        return [result.text for result in zxingcpp.read_barcodes(image)]

    services = office.services
    uuid = add_property(services.db, "W01-000001", years=("2025-26", "2026-27"))
    notice = notice_for(services, uuid, DAY)
    assert decoded(render_property_notice(services, uuid, DAY)) == [notice.upi_url]
    assert parse_upi_url(notice.upi_url)["am"] == f"{notice.payable_paise / 100:.2f}"

    text = "NKV1|DEMO/Z01/C01/2026-27/000123|0190f1a2-7b3c-7d4e-8f90-123456789abc|12345.67|2026-06-15|abcd1234"
    for size in ("A5", "A4"):
        document = build_document(sample_view(), office_code="Z01", counter_code="C01", verification=text)
        assert decoded(render_receipt_pdf(document, size)) == [text]


def test_the_centrals_upi_vpa_replaces_the_bundled_one_once_it_came_down(office: Office) -> None:
    from app.replica.service import SETTING_META_PREFIX, set_meta

    services = office.services
    uuid = add_property(services.db, "W01-000001", years=("2026-27",))
    assert parse_upi_url(notice_for(services, uuid, DAY).upi_url)["pa"] == "demo.nagarnigam@sbi"
    with services.db.write() as session:  # what the sync engine stores when the setting is pulled
        set_meta(session, SETTING_META_PREFIX + "payments.upi_vpa", "raipur.collections@axis")
    notice = notice_for(services, uuid, DAY)
    assert notice.upi_vpa == "raipur.collections@axis"
    assert parse_upi_url(notice.upi_url)["pa"] == "raipur.collections@axis"
