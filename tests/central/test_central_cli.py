"""`python -m central` / `nikay-central` against a real PostgreSQL database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from central.api.app import create_app
from central.cli import app as cli
from central.config import CentralSettings
from central.db.engine import engine_for_url
from central.db.models import ChangeLog, ServerMeta
from tests.central.conftest import TOKEN_SECRET
from tests.central.server import REPO, public_key_text, truncate_all

runner = CliRunner()


@pytest.fixture
def empty_db(pg_url: str) -> str:
    truncate_all(pg_url)
    return pg_url


@pytest.fixture
def client(empty_db: str) -> Iterator[TestClient]:
    app = create_app(CentralSettings(database_url=empty_db, token_secret=TOKEN_SECRET, db_pool_size=2))
    with TestClient(app) as test_client:
        yield test_client


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_ulb_add_admin_issue_code_then_a_device_enrols(empty_db: str, client: TestClient) -> None:
    db = ["--database-url", empty_db]
    code, out, _ = run("add-ulb", "--from-toml", str(REPO / "resources/ulbs/DEMO.toml"), *db)
    assert code == 0 and "added ULB DEMO" in out
    assert "updated ULB DEMO" in run("add-ulb", "--from-toml", str(REPO / "resources/ulbs/DEMO.toml"), *db)[1]
    code, out, _ = run("add-admin", "--ulb", "DEMO", "--username", "asha", "--role", "ulb_admin", *db)
    assert code == 0
    admin_token = out.strip()
    code, out, _ = run("issue-code", "--ulb", "DEMO", "--office", "Z02", *db)
    assert code == 0
    enrolment_code = out.strip().splitlines()[0]

    enrolled = client.post(
        "/v1/devices/enrol",
        json={
            "code": enrolment_code,
            "public_key": public_key_text(Ed25519PrivateKey.generate()),
            "hostname": "h",
            "app_version": "0.1.0",
        },
    )
    assert enrolled.status_code == 200, enrolled.text
    assert (enrolled.json()["ulb_code"], enrolled.json()["office_code"]) == ("DEMO", "Z02")
    devices = client.get("/v1/admin/devices", headers={"Authorization": f"Bearer {admin_token}"})
    assert [d["device_id"] for d in devices.json()] == [enrolled.json()["device_id"]]

    # Revoked from the command line: the device's next request is refused.
    code, out, _ = run("revoke", "--device-id", enrolled.json()["device_id"], *db)
    assert code == 0 and "revoked device 1 of DEMO" in out
    me = client.get("/v1/devices/me", headers={"Authorization": f"Bearer {enrolled.json()['access_token']}"})
    assert (me.status_code, me.json()["code"]) == (403, "device_revoked")


def test_bad_input_exits_with_code_2_and_says_why(empty_db: str, tmp_path: Path) -> None:
    db = ["--database-url", empty_db]
    assert run("add-ulb", "--from-toml", str(REPO / "resources/ulbs/DEMO.toml"), *db)[0] == 0
    broken = tmp_path / "X.toml"
    broken.write_text('code = "X"\nname_en = "X"\n', encoding="utf-8")

    cases = {
        ("add-admin", "--ulb", "DEMO", "--username", "a", "--role", "superuser"): "role must be one of",
        ("add-admin", "--username", "a", "--role", "ulb_admin"): "needs --ulb",
        ("add-admin", "--ulb", "NOPE", "--username", "a", "--role", "ulb_admin"): "no ULB 'NOPE'",
        ("add-admin", "--ulb", "DEMO", "--username", "s", "--role", "state_official"): "belongs to no ULB",
        ("add-ulb", "--from-toml", str(tmp_path / "missing.toml")): "cannot read",
        ("add-ulb", "--from-toml", str(broken)): "lacks name_hi, ulb_class",
        ("issue-code", "--ulb", "NOPE", "--office", "Z01"): "no ULB 'NOPE'",
        ("revoke", "--device-id", "no-such-device"): "no such device",
    }
    for args, message in cases.items():
        code, _, err = run(*args, *db)
        assert code == 2, args
        assert message in err, (args, err)

    code, _, err = run("serve", "--database-url", f"sqlite:///{tmp_path / 'c.db'}")
    assert code == 2 and "only for the demo" in err
    assert not (tmp_path / "c.db").exists()


def test_mark_restored_gives_a_new_epoch(empty_db: str) -> None:
    engine = engine_for_url(empty_db, pool_size=1)
    with engine.connect() as connection:
        before = connection.execute(select(ServerMeta.server_epoch)).scalar_one()

    code, out, _ = run("mark-restored", "--database-url", empty_db)

    with engine.connect() as connection:
        after = connection.execute(select(ServerMeta.server_epoch)).scalar_one()
    engine.dispose()
    assert code == 0 and after != before and after in out


def test_prune_feed_deletes_old_rows_and_raises_the_horizon(empty_db: str) -> None:
    now = datetime.now(UTC)
    engine = engine_for_url(empty_db, pool_size=1)
    with engine.begin() as connection:
        for seq, age_days in ((1, 50), (2, 40), (3, 31), (4, 5)):
            connection.execute(
                insert(ChangeLog).values(
                    seq=seq,
                    ulb_code="DEMO",
                    entity="property",
                    entity_uuid=f"p{seq}",
                    op="upsert",
                    version=1,
                    payload={},
                    created_at=now - timedelta(days=age_days),
                )
            )

    code, out, _ = run("prune-feed", "--keep-days", "30", "--database-url", empty_db)

    with engine.connect() as connection:
        left = connection.execute(select(ChangeLog.seq)).scalars().all()
        horizon = connection.execute(select(ServerMeta.min_retained_seq)).scalar_one()
    engine.dispose()
    assert code == 0 and "deleted 3" in out
    assert (left, horizon) == ([4], 3)
    # Nothing older left: a second prune changes nothing and never lowers the horizon.
    assert "deleted 0" in run("prune-feed", "--keep-days", "30", "--database-url", empty_db)[1]


def test_python_dash_m_central_runs_the_same_commands(empty_db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "central", "migrate", "--database-url", empty_db],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "schema at head" in result.stdout
