"""Printing off the GUI thread: collect enqueues one job; an offline printer shows the banner with
Retry while the GUI keeps running; Retry prints once the printer (a real loopback listener) is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.printing.config import PrinterConfig, PrinterKind, PrinterSettings
from app.printing.queue import JobStatus, PrintQueue
from app.printing.raster_decode import decode
from tests.factories import cash
from tests.loopback import LoopbackPrinter, free_port
from tests.ui.helpers import WAIT_MS, show_screen
from ui.counter.screen import CounterScreen
from ui.printing.raster import render_thermal_1bit_rows
from ui.printing.worker import PrinterBanner

SHOTS = Path("/tmp/nikay-print")


def _owner_with_dues(services: Any) -> str:
    from sqlalchemy import text

    with services.db.read() as session:
        rows = session.execute(text("SELECT uuid FROM property ORDER BY uuid")).scalars().all()
    for uuid in rows:
        if services.dues.dues(uuid, services.collections.today()).payable_paise > 0:
            return str(uuid)
    pytest.skip("no property with dues in the seeded register")


def _jobs(services: Any) -> list[Any]:
    from sqlalchemy import text

    with services.db.read() as session:
        return list(session.execute(text("SELECT receipt_uuid, duplicate, status FROM print_job")).all())


@pytest.fixture
def counter(qtbot: Any, ui_context: Any) -> Iterator[CounterScreen]:
    screen = show_screen(qtbot, CounterScreen(ui_context), ui_context)
    yield screen
    screen.close()
    assert ui_context.ops.wait_idle(WAIT_MS)


def test_collecting_at_the_counter_enqueues_exactly_one_job(qtbot: Any, counter: CounterScreen, services: Any) -> None:
    qtbot.keyClicks(counter.opening.amount_edit, "1500")
    qtbot.keyClick(counter.opening.amount_edit, Qt.Key.Key_Return)
    assert counter.ctx.ops.wait_idle(WAIT_MS)
    uuid = _owner_with_dues(services)
    name = services.properties.get(uuid).owners[0].name_en
    queued: list[Any] = []
    counter.ctx.events.print_queued.connect(queued.append)
    qtbot.keyClicks(counter.search_edit, name)
    qtbot.waitUntil(lambda: counter.results_model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.keyClick(counter.search_edit, Qt.Key.Key_Return)
    assert counter.ctx.ops.wait_idle(WAIT_MS)
    qtbot.waitUntil(lambda: counter._dues is not None, timeout=WAIT_MS)
    qtbot.keyClick(counter.payment.amount_edit, Qt.Key.Key_F10)
    target = QApplication.focusWidget()
    qtbot.keyClick(target, Qt.Key.Key_Return)
    qtbot.keyClick(target, Qt.Key.Key_Return)  # a double Enter: still one receipt, one job
    assert counter.ctx.ops.wait_idle(WAIT_MS)
    receipts = services.collections.list_receipts(services.collections.today())
    assert len(receipts) == 1
    assert _jobs(services) == [(receipts[0].uuid, 0, "pending")]
    assert len(queued) == 1 and queued[0].receipt_uuid == receipts[0].uuid


def test_offline_printer_shows_banner_retry_prints_when_back(qtbot: Any, make_main_window: Any, services: Any) -> None:
    port = free_port()  # nothing listens: the printer refuses the connection
    settings = PrinterSettings(services.db, services.clock)
    printer = PrinterConfig(
        name="Counter 80", kind=PrinterKind.NETWORK, address=f"127.0.0.1:{port}", profile="TM-T20II", paper_mm=80
    )
    settings.save(printer, default_for=services.device.counter_code)
    window = make_main_window("clerk1")
    ctx, worker = window.ctx, window.printing
    banner: PrinterBanner = window.printer_banner
    assert not banner.isVisible()

    # The printer thread is slowed down (as a printer that takes its time to refuse): the GUI keeps going.
    from app.printing import transports

    gui_thread = threading.current_thread()
    send_threads: list[threading.Thread] = []

    def slow_send(config: Any, data: bytes) -> None:
        send_threads.append(threading.current_thread())
        time.sleep(0.6)
        transports.send(config, data, timeout=2)

    worker.send = slow_send
    clerk = ctx.actor
    services.collections.open_session(clerk, 100000)
    receipt = services.collections.collect(clerk, cash(_owner_with_dues(services), 10000))

    ticks = 0

    def tick() -> None:
        nonlocal ticks
        ticks += 1

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    started = time.monotonic()
    ctx.enqueue_print(receipt.uuid)  # what the counter does after the commit
    qtbot.waitUntil(lambda: worker.busy, timeout=WAIT_MS)
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    timer.stop()
    assert time.monotonic() - started >= 0.6
    assert ticks >= 10, "the GUI thread stopped processing events while the printer was tried"
    assert send_threads and all(t is not gui_thread for t in send_threads)

    # The receipt is saved; the job failed with the printer's own words; the count is visible.
    assert services.collections.get_receipt(receipt.uuid).receipt_no == receipt.receipt_no
    [job] = PrintQueue(services.db, services.clock).jobs_for(receipt.uuid)
    assert job.status == JobStatus.FAILED and "refused the connection" in job.last_error
    assert not job.may_have_printed
    assert "refused the connection" in banner.message.text()
    assert "1" in window.printer_label.text() and "not printed" in window.printer_label.text()
    assert banner.retry_button.isVisible()
    assert receipt.receipt_no in window.printer_label.toolTip()  # the queue of unprinted receipts is visible
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "banner-en.png"))
    window.set_language("hi")
    qtbot.waitUntil(lambda: banner.retry_button.text() == "फिर से छापें", timeout=WAIT_MS)  # LanguageChange
    assert "नहीं छपी" in window.printer_label.text() and "सहेजी गई" in banner.message.text()
    assert window.grab().save(str(SHOTS / "banner-hi.png"))
    window.set_language("en")
    qtbot.waitUntil(lambda: banner.retry_button.text() == "Retry printing", timeout=WAIT_MS)

    # The printer comes back: Retry prints the original, dot for dot what was rendered.
    listener = LoopbackPrinter(port)
    try:
        worker.send = None  # the real transport
        qtbot.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(listener.received) == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    finally:
        listener.close()
    [job] = PrintQueue(services.db, services.clock).jobs_for(receipt.uuid)
    assert job.status == JobStatus.DONE and job.attempts == 2
    document = services.receipts.for_receipt(receipt.uuid)
    assert not document.duplicate
    expected = render_thermal_1bit_rows(document, 576)
    pages = decode(listener.received[0]).pages()
    assert len(pages) == 1
    assert (pages[0].width, pages[0].data[: len(expected.data)]) == (expected.width, expected.data)
    assert "ready" in window.printer_label.text().lower()


def test_queue_left_printing_is_picked_up_at_start(qtbot: Any, make_main_window: Any, services: Any) -> None:
    """A job the app was killed in the middle of sending prints again, as DUPLICATE, when the app starts."""
    port = free_port()
    listener = LoopbackPrinter(port)
    try:
        PrinterSettings(services.db, services.clock).save(
            PrinterConfig(name="P58", kind=PrinterKind.NETWORK, address=f"127.0.0.1:{port}"),
            default_for=services.device.counter_code,
        )
        clerk = services.users.actor_for("clerk1", services.device.device_no)
        services.collections.open_session(clerk, 100000)
        receipt = services.collections.collect(clerk, cash(_owner_with_dues(services), 10000))
        queue = PrintQueue(services.db, services.clock)
        job = queue.enqueue(receipt.uuid)
        queue.claim(job.id)
        queue.mark_sending(job.id)  # ...and the app died here
        window = make_main_window("clerk1")
        qtbot.waitUntil(lambda: len(listener.received) == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: queue.get(job.id).status == JobStatus.DONE, timeout=WAIT_MS)
        assert window.printer_banner.isHidden()
    finally:
        listener.close()
    expected = render_thermal_1bit_rows(services.receipts.for_receipt(receipt.uuid, duplicate=True), 384)
    [page] = decode(listener.received[0]).pages()
    assert page.data[: len(expected.data)] == expected.data  # the DUPLICATE raster


def test_print_receipt_now_with_the_real_renderer_and_transport(qapp: Any, services: Any) -> None:
    """`nikay receipt print`: refused -> failed and queued (still the original); back -> printed dot for dot."""
    from app.printing import thermal_renderer
    from app.printing.service import print_receipt_now

    clerk = services.users.actor_for("clerk1", services.device.device_no)
    services.collections.open_session(clerk, 100000)
    receipt = services.collections.collect(clerk, cash(_owner_with_dues(services), 10000))
    port = free_port()
    PrinterSettings(services.db, services.clock).save(
        PrinterConfig(name="P58", kind=PrinterKind.NETWORK, address=f"127.0.0.1:{port}"),
        default_for=services.device.counter_code,
    )
    refused = print_receipt_now(services, receipt.receipt_no, None)
    assert not refused.ok and "refused the connection" in refused.job.last_error
    assert refused.job.status == JobStatus.FAILED and not refused.job.may_have_printed

    printer = LoopbackPrinter(port)
    try:
        printed = print_receipt_now(services, receipt.receipt_no, "P58", actor=clerk)
    finally:
        printer.close()
    assert printed.ok and printed.job.id == refused.job.id and not printed.job.duplicate  # still the original
    expected = thermal_renderer()(services.receipts.for_receipt(receipt.uuid), 384)
    [page] = decode(printer.received[0]).pages()
    assert (page.width, page.data[: len(expected.data)]) == (384, expected.data)


def test_reprint_on_the_receipts_screen_queues_a_duplicate_job(
    qtbot: Any, ui_context: Any, services: Any, clerk: Any
) -> None:
    from sqlalchemy import select

    from app.collections.models import ReceiptSeries
    from ui.receipts.screen import ReceiptsScreen

    services.collections.open_session(clerk, 0)
    receipt = services.collections.collect(clerk, cash(_owner_with_dues(services), 10000))
    with services.db.read() as session:
        seq_before = session.scalars(select(ReceiptSeries.last_seq)).all()
    screen = show_screen(qtbot, ReceiptsScreen(ui_context), ui_context)
    try:
        screen.table.selectRow(0)
        assert ui_context.ops.wait_idle(WAIT_MS)
        qtbot.keyClick(screen.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert ui_context.ops.wait_idle(WAIT_MS)
    finally:
        screen.close()
    assert _jobs(services) == [(receipt.uuid, 1, "pending")]
    [job] = PrintQueue(services.db, services.clock).jobs_for(receipt.uuid)
    assert job.print_as_duplicate
    assert services.receipts.for_receipt(receipt.uuid, duplicate=job.print_as_duplicate).duplicate
    with services.db.read() as session:
        assert session.scalars(select(ReceiptSeries.last_seq)).all() == seq_before  # no number taken
