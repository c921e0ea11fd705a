"""Issue 5's receipt payload at the central: a receipt may pay only a water connection (property_uuid
null) and its lines name the service, account and period; property lines keep their old shape, and the
leaner receipt row (no JSONB copy of the payload) still tells a re-sent receipt from another one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from central.config import CentralSettings
from central.db.engine import engine_for_url
from central.db.models import Receipt, ReceiptLine, SyncOp
from central.sync.feed import pull_page, stamp
from central.sync.ingest import ingest
from central.sync.ledger import hello
from central.sync.snapshot import snapshot_page
from sync.protocol import OpKind, payload_sha256
from tests.central.conftest import CentralDb
from tests.central.test_sync_ingest import Outbox, Series, add_device, push_request, statuses


@pytest.fixture
def engine(central_db: CentralDb) -> Iterator[Engine]:
    engine = engine_for_url(central_db.url, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(central_db: CentralDb) -> CentralSettings:
    return CentralSettings(database_url=central_db.url, token_secret="x")


def test_a_water_receipt_without_a_property_is_stored_with_its_service_lines(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    writer, reader = add_device(central_db.url, device_no=1), add_device(central_db.url, device_no=2)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    connection_uuid = str(uuid.uuid4())
    payload = series.receipt(amount_paise=20_000)
    payload["property_uuid"] = None
    fy = series.key.rsplit("/", 1)[-1]
    payload["lines"] = [
        {
            "fy": fy,
            "head": "WATER_CHARGE",
            "amount_paise": 15_000,
            "service": "WATER",
            "account": connection_uuid,
            "period": "2026-11",
        },
        {"fy": fy, "head": "PROPERTY_TAX", "amount_paise": 5_000},
    ]
    op = outbox.op(OpKind.RECEIPT_CREATED, payload)
    assert statuses(ingest(engine, writer, push_request([op]), settings).response) == ["accepted"]

    with engine.connect() as connection:
        receipt = connection.execute(select(Receipt).where(Receipt.uuid == payload["uuid"])).one()
        lines = connection.execute(
            select(ReceiptLine).where(ReceiptLine.receipt_uuid == payload["uuid"]).order_by(ReceiptLine.ordinal)
        ).all()
    assert receipt.property_uuid is None and receipt.payload is None
    assert receipt.payload_sha256 == op.payload_sha256
    assert [(x.service, x.account, x.period) for x in lines] == [
        ("WATER", connection_uuid, "2026-11"),
        ("PROPERTY", "", ""),
    ]
    assert [x.amount_paise for x in lines] == [15_000, 5_000]

    # Other devices get the service of each line (a property line in its old three keys), by the
    # feed and by the snapshot alike.
    stamp(engine, wait=True)
    expected = [
        {
            "fy": fy,
            "head": "WATER_CHARGE",
            "amount_paise": 15_000,
            "service": "WATER",
            "account": connection_uuid,
            "period": "2026-11",
        },
        {"fy": fy, "head": "PROPERTY_TAX", "amount_paise": 5_000},
    ]
    with engine.connect() as connection:
        page = pull_page(connection, "DEMO", reader.device_id, 0, 500)
    assert [c.payload["lines"] for c in page.changes] == [expected]
    assert page.changes[0].payload["property_uuid"] is None
    snapshot, token = [], None
    while True:
        snap = snapshot_page(engine, reader, token)
        snapshot += [c.payload["lines"] for c in snap.changes if c.entity == "payment"]
        if snap.next_page is None:
            break
        token = snap.next_page
    assert snapshot == [expected]

    # The same receipt again under a new op_id: duplicate; other content under its uuid: quarantined.
    again = outbox.op(OpKind.RECEIPT_CREATED, payload)
    other = {**payload, "amount_paise": 1}
    clash = outbox.op(OpKind.RECEIPT_CREATED, other)
    answer = ingest(engine, writer, push_request([again, clash]), settings).response
    assert statuses(answer) == ["duplicate", "quarantined"]
    assert clash.payload_sha256 == payload_sha256(other)
    assert hello(engine, writer).series[0].last_seq == 1


def test_a_line_with_an_unknown_service_is_quarantined(
    engine: Engine, settings: CentralSettings, central_db: CentralDb
) -> None:
    device = add_device(central_db.url)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    payload = series.receipt()
    payload["lines"] = [{**payload["lines"][0], "service": "GAS"}]
    outbox.op(OpKind.RECEIPT_CREATED, payload)
    answer = ingest(engine, device, push_request(outbox.ops), settings).response
    assert statuses(answer) == ["quarantined"]
    assert "service" in answer.results[0].message
    with engine.connect() as connection:
        assert connection.execute(select(SyncOp.status)).scalar_one() == "quarantined"
