"""DCB statement for a ULB of 300,000 properties (target ≤ 5 s, aim ≤ 2 s).

The fixture (built once under bench-data/dcb-300k with bulk inserts, seeded): 300,000 properties in
40 wards with property-tax and samekit demand for FY 2025-26 and 2026-27 (one in ten returns of
2025-26 not filed: penalty), ~200,000 receipts over both years with their lines (part payments,
arrears, full settlements with rebate and round-off, one in a hundred cancelled), and 30,000 SWM
payers with eight months of user charge, some paid. Then the FY 2026-27 statement is timed by head
and by ward (accrued surcharge and penalty included), and its total checked against the receipts."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import statistics
import time
import uuid as uuid_module
from datetime import date, timedelta
from pathlib import Path

from app.core.clock import FixedClock
from app.db import open_database
from app.db.engine import DB_FILE_NAME
from app.masters.seed import seed_demo_masters
from app.masters.tariffs import load_tariff_book
from app.paths import RESOURCES_DIR
from app.reports.dcb import DcbService, GroupBy
from tests.bench.common import Figure
from tests.bench.fixtures import current_schema_fingerprint, schema_fingerprint

PROPERTIES = 300_000
RECEIPTS = 200_000
SWM_PAYERS = 30_000
SEED = 5
VERSION = 1
TARGET_S = 5.0
_DONE = "COMPLETE"


def _uuid(rng: random.Random) -> str:
    return str(uuid_module.UUID(int=rng.getrandbits(128), version=4))


def _day(rng: random.Random, first: date, last: date) -> str:
    return (first + timedelta(days=rng.randrange((last - first).days + 1))).isoformat()


def _build(path: Path) -> None:
    db = open_database(path)
    try:
        seed_demo_masters(db)
    finally:
        db.dispose()
    rng = random.Random(SEED)
    conn = sqlite3.connect(path / DB_FILE_NAME)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    now = "2026-11-28 05:30:00.000000"
    props = [(_uuid(rng), 1 + i % 40) for i in range(PROPERTIES)]
    conn.executemany(
        "INSERT INTO property (uuid, ulb_code, property_id, old_id, ward_no, zone_code, address_en, address_hi,"
        " open_land_sqft, created_at, version, server_version) VALUES (?, 'DEMO', ?, '', ?, 'B', '', '', '0', ?, 1, 0)",
        ((u, f"W{w:02d}-{i:07d}", w, now) for i, (u, w) in enumerate(props)),
    )
    tax = {u: 100 * rng.randrange(500, 5000) for u, _ in props}
    demand_rows = []
    filing_rows = []
    for u, _ in props:
        for fy in ("2025-26", "2026-27"):
            demand_rows.append((u, fy, "PROPERTY_TAX", tax[u], now))
            demand_rows.append((u, fy, "SAMEKIT", 60000, now))
            filing_rows.append((u, fy, 0 if fy == "2025-26" and rng.random() < 0.1 else 1))
    conn.executemany(
        "INSERT INTO demand (property_uuid, fy, head, amount_paise, created_at) VALUES (?, ?, ?, ?, ?)", demand_rows
    )
    conn.executemany("INSERT INTO return_filing (property_uuid, fy, filed) VALUES (?, ?, ?)", filing_rows)
    user_id = 1  # foreign keys are off while bulk loading: no user row needed
    session_uuid = _uuid(rng)
    conn.execute(
        "INSERT INTO counter_session (uuid, device_no, user_id, business_date, opened_at, opening_cash_paise)"
        " VALUES (?, 1, ?, '2026-04-01', ?, 0)",
        (session_uuid, user_id, now),
    )
    for fy in ("2025-26", "2026-27"):
        conn.execute("INSERT INTO receipt_series (series_key, last_seq, last_hash) VALUES (?, 0, '')", (f"B/{fy}",))
    # SWM payers' monthly demand (ward of the payer), Apr-Nov 2026.
    payers = [(_uuid(rng), 1 + rng.randrange(40)) for _ in range(SWM_PAYERS)]
    months = [f"2026-{m:02d}" for m in range(4, 12)]
    conn.executemany(
        "INSERT INTO service_demand (service, account_uuid, period, fy, head, amount_paise, due_date, ward_no,"
        " detail, created_at) VALUES ('SWM', ?, ?, '2026-27', 'SWM_USER_CHARGE', ?, '2026-12-15', ?, '', ?)",
        ((p, m, 3000, w, now) for p, w in payers for m in months),
    )
    receipts, lines, cancels = [], [], []
    seqs = {"2025-26": 0, "2026-27": 0}
    for _ in range(RECEIPTS):
        r = _uuid(rng)
        u, _ward = props[rng.randrange(PROPERTIES)]
        if rng.random() < 0.3:
            fy, day = "2025-26", _day(rng, date(2025, 4, 1), date(2026, 3, 31))
            items = [("PROPERTY", "", "", "2025-26", "PROPERTY_TAX", rng.randrange(10000, tax[u] + 1))]
        else:
            fy, day = "2026-27", _day(rng, date(2026, 4, 1), date(2026, 11, 27))
            kind = rng.random()
            if kind < 0.4:  # full current year with rebate and round-off
                rebate = -(tax[u] * 4 // 100)
                items = [
                    ("PROPERTY", "", "", fy, "PROPERTY_TAX", tax[u]),
                    ("PROPERTY", "", "", fy, "SAMEKIT", 60000),
                    ("PROPERTY", "", "", fy, "REBATE", rebate),
                    ("PROPERTY", "", "", fy, "ROUND_OFF", 0 if rebate % 100 == 0 else 100 - (-rebate % 100)),
                ]
            elif kind < 0.8:  # arrears and part of the current year
                items = [
                    ("PROPERTY", "", "", "2025-26", "SAMEKIT", 60000),
                    ("PROPERTY", "", "", fy, "PROPERTY_TAX", rng.randrange(10000, tax[u] + 1)),
                ]
            else:  # property tax plus the SWM charge of a payer
                p, _w = payers[rng.randrange(SWM_PAYERS)]
                items = [
                    ("PROPERTY", "", "", fy, "PROPERTY_TAX", rng.randrange(10000, tax[u] + 1)),
                    ("SWM", p, months[rng.randrange(len(months))], fy, "SWM_USER_CHARGE", 3000),
                ]
            items = [i for i in items if i[5] != 0]
        seqs[fy] += 1
        amount = sum(i[5] for i in items)
        receipts.append(
            (
                r,
                r,
                f"B/{fy}/{seqs[fy]:06d}",
                f"B/{fy}",
                seqs[fy],
                fy,
                session_uuid,
                user_id,
                u,
                f"{day} 05:30:00",
                day,
                amount,
            )
        )
        lines.extend((r, n, i[3], i[4], i[5], i[0], i[1], i[2]) for n, i in enumerate(items))
        if rng.random() < 0.01:
            cancels.append((_uuid(rng), r, user_id, f"{day} 09:00:00", day))
    conn.executemany(
        "INSERT INTO receipt (uuid, request_uuid, receipt_no, series_key, seq, fy, device_no, counter_session_uuid,"
        " user_id, property_uuid, payer_name, collected_at, business_date, mode, amount_paise, instrument_no,"
        " instrument_date, bank, branch, balance_after_paise, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 'Bench payer', ?, ?, 'CASH', ?, '', '', '', '', 0, '', '')",
        receipts,
    )
    conn.executemany(
        "INSERT INTO receipt_line (receipt_uuid, ordinal, fy, head, amount_paise, service, account, period)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        lines,
    )
    conn.executemany(
        "INSERT INTO receipt_cancellation (uuid, receipt_uuid, kind, reason, approved_by_user_id, at, business_date)"
        " VALUES (?, ?, 'CANCELLED', 'bench', ?, ?, ?)",
        cancels,
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def ensure_dcb_ulb(workdir: Path) -> Path:
    path = workdir / "dcb-300k"
    expected = {"version": VERSION, "seed": SEED, "schema": current_schema_fingerprint()}
    marker = path / _DONE
    fresh = marker.exists() and json.loads(marker.read_text()) == expected
    if fresh and schema_fingerprint(path / DB_FILE_NAME) == expected["schema"]:
        return path
    if path.exists():
        shutil.rmtree(path)
    started = time.perf_counter()
    print(f"   building the {PROPERTIES:,}-property DCB fixture in {path} (once) ...", flush=True)
    _build(path)
    marker.write_text(json.dumps(expected, indent=2) + "\n")
    print(f"   built in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def run(workdir: Path) -> list[Figure]:
    path = ensure_dcb_ulb(workdir)
    db = open_database(path)
    try:
        dcb = DcbService(
            db, load_tariff_book(RESOURCES_DIR / "tariffs"), FixedClock.on_ist_date(date(2026, 11, 28)), "DEMO"
        )
        figures = []
        for grouping in (GroupBy.HEAD, GroupBy.WARD):
            samples, cpu = [], []
            for _ in range(3):
                started, started_cpu = time.perf_counter(), time.process_time()
                statement = dcb.statement("2026-27", grouping)
                samples.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            if not statement.collections_agree:
                raise AssertionError(
                    f"DCB total collected {statement.total.collected_paise} != receipts {statement.receipts_paise}"
                )
            name = f"DCB statement by {grouping.value}, FY 2026-27 (300k properties)"
            figures.append(Figure(name, statistics.median(samples), "s", TARGET_S))
            # The CPU it took: what the wall time is on an idle machine (a loaded one stretches the other).
            figures.append(Figure(f"{name}, CPU", statistics.median(cpu), "s", TARGET_S))
        return figures
    finally:
        db.dispose()
