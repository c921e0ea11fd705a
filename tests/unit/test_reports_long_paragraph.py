"""A shaped paragraph longer than a page breaks across pages (a long register remark, a long list of
reasons on a permit): the layout memo must not outlive the split."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from app.reports.fonts import para


def test_a_paragraph_longer_than_a_page_continues_on_the_next_page() -> None:
    out = BytesIO()
    words = [f"शब्द{i} word{i}" for i in range(3000)]
    SimpleDocTemplate(out, pagesize=A4).build([para(" ".join(words))])
    pages = PdfReader(BytesIO(out.getvalue())).pages
    assert len(pages) >= 2
    text = "".join(page.extract_text() for page in pages)
    assert "word0" in text and "word2999" in text  # nothing lost at the break
