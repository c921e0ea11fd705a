"""The push on the wire, the cheap way: parse and check a PushRequest body without pydantic building
and validating 500 models, and write the PushResponse without pydantic serialising 500 results.

`parse_push` reads the body with orjson and checks each op's few fields by hand; a body it is not
sure of (a type pydantic would coerce, an unknown key, anything odd) goes to
`PushRequest.model_validate_json`, which accepts or rejects it with its usual messages. So the fast
path accepts a subset of what pydantic accepts and builds the very same objects (`model_construct`
of values pydantic would have produced unchanged).

`payload_canonical` is sync.protocol.canonical_json by orjson (byte-identical for the payloads
devices send; the caller falls back to canonical_json when the hash does not match)."""

from __future__ import annotations

import gc
import hashlib
import re
from datetime import datetime
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel

from sync.protocol import MAX_OPS_PER_PUSH, Op, OpResult, OpStatus, PushRequest, PushResponse, canonical_json

M = TypeVar("M", bound=BaseModel)

_new_object = object.__new__
_set = object.__setattr__


def built(cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    """`cls.model_construct(fields_set, **values)` for `values` that hold every field already
    (what model_construct does then, without its per-field loop: a few µs per op and result)."""
    model = _new_object(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_RESULT_FIELDS = frozenset({"op_id", "device_seq", "status", "flags"})


def op_result(op_id: str, device_seq: int, status: OpStatus, flags: list[str]) -> OpResult:
    """OpResult(op_id=…, device_seq=…, status=…, flags=…) for values that are valid by construction."""
    values = {
        "op_id": op_id,
        "device_seq": device_seq,
        "status": status,
        "flags": [str(flag) for flag in flags] if flags else flags,
        "message": "",
        "server_version": None,
        "merged": None,
        "conflict_uuid": None,
    }
    return built(OpResult, values, set(_RESULT_FIELDS))


_OP_FIELDS = frozenset(Op.model_fields)
_REQUIRED = frozenset(name for name, f in Op.model_fields.items() if f.is_required())
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")
_MAX_INT = 2**63 - 1


def _fast_op(raw: Any) -> Op | None:
    if type(raw) is not dict or not _REQUIRED.issubset(raw) or not _OP_FIELDS.issuperset(raw):
        return None
    op_id, seq, kind, entity_uuid = raw["op_id"], raw["device_seq"], raw["kind"], raw["entity_uuid"]
    payload, sha, moment = raw["payload"], raw["payload_sha256"], raw["device_time"]
    if not (type(op_id) is str and type(kind) is str and type(entity_uuid) is str and type(sha) is str):
        return None
    if type(seq) is not int or not 1 <= seq <= _MAX_INT or type(payload) is not dict:
        return None
    if type(moment) is not str or not _MOMENT.fullmatch(moment):
        return None
    base_version = raw.get("base_version")
    base_values = raw.get("base_values")
    if base_version is not None and (type(base_version) is not int or abs(base_version) > _MAX_INT):
        return None
    if base_values is not None and type(base_values) is not dict:
        return None
    try:
        device_time = datetime.fromisoformat(moment)
    except ValueError:
        return None
    values: dict[str, Any] = {
        "op_id": op_id,
        "device_seq": seq,
        "kind": kind,
        "entity_uuid": entity_uuid,
        "payload": payload,
        "payload_sha256": sha,
        "device_time": device_time,
        "base_version": base_version,
        "base_values": base_values,
    }
    return built(Op, values, set(raw))


_GC_TUNED: list[bool] = []  # [True] once tuned


def _tune_gc() -> None:
    """Once per process, at the first push: move what the app holds after start-up (~140k objects:
    modules, SQLAlchemy and pydantic metadata) out of the collector's sight (gc.freeze), and let
    gen-0 run less often. A 500-op push keeps ~20k young objects alive until it answers; with the
    default thresholds they set off a full collection (~45 ms, walking all of start-up) every few
    pushes, the largest single cost of a receipt on the central (py-spy)."""
    if not _GC_TUNED:
        _GC_TUNED.append(True)
        gc.collect()
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)


def parse_push(body: bytes) -> PushRequest:
    """The PushRequest in `body`; raises pydantic.ValidationError exactly as model_validate_json."""
    if not _GC_TUNED:
        _tune_gc()
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        data = None
    if type(data) is dict and set(data) == {"batch_id", "ops"} and type(data["batch_id"]) is str:
        raw_ops = data["ops"]
        if type(raw_ops) is list and len(raw_ops) <= MAX_OPS_PER_PUSH:
            ops = [op for op in map(_fast_op, raw_ops) if op is not None]
            if len(ops) == len(raw_ops):
                return PushRequest.model_construct(None, batch_id=data["batch_id"], ops=ops)
    return PushRequest.model_validate_json(body)


def payload_canonical(payload: dict[str, Any]) -> str:
    """canonical_json(payload), by orjson when it can (see the module doc)."""
    try:
        return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        return canonical_json(payload)


def checked_canonical(payload: dict[str, Any], claimed: str) -> tuple[str, bool]:
    """(the canonical JSON text of `payload`, whether its sha256 is `claimed`). orjson first; on a
    mismatch the reference canonical_json decides (a float orjson writes otherwise, say)."""
    text = payload_canonical(payload)
    if hashlib.sha256(text.encode()).hexdigest() == claimed:
        return text, True
    reference = canonical_json(payload)
    if reference == text:
        return text, False
    return reference, hashlib.sha256(reference.encode()).hexdigest() == claimed


def _result(result: OpResult) -> dict[str, Any]:
    plain = not (
        result.flags
        or result.message
        or result.server_version is not None
        or result.merged is not None
        or result.conflict_uuid is not None
    )
    if plain:
        return {"op_id": result.op_id, "device_seq": result.device_seq, "status": result.status.value}
    out: dict[str, Any] = result.model_dump(mode="json", exclude_defaults=True)
    return out


def push_response_json(response: PushResponse) -> bytes:
    """response.model_dump_json(exclude_defaults=True), by orjson."""
    return orjson.dumps(
        {
            "results": [_result(r) for r in response.results],
            "last_device_seq": response.last_device_seq,
            "server_time": response.model_dump(mode="json", include={"server_time"})["server_time"],
            "server_epoch": response.server_epoch,
        }
    )
