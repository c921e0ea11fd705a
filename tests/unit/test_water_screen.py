"""The Water screen (pytest-qt, offscreen): a supervisor creates connections, records a meter reading (a
lower one is held back until a reason is chosen), sees the service's refusals in the dialog, generates a
month's demand and sees the charges; a clerk cannot change anything; Hindi retranslates. Real services on a
real SQLite file; screenshots grabbed to NIKAY_WATER_SHOTS (docs/screenshots) or the test's folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # tests/unit has no Qt conftest

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.property.demo import generate_demo
from tests.factories import set_up_device

TODAY = date(2026, 12, 5)
WAIT_MS = 15_000


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    clock = FixedClock.on_ist_date(TODAY)
    db = set_up_device(data_dir, clock)
    generate_demo(db, 30, seed=2)
    db.dispose()
    built = build_services(data_dir, clock=clock)
    yield built
    built.close()


@pytest.fixture
def ops(qapp: Any) -> Iterator[Any]:
    from ui.workers import Operations

    operations = Operations()
    yield operations
    operations.wait_idle(WAIT_MS)
    operations.shutdown()


def _context(services: Services, ops: Any, username: str) -> Any:
    from ui.context import UiContext

    actor = services.users.actor_for(username, services.device.device_no)
    return UiContext(services=services, actor=actor, ops=ops, language="en")


def _screen(qtbot: Any, ctx: Any) -> Any:
    from ui.fonts import DEFAULT_POINT_SIZE, apply_application_font
    from ui.water.screen import WaterScreen

    apply_application_font(DEFAULT_POINT_SIZE)
    screen = WaterScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    assert ctx.ops.wait_idle(WAIT_MS)
    return screen


def _ok(qtbot: Any, screen: Any, dialog: Any) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert screen.ctx.ops.wait_idle(WAIT_MS)
    qtbot.wait(10)  # let the done callbacks run
    assert screen.ctx.ops.wait_idle(WAIT_MS)


def _column(model: Any, column: int) -> list[str]:
    return [model.text(row, column) for row in range(model.rowCount())]


def _shots_dir(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NIKAY_WATER_SHOTS", str(tmp_path / "shots")))
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_supervisor_creates_reads_and_generates(qtbot: Any, services: Services, ops: Any, tmp_path: Path) -> None:
    screen = _screen(qtbot, _context(services, ops, "supervisor1"))
    assert screen.list_model.rowCount() == 0 and screen.new_button.isVisible()

    # A new domestic connection, connected in April.
    screen.new_connection()
    dialog = screen.dialog
    dialog.name_en.setText("Sunita Verma")
    dialog.name_hi.setText("सुनीता वर्मा")
    dialog.ward.setValue(3)
    dialog.connected_on.setDate(QDate(2026, 4, 1))
    _ok(qtbot, screen, dialog)
    assert not dialog.isVisible()
    assert _column(screen.list_model, 0) == ["W-03-C01-00001"]
    assert "Saved: connection W-03-C01-00001" in screen.banner.text()
    assert _column(screen.charges_model, 1) == ["Connection fee"]
    assert _column(screen.charges_model, 2) == ["₹1,000.00"]

    # A bulk metered one: a meter number is required; the service's message shows in the dialog.
    screen.new_connection()
    dialog = screen.dialog
    dialog.name_en.setText("Steel Colony")
    dialog.ward.setValue(3)
    dialog.category.setCurrentIndex(dialog.category.findData("BULK"))
    dialog.metered.setChecked(True)
    dialog.connected_on.setDate(QDate(2026, 4, 1))
    _ok(qtbot, screen, dialog)
    assert dialog.isVisible()
    assert "a metered connection needs its meter number" in dialog.banner.text()
    dialog.meter_no.setText("m-77")
    dialog.initial.setValue(1_000)
    _ok(qtbot, screen, dialog)
    assert not dialog.isVisible()
    assert screen.current.consumer_no == "W-03-C01-00002" and screen.current.meter_no == "M-77"
    assert "last 1,000 L on 01-04-2026" in screen.fact_values[7].text()

    # A meter reading below the last one is held back until a reason is chosen.
    screen.record_reading()
    dialog = screen.dialog
    assert "1,000 L" in dialog.last_label.text()
    dialog.reading_date.setDate(QDate(2026, 11, 30))
    dialog.reading.setValue(400)
    ok_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok_button.isEnabled()
    assert "Lower than the last reading" in dialog.hint.text()
    dialog.reason.setCurrentIndex(dialog.reason.findData("METER_REPLACED"))
    assert ok_button.isEnabled() and "400 L" in dialog.hint.text()
    dialog.reason.setCurrentIndex(dialog.reason.findData(""))
    dialog.reading.setValue(41_000)
    assert "Consumption since the last reading: 40,000 L" in dialog.hint.text()
    _ok(qtbot, screen, dialog)
    assert "consumption 40,000 L" in screen.banner.text()
    assert _column(screen.readings_model, 1) == ["41,000 L", "1,000 L"]

    # November's demand: ₹200 flat, and 40 kL at ₹15 = ₹600 for the bulk meter.
    screen.generate_demand()
    dialog = screen.dialog
    dialog.period.setEditText("2026-11")
    _ok(qtbot, screen, dialog)
    assert screen.last_generation.raised == 2 and screen.last_generation.total_paise == 80_000
    assert "2026-11: 2 charges raised, total ₹800.00" in screen.banner.text()
    assert _column(screen.charges_model, 0)[0] == "2026-11"
    assert _column(screen.charges_model, 6)[0] == "40,000 L @ ₹15/kL = ₹600"
    assert _column(screen.charges_model, 4)[0] == "₹600.00"  # nothing paid yet
    assert _column(screen.charges_model, 5)[0] == "15-12-2026"

    shots = _shots_dir(tmp_path)
    assert screen.grab().save(str(shots / "water-en.png"))
    screen.new_connection()
    dialog = screen.dialog
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(shots / "water-connection-en.png"))
    dialog.reject()
    _hindi(qtbot, screen, tmp_path, shots)


def _hindi(qtbot: Any, screen: Any, tmp_path: Path, shots: Path) -> None:
    from ui.i18n import Translations
    from ui.i18n.build import build
    from ui.paths import translations_dir

    qm = tmp_path / "qm"
    qm.mkdir()
    for ts in translations_dir().glob("*.ts"):
        shutil.copy(ts, qm / ts.name)
    build(qm)
    translations = Translations(qm)
    translations.set_language("hi")
    screen.ctx.language = "hi"
    try:
        QApplication.processEvents()
        qtbot.waitUntil(lambda: screen.title.text() == "जल कनेक्शन", timeout=WAIT_MS)
        assert screen.list_model.headerData(0, screen.list_table.horizontalHeader().orientation()) == "उपभोक्ता क्रमांक"
        assert _column(screen.charges_model, 1)[0] == "जल शुल्क"
        assert "जल मांग 2026-11: 2 शुल्क लगाए गए" in screen.banner.text()
        qtbot.wait(50)  # let the layouts take the longer Hindi texts before the grab
        for button in (screen.edit_button, screen.reading_button, screen.disconnect_button):
            assert button.width() >= button.sizeHint().width(), button.text()
        assert screen.grab().save(str(shots / "water-hi.png"))
        screen.record_reading()
        dialog = screen.dialog
        dialog.reading.setValue(100)
        dialog.resize(640, dialog.sizeHint().height())
        assert dialog.grab().save(str(shots / "water-reading-hi.png"))
        dialog.reject()
        screen.new_connection()
        dialog = screen.dialog
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.windowTitle() == "नया जल कनेक्शन"
        assert dialog.grab().save(str(shots / "water-connection-hi.png"))
        dialog.reject()
    finally:
        translations.set_language("en")
        screen.ctx.language = "en"


def test_clerk_sees_but_cannot_change(qtbot: Any, services: Services, ops: Any) -> None:
    from app.water.dto import ConnectionInput

    supervisor = services.users.actor_for("supervisor1", services.device.device_no)
    services.water.create(
        supervisor, ConnectionInput("Ramesh Sahu", ward_no=1, category="DOMESTIC", connected_on=date(2026, 4, 1))
    )
    screen = _screen(qtbot, _context(services, ops, "clerk1"))
    assert _column(screen.list_model, 0) == ["W-01-C01-00001"]
    for button in (screen.new_button, screen.generate_button, screen.edit_button, screen.reading_button):
        assert not button.isVisible()
    screen.new_connection()
    assert screen.dialog is None


def test_commissioner_may_generate_but_not_edit(qtbot: Any, services: Services, ops: Any) -> None:
    screen = _screen(qtbot, _context(services, ops, "commissioner1"))
    assert screen.generate_button.isVisible() and not screen.new_button.isVisible()


def test_edit_and_disconnect_through_the_dialogs(qtbot: Any, services: Services, ops: Any) -> None:
    from app.water.dto import ConnectionInput

    supervisor = services.users.actor_for("supervisor1", services.device.device_no)
    services.water.create(
        supervisor, ConnectionInput("Ramesh Sahu", ward_no=1, category="DOMESTIC", connected_on=date(2026, 4, 1))
    )
    screen = _screen(qtbot, _context(services, ops, "supervisor1"))
    assert screen.current is not None and not screen.reading_button.isEnabled()  # flat: no readings

    screen.edit_connection()
    dialog = screen.dialog
    assert dialog.name_en.text() == "Ramesh Sahu" and not dialog.regularise.isVisible()
    dialog.category.setCurrentIndex(dialog.category.findData("COMMERCIAL"))
    _ok(qtbot, screen, dialog)
    assert screen.current.category == "COMMERCIAL" and screen.current.version == 2
    assert _column(screen.list_model, 4) == ["Commercial"]

    screen.change_status(reconnect=False)
    dialog = screen.dialog
    dialog.on.setDate(QDate(2026, 12, 1))
    _ok(qtbot, screen, dialog)
    assert "say why" in dialog.banner.text()  # the service's message; nothing saved
    dialog.reason.setText("Arrears unpaid")
    _ok(qtbot, screen, dialog)
    assert screen.current.status == "DISCONNECTED"
    assert "Disconnected since 01-12-2026" in screen.fact_values[1].text()
    assert screen.reconnect_button.isEnabled() and not screen.disconnect_button.isEnabled()
