"""Kill a collecting process with SIGKILL at random points, many times, and prove nothing is half-done.

A worker process (tests/e2e/crash_worker.py) collects receipts in a loop on a real SQLite file and
prints a line after each commit. We kill it with SIGKILL — after a random delay (sometimes while it
is still starting), right after a commit line, while it sleeps inside a transaction (after a flush,
just before COMMIT) or right after COMMIT before it could report — and restart it on the same file,
40 times. After every kill, and once more after a last run that ends normally, the database must show:

- `PRAGMA integrity_check` ok and no foreign-key violation;
- no partial receipt: each has lines summing to its amount, exactly one audit entry and one outbox
  row (the same for each cancellation), no line/audit/outbox row without its receipt;
- each series gapless and without duplicates (seq 1..N, last_seq == N, last_hash == hash of N), its
  hash chain verifying; the audit log's hash chain verifying;
- every receipt and cancellation the worker reported is there (durability), and nothing committed
  beyond what the kill point allows (a kill inside a transaction leaves nothing; a kill between
  COMMIT and the report leaves exactly that one record);
- for every property, demand raised minus what is still due (DuesService) equals what the receipts
  not cancelled paid towards those heads (a direct SQL sum), and never more than the demand.

SIGKILL kills the process, not the machine: what it proves is atomicity and that a commit the worker
saw succeed is in the file. (synchronous=FULL, which protects against power loss, is asserted by the
database tests.)
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.collections.models import Receipt, ReceiptLine, ReceiptSeries
from app.collections.numbering import GENESIS_HASH, chain_hash
from app.collections.service import CollectionService, receipt_hash_content, receipt_values
from app.core.clock import FixedClock
from app.db import Database, open_database
from app.demand.dto import TAX_HEADS, AllocatedLine, Head
from app.demand.models import Demand
from app.demand.service import DuesService
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.security.passwords import fast_hasher
from app.security.service import UserService
from tests.e2e.crash_worker import BUSINESS_DAY, CLERK
from tests.factories import add_property, set_up_device

ROOT = Path(__file__).resolve().parents[2]
KILLS = 40
SEED = int(os.environ.get("NIKAY_CRASH_SEED", "20260615"))  # vary it for a soak run
LINE_TIMEOUT_S = 30.0


# -- the device the worker collects on -------------------------------------------------------------


def build_device(data_dir: Path) -> None:
    """DEMO masters, demo users, 12 properties (some with arrears and unfiled returns), an open counter."""
    clock = FixedClock.on_ist_date(BUSINESS_DAY)
    db = set_up_device(data_dir, clock)
    shapes = [
        {"zone": "B"},
        {"zone": "A", "area_sqft": "2400", "usage": "COMMERCIAL"},
        {"zone": "C", "area_sqft": "650", "construction": "KUTCHA"},  # little or no property tax
        {"zone": "B", "years": ("2025-26", "2026-27")},  # arrears, surcharged
        {"zone": "A", "years": ("2025-26", "2026-27"), "unfiled": ("2025-26",)},  # arrears + penalty
        {
            "zone": "C",
            "area_sqft": "5200",
            "construction": "OTHER_PAKKA",
            "usage": "INDUSTRIAL",
            "years": ("2025-26", "2026-27"),
        },
    ]
    for i in range(2 * len(shapes)):
        add_property(db, f"W{1 + i % 4:02d}-{i + 1:06d}", **shapes[i % len(shapes)])  # type: ignore[arg-type]
    device = MastersService(db).device()
    audit = AuditLog(clock, device.device_no)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    dues = DuesService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit)
    collections = CollectionService(db, dues, device, audit, Outbox(clock), clock)
    collections.open_session(users.actor_for(CLERK, device.device_no), 500_000)
    db.dispose()


# -- talking to the worker (a fork server, so each restart does not pay the imports again) ---------


class Worker:
    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.crash_worker", "serve", "--data-dir", str(data_dir)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("EOF")

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def next_line(self, timeout: float = LINE_TIMEOUT_S) -> str:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the crash worker said nothing for {timeout} s")
        if line.startswith(("ERROR", "EOF")):
            pytest.fail(f"crash worker: {line}")
        return line

    def close(self) -> None:
        try:
            self.send("QUIT")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


@dataclass
class Reported:
    """What the worker said it committed."""

    receipts: dict[str, tuple[str, int]] = field(default_factory=dict)  # uuid -> (receipt_no, amount)
    cancellations: dict[str, str] = field(default_factory=dict)  # receipt uuid -> kind

    def take(self, line: str) -> str:
        words = line.split()
        if words[0] == "R":
            self.receipts[words[2]] = (words[1], int(words[3]))
        elif words[0] == "X":
            self.cancellations[words[1]] = words[2]
        return words[0]


@dataclass
class RunResult:
    how: str
    receipts: int = 0  # receipts reported in this run
    cancellations: int = 0
    last_pause: str = ""  # the T line the kill landed on, if any
    status: int | None = None


def kill(pid: int) -> None:
    """SIGKILL the collecting process. It cannot have been reaped yet: the server waits for it and
    only then says EXIT, so a missing process means it died by itself (its ERROR line follows)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def one_run(worker: Worker, reported: Reported, rng: random.Random, run_no: int, how: str) -> RunResult:
    """Start a collecting process, kill it as `how` says, and wait until it is gone.

    `how`: delay, after_commit_line, finish, or in_tx:<flush|commit|after_commit>."""
    how, _, where = how.partition(":")
    pause = 0.35 if how == "in_tx" else 0.0
    limit = 25 if how == "finish" else 1_000_000
    worker.send(f"RUN {rng.randrange(1 << 30)} {limit} {pause} {run_no * 10} {where or 'any'}")
    words = worker.next_line().split()
    assert words[0] == "PID", words
    pid = int(words[1])
    result = RunResult(how)

    def consume(line: str) -> str:
        kind = reported.take(line)
        result.receipts += kind == "R"
        result.cancellations += kind == "X"
        return kind

    if how == "delay":  # anywhere: while opening the database, between or inside transactions
        time.sleep(rng.uniform(0.0, 0.3))
        kill(pid)
    elif how == "after_commit_line":  # right after the n-th receipt was reported
        wanted = rng.randrange(1, 9)
        while result.receipts < wanted:
            consume(worker.next_line())
        kill(pid)
    elif how == "in_tx":  # while it sleeps inside a transaction (or between COMMIT and the report)
        wanted = rng.randrange(0, 5)
        while True:
            line = worker.next_line()
            if line.startswith("T ") and result.receipts >= wanted:
                kill(pid)
                result.last_pause = line
                break
            consume(line)
    while True:  # what it printed before it died, then the server's EXIT line
        line = worker.next_line()
        if line.startswith("EXIT"):
            result.status = int(line.split()[2])
            break
        if line.startswith("T "):
            continue
        if line != "READY":
            consume(line)
    if how == "finish":
        assert result.status == 0, f"the last run did not end normally: status {result.status}"
    else:
        assert os.WIFSIGNALED(result.status) and os.WTERMSIG(result.status) == signal.SIGKILL, result
    return result


