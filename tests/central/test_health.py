"""Health, readiness, the OpenAPI document, error bodies and the JSON request log."""

from __future__ import annotations

import dataclasses
import re
import threading
import time

import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.api.app import create_app
from central.config import CentralSettings
from central.db.engine import migrate
from tests.central.server import CentralServer, enrol_device
from tests.loopback import free_port


def test_readyz_is_503_until_the_schema_is_migrated(central_settings: CentralSettings, empty_pg_url: str) -> None:
    app = create_app(dataclasses.replace(central_settings, database_url=empty_pg_url))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        before = client.get("/readyz")
        assert before.status_code == 503
        assert before.json()["code"] == "not_ready" and "migrate" in before.json()["message"]

        migrate(empty_pg_url)

        assert client.get("/readyz").status_code == 200


def test_readyz_is_503_when_the_database_is_unreachable(central_settings: CentralSettings) -> None:
    nowhere = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nikay?connect_timeout=2"
    app = create_app(dataclasses.replace(central_settings, database_url=nowhere))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200  # alive, just not ready
        reply = client.get("/readyz")
    assert reply.status_code == 503
    assert "unreachable" in reply.json()["message"]


def test_openapi_lists_the_protocol_paths_and_errors_have_code_and_message(central_app: FastAPI) -> None:
    with TestClient(central_app) as client:
        paths = client.get("/openapi.json").json()["paths"]
        for path in ("/v1/devices/enrol", "/v1/auth/token", "/v1/admin/devices", "/healthz", "/readyz"):
            assert path in paths
        missing = client.get("/v1/no-such-thing")
        malformed = client.post("/v1/devices/enrol", json={"code": "x"})
    assert missing.status_code == 404 and set(missing.json()) == {"code", "message"}
    assert malformed.status_code == 422 and malformed.json()["code"] == "bad_request"
    assert "public_key" in malformed.json()["message"]


def test_every_request_is_one_json_log_line_with_who_and_how_long(central_server: CentralServer) -> None:
    device = enrol_device(central_server.base_url, central_server.admin_token)
    reply = requests.get(
        f"{central_server.base_url}/v1/devices/me",
        headers={**device.auth(), "X-Request-ID": "req-h1a-log-test"},
        timeout=10,
    )
    assert reply.headers["x-request-id"] == "req-h1a-log-test"

    # The line is written when the request is done, which may be just after the client has the reply.
    deadline = time.monotonic() + 5
    while True:
        lines = [r for r in central_server.log_records() if r.get("request_id") == "req-h1a-log-test"]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.05)

    assert len(lines) == 1
    line = lines[0]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/v1/devices/me", 200)
    assert (line["device_id"], line["ulb"]) == (device.device_id, "DEMO")
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "info" and line["timestamp"].endswith("Z")
    # Every line the server wrote is JSON (a log shipper reads them one by one).
    text = central_server.log_text()
    text_lines = [ln for ln in text[: text.rfind("\n") + 1].splitlines() if ln.strip()]
    assert len(central_server.log_records()) == len(text_lines)


def test_the_app_refuses_to_start_without_a_token_secret(central_settings: CentralSettings) -> None:
    try:
        create_app(dataclasses.replace(central_settings, token_secret=""))
    except ValueError as error:
        assert "NIKAY_CENTRAL_TOKEN_SECRET" in str(error)
    else:
        raise AssertionError("create_app accepted an empty token secret")


def test_an_unexpected_failure_is_a_500_with_a_code(central_app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("simulated bug")

    central_app.add_api_route("/v1/test-boom", boom)
    with TestClient(central_app, raise_server_exceptions=False) as client:
        reply = client.get("/v1/test-boom")
    assert reply.status_code == 500
    assert reply.json()["code"] == "internal_error"
    assert "simulated bug" not in reply.text  # internals stay in the log, found by the request id
    assert re.search(r"request id [0-9a-f]{32}\)", reply.json()["message"])


def test_the_migrations_build_exactly_the_models(pg_url: str) -> None:
    """c0001 (and later revisions) against CentralBase.metadata: a model change without a
    migration shows up here, not in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import central.payments.models  # noqa: F401 - its tables are on CentralBase too
    from central.db.engine import engine_for_url
    from central.db.models import CentralBase

    engine = engine_for_url(pg_url, pool_size=1)
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), CentralBase.metadata
        )
    engine.dispose()
    assert diff == []


def test_several_processes_may_migrate_at_once(empty_pg_url: str, central_settings: CentralSettings) -> None:
    """App processes behind a load balancer all run migrate at start: one migrates, the others wait."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate(empty_pg_url)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    with TestClient(create_app(dataclasses.replace(central_settings, database_url=empty_pg_url))) as client:
        assert client.get("/readyz").status_code == 200
