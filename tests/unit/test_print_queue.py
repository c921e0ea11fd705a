"""The print queue: survives a restart, never loses a receipt, DUPLICATE only when a copy could be out."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.collections.models import Receipt, ReceiptSeries
from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.errors import NikayError, ValidationError
from app.printing.config import PrinterConfig, PrinterKind, PrinterSettings
from app.printing.queue import JobStatus, PrintQueue
from app.printing.service import print_receipt_now, run_job
from app.receipts.document import ReceiptDocument
from tests.factories import add_property, cash, set_up_device
from tests.loopback import LoopbackPrinter, free_port


class Offline(NikayError):
    nothing_sent = True


def tcp_send(printer: PrinterConfig, data: bytes) -> None:
    """A minimal network transport (port 9100 style) for the queue's own tests."""
    host, port = printer.host_port()
    try:
        connection = socket.create_connection((host, port), timeout=2)
    except OSError as error:
        raise Offline(f"Printer {printer.name} at {host}:{port} is offline: {error}") from error
    with connection:
        connection.sendall(data)


def fake_render(document: ReceiptDocument, printer: PrinterConfig) -> bytes:
    mark = b"DUPLICATE" if document.duplicate else b"ORIGINAL"
    return b"\x1b@" + document.receipt_no.encode() + b"|" + mark + b"|" + str(printer.copies).encode()


@pytest.fixture
def services(data_dir: Path, clock: FixedClock) -> Iterator[Services]:
    set_up_device(data_dir, clock).dispose()
    built = build_services(data_dir, clock=clock)
    yield built
    built.close()


def collect_one(services: Services) -> str:
    uuid = add_property(services.db)
    clerk = services.users.actor_for("clerk1", 1)
    services.collections.open_session(clerk, 100000)
    return services.collections.collect(clerk, cash(uuid, 50000)).uuid


def network_printer(services: Services, port: int) -> PrinterConfig:
    config = PrinterConfig(name="Counter TM", kind=PrinterKind.NETWORK, address=f"127.0.0.1:{port}", paper_mm=80)
    return PrinterSettings(services.db, services.clock).save(config, default_for=services.device.counter_code)


def test_queue_survives_a_restart(data_dir: Path, clock: FixedClock, services: Services) -> None:
    receipt = collect_one(services)
    job = PrintQueue(services.db, services.clock).enqueue(receipt, duplicate=False, copies=2)
    services.close()

    reopened = build_services(data_dir, clock=clock)
    try:
        queue = PrintQueue(reopened.db, reopened.clock)
        pending = queue.next_pending()
        assert pending is not None
        assert (pending.id, pending.receipt_uuid, pending.copies, pending.status) == (
            job.id,
            receipt,
            2,
            JobStatus.PENDING,
        )
        assert not pending.print_as_duplicate
    finally:
        reopened.close()


def test_refused_connection_keeps_the_receipt_and_retry_prints_it(services: Services) -> None:
    receipt = collect_one(services)
    port = free_port()  # nothing listens there: the connection is refused
    network_printer(services, port)
    queue = PrintQueue(services.db, services.clock)
    queue.enqueue(receipt)

    job = queue.claim_next()
    assert job is not None
    failed = run_job(services, queue, job, fake_render, tcp_send)
    assert failed.status == JobStatus.FAILED
    assert "offline" in failed.last_error and str(port) in failed.last_error
    assert failed.attempts == 1 and not failed.may_have_printed  # nothing came out: still the original
    with services.db.read() as session:
        assert session.get(Receipt, receipt) is not None
    assert queue.counts().failed == 1 and queue.counts().unprinted == 1
    assert queue.counts().receipt_nos == (services.collections.get_receipt(receipt).receipt_no,)
    assert queue.next_pending() is None  # failed jobs wait for Retry

    printer = LoopbackPrinter(port)  # the printer is back
    try:
        assert queue.retry_failed() == 1
        again = queue.claim_next()
        assert again is not None
        done = run_job(services, queue, again, fake_render, tcp_send)
        assert done.status == JobStatus.DONE and done.attempts == 2 and done.last_error == ""
        number = services.collections.get_receipt(receipt).receipt_no
        printer.thread.join(0.5)
        assert printer.received == [b"\x1b@" + number.encode() + b"|ORIGINAL|1"]
    finally:
        printer.close()
    assert queue.counts().unprinted == 0


def test_reprint_is_duplicate_and_takes_no_number(services: Services) -> None:
    receipt = collect_one(services)
    network_printer(services, free_port())
    with services.db.read() as session:
        receipts_before = session.scalar(select(func.count()).select_from(Receipt))
        seq_before = session.scalars(select(ReceiptSeries.last_seq)).all()
    clerk = services.users.actor_for("clerk1", 1)
    view = services.collections.reprint(clerk, receipt)
    queue = PrintQueue(services.db, services.clock)
    job = queue.enqueue(view.uuid, duplicate=True)
    assert job.print_as_duplicate
    sent: list[bytes] = []
    claimed = queue.claim_next()
    assert claimed is not None
    done = run_job(services, queue, claimed, fake_render, lambda _p, data: sent.append(data))
    assert done.status == JobStatus.DONE
    assert sent == [b"\x1b@" + view.receipt_no.encode() + b"|DUPLICATE|1"]
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == receipts_before
        assert session.scalars(select(ReceiptSeries.last_seq)).all() == seq_before


