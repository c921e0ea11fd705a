"""Screenshots of one bill, one receipt at the counter, in the main window at 1366×768, English and Hindi:
search with mixed hits (property, water, user charge), a property's bill with water and user-charge lines,
a part payment refused inline (the licence fee cut short), and the combined receipt's preview.

PNGs go to the test's tmp dir and /tmp/nikay-shots/ (and to docs/screenshots/counter-bill-*.png when
NIKAY_DOCS_SHOTS=1) to be looked at by a person. The test checks what a machine can: the hits carry their
service badges, the lines are on screen, the error is said, and no single-line label is clipped.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.core.money import format_inr
from app.demand.dto import Head, Service
from tests.factories import make_licence, make_swm_payer, make_water_connection, raise_service_demand
from tests.ui.helpers import WAIT_MS
from tests.ui.test_counter_screenshots import _clipped_labels
from ui.counter.screen import CounterScreen

TODAY = date(2026, 6, 15)
SHOTS = Path("/tmp/nikay-shots")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _save(widget: QWidget, tmp_path: Path, name: str) -> Path:
    QTest.qWait(50)
    path = tmp_path / f"{name}.png"
    assert widget.grab().save(str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    if os.environ.get("NIKAY_DOCS_SHOTS") == "1":
        shutil.copy(path, DOCS / path.name)
    return path


def _household(services: Any) -> tuple[str, str, str]:
    """(property uuid, owner's English name, Hindi name) of a property owing tax, with water, user charge
    and a licence in the owner's name."""
    from sqlalchemy import text

    with services.db.read() as session:
        rows = session.execute(
            text(
                "SELECT p.uuid, o.name_en, o.name_hi FROM property p "
                "JOIN owner o ON o.property_uuid = p.uuid AND o.ordinal = 0 ORDER BY p.uuid"
            )
        ).all()
    for uuid, name_en, name_hi in rows:
        if services.dues.dues(uuid, TODAY).payable_paise <= 0:
            continue
        water = make_water_connection(
            services.db, "W-07-004211", property_uuid=uuid, holder_en=name_en, holder_hi=name_hi
        )
        for month in ("2026-03", "2026-04", "2026-05"):
            raise_service_demand(services.db, Service.WATER, water, month, Head.WATER_CHARGE, 20000)
        swm = make_swm_payer(services.db, "UC-07-000311", property_uuid=uuid, name_en=name_en, name_hi=name_hi)
        raise_service_demand(services.db, Service.SWM, swm, "2026-04", Head.SWM_USER_CHARGE, 5000)
        raise_service_demand(services.db, Service.SWM, swm, "2026-05", Head.SWM_USER_CHARGE, 5000)
        licence = make_licence(
            services.db,
            "TLA/2026-27/00077",
            property_uuid=uuid,
            owner_en=name_en,
            owner_hi=name_hi,
        )
        raise_service_demand(services.db, Service.TRADE, licence, "2026-27", Head.TRADE_LICENCE_FEE, 100000)
        return uuid, name_en, name_hi
    pytest.skip("no property with dues")


@pytest.mark.parametrize("language", ["en", "hi"])
def test_counter_bill_screenshots(
    qtbot: Any, make_main_window: Any, services: Any, tmp_path: Path, language: str
) -> None:
    uuid, name_en, _name_hi = _household(services)
    window = make_main_window("clerk1")
    window.resize(1366, 768)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    if language == "hi":
        window.set_language("hi")
    ops = window.ctx.ops
    screen = window.show_screen("counter")
    assert isinstance(screen, CounterScreen)
    assert ops.wait_idle(WAIT_MS)
    qtbot.keyClicks(screen.opening.amount_edit, "2000")
    qtbot.keyClick(screen.opening.amount_edit, Qt.Key.Key_Return)
    assert ops.wait_idle(WAIT_MS)

    # Search by the owner's name: the property, its water connection, user charge and licence.
    qtbot.keyClicks(screen.search_edit, name_en)
    qtbot.waitUntil(lambda: screen._searched_text == name_en, timeout=WAIT_MS)
    model = screen.results_model
    services_found = {model.service(row) for row in range(model.rowCount())}
    assert {Service.PROPERTY, Service.WATER, Service.SWM, Service.TRADE} <= services_found
    _save(window, tmp_path, f"counter-bill-search-{language}")
    row = next(r for r in range(model.rowCount()) if (hit := model.hit(r)) is not None and hit.uuid == uuid)
    for _ in range(row):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Down)
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen._bill is not None and not screen._property_loading, timeout=WAIT_MS)
    assert ops.wait_idle(WAIT_MS)

    # The bill: the licence left out (F4, down to it, Space), water and user charge ticked.
    dues = screen.dues_model
    licence_row = next(r for r in dues.checkable_rows() if dues.row_at(r).service == Service.TRADE)
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F4)
    while screen.dues_view.currentIndex().row() != licence_row:
        qtbot.keyClick(screen.dues_view, Qt.Key.Key_Down)
    qtbot.keyClick(screen.dues_view, Qt.Key.Key_Space)
    assert not dues.is_checked(licence_row)
    qtbot.keyClick(screen.dues_view, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: screen.payment.allocation_model.rowCount() > 0, timeout=WAIT_MS)  # the preview
    assert ops.wait_idle(WAIT_MS)
    water_month = "अप्रैल 2026" if language == "hi" else "Apr 2026"
    assert any(dues.index(r, 0).data() == water_month for r in range(dues.rowCount()))
    _save(window, tmp_path, f"counter-bill-{language}")
    assert _clipped_labels(screen) == []

    # Tick the licence again and cut the amount short: the rule is said inline, nothing opens.
    qtbot.keyClick(screen.dues_view, Qt.Key.Key_F8)  # not all ticked: F8 ticks all
    assert dues.all_checked()
    total = dues.chosen_total()
    screen.payment.amount_edit.setFocus()
    qtbot.keyClicks(screen.payment.amount_edit, str((total - 50000) // 100))
    qtbot.waitUntil(lambda: bool(screen.payment.message.text()), timeout=WAIT_MS)
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F10)
    assert ops.wait_idle(WAIT_MS)
    assert not screen.confirmation.isVisible()
    assert format_inr(100000) in screen.payment.message.text()
    _save(window, tmp_path, f"counter-bill-part-error-{language}")

    # Pay all: the confirmation lists each service; the combined receipt shows.
    screen.payment.amount_edit.setFocus()
    qtbot.keyClicks(screen.payment.amount_edit, str(total // 100))
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F5)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F10)
    qtbot.waitUntil(screen.confirmation.isVisible, timeout=WAIT_MS)
    assert screen.confirmation.services_value.text().count("\n") == 3  # property, water, user charge, licence
    _save(window, tmp_path, f"counter-bill-confirm-{language}")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.last_receipt is not None, timeout=WAIT_MS)
    assert ops.wait_idle(WAIT_MS)
    assert screen.last_receipt is not None and screen.last_receipt.amount_paise == total
    assert screen.last_receipt.receipt_no in screen.receipt_preview.plain_text()
    # The preview scrolled to the particulars: each service under its own account number.
    preview = screen.receipt_preview
    for number in ("W-07-004211", "UC-07-000311", "TLA/2026-27/00077"):
        assert number in preview.plain_text()
    cursor = preview.document().find("Particulars")
    bar = preview.verticalScrollBar()
    bar.setValue(bar.value() + preview.cursorRect(cursor).top() - 8)
    _save(window, tmp_path, f"counter-bill-receipt-{language}")
