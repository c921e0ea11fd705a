"""A real central for tests: `python -m central serve` in a subprocess on a loopback port, plus the
helpers that do what a device and an admin do over HTTP (requests + cryptography, nothing mocked).

Other test packages import from here:

    from tests.central.server import enrol_device, refresh_tokens, seed_ulb, add_admin_token
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import text

from central.config import CentralSettings
from central.db.engine import engine_for_url, make_sessionmaker
from central.seed import DEMO_TOML, UlbSeed, add_admin, ulb_from_toml, upsert_ulb
from sync.protocol import PATH_ENROL, PATH_TOKEN, token_signing_message
from tests.loopback import free_port

REPO = Path(__file__).resolve().parents[2]

# CentralSettings field -> the environment variable central.config reads it from.
SETTINGS_ENV = {
    "database_url": "NIKAY_CENTRAL_DATABASE_URL",
    "token_secret": "NIKAY_CENTRAL_TOKEN_SECRET",
    "access_token_ttl_s": "NIKAY_CENTRAL_ACCESS_TTL_S",
    "refresh_token_ttl_days": "NIKAY_CENTRAL_REFRESH_TTL_DAYS",
    "enrolment_code_ttl_h": "NIKAY_CENTRAL_ENROL_TTL_H",
    "late_arrival_days": "NIKAY_CENTRAL_LATE_DAYS",
    "clock_skew_flag_s": "NIKAY_CENTRAL_SKEW_FLAG_S",
    "feed_retention_days": "NIKAY_CENTRAL_FEED_RETENTION_DAYS",
    "db_pool_size": "NIKAY_CENTRAL_DB_POOL",
    "gateway_secret": "NIKAY_CENTRAL_GATEWAY_SECRET",
}


def settings_env(settings: CentralSettings) -> dict[str, str]:
    return {env: str(getattr(settings, name)) for name, env in SETTINGS_ENV.items() if hasattr(settings, name)}


# --- database helpers ---------------------------------------------------------------------------------


def truncate_all(url: str) -> None:
    """Empty every table but the schema version and server_meta (one statement: fast between tests)."""
    engine = engine_for_url(url, pool_size=1)
    try:
        with engine.begin() as connection:
            # A server process holding a table open would make TRUNCATE wait: fail loudly instead.
            connection.execute(text("SET LOCAL lock_timeout = '15s'"))
            names = connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename NOT IN ('alembic_version', 'server_meta')"
                )
            ).scalars()
            quoted = ", ".join(f'"{name}"' for name in names)
            if quoted:
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            connection.execute(text("UPDATE server_meta SET min_retained_seq = 0"))
    finally:
        engine.dispose()


def seed_ulb(url: str, code: str = "DEMO") -> None:
    """DEMO from resources/ulbs/DEMO.toml; any other code gets made-up names."""
    seed = (
        ulb_from_toml(DEMO_TOML)
        if code == "DEMO"
        else UlbSeed(code=code, name_en=f"Test ULB {code}", name_hi=f"परीक्षण {code}", ulb_class="NP", district="Durg")
    )
    engine = engine_for_url(url, pool_size=1)
    try:
        with make_sessionmaker(engine).begin() as session:
            upsert_ulb(session, seed)
    finally:
        engine.dispose()


def add_admin_token(url: str, ulb_code: str | None, role: str = "ulb_admin", username: str | None = None) -> str:
    username = username or f"{role}-{ulb_code or 'state'}-{uuid.uuid4().hex[:6]}"
    engine = engine_for_url(url, pool_size=1)
    try:
        with make_sessionmaker(engine).begin() as session:
            return add_admin(session, username=username, role=role, ulb_code=ulb_code)
    finally:
        engine.dispose()


# --- what a device does ------------------------------------------------------------------------------


def public_key_text(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def sign(private_key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.urlsafe_b64encode(private_key.sign(message)).decode().rstrip("=")


@dataclass
class EnrolledDevice:
    device_id: str
    device_no: int
    ulb_code: str
    office_code: str
    access_token: str
    refresh_token: str
    private_key: Ed25519PrivateKey
    server_epoch: str = ""

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def issue_code(base_url: str, admin_token: str, office_code: str = "Z01") -> str:
    reply = requests.post(
        f"{base_url}/v1/admin/enrolment-codes",
        json={"office_code": office_code},
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["code"])


def enrol_with_code(base_url: str, code: str, private_key: Ed25519PrivateKey | None = None) -> requests.Response:
    key = private_key or Ed25519PrivateKey.generate()
    return requests.post(
        f"{base_url}{PATH_ENROL}",
        json={"code": code, "public_key": public_key_text(key), "hostname": "counter-1", "app_version": "0.1.0"},
        timeout=10,
    )


def enrol_device(base_url: str, admin_token: str, office_code: str = "Z01") -> EnrolledDevice:
    """The whole enrolment over HTTP: the admin issues a code, the device enrols with a new key."""
    key = Ed25519PrivateKey.generate()
    reply = enrol_with_code(base_url, issue_code(base_url, admin_token, office_code), key)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    return EnrolledDevice(
        device_id=body["device_id"],
        device_no=body["device_no"],
        ulb_code=body["ulb_code"],
        office_code=body["office_code"],
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        private_key=key,
        server_epoch=body["server_epoch"],
    )


def token_request(device: EnrolledDevice, refresh_token: str | None = None) -> dict[str, str]:
    token = refresh_token if refresh_token is not None else device.refresh_token
    signed_at = datetime.now(UTC)
    return {
        "device_id": device.device_id,
        "refresh_token": token,
        "signed_at": signed_at.isoformat(),
        "signature": sign(device.private_key, token_signing_message(device.device_id, token, signed_at)),
    }


def post_token(base_url: str, device: EnrolledDevice, refresh_token: str | None = None) -> requests.Response:
    return requests.post(f"{base_url}{PATH_TOKEN}", json=token_request(device, refresh_token), timeout=10)


def refresh_tokens(base_url: str, device: EnrolledDevice) -> EnrolledDevice:
    """Exchange the device's refresh token; the device now holds the new pair."""
    reply = post_token(base_url, device)
    assert reply.status_code == 200, reply.text
    device.access_token = reply.json()["access_token"]
    device.refresh_token = reply.json()["refresh_token"]
    return device


