"""The registers screen: the day's summary, collection register and cancelled register on screen, with
totals that match the receipts; Save PDF writes the same registers; Hindi retranslates. Real services on a
real SQLite file; receipts made (and one cancelled by a supervisor) through the service."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.collections.dto import CollectRequest, Mode, Payment, ReceiptView
from app.core.ids import new_uuid
from app.core.money import format_inr
from tests.ui.helpers import WAIT_MS, show_screen
from ui.registers.screen import RegistersScreen

TODAY = date(2026, 6, 15)
SHOTS = Path("/tmp/nikay-registers")
REASON = "Wrong property selected"


def _properties_with_dues(services: Any, count: int) -> list[str]:
    from sqlalchemy import text

    with services.db.read() as session:
        uuids = [row[0] for row in session.execute(text("SELECT uuid FROM property ORDER BY uuid")).all()]
    found = [u for u in uuids if services.dues.dues(u, TODAY).payable_paise > 0]
    if len(found) < count:
        pytest.skip("not enough properties with dues")
    return found[:count]


def _collect(services: Any, actor: Any, property_uuid: str, amount: int, mode: Mode) -> ReceiptView:
    payment = (
        Payment(Mode.CASH, tendered_paise=amount)
        if mode == Mode.CASH
        else Payment(mode, instrument_no="UTR123456", instrument_date=TODAY)
    )
    return services.collections.collect(actor, CollectRequest(property_uuid, amount, payment, new_uuid()))


@pytest.fixture
def receipts(services: Any, clerk: Any) -> dict[str, Any]:
    from tests.ui.conftest import DEMO_PASSWORDS

    services.collections.open_session(clerk, 0)
    a, b, c, d = _properties_with_dues(services, 4)
    made = [
        _collect(services, clerk, a, 50000, Mode.CASH),
        _collect(services, clerk, b, 30000, Mode.UPI),
        _collect(services, clerk, c, 12345, Mode.CASH),
        _collect(services, clerk, d, 20000, Mode.UPI),
    ]
    supervisor = services.users.verify_supervisor("supervisor1", DEMO_PASSWORDS["supervisor1"], clerk.device_no)
    cancelled = services.collections.cancel(clerk, supervisor, made[2].uuid, REASON)
    return {"all": made, "cancelled": cancelled}


def _screen(qtbot: Any, ctx: Any) -> RegistersScreen:
    return show_screen(qtbot, RegistersScreen(ctx), ctx)


def _column(model: Any, column: int) -> list[str]:
    return [model.text(row, column) for row in range(model.rowCount())]


def test_totals_match_the_receipts(qtbot: Any, ui_context: Any, receipts: dict[str, Any]) -> None:
    screen = _screen(qtbot, ui_context)
    made: list[ReceiptView] = receipts["all"]
    cancelled: ReceiptView = receipts["cancelled"]
    standing = [r for r in made if r.uuid != cancelled.uuid]
    standing_total = sum(r.amount_paise for r in standing)
    assert screen.date_edit.date().toString("dd-MM-yyyy") == "15-06-2026"
    assert screen.report is not None

    # The receipt-wise register: every receipt listed, the cancelled one marked, total of those that stand.
    assert _column(screen.register_model, 1) == [r.receipt_no for r in made]
    statuses = dict(zip(_column(screen.register_model, 1), _column(screen.register_model, 9), strict=True))
    assert statuses[cancelled.receipt_no] == "Cancelled"
    assert all(statuses[r.receipt_no] == "" for r in standing)
    assert screen.report.register.total_paise == standing_total
    assert screen.register_total.text().endswith(format_inr(standing_total))
    assert "(3)" in screen.register_total.text()
    assert screen.register_cancelled.text().endswith(format_inr(cancelled.amount_paise))
    amounts = _column(screen.register_model, 8)
    assert amounts[0] == format_inr(50000)
    index = screen.register_model.index(0, 8)
    assert index.data(Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)

    # The cancelled register: exactly the cancelled receipt, with its reason and approver.
    assert screen.cancelled_model.rowCount() == 1
    assert screen.cancelled_model.text(0, 1) == cancelled.receipt_no
    assert screen.cancelled_model.text(0, 7) == REASON
    assert screen.cancelled_model.text(0, 6) == "Cancelled"
    assert screen.cancelled_model.text(0, 8)  # approver's name
    assert screen.cancelled_total.text().endswith(format_inr(cancelled.amount_paise))

    # The summary: by mode (cash + UPI, receipts that stand), by head, and the facts.
    by_mode = {row[0]: row for row in (screen.mode_model._rows)}
    cash = sum(r.amount_paise for r in standing if r.uuid in {made[0].uuid})
    upi = sum(r.amount_paise for r in standing if r.uuid in {made[1].uuid, made[3].uuid})
    modes = {m.mode: m for m in screen.report.summary.by_mode}
    assert modes["CASH"].amount_paise == cash and modes["CASH"].receipts == 1
    assert modes["UPI"].amount_paise == upi and modes["UPI"].receipts == 2
    assert by_mode[modes["CASH"].label_en][2] == format_inr(cash)
    assert by_mode[modes["UPI"].label_en][1:] == ("2", format_inr(upi))
    assert by_mode["Total"][1:] == ("3", format_inr(standing_total))
    head_total = screen.head_model._rows[-1]
    assert head_total[0] == "Total" and head_total[3] == format_inr(standing_total)
    # By service: these are property-tax receipts only; the amounts add up to the day's total.
    service_total = screen.service_model._rows[-1]
    assert service_total[0] == "Total" and service_total[2] == format_inr(standing_total)
    assert [row[0] for row in screen.service_model._rows[:-1]] == [
        t.label_en for t in screen.report.summary.by_service
    ] and screen.report.summary.by_service[0].service == "PROPERTY"
    assert screen.receipts_value.text() == "4"
    assert screen.cancelled_value.text() == "1"
    assert screen.first_value.text() == made[0].receipt_no
    assert screen.last_value.text() == made[-1].receipt_no
    assert screen.total_value.text() == format_inr(standing_total)

    # Keyboard: Alt+2 / Alt+3 open the registers.
    qtbot.keyClick(screen, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert screen.tabs.currentIndex() == screen.TAB_REGISTER
    qtbot.keyClick(screen.register_table, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert screen.tabs.currentIndex() == screen.TAB_CANCELLED
    assert screen.help_shortcuts()


def test_another_day_is_empty(qtbot: Any, ui_context: Any, receipts: dict[str, Any]) -> None:
    screen = _screen(qtbot, ui_context)
    screen.date_edit.setDate(screen.date_edit.date().addDays(-1))
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert screen.register_model.rowCount() == 0
    assert screen.cancelled_model.rowCount() == 0
    assert screen.total_value.text() == format_inr(0)


def test_save_pdf(qtbot: Any, ui_context: Any, receipts: dict[str, Any], tmp_path: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    screen = _screen(qtbot, ui_context)
    target = tmp_path / "out" / "registers"
    screen.save_pdf(target)
    assert ui_context.ops.wait_idle(WAIT_MS)
    written = target.with_name("registers.pdf")
    assert screen.last_saved == written
    data = written.read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)
    assert receipts["all"][0].receipt_no in text
    assert REASON in text
    assert str(written) in screen.banner.text()
    # The default folder for the dialog is data_dir/reports.
    assert screen.default_pdf_path().parent == ui_context.services.data_dir / "reports"


def test_ctrl_s_opens_the_dialog_in_the_reports_folder(
    qtbot: Any, ui_context: Any, receipts: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []
    chosen = tmp_path / "chosen.pdf"

    def fake_dialog(_parent: Any, _title: str, directory: str, _filter: str) -> tuple[str, str]:
        asked.append(directory)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    screen = _screen(qtbot, ui_context)
    screen.register_table.setFocus()
    qtbot.keyClick(screen.register_table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert asked and Path(asked[0]).parent == ui_context.services.data_dir / "reports"
    assert chosen.read_bytes().startswith(b"%PDF")


def _grab(screen: RegistersScreen, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for index, tab in (
        (screen.TAB_SUMMARY, "summary"),
        (screen.TAB_REGISTER, "register"),
        (screen.TAB_CANCELLED, "cancelled"),
    ):
        screen.tabs.setCurrentIndex(index)
        assert screen.grab().save(str(SHOTS / f"{name}-{tab}.png"))


def test_hindi_retranslates(qtbot: Any, ui_context: Any, runtime: Any, receipts: dict[str, Any]) -> None:
    screen = _screen(qtbot, ui_context)
    screen.resize(1366, 768)
    qtbot.wait(50)
    _grab(screen, "en")
    english_tab = screen.tabs.tabText(screen.TAB_REGISTER)
    runtime.translations.set_language("hi")
    ui_context.language = "hi"
    qtbot.wait(50)
    try:
        assert screen.tabs.tabText(screen.TAB_REGISTER) != english_tab
        assert screen.tabs.tabText(screen.TAB_SUMMARY) == "दैनिक संग्रह सारांश"
        assert screen.register_model.headerData(1, Qt.Orientation.Horizontal) == "रसीद क्र."
        assert screen.cancelled_model.text(0, 6) == "निरस्त"
        assert screen.save_button.text().startswith("PDF")
        assert any("\u0900" <= ch <= "\u097f" for ch in screen.mode_model.text(0, 0))  # mode name in Hindi
        assert "रसीद" in screen.register_total.text()
        _grab(screen, "hi")
    finally:
        runtime.translations.set_language("en")
        ui_context.language = "en"
    qtbot.wait(50)
    assert screen.tabs.tabText(screen.TAB_REGISTER) == english_tab


def test_register_shows_mode_names_and_a_failed_save_is_reported(
    qtbot: Any, ui_context: Any, receipts: dict[str, Any], tmp_path: Path
) -> None:
    screen = _screen(qtbot, ui_context)
    assert _column(screen.register_model, 5) == ["Cash", "UPI", "Cash", "UPI"]
    assert _column(screen.register_model, 6)[1] == "UTR123456"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    screen.save_pdf(blocker / "registers.pdf")  # its folder is a file: the write fails off the GUI thread
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert screen.last_saved is None
    assert "could not be saved" in screen.banner.text()
    assert screen.save_button.isEnabled()  # the clerk may try again
