"""Many receipts on a real device file, fast: the first few through CollectionService (the real
transaction), the rest written in one SQLite transaction that reproduces exactly what that
transaction writes for a receipt — receipt row, lines, series head, and the outbox row with the
same canonical payload and hash — chained from the real ones. (The audit log entries are not
reproduced: the sync never reads them.)"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.collections.numbering import chain_hash, receipt_number
from app.collections.service import receipt_hash_content
from app.core.ids import new_uuid
from app.db.engine import DB_FILE_NAME
from app.demand.dto import AllocatedLine, Head
from app.outbox.service import canonical_json, payload_hash

_STORED = "%Y-%m-%d %H:%M:%S.%f"  # how UtcDateTime columns sit in the device file


def clone_receipts(data_dir: Path, count: int, step: timedelta = timedelta(milliseconds=50)) -> int:
    """Append `count` receipts to the device's newest series, each a copy of its last receipt with a
    new identity, number, time and chain hash. The device's own code made that last receipt (so
    session, property and user are real). Returns the last seq."""
    conn = sqlite3.connect(data_dir / DB_FILE_NAME, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA synchronous=OFF")  # a fixture: built once, checked by the sync itself
        conn.execute("BEGIN IMMEDIATE")
        last = conn.execute("SELECT * FROM receipt ORDER BY collected_at DESC, seq DESC LIMIT 1").fetchone()
        if last is None:
            raise ValueError("collect one receipt through the service first")
        template: dict[str, Any] = dict(last)
        line_rows = [
            dict(r)
            for r in conn.execute(
                "SELECT * FROM receipt_line WHERE receipt_uuid = ? ORDER BY ordinal", (template["uuid"],)
            )
        ]
        outbox = dict(conn.execute("SELECT * FROM outbox WHERE entity_uuid = ?", (template["uuid"],)).fetchone())
        base_payload = json.loads(outbox["payload_json"])
        lines = tuple(AllocatedLine(r["fy"], Head(r["head"]), r["amount_paise"]) for r in line_rows)
        key = template["series_key"]
        series = conn.execute("SELECT last_seq, last_hash FROM receipt_series WHERE series_key = ?", (key,)).fetchone()
        seq, head = int(series["last_seq"]), str(series["last_hash"])
        moment = datetime.strptime(template["collected_at"], _STORED).replace(tzinfo=None)
        receipts: list[dict[str, Any]] = []
        line_out: list[tuple[Any, ...]] = []
        ops: list[tuple[Any, ...]] = []
        from datetime import UTC

        for _ in range(count):
            seq += 1
            moment += step
            aware = moment.replace(tzinfo=UTC)
            values = {
                **template,
                "uuid": new_uuid(),
                "request_uuid": new_uuid(),
                "receipt_no": receipt_number(key, seq),
                "seq": seq,
                "collected_at": aware,
                "prev_hash": head,
            }
            values["hash"] = chain_hash(head, receipt_hash_content(values, lines))
            head = values["hash"]
            payload = {
                **base_payload,
                "uuid": values["uuid"],
                "receipt_no": values["receipt_no"],
                "seq": seq,
                "collected_at": aware.isoformat(),
                "prev_hash": values["prev_hash"],
                "hash": values["hash"],
            }
            stored_time = moment.strftime(_STORED)
            receipts.append({**values, "collected_at": stored_time})
            line_out += [(values["uuid"], r["ordinal"], r["fy"], r["head"], r["amount_paise"]) for r in line_rows]
            ops.append(
                (
                    new_uuid(),
                    "receipt.created",
                    values["uuid"],
                    canonical_json(payload),
                    stored_time,
                    stored_time,
                    "pending",
                    outbox["lane"],
                    payload_hash(payload),
                )
            )
        columns = list(template)
        conn.executemany(
            f"INSERT INTO receipt ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(r[c] for c in columns) for r in receipts],
        )
        conn.executemany(
            "INSERT INTO receipt_line (receipt_uuid, ordinal, fy, head, amount_paise) VALUES (?, ?, ?, ?, ?)", line_out
        )
        conn.executemany(
            "INSERT INTO outbox (op_uuid, kind, entity_uuid, payload_json, created_at, device_time, state, lane,"
            " payload_sha256, attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '')",
            ops,
        )
        conn.execute("UPDATE receipt_series SET last_seq = ?, last_hash = ? WHERE series_key = ?", (seq, head, key))
        conn.execute("COMMIT")
        return seq
    finally:
        conn.close()
