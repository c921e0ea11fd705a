"""The reference-data commands (publish-tariffs, user, setting) and the payments CLI, run as an
operator runs them, against real PostgreSQL (and a real central for the HTTP ones)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.core.ids import new_uuid
from app.paths import RESOURCES_DIR
from app.security.passwords import verify_password
from central.db.engine import engine_for_url, make_sessionmaker
from central.db.models import ChangeLog, Ulb
from central.payments.cli import app as payments_cli
from central.payments.models import UlbUser
from central.reference_cli import app as reference_cli
from tests.central import test_payments as payments_kit
from tests.central.conftest import CentralDb
from tests.central.server import CentralServer

runner = CliRunner()

# The payment tests' central (sandbox gateway on), shared: one process per session.
_shared_pay_server = payments_kit._shared_pay_server
pay_server = payments_kit.pay_server
sandbox_pay = payments_kit.sandbox_pay
current_fy = payments_kit.current_fy


def feed(url: str, entity: str) -> list[tuple[str, int, dict[str, object]]]:
    engine = engine_for_url(url, pool_size=1)
    try:
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(ChangeLog.entity_uuid, ChangeLog.version, ChangeLog.payload)
                .where(ChangeLog.entity == entity)
                .order_by(ChangeLog.id)
            )
            return [(uuid, version, payload) for uuid, version, payload in rows]
    finally:
        engine.dispose()


def test_publish_tariffs_versions_only_changed_files_and_refuses_a_bad_one(
    central_db: CentralDb, tmp_path: Path
) -> None:
    folder = tmp_path / "DEMO"
    shutil.copytree(RESOURCES_DIR / "tariffs" / "DEMO", folder)
    args = ["publish-tariffs", "--ulb", "DEMO", "--dir", str(folder), "--database-url", central_db.url]

    first = runner.invoke(reference_cli, args)
    again = runner.invoke(reference_cli, args)
    path = folder / "property-tax-2026-27.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"10"', '"11"', 1), encoding="utf-8")
    changed = runner.invoke(reference_cli, args)

    shipped = sorted(p.name for p in folder.glob("*.toml"))  # every kind: property tax, water, licence, SWM
    assert first.exit_code == 0, first.output
    assert first.output.count("published as version 1") == len(shipped)
    assert again.output.count("unchanged (version 1)") == len(shipped)
    assert "property-tax-2026-27.toml: published as version 2" in changed.output
    assert changed.output.count("unchanged (version 1)") == len(shipped) - 1
    rows = feed(central_db.url, "tariff")
    assert sorted((name, version) for name, version, _ in rows) == sorted(
        [(name, 1) for name in shipped] + [("property-tax-2026-27.toml", 2)]
    )
    assert rows[-1][:2] == ("property-tax-2026-27.toml", 2)
    assert rows[-1][2]["toml"] == path.read_text(encoding="utf-8")

    bad = tmp_path / "BAD" / "DEMO"
    bad.mkdir(parents=True)
    (bad / "property-tax-2027-28.toml").write_text('ulb = "DEMO"\nfy = "2027-28"\n', encoding="utf-8")
    refused = runner.invoke(reference_cli, [*args[:3], "--dir", str(bad), "--database-url", central_db.url])
    assert refused.exit_code == 2
    assert "property-tax-2027-28.toml" in refused.output and "alv_rates" in refused.output
    assert len(feed(central_db.url, "tariff")) == len(shipped) + 1  # nothing of the refused folder went out


def test_user_and_setting_commands_feed_the_devices(central_db: CentralDb, monkeypatch: pytest.MonkeyPatch) -> None:
    url = ["--database-url", central_db.url]
    monkeypatch.setenv("NIKAY_NEW_PASSWORD", "Counter#2026")
    added = runner.invoke(
        reference_cli,
        [
            "user",
            "add",
            "--ulb",
            "DEMO",
            "--username",
            "Meena.Clerk",
            "--full-name",
            "Meena Verma",
            "--role",
            "clerk",
            *url,
        ],
    )
    twice = runner.invoke(
        reference_cli,
        ["user", "add", "--ulb", "DEMO", "--username", "meena.clerk", "--full-name", "M", "--role", "clerk", *url],
    )
    bad_role = runner.invoke(
        reference_cli,
        ["user", "add", "--ulb", "DEMO", "--username", "x.user", "--full-name", "X", "--role", "wizard", *url],
    )
    disabled = runner.invoke(reference_cli, ["user", "disable", "--ulb", "DEMO", "--username", "meena.clerk", *url])
    setting = runner.invoke(reference_cli, ["setting", "set", "--ulb", "DEMO", "payments.upi_vpa", "demo@sbi", *url])
    not_vpa = runner.invoke(reference_cli, ["setting", "set", "--ulb", "DEMO", "payments.upi_vpa", "nope", *url])

    assert added.exit_code == 0, added.output
    assert twice.exit_code == 2 and "already exists" in twice.output
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
    assert disabled.exit_code == 0 and "version 2" in disabled.output
    assert setting.exit_code == 0 and not_vpa.exit_code == 2
    users = feed(central_db.url, "user")
    assert [(name, version, payload["active"]) for name, version, payload in users] == [
        ("meena.clerk", 1, True),
        ("meena.clerk", 2, False),
    ]
    assert "Counter#2026" not in str(users)  # only the hash travels
    engine = engine_for_url(central_db.url, pool_size=1)
    with make_sessionmaker(engine)() as session:
        user = session.get(UlbUser, ("DEMO", "meena.clerk"))
        assert user is not None and verify_password(user.password_hash, "Counter#2026")
        ulb = session.get(Ulb, "DEMO")
        assert ulb is not None and ulb.settings["payments.upi_vpa"] == "demo@sbi"
    engine.dispose()
    assert [(k, p) for k, _, p in feed(central_db.url, "setting")] == [
        ("payments.upi_vpa", {"key": "payments.upi_vpa", "value": "demo@sbi"})
    ]


def test_payments_cli_creates_and_pays_an_order(pay_server: CentralServer) -> None:
    fy = current_fy()
    made = runner.invoke(
        payments_cli,
        [
            "create-order",
            "--ulb",
            "DEMO",
            "--property",
            new_uuid(),
            "--line",
            f"{fy}:PROPERTY_TAX:1000.50",
            "--line",
            f"{fy}:samekit:200",
            "--url",
            pay_server.base_url,
        ],
    )
    assert made.exit_code == 0, made.output
    assert '"amount_paise": 120050' in made.output
    order_id = made.output.split('"order_id": "')[1].split('"')[0]
    paid = runner.invoke(payments_cli, ["sandbox-pay", order_id, "--url", pay_server.base_url])
    assert paid.exit_code == 0, paid.output
    assert f"callback 200: recorded receipt DEMO/ONLINE/{fy}/000001 flags []" in paid.output
    bad_line = runner.invoke(payments_cli, ["create-order", "--ulb", "DEMO", "--property", "p", "--line", "oops"])
    assert bad_line.exit_code == 2
