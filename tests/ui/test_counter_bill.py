"""One bill, one receipt at the counter (issue 5): property tax, water, user charge and licence fee of a payer
collected together, on real services and a real SQLite file (offscreen Qt, keyboard first)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.money import format_inr
from app.demand.dto import Head, Service
from tests.factories import make_licence, make_swm_payer, make_water_connection, raise_service_demand
from tests.ui.helpers import WAIT_MS, show_screen
from ui.counter.models import PROPERTY_SECTION_KEY, RowKind
from ui.counter.screen import CounterScreen

TODAY = date(2026, 6, 15)  # the FixedClock of tests/conftest.py
CONSUMER_NO = "W-07-004211"
WATER_APRIL = 20000  # ₹200 a month, DEMO domestic flat rate
WATER_MAY = 20000


@dataclass(frozen=True)
class Payer:
    property_uuid: str
    owner: str  # English name, typed in search
    water_uuid: str


def _wait(ctx: Any) -> None:
    assert ctx.ops.wait_idle(WAIT_MS)


def _payer_with_water(services: Any) -> Payer:
    """A property that owes tax, with a domestic water connection owing April and May."""
    from sqlalchemy import text

    with services.db.read() as session:
        rows = session.execute(
            text("SELECT p.uuid, o.name_en FROM property p JOIN owner o ON o.property_uuid = p.uuid AND o.ordinal = 0")
        ).all()
    for uuid, name in rows:
        hits = services.search.search(name)
        if services.dues.dues(uuid, TODAY).payable_paise > 0 and hits and hits[0].uuid == uuid:
            water = make_water_connection(services.db, CONSUMER_NO, property_uuid=uuid, holder_en=name)
            raise_service_demand(services.db, Service.WATER, water, "2026-04", Head.WATER_CHARGE, WATER_APRIL)
            raise_service_demand(services.db, Service.WATER, water, "2026-05", Head.WATER_CHARGE, WATER_MAY)
            return Payer(uuid, name, water)
    pytest.skip("no property with dues that its owner's name finds first")


@pytest.fixture
def counter(qtbot: Any, ui_context: Any) -> Iterator[CounterScreen]:
    screen = show_screen(qtbot, CounterScreen(ui_context), ui_context)
    qtbot.keyClicks(screen.opening.amount_edit, "1000")
    qtbot.keyClick(screen.opening.amount_edit, Qt.Key.Key_Return)
    _wait(ui_context)
    assert screen.search_edit.hasFocus()
    yield screen
    screen.close()
    _wait(ui_context)


def _search_and_enter(qtbot: Any, screen: CounterScreen, text: str) -> None:
    qtbot.keyClicks(screen.search_edit, text)
    qtbot.waitUntil(lambda: screen._searched_text == text and screen.results_model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen._bill is not None and not screen._property_loading, timeout=WAIT_MS)
    _wait(screen.ctx)


def _collect_cash(qtbot: Any, screen: CounterScreen) -> Any:
    """F5 (exact cash), F10, Enter: returns the saved receipt."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F10)
    qtbot.waitUntil(screen.confirmation.isVisible, timeout=WAIT_MS)
    before = screen.last_receipt
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.last_receipt is not before, timeout=WAIT_MS)
    _wait(screen.ctx)
    receipt = screen.last_receipt
    assert receipt is not None
    return receipt


def _water_due(services: Any, payer: Payer) -> int:
    account = services.billing.account_ref(Service.WATER, payer.water_uuid)
    return services.billing.bill_for(account, TODAY).payable_paise


def _water_rows(screen: CounterScreen) -> list[int]:
    model = screen.dues_model
    return [
        row
        for row in range(model.rowCount())
        if model.row_at(row).kind is RowKind.LINE and model.row_at(row).service == Service.WATER
    ]