# -- what must hold after every kill -----------------------------------------------------------------


@dataclass(frozen=True)
class State:
    receipts: int
    cancellations: int


def check_database(data_dir: Path, reported: Reported) -> State:
    raw = sqlite3.connect(data_dir / "nikay.sqlite3")
    try:
        integrity = raw.execute("PRAGMA integrity_check").fetchall()
        assert integrity == [("ok",)], f"integrity_check: {integrity[:5]}"
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        assert not broken, f"foreign keys broken: {broken[:5]}"
        check_no_partial_records(raw)
        state = State(
            receipts=raw.execute("SELECT count(*) FROM receipt").fetchone()[0],
            cancellations=raw.execute("SELECT count(*) FROM receipt_cancellation").fetchone()[0],
        )
        check_durability(raw, reported)
        paid = paid_by_sql(raw)
    finally:
        raw.close()
    db = open_database(data_dir, migrate=False)
    try:
        clock = FixedClock.on_ist_date(BUSINESS_DAY)
        audit = AuditLog(clock, 1)
        with db.read() as session:
            check_series(session)
            chain = audit.verify(session)
            assert chain.ok, f"audit chain broken at entry {chain.first_bad_id}"
        check_demands(db, DuesService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit), paid)
    finally:
        db.dispose()
    return state


