"""Printing one job: resolve the printer, build the document, render, mark `sending`, send, record.

Qt-free. Rendering needs Qt (the thermal raster is drawn by ui/printing/raster.py), so the caller
passes `render(document, printer) -> bytes`; `send(printer, data)` defaults to app/printing/transports.
The GUI's printer thread (ui/printing/worker.py) and `nikay receipt print` both run `run_job`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.errors import NikayError
from app.printing import transports
from app.printing.config import PrinterConfig, PrinterSettings
from app.printing.escpos_out import EscposSettings, receipt_to_escpos
from app.printing.queue import JobStatus, PrintJobInfo, PrintQueue
from app.receipts.document import ReceiptDocument

if TYPE_CHECKING:
    from app.composition import Services
    from app.security.roles import Actor

log = logging.getLogger(__name__)

Render = Callable[[ReceiptDocument, PrinterConfig], bytes]
Send = Callable[[PrinterConfig, bytes], None]


@dataclass(frozen=True)
class PrintOutcome:
    job: PrintJobInfo
    printer_name: str

    @property
    def ok(self) -> bool:
        return self.job.status == JobStatus.DONE


def nothing_sent(error: BaseException) -> bool:
    """True when the printer refused before any byte went out (no copy can have come out)."""
    flag = getattr(error, "nothing_sent", None)
    if flag is not None:
        return bool(flag)
    return isinstance(error, transports.PrinterOffline)


def escpos_settings(printer: PrinterConfig) -> EscposSettings:
    """The printer's settings as app/printing/escpos_out.EscposSettings."""
    return EscposSettings(
        profile=printer.profile,
        image_method=printer.image_method,
        fragment_height=printer.fragment_height,
        copies=printer.copies,
        cut=printer.cut,
    )


def escpos_renderer(raster: Callable[[ReceiptDocument, int], Any] | None = None) -> Render:
    """render(document, printer) -> ESC/POS bytes: the 1-bit raster at the profile's width, as images.

    `raster(document, dots) -> MonoRaster`; by default the installed thermal renderer (entry point)."""

    def render(document: ReceiptDocument, printer: PrinterConfig) -> bytes:
        _raster, data = receipt_to_escpos(document, escpos_settings(printer), raster)
        return bytes(data)

    return render


def default_send(printer: PrinterConfig, data: bytes) -> None:
    transports.send(printer, data)


def run_job(
    services: Services,
    queue: PrintQueue,
    job: PrintJobInfo,
    render: Render,
    send: Send | None = None,
) -> PrintJobInfo:
    """Print a job already claimed (status `printing`). Never raises a NikayError: it is recorded on the
    job (failed, with the message) and the receipt stays saved and queued. A bug (any other exception)
    is recorded the same way, then raised for the crash handler and the log."""
    send = send or default_send
    settings = PrinterSettings(services.db, services.clock)
    try:
        printer = settings.resolve(services.device.counter_code, job.printer_name)
        printer = replace(printer, copies=max(printer.copies, job.copies))
        document = services.receipts.for_receipt(job.receipt_uuid, duplicate=job.print_as_duplicate)
        data = render(document, printer)
    except NikayError as error:
        return queue.mark_failed(job.id, str(error), nothing_sent=True)
    except Exception as error:
        queue.mark_failed(job.id, f"Could not prepare the receipt for printing: {error}", nothing_sent=True)
        raise
    queue.mark_sending(job.id)
    try:
        send(printer, data)
    except NikayError as error:
        return queue.mark_failed(job.id, str(error), nothing_sent=nothing_sent(error))
    except OSError as error:
        return queue.mark_failed(job.id, f"Printer {printer.name}: {error}", nothing_sent=False)
    except Exception as error:
        queue.mark_failed(job.id, f"Printer {printer.name}: {error}", nothing_sent=False)
        raise
    return queue.mark_done(job.id)


def print_receipt_now(
    services: Services,
    receipt_no: str,
    printer_name: str | None,
    *,
    render: Render | None = None,
    send: Send | None = None,
    actor: Actor | None = None,
) -> PrintOutcome:
    """`nikay receipt print NUMBER [--printer NAME]`: print a saved receipt now, through the queue.

    It prints DUPLICATE when any copy of the receipt could already have come out (a finished or
    interrupted earlier job, or any earlier reprint); then, with `actor`, the reprint is recorded
    (CollectionService.reprint: audit, no new number). A receipt never printed (collected from the CLI)
    prints as the original. A failure leaves the job failed in the queue with its error (Retry in the app)."""
    queue = PrintQueue(services.db, services.clock)
    view = services.collections.find_receipt(receipt_no)
    earlier = queue.jobs_for(view.uuid)
    duplicate = any(job.status == JobStatus.DONE or job.may_have_printed or job.duplicate for job in earlier)
    if duplicate and actor is not None:
        services.collections.reprint(actor, view.uuid)
    waiting = [job for job in earlier if job.status in (JobStatus.PENDING, JobStatus.FAILED)]
    if waiting:  # print the receipt's queued job now rather than add a second one (two copies later)
        job = queue.claim(waiting[0].id, printer_name=printer_name or None)
    else:
        job = queue.claim(queue.enqueue(view.uuid, duplicate=duplicate, printer_name=printer_name or None).id)
    done = run_job(services, queue, job, render or escpos_renderer(), send)
    name = printer_name or PrinterSettings(services.db, services.clock).default_name(services.device.counter_code)
    return PrintOutcome(job=done, printer_name=name or "")