def test_water_and_property_tax_on_one_receipt(qtbot: Any, counter: CounterScreen, services: Any) -> None:
    payer = _payer_with_water(services)
    property_payable = services.dues.dues(payer.property_uuid, TODAY).payable_paise
    _search_and_enter(qtbot, counter, payer.owner)

    # The property's bill shows its water connection, each month a line of its own, everything ticked.
    model = counter.dues_model
    water = _water_rows(counter)
    assert [model.index(row, 0).data() for row in water] == ["Apr 2026", "May 2026"]
    assert [model.index(row, 1).data() for row in water] == ["Water charge · arrear", "Water charge"]
    assert all(model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked for row in water)
    headings = [model.index(r, 0).data() for r in range(model.rowCount()) if model.row_at(r).kind is RowKind.ACCOUNT]
    assert any(CONSUMER_NO in heading and heading.startswith("Water") for heading in headings)
    total = property_payable + WATER_APRIL + WATER_MAY
    assert model.index(model.rowCount() - 1, 4).data() == format_inr(total)
    assert counter.payment.amount_edit.hasFocus()
    assert counter.payment.amount_paise() == total

    qtbot.keyClick(counter.payment.amount_edit, Qt.Key.Key_F5)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F10)
    qtbot.waitUntil(counter.confirmation.isVisible, timeout=WAIT_MS)
    listed = counter.confirmation.services_value.text()
    assert f"Water {CONSUMER_NO}: {format_inr(WATER_APRIL + WATER_MAY)}" in listed
    assert f"Property {services.properties.get(payer.property_uuid).property_id}" in listed
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=WAIT_MS)
    _wait(counter.ctx)

    receipts = services.collections.list_receipts(TODAY)
    assert len(receipts) == 1
    view = services.collections.get_receipt(receipts[0].uuid)
    assert view.amount_paise == total
    assert {line.service for line in view.lines} == {Service.PROPERTY, Service.WATER}
    water_lines = [(line.period, line.amount_paise) for line in view.lines if line.service == Service.WATER]
    assert water_lines == [("2026-04", WATER_APRIL), ("2026-05", WATER_MAY)]
    # Both services are settled, and the combined receipt is what the clerk sees.
    assert services.dues.dues(payer.property_uuid, TODAY).payable_paise == 0
    assert _water_due(services, payer) == 0
    assert counter.middle.currentIndex() == counter.MIDDLE_RECEIPT
    assert view.receipt_no in counter.receipt_preview.plain_text()
    assert QApplication.focusWidget() is counter.search_edit


def test_unticking_the_water_line_pays_only_the_property(qtbot: Any, counter: CounterScreen, services: Any) -> None:
    payer = _payer_with_water(services)
    property_payable = services.dues.dues(payer.property_uuid, TODAY).payable_paise
    _search_and_enter(qtbot, counter, payer.owner)

    # F4 into the lines; ↓ from tick box to tick box; Space unticks both water months.
    qtbot.keyClick(counter.payment.amount_edit, Qt.Key.Key_F4)
    assert counter.dues_view.hasFocus()
    model = counter.dues_model
    assert model.row_at(counter.dues_view.currentIndex().row()).key == PROPERTY_SECTION_KEY
    for _ in range(2):
        qtbot.keyClick(counter.dues_view, Qt.Key.Key_Down)
        assert model.row_at(counter.dues_view.currentIndex().row()).service == Service.WATER
        qtbot.keyClick(counter.dues_view, Qt.Key.Key_Space)
    assert [model.is_checked(row) for row in _water_rows(counter)] == [False, False]
    assert counter.payment.amount_paise() == property_payable  # the amount follows the ticks
    assert model.index(model.rowCount() - 1, 4).data() == format_inr(property_payable)

    qtbot.keyClick(counter.dues_view, Qt.Key.Key_Return)  # back to the amount
    assert counter.payment.amount_edit.hasFocus()
    receipt = _collect_cash(qtbot, counter)
    view = services.collections.get_receipt(receipt.uuid)
    assert view.amount_paise == property_payable
    assert {line.service for line in view.lines} == {Service.PROPERTY}
    assert _water_due(services, payer) == WATER_APRIL + WATER_MAY  # still owed


def test_tick_none_then_all(qtbot: Any, counter: CounterScreen, services: Any) -> None:
    payer = _payer_with_water(services)
    _search_and_enter(qtbot, counter, payer.owner)
    total = counter.payment.amount_paise()
    qtbot.keyClick(counter.payment.amount_edit, Qt.Key.Key_F8)  # all ticked: F8 unticks everything
    assert counter.payment.amount_edit.text() == ""
    assert not counter.rebate_banner.isVisible()  # no rebate while the property is not ticked
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F10)
    assert not counter.confirmation.isVisible()
    assert counter.payment.message.text() == "Tick at least one line to pay."
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert counter.payment.amount_paise() == total


def test_consumer_number_search_makes_a_water_only_receipt(qtbot: Any, counter: CounterScreen, services: Any) -> None:
    payer = _payer_with_water(services)
    qtbot.keyClicks(counter.search_edit, CONSUMER_NO)
    qtbot.waitUntil(lambda: counter._searched_text == CONSUMER_NO, timeout=WAIT_MS)
    model = counter.results_model
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == CONSUMER_NO
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == Service.WATER  # the service badge
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == f"Water {CONSUMER_NO}"
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    qtbot.keyClick(counter.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter._bill is not None and not counter._property_loading, timeout=WAIT_MS)
    _wait(counter.ctx)
    assert CONSUMER_NO in counter.property_header.text()
    assert counter.payment.amount_paise() == WATER_APRIL + WATER_MAY

    receipt = _collect_cash(qtbot, counter)
    view = services.collections.get_receipt(receipt.uuid)
    assert view.property_uuid is None
    assert view.amount_paise == WATER_APRIL + WATER_MAY
    assert {line.service for line in view.lines} == {Service.WATER}
    assert _water_due(services, payer) == 0
    assert services.dues.dues(payer.property_uuid, TODAY).payable_paise > 0  # the tax was not touched


