"""Shared parts of the sync benchmarks: a real central subprocess on its own PostgreSQL database,
devices enrolled over the wire, valid receipt.created operations (real chain hashes per series),
and a tiny HTTP/1.1 keep-alive client cheap enough that the load generator stays out of the way.

Used by tests/bench/bench_sync_*.py and the fault tests.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("NIKAY_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DEMO_TOML = ROOT / "resources" / "ulbs" / "DEMO.toml"


# -- PostgreSQL -----------------------------------------------------------------------------------------


def sa_url(name: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def plain_url(name: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def create_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the central ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def central_cli(db_url: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run `python -m central <args>` against `db_url`; its stdout."""
    full_env = {**os.environ, "NIKAY_CENTRAL_DATABASE_URL": db_url, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "central", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"central {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class CentralProcess:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start_central(db_url: str, workdir: Path, workers: int = 1, env: dict[str, str] | None = None) -> CentralProcess:
    port = free_port()
    log = workdir / f"central-{port}.log"
    full_env = {
        **os.environ,
        "NIKAY_CENTRAL_DATABASE_URL": db_url,
        "NIKAY_CENTRAL_TOKEN_SECRET": os.environ.get("NIKAY_CENTRAL_TOKEN_SECRET", "bench-secret-" + "x" * 32),
        "NIKAY_CENTRAL_ACCESS_TTL_S": "7200",
        **(env or {}),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "central",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--database-url",
                db_url,
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    central = CentralProcess(process, port, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the central exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(central.base_url + "/readyz", timeout=2) as reply:
                if reply.status == 200:
                    return central
        except OSError:
            pass
        time.sleep(0.2)
    central.stop()
    raise RuntimeError(f"the central did not get ready:\n{log.read_text()[-3000:]}")


def _http_json(method: str, url: str, body: dict[str, Any] | None = None, token: str | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


@dataclass(frozen=True)
class BenchDevice:
    device_id: str
    device_no: int
    ulb_code: str
    office_code: str
    access_token: str


def seed_ulb_and_admin(db_url: str) -> str:
    """DEMO ULB and a ULB admin on the central; the admin's API token."""
    central_cli(db_url, "migrate")
    central_cli(db_url, "add-ulb", "--from-toml", str(DEMO_TOML))
    out = central_cli(db_url, "add-admin", "--username", "benchadmin", "--ulb", "DEMO", "--role", "ulb_admin")
    return out.strip().splitlines()[-1].strip()


def enrol(base_url: str, admin_token: str, office_code: str = "Z01") -> BenchDevice:
    """One device, over the wire, as a real one enrols: code from the admin API, Ed25519 key, enrol."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    issued = _http_json("POST", base_url + "/v1/admin/enrolment-codes", {"office_code": office_code}, admin_token)
    key = Ed25519PrivateKey.generate()
    public = base64.urlsafe_b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    reply = _http_json(
        "POST",
        base_url + "/v1/devices/enrol",
        {"code": issued["code"], "public_key": public, "hostname": "bench", "app_version": "0.1.0"},
    )
    return BenchDevice(
        reply["device_id"], reply["device_no"], reply["ulb_code"], reply["office_code"], reply["access_token"]
    )


# -- operations -----------------------------------------------------------------------------------------


IST = timedelta(hours=5, minutes=30)


def fy_of(day: date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass
class SeriesState:
    key: str
    seq: int = 0
    head: str = "0" * 64


def receipt_ops(
    device: BenchDevice, series: SeriesState, first_device_seq: int, count: int, moment: datetime, properties: list[str]
) -> list[dict[str, Any]]:
    """`count` valid receipt.created ops continuing `series` (advanced in place), chain hashes real."""
    from app.collections.numbering import chain_hash
    from app.collections.service import receipt_hash_content
    from app.core.ids import new_uuid
    from app.demand.dto import AllocatedLine, Head
    from sync.protocol import OpKind, payload_sha256

    ops: list[dict[str, Any]] = []
    business_date = (moment + IST).date()
    fy = fy_of(business_date)
    for i in range(count):
        series.seq += 1
        amount = 10_000 + (series.seq % 97) * 100
        lines = (
            AllocatedLine(fy, Head.PROPERTY_TAX, amount - 1_000),
            AllocatedLine(fy, Head.SAMEKIT, 1_000),
        )
        collected_at = moment + timedelta(milliseconds=i)
        values: dict[str, Any] = {
            "uuid": new_uuid(),
            "receipt_no": f"{series.key}/{series.seq:06d}",
            "series_key": series.key,
            "seq": series.seq,
            "property_uuid": properties[series.seq % len(properties)],
            "payer_name": "Ramesh Sahu",
            "collected_at": collected_at,
            "business_date": business_date.isoformat(),
            "mode": "CASH",
            "amount_paise": amount,
            "instrument_no": "",
            "instrument_date": "",
            "bank": "",
            "branch": "",
            "prev_hash": series.head,
        }
        values["hash"] = chain_hash(series.head, receipt_hash_content(values, lines))
        series.head = values["hash"]
        payload = {
            **values,
            "collected_at": collected_at.isoformat(),
            "lines": [{"fy": line.fy, "head": line.head.value, "amount_paise": line.amount_paise} for line in lines],
        }
        ops.append(
            {
                "op_id": new_uuid(),
                "device_seq": first_device_seq + i,
                "kind": OpKind.RECEIPT_CREATED.value,
                "entity_uuid": values["uuid"],
                "payload": payload,
                "payload_sha256": payload_sha256(payload),
                "device_time": collected_at.isoformat(),
            }
        )
    return ops


def push_body(ops: list[dict[str, Any]]) -> bytes:
    return json.dumps({"batch_id": str(uuid.uuid4()), "ops": ops}, separators=(",", ":")).encode()


def now_utc() -> datetime:
    return datetime.now(UTC)


# -- a minimal keep-alive HTTP/1.1 client ----------------------------------------------------------------


class RawHttp:
    """One keep-alive connection; POST a prepared body, read status and Content-Length body."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self._port)

    async def post(self, path: str, body: bytes, token: str) -> tuple[int, bytes]:
        if self._writer is None:
            await self._connect()
        assert self._reader is not None and self._writer is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self._writer.write(head + body)
        await self._writer.drain()
        status_line = await self._reader.readline()
        if not status_line:
            raise ConnectionError("connection closed by the server")
        status = int(status_line.split()[1])
        length = 0
        close = False
        while True:
            line = await self._reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        data = await self._reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return status, data

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


def issue_code(base_url: str, admin_token: str, office_code: str = "Z01") -> str:
    issued = _http_json("POST", base_url + "/v1/admin/enrolment-codes", {"office_code": office_code}, admin_token)
    return str(issued["code"])
