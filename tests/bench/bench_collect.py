"""Collect: key press to committed receipt, p95 ≤ 15 ms, on the 500,000-property bench ULB.

"Committed" means the whole receipt transaction of CollectionService.collect: BEGIN IMMEDIATE, the
dues of the property read under the write lock, the allocation, the next number of the series, the
receipt and its lines, the series bump, the audit entry and the outbox row, and a durable COMMIT
(WAL, synchronous=FULL).

Three figures:
(a) service layer — the time of `CollectionService.collect` alone (the dues were already on the
    clerk's screen), over random properties of the ULB, full and part payments, cash/UPI/cheque;
(b) the UI path — on the offscreen platform, a real CounterScreen with its Operations (one writer
    thread): from the Enter key event on the confirmation to the `on_done` callback (the screen's
    `_on_collected`) running on the GUI thread with the committed receipt, the GUI thread waiting in
    a real Qt event loop meanwhile;
(c) a combined bill (issue 5) — `CollectionService.collect_bill` alone for properties that also have a
    water connection and a user-charge payer billed with them (three months of each raised): property
    tax, water and user charge on one receipt, the bill recomputed under the write lock.

The bench ULB is shared by every benchmark, so the receipts go into a scratch copy of it (made with
SQLite's backup API, then deleted); demo users are added to the copy. The first receipts of each
part are a warm-up (statement compilation, page cache) and are not counted.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.bench.common import Figure, p95

TARGET_MS = 15.0
BENCH_PROPERTIES = 500_000
FALLBACK_PROPERTIES = 50_000
SERVICE_RECEIPTS = 600
UI_RECEIPTS = 200
COMBINED_RECEIPTS = 300
WARM_UP = 20
BUSINESS_DAY = date(2026, 6, 15)


def _bench_ulb(workdir: Path) -> tuple[Path, int]:
    """The 500,000-property bench ULB if its builder is available, else a 50,000-property demo ULB."""
    for module_name in ("tests.bench.fixtures", "tests.bench.bench_demo"):
        try:
            module = __import__(module_name, fromlist=["ensure_bench_ulb"])
        except ImportError:
            continue
        ensure = getattr(module, "ensure_bench_ulb", None)
        if ensure is not None:
            return Path(ensure(workdir, BENCH_PROPERTIES)), BENCH_PROPERTIES
    from app.db import open_database
    from app.masters.seed import seed_demo_masters
    from app.property.demo import generate_demo

    path = workdir / f"collect-ulb-{FALLBACK_PROPERTIES}"
    if not (path / "COMPLETE").exists():
        shutil.rmtree(path, ignore_errors=True)
        db = open_database(path)
        try:
            seed_demo_masters(db)
            generate_demo(db, FALLBACK_PROPERTIES, seed=1)
        finally:
            db.dispose()
        (path / "COMPLETE").write_text("ok\n")
    return path, FALLBACK_PROPERTIES


def _scratch_copy(source_dir: Path, target_dir: Path) -> None:
    from app.db.engine import DB_FILE_NAME

    shutil.rmtree(target_dir, ignore_errors=True)
    target_dir.mkdir(parents=True)
    source = sqlite3.connect(f"file:{source_dir / DB_FILE_NAME}?mode=ro", uri=True)
    target = sqlite3.connect(target_dir / DB_FILE_NAME)
    try:
        source.backup(target, pages=16384)
    finally:
        target.close()
        source.close()


def _services(data_dir: Path) -> Any:
    from app.composition import build_services
    from app.core.clock import FixedClock
    from app.security.passwords import fast_hasher
    from app.security.service import UserService

    clock = FixedClock(FixedClock.on_ist_date(BUSINESS_DAY).current, tick=timedelta(milliseconds=1))
    services = build_services(data_dir, clock=clock)
    services.users = UserService(services.db, services.audit, clock, fast_hasher())
    services.users.seed_demo_users()
    return services


def _properties(services: Any, count: int, rng: random.Random) -> list[str]:
    from sqlalchemy import select

    from app.property.models import Property

    with services.db.read() as session:
        everyone = list(session.scalars(select(Property.uuid).order_by(Property.uuid)))
    return rng.sample(everyone, min(count, len(everyone)))


def _request(services: Any, rng: random.Random, property_uuid: str) -> Any:
    from app.collections.dto import CollectRequest, Mode, Payment
    from app.core.ids import new_uuid

    payable = services.dues.dues(property_uuid, BUSINESS_DAY).payable_paise
    if payable <= 0:
        amount = 50_000
    elif rng.random() < 0.5:
        amount = payable
    else:
        amount = max(100, rng.randrange(10, 90) * payable // 100)
    roll = rng.random()
    if roll < 0.5:
        payment = Payment(Mode.CASH, tendered_paise=-(-amount // 50_000) * 50_000)
    elif roll < 0.8:
        payment = Payment(Mode.UPI, instrument_no=f"UTR{rng.randrange(10**11):011d}")
    else:
        payment = Payment(
            Mode.CHEQUE,
            instrument_no=f"{rng.randrange(1, 10**6):06d}",
            instrument_date=BUSINESS_DAY - timedelta(days=rng.randrange(0, 30)),
            bank="State Bank of India",
            branch="Raipur Main",
        )
    return CollectRequest(property_uuid, amount, payment, new_uuid())


def _service_layer(services: Any, clerk: Any, properties: list[str], rng: random.Random) -> list[float]:
    samples: list[float] = []
    for property_uuid in properties:
        request = _request(services, rng, property_uuid)  # what the screen already shows: not timed
        started = time.perf_counter()
        services.collections.collect(clerk, request)
        samples.append((time.perf_counter() - started) * 1000)
    return samples[WARM_UP:]


def _ui_path(
    services: Any, clerk: Any, properties: list[str], rng: random.Random
) -> tuple[list[float], dict[str, list[float]]]:
    """Enter → on_done samples, and their parts: Enter → collect starts on the writer thread, the
    collect itself, its end → on_done on the GUI thread; and the CPU time the GUI thread used
    meanwhile (the Enter key handling and the repaint of the busy confirmation)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.context import UiContext
    from ui.counter.screen import CounterScreen
    from ui.fonts import apply_application_font, register_fonts
    from ui.workers import Operations

    app = QApplication.instance() or QApplication([])
    register_fonts()
    apply_application_font()
    ops = Operations()
    screen = CounterScreen(UiContext(services=services, actor=clerk, ops=ops, language="en"))
    samples: list[float] = []
    try:
        screen.resize(1366, 768)
        screen.show()
        ops.wait_idle(10_000)
        assert screen.stack.currentIndex() == screen.PAGE_COUNTER, "the counter session should be open"

        original = screen._on_collected
        finished: dict[str, Any] = {}
        loop = QEventLoop()

        def on_collected(receipt: Any) -> None:  # the on_done callback of the committed receipt
            finished["at"] = time.perf_counter()
            finished["gui_cpu"] = time.thread_time()
            original(receipt)
            loop.quit()

        def timed_collect(actor: Any, request: Any) -> Any:  # runs on the writer thread
            finished["work_started"] = time.perf_counter()
            try:
                return collect(actor, request)
            finally:
                finished["work_ended"] = time.perf_counter()

        screen._on_collected = on_collected  # type: ignore[method-assign]
        collect = services.collections.collect
        services.collections.collect = timed_collect
        parts: dict[str, list[float]] = {
            "to writer": [],
            "collect": [],
            "to on_done": [],
            "GUI thread CPU meanwhile": [],
        }
        for property_uuid in properties:
            screen.load_property(property_uuid)
            ops.wait_idle(10_000)
            assert screen._dues is not None and screen.payment.amount_edit.hasFocus()
            if screen._dues.payable_paise > 0 and rng.random() < 0.5:
                rupees = max(1, rng.randrange(10, 90) * screen._dues.payable_paise // 10_000)
                QTest.keyClicks(screen.payment.amount_edit, str(rupees))  # replaces the selected full amount
            elif screen._dues.payable_paise <= 0:
                QTest.keyClicks(screen.payment.amount_edit, "500")
            QTest.keyClick(screen.payment.amount_edit, Qt.Key.Key_F5)  # cash
            QTest.keyClick(screen.payment.tendered_edit, Qt.Key.Key_F10)  # the confirmation
            ops.wait_idle(10_000)  # the amount preview of the debounce timer, if any
            assert screen.confirmation.isVisible(), screen.payment.message.text()
            finished.clear()
            started, gui_cpu = time.perf_counter(), time.thread_time()
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            if "at" not in finished:
                loop.exec()
            samples.append((finished["at"] - started) * 1000)
            parts["to writer"].append((finished["work_started"] - started) * 1000)
            parts["collect"].append((finished["work_ended"] - finished["work_started"]) * 1000)
            parts["to on_done"].append((finished["at"] - finished["work_ended"]) * 1000)
            parts["GUI thread CPU meanwhile"].append((finished["gui_cpu"] - gui_cpu) * 1000)
            ops.wait_idle(10_000)
        return samples[WARM_UP:], {name: values[WARM_UP:] for name, values in parts.items()}
    finally:
        services.collections.__dict__.pop("collect", None)
        screen.close()
        ops.wait_idle(10_000)
        ops.shutdown()
        app.processEvents()


def _add_services(services: Any, properties: list[str]) -> None:
    """A domestic water connection and a household user-charge payer, each with three months raised,
    for every property in `properties` (in the scratch copy)."""
    from datetime import UTC, datetime

    from app.core.ids import new_uuid
    from app.db.base import table_of
    from app.demand.models import ServiceDemand
    from app.swm.models import SwmPayer
    from app.water.models import WaterConnection

    now = datetime.now(UTC)
    water, payers, demands = [], [], []
    for n, property_uuid in enumerate(properties, start=1):
        w, p = new_uuid(), new_uuid()
        common = {"ulb_code": "DEMO", "property_uuid": property_uuid, "ward_no": 1, "created_at": now}
        water.append(
            {**common, "uuid": w, "consumer_no": f"W-99-{n:06d}", "holder_name_en": "Bench", "category": "DOMESTIC"}
            | {"connected_on": "2026-03-01"}
        )
        payers.append(
            {**common, "uuid": p, "payer_id": f"UC-99-{n:06d}", "name_en": "Bench", "category": "HOUSEHOLD"}
            | {"start_month": "2026-04", "billed_with_property": True}
        )
        for month, due in (("2026-04", "2026-05-15"), ("2026-05", "2026-06-15"), ("2026-06", "2026-07-15")):
            base = {"period": month, "fy": "2026-27", "due_date": due, "ward_no": 1, "detail": "", "created_at": now}
            demands.append(
                {**base, "service": "WATER", "account_uuid": w, "head": "WATER_CHARGE", "amount_paise": 20000}
            )
            demands.append(
                {**base, "service": "SWM", "account_uuid": p, "head": "SWM_USER_CHARGE", "amount_paise": 3000}
            )
    with services.db.write() as session:
        conn = session.connection()
        conn.execute(table_of(WaterConnection).insert(), water)
        conn.execute(table_of(SwmPayer).insert(), payers)
        conn.execute(table_of(ServiceDemand).insert(), demands)


def _combined_bills(services: Any, clerk: Any, properties: list[str], rng: random.Random) -> list[float]:
    from app.billing.dto import BillChoice, BillCollectRequest
    from app.collections.dto import Mode, Payment
    from app.core.ids import new_uuid
    from app.demand.dto import Service

    samples: list[float] = []
    for property_uuid in properties:
        # What the screen already shows (not timed): the bill, and the clerk's choice of everything.
        bill = services.billing.bill_for(services.billing.account_ref(Service.PROPERTY, property_uuid), BUSINESS_DAY)
        keys = frozenset(line.key for s in bill.sections if s.service != Service.PROPERTY for line in s.lines)
        amount = (
            bill.payable_paise if rng.random() < 0.5 else max(100, rng.randrange(10, 90) * bill.payable_paise // 100)
        )
        request = BillCollectRequest(
            new_uuid(), bill.primary, BillChoice(keys, True), amount, Payment(Mode.UPI, instrument_no="UTR1234567890")
        )
        started = time.perf_counter()
        receipt = services.collections.collect_bill(clerk, request)
        samples.append((time.perf_counter() - started) * 1000)
        assert len(receipt.accounts) >= 1 or amount < bill.sections[0].payable_paise
    return samples[WARM_UP:]


def _open_counter(collections: Any, clerk: Any) -> None:
    """Open today's counter session in the scratch copy, closing one left open on another day."""
    current = collections.current_session(clerk)
    if current is not None and current.business_date == BUSINESS_DAY:
        return
    if current is not None:
        collections.close_session(clerk, {}, {}, "closed by the collect benchmark (scratch copy)")
    collections.open_session(clerk, 200_000)


def _report(part: str, where: str, samples: list[float]) -> None:
    load = os.getloadavg()[0]
    print(
        f"   {part} {len(samples)} receipts {where}: p50 {statistics.median(samples):.2f} ms, "
        f"p95 {p95(samples):.2f} ms, max {max(samples):.2f} ms (load average {load:.1f})",
        flush=True,
    )


def run(workdir: Path) -> list[Figure]:
    from app.collections.service import CollectionService

    source, size = _bench_ulb(workdir)
    scratch = workdir / "collect-scratch"
    started = time.perf_counter()
    _scratch_copy(source, scratch)
    print(f"   scratch copy of the {size:,}-property ULB in {time.perf_counter() - started:.1f} s", flush=True)
    services = _services(scratch)
    figures: list[Figure] = []
    try:
        collections: CollectionService = services.collections
        clerk = services.users.actor_for("clerk1", services.device.device_no)
        _open_counter(collections, clerk)
        rng = random.Random(11)
        properties = _properties(services, SERVICE_RECEIPTS + UI_RECEIPTS + COMBINED_RECEIPTS + WARM_UP * 3, rng)
        service_props = properties[: SERVICE_RECEIPTS + WARM_UP]
        ui_props = properties[SERVICE_RECEIPTS + WARM_UP : SERVICE_RECEIPTS + UI_RECEIPTS + WARM_UP * 2]
        combined_props = properties[SERVICE_RECEIPTS + UI_RECEIPTS + WARM_UP * 2 :]

        samples = _service_layer(services, clerk, service_props, rng)
        _report("(a)", "at the service layer", samples)
        label = f"{size:,} props" if size == BENCH_PROPERTIES else f"FALLBACK {size:,}-property ULB"
        figures.append(Figure(f"collect, service layer, p50 ({label})", statistics.median(samples), "ms", TARGET_MS))
        figures.append(Figure(f"collect, service layer, p95 ({label})", p95(samples), "ms", TARGET_MS))

        _add_services(services, combined_props)
        combined = _combined_bills(services, clerk, combined_props, rng)
        _report("(c)", "of property + water + user charge (collect_bill)", combined)
        figures.append(Figure(f"collect_bill, 3 services, p50 ({label})", statistics.median(combined), "ms", TARGET_MS))
        figures.append(Figure(f"collect_bill, 3 services, p95 ({label})", p95(combined), "ms", TARGET_MS))

        try:
            import ui.counter.screen  # noqa: F401
        except ImportError:
            print("   (b) ui/counter/screen.py is not there: only the service-layer figure", flush=True)
            return figures
        ui_samples, parts = _ui_path(services, clerk, ui_props, rng)
        _report("(b)", "through the counter screen", ui_samples)
        print(
            "       of which (p50/p95): "
            + "; ".join(f"{name} {statistics.median(v):.2f}/{p95(v):.2f} ms" for name, v in parts.items()),
            flush=True,
        )
        median = statistics.median(ui_samples)
        figures.append(Figure(f"collect, UI Enter to on_done, p50 ({label})", median, "ms", TARGET_MS))
        figures.append(Figure(f"collect, UI Enter to on_done, p95 ({label})", p95(ui_samples), "ms", TARGET_MS))
        return figures
    finally:
        services.close()
        shutil.rmtree(scratch, ignore_errors=True)
