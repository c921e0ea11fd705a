"""The invariants that say "nothing was lost or duplicated" (sync-research.md §4), checked after healing.

Compares the central's PostgreSQL receipts with the receipts in every device's SQLite file:

- I1  the central's receipt uuids (of these devices' series) == the union of the devices' uuids, and
      the same for their cancellations/dishonours (uuid, receipt, kind);
- I2  no uuid twice, no (series, seq) twice — on the central and across the devices;
- I3  per (series, business day): count and sum equal on both sides; every chain verifies on the
      device AND on the central (hash recomputed from the stored columns and lines, prev_hash linked,
      seq gapless from 1);
- I4  no device outbox holds a pending operation (quarantined ones are reported, and fail the
      check unless the test expects them).

I5 (master data: applied or a sync_conflict) is not checked here: these tests make no master edits.

Reads the device files directly (sqlite3, read-only) and the central with psycopg: the checker
shares no code with the sync engine or the central it judges, except the hash definition
(app.collections.numbering.chain_hash + app.collections.service.receipt_hash_content).
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from app.collections.numbering import GENESIS_HASH, chain_hash
from app.collections.service import receipt_hash_content
from app.db.engine import DB_FILE_NAME
from app.demand.dto import AllocatedLine, Head


@dataclass(frozen=True)
class ReceiptRow:
    uuid: str
    series_key: str
    seq: int
    receipt_no: str
    property_uuid: str
    collected_at: datetime
    business_date: str
    mode: str
    amount_paise: int
    instrument_no: str
    prev_hash: str
    hash: str
    lines: tuple[tuple[str, str, int], ...]  # (fy, head, amount_paise) in ordinal order


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    central_count: int = 0
    device_count: int = 0
    pending: int = 0
    quarantined: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        head = f"central {self.central_count} receipts, devices {self.device_count}, pending {self.pending}"
        return head if self.ok else head + "\n  " + "\n  ".join(self.problems[:40])


def plain_pg_url(url: str) -> str:
    """psycopg wants postgresql://; SQLAlchemy URLs say postgresql+psycopg://."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:  # the device stores UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _hash_of(row: ReceiptRow) -> str:
    values = {
        "uuid": row.uuid,
        "receipt_no": row.receipt_no,
        "property_uuid": row.property_uuid,
        "collected_at": row.collected_at,
        "business_date": row.business_date,
        "mode": row.mode,
        "amount_paise": row.amount_paise,
        "instrument_no": row.instrument_no,
    }
    lines = tuple(AllocatedLine(fy, Head(head), amount) for fy, head, amount in row.lines)
    return chain_hash(row.prev_hash, receipt_hash_content(values, lines))


def verify_chains(rows: list[ReceiptRow], where: str) -> list[str]:
    """Each series: seq 1..n without gaps, prev_hash = previous hash, hash recomputes."""
    problems: list[str] = []
    by_series: dict[str, list[ReceiptRow]] = defaultdict(list)
    for row in rows:
        by_series[row.series_key].append(row)
    for key, series in by_series.items():
        series.sort(key=lambda r: r.seq)
        previous, expected_seq = GENESIS_HASH, 1
        for row in series:
            if row.seq != expected_seq:
                problems.append(f"{where}: series {key} has seq {row.seq} where {expected_seq} was due (gap)")
            if row.prev_hash != previous:
                problems.append(f"{where}: {row.receipt_no} prev_hash does not link to the previous receipt")
            if _hash_of(row) != row.hash:
                problems.append(f"{where}: {row.receipt_no} hash does not recompute (altered content)")
            previous, expected_seq = row.hash, row.seq + 1
    return problems


# -- reading the two sides ------------------------------------------------------------------------------


