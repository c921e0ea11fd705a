"""The device side of the outbox without a central: lanes and hashes as the protocol defines them,
an existing issue-3 database upgrading, the demand summary op, enrolment input checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.core.clock import SystemClock
from app.db import open_database
from app.db.migrate import alembic_config
from app.errors import ValidationError
from app.outbox.service import Outbox, canonical_json, lane_for
from sync.protocol import OpKind, lane_of, payload_sha256
from sync.protocol import canonical_json as protocol_canonical_json
from tests.sync.conftest import Device, new_device


def test_every_op_kind_gets_the_protocol_lane_and_hash(tmp_path: Path, devices: list[Device]) -> None:
    payload = {"b": [1, "दो"], "a": {"z": None, "y": 2}}
    assert canonical_json(payload) == protocol_canonical_json(payload)
    device = new_device(tmp_path, "a")
    devices.append(device)
    kinds = [*OpKind, "something.new"]
    with device.services.db.write() as session:
        for kind in kinds:
            Outbox(SystemClock()).append(
                session, kind, "e", payload, base_version=3 if kind == "property.updated" else None
            )
    with device.services.db.read() as session:
        rows = session.execute(text("SELECT kind, lane, payload_sha256, payload_json, state, base_version FROM outbox"))
        for kind, lane, sha, stored, state, base_version in rows:
            assert lane == lane_of(kind) == lane_for(kind)
            assert sha == payload_sha256(json.loads(stored)) == payload_sha256(payload)
            assert state == "pending"
            assert base_version == (3 if kind == "property.updated" else None)


def test_an_issue_three_database_upgrades_with_its_outbox_rows_valid(tmp_path: Path) -> None:
    db = open_database(tmp_path, migrate=False)
    config = alembic_config(db)
    command.upgrade(config, "0003")
    payload = {"uuid": "r1", "amount_paise": 100}
    with db.engine.begin() as connection:
        for seq, acknowledged in ((1, None), (2, "2026-06-01 10:00:00")):
            connection.execute(
                text(
                    "INSERT INTO outbox (op_uuid, kind, entity_uuid, payload_json, created_at, acknowledged_at) "
                    "VALUES (:op, 'receipt.created', 'r1', :payload, '2026-06-01 09:00:00', :ack)"
                ),
                {"op": f"op-{seq}", "payload": json.dumps(payload, indent=1), "ack": acknowledged},
            )
    command.upgrade(config, "head")
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT state, lane, payload_sha256, device_time FROM outbox ORDER BY device_seq")
        ).all()
    assert [row.state for row in rows] == ["pending", "acked"]
    assert all(row.lane == 0 and row.payload_sha256 == payload_sha256(payload) and row.device_time for row in rows)
    db.dispose()


def test_demand_generation_reports_its_summary_to_the_central(tmp_path: Path, devices: list[Device]) -> None:
    from tests.factories import add_property

    device = new_device(tmp_path, "a")
    devices.append(device)
    add_property(device.services.db, "W01-000009", years=())
    created = device.services.dues.generate(device.actor("admin1"), "DEMO", "2026-27")
    assert created == 1
    with device.services.db.read() as session:
        rows = session.execute(text("SELECT payload_json, lane FROM outbox WHERE kind = 'demand.summary'")).all()
        raised = session.execute(text("SELECT sum(amount_paise) FROM demand WHERE fy = '2026-27'")).scalar()
    assert len(rows) == 1 and rows[0].lane == 1
    summary = json.loads(rows[0].payload_json)
    assert summary["fy"] == "2026-27" and sum(summary["by_head"].values()) == raised
    assert sum(sum(heads.values()) for heads in summary["by_ward"].values()) == raised


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("http://central.example.in", "ABCDEFGH", "https"),
        ("ftp://central", "ABCDEFGH", "not a central address"),
        ("https://central.example.in", "abc", "6 to 64"),
    ],
)
def test_enrolment_refuses_bad_input_before_any_network(
    url: str, code: str, message: str, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a")
    devices.append(device)
    with pytest.raises(ValidationError, match=message):
        device.sync.enrol(url, code)
    with pytest.raises(ValidationError, match="only for a central on this PC"):
        device.sync.enrol("https://central.example.in", "ABCDEFGH", verify_tls=False)
    assert not device.sync.is_enrolled() and device.sync.status().state.value == "not_enrolled"


def test_property_edits_queue_their_ops_in_the_same_transaction(tmp_path: Path, devices: list[Device]) -> None:
    from decimal import Decimal

    from app.property.dto import OwnerData, UnitData
    from app.property.service import PropertyInput
    from sync.protocol import PROPERTY_MERGE_FIELDS

    device = new_device(tmp_path, "a")
    devices.append(device)
    supervisor = device.actor("supervisor1")
    data = PropertyInput(
        property_id="W02-000077",
        ward_no=1,
        zone_code="B",
        owners=(OwnerData("Sita Verma", "सीता वर्मा"),),
        units=(UnitData(0, Decimal("750.50"), "RCC_RB", "RESIDENTIAL"),),
    )
    created = device.services.properties.create(supervisor, data)
    # Confirmed by the central at version 4: later edits send only what changed, against that base.
    with device.services.db.write() as session:
        session.execute(text("UPDATE property SET server_version = 4 WHERE uuid = :u"), {"u": created.uuid})
    device.services.properties.update(supervisor, created.uuid, PropertyInput(**{**data.__dict__, "old_id": "X-1"}))
    device.services.properties.set_return_filed(supervisor, created.uuid, "2026-27", True)
    with device.services.db.read() as session:
        rows = session.execute(
            text("SELECT kind, payload_json, base_version, base_values_json FROM outbox ORDER BY device_seq")
        ).all()
    assert [row.kind for row in rows] == ["property.created", "property.updated", "property.updated"]
    created_payload = json.loads(rows[0].payload_json)
    assert tuple(created_payload) == tuple(sorted(PROPERTY_MERGE_FIELDS))
    assert created_payload["units"][0]["area_sqft"] == "750.50"  # decimals as text, never floats
    assert json.loads(rows[1].payload_json) == {"old_id": "X-1"}
    assert (rows[1].base_version, json.loads(rows[1].base_values_json)) == (4, {"old_id": ""})
    assert json.loads(rows[2].payload_json) == {"returns": {"2026-27": True}}
    assert json.loads(rows[2].base_values_json) == {"returns": {}}


def test_a_change_from_the_central_that_cannot_be_applied_is_counted_for_support(
    tmp_path: Path, devices: list[Device]
) -> None:
    from sync.protocol import Change

    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    good = Change(
        seq=1,
        entity="payment",
        entity_uuid="0190f1a2-7b3c-7d4e-8f90-000000000001",
        op="upsert",
        version=1,
        payload={
            "uuid": "0190f1a2-7b3c-7d4e-8f90-000000000001",
            "receipt_no": "DEMO/Z01/C02/2026-27/000001",
            "property_uuid": device.properties[0],
            "business_date": "2026-06-15",
            "amount_paise": 50_000,
            "mode": "CASH",
            "source": "COUNTER",
            "lines": [{"fy": "2026-27", "head": "PROPERTY_TAX", "amount_paise": 50_000}],
        },
    )
    broken = good.model_copy(update={"seq": 2, "payload": {"uuid": "x"}})  # no property, no amount
    with device.services.db.write() as session:
        assert device.sync.dispatcher.apply(session, good)
        assert not device.sync.dispatcher.apply(session, broken)
    status = device.sync.status()
    assert status.skipped_changes == 1
    with device.services.db.read() as session:  # the good change stayed applied beside the skipped one
        paid = session.scalar(text("SELECT count(*) FROM remote_payment"))
    assert paid == 1
