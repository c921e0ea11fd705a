"""The push's cheap wire path (central.sync.wire) agrees with pydantic and canonical_json."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from central.sync.wire import checked_canonical, op_result, parse_push, payload_canonical, push_response_json
from sync.protocol import Flag, OpResult, OpStatus, PushRequest, PushResponse, canonical_json, payload_sha256

PAYLOADS = [
    {"uuid": "u1", "payer_name": "श्री राम कुमार", "amount_paise": 12345, "lines": [{"fy": "2026-27", "head": "PT"}]},
    {
        "text": 'tab\there\nnew\rline\x00nul\x01\x1f\x7f\u2028\u2029 "q" \\ /',
        "nested": {"z": [1, {"b": None, "a": True}]},
    },
    {"b": 1, "a": {"d": [], "c": {}}, "émoji": "🙂", "big": 2**62, "neg": -5, "f": False},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_orjson_canonical_is_canonical_json(payload: dict) -> None:
    assert payload_canonical(payload) == canonical_json(payload)
    text, ok = checked_canonical(payload, payload_sha256(payload))
    assert ok and text == canonical_json(payload)
    assert checked_canonical(payload, "0" * 64)[1] is False


def test_a_value_orjson_refuses_falls_back() -> None:
    payload = {"huge": 2**70, "float": 1e16}
    text, ok = checked_canonical(payload, payload_sha256(payload))
    assert ok and text == canonical_json(payload)


def _op(seq: int, **extra: object) -> dict:
    payload = PAYLOADS[seq % len(PAYLOADS)]
    return {
        "op_id": f"op-{seq}",
        "device_seq": seq,
        "kind": "receipt.created",
        "entity_uuid": f"e-{seq}",
        "payload": payload,
        "payload_sha256": payload_sha256(payload),
        "device_time": "2026-11-28T10:00:00.123456+05:30",
        **extra,
    }


BODIES = [
    {"batch_id": "b", "ops": [_op(i) for i in range(1, 6)]},
    {"batch_id": "b", "ops": [_op(1, device_time="2026-11-28T10:00:00Z"), _op(2, device_time="2026-11-28T10:00:00")]},
    {"batch_id": "b", "ops": [_op(1, base_version=3, base_values={"a": 1})]},
    {"batch_id": "b", "ops": []},
]
BAD_OR_ODD = [
    {"batch_id": "b", "ops": [_op(1, device_seq=0)]},
    {"batch_id": "b", "ops": [_op(1, device_seq="7")]},
    {"batch_id": "b", "ops": [_op(1, device_seq=True)]},
    {"batch_id": "b", "ops": [_op(1, extra=1)]},
    {"batch_id": "b", "ops": [_op(1, device_time="yesterday")]},
    {"batch_id": "b", "ops": [_op(1, device_time="2026-11-28")]},
    {"batch_id": "b", "ops": [_op(1, payload=[1])]},
    {"batch_id": "b", "ops": [_op(i) for i in range(1, 502)]},
    {"batch_id": 5, "ops": []},
    {"ops": []},
    [1, 2],
]


@pytest.mark.parametrize("body", BODIES + BAD_OR_ODD)
def test_parse_push_is_model_validate_json(body: object) -> None:
    raw = json.dumps(body).encode()
    try:
        expected = PushRequest.model_validate_json(raw)
    except ValidationError as error:
        with pytest.raises(ValidationError) as caught:
            parse_push(raw)
        assert caught.value.errors() == error.errors()
        return
    got = parse_push(raw)
    assert got.model_dump() == expected.model_dump()
    assert got.model_dump_json(exclude_defaults=True) == expected.model_dump_json(exclude_defaults=True)


def test_parse_push_not_json() -> None:
    with pytest.raises(ValidationError):
        parse_push(b"{not json")


def test_push_response_json_is_model_dump_json() -> None:
    response = PushResponse(
        results=[
            OpResult(op_id="a", device_seq=1, status=OpStatus.ACCEPTED),
            OpResult(op_id="b", device_seq=2, status=OpStatus.ACCEPTED, flags=["late_arrival"]),
            OpResult(op_id="c", device_seq=3, status=OpStatus.DUPLICATE, message="receipt already held"),
            OpResult(
                op_id="d",
                device_seq=4,
                status=OpStatus.CONFLICT,
                server_version=2,
                merged={"x": "य"},
                conflict_uuid="u",
            ),
        ],
        last_device_seq=4,
        server_time=datetime(2026, 11, 28, 14, 30, 1, 123456, tzinfo=UTC),
        server_epoch="epoch",
    )
    assert json.loads(push_response_json(response)) == json.loads(response.model_dump_json(exclude_defaults=True))


@pytest.mark.parametrize("flags", [[], [Flag.LATE_ARRIVAL, Flag.CLOCK_SKEW]])
def test_op_result_is_the_validated_model(flags: list[str]) -> None:
    fast = op_result("op", 3, OpStatus.ACCEPTED, list(flags))
    slow = OpResult(op_id="op", device_seq=3, status=OpStatus.ACCEPTED, flags=list(flags))
    assert fast == slow and fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump_json(exclude_defaults=True) == slow.model_dump_json(exclude_defaults=True)
    assert fast.model_copy(update={"status": OpStatus.DUPLICATE}).status == OpStatus.DUPLICATE