def test_part_payment_across_services(qtbot: Any, counter: CounterScreen, services: Any) -> None:
    payer = _payer_with_water(services)
    swm = make_swm_payer(services.db, "UC-07-000311", property_uuid=payer.property_uuid, name_en=payer.owner)
    raise_service_demand(services.db, Service.SWM, swm, "2026-05", Head.SWM_USER_CHARGE, 5000)
    licence = make_licence(services.db, "TLA/2026-27/00077", property_uuid=payer.property_uuid, owner_en=payer.owner)
    raise_service_demand(services.db, Service.TRADE, licence, "2026-27", Head.TRADE_LICENCE_FEE, 100000)
    property_payable = services.dues.dues(payer.property_uuid, TODAY).payable_paise
    _search_and_enter(qtbot, counter, payer.owner)
    services_shown = [
        counter.dues_model.row_at(r).service
        for r in range(counter.dues_model.rowCount())
        if counter.dues_model.row_at(r).kind is RowKind.ACCOUNT
    ]
    assert services_shown == [Service.PROPERTY, Service.WATER, Service.SWM, Service.TRADE]
    total = property_payable + WATER_APRIL + WATER_MAY + 5000 + 100000
    assert counter.payment.amount_paise() == total

    # Cutting the licence fee short is refused inline, with what to pay instead.
    short = total - 50000
    qtbot.keyClicks(counter.payment.amount_edit, format_inr(short, symbol=False).replace(",", ""))
    qtbot.waitUntil(lambda: "paid whole" in counter.payment.message.text(), timeout=WAIT_MS)
    qtbot.keyClick(counter.payment.amount_edit, Qt.Key.Key_F10)
    _wait(counter.ctx)
    assert not counter.confirmation.isVisible()
    assert "paid whole" in counter.payment.message.text()

    # Untick the licence: the property and April's water are paid, May's water in part.
    licence_row = next(
        r for r in counter.dues_model.checkable_rows() if counter.dues_model.row_at(r).service == Service.TRADE
    )
    counter.dues_view.setFocus()
    counter.toggle_line(licence_row)
    assert counter.payment.amount_paise() == total - 100000
    part = property_payable + WATER_APRIL + 5000
    counter.payment.amount_edit.setFocus()
    qtbot.keyClicks(counter.payment.amount_edit, str(part // 100))
    qtbot.waitUntil(lambda: counter.payment.allocation_model.rowCount() > 0, timeout=WAIT_MS)
    _wait(counter.ctx)
    assert counter.payment.message.text() == ""
    periods = [
        counter.payment.allocation_model.index(r, 0).data() for r in range(counter.payment.allocation_model.rowCount())
    ]
    assert "Apr 2026" in periods and "May 2026" in periods
    assert "Part payment of the ticked lines" in counter.payment.balance_value.text()

    receipt = _collect_cash(qtbot, counter)
    view = services.collections.get_receipt(receipt.uuid)
    assert view.amount_paise == part
    paid = {(line.service, line.period): line.amount_paise for line in view.lines if line.service != Service.PROPERTY}
    assert paid == {(Service.WATER, "2026-04"): WATER_APRIL, (Service.WATER, "2026-05"): 5000}
    assert sum(line.amount_paise for line in view.lines if line.service == Service.PROPERTY) == property_payable
    assert _water_due(services, payer) == WATER_MAY - 5000
    assert all(line.service != Service.TRADE for line in view.lines)


def test_same_bill_request_is_one_receipt_even_if_sent_twice(qtbot: Any, counter: CounterScreen, services: Any) -> None:
    """The request id made when the confirmation opened makes a retry of a combined bill idempotent."""
    from app.billing.dto import BillCollectRequest

    payer = _payer_with_water(services)
    _search_and_enter(qtbot, counter, payer.owner)
    qtbot.keyClick(counter.payment.amount_edit, Qt.Key.Key_F10)
    qtbot.waitUntil(counter.confirmation.isVisible, timeout=WAIT_MS)
    request = counter._request
    assert isinstance(request, BillCollectRequest)
    first = services.collections.collect_bill(counter.ctx.actor, request)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # the screen sends the same request
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=WAIT_MS)
    _wait(counter.ctx)
    assert counter.last_receipt is not None and counter.last_receipt.receipt_no == first.receipt_no
    assert len(services.collections.list_receipts(TODAY)) == 1