# --- the server process --------------------------------------------------------------------------------


@dataclass
class CentralServer:
    """`python -m central serve` on a free loopback port. kill() is a crash (SIGKILL); restart()
    brings it back on the same port, so clients keep their base_url."""

    settings: CentralSettings
    admin_token: str
    log_path: Path
    port: int = field(default_factory=free_port)
    workers: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def database_url(self) -> str:
        return self.settings.database_url

    def start(self, timeout: float = 90) -> CentralServer:
        env = {**os.environ, **settings_env(self.settings), **self.extra_env, "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "central", "serve", "--port", str(self.port), "--no-migrate"]
        command += ["--workers", str(self.workers)]
        if self.settings.is_sqlite:
            command.append("--demo")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"central exited with {self.process.returncode}:\n{self.log_text()[-3000:]}")
            try:
                if requests.get(f"{self.base_url}/readyz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"central not ready after {timeout}s:\n{self.log_text()[-3000:]}")

    def kill(self) -> None:
        """A crash: no shutdown handlers, connections cut."""
        if self.process is not None and self.process.poll() is None:
            # The whole process group: with --workers N the worker processes die too.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), as an orchestrator does."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def restart(self, timeout: float = 90) -> CentralServer:
        self.kill()
        return self.start(timeout)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def log_records(self) -> list[dict[str, Any]]:
        """Every JSON line the server wrote (non-JSON lines would be a bug: the test for logs says so)."""
        records = []
        text = self.log_text()
        complete = text[: text.rfind("\n") + 1]  # a line being written right now is not read yet
        for line in complete.splitlines():
            if line.strip().startswith("{"):
                records.append(json.loads(line))
        return records
