"""The A5/A4 receipt PDF: what it says (pypdf text), that every page draws (pypdfium2 pixels).

Shaped Devanagari extracts from a PDF in glyph (visual) order, so words with a pre-base matra or a
conjunct (e.g. "रसीद" is fine, "प्रतिलिपि" is not) cannot be searched for; the tests look for Hindi
words made only of letters and post-base signs, and check the pixels of every page besides.
The PNGs go to $NIKAY_PDF_DIR when set (to look at them), else to the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from pypdf import PdfReader

from app.collections.dto import Mode, ReceiptView
from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.demand.dto import AllocatedLine, Head
from app.receipts.document import ReceiptDocument, build_document
from app.reports.fonts import markup, script_runs
from app.reports.receipt_pdf import render_receipt_pdf
from app.reports.upi import qr_matrix
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from tests.factories import add_property, cash, set_up_device

LONG_NAME = (
    "श्रीमती लक्ष्मीबाई रामप्रसाद द्विवेदी (Laxmibai Ramprasad Dwivedi) w/o Late Shri Ramprasad Dwivedi, "
    "Karta of the Dwivedi Hindu Undivided Family"
)


def png_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("NIKAY_PDF_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace (incl. line breaks of wrapped text) folded to single spaces."""
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader_bytes(pdf).pages).split())


def PdfReader_bytes(pdf: bytes) -> PdfReader:
    from io import BytesIO

    return PdfReader(BytesIO(pdf))


def render_pages(pdf: bytes, folder: Path, name: str, scale: float = 1.5) -> int:
    """Render every page to PNG; assert each has ink (dark pixels) and is not all ink. Returns pages."""
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=scale).to_pil().convert("L")
            image.save(folder / f"{name}-p{index + 1}.png")
            histogram = image.histogram()
            dark = sum(histogram[:128])
            total = image.width * image.height
            assert dark > total * 0.002, f"{name} page {index + 1} is blank"
            assert dark < total * 0.5, f"{name} page {index + 1} is mostly black"
        return len(document)
    finally:
        document.close()


@dataclass
class Office:
    services: Services
    clerk: Actor
    supervisor: Actor


@pytest.fixture
def office(data_dir: Path, clock: FixedClock) -> Iterator[Office]:
    set_up_device(data_dir, clock).dispose()
    services = build_services(data_dir, clock=clock, password_hasher=fast_hasher())
    clerk = services.users.actor_for("clerk1", 1)
    services.collections.open_session(clerk, 100000)
    yield Office(services, clerk, services.users.actor_for("supervisor1", 1))
    services.close()


