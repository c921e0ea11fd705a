"""A push's receipts reach the other devices as one "payment_batch" feed row (PAYMENT_BATCH_MIN or
more in a row), in device order with the other changes, and a device applies each item as a payment."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session

from app.core.clock import SystemClock
from app.db.base import table_of
from app.replica.models import SyncMeta
from app.replica.service import get_meta
from central.config import CentralSettings
from central.db.engine import engine_for_url, migrate
from central.db.models import Ulb
from central.sync.feed import pull_page, stamp
from central.sync.ingest import PAYMENT_BATCH_MIN, ingest
from sync.apply import META_SKIPPED_CHANGES, ApplyDispatcher
from sync.protocol import Change, ChangeEntity, OpKind
from tests.central.test_sync_ingest import Outbox, Series, add_device, push_request, statuses


def test_a_run_of_receipts_is_one_feed_row_in_device_order(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    migrate(url)
    engine = engine_for_url(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(Ulb).values(code="DEMO", name_en="Demo", name_hi="डेमो", ulb_class="NP"))
        writer, reader = add_device(url, device_no=1), add_device(url, device_no=2)
        settings = CentralSettings(database_url=url, token_secret="x")
        series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
        run = [outbox.op(OpKind.RECEIPT_CREATED, series.receipt()) for _ in range(PAYMENT_BATCH_MIN + 2)]
        cancel = {"uuid": str(uuid.uuid4()), "receipt_uuid": run[0].payload["uuid"]}
        outbox.op(OpKind.RECEIPT_CANCELLED, cancel)
        tail = [outbox.op(OpKind.RECEIPT_CREATED, series.receipt()) for _ in range(2)]
        response = ingest(engine, writer, push_request(outbox.ops), settings).response
        assert statuses(response) == ["accepted"] * len(outbox.ops)
        stamp(engine, wait=True)
        with engine.connect() as connection:
            page = pull_page(connection, "DEMO", reader.device_id, 0, 500)
            own = pull_page(connection, "DEMO", writer.device_id, 0, 500)
    finally:
        engine.dispose()
    assert [c.entity for c in page.changes] == ["payment_batch", "payment_cancellation", "payment", "payment"]
    batch = page.changes[0]
    assert batch.origin_device_id == writer.device_id and batch.entity_uuid == run[0].payload["uuid"]
    items = batch.payload["items"]
    assert [item["uuid"] for item in items] == [op.payload["uuid"] for op in run]
    single = page.changes[2].payload
    assert set(items[0]) == set(single) and single["uuid"] == tail[0].payload["uuid"]
    assert items[1]["amount_paise"] == run[1].payload["amount_paise"]
    assert [line["head"] for line in items[1]["lines"]] == ["PROPERTY_TAX", "SAMEKIT"]
    assert own.changes == []


def test_a_device_applies_each_item_with_the_payment_handler() -> None:
    dispatcher = ApplyDispatcher(SystemClock(), "DEMO", lambda: "me")
    seen: list[Change] = []

    def payment(session: Session, change: Change) -> None:
        if change.payload.get("bad"):
            raise ValueError("unreadable")
        seen.append(change)

    dispatcher.register(ChangeEntity.PAYMENT.value, payment)  # as sync.apply_reference does
    items = [{"uuid": "a"}, {"uuid": "b", "bad": True}, {"uuid": "c"}]
    change = Change(
        seq=7,
        entity="payment_batch",
        entity_uuid="a",
        op="upsert",
        version=1,
        payload={"items": items},
        origin_device_id="other",
    )
    engine = create_engine("sqlite://")
    table_of(SyncMeta).create(engine)  # where a skipped item is counted
    with Session(engine) as session, session.begin():
        assert dispatcher.apply(session, change)
        assert get_meta(session, META_SKIPPED_CHANGES) == "1"  # the bad item, counted for support
    assert [(c.entity, c.entity_uuid, c.seq, c.origin_device_id) for c in seen] == [
        ("payment", "a", 7, "other"),
        ("payment", "c", 7, "other"),
    ]
