"""The DCB statement PDF: what it says (text), that it draws (pixels), and a screenshot to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from pypdf import PdfReader

from app.core.money import format_inr
from app.reports.dcb import GroupBy
from app.reports.dcb_pdf import render_dcb_pdf
from tests.unit.test_dcb import Ledger, ledger  # noqa: F401 - the fixture

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _text(pdf: bytes) -> str:
    from io import BytesIO

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_pdf_says_the_figures_and_draws_hindi(ledger: Ledger) -> None:  # noqa: F811
    statement = ledger.dcb.statement("2026-27", GroupBy.HEAD)
    pdf = render_dcb_pdf(statement, "DEMO Nagar Palik Nigam", "डेमो नगर पालिक निगम", ledger.clock.now_utc())
    text = _text(pdf)
    for figure in (statement.total.balance_paise, statement.total.collected_paise, statement.receipts_paise):
        assert format_inr(figure) in text
    assert "Opening" in text and "Balance" in text and "2026-27" in text
    assert "equal to the total" in text.replace("\n", " ")
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1
        image = document[0].render(scale=2).to_pil()
        width, height = image.size
        assert width > height  # landscape
        dark = sum(image.convert("L").histogram()[:128])
        assert dark > 20_000  # text and grid were drawn
        if os.environ.get("NIKAY_DOCS_SHOTS") == "1":  # to be looked at; a plain run leaves the checkout alone
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            image.save(SCREENSHOTS / "dcb-statement.png")
    finally:
        document.close()


def test_pdf_by_ward_with_filter(ledger: Ledger) -> None:  # noqa: F811
    statement = ledger.dcb.statement("2026-27", GroupBy.WARD, ward_no=2)
    text = _text(render_dcb_pdf(statement, "DEMO Nagar Palik Nigam", "डेमो नगर पालिक निगम"))
    assert "Ward 2" in text and format_inr(statement.total.balance_paise) in text