def test_killed_mid_print_prints_duplicate_only_if_a_copy_could_be_out(services: Services) -> None:
    first, second = collect_one(services), None
    clerk = services.users.actor_for("clerk1", 1)
    other = add_property(services.db, "W01-000002")
    second = services.collections.collect(clerk, cash(other, 40000)).uuid
    queue = PrintQueue(services.db, services.clock)
    a = queue.enqueue(first)
    b = queue.enqueue(second)
    queue.claim(a.id)
    queue.mark_sending(a.id)  # bytes were on their way when the app was killed
    queue.claim(b.id)  # killed while rendering: nothing was sent
    assert queue.recover() == 2
    assert queue.get(a.id).status == JobStatus.PENDING and queue.get(a.id).print_as_duplicate
    assert queue.get(b.id).status == JobStatus.PENDING and not queue.get(b.id).print_as_duplicate


def test_a_failure_after_bytes_went_out_reprints_as_duplicate(services: Services) -> None:
    receipt = collect_one(services)
    network_printer(services, free_port())
    queue = PrintQueue(services.db, services.clock)
    job = queue.enqueue(receipt)

    def broken_pipe(_printer: PrinterConfig, _data: bytes) -> None:
        raise OSError(32, "Broken pipe")

    claimed = queue.claim_next()
    assert claimed is not None
    failed = run_job(services, queue, claimed, fake_render, broken_pipe)
    assert failed.status == JobStatus.FAILED and failed.may_have_printed and "Broken pipe" in failed.last_error
    queue.retry(job.id)
    pending = queue.next_pending()
    assert pending is not None and pending.print_as_duplicate


def test_no_printer_set_up_is_a_clear_failure(services: Services) -> None:
    receipt = collect_one(services)
    queue = PrintQueue(services.db, services.clock)
    queue.enqueue(receipt)
    claimed = queue.claim_next()
    assert claimed is not None
    failed = run_job(services, queue, claimed, fake_render, tcp_send)
    assert failed.status == JobStatus.FAILED and "No printer is set up for counter" in failed.last_error


def test_print_receipt_now_first_original_then_duplicate(services: Services) -> None:
    receipt = collect_one(services)
    number = services.collections.get_receipt(receipt).receipt_no
    port = free_port()
    network_printer(services, port)
    printer = LoopbackPrinter(port)
    clerk = services.users.actor_for("clerk1", 1)
    try:
        first = print_receipt_now(services, number, None, render=fake_render, send=tcp_send, actor=clerk)
        second = print_receipt_now(services, number, "Counter TM", render=fake_render, send=tcp_send, actor=clerk)
    finally:
        printer.close()
    assert first.ok and second.ok and first.printer_name == "Counter TM"
    assert not first.job.duplicate and second.job.duplicate
    assert printer.received == [
        b"\x1b@" + number.encode() + b"|ORIGINAL|1",
        b"\x1b@" + number.encode() + b"|DUPLICATE|1",
    ]


def test_printer_settings_validate_and_round_trip(services: Services) -> None:
    settings = PrinterSettings(services.db, services.clock)
    with pytest.raises(ValidationError, match=r"host or host:port|not a number"):
        settings.save(PrinterConfig(name="X", kind=PrinterKind.NETWORK, address="10.0.0.5:printer"))
    with pytest.raises(ValidationError, match="copies"):
        settings.save(PrinterConfig(name="X", kind=PrinterKind.FILE, address="/tmp/x", copies=9))
    saved = settings.save(
        PrinterConfig(
            name=" Front desk ",
            kind=PrinterKind.NETWORK,
            address="192.168.1.50",
            profile="TM-T20II",
            paper_mm=80,
            image_method="graphics",
            fragment_height=256,
            copies=2,
            cut=False,
        ),
        default_for="C01",
    )
    assert saved.name == "Front desk" and saved.host_port() == ("192.168.1.50", 9100) and saved.dots == 576
    assert settings.get("Front desk") == saved
    assert settings.default_for("C01") == saved and settings.default_for("C02") is None


def test_a_second_job_of_a_printed_receipt_prints_duplicate(services: Services) -> None:
    """Two jobs for one receipt (a retry of an old failure after a reprint printed): one original at most."""
    receipt = collect_one(services)
    network_printer(services, free_port())
    queue = PrintQueue(services.db, services.clock)
    first, second = queue.enqueue(receipt), queue.enqueue(receipt)
    sent: list[bytes] = []
    for _ in range(2):
        claimed = queue.claim_next()
        assert claimed is not None
        run_job(services, queue, claimed, fake_render, lambda _p, data: sent.append(data))
    assert [job.status for job in (queue.get(first.id), queue.get(second.id))] == [JobStatus.DONE] * 2
    assert [data.split(b"|")[1] for data in sent] == [b"ORIGINAL", b"DUPLICATE"]


def test_print_now_takes_the_receipts_queued_job_instead_of_adding_one(services: Services) -> None:
    receipt = collect_one(services)
    number = services.collections.get_receipt(receipt).receipt_no
    network_printer(services, free_port())
    queue = PrintQueue(services.db, services.clock)
    queued = queue.enqueue(receipt)  # the counter queued it; the printer was off
    sent: list[bytes] = []
    outcome = print_receipt_now(services, number, None, render=fake_render, send=lambda _p, d: sent.append(d))
    assert outcome.ok and outcome.job.id == queued.id
    assert [job.id for job in queue.jobs_for(receipt)] == [queued.id] and queue.counts().unprinted == 0
    assert sent == [b"\x1b@" + number.encode() + b"|ORIGINAL|1"]
