"""The conflicts screen: only a supervisor sees it; resolving goes through the real SyncService on the real
device database (the decision lands on the property and is queued for the central)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.composition import Services
from app.outbox.models import OutboxOperation
from app.property.models import Property
from app.security.secrets import MemorySecretStore
from tests.ui.conftest import login_actor
from tests.ui.helpers import WAIT_MS, show_screen


def sync_service(services: Services) -> Any:
    try:
        from sync.composition import build_sync
    except ImportError:  # before sync/composition.py landed: the same service, built by hand
        from sync.service import SyncService

        return SyncService(services.db, services.clock, MemorySecretStore(), services.audit, services.device.ulb_code)
    return build_sync(services, secret_store=MemorySecretStore())


@pytest.fixture
def runner(services: Services, ops: Any) -> Any:
    from ui.sync.runner import SyncRunner

    r = SyncRunner(sync_service(services), ops)
    yield r
    r.stop()


def a_property(services: Services) -> tuple[str, str, str, int]:
    with services.db.read() as session:
        prop = session.scalars(select(Property).order_by(Property.property_id).limit(1)).one()
        return prop.uuid, prop.property_id, prop.address_en, prop.ward_no


def make_conflict(services: Services, property_uuid: str, address: str, ward: int) -> str:
    """A conflict as the pull/push path records it (sync.apply.upsert_conflict)."""
    from sync.apply import upsert_conflict

    fields = {
        "address_en": {"base": address, "mine": address + " (near the water tank)", "theirs": address + ", Lane 2"},
        "ward_no": {"base": ward, "mine": ward + 1, "theirs": ward + 2},
    }
    with services.db.write() as session:
        upsert_conflict(
            session, "0190aaaa-0000-7000-8000-000000000001", "property", property_uuid, fields, datetime.now(UTC)
        )
    return "0190aaaa-0000-7000-8000-000000000001"


@pytest.mark.parametrize(
    ("username", "sees"), [("clerk1", False), ("supervisor1", True), ("engineer1", False), ("admin1", True)]
)
def test_conflicts_screen_only_for_those_who_may_resolve(
    qtbot: Any, services: Services, ops: Any, runtime: Any, runner: Any, username: str, sees: bool
) -> None:
    from ui.context import UiContext
    from ui.main_window import MainWindow

    actor = login_actor(services, username)
    window = MainWindow(UiContext(services, actor, ops, "en", sync=runner), runtime)
    qtbot.addWidget(window)
    assert ("conflicts" in window.visible_screen_ids()) is sees
    assert window.sync_widget.can_resolve is sees
    if not sees:
        with pytest.raises(KeyError):
            window.show_screen("conflicts")
    assert ops.wait_idle(WAIT_MS)
    # Everyone may ask for a sync (Ctrl+Shift+S); this device is not enrolled, and the window says so.
    assert window.sync_action.shortcut().toString() == "Ctrl+Shift+S"
    window.sync_action.trigger()
    assert window.statusBar().currentMessage() == "This PC is not connected to the central."
    assert window.sync_widget.state_label.text() == "Not connected to the central"


def test_supervisor_resolves_field_by_field(
    qtbot: Any, services: Services, ops: Any, runtime: Any, runner: Any
) -> None:
    from ui.context import UiContext
    from ui.sync.conflicts import MINE, THEIRS, ConflictsScreen

    uuid, property_id, address, ward = a_property(services)
    conflict_uuid = make_conflict(services, uuid, address, ward)
    ctx = UiContext(services, login_actor(services, "supervisor1"), ops, "en", sync=runner)
    screen = show_screen(qtbot, ConflictsScreen(ctx), ctx)

    assert screen.list.rowCount() == 1
    assert screen.list.item(0, 0).text() == "Property"
    assert screen.list.item(0, 1).text() == property_id
    assert screen.fields.rowCount() == 2
    by_name = {screen.fields.item(r, 0).text(): r for r in range(2)}
    row = by_name["Address (English)"]
    assert screen.fields.item(row, 1).text() == address
    assert screen.fields.item(row, 2).text() == address + " (near the water tank)"
    assert screen.fields.item(row, 3).text() == address + ", Lane 2"
    assert screen.choice() == {"address_en": THEIRS, "ward_no": THEIRS}  # the central's by default

    screen.set_choice("address_en", MINE)
    qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
    assert ops.wait_idle(WAIT_MS)
    qtbot.waitUntil(lambda: screen.list.rowCount() == 0, timeout=WAIT_MS)
    assert "No conflicts" in screen.banner.text()

    with services.db.read() as session:
        prop = session.get(Property, uuid)
        assert prop is not None
        assert prop.address_en == address + " (near the water tank)"  # this office's, as chosen
        assert prop.ward_no == ward + 2  # the central's
        ops_rows = session.scalars(
            select(OutboxOperation).where(OutboxOperation.kind == "sync_conflict.resolved")
        ).all()
        assert len(ops_rows) == 1
        payload = json.loads(ops_rows[0].payload_json)
        assert payload["conflict_uuid"] == conflict_uuid
        assert payload["choose"] == {"address_en": "mine", "ward_no": "theirs"}


def test_conflicts_screen_in_hindi(qtbot: Any, services: Services, ops: Any, runtime: Any, runner: Any) -> None:
    from ui.context import UiContext
    from ui.sync.conflicts import ConflictsScreen

    uuid, _pid, address, ward = a_property(services)
    make_conflict(services, uuid, address, ward)
    ctx = UiContext(services, login_actor(services, "supervisor1"), ops, "en", sync=runner)
    screen = show_screen(qtbot, ConflictsScreen(ctx), ctx)
    runtime.set_language("hi", remember=False)
    qtbot.waitUntil(lambda: screen.resolve_button.text() == "सुलझाएँ", timeout=2000)
    assert screen.heading.text() == "सिंक टकराव"
    names = {screen.fields.item(r, 0).text() for r in range(screen.fields.rowCount())}
    assert names == {"पता (अंग्रेज़ी)", "वार्ड"}
    combo = screen.choices["ward_no"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["केंद्रीय सर्वर का रखें", "इस कार्यालय का लें"]
