"""Push ingestion, the feed stamper, snapshot and ledger against a real PostgreSQL (no HTTP here; the
wire-level tests are in test_sync_wire.py and reuse the helpers below)."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select, text

from app.core.clock import business_date
from central.api.deps import DeviceContext
from central.config import CentralSettings
from central.db.engine import engine_for_url, migrate
from central.db.models import (
    Anomaly,
    ChangeLog,
    DemandSummary,
    Device,
    PropertyRecord,
    QuarantinedOp,
    Receipt,
    ReceiptLine,
    SyncConflict,
    SyncOp,
    Ulb,
)
from central.sync.feed import pull_page, stamp
from central.sync.ingest import ingest
from central.sync.ledger import hello, ledger
from central.sync.snapshot import snapshot_page
from sync.protocol import (
    Flag,
    Op,
    OpKind,
    OpStatus,
    PushRequest,
    PushResponse,
    canonical_json,
    payload_sha256,
)
from tests.central.conftest import CentralDb
from tests.central.server import seed_ulb

GENESIS = "0" * 64


# --- helpers (the wire tests import them) --------------------------------------------------------------


def chain(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode()).hexdigest()


@dataclass
class Series:
    """A device's receipt series: numbers and the hash chain as the desktop makes them."""

    key: str
    seq: int = 0
    head: str = GENESIS

    def receipt(
        self,
        amount_paise: int = 50_000,
        day: date | None = None,
        property_uuid: str | None = None,
        receipt_uuid: str | None = None,
        seq: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        number = seq if seq is not None else self.seq + 1
        day = day or business_date(datetime.now(UTC))
        payload: dict[str, Any] = {
            "uuid": receipt_uuid or str(uuid.uuid4()),
            "receipt_no": f"{self.key}/{number:06d}",
            "series_key": self.key,
            "seq": number,
            "property_uuid": property_uuid or str(uuid.uuid4()),
            "payer_name": "रमेश कुमार",
            "business_date": day.isoformat(),
            "mode": "CASH",
            "amount_paise": amount_paise,
            "instrument_no": "",
            "instrument_date": None,
            "bank": "",
            "branch": "",
            "prev_hash": self.head,
            "collected_at": datetime.now(UTC).isoformat(),
            "lines": [
                {"fy": self.key.rsplit("/", 1)[-1], "head": "PROPERTY_TAX", "amount_paise": amount_paise - 1000},
                {"fy": self.key.rsplit("/", 1)[-1], "head": "SAMEKIT", "amount_paise": 1000},
            ],
            **extra,
        }
        payload["hash"] = chain(self.head, {k: v for k, v in payload.items() if k != "prev_hash"})
        if seq is None:
            self.seq, self.head = number, payload["hash"]
        return payload


@dataclass
class Outbox:
    """Ops in device order, as the desktop outbox hands them to the push."""

    next_seq: int = 1
    ops: list[Op] = field(default_factory=list)

    def op(self, kind: str, payload: dict[str, Any], entity_uuid: str | None = None, **extra: Any) -> Op:
        op = Op(
            op_id=str(uuid.uuid4()),
            device_seq=self.next_seq,
            kind=kind,
            entity_uuid=entity_uuid or str(payload.get("uuid", uuid.uuid4())),
            payload=payload,
            payload_sha256=payload_sha256(payload),
            device_time=extra.pop("device_time", datetime.now(UTC)),
            **extra,
        )
        self.next_seq += 1
        self.ops.append(op)
        return op


def push_request(ops: list[Op]) -> PushRequest:
    return PushRequest(batch_id=str(uuid.uuid4()), ops=ops)


def add_device(url: str, ulb_code: str = "DEMO", device_no: int = 1, office_code: str = "Z01") -> DeviceContext:
    device_id = str(uuid.uuid4())
    engine = engine_for_url(url, pool_size=1)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(Device).values(
                    device_id=device_id,
                    ulb_code=ulb_code,
                    office_code=office_code,
                    device_no=device_no,
                    public_key="k" * 43,
                    hostname="counter",
                    app_version="0.1.0",
                    status="active",
                    enrolled_at=datetime.now(UTC),
                    last_device_seq=0,
                    reported_backlog=0,
                )
            )
    finally:
        engine.dispose()
    return DeviceContext(device_id=device_id, ulb_code=ulb_code, office_code=office_code, device_no=device_no)


