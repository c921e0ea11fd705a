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

from sqlalchemy.orm import Session

from app.collections.models import ReceiptSeries

GENESIS_HASH = "0" * 64


def series_key(ulb_code: str, office_code: str, device_no: int, fy: str) -> str:
    return f"{ulb_code}/{office_code}/C{device_no:02d}/{fy}"


def receipt_number(key: str, seq: int) -> str:
    return f"{key}/{seq:06d}"


def next_number(session: Session, key: str) -> tuple[int, str]:
    """Take the next sequence of `key` (creating the series at 1). Returns (seq, previous hash)."""
    series = session.get(ReceiptSeries, key)
    if series is None:
        series = ReceiptSeries(series_key=key, last_seq=0, last_hash=GENESIS_HASH)
        session.add(series)
        session.flush()
    return series.last_seq + 1, series.last_hash or GENESIS_HASH


def advance_series(session: Session, key: str, seq: int, receipt_hash: str) -> None:
    series = session.get(ReceiptSeries, key)
    assert series is not None and series.last_seq + 1 == seq, "receipt series moved under us"
    series.last_seq = seq
    series.last_hash = receipt_hash


def chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()
