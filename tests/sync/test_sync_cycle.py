"""The sync engine against a real central: enrolment, push order and acks, payments of other
counters reducing dues here, property merges and conflicts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.property.service import PropertyInput
from app.security.roles import Role
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
