"""A collecting process for the crash test (tests/e2e/test_crash_collect.py). Test code only.

It collects receipts in a loop on a real device database through the real services (full, part and
over-payments by cash, UPI, cheque and DD over every property, now and then a supervisor's
cancellation or a cheque dishonour) and prints one line, flushed, after each committed operation:

    R <receipt_no> <receipt uuid> <amount_paise>      a receipt was committed
    X <receipt uuid> <CANCELLED|DISHONOURED>           a cancellation/dishonour was committed
    T <flush|commit|after_commit> <R|X>                paused inside (or right after) a transaction

The `T` lines come from the fault-injection hook, installed in THIS process only (never in app/):
SQLAlchemy listeners that, with probability `pause`, announce themselves and sleep — after a flush
(rows written, transaction open), just before COMMIT is sent to SQLite, and right after COMMIT
(committed but not yet reported). The test kills the process with SIGKILL while it sleeps there.

Two ways to run:
- `python -m tests.e2e.crash_worker run --data-dir D [--seed N] [--max N] [--pause P] [--minute M] [--where W]`:
  one collecting run in this process (NIKAY_CRASH_TX_PAUSE sets the pause probability too);
- `python -m tests.e2e.crash_worker serve --data-dir D`: a fork server. Importing SQLAlchemy and the
  services takes seconds on the office PC, so the server imports once and, for each
  `RUN <seed> <max> <pause> <minute> <where>` line on stdin, forks a fresh collecting process (which opens the
  database itself: nothing database-related exists before the fork), prints `PID <pid>`, waits for
  it and prints `EXIT <pid> <status>`. `QUIT` or end of input stops it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.collections.dto import CollectRequest, Mode, Payment
from app.collections.models import Receipt, ReceiptCancellation
from app.collections.service import CollectionService
from app.core.clock import FixedClock
from app.core.ids import new_uuid
from app.db import open_database
from app.demand.service import DuesService
from app.errors import ConflictError
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.property.models import Property
from app.security.passwords import fast_hasher
from app.security.service import UserService

BUSINESS_DAY = date(2026, 6, 15)  # inside the first rebate window of FY 2026-27; arrears are surcharged
CLERK = "clerk1"
SUPERVISOR = "supervisor1"
BANKS = (("State Bank of India", "Raipur Main"), ("Bank of Baroda", "Bilaspur"), ("Punjab National Bank", "Durg"))


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class FaultHook:
    """Pauses (after announcing it) inside transactions so that a SIGKILL lands there."""

    def __init__(self, rng: random.Random, probability: float, where: str = "any") -> None:
        self._rng = rng
        self._probability = probability
        self._where = where  # flush, commit, after_commit or any
        self.operation = "-"

    def install(self) -> None:
        if self._probability <= 0:
            return
        event.listen(Session, "after_flush", lambda *_: self._maybe_pause("flush"))
        event.listen(Engine, "commit", lambda *_: self._maybe_pause("commit"))  # fires before COMMIT
        event.listen(Session, "after_commit", lambda *_: self._maybe_pause("after_commit"))

    def _maybe_pause(self, where: str) -> None:
        if self.operation == "-" or self._where not in ("any", where) or self._rng.random() >= self._probability:
            return
        emit(f"T {where} {self.operation}")
        time.sleep(self._rng.uniform(0.03, 0.08))


def _payment(rng: random.Random, amount: int, today: date) -> Payment:
    roll = rng.random()
    if roll < 0.45:
        tendered = None
        if rng.random() < 0.6:
            step = rng.choice((100_00, 500_00, 2000_00))
            tendered = -(-amount // step) * step
        return Payment(Mode.CASH, tendered_paise=tendered)
    if roll < 0.75:
        utr = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(12))
        return Payment(Mode.UPI, instrument_no=utr)
    bank, branch = rng.choice(BANKS)
    return Payment(
        Mode.CHEQUE if roll < 0.92 else Mode.DD,
        instrument_no=f"{rng.randrange(1, 999_999):06d}",
        instrument_date=today - timedelta(days=rng.randrange(0, 60)),
        bank=bank,
        branch=branch,
    )


def _amount(rng: random.Random, payable: int) -> int:
    if payable <= 0:
        return rng.randrange(100, 600) * 100  # nothing due: an advance
    roll = rng.random()
    if roll < 0.25:
        return payable  # full payment (the rebate applies if the whole current year is in it)
    if roll < 0.35:
        return payable + rng.randrange(1, 500) * 100  # overpayment: advance credit
    return max(100, rng.randrange(5, 80) * payable // 100)  # part payment, oldest year first


def run(data_dir: Path, seed: int, max_operations: int, pause: float, minute: int, where: str = "any") -> int:
    rng = random.Random(seed)
    hook = FaultHook(rng, pause, where)
    hook.install()
    # Each run starts later in the same business day, so collected_at keeps moving forward.
    start = FixedClock.on_ist_date(BUSINESS_DAY).current + timedelta(minutes=minute)
    clock = FixedClock(start, tick=timedelta(milliseconds=1))
    db = open_database(data_dir, migrate=False)  # the test migrated it; a restart finds it at head
    device = MastersService(db).device()
    audit = AuditLog(clock, device.device_no)
    users = UserService(db, audit, clock, hasher=fast_hasher())
    dues = DuesService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit)
    collections = CollectionService(db, dues, device, audit, Outbox(clock), clock)
    clerk = users.actor_for(CLERK, device.device_no)
    supervisor = users.actor_for(SUPERVISOR, device.device_no)
    with db.read() as session:
        properties = list(session.scalars(select(Property.uuid).order_by(Property.property_id)))
    today = collections.today()
    emit("READY")
    for _ in range(max_operations):
        if rng.random() < 0.06:
            _take_back(rng, hook, db, collections, clerk, supervisor)
            continue
        property_uuid = rng.choice(properties)
        amount = _amount(rng, dues.dues(property_uuid, today).payable_paise)
        request = CollectRequest(property_uuid, amount, _payment(rng, amount, today), new_uuid())
        hook.operation = "R"
        receipt = collections.collect(clerk, request)
        hook.operation = "-"
        emit(f"R {receipt.receipt_no} {receipt.uuid} {receipt.amount_paise}")
    db.dispose()
    return 0


def _take_back(
    rng: random.Random, hook: FaultHook, db: Any, collections: CollectionService, clerk: Any, supervisor: Any
) -> None:
    with db.read() as session:
        live = list(
            session.execute(
                select(Receipt.uuid, Receipt.mode)
                .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
                .where(ReceiptCancellation.uuid.is_(None))
            )
        )
    if not live:
        return
    uuid, mode = rng.choice(live)
    hook.operation = "X"
    try:
        if mode in (Mode.CHEQUE.value, Mode.DD.value) and rng.random() < 0.5:
            view = collections.dishonour(supervisor, uuid, "cheque returned unpaid: insufficient funds")
        else:
            view = collections.cancel(clerk, supervisor, uuid, "wrong property selected by the clerk")
    except ConflictError:
        return  # its advance was used by a later receipt: refused, nothing written
    finally:
        hook.operation = "-"
    emit(f"X {view.uuid} {view.cancelled}")


def serve(data_dir: Path) -> int:
    """Fork one collecting process per RUN line; report its pid and how it ended."""
    import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401 - imported lazily by create_engine otherwise
    from sqlalchemy.orm import configure_mappers

    configure_mappers()  # like an import: no database is touched before the fork
    for raw in sys.stdin:
        words = raw.split()
        if not words or words[0] == "QUIT":
            break
        if words[0] != "RUN":
            emit(f"ERROR unknown command {raw.strip()!r}")
            continue
        seed, max_operations, pause, minute, where = (
            int(words[1]),
            int(words[2]),
            float(words[3]),
            int(words[4]),
            words[5],
        )
        gate_read, gate_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the collecting process
            os.close(gate_write)
            os.read(gate_read, 1)  # start only once the server has announced our pid
            os.close(gate_read)
            code = 1
            try:
                code = run(data_dir, seed, max_operations, pause, minute, where)
            except BaseException as error:  # report anything, then die
                detail = "".join(traceback.format_exception(error)).replace("\n", " | ")
                emit(f"ERROR {type(error).__name__}: {error} :: {detail}")
            finally:
                os._exit(code)
        os.close(gate_read)
        emit(f"PID {pid}")
        os.write(gate_write, b"1")
        os.close(gate_write)
        _, status = os.waitpid(pid, 0)
        emit(f"EXIT {pid} {status}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crash_worker")
    parser.add_argument("command", choices=("run", "serve"))
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max", type=int, default=1_000_000)
    parser.add_argument("--pause", type=float, default=float(os.environ.get("NIKAY_CRASH_TX_PAUSE", "0")))
    parser.add_argument("--minute", type=int, default=0)
    parser.add_argument("--where", choices=("any", "flush", "commit", "after_commit"), default="any")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args.data_dir)
    return run(args.data_dir, args.seed, args.max, args.pause, args.minute, args.where)


if __name__ == "__main__":
    sys.exit(main())
