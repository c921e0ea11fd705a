"""The User charges screen: register a household linked to a property and billed with it, a tenant shop
of its own, find them, edit with the version check, generate a month's charges, close a payer; Hindi
retranslates; screenshots. Real services on a real SQLite file, a supervisor logged in."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from tests.ui.conftest import login_actor
from tests.ui.helpers import WAIT_MS, show_screen
from ui.context import UiContext
from ui.swm.screen import PayerDialog, SwmScreen

# docs/screenshots with NIKAY_DOCS_SHOTS=1 (to be looked at); else a scratch folder, so a test run
# leaves the checkout as it was.
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("NIKAY_DOCS_SHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="nikay-shots-"))
)


@pytest.fixture
def ctx(services: Any, ops: Any) -> UiContext:
    return UiContext(services=services, actor=login_actor(services, "supervisor1"), ops=ops, language="en")


def _property_id(services: Any) -> str:
    with services.db.read() as session:
        return str(session.execute(text("SELECT property_id FROM property ORDER BY property_id LIMIT 1")).scalar_one())


def _fill(dialog: PayerDialog, **values: Any) -> None:
    for name, value in values.items():
        widget = getattr(dialog, name)
        if name == "ward":
            widget.setValue(value)
        elif name == "category":
            widget.setCurrentIndex(widget.findData(value))
        elif name == "billed_with_property":
            widget.setChecked(value)
        else:
            widget.setText(value)


def _register(qtbot: Any, screen: SwmScreen, ctx: UiContext, **values: Any) -> None:
    screen.open_register()
    dialog = screen.dialog
    assert isinstance(dialog, PayerDialog)
    _fill(dialog, **values)
    dialog.buttons.accepted.emit()
    assert ctx.ops.wait_idle(WAIT_MS)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert ctx.ops.wait_idle(WAIT_MS)


def test_register_search_edit_generate_close(qtbot: Any, ctx: UiContext) -> None:
    screen = show_screen(qtbot, SwmScreen(ctx), ctx)
    prop = _property_id(ctx.services)
    _register(
        qtbot,
        screen,
        ctx,
        name_en="Ramesh Sahu",
        name_hi="रमेश साहू",
        ward=4,
        category="HOUSEHOLD",
        sqft="800",
        property_id=prop,
        billed_with_property=True,
        start_month="2026-04",
    )
    assert screen.model.payers and screen.model.payers[0].payer_id == "UC-04-C01-00001"
    assert screen.model.text(0, 4) == prop and screen.model.text(0, 5) == "Yes"
    assert screen.model.text(0, 6) == "₹30.00"  # 501-1,000 sq ft slab

    # A tenant shop: its own payer, not on the property's bill.
    _register(qtbot, screen, ctx, name_en="Gupta Kirana", ward=4, category="SHOP", start_month="2026-04")
    screen.search.setText("")
    screen.refresh()
    assert ctx.ops.wait_idle(WAIT_MS)
    assert [p.payer_id for p in screen.model.payers] == ["UC-04-C01-00001", "UC-04-C01-00002"]
    assert screen.model.text(1, 5) == "No" and screen.model.text(1, 6) == "₹50.00"

    # A wrong input stays in the dialog with the service's message.
    screen.open_register()
    dialog = screen.dialog
    assert isinstance(dialog, PayerDialog)
    _fill(dialog, name_en="Nobody", ward=4, category="HOUSEHOLD", sqft="", start_month="2026-04")
    dialog.buttons.accepted.emit()
    assert ctx.ops.wait_idle(WAIT_MS)
    assert dialog.isVisible() and "built_up_sqft" in dialog.banner.text()
    dialog.reject()

    # Edit the household to 1,500 sq ft: the ₹50 slab.
    screen.table.selectRow(0)
    screen.open_edit()
    edit = screen.dialog
    assert isinstance(edit, PayerDialog) and edit.name_hi.text() == "रमेश साहू"
    _fill(edit, sqft="1500")
    edit.buttons.accepted.emit()
    assert ctx.ops.wait_idle(WAIT_MS)
    qtbot.waitUntil(lambda: not edit.isVisible(), timeout=WAIT_MS)
    assert ctx.ops.wait_idle(WAIT_MS)
    assert screen.model.payers[0].version == 2 and screen.model.text(0, 6) == "₹50.00"

    # Generate June.
    screen.open_generate()
    generate = screen.dialog
    assert generate is not None
    generate.month.setText("2026-06")  # type: ignore[attr-defined]
    generate.buttons.accepted.emit()
    assert ctx.ops.wait_idle(WAIT_MS)
    result = screen.last_generation
    assert result is not None and (result.raised, result.amount_paise) == (2, 10000)

    # Close the shop.
    screen.search.setText("Gupta")
    screen.refresh()
    assert ctx.ops.wait_idle(WAIT_MS)
    screen.table.selectRow(0)
    screen.close_selected()
    assert ctx.ops.wait_idle(WAIT_MS)
    assert screen.model.payers[0].status == "CLOSED" and screen.model.text(0, 8) == "Closed"
    screen.hide()


def test_hindi_and_screenshots(qtbot: Any, ctx: UiContext, runtime: Any) -> None:
    from decimal import Decimal

    from app.swm.dto import PayerInput

    swm = ctx.services.swm
    for name, name_hi, category, sqft in (
        ("Ramesh Sahu", "रमेश साहू", "HOUSEHOLD", Decimal(450)),
        ("Sunita Verma", "सुनीता वर्मा", "HOUSEHOLD", Decimal(1200)),
        ("Gupta Kirana", "गुप्ता किराना", "SHOP", None),
        ("Annapurna Bhojanalay", "अन्नपूर्णा भोजनालय", "EATERY", None),
        ("Raju Thela", "राजू ठेला", "STREET_VENDOR", None),
    ):
        swm.register(
            ctx.actor,
            PayerInput(
                name_en=name, name_hi=name_hi, ward_no=7, category=category, built_up_sqft=sqft, start_month="2026-04"
            ),
        )
    screen = show_screen(qtbot, SwmScreen(ctx), ctx)
    screen.refresh()
    assert ctx.ops.wait_idle(WAIT_MS)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert screen.grab().save(str(SHOTS / "swm-payers.png"))
    screen.open_register()
    dialog = screen.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(SHOTS / "swm-register.png"))
    dialog.reject()
    runtime.translations.set_language("hi")
    ctx.language = "hi"
    qtbot.wait(50)
    try:
        assert screen.model.headerData(0, Qt.Orientation.Horizontal) == "भुगतानकर्ता क्र."
        assert screen.model.text(0, 1) == "रमेश साहू"
        assert screen.title.text() == "उपयोगकर्ता शुल्क"
        assert screen.model.text(4, 3) == "पथ विक्रेता (छूट)"
        assert screen.grab().save(str(SHOTS / "swm-payers-hi.png"))
    finally:
        runtime.translations.set_language("en")
        ctx.language = "en"