def sample_view(**changes: object) -> ReceiptView:
    view = ReceiptView(
        uuid="0190f1a2-7b3c-7d4e-8f90-123456789abc",
        receipt_no="DEMO/Z01/C01/2026-27/000123",
        fy="2026-27",
        collected_at=datetime(2026, 6, 15, 5, 30, tzinfo=UTC),
        business_date=date(2026, 6, 15),
        property_uuid="p",
        property_id="W01-000001",
        ward_no=1,
        address_en="House 12, behind the old Shiv temple, Gandhi Chowk, Station Road, near Jaistambh Chowk, Raipur",
        address_hi="मकान 12, पुराने शिव मंदिर के पीछे, गांधी चौक, स्टेशन रोड, जयस्तंभ चौक के पास, रायपुर",
        payer_name=LONG_NAME,
        collector_name="Sunita Verma",
        mode=Mode.CHEQUE,
        amount_paise=1234567,
        tendered_paise=None,
        change_paise=None,
        instrument_no="123456",
        instrument_date=date(2026, 6, 10),
        bank="State Bank of India",
        branch="Pandri",
        lines=(
            AllocatedLine("2025-26", Head.PROPERTY_TAX, 500000),
            AllocatedLine("2025-26", Head.SURCHARGE, 2500),
            AllocatedLine("2025-26", Head.PENALTY, 100000),
            AllocatedLine("2026-27", Head.PROPERTY_TAX, 600000),
            AllocatedLine("2026-27", Head.SAMEKIT, 60000),
            AllocatedLine("2026-27", Head.REBATE, -37500),
            AllocatedLine("2026-27", Head.ROUND_OFF, 25),
            AllocatedLine("2026-27", Head.ADVANCE, 9542),
        ),
        balance_after_paise=0,
        ulb_name_en="Demo Municipal Corporation",
        ulb_name_hi="डेमो नगर पालिक निगम",
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def sample_document(verification: str = "NKV1|DEMO/Z01/C01/2026-27/000123", **changes: object) -> ReceiptDocument:
    return build_document(sample_view(**changes), office_code="Z01", counter_code="C01", verification=verification)


def test_script_runs_switch_fonts_only_between_words() -> None:
    runs = script_runs("श्रीमती द्विवेदी (Laxmibai Ramprasad) w/o · वार्ड")
    assert runs == [(True, "श्रीमती द्विवेदी "), (False, "(Laxmibai Ramprasad) w/o · "), (True, "वार्ड")]
    assert "&lt;b&gt;" in markup("<b>")


@pytest.mark.parametrize("size", ["A5", "A4"])
def test_receipt_pdf_says_everything(size: str, tmp_path: Path) -> None:
    pdf = render_receipt_pdf(sample_document(duplicate=True), size)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "DEMO/Z01/C01/2026-27/000123",
        "₹12,345.67",  # total, Indian grouping
        "₹5,000.00",  # arrear property tax
        "-₹375.00",  # the rebate, negative
        "₹95.42",  # advance credit created
        "DUPLICATE",
        "Sunita Verma",
        "123456",
        "State Bank of India",
        "Twelve Thousand Three Hundred Forty Five",
        "Arrears",
        "Current year",
        "Balance still due",
        "Karta of the Dwivedi",  # the end of a long name: wrapped, not cut
        "Jaistambh Chowk",
    ):
        assert expected in text, expected
    for hindi in ("भुगतान", "रसीद", "बकाया", "चेक", "पता", "गांधी चौक", "तीन सौ"):
        assert hindi in text, hindi
    pages = render_pages(pdf, png_dir(tmp_path), f"receipt-{size}")
    assert pages == 1


def test_cancelled_receipt_is_marked(tmp_path: Path) -> None:
    document = sample_document(cancelled="CANCELLED", cancel_reason="wrong property entered", verification="")
    pdf = render_receipt_pdf(document, "A5")
    text = pdf_text(pdf)
    assert "CANCELLED" in text
    assert "wrong property entered" in text
    render_pages(pdf, png_dir(tmp_path), "receipt-cancelled")


def test_verification_qr_carries_the_document_text() -> None:
    from app.reports.receipt_pdf import receipt_story

    document = sample_document()
    flowables = receipt_story(document, 400, 8)
    found = []
    stack: list[object] = list(flowables)
    while stack:
        item = stack.pop()
        if hasattr(item, "matrix") and hasattr(item, "data"):
            found.append(item)
        for row in getattr(item, "_cellvalues", []):
            for cell in row:
                stack.extend(cell if isinstance(cell, list) else [cell])
    assert [qr.data for qr in found] == [document.verification]
    assert found[0].matrix == qr_matrix(document.verification)


def test_saved_receipt_renders_and_a_reprint_says_duplicate(office: Office, tmp_path: Path) -> None:
    services = office.services
    uuid = add_property(services.db, owner_en="Ramesh Sahu", owner_hi="रमेश साहू")
    receipt = services.collections.collect(office.clerk, cash(uuid, 211900, tendered_paise=250000))
    document = build_document(receipt, office_code="Z01", counter_code="C01")
    pdf = render_receipt_pdf(document, "A5")
    text = pdf_text(pdf)
    assert receipt.receipt_no in text
    assert "₹2,119.00" in text and "₹2,500.00" in text and "₹381.00" in text  # total, tendered, change
    assert "DUPLICATE" not in text
    reprint = services.collections.reprint(office.supervisor, receipt.uuid)
    pdf = render_receipt_pdf(build_document(reprint, office_code="Z01", counter_code="C01"), "A4")
    assert "DUPLICATE" in pdf_text(pdf)
    render_pages(pdf, png_dir(tmp_path), "receipt-saved-duplicate")


def test_unknown_page_size_is_refused() -> None:
    with pytest.raises(ValueError, match="A5 or A4"):
        render_receipt_pdf(sample_document(), "Letter")  # type: ignore[arg-type]
