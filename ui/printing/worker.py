"""Printing off the GUI thread: the shell's PrintWorker drains the persistent print queue.

Flow: a screen commits a receipt (ops.write) and, in its callback, calls `ctx.enqueue_print(uuid,
duplicate)`; the job is saved on the writer thread (its own small transaction, after the receipt's
commit) and `ctx.events.print_queued` fires; the PrintWorker (one per main window) takes pending jobs
one at a time on its own single thread "nikay-printer": claim, render (ui/printing/raster.py ->
app/printing/escpos_out.py), mark `sending`, send (app/printing/transports.py), mark done/failed
(app/printing/service.run_job). The queue's tiny state changes run on that thread, not through the
writer, because "sending" must be on disk right before the bytes go out (it decides DUPLICATE after a
crash). A slow or dead printer therefore never holds up the GUI or a receipt being saved.

After each attempt the worker emits QueueCounts (`ctx.events.printer_status`): the main window shows
the unprinted count in the status bar and, when a job failed, the PrinterBanner: a non-blocking bar
with the printer's own message and Retry (failed jobs go back to pending and print again).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolBar, QWidget

from app.errors import NikayError
from app.printing.config import PrinterSettings
from app.printing.queue import PrintJobInfo, PrintQueue, QueueCounts
from app.printing.service import Render, Send, escpos_renderer, run_job

if TYPE_CHECKING:
    from ui.context import UiContext

log = logging.getLogger(__name__)

THREAD_NAME = "nikay-printer"


def enqueue_receipt(ctx: UiContext, receipt_uuid: str, *, duplicate: bool = False, copies: int = 1) -> None:
    """Save a print job for a committed receipt on the writer thread, then emit print_queued."""
    queue = PrintQueue(ctx.services.db, ctx.services.clock)

    def queued(job: PrintJobInfo) -> None:
        ctx.events.print_queued.emit(job)

    def failed(error: Exception) -> None:  # the receipt is saved; only its print job could not be
        ctx.show_message(str(error), 0)

    ctx.ops.write(lambda: queue.enqueue(receipt_uuid, duplicate=duplicate, copies=copies), queued, failed)


def thermal_render() -> Render:
    """render(document, printer) -> ESC/POS bytes, drawn by Qt (ui/printing/raster.py)."""
    from ui.printing.raster import render_thermal_1bit_rows

    return escpos_renderer(render_thermal_1bit_rows)


class PrintWorker(QObject):
    """Prints queued receipts one at a time on its own thread. Lives on the GUI thread."""

    #: a job finished an attempt (PrintJobInfo: done or failed), on the GUI thread
    job_finished = Signal(object)
    _attempted = Signal(object, object)  # (PrintJobInfo | None, BaseException | None), from the printer thread

    def __init__(
        self, ctx: UiContext, *, render: Render | None = None, send: Send | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.render = render
        self.send = send
        self.queue = PrintQueue(ctx.services.db, ctx.services.clock)
        self.settings = PrinterSettings(ctx.services.db, ctx.services.clock)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)
        self._busy = False
        self._again = False
        self._closed = False
        self.counts: QueueCounts | None = None
        self._attempted.connect(self._on_attempted)
        ctx.events.print_queued.connect(self.kick)

    # -- control (GUI thread) ------------------------------------------------------------------------

    def start(self) -> None:
        """At start-up: jobs left `printing` by a crash go back to pending; then print what is pending."""
        from app.printing.escpos_out import load_escpos

        # python-escpos keeps its capabilities pickle with our data, not in the system temp folder.
        self._executor.submit(load_escpos, self.ctx.services.data_dir / "cache" / "escpos")
        self.ctx.ops.write(self.queue.recover, lambda _n: self.kick(), self._write_failed)

    @Slot()
    @Slot(object)
    def kick(self, _job: object = None) -> None:
        """Print whatever is pending (coalesces: one attempt at a time)."""
        if self._closed:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._executor.submit(self._attempt_next)

    @Slot()
    def retry(self) -> None:
        """The banner's Retry: failed jobs go back to pending and print again."""
        self.ctx.ops.write(self.queue.retry_failed, lambda _n: self.kick(), self._write_failed)

    def refresh(self) -> None:
        """Re-read the queue counts (emits ctx.events.printer_status)."""
        if not self._closed:
            queue, settings, counter = self.queue, self.settings, self.ctx.services.device.counter_code

            def read() -> QueueCounts:
                return replace(queue.counts(), printer_name=settings.default_name(counter) or "")

            self.ctx.ops.read(read, self._counts_read, self._write_failed)

    @property
    def busy(self) -> bool:
        return self._busy

    def shutdown(self) -> None:
        """Stop taking jobs; wait for the attempt in progress (its job is on disk either way)."""
        self._closed = True
        with contextlib.suppress(RuntimeError, TypeError):
            self.ctx.events.print_queued.disconnect(self.kick)
        self._executor.shutdown(wait=True, cancel_futures=True)

    # -- the printer thread --------------------------------------------------------------------------

    def _attempt_next(self) -> None:
        job: PrintJobInfo | None = None
        try:
            claimed = self.queue.claim_next()
            if claimed is not None:
                render = self.render or thermal_render()
                job = run_job(self.ctx.services, self.queue, claimed, render, self.send)
            self._attempted.emit(job, None)
        except BaseException as error:  # a bug: the job is marked failed by run_job; report on the GUI thread
            self._attempted.emit(job, error)

    # -- back on the GUI thread ----------------------------------------------------------------------

    @Slot(object, object)
    def _on_attempted(self, job: PrintJobInfo | None, error: BaseException | None) -> None:
        self._busy = False
        if error is not None and not isinstance(error, NikayError):
            sys.excepthook(type(error), error, error.__traceback__)
        if job is not None:
            self.job_finished.emit(job)
        self.refresh()
        more = self._again or (job is not None and error is None)
        self._again = False
        if more and not self._closed:
            self.kick()

    def _counts_read(self, counts: QueueCounts) -> None:
        self.counts = counts
        self.ctx.events.printer_status.emit(counts)

    def _write_failed(self, error: Exception) -> None:
        log.warning("print queue: %s", error)
        self.ctx.show_message(str(error), 0)


