"""Issue 5's synced records at the central (record.upserted ops): insert, version-checked edits,
field-level merge and conflicts, idempotent append-only records, refusal of malformed ones, the ULB
taken from the device, the feed and the snapshot. Real PostgreSQL, no HTTP (test_records_sync.py in
tests/sync drives the same through real devices)."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from app.replica.records import service_demand_uuid
from central.api.deps import DeviceContext
from central.config import CentralSettings
from central.db.engine import engine_for_url, migrate
from central.db.models import Anomaly, ChangeLog, QuarantinedOp, SyncConflict, Ulb
from central.db.records_models import SyncedRecord
from central.sync.feed import pull_page, stamp
from central.sync.ingest import ingest
from central.sync.snapshot import snapshot_page
from sync.protocol import OpKind, OpResult, OpStatus
from tests.central.conftest import CentralDb
from tests.central.server import seed_ulb
from tests.central.test_sync_ingest import Outbox, add_device, push_request

RECORD = OpKind.RECORD_UPSERTED.value


@pytest.fixture
def engine(central_db: CentralDb) -> Iterator[Engine]:
    engine = engine_for_url(central_db.url, pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(central_db: CentralDb) -> CentralSettings:
    return CentralSettings(database_url=central_db.url, token_secret="x")


def connection_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ulb_code": "DEMO",
        "consumer_no": "W-01-000001",
        "property_uuid": None,
        "holder_name_en": "Ramesh Sahu",
        "holder_name_hi": "रमेश साहू",
        "mobile": "9876543210",
        "address_en": "12, Gandhi Chowk",
        "address_hi": "12, गांधी चौक",
        "ward_no": 1,
        "category": "DOMESTIC",
        "pipe_size_mm": 15,
        "metered": False,
        "meter_no": "",
        "billing_cycle": "MONTHLY",
        "status": "ACTIVE",
        "connected_on": "2026-04-01",
        "disconnected_on": "",
    }
    fields.update(changes)
    return fields


def demand_fields(account: str, amount_paise: int = 20_000, period: str = "2026-11") -> dict[str, Any]:
    return {
        "service": "WATER",
        "account_uuid": account,
        "period": period,
        "fy": "2026-27",
        "head": "WATER_CHARGE",
        "amount_paise": amount_paise,
        "due_date": "2026-12-15",
        "ward_no": 1,
        "detail": "",
    }


def record(entity: str, uuid: str, fields: Any) -> dict[str, Any]:
    return {"entity": entity, "uuid": uuid, "fields": fields}


def push(engine: Engine, settings: CentralSettings, device: DeviceContext, outbox: Outbox, *ops: Any) -> list[OpResult]:
    return ingest(engine, device, push_request(list(ops)), settings).response.results


def stored(engine: Engine, ulb: str, entity: str, uuid: str) -> Any:
    t = SyncedRecord
    with engine.connect() as connection:
        return connection.execute(
            select(t.version, t.fields).where(t.ulb_code == ulb, t.entity == entity, t.uuid == uuid)
        ).one_or_none()


def record_changes(engine: Engine, device: DeviceContext) -> list[Any]:
    stamp(engine, wait=True)
    with engine.connect() as connection:
        page = pull_page(connection, device.ulb_code, device.device_id, 0, 500)
    return [c for c in page.changes if c.entity == "record"]


def test_edits_from_two_counters_merge_field_by_field_and_a_true_conflict_goes_to_a_supervisor(
    central_db: CentralDb, engine: Engine, settings: CentralSettings
) -> None:
    a, b = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    box_a, box_b = Outbox(), Outbox()
    uuid = str(uuidlib.uuid4())
    original = connection_fields()

    created = push(engine, settings, a, box_a, box_a.op(RECORD, record("water_connection", uuid, original), uuid))
    assert created[0].status == OpStatus.ACCEPTED and created[0].server_version == 1

    # B changes the mobile number from version 1; A, still at version 1, changes the address.
    b_edit = connection_fields(mobile="9000000001")
    push(
        engine,
        settings,
        b,
        box_b,
        box_b.op(RECORD, record("water_connection", uuid, b_edit), uuid, base_version=1, base_values=original),
    )
    a_edit = connection_fields(address_en="14, Gandhi Chowk")
    merged = push(
        engine,
        settings,
        a,
        box_a,
        box_a.op(RECORD, record("water_connection", uuid, a_edit), uuid, base_version=1, base_values=original),
    )
    assert merged[0].status == OpStatus.ACCEPTED and merged[0].server_version == 3
    row = stored(engine, "DEMO", "water_connection", uuid)
    assert row.version == 3
    assert row.fields["mobile"] == "9000000001" and row.fields["address_en"] == "14, Gandhi Chowk"

    # Both change the category from version 3, differently: the central keeps B's, a person decides.
    at_3 = dict(row.fields)
    push(
        engine,
        settings,
        b,
        box_b,
        box_b.op(
            RECORD,
            record("water_connection", uuid, {**at_3, "category": "COMMERCIAL"}),
            uuid,
            base_version=3,
            base_values=at_3,
        ),
    )
    clash = push(
        engine,
        settings,
        a,
        box_a,
        box_a.op(
            RECORD,
            record("water_connection", uuid, {**at_3, "category": "INDUSTRIAL"}),
            uuid,
            base_version=3,
            base_values=at_3,
        ),
    )
    assert clash[0].status == OpStatus.CONFLICT and "category" in clash[0].message
    assert stored(engine, "DEMO", "water_connection", uuid).fields["category"] == "COMMERCIAL"
    with engine.connect() as connection:
        conflict = connection.execute(select(SyncConflict.__table__)).one()
    assert (conflict.entity, conflict.entity_uuid) == ("water_connection", uuid)
    assert conflict.fields == {"category": {"base": "DOMESTIC", "mine": "INDUSTRIAL", "theirs": "COMMERCIAL"}}

    # A supervisor picks A's value: a new version with it, and the conflict is closed.
    resolved = push(
        engine,
        settings,
        a,
        box_a,
        box_a.op(
            OpKind.CONFLICT_RESOLVED.value,
            {"conflict_uuid": conflict.uuid, "entity": "water_connection", "choose": {"category": "mine"}},
            uuid,
        ),
    )
    assert resolved[0].status == OpStatus.ACCEPTED
    final = stored(engine, "DEMO", "water_connection", uuid)
    assert final.version == 5 and final.fields["category"] == "INDUSTRIAL"
    with engine.connect() as connection:
        assert connection.execute(select(SyncConflict.resolved_at)).scalar_one() is not None

    # Every version went into the feed, for the sender too (it learns the central's version).
    versions = [c.version for c in record_changes(engine, a)]
    assert versions == [1, 2, 3, 4, 5]


def test_the_same_service_demand_from_two_devices_is_one_record_and_a_different_price_is_an_anomaly(
    central_db: CentralDb, engine: Engine, settings: CentralSettings
) -> None:
    a, b = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    box_a, box_b = Outbox(), Outbox()
    account = str(uuidlib.uuid4())
    uuid = service_demand_uuid("WATER", account, "2026-11", "WATER_CHARGE")
    payload = record("service_demand", uuid, demand_fields(account))

    first = push(engine, settings, a, box_a, box_a.op(RECORD, payload, uuid))
    same = push(engine, settings, b, box_b, box_b.op(RECORD, payload, uuid))
    assert first[0].status == OpStatus.ACCEPTED
    assert same[0].status == OpStatus.DUPLICATE
    # A's own demand is not sent back to A; B gets it once.
    assert len(record_changes(engine, a)) == 0 and len(record_changes(engine, b)) == 1

    priced = push(
        engine,
        settings,
        b,
        box_b,
        box_b.op(RECORD, record("service_demand", uuid, demand_fields(account, 25_000)), uuid),
    )
    assert priced[0].status == OpStatus.ACCEPTED and priced[0].flags == ["record_mismatch"]
    assert "amount_paise" in priced[0].message
    row = stored(engine, "DEMO", "service_demand", uuid)
    assert row.version == 1 and row.fields["amount_paise"] == 20_000  # the first stays
    with engine.connect() as connection:
        anomaly = connection.execute(select(Anomaly.__table__).where(Anomaly.kind == "record_mismatch")).one()
    assert anomaly.entity_uuid == uuid
    assert anomaly.detail["fields"] == {"amount_paise": {"kept": 20_000, "sent": 25_000}}
    # The kept row goes to every device again, B included, so B converges on ₹200.00.
    again = [c for c in record_changes(engine, b) if c.payload["fields"]["amount_paise"] == 20_000]
    assert len(again) == 2


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (record("sewer_connection", "u-1", {}), "'sewer_connection' is not a synced record"),
        (record("water_connection", "u-1", connection_fields(pipe_size_mm=15.5)), "'pipe_size_mm': a float"),
        (
            record("water_connection", "u-1", connection_fields(consumer_no="")),
            "not held here and the op lacks consumer_no",
        ),
        (record("water_connection", "u-1", {**connection_fields(), "Bad Name": 1}), "is not a field name"),
        (record("water_connection", "u-1", "not an object"), "fields must be an object"),
        (record("service_demand", "u-1", demand_fields("acc")), "not the one of its key WATER|acc|2026-11"),
        (
            record(
                "service_demand",
                service_demand_uuid("WATER", "acc", "2026-11", "WATER_CHARGE"),
                demand_fields("acc", -5),
            ),
            "amount_paise must be a whole number of paise",
        ),
    ],
)
def test_a_malformed_record_is_quarantined_with_the_reason_and_nothing_is_stored(
    central_db: CentralDb, engine: Engine, settings: CentralSettings, payload: dict[str, Any], reason: str
) -> None:
    device = add_device(central_db.url)
    box = Outbox()
    good_uuid = str(uuidlib.uuid4())
    results = push(
        engine,
        settings,
        device,
        box,
        box.op(RECORD, payload, "u-1"),
        box.op(RECORD, record("water_connection", good_uuid, connection_fields()), good_uuid),
    )
    assert results[0].status == OpStatus.QUARANTINED and reason in results[0].message
    assert results[1].status == OpStatus.ACCEPTED  # the next op of the batch is applied
    with engine.connect() as connection:
        kept = connection.execute(select(QuarantinedOp.reason)).scalars().all()
        held = connection.execute(select(SyncedRecord.uuid)).scalars().all()
    assert len(kept) == 1 and reason in kept[0]
    assert held == [good_uuid]


def test_records_belong_to_the_ulb_of_the_device_that_sent_them(
    central_db: CentralDb, engine: Engine, settings: CentralSettings
) -> None:
    seed_ulb(central_db.url, "XYZ")
    demo, other = add_device(central_db.url, "DEMO", 1), add_device(central_db.url, "XYZ", 1)
    uuid = str(uuidlib.uuid4())
    box = Outbox()
    # The payload claims another ULB: the central stores it under the device's own.
    push(
        engine,
        settings,
        demo,
        box,
        box.op(RECORD, record("water_connection", uuid, connection_fields(ulb_code="XYZ")), uuid),
    )
    row = stored(engine, "DEMO", "water_connection", uuid)
    assert row is not None and row.fields["ulb_code"] == "DEMO"
    assert stored(engine, "XYZ", "water_connection", uuid) is None

    # A device of XYZ sending the same uuid can neither change DEMO's record nor read it.
    box_x = Outbox()
    hijack = connection_fields(holder_name_en="Someone Else")
    push(
        engine, settings, other, box_x, box_x.op(RECORD, record("water_connection", uuid, hijack), uuid, base_version=1)
    )
    assert stored(engine, "DEMO", "water_connection", uuid).fields["holder_name_en"] == "Ramesh Sahu"
    other_changes = record_changes(engine, other)
    assert all(c.payload["fields"]["ulb_code"] == "XYZ" for c in other_changes)
    snapshot = snapshot_page(engine, other, None, limit=500)
    page: str | None = snapshot.next_page
    seen = list(snapshot.changes)
    while page is not None:
        snap = snapshot_page(engine, other, page, limit=500)
        seen.extend(snap.changes)
        page = snap.next_page
    records = [c for c in seen if c.entity == "record"]
    assert [c.payload["fields"]["holder_name_en"] for c in records] == ["Someone Else"]


def test_the_snapshot_sends_records_parents_first_page_by_page(
    central_db: CentralDb, engine: Engine, settings: CentralSettings
) -> None:
    device, reader = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    box = Outbox()
    ops = []
    connections = [str(uuidlib.uuid4()) for _ in range(3)]
    for n, uuid in enumerate(connections):
        ops.append(
            box.op(RECORD, record("water_connection", uuid, connection_fields(consumer_no=f"W-01-{n:06d}")), uuid)
        )
    for uuid in connections:
        reading = str(uuidlib.uuid4())
        fields = {
            "connection_uuid": uuid,
            "reading_date": "2026-11-30",
            "reading_litres": 1000,
            "consumption_litres": 0,
        }
        ops.append(box.op(RECORD, record("meter_reading", reading, fields), reading))
        key = ("WATER", uuid, "2026-11", "WATER_CHARGE")
        ops.append(box.op(RECORD, record("service_demand", service_demand_uuid(*key), demand_fields(uuid)), uuid))
    push(engine, settings, device, box, *ops)

    seen: list[str] = []
    page: str | None = None
    pages = 0
    while True:
        snap = snapshot_page(engine, reader, page, limit=2)
        seen.extend(c.payload["entity"] for c in snap.changes if c.entity == "record")
        pages += 1
        page = snap.next_page
        if page is None:
            break
    assert seen == ["water_connection"] * 3 + ["meter_reading"] * 3 + ["service_demand"] * 3
    assert pages > 5  # it really paged
    with engine.connect() as connection:
        assert connection.execute(select(ChangeLog).where(ChangeLog.entity == "record")).first() is not None


def test_the_sqlite_demo_central_keeps_merges_and_sends_records_too(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    migrate(url)
    engine = engine_for_url(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(Ulb).values(code="DEMO", name_en="Demo", name_hi="डेमो", ulb_class="NP"))
        a, b = add_device(url, device_no=1), add_device(url, device_no=2)
        settings = CentralSettings(database_url=url, token_secret="x")
        box_a, box_b = Outbox(), Outbox()
        uuid = str(uuidlib.uuid4())
        original = connection_fields()
        push(engine, settings, a, box_a, box_a.op(RECORD, record("water_connection", uuid, original), uuid))
        again = push(engine, settings, a, box_a, box_a.op(RECORD, record("water_connection", uuid, original), uuid))
        assert again[0].status == OpStatus.DUPLICATE
        edited = connection_fields(status="DISCONNECTED", disconnected_on="2026-11-30")
        merged = push(
            engine,
            settings,
            b,
            box_b,
            box_b.op(RECORD, record("water_connection", uuid, edited), uuid, base_version=1, base_values=original),
        )
        assert merged[0].status == OpStatus.ACCEPTED and merged[0].server_version == 2
        assert stored(engine, "DEMO", "water_connection", uuid).fields["status"] == "DISCONNECTED"
        assert [c.version for c in record_changes(engine, a)] == [1, 2]
        snapshot = snapshot_page(engine, a, "0:record:")
        assert [(c.entity, c.version) for c in snapshot.changes] == [("record", 2)]
    finally:
        engine.dispose()


def test_an_edit_that_sends_only_the_changed_fields_merges_into_the_whole_record(
    central_db: CentralDb, engine: Engine, settings: CentralSettings
) -> None:
    """The SWM service sends an edit as just its changed fields with their base values."""
    a, b = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    box_a, box_b = Outbox(), Outbox()
    uuid = str(uuidlib.uuid4())
    payer = {
        "ulb_code": "DEMO",
        "payer_id": "UC-01-000001",
        "property_uuid": None,
        "billed_with_property": True,
        "name_en": "Ramesh Sahu",
        "name_hi": "रमेश साहू",
        "mobile": "9876543210",
        "ward_no": 1,
        "category": "HOUSEHOLD",
        "built_up_sqft": "1000",
        "status": "ACTIVE",
        "start_month": "2026-04",
    }
    push(engine, settings, a, box_a, box_a.op(RECORD, record("swm_payer", uuid, payer), uuid))
    push(
        engine,
        settings,
        b,
        box_b,
        box_b.op(
            RECORD,
            record("swm_payer", uuid, {"built_up_sqft": "1200"}),
            uuid,
            base_version=1,
            base_values={"built_up_sqft": "1000"},
        ),
    )
    late = push(
        engine,
        settings,
        a,
        box_a,
        box_a.op(
            RECORD,
            record("swm_payer", uuid, {"mobile": "9000000001"}),
            uuid,
            base_version=1,
            base_values={"mobile": "9876543210"},
        ),
    )
    assert late[0].status == OpStatus.ACCEPTED and late[0].server_version == 3
    row = stored(engine, "DEMO", "swm_payer", uuid)
    assert row.fields == {**payer, "built_up_sqft": "1200", "mobile": "9000000001"}
    # What the devices get is the whole record, every time.
    assert [sorted(c.payload["fields"]) for c in record_changes(engine, b)] == [sorted(payer)] * 3
