"""The device's cheap push path writes what the pydantic path wrote: `push_body` (ops read with the
driver's cursor, each payload sent as the canonical text the outbox stores) gives the body
`PushRequest.model_dump_json()` gave for the same rows, and `parse_push_reply` builds the reply
`PushResponse.model_validate_json` built (or steps aside for it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session

from app.db.base import Base, table_of
from app.outbox.models import OutboxOperation
from app.outbox.service import canonical_json, payload_hash
from sync.client import parse_push_reply
from sync.outbox_ops import pending_batch, push_body
from sync.protocol import Lane, Op, PushRequest, PushResponse

PAYLOADS: list[dict[str, Any]] = [
    {"uuid": "u-1", "amount_paise": 50_000, "payer_name": "रमेश कुमार", "lines": [{"fy": "2026-27", "head": "P"}]},
    {"z": None, "a": True, "m": [], "n": {}, "q": 'quote " back \\ slash', "t": "tab\tnew\nline\x01\u2028"},
    {"big": 2**62, "neg": -5, "nested": {"b": [1, {"c": "d"}], "a": "é"}},
    {"emoji": "🙂", "zero": 0, "empty": ""},
    {},
]
FLOATS: list[dict[str, Any]] = [{"f": 1.5, "g": 0.1, "h": 1e20, "i": -2.5e-7}]
MOMENTS: list[datetime | None] = [
    None,
    datetime(2026, 11, 28, 10, 15, tzinfo=UTC),
    datetime(2026, 11, 28, 10, 15, 0, 123000, tzinfo=UTC),
    datetime(2026, 11, 28, 4, 45, 59, 5, tzinfo=UTC),
]


def _old_op(row: OutboxOperation) -> Op:
    """The Op as sync.outbox_ops built it before (std json, model_construct)."""
    payload = json.loads(row.payload_json)
    return Op.model_construct(
        op_id=row.op_uuid,
        device_seq=row.device_seq,
        kind=row.kind,
        entity_uuid=row.entity_uuid,
        payload=payload,
        payload_sha256=row.payload_sha256 or payload_hash(payload),
        device_time=row.device_time or row.created_at,
        base_version=row.base_version,
        base_values=None if row.base_values_json is None else json.loads(row.base_values_json),
    )


def _outbox(payloads: list[dict[str, Any]]) -> Session:
    engine = create_engine("sqlite://")
    table = table_of(OutboxOperation)
    Base.metadata.create_all(engine, tables=[table])
    session = Session(engine)
    rows = []
    seq = 0
    for payload in payloads:
        for moment in MOMENTS:
            for base in (None, (3, {"owner_name": "राम", "area": "12.50"})):
                seq += 1
                rows.append(
                    {
                        "device_seq": seq,
                        "op_uuid": f"op-{seq}",
                        "kind": "receipt.created" if base is None else "property.updated",
                        "entity_uuid": f"e-{seq}",
                        "payload_json": canonical_json(payload),
                        "payload_sha256": "" if seq % 5 == 0 else payload_hash(payload),  # '' as before issue 4
                        "created_at": datetime(2026, 11, 27, 23, 59, 59, 999999, tzinfo=UTC),
                        "device_time": moment,
                        "lane": int(Lane.MONEY),
                        "base_version": None if base is None else base[0],
                        "base_values_json": None if base is None else canonical_json(base[1]),
                    }
                )
    session.execute(insert(table), rows)
    session.commit()
    return session


@pytest.mark.parametrize("payloads", [PAYLOADS, FLOATS], ids=["plain", "floats"])
def test_push_body_is_what_pydantic_wrote(payloads: list[dict[str, Any]]) -> None:
    session = _outbox(payloads)
    stored = session.query(OutboxOperation).order_by(OutboxOperation.device_seq).all()
    batch = pending_batch(session, Lane.MONEY, 500)
    assert [item.device_seq for item in batch] == [row.device_seq for row in stored]
    old_ops = [_old_op(row) for row in stored]
    body = push_body("batch-1", batch)
    old_body = PushRequest.model_construct(batch_id="batch-1", ops=old_ops).model_dump_json().encode()
    if payloads is PAYLOADS:
        assert body == old_body  # byte for byte
    # Always: the same JSON values, each payload the outbox's canonical text, the hash of it.
    assert orjson.loads(body) == orjson.loads(old_body)
    for item, row in zip(batch, stored, strict=True):
        assert canonical_json(orjson.loads(orjson.dumps(item.wire))["payload"]) == row.payload_json
        assert f'"payload":{row.payload_json},'.encode() in orjson.dumps(item.wire)
        assert item.op == _old_op(row)
        assert (item.op_id, item.kind, item.entity_uuid) == (row.op_uuid, row.kind, row.entity_uuid)
    # The central reads it as before.
    assert PushRequest.model_validate_json(body) == PushRequest.model_validate_json(old_body)
    assert len(pending_batch(session, Lane.MONEY, 3, after_seq=2)) == 3
    assert pending_batch(session, Lane.OTHER, 500) == []


def _reply(results: list[Any], **extra: Any) -> bytes:
    body = {"results": results, "last_device_seq": 9, "server_time": "2026-11-28T10:15:00.5Z", "server_epoch": "e1"}
    body.update(extra)
    return orjson.dumps(body)


PLAIN = {"op_id": "op-1", "device_seq": 1, "status": "accepted"}
REPLIES: list[bytes] = [
    _reply([]),
    _reply([PLAIN, {"op_id": "op-2", "device_seq": 2, "status": "duplicate"}]),
    _reply([{**PLAIN, "flags": ["late_arrival", "clock_skew"]}, {**PLAIN, "flags": []}]),
    _reply([{**PLAIN, "status": "quarantined", "message": "op_id reused"}]),
    _reply([{**PLAIN, "status": "conflict", "server_version": 4, "merged": {"a": 1}, "conflict_uuid": "c"}]),
    _reply([{**PLAIN, "device_seq": "1"}]),  # pydantic coerces: the fast path steps aside
    _reply([{**PLAIN, "device_seq": 1.0}]),
    _reply([{**PLAIN, "status": "lost"}]),
    _reply([{**PLAIN, "flags": [1]}]),
    _reply([{**PLAIN, "extra": 1}]),
    _reply([PLAIN], last_device_seq="9"),
    _reply([PLAIN], server_time="2026-11-28 10:15:00"),
    _reply([PLAIN], server_time="2026-11-28T10:15:00+05:30"),
    _reply([PLAIN], server_time="yesterday"),
    _reply([PLAIN], more=1),
    b'{"results": [], "last_device_seq": 1, "server_time": "2026-11-28T10:15:00Z", "server_epoch": "e"',
    b"[]",
]


@pytest.mark.parametrize("content", REPLIES)
def test_parse_push_reply_is_model_validate_json(content: bytes) -> None:
    try:
        expected: PushResponse | None = PushResponse.model_validate_json(content)
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(ValueError):
            parse_push_reply(content)
        return
    got = parse_push_reply(content)
    assert got == expected
    assert got.model_fields_set == expected.model_fields_set
    assert got.server_time == expected.server_time and got.server_time.utcoffset() == expected.server_time.utcoffset()
    for mine, theirs in zip(got.results, expected.results, strict=True):
        assert mine.model_fields_set == theirs.model_fields_set
        assert mine.model_dump_json(exclude_defaults=True) == theirs.model_dump_json(exclude_defaults=True)
        assert mine.model_dump_json() == theirs.model_dump_json()
