"""The Trade licences screen (pytest-qt, offscreen, real services on a real SQLite file): a supervisor
takes a new application through the form and forwards it; the commissioner approves, is stopped
from issuing until the counter has collected the fee, issues, and prints the certificate; buttons
follow the role. Screenshots in English and Hindi (docs/screenshots/trade-*.png with NIKAY_DOCS_SHOTS=1).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.billing.dto import BillChoice, BillCollectRequest
from app.collections.dto import Mode, Payment
from app.composition import Services
from app.core.clock import FixedClock
from app.core.ids import new_uuid
from app.demand.dto import Service
from app.security.roles import Actor
from app.trade.demo import seed_demo_licences
from tests.ui.conftest import (  # noqa: F401  (pytest fixtures)
    _no_dangling_threads,
    ops,
    runtime,
    seeded_template,
    services,
    translations_dir,
    ui_data_dir,
)
from tests.ui.helpers import WAIT_MS, show_screen
from ui.context import UiContext
from ui.trade.screen import TradeScreen


def login_actor(services: Services, username: str) -> Actor:  # noqa: F811
    return services.users.actor_for(username, services.device.device_no)


DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shot(tmp_path: Path, name: str) -> Path:
    """docs/screenshots/<name> when NIKAY_DOCS_SHOTS=1 (to refresh the committed pictures), else tmp."""
    return (DOCS if os.environ.get("NIKAY_DOCS_SHOTS") == "1" else tmp_path) / name


def _screen(qtbot: Any, services: Services, ops: Any, username: str) -> TradeScreen:  # noqa: F811
    ctx = UiContext(services=services, actor=login_actor(services, username), ops=ops, language="en")
    screen = TradeScreen(ctx)
    screen.open_certificates = False
    return show_screen(qtbot, screen, ctx)


def _idle(screen: TradeScreen) -> None:
    assert screen.ctx.ops.wait_idle(WAIT_MS)
    QApplication.processEvents()
    assert screen.ctx.ops.wait_idle(WAIT_MS)


def _pay_at_counter(services: Services, licence_uuid: str) -> None:  # noqa: F811
    clerk = login_actor(services, "clerk1")
    if services.collections.current_session(clerk) is None:
        services.collections.open_session(clerk, 0)
    account = services.billing.account_ref(Service.TRADE, licence_uuid)
    bill = services.billing.bill_for(account)
    lines = [line for section in bill.sections for line in section.lines]
    services.collections.collect_bill(
        clerk,
        BillCollectRequest(
            request_uuid=new_uuid(),
            primary=account,
            choice=BillChoice(keys=frozenset(line.key for line in lines), property_included=False),
            amount_paise=sum(line.due_paise for line in lines),
            payment=Payment(mode=Mode.CASH),
        ),
    )


def test_application_to_certificate_through_the_screen(
    qtbot: Any,
    services: Services,  # noqa: F811
    ops: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    supervisor_screen = _screen(qtbot, services, ops, "supervisor1")
    # A supervisor processes but may not approve or issue: those buttons are not there at all.
    assert not supervisor_screen.buttons["approve"].isVisible()
    assert not supervisor_screen.buttons["issue"].isVisible()
    assert supervisor_screen.new_button.isVisible()

    dialog = supervisor_screen.open_application()
    assert dialog is not None
    dialog.trade_name.setText("Sahu General Store")
    dialog.trade_name_hi.setText("साहू जनरल स्टोर")
    dialog.owner_en.setText("Ramesh Sahu")
    dialog.owner_hi.setText("रमेश साहू")
    dialog.mobile.setText("9876543210")
    dialog.ward.setValue(3)
    dialog.area.setText("200")
    dialog.road.setText("10")
    assert dialog.fee.text() == "₹1,000.00"  # 200 sq ft × ₹5 (NN, road 7.5–15 m)
    dialog.road.setText("15.01")
    assert dialog.fee.text() == "₹1,200.00"  # over 15 m: ₹6
    dialog.road.setText("abc")
    dialog.submit()
    assert "not a number" in dialog.banner.text()
    dialog.road.setText("10")
    dialog.mobile.setText("12345")
    dialog.submit()
    _idle(supervisor_screen)
    assert "mobile: '12345' is not a 10-digit mobile number" in dialog.banner.text()  # the service's message
    assert dialog.isVisible()
    dialog.mobile.setText("9876543210")
    dialog.submit()
    _idle(supervisor_screen)
    assert not dialog.isVisible()
    assert [v.application_no for v in supervisor_screen.views] == ["TLA/2026-27/C01-00001"]
    qtbot.waitUntil(lambda: supervisor_screen.detail is not None, timeout=WAIT_MS)
    assert supervisor_screen.list.item(0, 4).text() == "Applied"
    assert "Sahu General Store" in supervisor_screen.detail_label.text()

    assert supervisor_screen.buttons["document_check"].isEnabled()
    assert not supervisor_screen.buttons["inspection"].isEnabled()
    supervisor_screen.buttons["document_check"].click()
    _idle(supervisor_screen)
    qtbot.waitUntil(supervisor_screen.buttons["inspection"].isEnabled, timeout=WAIT_MS)
    supervisor_screen.buttons["inspection"].click()
    _idle(supervisor_screen)
    qtbot.waitUntil(lambda: supervisor_screen.list.item(0, 4).text() == "Inspection", timeout=WAIT_MS)

    commissioner_screen = _screen(qtbot, services, ops, "commissioner1")
    assert not commissioner_screen.new_button.isVisible()
    assert not commissioner_screen.buttons["document_check"].isVisible()
    qtbot.waitUntil(commissioner_screen.buttons["approve"].isEnabled, timeout=WAIT_MS)
    commissioner_screen.buttons["approve"].click()
    _idle(commissioner_screen)
    qtbot.waitUntil(lambda: commissioner_screen.list.item(0, 4).text() == "Approved — fee due", timeout=WAIT_MS)
    assert commissioner_screen.list.item(0, 5).text() == "Fee due ₹1,000.00"
    assert not commissioner_screen.buttons["issue"].isEnabled()  # the counter collects the fee first
    assert commissioner_screen.buttons["issue"].toolTip() == "The fee is collected at the counter first"

    uuid = commissioner_screen.views[0].uuid
    _pay_at_counter(services, uuid)
    commissioner_screen.reload()
    _idle(commissioner_screen)
    qtbot.waitUntil(commissioner_screen.buttons["issue"].isEnabled, timeout=WAIT_MS)
    commissioner_screen.buttons["issue"].click()
    _idle(commissioner_screen)
    qtbot.waitUntil(lambda: commissioner_screen.list.item(0, 0).text() == "TL/2026-27/C01-00001", timeout=WAIT_MS)
    assert commissioner_screen.list.item(0, 4).text() == "Issued"
    qtbot.waitUntil(commissioner_screen.buttons["certificate"].isEnabled, timeout=WAIT_MS)

    commissioner_screen.print_certificate(tmp_path / "certificate.pdf")
    _idle(commissioner_screen)
    qtbot.waitUntil(lambda: commissioner_screen.last_certificate is not None, timeout=WAIT_MS)
    assert (tmp_path / "certificate.pdf").read_bytes().startswith(b"%PDF")
    assert "Certificate saved" in commissioner_screen.banner.text()
    history = [commissioner_screen.events.item(r, 1).text() for r in range(commissioner_screen.events.rowCount())]
    assert history == [
        "Application received",
        "Sent for document check",
        "Sent for inspection",
        "Approved, fee raised",
        "Licence issued",
    ]


def test_rejection_with_a_reason_from_the_screen(qtbot: Any, services: Services, ops: Any) -> None:  # noqa: F811
    from tests.unit.test_trade_payment import shop

    services.trade.apply(login_actor(services, "supervisor1"), shop())
    screen = _screen(qtbot, services, ops, "commissioner1")
    qtbot.waitUntil(screen.buttons["reject"].isEnabled, timeout=WAIT_MS)
    screen.act("reject", reason="")
    _idle(screen)
    assert "reason: a rejection needs the reason" in screen.banner.text()
    screen.act("reject", reason="Rent deed not attached")
    _idle(screen)
    qtbot.waitUntil(lambda: screen.list.item(0, 4).text() == "Rejected", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Rent deed not attached" in screen.detail_label.text(), timeout=WAIT_MS)
    assert not screen.buttons["approve"].isEnabled()


def _clipped(root: QWidget) -> list[str]:
    from tests.ui.test_counter_screenshots import _clipped_labels

    return _clipped_labels(root)


def test_screenshots_and_flags_in_english_and_hindi(
    qtbot: Any,
    services: Services,  # noqa: F811
    ops: Any,  # noqa: F811
    runtime: Any,  # noqa: F811
    ui_data_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    seed_demo_licences(ui_data_dir, FixedClock.on_ist_date(date(2026, 6, 15)))
    screen = _screen(qtbot, services, ops, "admin1")
    _idle(screen)
    deemed_rows = [r for r in range(screen.list.rowCount()) if screen.list.item(r, 5).text().startswith("Deemed")]
    assert len(deemed_rows) == 1
    assert screen.list.item(deemed_rows[0], 5).text() == "Deemed granted since 11-06-2026"
    assert screen.due, "last year's expired licences are due for renewal"
    screen.list.selectRow(deemed_rows[0])
    _idle(screen)
    qtbot.waitUntil(lambda: screen.detail is not None and screen.detail.deemed_granted, timeout=WAIT_MS)
    assert screen.buttons["approve"].isEnabled()  # a deemed grant can be approved without inspection
    assert not _clipped(screen)
    assert screen.grab().save(str(shot(tmp_path, "trade-en.png")))
    screen.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert screen.grab().save(str(shot(tmp_path, "trade-renewal-due-en.png")))
    # Renew the first licence due: the form comes pre-filled; saving makes a RENEWAL application.
    due = screen.due[0]
    screen.due_list.selectRow(0)
    screen.renew_due_selected()
    _idle(screen)
    qtbot.waitUntil(lambda: screen.dialog is not None and screen.dialog.isVisible(), timeout=WAIT_MS)
    assert screen.dialog is not None
    assert screen.dialog.trade_name.text() == due.trade_name
    assert screen.dialog.windowTitle() == "Renewal application"
    screen.dialog.submit()
    _idle(screen)
    qtbot.waitUntil(lambda: all(v.uuid != due.uuid for v in screen.due), timeout=WAIT_MS)
    renewal = services.trade.licences(text=due.trade_name)[0]
    assert (renewal.application_type, renewal.previous_licence_uuid) == ("RENEWAL", due.uuid)
    screen.tabs.setCurrentIndex(0)
    screen.deemed_only.setChecked(True)
    _idle(screen)
    qtbot.waitUntil(lambda: screen.list.rowCount() == 1, timeout=WAIT_MS)
    screen.deemed_only.setChecked(False)
    _idle(screen)
    deemed_rows = [r for r in range(screen.list.rowCount()) if screen.list.item(r, 5).text().startswith("Deemed")]
    screen.list.selectRow(deemed_rows[0])
    _idle(screen)

    screen.ctx.language = "hi"  # as the main window does before Qt delivers the LanguageChange
    runtime.translations.set_language("hi")
    QApplication.processEvents()
    _idle(screen)
    assert screen.heading.text() == "व्यापार अनुज्ञप्ति"
    assert screen.buttons["approve"].text() == "स्वीकृत करें"
    assert screen.list.item(deemed_rows[0], 5).text() == "11-06-2026 से मान्य स्वीकृत"
    assert "मान्य स्वीकृत" in screen.detail_label.text()
    assert not _clipped(screen)
    assert screen.grab().save(str(shot(tmp_path, "trade-hi.png")))

    dialog = screen.open_application()
    assert dialog is not None
    dialog.trade_name.setText("Jai Maa Sweets")
    dialog.trade_name_hi.setText("जय माँ स्वीट्स")
    dialog.owner_en.setText("Lakshmi Patel")
    dialog.owner_hi.setText("लक्ष्मी पटेल")
    dialog.area.setText("150")
    dialog.road.setText("6")
    QApplication.processEvents()
    assert dialog.fee.text() == "₹600.00"
    assert dialog.windowTitle() == "नया व्यापार अनुज्ञप्ति आवेदन"
    assert not [label.text() for label in dialog.findChildren(QLabel) if label.text() and label.width() < 10]
    assert dialog.grab().save(str(shot(tmp_path, "trade-application-hi.png")))
    dialog.reject()
