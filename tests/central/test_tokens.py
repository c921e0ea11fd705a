"""Access and refresh tokens over a real central: rotation, the lost-reply grace, theft detection,
revocation, expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.central.conftest import TOKEN_SECRET
from tests.central.server import CentralServer, EnrolledDevice, enrol_device, post_token, refresh_tokens, token_request


def me(server: CentralServer, token: str) -> requests.Response:
    return requests.get(f"{server.base_url}/v1/devices/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_refresh_rotates_and_the_new_access_token_works(central_server: CentralServer) -> None:
    device = enrol_device(central_server.base_url, central_server.admin_token)
    first_refresh = device.refresh_token

    refresh_tokens(central_server.base_url, device)
    assert device.refresh_token != first_refresh
    assert me(central_server, device.access_token).status_code == 200
    # The next exchange uses the new one; the chain goes on.
    refresh_tokens(central_server.base_url, device)
    assert me(central_server, device.access_token).json()["device_id"] == device.device_id


def test_a_lost_reply_is_forgiven_once(central_server: CentralServer) -> None:
    base = central_server.base_url
    device = enrol_device(base, central_server.admin_token)
    spent = device.refresh_token
    lost = post_token(base, device)  # the device never saw this reply
    assert lost.status_code == 200

    retried = post_token(base, device, spent)

    assert retried.status_code == 200, retried.text
    fresh = retried.json()["refresh_token"]
    assert fresh != lost.json()["refresh_token"]
    # The successor that never arrived is void; the re-issued one works.
    assert post_token(base, device, lost.json()["refresh_token"]).status_code == 401
    device.refresh_token = fresh
    assert post_token(base, device).status_code == 200


def test_replies_lost_several_times_running_are_forgiven_until_a_successor_is_used(
    central_server: CentralServer,
) -> None:
    base = central_server.base_url
    device = enrol_device(base, central_server.admin_token)
    spent = device.refresh_token
    lost = [post_token(base, device, spent) for _ in range(3)]  # three replies the device never saw
    assert [reply.status_code for reply in lost] == [200, 200, 200]
    # Only the last successor is valid; the device, retrying once more, gets the one it will keep.
    assert post_token(base, device, lost[0].json()["refresh_token"]).status_code == 401
    kept = post_token(base, device, spent)
    assert kept.status_code == 200, kept.text
    device.refresh_token = kept.json()["refresh_token"]
    assert post_token(base, device).status_code == 200
    # Now a successor was used: the old spent token is theft, and the whole family goes.
    assert post_token(base, device, spent).status_code == 401


def test_reuse_after_the_successor_was_used_revokes_the_whole_family(central_server: CentralServer) -> None:
    base = central_server.base_url
    device = enrol_device(base, central_server.admin_token)
    stolen = device.refresh_token
    refresh_tokens(base, device)  # the real device moves on: stolen is spent, its successor used next
    refresh_tokens(base, device)

    replay = post_token(base, device, stolen)

    assert replay.status_code == 401
    assert "revoked" in replay.json()["message"]
    # The legitimate device's current token died with the family: it must be enrolled again.
    assert post_token(base, device).status_code == 401


def test_a_signature_by_another_key_is_refused(central_server: CentralServer) -> None:
    device = enrol_device(central_server.base_url, central_server.admin_token)
    impostor = EnrolledDevice(**{**device.__dict__, "private_key": Ed25519PrivateKey.generate()})

    reply = post_token(central_server.base_url, impostor)

    assert reply.status_code == 401
    # Nothing was spent: the real device still refreshes.
    assert post_token(central_server.base_url, device).status_code == 200


def test_a_tampered_signing_time_is_refused(central_server: CentralServer) -> None:
    device = enrol_device(central_server.base_url, central_server.admin_token)
    body = token_request(device)
    body["signed_at"] = (datetime.fromisoformat(body["signed_at"]) + timedelta(seconds=1)).isoformat()
    reply = requests.post(f"{central_server.base_url}/v1/auth/token", json=body, timeout=10)
    assert reply.status_code == 401


def test_a_revoked_device_gets_403_everywhere(central_server: CentralServer) -> None:
    base = central_server.base_url
    device = enrol_device(base, central_server.admin_token)
    assert me(central_server, device.access_token).status_code == 200
    revoked = requests.post(
        f"{base}/v1/admin/devices/{device.device_id}/revoke",
        headers={"Authorization": f"Bearer {central_server.admin_token}"},
        timeout=10,
    )
    assert revoked.status_code == 200

    protected = me(central_server, device.access_token)  # its access token has not expired yet
    exchange = post_token(base, device)

    assert (protected.status_code, protected.json()["code"]) == (403, "device_revoked")
    assert (exchange.status_code, exchange.json()["code"]) == (403, "device_revoked")


def test_an_expired_or_forged_access_token_gets_401_token_expired(central_server: CentralServer) -> None:
    device = enrol_device(central_server.base_url, central_server.admin_token)
    claims = jwt.decode(device.access_token, TOKEN_SECRET, algorithms=["HS256"])
    assert claims["sub"] == device.device_id and claims["ulb"] == "DEMO" and claims["dno"] == 1
    expired = jwt.encode({**claims, "exp": int((datetime.now(UTC) - timedelta(seconds=5)).timestamp())}, TOKEN_SECRET)
    forged = jwt.encode(claims, "not-the-secret-" + "x" * 32)

    for token in (expired, forged, "garbage"):
        reply = me(central_server, token)
        assert (reply.status_code, reply.json()["code"]) == (401, "token_expired"), token
    no_header = requests.get(f"{central_server.base_url}/v1/devices/me", timeout=10)
    assert no_header.status_code == 401


def test_any_app_process_serves_any_device(
    central_server: CentralServer, start_central_server: Callable[..., CentralServer]
) -> None:
    """Stateless processes behind a load balancer: enrol on one, refresh and call on another
    (the second runs `serve --workers 2`)."""
    first, second = central_server, start_central_server(workers=2)
    device = enrol_device(first.base_url, first.admin_token)

    refresh_tokens(second.base_url, device)

    for server in (first, second, second):
        assert me(server, device.access_token).json()["device_no"] == 1
    assert post_token(first.base_url, device).status_code == 200


def test_tokens_survive_a_crash_of_the_central(central_server: CentralServer) -> None:
    """Nothing about a device lives in the process: after a kill -9 and a restart its tokens still work."""
    device = enrol_device(central_server.base_url, central_server.admin_token)
    central_server.kill()
    try:
        me(central_server, device.access_token)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("the killed central still answered")

    central_server.restart()

    assert me(central_server, device.access_token).status_code == 200
    assert post_token(central_server.base_url, device).status_code == 200
