"""The DCB screen: the statement of the year on screen with its total row, the check that the total
collected equals the year's receipts, grouping by ward, a PDF saved, Hindi headings; screenshots.
Real services on a real SQLite file (60 demo properties), receipts made through the service."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.collections.dto import CollectRequest, Mode, Payment
from app.core.ids import new_uuid
from app.core.money import format_inr
from app.reports.dcb import GroupBy
from app.swm.dto import PayerInput
from tests.ui.conftest import login_actor
from tests.ui.helpers import WAIT_MS, show_screen
from ui.context import UiContext
from ui.dcb.screen import DcbScreen

TODAY = date(2026, 6, 15)
# docs/screenshots with NIKAY_DOCS_SHOTS=1 (to be looked at); else a scratch folder, so a test run
# leaves the checkout as it was.
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("NIKAY_DOCS_SHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="nikay-shots-"))
)


@pytest.fixture
def office(services: Any, clerk: Any, ops: Any) -> UiContext:
    from sqlalchemy import text

    supervisor = login_actor(services, "supervisor1")
    services.collections.open_session(clerk, 0)
    with services.db.read() as session:
        uuids = [row[0] for row in session.execute(text("SELECT uuid FROM property ORDER BY property_id")).all()]
    paid = 0
    for uuid in uuids[:3]:
        due = services.dues.dues(uuid, TODAY).payable_paise
        amount = min(due, 150000)
        services.collections.collect(
            clerk, CollectRequest(uuid, amount, Payment(Mode.CASH, tendered_paise=amount), new_uuid())
        )
        paid += amount
    services.swm.register(
        supervisor,
        PayerInput(name_en="Gupta Kirana", ward_no=3, category="SHOP", start_month="2026-04"),
    )
    services.swm.generate_month(supervisor, "2026-05")
    ctx = UiContext(services=services, actor=supervisor, ops=ops, language="en")
    ctx.paid_paise = paid  # type: ignore[attr-defined]
    return ctx


def _screen(qtbot: Any, ctx: UiContext) -> DcbScreen:
    screen = show_screen(qtbot, DcbScreen(ctx), ctx)
    qtbot.waitUntil(lambda: screen.statement is not None, timeout=WAIT_MS)
    return screen


def test_statement_totals_equal_the_receipts(qtbot: Any, office: UiContext) -> None:
    screen = _screen(qtbot, office)
    assert screen.fy_combo.currentText() == "2026-27"
    model = screen.model
    last = model.rowCount() - 1
    assert model.text(last, 0) == "Total"
    assert model.headerData(0, Qt.Orientation.Horizontal).replace("\n", " ") == "Revenue head"
    assert model.headerData(6, Qt.Orientation.Horizontal).replace("\n", " ") == "Total collected"
    paid = office.paid_paise  # type: ignore[attr-defined]
    assert model.text(last, 6) == format_inr(paid)  # three receipts of today
    assert "equal to the total collected" in screen.check_label.text()
    heads = [model.text(row, 0) for row in range(last)]
    assert ("Property tax" in heads and "User charge (sanitation)" in heads) or "Solid-waste user charge" in heads
    assert screen.statement is not None and screen.statement.total.balance_paise > 0

    screen.select(group_by=GroupBy.WARD)
    assert office.ops.wait_idle(WAIT_MS)
    assert screen.model.headerData(0, Qt.Orientation.Horizontal).replace("\n", " ") == "Ward"
    assert screen.model.text(screen.model.rowCount() - 1, 6) == format_inr(paid)
    assert any(screen.model.text(row, 0) == "Ward 3" for row in range(screen.model.rowCount()))
    screen.select(group_by=GroupBy.HEAD, ward_no=3)
    assert office.ops.wait_idle(WAIT_MS)
    # Ward 3 holds the shop: ₹50 raised for May, nothing paid.
    statement = screen.statement
    assert statement is not None and statement.ward_no == 3
    swm_row = [r.key for r in statement.rows].index("SWM_USER_CHARGE")
    assert (screen.model.text(swm_row, 2), screen.model.text(swm_row, 9)) == (format_inr(5000), format_inr(5000))


def test_save_pdf(qtbot: Any, office: UiContext, tmp_path: Path) -> None:
    screen = _screen(qtbot, office)
    target = tmp_path / "dcb.pdf"
    screen.save_pdf(target)
    assert office.ops.wait_idle(WAIT_MS)
    assert screen.last_saved == target and target.read_bytes().startswith(b"%PDF")


def test_hindi_headings_and_screenshots(qtbot: Any, office: UiContext, runtime: Any) -> None:
    screen = _screen(qtbot, office)
    screen.resize(1366, 700)
    qtbot.wait(50)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert screen.grab().save(str(SHOTS / "dcb-screen.png"))
    runtime.translations.set_language("hi")
    office.language = "hi"
    qtbot.wait(50)
    try:
        assert screen.model.headerData(1, Qt.Orientation.Horizontal).replace("\n", " ") == "प्रारंभिक बकाया"
        assert screen.model.headerData(9, Qt.Orientation.Horizontal).replace("\n", " ") == "शेष"
        assert screen.model.text(screen.model.rowCount() - 1, 0) == "योग"
        assert screen.model.text(0, 0) == "संपत्ति कर"
        assert "कुल वसूली के बराबर" in screen.check_label.text()
        assert screen.grab().save(str(SHOTS / "dcb-screen-hi.png"))
    finally:
        runtime.translations.set_language("en")
        office.language = "en"
    qtbot.wait(50)
    assert screen.model.headerData(1, Qt.Orientation.Horizontal).replace("\n", " ") == "Opening arrears"
