"""The counter screen driven by the keyboard alone, on real services and a real SQLite file (offscreen Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.collections.dto import Mode
from app.core.money import format_inr
from app.demand.dto import Head
from tests.ui.helpers import WAIT_MS, show_screen
from ui.counter.screen import SHORTCUTS, CounterScreen

TODAY = date(2026, 6, 15)  # the FixedClock of tests/conftest.py


def _owner_with_dues(services: Any, *, arrears: bool | None = None) -> tuple[str, str]:
    """(owner's English name, property uuid) of a property that owes something (optionally: arrears)."""
    from sqlalchemy import text

    with services.db.read() as session:
        rows = session.execute(
            text("SELECT p.uuid, o.name_en FROM property p JOIN owner o ON o.property_uuid = p.uuid ORDER BY p.uuid")
        ).all()
    for uuid, name in rows:
        dues = services.dues.dues(uuid, TODAY)
        if dues.payable_paise <= 0:
            continue
        if arrears is None or (dues.arrear_paise > 0) == arrears:
            return name, uuid
    pytest.skip("no property with such dues in the seeded register")


def _wait(ctx: Any) -> None:
    assert ctx.ops.wait_idle(WAIT_MS)


@pytest.fixture
def counter(qtbot: Any, ui_context: Any) -> Iterator[CounterScreen]:
    screen = show_screen(qtbot, CounterScreen(ui_context), ui_context)
    yield screen
    screen.close()  # before the operations shut down: its debounce timers stop with it
    _wait(ui_context)


@pytest.fixture
def open_counter(qtbot: Any, counter: CounterScreen) -> CounterScreen:
    """The counter after the clerk typed the opening cash (asked once: no session yet)."""
    assert counter.stack.currentIndex() == counter.PAGE_OPENING
    assert counter.opening.amount_edit.hasFocus()
    qtbot.keyClicks(counter.opening.amount_edit, "1500")
    qtbot.keyClick(counter.opening.amount_edit, Qt.Key.Key_Return)
    _wait(counter.ctx)
    assert counter.session is not None
    assert counter.session.opening_cash_paise == 150000
    assert counter.stack.currentIndex() == counter.PAGE_COUNTER
    assert counter.search_edit.hasFocus()
    return counter


def _search_and_select(qtbot: Any, screen: CounterScreen, name: str, *, down: int = 1) -> str:
    """Type a name in search, press ↓ `down` times and Enter; returns the uuid of the selected property."""
    focused = QApplication.focusWidget()
    assert focused is screen.search_edit
    qtbot.keyClicks(screen.search_edit, name)
    qtbot.waitUntil(lambda: screen.results_model.rowCount() > 0 and screen._searched_text == name, timeout=WAIT_MS)
    for _ in range(down):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Down)
    row = screen.results_view.currentIndex().row()
    hit = screen.results_model.hit(row)
    assert hit is not None
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    _wait(screen.ctx)
    qtbot.waitUntil(lambda: screen._dues is not None, timeout=WAIT_MS)
    assert screen._dues is not None and screen._dues.property_uuid == hit.uuid
    return hit.uuid


def _receipts(services: Any) -> list[Any]:
    return services.collections.list_receipts(TODAY)


