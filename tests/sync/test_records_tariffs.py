"""Issue 5's tariffs come down like property tax's: the central publishes water-, trade-licence- and
swm- files (each validated by its kind; a bad one refused with the file and field named), the device
stores them and the tariff book uses them from the next start."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.audit.models import AuditEntry
from app.masters.tariffs import downloaded_tariffs_dir
from app.paths import RESOURCES_DIR
from central.db.engine import engine_for_url, make_sessionmaker
from central.reference import ReferenceError, publish_tariff
from central.reference_cli import app as reference_cli
from tests.central.conftest import CentralDb
from tests.central.server import CentralServer
from tests.sync.conftest import Device, enrol, new_device

DEMO = RESOURCES_DIR / "tariffs" / "DEMO"
WATER = (DEMO / "water-2026-27.toml").read_text(encoding="utf-8")
SWM = (DEMO / "swm-2026-27.toml").read_text(encoding="utf-8")
TRADE = (DEMO / "trade-licence-2026-27.toml").read_text(encoding="utf-8")


def refusals(device: Device) -> dict[str, str]:
    with device.services.db.read() as session:
        rows = session.execute(
            select(AuditEntry.entity_id, AuditEntry.after_json).where(AuditEntry.action == "sync.refused")
        ).all()
    return {entity_id: json.loads(after)["problem"] for entity_id, after in rows}


def test_a_water_tariff_published_centrally_is_used_by_the_device_and_a_bad_one_is_refused_there(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a")
    devices.append(device)
    enrol(device, central_server)
    revised = WATER.replace('DOMESTIC = "200"', 'DOMESTIC = "250"')
    assert revised != WATER
    # An SWM file that charges households by category (they go by built-up area slab): the central's
    # check is switched off here, so the device's own check is what stops it.
    broken_swm = SWM.replace("[categories]", '[categories]\nHOUSEHOLD = "10"')
    assert broken_swm != SWM
    engine = engine_for_url(central_server.database_url, pool_size=1)
    try:
        with make_sessionmaker(engine).begin() as session:
            publish_tariff(
                session, "DEMO", "swm-2027-28.toml", broken_swm.replace("2026-27", "2027-28"), validate=False
            )
            publish_tariff(session, "DEMO", "water-2026-27.toml", revised)
            publish_tariff(session, "DEMO", "trade-licence-2026-27.toml", TRADE)
    finally:
        engine.dispose()

    device.sync.run_cycle()

    stored = downloaded_tariffs_dir(device.data_dir) / "DEMO"
    assert sorted(p.name for p in stored.iterdir()) == ["trade-licence-2026-27.toml", "water-2026-27.toml"]
    assert (stored / "water-2026-27.toml").read_text(encoding="utf-8") == revised
    problem = refusals(device)["swm-2027-28.toml"]
    assert "HOUSEHOLD is charged by household_slabs" in problem

    assert device.services.tariffs.water("DEMO", "2026-27").flat_monthly["DOMESTIC"] == Decimal("200")
    device.reopen()  # the next start of the app
    water = device.services.tariffs.water("DEMO", "2026-27")
    assert water.flat_monthly["DOMESTIC"] == Decimal("250")
    assert water.flat_monthly["COMMERCIAL"] == Decimal("1000")  # the rest as published
    assert not device.services.tariffs.has_service("swm", "DEMO", "2027-28")  # the refused file is not in force
    assert device.services.tariffs.swm("DEMO", "2026-27").categories["SHOP"] == Decimal("50")  # bundled, as before


@pytest.mark.parametrize(
    ("name", "text", "named"),
    [
        ("water-2026-27.toml", WATER.replace("[fees]", '[fees]\nmeter_rent = "50"'), "fees.meter_rent"),
        ("water-2026-27.toml", WATER.replace("[flat_monthly]", '[flat_monthly]\nHOSTEL = "300"'), "HOSTEL"),
        ("trade-licence-2026-27.toml", TRADE.replace("GT_15", "GT_20", 1), "must have bands"),
        ("swm-2026-27.toml", SWM.replace("bill_priority", "priority"), "bill_priority"),
        ("sewer-2026-27.toml", WATER, "not a tariff file name"),
    ],
)
def test_the_central_refuses_a_bad_service_tariff_naming_the_file_and_the_field(
    central_db: CentralDb, name: str, text: str, named: str
) -> None:
    engine = engine_for_url(central_db.url, pool_size=1)
    try:
        with pytest.raises(ReferenceError) as refused, make_sessionmaker(engine).begin() as session:
            publish_tariff(session, "DEMO", name, text)
        assert name in str(refused.value) and named in str(refused.value)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM change_log").scalar() == 0
    finally:
        engine.dispose()


def test_publish_tariffs_takes_a_folder_of_every_kind_and_refuses_it_whole_for_one_bad_file(
    central_db: CentralDb, tmp_path: Path
) -> None:
    runner = CliRunner()
    folder = tmp_path / "DEMO"
    shutil.copytree(DEMO, folder)
    args = ["publish-tariffs", "--ulb", "DEMO", "--dir", str(folder), "--database-url", central_db.url]
    first = runner.invoke(reference_cli, args)
    assert first.exit_code == 0, first.output
    for kind in ("property-tax", "water", "trade-licence", "swm"):
        assert f"{kind}-2026-27.toml: published as version 1" in first.output

    (folder / "water-2026-27.toml").write_text(WATER.replace('rate_per_kl = "15"', 'rate_per_kl = "fifteen"'))
    refused = runner.invoke(reference_cli, args)
    assert refused.exit_code == 2
    assert "water-2026-27.toml" in refused.output and "metered.BULK.rate_per_kl" in refused.output
    url = central_db.url
    rows = central_query_url(url, "SELECT name, version FROM tariff_file WHERE name = 'water-2026-27.toml'")
    assert rows == [("water-2026-27.toml", 1)]  # nothing of the refused folder went out


def central_query_url(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = engine_for_url(url, pool_size=1)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(sql)]
    finally:
        engine.dispose()
