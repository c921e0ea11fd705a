"""The printer settings dialog: saves and reloads a network printer, Test Print reaches the printer,
both languages fit (grabbed into /tmp/nikay-print/ to be looked at)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.printing.config import PrinterConfig, PrinterKind, PrinterSettings
from app.printing.raster_decode import decode
from ui.printing.settings import PrinterSettingsDialog, sample_page_raster

SHOTS = Path("/tmp/nikay-print")
WAIT_MS = 15_000


def _open(qtbot: Any, ctx: Any) -> PrinterSettingsDialog:
    dialog = PrinterSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert ctx.ops.wait_idle(WAIT_MS)
    return dialog


def _fill_network(qtbot: Any, dialog: PrinterSettingsDialog, port: int) -> None:
    dialog.name_combo.setEditText("")
    qtbot.keyClicks(dialog.name_combo.lineEdit(), "Front desk TM")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(PrinterKind.NETWORK.value))
    dialog.address_edit.clear()
    qtbot.keyClicks(dialog.address_edit, f"127.0.0.1:{port}")
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData(80))
    assert dialog.profile_combo.currentText() == "TM-T20II"  # follows the paper width
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("graphics"))
    dialog.fragment_spin.setValue(480)
    dialog.copies_spin.setValue(2)
    dialog.cut_check.setChecked(False)
    dialog.default_check.setChecked(True)


@pytest.fixture
def supervisor_context(services: Any, ops: Any) -> Any:
    """Printers are set up by a supervisor (or an admin), not by a clerk."""
    from ui.context import UiContext

    supervisor = services.users.actor_for("supervisor1", services.device.device_no)
    return UiContext(services=services, actor=supervisor, ops=ops, language="en")


def test_settings_dialog_saves_and_reloads_a_network_printer(
    qtbot: Any, supervisor_context: Any, services: Any
) -> None:
    ui_context = supervisor_context
    dialog = _open(qtbot, ui_context)
    assert dialog.name_combo.count() == 0  # nothing set up yet: a blank USB printer is offered
    _fill_network(qtbot, dialog, 9100)
    saved: list[PrinterConfig] = []
    dialog.on_saved = saved.append
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert len(saved) == 1 and "Front desk TM" in dialog.message.text(), dialog.message.text()
    dialog.close()

    expected = PrinterConfig(
        name="Front desk TM",
        kind=PrinterKind.NETWORK,
        address="127.0.0.1:9100",
        profile="TM-T20II",
        paper_mm=80,
        image_method="graphics",
        fragment_height=480,
        copies=2,
        cut=False,
    )
    store = PrinterSettings(services.db, services.clock)
    assert store.get("Front desk TM") == expected
    assert store.default_for(services.device.counter_code) == expected

    again = _open(qtbot, ui_context)  # reopened: the saved printer is shown as it was saved
    assert again.config() == expected
    assert again.default_check.isChecked()
    assert again.address_edit.text() == "127.0.0.1:9100"

    from sqlalchemy import select

    from app.audit.models import AuditEntry

    with services.db.read() as session:
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.username).where(AuditEntry.entity == "printer")
        ).all()
    assert entries == [("printer.save", "Front desk TM", "supervisor1")]  # who changed the printer, and when


def test_a_clerk_may_not_change_the_printers(qtbot: Any, ui_context: Any, services: Any) -> None:
    dialog = _open(qtbot, ui_context)
    _fill_network(qtbot, dialog, 9100)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert "may not configure printers" in dialog.message.text()
    assert PrinterSettings(services.db, services.clock).list_printers() == []


def test_bad_address_is_refused_in_place(qtbot: Any, supervisor_context: Any, services: Any) -> None:
    ui_context = supervisor_context
    dialog = _open(qtbot, ui_context)
    _fill_network(qtbot, dialog, 9100)
    dialog.address_edit.setText("printer.local:abc")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ui_context.ops.wait_idle(WAIT_MS)
    assert "not a number" in dialog.message.text()
    assert PrinterSettings(services.db, services.clock).list_printers() == []


def test_test_print_reaches_a_loopback_printer(qtbot: Any, ui_context: Any) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received: list[bytes] = []

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
            received.append(b"".join(chunks))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        dialog = _open(qtbot, ui_context)
        _fill_network(qtbot, dialog, port)
        dialog.copies_spin.setValue(1)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert ui_context.ops.wait_idle(WAIT_MS)
        thread.join(5)
    finally:
        server.close()
    assert "Test page sent" in dialog.message.text()
    [page] = decode(received[0]).pages()
    expected = sample_page_raster(dialog.config(), ui_context.services.clock.now_utc())
    assert (page.width, page.data[: len(expected.data)]) == (576, expected.data)


@pytest.mark.parametrize("language", ["en", "hi"])
def test_settings_dialog_screenshots(qtbot: Any, ui_context: Any, runtime: Any, language: str) -> None:
    runtime.translations.set_language(language)
    dialog = _open(qtbot, ui_context)
    _fill_network(qtbot, dialog, 9100)
    dialog.resize(dialog.sizeHint())
    qtbot.wait(50)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / f"printer-settings-{language}.png"))
    if language == "hi":
        assert dialog.windowTitle() == "प्रिंटर सेटिंग"
        assert dialog.test_button.text() == "परीक्षण प्रिंट (&T)"
