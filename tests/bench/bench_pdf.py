"""PDF: a receipt ≤ 100 ms; a day's registers of 5,000 receipts ≤ 5 s; a ward's 5,000 demand notices ≤ 60 s.

Data: NOT the shared 500,000-property bench ULB (opening it with this code would migrate the shared
copy). A 6,000-property demo ULB (seed 1, app.property.demo: owners in both scripts, ~20% with
arrears, some unfiled returns) is built once under bench-data/pdf-ulb-6000/ with every property
moved to ward 1 (so one ward has 6,000 properties), the demo users, and 5,000 synthetic receipts
on one business day (two to four lines each: arrears and current heads, rebate, round-off; cash, UPI
and cheques; 2% cancelled), inserted with SQL rather than through the counter (5,000 durable
collect transactions would only time the disk).

Figures:
- receipt: render_receipt_pdf of a full A5 receipt (long bilingual name, arrears and current rows,
  rebate, cheque, verification QR), p95 of 40 after 5 warm-up renders; A4 the same.
- register: day_report (the queries) + render_day_pdf (summary, register, cancelled register).
- notices: render_ward_notices for the first 5,000 properties of ward 1 (dues computed per property
  from its ledger, a UPI QR each), one PDF; also its size.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.bench.common import Figure, p95

PROPERTIES = 6_000
RECEIPTS = 5_000
NOTICES = 5_000
DAY = date(2026, 6, 15)
_MARK = "COMPLETE"


def _build(workdir: Path) -> Path:
    from app.core.clock import FixedClock
    from app.core.ids import new_uuid
    from app.db.engine import DB_FILE_NAME
    from app.masters.seed import seed_demo_masters
    from app.property.demo import generate_demo
    from tests.bench.fixtures import current_schema_fingerprint
    from tests.factories import set_up_device

    path = workdir / f"pdf-ulb-{PROPERTIES}"
    marker = {"properties": PROPERTIES, "receipts": RECEIPTS, "schema": current_schema_fingerprint(), "v": 1}
    if (path / _MARK).exists() and json.loads((path / _MARK).read_text()) == marker:
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    clock = FixedClock.on_ist_date(DAY)
    db = set_up_device(path, clock)
    seed_demo_masters(db)
    generate_demo(db, PROPERTIES, seed=1)
    db.dispose()

    raw = sqlite3.connect(path / DB_FILE_NAME)
    rng = random.Random(1)
    raw.execute("UPDATE property SET ward_no = 1")
    props = [row[0] for row in raw.execute("SELECT uuid FROM property ORDER BY property_id")]
    users = [row[0] for row in raw.execute("SELECT id FROM app_user ORDER BY id")]
    supervisor = raw.execute("SELECT id FROM app_user WHERE username = 'supervisor1'").fetchone()[0]
    opened = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)
    session_uuid = new_uuid()
    raw.execute(
        "INSERT INTO counter_session (uuid, device_no, user_id, business_date, opened_at, opening_cash_paise)"
        " VALUES (?, 1, ?, ?, ?, 0)",
        (session_uuid, users[0], DAY.isoformat(), opened.isoformat()),
    )
    key = "DEMO/Z01/C01/2026-27"
    raw.execute("INSERT INTO receipt_series (series_key, last_seq, last_hash) VALUES (?, ?, '')", (key, RECEIPTS))
    receipts, lines, cancels = [], [], []
    for seq in range(1, RECEIPTS + 1):
        uuid = new_uuid()
        heads = [("2026-27", "PROPERTY_TAX", rng.randrange(50_000, 500_000)), ("2026-27", "SAMEKIT", 60_000)]
        if rng.random() < 0.25:
            heads.insert(0, ("2025-26", "PROPERTY_TAX", rng.randrange(50_000, 300_000)))
        if rng.random() < 0.5:
            heads.append(("2026-27", "REBATE", -rng.randrange(1_000, 30_000)))
            heads.append(("2026-27", "ROUND_OFF", rng.randrange(0, 99)))
        amount = sum(h[2] for h in heads)
        mode = rng.choice(["CASH", "CASH", "CASH", "UPI", "CHEQUE"])
        at = opened + timedelta(seconds=5 * seq)
        instrument_no = {"CHEQUE": "123456", "UPI": f"UTR99{seq}"}.get(mode, "")
        receipts.append(
            (
                uuid, new_uuid(), f"{key}/{seq:06d}", key, seq, "2026-27", 1, session_uuid, rng.choice(users[:3]),
                props[seq % len(props)], f"Payer {seq}" if seq % 3 else "रमेश कुमार साहू", at.isoformat(),
                DAY.isoformat(), mode, amount, instrument_no,
                "2026-06-12" if mode == "CHEQUE" else "", "SBI" if mode == "CHEQUE" else "",
                "Pandri" if mode == "CHEQUE" else "", 0, "", "",
            )
        )  # fmt: skip
        lines += [(uuid, i, fy, head, paise) for i, (fy, head, paise) in enumerate(heads)]
        if seq % 50 == 0:
            cancels.append(
                (
                    new_uuid(),
                    uuid,
                    "CANCELLED",
                    "entered against the wrong property",
                    supervisor,
                    at.isoformat(),
                    DAY.isoformat(),
                )
            )
    raw.executemany(
        "INSERT INTO receipt (uuid, request_uuid, receipt_no, series_key, seq, fy, device_no, counter_session_uuid,"
        " user_id, property_uuid, payer_name, collected_at, business_date, mode, amount_paise, instrument_no,"
        " instrument_date, bank, branch, balance_after_paise, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        receipts,
    )
    raw.executemany(
        "INSERT INTO receipt_line (receipt_uuid, ordinal, fy, head, amount_paise) VALUES (?, ?, ?, ?, ?)", lines
    )
    raw.executemany(
        "INSERT INTO receipt_cancellation (uuid, receipt_uuid, kind, reason, approved_by_user_id, at, business_date)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        cancels,
    )
    raw.commit()
    raw.close()
    (path / _MARK).write_text(json.dumps(marker))
    return path


def run(workdir: Path) -> list[Figure]:
    from app.composition import build_services
    from app.core.clock import FixedClock
    from app.receipts.document import build_document
    from app.reports.demand_notice import render_ward_notices
    from app.reports.receipt_pdf import render_receipt_pdf
    from app.reports.registers import day_report, render_day_pdf
    from app.security.passwords import fast_hasher
    from tests.unit.test_reports_receipt_pdf import sample_view

    figures: list[Figure] = []
    document = build_document(
        sample_view(duplicate=True), office_code="Z01", counter_code="C01", verification="NKV1|" + "x" * 90
    )
    for size in ("A5", "A4"):
        for _ in range(5):
            render_receipt_pdf(document, size)  # type: ignore[arg-type]
        samples = []
        for _ in range(40):
            started = time.perf_counter()
            render_receipt_pdf(document, size)  # type: ignore[arg-type]
            samples.append((time.perf_counter() - started) * 1000)
        figures.append(Figure(f"PDF receipt {size}, model to bytes (p95)", p95(samples), "ms", 100.0))

    path = _build(workdir)
    services = build_services(path, clock=FixedClock.on_ist_date(DAY), password_hasher=fast_hasher())
    try:
        started = time.perf_counter()
        report = day_report(
            services.db, DAY, ulb_name_en=services.device.ulb_name_en, ulb_name_hi=services.device.ulb_name_hi
        )
        pdf = render_day_pdf(report)
        elapsed = time.perf_counter() - started
        assert report.register.receipts == RECEIPTS
        figures.append(Figure(f"Day registers PDF, {RECEIPTS:,} receipts (data + PDF)", elapsed, "s", 5.0))
        print(f"   day registers: {len(pdf) / 1e6:.1f} MB", flush=True)

        started = time.perf_counter()
        pdf = render_ward_notices(services, 1, DAY, limit=NOTICES)
        elapsed = time.perf_counter() - started
        figures.append(Figure(f"Ward demand notices, {NOTICES:,} in one PDF", elapsed, "s", 60.0))
        print(f"   ward notices: {len(pdf) / 1e6:.1f} MB", flush=True)
    finally:
        services.close()
    return figures