class PrinterBanner(QToolBar):
    """A non-blocking bar under the menu: the printer's problem in plain words, and Retry."""

    def __init__(self, retry: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printerBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.setAllowedAreas(Qt.ToolBarArea.TopToolBarArea)
        self.toggleViewAction().setVisible(False)
        self.setStyleSheet(
            "#printerBanner { background: #fff3cd; border-bottom: 1px solid #c9a227; }"
            " QLabel { color: #4a3b00; padding: 4px; }"
        )
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(8, 2, 8, 2)
        self.message = QLabel(box)
        self.message.setObjectName("printerBannerMessage")
        self.message.setWordWrap(False)  # one line: the bar never eats the screen (full text in the tooltip)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(box)
        self.retry_button.setObjectName("printerRetry")
        self.retry_button.clicked.connect(retry)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry_button)
        self.addWidget(box)
        self.counts: QueueCounts | None = None
        self.retranslateUi()
        self.hide()

    def show_counts(self, counts: QueueCounts) -> None:
        self.counts = counts
        self.retranslateUi()
        self.setVisible(counts.failed > 0)

    def status_text(self) -> str:
        """The status bar's printer field."""
        counts = self.counts
        if counts is None:
            return self.tr("Printer: …")
        if not counts.printer_name and not counts.unprinted:
            return self.tr("Printer: not set up")
        if counts.failed:
            return self.tr("Printer: problem · %n receipt(s) not printed", "", counts.unprinted)
        if counts.pending:
            return self.tr("Printer: printing · %n receipt(s) waiting", "", counts.pending)
        return self.tr("Printer: ready")

    def settings_action_text(self) -> str:
        """The shell's menu entry that opens the printer settings."""
        return self.tr("Printer settings…")

    def retranslateUi(self) -> None:
        self.retry_button.setText(self.tr("Retry printing"))
        self.retry_button.setToolTip(self.tr("Send the receipts that were not printed to the printer again"))
        counts = self.counts
        if counts is not None and counts.failed:
            head = self.tr("%n receipt(s) saved but not printed.", "", counts.unprinted)
            self.message.setText(f"{head} {counts.last_error}")
            self.message.setToolTip(f"{head}\n{counts.last_error}\n\n{self.unprinted_text()}")

    def unprinted_text(self) -> str:
        """The queue of unprinted receipts, for tooltips of the banner and the status bar."""
        counts = self.counts
        if counts is None or not counts.receipt_nos:
            return ""
        more = counts.unprinted - len(counts.receipt_nos)
        lines = [self.tr("Not printed yet:"), *counts.receipt_nos]
        if more > 0:
            lines.append(self.tr("… and %n more", "", more))
        return "\n".join(lines)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
