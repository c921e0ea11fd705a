"""The receipts screen: reprint (DUPLICATE, no number spent), cancel with a supervisor's login typed on the
same screen, cheque dishonour. Real services on a real SQLite file; receipts made through the service."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.collections.dto import CollectRequest, Mode, Payment, ReceiptView
from app.core.ids import new_uuid
from tests.ui.helpers import WAIT_MS, show_screen
from ui.receipts.screen import ReceiptsScreen

TODAY = date(2026, 6, 15)


def _properties_with_dues(services: Any, count: int) -> list[str]:
    from sqlalchemy import text

    with services.db.read() as session:
        uuids = [row[0] for row in session.execute(text("SELECT uuid FROM property ORDER BY uuid")).all()]
    found = [u for u in uuids if services.dues.dues(u, TODAY).payable_paise > 0]
    if len(found) < count:
        pytest.skip("not enough properties with dues")
    return found[:count]


def _collect(services: Any, actor: Any, property_uuid: str, amount: int, mode: Mode = Mode.CASH) -> ReceiptView:
    if mode == Mode.CASH:
        payment = Payment(Mode.CASH, tendered_paise=amount)
    else:
        payment = Payment(
            mode, instrument_no="123456", instrument_date=TODAY, bank="State Bank of India", branch="Civil Lines"
        )
    return services.collections.collect(actor, CollectRequest(property_uuid, amount, payment, new_uuid()))


@pytest.fixture
def receipts(services: Any, clerk: Any) -> list[ReceiptView]:
    services.collections.open_session(clerk, 0)
    first, second = _properties_with_dues(services, 2)
    return [
        _collect(services, clerk, first, 50000),
        _collect(services, clerk, second, 30000, Mode.CHEQUE),
    ]


def _screen(qtbot: Any, ctx: Any) -> ReceiptsScreen:
    return show_screen(qtbot, ReceiptsScreen(ctx), ctx)


def _select(qtbot: Any, screen: ReceiptsScreen, receipt_no: str) -> None:
    for row in range(screen.model.rowCount()):
        summary = screen.model.receipt(row)
        if summary is not None and summary.receipt_no == receipt_no:
            screen.table.setFocus()
            screen.table.selectRow(row)
            assert screen.ctx.ops.wait_idle(WAIT_MS)
            return
    raise AssertionError(f"{receipt_no} not listed")


def test_lists_todays_receipts(qtbot: Any, ui_context: Any, receipts: list[ReceiptView]) -> None:
    screen = _screen(qtbot, ui_context)
    assert screen.model.rowCount() == 2
    assert screen.date_edit.date().toString("dd-MM-yyyy") == "15-06-2026"
    assert "2 receipts" in screen.count_label.text()


def test_reprint_says_duplicate_and_spends_no_number(
    qtbot: Any, ui_context: Any, services: Any, clerk: Any, receipts: list[ReceiptView]
) -> None:
    screen = _screen(qtbot, ui_context)
    _select(qtbot, screen, receipts[0].receipt_no)
    qtbot.keyClick(screen.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert screen.preview.receipt is not None and screen.preview.receipt.duplicate
    assert "DUPLICATE" in screen.preview.plain_text()
    assert receipts[0].receipt_no in screen.preview.plain_text()
    # No number was spent: the next receipt follows the last one directly.
    (third,) = _properties_with_dues(services, 3)[2:]
    after = _collect(services, clerk, third, 10000)
    last_seq = int(receipts[-1].receipt_no.rsplit("/", 1)[1])
    assert int(after.receipt_no.rsplit("/", 1)[1]) == last_seq + 1
    assert len(services.collections.list_receipts(TODAY)) == 3


def test_cancel_needs_a_supervisor_and_a_reason(
    qtbot: Any, ui_context: Any, services: Any, receipts: list[ReceiptView]
) -> None:
    screen = _screen(qtbot, ui_context)
    target = receipts[0]
    _select(qtbot, screen, target.receipt_no)
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert screen.forms.currentIndex() == screen.FORM_CANCEL
    assert screen.supervisor_user.hasFocus()

    # A clerk's own credentials are refused.
    qtbot.keyClicks(screen.supervisor_user, "clerk1")
    qtbot.keyClick(screen.supervisor_user, Qt.Key.Key_Return)
    qtbot.keyClicks(screen.supervisor_password, "Clerk@123")
    qtbot.keyClick(screen.supervisor_password, Qt.Key.Key_Return)
    qtbot.keyClicks(screen.cancel_reason, "Wrong property selected")
    qtbot.keyClick(screen.cancel_reason, Qt.Key.Key_Return)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert screen.banner.isVisible() and screen.banner.text()
    assert screen.supervisor_password.text() == ""  # never kept
    assert services.collections.get_receipt(target.uuid).cancelled is None

    # The supervisor types their own login on the same screen.
    screen.supervisor_user.clear()
    screen.supervisor_user.setFocus()
    qtbot.keyClicks(screen.supervisor_user, "supervisor1")
    screen.supervisor_password.setFocus()
    qtbot.keyClicks(screen.supervisor_password, "Super@123")
    screen.cancel_reason.setFocus()
    qtbot.keyClick(screen.cancel_reason, Qt.Key.Key_Return)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert services.collections.get_receipt(target.uuid).cancelled == "CANCELLED"
    row = next(r for r in range(screen.model.rowCount()) if screen.model.receipt(r).uuid == target.uuid)  # type: ignore[union-attr]
    assert screen.model.index(row, 6).data() == "CANCELLED"
    assert screen.model.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert "CANCELLED" in screen.preview.plain_text()
    assert not screen.cancel_button.isEnabled()  # a cancelled receipt cannot be cancelled again


def test_cancel_without_reason_is_refused_before_asking_the_service(
    qtbot: Any, ui_context: Any, services: Any, receipts: list[ReceiptView]
) -> None:
    screen = _screen(qtbot, ui_context)
    _select(qtbot, screen, receipts[0].receipt_no)
    screen.show_cancel_form()
    qtbot.keyClicks(screen.supervisor_user, "supervisor1")
    screen.supervisor_password.setFocus()
    qtbot.keyClicks(screen.supervisor_password, "Super@123")
    screen.cancel_reason.setFocus()
    qtbot.keyClick(screen.cancel_reason, Qt.Key.Key_Return)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert "reason" in screen.banner.text()
    assert services.collections.get_receipt(receipts[0].uuid).cancelled is None
    qtbot.keyClick(screen.cancel_reason, Qt.Key.Key_Escape)
    assert screen.forms.currentIndex() == screen.FORM_NONE


def test_cheque_dishonour(qtbot: Any, services: Any, ops: Any, receipts: list[ReceiptView]) -> None:
    from ui.context import UiContext

    supervisor = services.users.authenticate("supervisor1", "Super@123", services.device.device_no).actor
    ctx = UiContext(services=services, actor=supervisor, ops=ops, language="en")
    screen = _screen(qtbot, ctx)
    cash, cheque = receipts
    _select(qtbot, screen, cash.receipt_no)
    assert not screen.dishonour_button.isEnabled()  # only cheque/DD receipts
    _select(qtbot, screen, cheque.receipt_no)
    assert screen.dishonour_button.isEnabled()
    qtbot.keyClick(screen.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert screen.dishonour_reason.hasFocus()
    qtbot.keyClicks(screen.dishonour_reason, "Insufficient funds")
    qtbot.keyClick(screen.dishonour_reason, Qt.Key.Key_Return)
    assert ops.wait_idle(WAIT_MS)
    assert services.collections.get_receipt(cheque.uuid).cancelled == "DISHONOURED"
    assert "DISHONOURED" in screen.preview.plain_text()


def test_a_clerk_does_not_get_the_dishonour_form(qtbot: Any, ui_context: Any, receipts: list[ReceiptView]) -> None:
    screen = _screen(qtbot, ui_context)
    _select(qtbot, screen, receipts[1].receipt_no)  # the cheque
    assert not screen.dishonour_button.isVisible()
    qtbot.keyClick(screen.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert screen.forms.currentIndex() == screen.FORM_NONE
    assert "supervisor" in screen.banner.text()
