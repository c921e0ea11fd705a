"""A receipt that pays property tax, water and the user charge at once: its document groups the lines
by account with each account's number and every period in words, and it renders on 58 mm and 80 mm
thermal paper (decoded back from the ESC/POS bytes) and as a PDF. The images are kept in
docs/screenshots/receipt-combined-{58mm,80mm,pdf}.png to be looked at."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the thermal renderer draws with Qt

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image, ImageOps

from app.billing.dto import Bill
from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.demand.dto import Head, Service
from app.printing.escpos_out import receipt_to_escpos, settings_for_paper
from app.printing.raster_decode import decode
from app.receipts.document import ReceiptDocument
from app.reports.receipt_pdf import render_receipt_pdf
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from tests.factories import CombinedAccounts, bill_request, make_combined_accounts, set_up_device
from tests.unit.test_reports_receipt_pdf import pdf_text

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _keep_for_docs(image: Image.Image, name: str) -> None:
    """With NIKAY_DOCS_SHOTS=1 the rendering is saved under docs/screenshots to be looked at; a plain
    test run leaves the checkout as it was."""
    if os.environ.get("NIKAY_DOCS_SHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        image.save(SCREENSHOTS / name)


DAY = date(2026, 6, 15)


@dataclass
class Office:
    services: Services
    clerk: Actor
    supervisor: Actor
    accounts: CombinedAccounts

    def bill(self, service: Service = Service.PROPERTY, uuid: str | None = None) -> Bill:
        ref = self.services.billing.account_ref(service, uuid or self.accounts.property_uuid)
        return self.services.billing.bill_for(ref, DAY)


@pytest.fixture
def office(data_dir: Path, clock: FixedClock) -> Iterator[Office]:
    set_up_device(data_dir, clock).dispose()
    services = build_services(data_dir, clock=clock, password_hasher=fast_hasher())
    accounts = make_combined_accounts(services.db)
    clerk = services.users.actor_for("clerk1", services.device.device_no)
    services.collections.open_session(clerk, 0)
    yield Office(services, clerk, services.users.actor_for("supervisor1", services.device.device_no), accounts)
    services.close()


def keys(bill: Bill, *services: Service) -> set[str]:
    return {line.key for section in bill.sections if section.service in services for line in section.lines}


def combined_document(office: Office) -> ReceiptDocument:
    bill = office.bill()
    receipt = office.services.collections.collect_bill(
        office.clerk, bill_request(bill.primary, keys(bill, Service.WATER, Service.SWM), 211900 + 146000)
    )
    return office.services.receipts.for_receipt(receipt.uuid)


def test_the_document_groups_lines_by_account_with_periods_in_words(office: Office) -> None:
    document = combined_document(office)
    assert document.combined and document.title_en == "PAYMENT RECEIPT"
    assert [(s.service, s.number_label_en, s.account_no, s.total_paise) for s in document.sections] == [
        (Service.PROPERTY, "Property ID", "W01-000001", 211900),
        (Service.WATER, "Consumer no.", "W-01-000001", 140000),
        (Service.SWM, "Payer ID", "UC-01-000001", 6000),
    ]
    water = document.sections[1]
    assert [(r.period_en, r.period_hi, r.label_hi, r.amount_paise) for r in water.rows] == [
        ("Apr 2026", "अप्रैल 2026", "नल कनेक्शन शुल्क", 100000),
        ("Apr 2026", "अप्रैल 2026", "जल प्रभार", 20000),
        ("May 2026", "मई 2026", "जल प्रभार", 20000),
    ]
    assert document.sections[2].rows[0].label_hi == "यूजर चार्ज (स्वच्छता शुल्क)"
    assert sum(s.total_paise for s in document.sections) == document.total_paise == 357900
    assert document.balance_due_paise == 100000  # the licence fee was not chosen


def test_a_standalone_licence_receipt_names_the_licence_not_a_property(office: Office) -> None:
    bill = office.bill(Service.TRADE, office.accounts.licence_uuid)
    receipt = office.services.collections.collect_bill(
        office.clerk, bill_request(bill.primary, keys(bill, Service.TRADE), 100000, property_included=False)
    )
    document = office.services.receipts.for_receipt(receipt.uuid)
    assert document.property_id == ""
    assert [(s.number_label_en, s.account_no) for s in document.sections] == [("Licence no.", "TL/2026-27/00001")]
    assert document.sections[0].rows[0].period_en == "FY 2026-27"
    assert document.period_text == "FY 2026-27"
    text = pdf_text(render_receipt_pdf(document))
    assert "TL/2026-27/00001" in text and "Property ID" not in text


def test_the_combined_pdf_shows_each_account_and_adds_up(office: Office, tmp_path: Path) -> None:
    pdf = render_receipt_pdf(combined_document(office))
    text = pdf_text(pdf)
    for needle in (
        "PAYMENT RECEIPT",
        "Consumer no.",
        "W-01-000001",
        "Payer ID",
        "UC-01-000001",
        "Property ID",
        "Apr 2026",
        "May 2026",
        "Water connection fee",
        "User charge (sanitation)",
        "₹3,579.00",
        "₹1,000.00",  # balance still due: the licence fee
    ):
        assert needle in text, needle
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1
        image = document[0].render(scale=2).to_pil().convert("L")
    finally:
        document.close()
    _keep_for_docs(image, "receipt-combined-pdf.png")
    dark = sum(image.histogram()[:128])
    assert image.width * image.height * 0.002 < dark < image.width * image.height * 0.5


@pytest.mark.parametrize("paper", [58, 80])
def test_the_combined_thermal_receipt_decodes_to_the_paper_width(qapp: Any, office: Office, paper: int) -> None:
    from ui.printing.raster import receipt_html

    document = combined_document(office)
    dots = 384 if paper == 58 else 576
    html = receipt_html(document, dots)
    for needle in ("W-01-000001", "UC-01-000001", "अप्रैल 2026 / Apr 2026", "यूजर चार्ज (स्वच्छता शुल्क)", "भुगतान रसीद"):
        assert needle in html.replace("/\u200b", "/"), needle
    raster, data = receipt_to_escpos(document, settings_for_paper(paper))
    pages = decode(data).pages()
    assert len(pages) == 1 and pages[0].width == dots == raster.width
    ink = raster.ink_rows()
    assert ink and ink[-1] < raster.height - 1
    for y in range(raster.height):  # nothing ran off either edge of the paper
        assert not raster.is_black(0, y) and not raster.is_black(dots - 1, y), f"ink at the edge, row {y}"
    page = pages[0]
    # The decoded dots as the paper shows them (a set bit burns a black dot).
    image = ImageOps.invert(Image.frombytes("1", (page.width, page.height), page.data).convert("L"))
    _keep_for_docs(image, f"receipt-combined-{paper}mm.png")


def test_every_new_head_has_both_labels() -> None:
    from app.receipts.labels import HEAD_LABELS

    assert all(en and hi for en, hi in HEAD_LABELS.values())
    assert set(HEAD_LABELS) == set(Head)