def check_no_partial_records(raw: sqlite3.Connection) -> None:
    partial = raw.execute(
        """
        SELECT r.receipt_no, r.amount_paise,
               (SELECT count(*) FROM receipt_line l WHERE l.receipt_uuid = r.uuid),
               (SELECT coalesce(sum(l.amount_paise), 0) FROM receipt_line l WHERE l.receipt_uuid = r.uuid),
               (SELECT count(*) FROM audit_log a WHERE a.action = 'receipt.create' AND a.entity_id = r.uuid),
               (SELECT count(*) FROM outbox o WHERE o.kind = 'receipt.created' AND o.entity_uuid = r.uuid)
        FROM receipt r
        """
    ).fetchall()
    for receipt_no, amount, lines, total, audits, outbox in partial:
        assert lines >= 1 and total == amount, f"{receipt_no}: {lines} lines summing to {total}, amount {amount}"
        assert (audits, outbox) == (1, 1), f"{receipt_no}: {audits} audit entries, {outbox} outbox rows"
    for uuid, kind, audits, outbox in raw.execute(
        """
        SELECT c.uuid, c.kind,
               (SELECT count(*) FROM audit_log a
                 WHERE a.action = 'receipt.' || lower(c.kind) AND a.entity_id = c.receipt_uuid),
               (SELECT count(*) FROM outbox o WHERE o.kind = 'receipt.' || lower(c.kind) AND o.entity_uuid = c.uuid)
        FROM receipt_cancellation c
        """
    ):
        assert (audits, outbox) == (1, 1), f"{kind} {uuid}: {audits} audit entries, {outbox} outbox rows"
    orphans = raw.execute(
        """
        SELECT (SELECT count(*) FROM receipt_line WHERE receipt_uuid NOT IN (SELECT uuid FROM receipt)),
               (SELECT count(*) FROM audit_log WHERE action = 'receipt.create'
                  AND entity_id NOT IN (SELECT uuid FROM receipt)),
               (SELECT count(*) FROM outbox WHERE kind = 'receipt.created'
                  AND entity_uuid NOT IN (SELECT uuid FROM receipt)),
               (SELECT count(*) FROM outbox WHERE kind IN ('receipt.cancelled', 'receipt.dishonoured')
                  AND entity_uuid NOT IN (SELECT uuid FROM receipt_cancellation))
        """
    ).fetchone()
    assert orphans == (0, 0, 0, 0), f"rows without their receipt (lines, audit, outbox, cancel outbox): {orphans}"
    # The outbox follows the receipts' order: the central receives them in number order.
    order = [
        row[0]
        for row in raw.execute(
            "SELECT r.seq FROM outbox o JOIN receipt r ON r.uuid = o.entity_uuid "
            "WHERE o.kind = 'receipt.created' ORDER BY o.device_seq"
        )
    ]
    assert order == sorted(order), "outbox rows out of receipt order"


def check_durability(raw: sqlite3.Connection, reported: Reported) -> None:
    stored = {
        uuid: (no, amount) for uuid, no, amount in raw.execute("SELECT uuid, receipt_no, amount_paise FROM receipt")
    }
    lost = {uuid: value for uuid, value in reported.receipts.items() if stored.get(uuid) != value}
    assert not lost, f"receipts reported as committed but not in the database: {lost}"
    kinds = dict(raw.execute("SELECT receipt_uuid, kind FROM receipt_cancellation").fetchall())
    lost_cancels = {uuid: kind for uuid, kind in reported.cancellations.items() if kinds.get(uuid) != kind}
    assert not lost_cancels, f"cancellations reported as committed but not in the database: {lost_cancels}"


def check_series(session: Session) -> None:
    receipts = list(session.scalars(select(Receipt).order_by(Receipt.series_key, Receipt.seq)))
    lines: dict[str, list[AllocatedLine]] = {}
    for line in session.scalars(select(ReceiptLine).order_by(ReceiptLine.receipt_uuid, ReceiptLine.ordinal)):
        lines.setdefault(line.receipt_uuid, []).append(AllocatedLine(line.fy, Head(line.head), line.amount_paise))
    by_series: dict[str, list[Receipt]] = {}
    for receipt in receipts:
        by_series.setdefault(receipt.series_key, []).append(receipt)
    series_rows = {s.series_key: s for s in session.scalars(select(ReceiptSeries))}
    assert set(by_series) <= set(series_rows), "a receipt in a series that has no counter row"
    for key, row in series_rows.items():
        members = by_series.get(key, [])
        seqs = [r.seq for r in members]
        assert seqs == list(range(1, len(members) + 1)), f"{key}: gap or duplicate in {seqs}"
        assert row.last_seq == len(members), f"{key}: last_seq {row.last_seq} but {len(members)} receipts"
        prev = GENESIS_HASH
        for receipt in members:
            assert receipt.receipt_no == f"{key}/{receipt.seq:06d}"
            assert receipt.prev_hash == prev, f"{receipt.receipt_no}: prev_hash does not link to the previous receipt"
            content = receipt_hash_content(receipt_values(receipt), tuple(lines[receipt.uuid]))
            assert receipt.hash == chain_hash(prev, content), f"{receipt.receipt_no}: hash does not verify"
            prev = receipt.hash
        if members:
            assert row.last_hash == members[-1].hash, f"{key}: last_hash is not the hash of receipt {len(members)}"


