"""The admin API: a ULB admin acts on their own ULB only, a state official reads every ULB and
changes nothing. An admin of one ULB cannot even learn that another ULB's device exists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import select, update

from central.db.engine import engine_for_url
from central.db.models import Device
from tests.central.conftest import CentralDb
from tests.central.server import CentralServer, add_admin_token, enrol_device, seed_ulb


def call(server: CentralServer, method: str, path: str, token: str, **kwargs: Any) -> requests.Response:
    return requests.request(
        method, f"{server.base_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10, **kwargs
    )


@pytest.fixture
def two_ulbs(central_server: CentralServer, central_db: CentralDb) -> dict[str, Any]:
    seed_ulb(central_db.url, "BHILAI")
    other_admin = add_admin_token(central_db.url, "BHILAI", username="bhilai-admin")
    return {
        "demo_admin": central_server.admin_token,
        "other_admin": other_admin,
        "demo_device": enrol_device(central_server.base_url, central_server.admin_token),
        "other_device": enrol_device(central_server.base_url, other_admin),
        "state": add_admin_token(central_db.url, None, role="state_official", username="state"),
    }


def test_a_ulb_admin_lists_only_their_own_devices(central_server: CentralServer, two_ulbs: dict[str, Any]) -> None:
    mine = call(central_server, "GET", "/v1/admin/devices", two_ulbs["demo_admin"])
    assert mine.status_code == 200
    assert [(d["ulb_code"], d["device_no"], d["status"]) for d in mine.json()] == [("DEMO", 1, "active")]
    assert mine.json()[0]["last_seen_at"] is not None and mine.json()[0]["last_device_seq"] == 0

    widened = call(central_server, "GET", "/v1/admin/devices", two_ulbs["demo_admin"], params={"ulb": "BHILAI"})
    assert widened.status_code == 403


def test_a_ulb_admin_cannot_revoke_another_ulbs_device(central_server: CentralServer, two_ulbs: dict[str, Any]) -> None:
    other = two_ulbs["other_device"]

    reply = call(central_server, "POST", f"/v1/admin/devices/{other.device_id}/revoke", two_ulbs["demo_admin"])

    assert (reply.status_code, reply.json()["code"]) == (404, "not_found")
    still = requests.get(f"{central_server.base_url}/v1/devices/me", headers=other.auth(), timeout=10)
    assert still.status_code == 200
    listed = call(central_server, "GET", "/v1/admin/devices", two_ulbs["other_admin"]).json()
    assert [d["status"] for d in listed] == ["active"]


def test_a_code_issued_by_an_admin_is_always_for_their_own_ulb(
    central_server: CentralServer, two_ulbs: dict[str, Any]
) -> None:
    # There is no way to name another ULB: the body has the office only, and extra fields are refused.
    sneaky = call(
        central_server,
        "POST",
        "/v1/admin/enrolment-codes",
        two_ulbs["demo_admin"],
        json={"office_code": "Z01", "ulb_code": "BHILAI"},
    )
    assert sneaky.status_code == 422

    device = enrol_device(central_server.base_url, two_ulbs["demo_admin"])
    assert device.ulb_code == "DEMO"


def test_a_state_official_reads_every_ulb_and_changes_nothing(
    central_server: CentralServer, two_ulbs: dict[str, Any]
) -> None:
    state = two_ulbs["state"]
    everything = call(central_server, "GET", "/v1/admin/devices", state)
    assert sorted(d["ulb_code"] for d in everything.json()) == ["BHILAI", "DEMO"]
    one = call(central_server, "GET", "/v1/admin/devices", state, params={"ulb": "BHILAI"})
    assert [d["ulb_code"] for d in one.json()] == ["BHILAI"]

    issue = call(central_server, "POST", "/v1/admin/enrolment-codes", state, json={"office_code": "Z01"})
    revoke = call(central_server, "POST", f"/v1/admin/devices/{two_ulbs['demo_device'].device_id}/revoke", state)

    assert (issue.status_code, issue.json()["code"]) == (403, "forbidden")
    assert revoke.status_code == 403
    assert {d["status"] for d in call(central_server, "GET", "/v1/admin/devices", state).json()} == {"active"}


def test_admin_endpoints_need_a_known_admin_token(central_server: CentralServer, two_ulbs: dict[str, Any]) -> None:
    device_token = two_ulbs["demo_device"].access_token  # a device is not an admin
    for token in ("", "nka_unknown", device_token):
        reply = call(central_server, "GET", "/v1/admin/devices", token)
        assert (reply.status_code, reply.json()["code"]) == (401, "unauthorized"), token


def test_last_seen_is_written_at_most_once_a_minute(central_server: CentralServer, central_db: CentralDb) -> None:
    device = enrol_device(central_server.base_url, central_server.admin_token)
    engine = engine_for_url(central_db.url, pool_size=1)

    def last_seen() -> datetime:
        with engine.connect() as connection:
            return connection.execute(select(Device.last_seen_at)).scalar_one()

    def touch() -> None:
        assert requests.get(f"{central_server.base_url}/v1/devices/me", headers=device.auth(), timeout=10).ok

    at_enrolment = last_seen()
    touch()
    assert last_seen() == at_enrolment  # seen seconds ago: no write
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    with engine.begin() as connection:
        connection.execute(update(Device).values(last_seen_at=long_ago))
    touch()
    seen = last_seen()
    engine.dispose()
    assert seen > long_ago + timedelta(minutes=4)
    listed = call(central_server, "GET", "/v1/admin/devices", central_server.admin_token).json()
    assert datetime.fromisoformat(listed[0]["last_seen_at"]) == seen
