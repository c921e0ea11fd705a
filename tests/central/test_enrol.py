"""Enrolment over a real central: one-time codes, device numbers that are never reused, the ULB
coming from the code (never from what the device says)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import update

from central.api.app import create_app
from central.config import CentralSettings
from central.db.engine import engine_for_url, migrate
from central.db.models import EnrolmentCode
from tests.central.conftest import CentralDb
from tests.central.server import (
    CentralServer,
    EnrolledDevice,
    add_admin_token,
    enrol_device,
    enrol_with_code,
    issue_code,
    public_key_text,
    seed_ulb,
    token_request,
)


def me(server: CentralServer, device: EnrolledDevice) -> requests.Response:
    return requests.get(f"{server.base_url}/v1/devices/me", headers=device.auth(), timeout=10)


def test_enrolled_device_gets_its_identity_and_working_tokens(central_server: CentralServer) -> None:
    device = enrol_device(central_server.base_url, central_server.admin_token, office_code="z01")

    assert (device.device_no, device.ulb_code, device.office_code) == (1, "DEMO", "Z01")
    assert len(device.server_epoch) == 36
    reply = me(central_server, device)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"device_id": device.device_id, "device_no": 1, "ulb_code": "DEMO", "office_code": "Z01"}
    # The second device of the ULB gets the next number.
    assert enrol_device(central_server.base_url, central_server.admin_token).device_no == 2


def test_a_code_enrols_exactly_one_device_even_when_two_race(central_server: CentralServer) -> None:
    code = issue_code(central_server.base_url, central_server.admin_token)
    barrier = threading.Barrier(4)
    replies: list[requests.Response] = []
    lock = threading.Lock()

    def attempt() -> None:
        barrier.wait()
        reply = enrol_with_code(central_server.base_url, code)
        with lock:
            replies.append(reply)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    statuses = sorted(reply.status_code for reply in replies)
    assert statuses == [200, 403, 403, 403], [reply.text for reply in replies]
    assert {reply.json()["code"] for reply in replies if reply.status_code == 403} == {"enrolment_code_invalid"}
    # Used once is used for good, also later and typed in lower case with spaces.
    again = enrol_with_code(central_server.base_url, code.lower().replace("-", " "))
    assert again.status_code == 403


def test_an_expired_or_unknown_code_is_refused(central_server: CentralServer, central_db: CentralDb) -> None:
    code = issue_code(central_server.base_url, central_server.admin_token)
    engine = engine_for_url(central_db.url, pool_size=1)
    with engine.begin() as connection:
        connection.execute(update(EnrolmentCode).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    engine.dispose()

    assert enrol_with_code(central_server.base_url, code).status_code == 403
    assert enrol_with_code(central_server.base_url, "ABCD-EFGH-JKMN").json()["code"] == "enrolment_code_invalid"


def test_a_key_that_is_not_ed25519_is_refused_and_the_code_stays_usable(central_server: CentralServer) -> None:
    code = issue_code(central_server.base_url, central_server.admin_token)
    reply = requests.post(
        f"{central_server.base_url}/v1/devices/enrol",
        json={"code": code, "public_key": "A" * 43 + "x" * 5, "hostname": "h", "app_version": "0.1.0"},
        timeout=10,
    )
    assert reply.status_code == 422
    assert reply.json()["code"] == "bad_public_key"
    assert enrol_with_code(central_server.base_url, code).status_code == 200


def test_device_numbers_are_never_reused_after_revocation(central_server: CentralServer) -> None:
    base, admin = central_server.base_url, central_server.admin_token
    first = enrol_device(base, admin)
    second = enrol_device(base, admin)
    for device in (second, first):
        reply = requests.post(
            f"{base}/v1/admin/devices/{device.device_id}/revoke",
            headers={"Authorization": f"Bearer {admin}"},
            timeout=10,
        )
        assert reply.status_code == 200, reply.text

    third = enrol_device(base, admin)

    assert [first.device_no, second.device_no, third.device_no] == [1, 2, 3]


def test_the_ulb_comes_from_the_code_not_from_the_device(central_server: CentralServer, central_db: CentralDb) -> None:
    seed_ulb(central_db.url, "BHILAI")
    other_admin = add_admin_token(central_db.url, "BHILAI")
    enrol_device(central_server.base_url, central_server.admin_token)  # DEMO's device 1

    device = enrol_device(central_server.base_url, other_admin, office_code="HQ")

    # Each ULB numbers its own devices from 1.
    assert (device.ulb_code, device.office_code, device.device_no) == ("BHILAI", "HQ", 1)
    assert me(central_server, device).json()["ulb_code"] == "BHILAI"


def test_the_sqlite_demo_enrols_and_refreshes_too(tmp_path: Path) -> None:
    """The one-command demo runs the same code on SQLite (UPDATE ... RETURNING, naive UTC times)."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate(url)
    seed_ulb(url, "DEMO")
    admin = add_admin_token(url, "DEMO")
    app = create_app(CentralSettings(database_url=url, token_secret="demo-secret-" + "x" * 32))
    with TestClient(app) as client:
        code = client.post(
            "/v1/admin/enrolment-codes", json={"office_code": "Z01"}, headers={"Authorization": f"Bearer {admin}"}
        ).json()["code"]
        key = Ed25519PrivateKey.generate()
        body = {"code": code, "public_key": public_key_text(key), "hostname": "h", "app_version": "0.1.0"}
        enrolled = client.post("/v1/devices/enrol", json=body)
        assert enrolled.status_code == 200, enrolled.text
        assert client.post("/v1/devices/enrol", json=body).status_code == 403
        device = EnrolledDevice(
            device_id=enrolled.json()["device_id"],
            device_no=enrolled.json()["device_no"],
            ulb_code="DEMO",
            office_code="Z01",
            access_token=enrolled.json()["access_token"],
            refresh_token=enrolled.json()["refresh_token"],
            private_key=key,
        )
        spent = device.refresh_token
        rotated = client.post("/v1/auth/token", json=token_request(device))
        assert rotated.status_code == 200, rotated.text
        regranted = client.post("/v1/auth/token", json=token_request(device, spent))  # the reply was lost
        assert regranted.status_code == 200
        assert client.post("/v1/auth/token", json=token_request(device, regranted.json()["refresh_token"])).is_success
        assert client.post("/v1/auth/token", json=token_request(device, spent)).status_code == 401  # theft
        me = client.get("/v1/devices/me", headers={"Authorization": f"Bearer {rotated.json()['access_token']}"})
        assert me.json()["device_no"] == 1