def statuses(response: PushResponse) -> list[str]:
    return [result.status.value for result in response.results]


@pytest.fixture
def engine(central_db: CentralDb) -> Iterator[Engine]:
    engine = engine_for_url(central_db.url, pool_size=8)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(central_db: CentralDb) -> CentralSettings:
    return CentralSettings(database_url=central_db.url, token_secret="x", late_arrival_days=3, clock_skew_flag_s=300)


def count(engine: Engine, model: Any, *where: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


# --- idempotency -------------------------------------------------------------------------------------------


def test_replaying_a_batch_returns_duplicates_and_stores_every_receipt_once(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    outbox.op(OpKind.SESSION_OPENED, {"uuid": str(uuid.uuid4()), "user": "clerk", "business_date": "2026-06-01"})
    receipts = [outbox.op(OpKind.RECEIPT_CREATED, series.receipt()) for _ in range(5)]
    first = ingest(engine, device, push_request(outbox.ops), settings).response
    assert statuses(first) == ["accepted"] * 6
    assert first.last_device_seq == 6

    again = ingest(engine, device, push_request(outbox.ops), settings).response
    assert statuses(again) == ["duplicate"] * 6
    assert again.last_device_seq == 6
    assert count(engine, Receipt) == 5
    assert count(engine, ReceiptLine) == 10
    assert count(engine, ChangeLog, ChangeLog.entity == "payment") == 5
    with engine.connect() as connection:
        stored = connection.execute(select(Receipt.uuid, Receipt.ulb_code, Receipt.device_id)).all()
    assert {row.uuid for row in stored} == {op.payload["uuid"] for op in receipts}
    assert {(row.ulb_code, row.device_id) for row in stored} == {("DEMO", device.device_id)}


def test_concurrent_replays_of_one_batch_store_each_receipt_once(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    for _ in range(50):
        outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    request = push_request(outbox.ops)
    barrier = threading.Barrier(6)
    answers: list[PushResponse] = []
    errors: list[BaseException] = []

    def push() -> None:
        barrier.wait()
        try:
            answers.append(ingest(engine, device, request, settings).response)
        except BaseException as error:  # collected: the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=push) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(answers) == 6
    # Exactly one push applied the ops; the five others got the stored results back.
    assert sorted(statuses(a)[0] for a in answers) == ["accepted"] + ["duplicate"] * 5
    assert all(len(set(statuses(a))) == 1 for a in answers)
    assert count(engine, Receipt) == 50
    assert count(engine, SyncOp) == 50
    assert count(engine, ChangeLog) == 50


def test_an_op_id_reused_with_another_payload_is_quarantined_and_the_original_stands(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    original = outbox.op(OpKind.RECEIPT_CREATED, series.receipt(amount_paise=50_000))
    ingest(engine, device, push_request([original]), settings)

    tampered_payload = {**original.payload, "amount_paise": 1}
    tampered = original.model_copy(
        update={"payload": tampered_payload, "payload_sha256": payload_sha256(tampered_payload)}
    )
    # and a different op_id on the same device_seq
    seq_reuse = outbox.op(OpKind.RECEIPT_CREATED, series.receipt()).model_copy(update={"device_seq": 1})
    response = ingest(engine, device, push_request([tampered, seq_reuse]), settings).response
    assert statuses(response) == ["quarantined", "quarantined"]
    assert response.results[0].message == "op_id reused with a different payload"
    assert "device_seq" in response.results[1].message
    with engine.connect() as connection:
        amount = connection.execute(select(Receipt.amount_paise)).scalar_one()
        quarantined = connection.execute(select(QuarantinedOp.op_id, QuarantinedOp.reason)).all()
    assert amount == 50_000
    assert {row.op_id for row in quarantined} == {original.op_id, seq_reuse.op_id}
    assert count(engine, Anomaly, Anomaly.kind == "op_reuse") == 2
    assert count(engine, Receipt) == 1


def test_a_batch_with_one_malformed_op_applies_the_others(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    good_1 = outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    broken_payload = series.receipt()
    broken_payload["amount_paise"] = "five hundred"
    broken = outbox.op(OpKind.RECEIPT_CREATED, broken_payload)
    bad_hash = outbox.op(OpKind.RECEIPT_CREATED, series.receipt()).model_copy(update={"payload_sha256": "0" * 64})
    later_kind = outbox.op("permit.submitted", {"uuid": str(uuid.uuid4()), "anything": [1, 2]})
    good_2 = outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    response = ingest(engine, device, push_request([good_1, broken, bad_hash, later_kind, good_2]), settings).response
    assert statuses(response) == ["accepted", "quarantined", "quarantined", "accepted", "accepted"]
    assert "amount_paise" in response.results[1].message
    assert "payload_sha256" in response.results[2].message
    assert response.last_device_seq == 5  # a quarantined op has its result too
    assert count(engine, Receipt) == 2
    assert count(engine, QuarantinedOp) == 2
    # A replay answers the same: the quarantine stays a quarantine, not a "duplicate" to ack.
    replay = ingest(engine, device, push_request([broken, good_2]), settings).response
    assert statuses(replay) == ["quarantined", "duplicate"]


def test_ops_the_database_could_not_store_are_quarantined_not_a_server_error(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    nul_payer = outbox.op(OpKind.RECEIPT_CREATED, series.receipt(payer_name="Ram\x00esh"))
    nul_op_id = outbox.op(OpKind.RECEIPT_CREATED, series.receipt()).model_copy(update={"op_id": "bad\x00id"})
    huge_seq = outbox.op("audit.entry", {"x": 1}).model_copy(update={"device_seq": 2**64})
    fine = outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    response = ingest(engine, device, push_request([nul_payer, nul_op_id, huge_seq, fine]), settings).response
    assert statuses(response) == ["quarantined", "quarantined", "quarantined", "accepted"]
    assert count(engine, QuarantinedOp) == 3
    assert count(engine, Receipt) == 1


# --- money is accepted and flagged ---------------------------------------------------------------------


def test_the_same_number_with_another_uuid_keeps_both_and_flags_the_collision(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    # Two machines restored from one backup both issue receipt 000001 of the series.
    device_a, device_b = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    series_a, series_b = Series("DEMO/Z01/C01/2026-27"), Series("DEMO/Z01/C01/2026-27")
    first = Outbox().op(OpKind.RECEIPT_CREATED, series_a.receipt(amount_paise=10_000))
    second = Outbox().op(OpKind.RECEIPT_CREATED, series_b.receipt(amount_paise=20_000))
    assert statuses(ingest(engine, device_a, push_request([first]), settings).response) == ["accepted"]
    response = ingest(engine, device_b, push_request([second]), settings).response
    assert statuses(response) == ["accepted"]
    assert response.results[0].flags == [Flag.NUMBER_COLLISION]
    with engine.connect() as connection:
        rows = connection.execute(select(Receipt.amount_paise, Receipt.flags).order_by(Receipt.amount_paise)).all()
        anomaly = connection.execute(select(Anomaly.detail).where(Anomaly.kind == Flag.NUMBER_COLLISION)).scalar_one()
    assert [(row.amount_paise, row.flags) for row in rows] == [(10_000, []), (20_000, [Flag.NUMBER_COLLISION])]
    assert anomaly["other_uuids"] == [first.payload["uuid"]]


def test_late_closed_day_skewed_and_chain_breaking_receipts_are_accepted_with_flags(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    today = business_date(datetime.now(UTC))
    session_uuid = str(uuid.uuid4())
    outbox.op(OpKind.SESSION_OPENED, {"uuid": session_uuid, "user": "clerk", "business_date": today.isoformat()})
    on_time = outbox.op(OpKind.RECEIPT_CREATED, series.receipt(day=today))
    outbox.op(OpKind.SESSION_CLOSED, {"session_uuid": session_uuid, "business_date": today.isoformat()}, session_uuid)
    after_close = outbox.op(OpKind.RECEIPT_CREATED, series.receipt(day=today))
    late = outbox.op(OpKind.RECEIPT_CREATED, series.receipt(day=today - timedelta(days=10)))
    yesterday = today - timedelta(days=1)
    ahead = outbox.op(
        OpKind.RECEIPT_CREATED, series.receipt(day=yesterday), device_time=datetime.now(UTC) + timedelta(hours=2)
    )
    series.head = "f" * 64  # the next receipt names a previous hash that is not the previous receipt's
    broken = outbox.op(OpKind.RECEIPT_CREATED, series.receipt(day=yesterday))
    response = ingest(engine, device, push_request(outbox.ops), settings).response
    by_op = {result.op_id: result for result in response.results}
    assert {r.status for r in response.results} == {OpStatus.ACCEPTED}
    assert by_op[on_time.op_id].flags == []
    assert by_op[after_close.op_id].flags == [Flag.DAY_CLOSED]
    assert Flag.LATE_ARRIVAL in by_op[late.op_id].flags
    assert by_op[ahead.op_id].flags == [Flag.CLOCK_SKEW]
    assert by_op[broken.op_id].flags == [Flag.CHAIN_BREAK]
    assert count(engine, Receipt) == 5
    with engine.connect() as connection:
        skew = connection.execute(select(Receipt.skew_s).where(Receipt.uuid == ahead.payload["uuid"])).scalar_one()
        kinds = set(connection.execute(select(Anomaly.kind)).scalars())
    assert skew is not None and 7000 < skew <= 7200
    assert {Flag.DAY_CLOSED, Flag.LATE_ARRIVAL, Flag.CLOCK_SKEW, Flag.CHAIN_BREAK} <= kinds
    # A replay gets the stored results back, flags included.
    replay = ingest(engine, device, push_request(outbox.ops), settings).response
    assert [(r.status, r.flags) for r in replay.results] == [(OpStatus.DUPLICATE, r.flags) for r in response.results]


def test_a_day_is_closed_only_by_its_day_end_record(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    today = business_date(datetime.now(UTC)).isoformat()
    session = str(uuid.uuid4())
    opened = outbox.op(OpKind.SESSION_OPENED, {"uuid": session, "user": "clerk", "business_date": today})
    ingest(engine, device, push_request([opened]), settings)
    during = outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    assert ingest(engine, device, push_request([during]), settings).response.results[0].flags == []
    closed = outbox.op(OpKind.SESSION_CLOSED, {"business_date": today, "receipts": 1}, session)
    ingest(engine, device, push_request([closed]), settings)
    after = outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    assert ingest(engine, device, push_request([after]), settings).response.results[0].flags == [Flag.DAY_CLOSED]


def test_skew_reported_at_hello_flags_the_devices_receipts(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    reply = hello(engine, device, backlog=3, clock=datetime.now(UTC) - timedelta(minutes=40))
    assert reply.last_device_seq == 0 and reply.device_status == "active"
    op = Outbox().op(OpKind.RECEIPT_CREATED, Series("DEMO/Z01/C01/2026-27").receipt())
    assert ingest(engine, device, push_request([op]), settings).response.results[0].flags == [Flag.CLOCK_SKEW]
    with engine.connect() as connection:
        row = connection.execute(select(Device.reported_backlog, Device.last_clock_skew_s)).one()
    assert row.reported_backlog == 3
    assert row.last_clock_skew_s is not None and -2410 < row.last_clock_skew_s < -2390


# --- master data ------------------------------------------------------------------------------------------


def test_property_edits_merge_by_field_and_a_true_conflict_waits_for_a_supervisor(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device_a, device_b = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    outbox_a, outbox_b = Outbox(), Outbox()
    prop = str(uuid.uuid4())
    created = {"uuid": prop, "property_id": "W01-0001", "ward_no": 1, "address_en": "Station Road", "owners": []}
    response = ingest(engine, device_a, push_request([outbox_a.op(OpKind.PROPERTY_CREATED, created)]), settings)
    assert response.response.results[0].server_version == 1

    # Both devices edit from version 1: A the address, B the ward (disjoint fields: both apply).
    edit_a = outbox_a.op(
        OpKind.PROPERTY_UPDATED,
        {"uuid": prop, "address_en": "Station Road, Near Bus Stand"},
        base_version=1,
        base_values={"address_en": "Station Road"},
    )
    edit_b = outbox_b.op(
        OpKind.PROPERTY_UPDATED, {"uuid": prop, "ward_no": 2}, base_version=1, base_values={"ward_no": 1}
    )
    assert ingest(engine, device_a, push_request([edit_a]), settings).response.results[0].server_version == 2
    merged = ingest(engine, device_b, push_request([edit_b]), settings).response.results[0]
    assert merged.status == OpStatus.ACCEPTED
    assert merged.server_version == 3
    assert merged.merged is not None
    assert (merged.merged["address_en"], merged.merged["ward_no"]) == ("Station Road, Near Bus Stand", 2)

    # B also changed the address, from the old value: a true conflict; the central keeps its value.
    clash = outbox_b.op(
        OpKind.PROPERTY_UPDATED,
        {"uuid": prop, "address_en": "Old Station Road"},
        base_version=1,
        base_values={"address_en": "Station Road"},
    )
    result = ingest(engine, device_b, push_request([clash]), settings).response.results[0]
    assert result.status == OpStatus.CONFLICT
    assert result.conflict_uuid is not None
    assert result.merged is not None and result.merged["address_en"] == "Station Road, Near Bus Stand"
    with engine.connect() as connection:
        conflict = connection.execute(select(SyncConflict)).one()
    assert conflict.fields["address_en"] == {
        "base": "Station Road",
        "mine": "Old Station Road",
        "theirs": "Station Road, Near Bus Stand",
    }
    assert conflict.resolved_at is None

    # The supervisor chooses B's value on device A.
    resolve = outbox_a.op(
        OpKind.CONFLICT_RESOLVED, {"conflict_uuid": result.conflict_uuid, "choose": {"address_en": "mine"}}
    )
    done = ingest(engine, device_a, push_request([resolve]), settings).response.results[0]
    assert done.status == OpStatus.ACCEPTED
    assert done.server_version == 4
    with engine.connect() as connection:
        fields, version = connection.execute(select(PropertyRecord.fields, PropertyRecord.version)).one()
        resolved_at = connection.execute(select(SyncConflict.resolved_at)).scalar_one()
        feed = connection.execute(select(ChangeLog.entity, ChangeLog.version).order_by(ChangeLog.id)).all()
    assert (fields["address_en"], fields["ward_no"], version) == ("Old Station Road", 2, 4)
    assert resolved_at is not None
    assert [tuple(row) for row in feed] == [
        ("property", 1),
        ("property", 2),
        ("property", 3),
        ("sync_conflict", 1),
        ("property", 4),
        ("sync_conflict", 1),
    ]


def test_a_demand_summary_is_kept_per_ulb_and_year(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    outbox = Outbox()
    first = outbox.op(OpKind.DEMAND_SUMMARY, {"fy": "2026-27", "by_head": {"PROPERTY_TAX": 100}}, "DEMO/2026-27")
    second = outbox.op(
        OpKind.DEMAND_SUMMARY,
        {"fy": "2026-27", "by_head": {"PROPERTY_TAX": 250}, "by_ward": {"1": {"PROPERTY_TAX": 250}}},
        "DEMO/2026-27",
    )
    response = ingest(engine, device, push_request([first, second]), settings).response
    assert statuses(response) == ["accepted", "accepted"]
    with engine.connect() as connection:
        rows = connection.execute(select(DemandSummary.ulb_code, DemandSummary.fy, DemandSummary.by_head)).all()
    assert [tuple(row) for row in rows] == [("DEMO", "2026-27", {"PROPERTY_TAX": 250})]


def test_an_update_of_an_unknown_property_creates_it(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    prop = str(uuid.uuid4())
    op = Outbox().op(OpKind.PROPERTY_UPDATED, {"uuid": prop, "ward_no": 7}, base_version=3, base_values={"ward_no": 6})
    result = ingest(engine, device, push_request([op]), settings).response.results[0]
    assert result.status == OpStatus.ACCEPTED
    assert result.flags == [Flag.UNKNOWN_PROPERTY]
    assert count(engine, PropertyRecord, PropertyRecord.uuid == prop, PropertyRecord.ulb_code == "DEMO") == 1


# --- the feed ------------------------------------------------------------------------------------------


def _feed_row(entity_uuid: str) -> dict[str, Any]:
    return {
        "ulb_code": "DEMO",
        "entity": "payment",
        "entity_uuid": entity_uuid,
        "op": "upsert",
        "version": 1,
        "payload": {"uuid": entity_uuid},
        "origin_device_id": None,
        "created_at": datetime.now(UTC),
    }


def test_the_pull_cursor_never_passes_a_row_that_commits_later(engine: Engine, central_db: CentralDb) -> None:
    """sync-research §4: T1 inserts and does not commit; T2 commits; pull; T1 commits; pull → T1's
    row is delivered (a BIGSERIAL cursor would have skipped it: T1's id is lower than T2's)."""
    reader = add_device(central_db.url, device_no=9)
    t1 = engine.connect()
    t1.begin()
    t1.execute(insert(ChangeLog).values(**_feed_row("t1")))  # lower id, still open
    with engine.begin() as t2:
        t2.execute(insert(ChangeLog).values(**_feed_row("t2")))

    stamp(engine, wait=True)
    with engine.connect() as connection:
        page = pull_page(connection, "DEMO", reader.device_id, 0, 500)
    assert [c.entity_uuid for c in page.changes] == ["t2"]
    cursor = page.next_cursor

    t1.commit()
    t1.close()
    stamp(engine, wait=True)
    with engine.connect() as connection:
        page = pull_page(connection, "DEMO", reader.device_id, cursor, 500)
    assert [c.entity_uuid for c in page.changes] == ["t1"]
    assert page.changes[0].seq > cursor


def test_the_stamper_runs_one_at_a_time(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(insert(ChangeLog), [_feed_row(f"r{i}") for i in range(20)])
    holder = engine.connect()
    holder.begin()
    holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x4E494B53})
    assert stamp(engine) == 0  # another stamper holds the lock: skip, do not queue
    holder.rollback()
    holder.close()
    assert stamp(engine) == 20
    with engine.connect() as connection:
        seqs = connection.execute(select(ChangeLog.seq).order_by(ChangeLog.id)).scalars().all()
    assert seqs == list(range(1, 21))


def test_pull_pages_skip_own_rows_and_other_ulbs(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    seed_ulb(central_db.url, "OTHER")
    writer, reader = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    stranger = add_device(central_db.url, ulb_code="OTHER", device_no=1)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    for _ in range(7):
        outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    ingest(engine, writer, push_request(outbox.ops), settings)
    other = Outbox().op(OpKind.RECEIPT_CREATED, Series("OTHER/Z01/C01/2026-27").receipt())
    ingest(engine, stranger, push_request([other]), settings)
    stamp(engine, wait=True)
    with engine.connect() as connection:
        first = pull_page(connection, "DEMO", reader.device_id, 0, 5)
        second = pull_page(connection, "DEMO", reader.device_id, first.next_cursor, 5)
        own = pull_page(connection, "DEMO", writer.device_id, 0, 5)
    assert (len(first.changes), first.has_more, len(second.changes), second.has_more) == (5, True, 2, False)
    pulled = [c.entity_uuid for c in first.changes + second.changes]
    assert pulled == [op.payload["uuid"] for op in outbox.ops]
    assert other.payload["uuid"] not in pulled
    assert own.changes == [] and not own.has_more
    assert own.next_cursor == 8  # past its own rows and the other ULB's: nothing to page through again
    payment = first.changes[0].payload
    assert payment["amount_paise"] == 50_000 and payment["source"] == "COUNTER"
    assert payment["lines"][0] == {"fy": "2026-27", "head": "PROPERTY_TAX", "amount_paise": 49_000}


# --- snapshot and ledger -------------------------------------------------------------------------------------


def test_snapshot_holds_the_ulbs_current_state_across_pages(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    writer, reader = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    receipts = [outbox.op(OpKind.RECEIPT_CREATED, series.receipt()) for _ in range(3)]
    cancel = {
        "uuid": str(uuid.uuid4()),
        "receipt_uuid": receipts[0].payload["uuid"],
        "kind": "CANCELLED",
        "reason": "wrong property",
    }
    outbox.op(OpKind.RECEIPT_CANCELLED, cancel)
    prop = str(uuid.uuid4())
    outbox.op(OpKind.PROPERTY_CREATED, {"uuid": prop, "ward_no": 4, "address_en": "Gandhi Chowk"})
    outbox.op(OpKind.PROPERTY_UPDATED, {"uuid": prop, "ward_no": 5}, base_version=1, base_values={"ward_no": 4})
    ingest(engine, writer, push_request(outbox.ops), settings)
    with engine.begin() as connection:
        connection.execute(
            insert(ChangeLog),
            [
                {
                    **_feed_row("payments.upi_vpa"),
                    "entity": "setting",
                    "payload": {"key": "payments.upi_vpa", "value": "old@upi"},
                },
                {
                    **_feed_row("payments.upi_vpa"),
                    "entity": "setting",
                    "payload": {"key": "payments.upi_vpa", "value": "new@upi"},
                },
                {**_feed_row("clerk1"), "entity": "user", "ulb_code": "*", "payload": {"username": "clerk1"}},
            ],
        )
    changes, page, cuts = [], None, set()
    while True:
        reply = snapshot_page(engine, reader, page, limit=2)
        changes += reply.changes
        cuts.add(reply.cursor_after)
        page = reply.next_page
        if page is None:
            break
    by_entity: dict[str, list[Any]] = {}
    for change in changes:
        by_entity.setdefault(change.entity, []).append(change)
    assert len(cuts) == 1 and cuts.pop() >= 9
    assert [(c.version, c.payload["ward_no"]) for c in by_entity["property"]] == [(2, 5)]
    payments = {c.entity_uuid: c.payload for c in by_entity["payment"]}
    assert set(payments) == {op.payload["uuid"] for op in receipts}
    assert payments[receipts[0].payload["uuid"]]["cancelled"] == "CANCELLED"
    assert payments[receipts[1].payload["uuid"]]["cancelled"] is None
    assert [c.entity_uuid for c in by_entity["payment_cancellation"]] == [cancel["uuid"]]
    assert [c.payload["value"] for c in by_entity["setting"]] == ["new@upi"]
    assert [c.payload["username"] for c in by_entity["user"]] == ["clerk1"]
    # The writer itself gets its property but not its own payments back.
    own = snapshot_page(engine, writer, "0:payment:")
    assert own.changes == []


def test_ledger_and_hello_match_what_was_pushed(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    today = business_date(datetime.now(UTC))
    yesterday = today - timedelta(days=1)
    day_1 = [
        outbox.op(OpKind.RECEIPT_CREATED, series.receipt(amount_paise=10_000 * (i + 1), day=yesterday))
        for i in range(3)
    ]
    day_2 = [outbox.op(OpKind.RECEIPT_CREATED, series.receipt(amount_paise=7_500, day=today)) for _ in range(2)]
    # a cancellation that arrives before its receipt is fine
    early_cancel = {
        "uuid": str(uuid.uuid4()),
        "receipt_uuid": day_2[1].payload["uuid"],
        "kind": "CANCELLED",
        "reason": "typing error",
    }
    ingest(engine, device, push_request([*day_1, day_2[0]]), settings)
    ingest(engine, device, push_request([Outbox(next_seq=6).op(OpKind.RECEIPT_CANCELLED, early_cancel)]), settings)
    ingest(engine, device, push_request([day_2[1]]), settings)

    days = ledger(engine, device, yesterday).days
    assert [(d.business_date, d.count, d.sum_paise, d.first_seq, d.last_seq, d.cancelled_count) for d in days] == [
        (yesterday, 3, 60_000, 1, 3, 0),
        (today, 2, 15_000, 4, 5, 1),
    ]
    assert days[0].chain_head == day_1[2].payload["hash"]
    assert days[1].chain_head == series.head
    assert [d.business_date for d in ledger(engine, device, today).days] == [today]

    mark = hello(engine, device)
    assert mark.last_device_seq == 6
    assert [(s.series_key, s.last_seq, s.chain_head) for s in mark.series] == [(series.key, 5, series.head)]


# --- the SQLite demo central ---------------------------------------------------------------------------------


def test_the_sqlite_demo_central_ingests_pulls_and_reconciles(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    migrate(url)
    engine = engine_for_url(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(Ulb).values(code="DEMO", name_en="Demo", name_hi="डेमो", ulb_class="NP"))
        writer, reader = add_device(url, device_no=1), add_device(url, device_no=2)
        settings = CentralSettings(database_url=url, token_secret="x")
        series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
        session = str(uuid.uuid4())
        today = business_date(datetime.now(UTC))
        outbox.op(OpKind.SESSION_OPENED, {"uuid": session, "user": "clerk", "business_date": today.isoformat()})
        receipts = [outbox.op(OpKind.RECEIPT_CREATED, series.receipt()) for _ in range(3)]
        outbox.op(OpKind.RECEIPT_CANCELLED, {"uuid": str(uuid.uuid4()), "receipt_uuid": receipts[0].payload["uuid"]})
        prop = str(uuid.uuid4())
        outbox.op(OpKind.PROPERTY_CREATED, {"uuid": prop, "ward_no": 1})
        first = ingest(engine, writer, push_request(outbox.ops), settings).response
        assert statuses(first) == ["accepted"] * 6 and first.last_device_seq == 6
        again = ingest(engine, writer, push_request(outbox.ops), settings).response
        assert statuses(again) == ["duplicate"] * 6
        later = Outbox(next_seq=7).op(OpKind.RECEIPT_CREATED, series.receipt())
        assert ingest(engine, writer, push_request([later]), settings).response.results[0].flags == []

        stamp(engine, wait=True)
        with engine.connect() as connection:
            page = pull_page(connection, "DEMO", reader.device_id, 0, 500)
        assert [c.entity for c in page.changes] == ["payment"] * 3 + ["payment_cancellation", "property", "payment"]
        days = ledger(engine, writer, today).days
        assert [(d.count, d.sum_paise, d.last_seq, d.cancelled_count) for d in days] == [(4, 200_000, 4, 1)]
        assert hello(engine, writer).series[0].chain_head == series.head
        snapshot = snapshot_page(engine, reader, "0:payment:")
        assert len(snapshot.changes) == 4
    finally:
        engine.dispose()
