"""Thermal receipt from model to bytes: p95 ≤ 50 ms, on 58 mm (POS-5890) and 80 mm (TM-T20II) paper.

Timed per receipt: the ReceiptDocument built from the saved receipt's ReceiptView, the whole receipt
laid out and drawn by Qt (offscreen platform, bundled Noto fonts) into the 1-bit raster with its
verification QR, and the python-escpos job (GS v 0 raster fragments, cut or feed) from the `Dummy`
printer — everything before the bytes go to a transport. The receipts vary (2–8 lines, arrears or
not, long Hindi payer names and addresses on a third of them, a DUPLICATE now and then). The first
receipts are a warm-up (font caches, escpos' capability profiles) and are not counted. Each figure
(wall clock) has a CPU-time twin: on a loaded machine the gap between them is other processes' share.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, date, datetime
from pathlib import Path

from tests.bench.common import Figure, p95

TARGET_MS = 50.0
ROUNDS = 200
WARM_UP = 10

NAMES = ("रमेश साहू", "श्रीमती कृष्णाकुमारी त्रिपाठी पत्नी स्वर्गीय श्री द्वारकाप्रसाद त्रिपाठी", "Sunil Verma")
ADDRESSES = (
    ("12, गांधी चौक", "12, Gandhi Chowk"),
    (
        "मकान क्रमांक 12/ब, श्री राम जानकी मंदिर के पीछे, महात्मा गांधी चौक, पुरानी बस्ती, रायपुर (छत्तीसगढ़)",
        "House 12/B, behind Shri Ram Janaki Mandir, Mahatma Gandhi Chowk, Purani Basti, Raipur (Chhattisgarh)",
    ),
)


def _views(rng: random.Random, count: int) -> list[object]:
    from app.collections.dto import Mode, ReceiptView
    from app.demand.dto import AllocatedLine, Head

    views = []
    for n in range(count):
        lines = [AllocatedLine("2026-27", Head.PROPERTY_TAX, rng.randrange(50_000, 500_000))]
        if rng.random() < 0.5:
            lines.append(AllocatedLine("2026-27", Head.SAMEKIT, rng.randrange(10_000, 90_000)))
            lines.append(AllocatedLine("2026-27", Head.REBATE, -rng.randrange(1_000, 20_000)))
        if rng.random() < 0.4:
            for fy in ("2024-25", "2025-26")[: rng.randint(1, 2)]:
                lines.append(AllocatedLine(fy, Head.PROPERTY_TAX, rng.randrange(50_000, 500_000)))
                lines.append(AllocatedLine(fy, Head.SURCHARGE, rng.randrange(1_000, 40_000)))
        lines.append(AllocatedLine("2026-27", Head.ROUND_OFF, rng.randrange(-49, 50)))
        amount = sum(line.amount_paise for line in lines)
        address_hi, address_en = rng.choice(ADDRESSES)
        views.append(
            ReceiptView(
                uuid=f"01936f7e-1c2b-7a00-8000-{n:012d}",
                receipt_no=f"DEMO/Z01/C01/2026-27/{n + 1:06d}",
                fy="2026-27",
                collected_at=datetime(2026, 6, 15, 5, 30, tzinfo=UTC),
                business_date=date(2026, 6, 15),
                property_uuid="p",
                property_id=f"W{rng.randint(1, 70):02d}-{rng.randint(1, 999999):06d}",
                ward_no=rng.randint(1, 70),
                address_en=address_en,
                address_hi=address_hi,
                payer_name=rng.choice(NAMES),
                collector_name="सुनीता वर्मा",
                mode=Mode.CASH,
                amount_paise=amount,
                tendered_paise=amount + 10_000,
                change_paise=10_000,
                instrument_no="",
                instrument_date=None,
                bank="",
                branch="",
                lines=tuple(lines),
                balance_after_paise=rng.choice((0, 0, 45_000)),
                duplicate=rng.random() < 0.1,
                ulb_name_en="Demo Municipal Corporation",
                ulb_name_hi="डेमो नगर पालिक निगम",
            )
        )
    return views


def _figures(paper: int, views: list[object]) -> list[Figure]:
    from app.collections.dto import ReceiptView
    from app.printing.escpos_out import raster_to_escpos, settings_for_paper
    from app.receipts.document import build_document
    from ui.printing.raster import render_thermal_1bit_rows

    settings = settings_for_paper(paper)
    dots = settings.width()
    samples: list[float] = []
    cpu: list[float] = []
    for index, view in enumerate(views):
        assert isinstance(view, ReceiptView)
        started, cpu_started = time.perf_counter(), time.process_time()
        verification = f"NKY1|{view.receipt_no}|{view.uuid}|{view.amount_paise / 100:.2f}|2026-06-15|k9Qx2mZa"
        document = build_document(view, office_code="Z01", counter_code="C01", verification=verification)
        data = raster_to_escpos(render_thermal_1bit_rows(document, dots), settings)
        elapsed = (time.perf_counter() - started) * 1000
        cpu_elapsed = (time.process_time() - cpu_started) * 1000
        assert data
        if index >= WARM_UP:
            samples.append(elapsed)
            cpu.append(cpu_elapsed)
    name = f"Thermal receipt, model to ESC/POS bytes, {paper} mm, p95"
    # The figure is wall-clock time. CPU time beside it tells the code's cost from a busy machine's.
    return [Figure(name, p95(samples), "ms", TARGET_MS), Figure(f"{name} (CPU time)", p95(cpu), "ms", TARGET_MS)]


def run(workdir: Path) -> list[Figure]:
    del workdir  # nothing to build: the receipts are made in memory
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    views = _views(random.Random(3), ROUNDS + WARM_UP)
    return [*_figures(58, views), *_figures(80, views)]


if __name__ == "__main__":
    for figure in run(Path("bench-data")):
        print(figure.line())
