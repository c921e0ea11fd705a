"""The sync engine against a real central: enrolment, push order and acks, payments of other
counters reducing dues here, property merges and conflicts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.property.service import PropertyInput
from tests.central.server import CentralServer
from tests.sync.conftest import Device, central_query, enrol, new_device


def _input(device: Device, uuid: str, **changes: object) -> PropertyInput:
    detail = device.services.properties.get(uuid)
    base = dict(
        property_id=detail.property_id,
        ward_no=detail.ward_no,
        zone_code=detail.zone_code,
        old_id=detail.old_id,
        address_en=detail.address_en,
        address_hi=detail.address_hi,
        open_land_sqft=detail.open_land_sqft,
        owners=detail.owners,
        units=detail.units,
    )
    base.update(changes)
    return PropertyInput(**base)  # type: ignore[arg-type]


def test_enrol_push_ack_and_secrets_stay_out_of_the_database(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    assert not device.sync.is_enrolled()
    enrol(device, central_server)
    assert device.sync.is_enrolled()
    # The key and refresh token live in the secret store, not in the database (nor its WAL).
    refresh = (device.data_dir / "secrets" / "sync-refresh-token").read_text()
    key = (device.data_dir / "secrets" / "sync-device-key").read_text()
    for path in device.data_dir.glob("nikay.sqlite3*"):
        blob = path.read_bytes()
        assert refresh.encode() not in blob and key.encode() not in blob

    # A master-data edit first, then money: money still goes up first.
    supervisor = device.actor("supervisor1")
    prop = device.properties[0]
    device.services.properties.update(supervisor, prop, _input(device, prop, address_en="14, Gandhi Chowk"))
    receipts = [device.collect(prop, 50_000), device.collect(prop, 20_000)]
    status = device.sync.status()
    assert status.pending_ops == 4 and status.pending_money_ops == 3  # session opened + 2 receipts; the edit

    report = device.sync.run_cycle()
    assert report.acknowledged == 4 and report.quarantined == 0
    assert device.outbox_states() == {"acked": 4}
    status = device.sync.status()
    assert status.pending_ops == 0 and status.last_success_at is not None and status.clock_offset_s is not None
    assert abs(status.clock_offset_s) < 5
    rows = central_query(central_server, "SELECT uuid FROM receipt ORDER BY seq")
    assert [row.uuid for row in rows] == receipts
    order = central_query(central_server, "SELECT kind FROM sync_op ORDER BY received_at, device_seq")
    kinds = [row.kind for row in order]
    assert kinds.index("property.updated") > max(i for i, k in enumerate(kinds) if k.startswith("receipt."))
    # The day reconciles: the ledger matched, the receipts are marked reconciled.
    with device.services.db.read() as session:
        unreconciled = session.execute(
            text("SELECT count(*) FROM outbox WHERE kind = 'receipt.created' AND reconciled_at IS NULL")
        ).scalar()
    assert unreconciled == 0 and report.ledger_mismatches == 0


def test_a_payment_at_another_counter_reduces_the_dues_here_and_its_cancellation_restores_them(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(a)
    enrol(a, central_server)
    prop = a.properties[0]
    # Device B knows the same property (same uuid), as every counter of the ULB does.
    b = new_device(tmp_path, "b")
    devices.append(b)
    enrol(b, central_server)
    _copy_property(a, b, prop)
    today = a.services.collections.today()
    due_before = b.services.dues.dues(prop, today).payable_paise
    assert due_before > 0

    receipt = a.collect(prop, due_before)  # A settles everything
    a.sync.run_cycle()
    report = b.sync.run_cycle()
    assert report.pulled >= 1
    assert b.services.dues.dues(prop, today).payable_paise == 0  # B can no longer collect it again

    supervisor = a.actor("supervisor1")
    a.services.collections.cancel(a.actor("clerk1"), supervisor, receipt, "wrong property")
    a.sync.run_cycle()
    b.sync.run_cycle()
    assert b.services.dues.dues(prop, today).payable_paise == due_before


def _copy_property(source: Device, target: Device, uuid: str) -> None:
    """The same property row (and its demand) on another device, as the demo seed gives every counter."""
    with source.services.db.read() as session:
        tables = {
            "property": session.execute(text("SELECT * FROM property WHERE uuid = :u"), {"u": uuid}).mappings().all(),
            "owner": session.execute(text("SELECT * FROM owner WHERE property_uuid = :u"), {"u": uuid})
            .mappings()
            .all(),
            "unit": session.execute(text("SELECT * FROM unit WHERE property_uuid = :u"), {"u": uuid}).mappings().all(),
            "demand": session.execute(text("SELECT * FROM demand WHERE property_uuid = :u"), {"u": uuid})
            .mappings()
            .all(),
            "return_filing": session.execute(text("SELECT * FROM return_filing WHERE property_uuid = :u"), {"u": uuid})
            .mappings()
            .all(),
        }
    with target.services.db.write() as session:
        for table, rows in tables.items():
            for row in rows:
                values = {k: v for k, v in row.items() if k != "id"}
                columns = ", ".join(values)
                marks = ", ".join(f":{k}" for k in values)
                session.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)


def test_property_edits_on_two_devices_merge_by_field_and_a_true_conflict_goes_to_a_supervisor(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(a)
    enrol(a, central_server)
    prop = a.properties[0]
    supervisor_a = a.actor("supervisor1")
    # The property reaches the central through a's edit (property.updated of an unknown property
    # creates it there), then b gets it by pulling.
    a.services.properties.update(supervisor_a, prop, _input(a, prop, old_id="OLD-1"))
    a.sync.run_cycle()
    b = new_device(tmp_path, "b")
    devices.append(b)
    enrol(b, central_server)
    b.sync.run_cycle()
    assert b.services.properties.get(prop).old_id == "OLD-1"
    supervisor_b = b.actor("supervisor1")

    # Disjoint fields: both survive on both devices.
    a.services.properties.update(supervisor_a, prop, _input(a, prop, address_en="A street"))
    b.services.properties.update(supervisor_b, prop, _input(b, prop, old_id="OLD-B"))
    a.sync.run_cycle()
    report_b = b.sync.run_cycle()
    assert report_b.conflicts == 0
    a.sync.run_cycle()
    for device in (a, b):
        detail = device.services.properties.get(prop)
        assert (detail.address_en, detail.old_id) == ("A street", "OLD-B")

    # The same field, two values: the central keeps the first, the second device sees a conflict.
    a.services.properties.update(supervisor_a, prop, _input(a, prop, address_en="From A"))
    b.services.properties.update(supervisor_b, prop, _input(b, prop, address_en="From B"))
    a.sync.run_cycle()
    report_b = b.sync.run_cycle()
    assert report_b.conflicts == 1
    assert b.services.properties.get(prop).address_en == "From A"  # the central's value until decided
    views = b.sync.conflicts()
    assert len(views) == 1 and [f.name for f in views[0].fields] == ["address_en"]
    field = views[0].fields[0]
    assert (field.mine, field.theirs) == ("From B", "From A")
    assert b.sync.status().conflicts_open == 1

    # A clerk may not decide; a supervisor picks "mine" and it goes up and comes down everywhere.
    import pytest

    from app.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        b.sync.resolve_conflict(b.actor("clerk1"), views[0].uuid, {"address_en": "mine"})
    b.sync.resolve_conflict(supervisor_b, views[0].uuid, {"address_en": "mine"})
    assert b.services.properties.get(prop).address_en == "From B"
    b.sync.run_cycle()
    a.sync.run_cycle()
    assert a.services.properties.get(prop).address_en == "From B"
    assert b.sync.conflicts() == [] and b.sync.status().conflicts_open == 0
    assert central_query(central_server, "SELECT count(*) AS n FROM sync_conflict WHERE resolved_at IS NULL")[0].n == 0


def test_an_expired_access_token_is_refreshed_once_and_a_revoked_device_stops(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    import pytest
    import requests

    from sync.errors import DeviceRevoked

    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    enrol(device, central_server)
    refresh_before = (device.data_dir / "secrets" / "sync-refresh-token").read_text()
    device.sync.credentials.set_access("not-a-valid-token", 900)  # the central answers 401
    device.collect(device.properties[0], 10_000)
    assert device.sync.run_cycle().acknowledged == 2
    assert (device.data_dir / "secrets" / "sync-refresh-token").read_text() != refresh_before  # rotated

    device_id = central_query(central_server, "SELECT device_id FROM device")[0].device_id
    reply = requests.post(
        f"{central_server.base_url}/v1/admin/devices/{device_id}/revoke",
        headers={"Authorization": f"Bearer {central_server.admin_token}"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    device.collect(device.properties[0], 10_000)
    with pytest.raises(DeviceRevoked):
        device.sync.run_cycle()
    status = device.sync.status()
    assert status.state.value == "revoked" and "revoked" in status.last_error
    assert status.pending_money_ops == 1  # local work goes on; nothing is dropped

    # The worker stops knocking: its next attempt waits for Sync now, not for the backoff timer.
    from sync.worker import REVOKED_PARK_S, SyncWorker

    worker = SyncWorker(device.sync, interval_s=60.0)
    assert worker._step() == REVOKED_PARK_S
    assert worker.failures == 0
    if worker.holds_lock:
        device.sync.lock.release()


def test_the_command_line_enrols_syncs_and_reports(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    import os
    import subprocess
    import sys

    from tests.central.server import issue_code

    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    device.collect(device.properties[0], 10_000)
    env = {**os.environ, "NIKAY_SECRET_STORE": "file"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "sync", *args, "--data-dir", str(device.data_dir)]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)

    code = issue_code(central_server.base_url, central_server.admin_token, "Z01")
    done = run("enrol", "--central", central_server.base_url, "--code", code)
    assert done.returncode == 0, done.stderr
    assert "as device 1" in done.stdout
    assert "pending operations: 2 (money 2)" in run("status").stdout
    done = run("now")
    assert done.returncode == 0 and "acknowledged 2" in done.stdout, done.stderr
    status = run("status").stdout
    assert "state: idle" in status and "pending operations: 0" in status
