"""HTTP to the central: one requests.Session, explicit timeouts, TLS verified by default.

Every call returns a parsed sync.protocol model or raises a sync.errors exception; nothing here
touches the local database."""

from __future__ import annotations

import ipaddress
import logging
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson
import requests
from pydantic import BaseModel, ValidationError

from sync import failpoints
from sync.errors import CentralError, CentralUnreachable, CursorGone, DeviceRevoked, TokenExpired
from sync.protocol import (
    ERROR_CURSOR_GONE,
    ERROR_DEVICE_REVOKED,
    ERROR_TOKEN_EXPIRED,
    MAX_CHANGES_PER_PULL,
    PATH_ENROL,
    PATH_HELLO,
    PATH_LEDGER,
    PATH_PULL,
    PATH_PUSH,
    PATH_SNAPSHOT,
    PATH_TOKEN,
    EnrolRequest,
    EnrolResponse,
    HelloResponse,
    LedgerResponse,
    OpResult,
    OpStatus,
    PullResponse,
    PushRequest,
    PushResponse,
    SnapshotResponse,
    TokenRequest,
    TokenResponse,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
M = TypeVar("M", bound=BaseModel)

_new_object = object.__new__
_set = object.__setattr__
_STATUSES = {status.value: status for status in OpStatus}
_PLAIN_KEYS = frozenset({"op_id", "device_seq", "status", "flags"})
_REPLY_KEYS = frozenset({"results", "last_device_seq", "server_time", "server_epoch"})


def _built(cls: type[M], values: dict[str, Any]) -> M:
    """`cls.model_construct(**values)` for `values` that hold every field (no per-field loop)."""
    model = _new_object(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def _plain_result(raw: Any) -> OpResult | None:
    """The OpResult pydantic would build from `raw` when it is a plain one (op_id, device_seq,
    status and perhaps flags, each of its exact type); None for anything else."""
    if type(raw) is not dict or not _PLAIN_KEYS.issuperset(raw):
        return None
    op_id, seq, status = raw.get("op_id"), raw.get("device_seq"), _STATUSES.get(raw.get("status"))  # type: ignore[arg-type]
    flags = raw.get("flags", [])
    if type(op_id) is not str or type(seq) is not int or status is None or type(flags) is not list:
        return None
    if not all(type(flag) is str for flag in flags):
        return None
    values = {
        "op_id": op_id,
        "device_seq": seq,
        "status": status,
        "flags": flags,
        "message": "",
        "server_version": None,
        "merged": None,
        "conflict_uuid": None,
    }
    result = _built(OpResult, values)
    _set(result, "__pydantic_fields_set__", set(raw))
    return result


def parse_push_reply(content: bytes) -> PushResponse:
    """`PushResponse.model_validate_json(content)`, without pydantic building 500 results one by
    one (its validator deep-copies each result's default `flags` list: ~9 µs an op, the largest
    piece of the device's side of a push). A reply holding anything but plain results, or anything
    pydantic would have to coerce, goes to model_validate_json, which decides as before."""
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError:
        data = None
    if type(data) is dict and set(data) == _REPLY_KEYS and type(data["results"]) is list:
        seq, epoch, moment = data["last_device_seq"], data["server_epoch"], data["server_time"]
        if type(seq) is int and type(epoch) is str and type(moment) is str:
            results = [r for r in map(_plain_result, data["results"]) if r is not None]
            if len(results) == len(data["results"]):
                try:
                    server_time = datetime.fromisoformat(moment)
                except ValueError:
                    server_time = None
                if server_time is not None and "T" in moment:
                    reply = _built(
                        PushResponse,
                        {"results": results, "last_device_seq": seq, "server_time": server_time, "server_epoch": epoch},
                    )
                    return reply
    return PushResponse.model_validate_json(content)


def is_loopback_host(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_central_url(url: str) -> str:
    """The central's base URL, normalised. https always; plain http only on this PC (demo, tests)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a central address (like https://nikay.cg.gov.in)")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(f"{url!r} uses plain http; the central must be reached over https")
    return url.strip().rstrip("/")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare from our own central; backoff covers it


def _error_of(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if isinstance(body, dict):
        detail = body.get("detail", body)
        if isinstance(detail, dict):
            return str(detail.get("code", "")), str(detail.get("message", detail))
        return str(body.get("code", "")), str(detail)
    return "", str(body)[:200]


class CentralClient:
    def __init__(
        self,
        base_url: str,
        verify: bool | str = True,
        session: requests.Session | None = None,
        timeouts: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
    ) -> None:
        self.base_url = check_central_url(base_url)
        self._timeouts = timeouts
        self._session = session or requests.Session()
        self._session.verify = verify
        self._session.headers["User-Agent"] = "nikay-desktop-sync/1"

    def close(self) -> None:
        self._session.close()

    def healthy(self, timeout_s: float = 2.0) -> bool:
        """GET /healthz answers 200 (no token, nothing recorded): the line and the central are back."""
        try:
            response = self._session.get(self.base_url + "/healthz", timeout=(timeout_s, timeout_s))
        except requests.RequestException:
            return False
        return response.status_code == 200

    def _call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        token: str | None = None,
        body: BaseModel | bytes | None = None,
        params: dict[str, Any] | None = None,
        failpoint: str | None = None,
    ) -> M:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                headers=headers,
                data=None if body is None else body if isinstance(body, bytes) else body.model_dump_json(),
                params=params,
                timeout=self._timeouts,
            )
        except requests.RequestException as error:
            raise CentralUnreachable(f"the central did not answer: {type(error).__name__}: {error}") from error
        if failpoint:
            failpoints.hit(failpoint)
        if response.status_code >= 400:
            code, message = _error_of(response)
            status = response.status_code
            if status == 401 or code == ERROR_TOKEN_EXPIRED:
                raise TokenExpired(status, code or ERROR_TOKEN_EXPIRED, message)
            if status == 403 and code == ERROR_DEVICE_REVOKED:
                raise DeviceRevoked(status, code, message)
            if status == 410 or code == ERROR_CURSOR_GONE:
                raise CursorGone(status, code or ERROR_CURSOR_GONE, message)
            raise CentralError(status, code, message, _retry_after(response))
        try:
            if model is PushResponse:
                return parse_push_reply(response.content)  # type: ignore[return-value]
            return model.model_validate_json(response.content)
        except ValidationError as error:
            raise CentralError(response.status_code, "bad_reply", f"unreadable reply to {path}: {error}") from error

    def enrol(self, request: EnrolRequest) -> EnrolResponse:
        return self._call("POST", PATH_ENROL, EnrolResponse, body=request)

    def token(self, request: TokenRequest) -> TokenResponse:
        return self._call("POST", PATH_TOKEN, TokenResponse, body=request)

    def hello(self, token: str, backlog: int | None = None, device_time: datetime | None = None) -> HelloResponse:
        """`backlog`: how many operations wait here (the state dashboard shows devices falling behind);
        `device_time`: this PC's clock, so the central can flag a skewed device (it never refuses one)."""
        params: dict[str, Any] = {}
        if backlog is not None:
            params["backlog"] = backlog
        if device_time is not None:
            params["clock"] = device_time.isoformat()
        return self._call("GET", PATH_HELLO, HelloResponse, token=token, params=params or None)

    def push(self, token: str, request: PushRequest | bytes) -> PushResponse:
        """`request` is a PushRequest, or its JSON body already written (sync.outbox_ops.push_body)."""
        return self._call("POST", PATH_PUSH, PushResponse, token=token, body=request, failpoint=failpoints.MID_PUSH)

    def pull(self, token: str, cursor: int, limit: int = MAX_CHANGES_PER_PULL) -> PullResponse:
        return self._call("GET", PATH_PULL, PullResponse, token=token, params={"cursor": cursor, "limit": limit})

    def snapshot(self, token: str, page: str | None) -> SnapshotResponse:
        params = {"page": page} if page else {}
        return self._call("GET", PATH_SNAPSHOT, SnapshotResponse, token=token, params=params)

    def ledger(self, token: str, from_date: date) -> LedgerResponse:
        return self._call("GET", PATH_LEDGER, LedgerResponse, token=token, params={"from_date": from_date.isoformat()})