def paid_by_sql(raw: sqlite3.Connection) -> dict[tuple[str, str, str], int]:
    """(property, fy, head) -> what the lines of receipts not cancelled paid. A REBATE line is a discount
    the citizen did not pay (the PROPERTY_TAX line of that receipt already settles the whole tax)."""
    paid: Counter[tuple[str, str, str]] = Counter()
    for property_uuid, fy, head, amount in raw.execute(
        """
        SELECT r.property_uuid, l.fy, l.head, sum(l.amount_paise)
        FROM receipt_line l JOIN receipt r ON r.uuid = l.receipt_uuid
        WHERE NOT EXISTS (SELECT 1 FROM receipt_cancellation c WHERE c.receipt_uuid = r.uuid)
        GROUP BY r.property_uuid, l.fy, l.head
        """
    ):
        paid[(property_uuid, fy, head)] += amount
    return dict(paid)


def check_demands(db: Database, dues_service: DuesService, paid: dict[tuple[str, str, str], int]) -> None:
    with db.read() as session:
        raised: dict[str, dict[tuple[str, str], int]] = {}
        for demand in session.scalars(select(Demand)):
            raised.setdefault(demand.property_uuid, {})[(demand.fy, demand.head)] = demand.amount_paise
    tax_heads = {head.value for head in TAX_HEADS}
    for property_uuid, demands in raised.items():
        dues = dues_service.dues(property_uuid, BUSINESS_DAY)
        still_due = {(line.fy, line.head.value): line.due_paise for line in dues.lines}
        for (fy, head), amount in demands.items():
            settled = paid.get((property_uuid, fy, head), 0)
            assert amount - still_due.get((fy, head), 0) == settled, (
                f"property {property_uuid} {fy} {head}: demand {amount}, still due "
                f"{still_due.get((fy, head), 0)}, but receipts paid {settled}"
            )
            assert 0 <= settled <= amount, f"property {property_uuid} {fy} {head}: paid {settled} of {amount}"
        for line in dues.lines:  # surcharge and penalty accrue, they are not demand rows
            if line.head.value not in tax_heads:
                assert line.paid_paise == paid.get((property_uuid, line.fy, line.head.value), 0)
        advance = sum(v for (p, _, head), v in paid.items() if p == property_uuid and head == Head.ADVANCE.value)
        assert dues.advance_paise == advance >= 0, (
            f"property {property_uuid}: advance {dues.advance_paise} != {advance}"
        )


def check_run(before: State, after: State, result: RunResult) -> None:
    """What the kill point allows to be committed beyond what was reported."""
    extra_receipts = after.receipts - before.receipts - result.receipts
    extra_cancellations = after.cancellations - before.cancellations - result.cancellations
    if result.how == "in_tx":
        _, where, operation = result.last_pause.split()
        committed_unreported = where == "after_commit"
        assert extra_receipts == int(committed_unreported and operation == "R"), (result, extra_receipts)
        assert extra_cancellations == int(committed_unreported and operation == "X"), (result, extra_cancellations)
    elif result.how == "finish":
        assert (extra_receipts, extra_cancellations) == (0, 0), result
    else:  # killed between COMMIT and its report line at most once
        assert extra_receipts >= 0 and extra_cancellations >= 0, result
        assert extra_receipts + extra_cancellations <= 1, (result, extra_receipts, extra_cancellations)


# -- the test -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_while_collecting_never_leaves_a_partial_receipt_or_a_gap(data_dir: Path) -> None:
    build_device(data_dir)
    rng = random.Random(SEED)
    reported = Reported()
    state = check_database(data_dir, reported)
    ways = ["delay", "after_commit_line", "delay", "in_tx:flush", "in_tx:commit", "in_tx:after_commit"]
    plan = [ways[i % len(ways)] for i in range(KILLS)]
    rng.shuffle(plan)
    landed: Counter[str] = Counter()
    checking = 0.0
    worker = Worker(data_dir)
    try:
        for run_no, how in enumerate([*plan, "finish"]):
            result = one_run(worker, reported, rng, run_no, how)
            started = time.perf_counter()
            after = check_database(data_dir, reported)
            checking += time.perf_counter() - started
            check_run(state, after, result)
            state = after
            landed[result.last_pause.split()[1] if result.last_pause else how] += 1
    finally:
        worker.close()
    print(
        f"\ncrash test: {KILLS} kills landed {dict(landed)}; {state}; "
        f"{len(reported.receipts)} reported; checks took {checking:.1f} s"
    )
    # The kills really landed everywhere we meant them to, and the worker really collected.
    assert min(landed["flush"], landed["commit"], landed["after_commit"]) >= 5, landed
    assert state.receipts >= 50, state
    assert len(reported.receipts) >= state.receipts - KILLS
    assert state.cancellations >= 1, state