def device_receipts(data_dir: Path) -> list[ReceiptRow]:
    conn = sqlite3.connect(f"file:{data_dir / DB_FILE_NAME}?mode=ro", uri=True, timeout=30)
    try:
        lines: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for uuid, fy, head, amount in conn.execute(
            "SELECT receipt_uuid, fy, head, amount_paise FROM receipt_line ORDER BY receipt_uuid, ordinal"
        ):
            lines[uuid].append((fy, head, amount))
        return [
            ReceiptRow(
                uuid=r[0],
                series_key=r[1],
                seq=r[2],
                receipt_no=r[3],
                property_uuid=r[4],
                collected_at=_utc(r[5]),
                business_date=r[6],
                mode=r[7],
                amount_paise=r[8],
                instrument_no=r[9],
                prev_hash=r[10],
                hash=r[11],
                lines=tuple(lines[r[0]]),
            )
            for r in conn.execute(
                "SELECT uuid, series_key, seq, receipt_no, property_uuid, collected_at, business_date, mode,"
                " amount_paise, instrument_no, prev_hash, hash FROM receipt"
            )
        ]
    finally:
        conn.close()


def device_cancellations(data_dir: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(f"file:{data_dir / DB_FILE_NAME}?mode=ro", uri=True, timeout=30)
    try:
        return {(r[0], r[1], r[2]) for r in conn.execute("SELECT uuid, receipt_uuid, kind FROM receipt_cancellation")}
    finally:
        conn.close()


def central_cancellations(pg_url: str, receipt_uuids: set[str]) -> list[tuple[str, str, str]]:
    with psycopg.connect(plain_pg_url(pg_url)) as conn:
        rows = conn.execute(
            "SELECT uuid, receipt_uuid, kind FROM receipt_cancellation WHERE receipt_uuid = ANY(%s)",
            (sorted(receipt_uuids),),
        ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def device_outbox_state(data_dir: Path) -> tuple[int, int]:
    """(pending, quarantined) operations in the device's outbox, whatever columns it has now: a
    `state` column if the sync engine added one, else acknowledged_at IS NULL means pending."""
    conn = sqlite3.connect(f"file:{data_dir / DB_FILE_NAME}?mode=ro", uri=True, timeout=30)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(outbox)")}
        if "state" in columns:
            counts = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
            return int(counts.get("pending", 0)), int(counts.get("quarantined", 0))
        pending = conn.execute("SELECT count(*) FROM outbox WHERE acknowledged_at IS NULL").fetchone()[0]
        return int(pending), 0
    finally:
        conn.close()


def central_receipts(pg_url: str, series_keys: set[str] | None = None) -> list[ReceiptRow]:
    """The central's receipts of the given series (all device receipts when None)."""
    with psycopg.connect(plain_pg_url(pg_url)) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        where = "WHERE r.series_key = ANY(%s)" if series_keys is not None else "WHERE r.device_id <> ''"
        params: tuple[Any, ...] = (sorted(series_keys),) if series_keys is not None else ()
        lines: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for uuid, fy, head, amount in conn.execute(
            "SELECT l.receipt_uuid, l.fy, l.head, l.amount_paise FROM receipt_line l"
            f" JOIN receipt r ON r.uuid = l.receipt_uuid {where} ORDER BY l.receipt_uuid, l.ordinal",
            params,
        ):
            lines[uuid].append((fy, head, int(amount)))
        rows = conn.execute(
            "SELECT r.uuid, r.series_key, r.seq, r.receipt_no, r.property_uuid, r.collected_at,"
            " r.business_date, r.mode, r.amount_paise, r.instrument_no, r.prev_hash, r.hash"
            f" FROM receipt r {where}",
            params,
        ).fetchall()
        return [
            ReceiptRow(
                uuid=r[0],
                series_key=r[1],
                seq=r[2],
                receipt_no=r[3],
                property_uuid=r[4],
                collected_at=_utc(r[5]),
                business_date=r[6].isoformat() if hasattr(r[6], "isoformat") else str(r[6]),
                mode=r[7],
                amount_paise=int(r[8]),
                instrument_no=r[9],
                prev_hash=r[10],
                hash=r[11],
                lines=tuple(lines[r[0]]),
            )
            for r in rows
        ]


# -- the check -----------------------------------------------------------------------------------------


def _day_totals(rows: list[ReceiptRow]) -> dict[tuple[str, str], tuple[int, int]]:
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        entry = totals[(row.series_key, row.business_date)]
        entry[0] += 1
        entry[1] += row.amount_paise
    return {key: (v[0], v[1]) for key, v in totals.items()}


def check_invariants(
    pg_url: str,
    device_dirs: list[Path],
    *,
    expect_quarantined: int = 0,
    allow_pending: bool = False,
) -> Verdict:
    """I1–I4 between the central at `pg_url` and the device data folders (see the module doc)."""
    verdict = Verdict()
    device_rows: list[ReceiptRow] = []
    device_taken_back: set[tuple[str, str, str]] = set()
    for data_dir in device_dirs:
        device_taken_back |= device_cancellations(data_dir)
        rows = device_receipts(data_dir)
        verdict.problems += verify_chains(rows, f"device {data_dir.name}")
        device_rows += rows
        pending, quarantined = device_outbox_state(data_dir)
        verdict.pending += pending
        verdict.quarantined += quarantined
    verdict.device_count = len(device_rows)
    series = {row.series_key for row in device_rows}
    central_rows = central_receipts(pg_url, series)
    verdict.central_count = len(central_rows)

    # I2: no uuid twice, no (series, seq) twice.
    for side, rows in (("central", central_rows), ("devices", device_rows)):
        for uuid, n in Counter(r.uuid for r in rows).items():
            if n > 1:
                verdict.problems.append(f"I2 {side}: receipt {uuid} is there {n} times")
        for (key, seq), n in Counter((r.series_key, r.seq) for r in rows).items():
            if n > 1:
                verdict.problems.append(f"I2 {side}: number {key}/{seq:06d} is there {n} times")

    # I1: the same receipts on both sides.
    central_uuids = {r.uuid for r in central_rows}
    device_uuids = {r.uuid for r in device_rows}
    for uuid in sorted(device_uuids - central_uuids)[:20]:
        verdict.problems.append(f"I1: receipt {uuid} is on a device but not on the central (lost)")
    for uuid in sorted(central_uuids - device_uuids)[:20]:
        verdict.problems.append(f"I1: receipt {uuid} is on the central but on no device")
    if device_uuids != central_uuids:
        verdict.problems.append(
            f"I1: {len(device_uuids - central_uuids)} missing on the central, {len(central_uuids - device_uuids)} extra"
        )

    central_taken_back = central_cancellations(pg_url, device_uuids)
    if len(central_taken_back) != len(set(central_taken_back)) or set(central_taken_back) != device_taken_back:
        verdict.problems.append(
            f"I1: cancellations differ: {len(device_taken_back)} on the devices, {len(central_taken_back)} on the "
            f"central ({sorted(device_taken_back ^ set(central_taken_back))[:5]})"
        )

    # I3: the central holds exactly what the device made (columns and lines), days add up, chains verify.
    by_uuid = {r.uuid: r for r in device_rows}
    altered = [r.uuid for r in central_rows if r.uuid in by_uuid and r != by_uuid[r.uuid]]
    for uuid in altered[:10]:
        verdict.problems.append(f"I3: receipt {uuid} differs between the central and its device")
    device_days, central_days = _day_totals(device_rows), _day_totals(central_rows)
    for day_key in sorted(set(device_days) | set(central_days)):
        if device_days.get(day_key) != central_days.get(day_key):
            verdict.problems.append(
                f"I3: series {day_key[0]} day {day_key[1]}: device (count, sum) {device_days.get(day_key)} "
                f"!= central {central_days.get(day_key)}"
            )
    verdict.problems += verify_chains(central_rows, "central")

    # I4: nothing left to send; quarantine only where the test made it.
    if verdict.pending and not allow_pending:
        verdict.problems.append(f"I4: {verdict.pending} outbox operations still pending")
    if verdict.quarantined != expect_quarantined:
        verdict.problems.append(f"I4: {verdict.quarantined} quarantined operations (expected {expect_quarantined})")
    return verdict