def test_keyboard_alone_from_search_to_receipt(qtbot: Any, open_counter: CounterScreen, services: Any) -> None:
    screen = open_counter
    name, _uuid = _owner_with_dues(services)
    uuid = _search_and_select(qtbot, screen, name)
    dues = services.dues.dues(uuid, TODAY)

    # The amount defaults to the full payable, selected: typing replaces it.
    amount_edit = screen.payment.amount_edit
    assert amount_edit.hasFocus()
    assert amount_edit.text() == format_inr(dues.payable_paise, symbol=False)
    assert amount_edit.selectedText() == amount_edit.text()
    amount = min(dues.payable_paise, 100000) // 100 * 100  # whole rupees, at most ₹1,000
    qtbot.keyClicks(amount_edit, str(amount // 100))
    assert screen.payment.amount_paise() == amount

    qtbot.keyClick(amount_edit, Qt.Key.Key_F5)  # cash: the tendered field takes the focus
    assert screen.payment.mode == Mode.CASH
    assert screen.payment.tendered_edit.hasFocus()
    tendered = amount + 50000
    qtbot.keyClicks(screen.payment.tendered_edit, str(tendered // 100))
    assert screen.payment.change_value.text() == format_inr(50000)  # change shown live

    expected = services.collections.preview(uuid, amount, TODAY)
    qtbot.keyClick(screen.payment.tendered_edit, Qt.Key.Key_F10)
    assert screen.confirmation.isVisible()
    assert screen.confirmation.amount_value.text() == format_inr(amount)
    assert screen.confirmation.words_primary.text()  # amount in words
    assert screen.confirmation.payer_value.text().endswith(name) or name in screen.confirmation.payer_value.text()
    assert _receipts(services) == []  # the confirmation has not spent anything yet

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    _wait(screen.ctx)
    qtbot.waitUntil(lambda: not screen.confirmation.isVisible(), timeout=WAIT_MS)

    receipts = _receipts(services)
    assert len(receipts) == 1
    view = services.collections.get_receipt(receipts[0].uuid)
    assert view.amount_paise == amount
    assert view.property_uuid == uuid
    assert view.tendered_paise == tendered and view.change_paise == 50000
    assert [(line.fy, line.head, line.amount_paise) for line in view.lines] == [
        (line.fy, line.head, line.amount_paise) for line in expected.lines
    ]
    assert sum(line.amount_paise for line in view.lines) == amount

    # The receipt preview shows, and the next citizen starts in an empty search.
    assert screen.middle.currentIndex() == screen.MIDDLE_RECEIPT
    assert view.receipt_no in screen.receipt_preview.plain_text()
    assert QApplication.focusWidget() is screen.search_edit
    assert screen.search_edit.text() == ""
    assert screen.results_model.rowCount() == 0


def test_double_enter_and_held_key_make_one_receipt(qtbot: Any, open_counter: CounterScreen, services: Any) -> None:
    screen = open_counter
    name, _uuid = _owner_with_dues(services)
    _search_and_select(qtbot, screen, name, down=0)
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F10)  # full payable, cash, exact
    assert screen.confirmation.isVisible()
    target = QApplication.focusWidget()
    # Enter, Enter again before the writer answers, and a held key (auto-repeat).
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert not screen.confirmation.confirm_button.isEnabled()  # disabled while in flight
    qtbot.keyClick(target, Qt.Key.Key_Return)
    from PySide6.QtGui import QKeyEvent

    repeat = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", True)
    QApplication.sendEvent(target, repeat)
    _wait(screen.ctx)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # lands in the empty search: nothing
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    _wait(screen.ctx)
    assert len(_receipts(services)) == 1


def test_same_request_is_one_receipt_even_if_sent_twice(qtbot: Any, open_counter: CounterScreen, services: Any) -> None:
    """Belt and braces: the request id made when the confirmation opened makes a retry idempotent."""
    screen = open_counter
    name, _uuid = _owner_with_dues(services)
    _search_and_select(qtbot, screen, name, down=0)
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F10)
    request = screen._request
    assert request is not None
    first = services.collections.collect(screen.ctx.actor, request)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # the screen sends the same request
    _wait(screen.ctx)
    assert screen.last_receipt is not None and screen.last_receipt.receipt_no == first.receipt_no
    assert len(_receipts(services)) == 1


def test_part_payment_shows_allocation_and_balance(qtbot: Any, open_counter: CounterScreen, services: Any) -> None:
    screen = open_counter
    name, _uuid = _owner_with_dues(services, arrears=True)
    uuid = _search_and_select(qtbot, screen, name, down=0)
    dues = services.dues.dues(uuid, TODAY)
    part = dues.arrear_paise // 200 * 100 or 10000  # about half the arrears, whole rupees
    qtbot.keyClicks(screen.payment.amount_edit, str(part // 100))
    expected = services.collections.preview(uuid, part, TODAY)
    balance_text = format_inr(expected.balance_after_paise)
    qtbot.waitUntil(lambda: balance_text in screen.payment.balance_value.text(), timeout=WAIT_MS)
    model = screen.payment.allocation_model
    shown = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert shown == [line.fy for line in expected.lines]
    assert expected.lines[0].fy < dues.current_fy  # oldest year first
    assert expected.balance_after_paise > 0
    # Arrears are visibly apart from the current year in the dues table.
    kinds = [
        screen.dues_model.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(screen.dues_model.rowCount())
    ]
    assert kinds[0] == "section_arrear" and "section_current" in kinds and kinds[-1] == "total"


def test_rebate_today_and_until_when(qtbot: Any, open_counter: CounterScreen, services: Any) -> None:
    screen = open_counter
    name, _uuid = _owner_with_dues(services, arrears=False)
    uuid = _search_and_select(qtbot, screen, name, down=0)
    dues = services.dues.dues(uuid, TODAY)
    if dues.rebate is None or not dues.rebate.amount_paise:
        pytest.skip("no rebate on this property")
    assert screen.rebate_banner.isVisible()
    assert "31-07-2026" in screen.rebate_banner.text()
    assert format_inr(dues.rebate.amount_paise) in screen.rebate_banner.text()


def test_esc_before_confirmation_saves_nothing(qtbot: Any, open_counter: CounterScreen, services: Any) -> None:
    screen = open_counter
    name, _uuid = _owner_with_dues(services)
    _search_and_select(qtbot, screen, name, down=0)
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F10)
    assert screen.confirmation.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # confirmation -> payment
    assert not screen.confirmation.isVisible()
    assert screen.payment.amount_edit.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # payment -> search (results kept)
    assert screen._dues is None
    assert screen.search_edit.hasFocus() and screen.search_edit.text() == name
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # search -> empty
    assert screen.search_edit.text() == ""
    _wait(screen.ctx)
    assert _receipts(services) == []


def test_post_dated_cheque_is_refused_with_a_clear_message(
    qtbot: Any, open_counter: CounterScreen, services: Any
) -> None:
    screen = open_counter
    name, _uuid = _owner_with_dues(services)
    _search_and_select(qtbot, screen, name, down=0)
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F6)
    assert screen.payment.mode == Mode.CHEQUE
    assert screen.payment.cheque_no_edit.hasFocus()
    qtbot.keyClicks(screen.payment.cheque_no_edit, "12345678")  # only 6 digits go in
    assert screen.payment.cheque_no_edit.text() == "123456"
    later = (TODAY + timedelta(days=10)).strftime("%d-%m-%Y")
    qtbot.keyClick(screen.payment.cheque_no_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(screen.payment.cheque_date_edit, later)
    assert "Post-dated" in screen.payment.message.text()  # said while typing
    qtbot.keyClick(screen.payment.cheque_date_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(screen.payment.bank_edit, "State Bank of India")
    screen.payment.branch_edit.setFocus()
    qtbot.keyClicks(screen.payment.branch_edit, "Civil Lines")
    qtbot.keyClick(screen.payment.branch_edit, Qt.Key.Key_F10)
    assert not screen.confirmation.isVisible()
    assert "Post-dated" in screen.payment.message.text() and later in screen.payment.message.text()
    _wait(screen.ctx)
    assert _receipts(services) == []


def test_cheque_dated_today_is_collected(qtbot: Any, open_counter: CounterScreen, services: Any) -> None:
    screen = open_counter
    name, _uuid = _owner_with_dues(services)
    _search_and_select(qtbot, screen, name, down=0)
    qtbot.keyClick(screen.payment.amount_edit, Qt.Key.Key_F6)
    qtbot.keyClicks(screen.payment.cheque_no_edit, "654321")
    screen.payment.cheque_date_edit.setFocus()
    qtbot.keyClicks(screen.payment.cheque_date_edit, TODAY.strftime("%d-%m-%Y"))
    screen.payment.bank_edit.setFocus()
    qtbot.keyClicks(screen.payment.bank_edit, "Bank of Baroda")
    qtbot.keyClick(screen.payment.bank_edit, Qt.Key.Key_F10)
    assert not screen.confirmation.isVisible()
    assert screen.payment.message.text() == "Type the branch."
    assert screen.payment.branch_edit.hasFocus()
    qtbot.keyClicks(screen.payment.branch_edit, "Raipur Main")
    qtbot.keyClick(screen.payment.branch_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert screen.confirmation.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    _wait(screen.ctx)
    assert screen.confirmation.message.text() == "" or not screen.confirmation.isVisible(), (
        screen.confirmation.message.text()
    )
    receipts = _receipts(services)
    assert len(receipts) == 1 and receipts[0].mode == Mode.CHEQUE


def test_stale_search_answer_never_overwrites_a_newer_one(qtbot: Any, open_counter: CounterScreen) -> None:
    from app.property.dto import PropertyHit

    screen = open_counter
    old = PropertyHit("u-old", "W01-000001", "", 1, "A", "Old Answer", "", "", "", "")
    screen._search_seq = 5
    screen._searched_text = ""
    screen._on_search_results((4, "ol", [old]))  # the answer to an older query arrives late
    assert screen.results_model.rowCount() == 0


def test_shortcuts_are_listed_for_the_help_overlay(counter: CounterScreen) -> None:
    keys = [k for k, _text in SHORTCUTS]
    for key in ("F5", "F6", "F7", "Esc"):
        assert key in keys
    assert any("F10" in k for k in keys)
    assert all(context == "CounterShortcuts" for _k, context, _t in counter.help_shortcuts())


def test_dues_heads_include_surcharge_and_penalty_in_red(
    qtbot: Any, open_counter: CounterScreen, services: Any
) -> None:
    from ui.counter.models import PENALTY_FG

    screen = open_counter
    name, _uuid = _owner_with_dues(services, arrears=True)
    uuid = _search_and_select(qtbot, screen, name, down=0)
    dues = services.dues.dues(uuid, TODAY)
    model = screen.dues_model
    for row in range(model.rowCount()):
        dues_row = model.row_at(row)
        if dues_row.head in (Head.SURCHARGE, Head.PENALTY):
            assert model.index(row, 1).data(Qt.ItemDataRole.ForegroundRole).color() == PENALTY_FG
    assert model.index(model.rowCount() - 1, 4).data() == format_inr(dues.payable_paise)


def test_yesterdays_open_session_is_flagged(qtbot: Any, ui_context: Any, services: Any, clerk: Any) -> None:
    services.collections.open_session(clerk, 0)
    services.clock.current += timedelta(days=1)  # the clerk forgot day-end yesterday
    screen = CounterScreen(ui_context)
    qtbot.addWidget(screen)
    screen.show()
    _wait(ui_context)
    assert screen.stack.currentIndex() == screen.PAGE_COUNTER
    assert screen.session_banner.isVisible()
    assert "15-06-2026" in screen.session_banner.text()
    screen.close()
    _wait(ui_context)


def test_a_payment_just_made_at_another_counter_shows_first(
    qtbot: Any, open_counter: CounterScreen, services: Any
) -> None:
    from app.collections.dto import CollectRequest, Payment
    from app.core.ids import new_uuid

    screen = open_counter
    name, _uuid = _owner_with_dues(services)
    hits = services.search.search(name)
    other_clerk = services.users.actor_for("clerk2", services.device.device_no)
    services.collections.open_session(other_clerk, 0)
    receipt = services.collections.collect(
        other_clerk, CollectRequest(hits[0].uuid, 10000, Payment(Mode.CASH), new_uuid())
    )
    _search_and_select(qtbot, screen, name, down=0)
    header = screen.property_header.text()
    assert receipt.receipt_no in header
    assert "₹100.00" in header
