"""Receipt numbers and the tamper-evident chain.

One series per device and financial year: `ULB/OFFICE/Cnn/FY/000123`, gapless, allocated inside
the receipt's own transaction (the series row is bumped under BEGIN IMMEDIATE, so two counters on
one database can never take the same number and a rolled-back receipt leaves no gap). Each receipt
stores the hash of the previous receipt of its series; the central verifies the chain.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.collections.models import ReceiptSeries
from app.db.base import table_of

GENESIS_HASH = "0" * 64
_SERIES = table_of(ReceiptSeries)
_SERIES_HEAD = select(_SERIES.c.last_seq, _SERIES.c.last_hash).where(_SERIES.c.series_key == bindparam("key"))
_ADVANCE = (
    update(_SERIES)
    .where(_SERIES.c.series_key == bindparam("key"), _SERIES.c.last_seq == bindparam("previous"))
    .values(last_seq=bindparam("seq"), last_hash=bindparam("hash"))
)


def series_key(ulb_code: str, office_code: str, device_no: int, fy: str) -> str:
    return f"{ulb_code}/{office_code}/C{device_no:02d}/{fy}"


def receipt_number(key: str, seq: int) -> str:
    return f"{key}/{seq:06d}"


def next_number(session: Session, key: str) -> tuple[int, str]:
    """The next sequence of `key` (a new series starts at 1) and the previous receipt's hash.

    Must run under the write lock (BEGIN IMMEDIATE), and `advance_series` in the same transaction."""
    conn = session.connection()
    row = conn.execute(_SERIES_HEAD, {"key": key}).first()
    if row is None:
        conn.execute(_SERIES.insert(), {"series_key": key, "last_seq": 0, "last_hash": GENESIS_HASH})
        return 1, GENESIS_HASH
    return row.last_seq + 1, row.last_hash or GENESIS_HASH


def advance_series(session: Session, key: str, seq: int, receipt_hash: str) -> None:
    moved = session.connection().execute(_ADVANCE, {"key": key, "previous": seq - 1, "seq": seq, "hash": receipt_hash})
    if moved.rowcount != 1:
        raise RuntimeError(f"receipt series {key} moved under this transaction")


def chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()
