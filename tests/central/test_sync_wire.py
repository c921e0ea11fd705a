"""The sync endpoints over the wire: a real `python -m central serve` on loopback, devices enrolled
over HTTP, JSON bodies as a desktop sends them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, update

from app.core.clock import business_date
from central.config import CentralSettings
from central.db.engine import engine_for_url
from central.db.models import ChangeLog, Receipt, ServerMeta, SyncOp
from central.failpoints import AFTER_COMMIT_BEFORE_RESPONSE, BEFORE_COMMIT, ENV_VAR
from sync.protocol import (
    ERROR_BAD_REQUEST,
    ERROR_CURSOR_GONE,
    PATH_HELLO,
    PATH_LEDGER,
    PATH_PULL,
    PATH_PUSH,
    PATH_SNAPSHOT,
    HelloResponse,
    LedgerResponse,
    OpKind,
    PullResponse,
    PushResponse,
    SnapshotResponse,
)
from tests.central.conftest import CentralDb
from tests.central.server import CentralServer, EnrolledDevice, add_admin_token, enrol_device, seed_ulb
from tests.central.test_sync_ingest import Outbox, Series, push_request

TIMEOUT = 30


def push(server: CentralServer, device: EnrolledDevice, outbox_ops: list[Any]) -> PushResponse:
    body = push_request(outbox_ops).model_dump_json()
    reply = requests.post(
        f"{server.base_url}{PATH_PUSH}",
        data=body,
        headers={**device.auth(), "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert reply.status_code == 200, reply.text
    return PushResponse.model_validate_json(reply.content)


def get(server: CentralServer, device: EnrolledDevice, path: str, **params: Any) -> requests.Response:
    return requests.get(f"{server.base_url}{path}", params=params, headers=device.auth(), timeout=TIMEOUT)


def pull_all(server: CentralServer, device: EnrolledDevice, cursor: int = 0) -> tuple[list[Any], int]:
    changes: list[Any] = []
    while True:
        reply = get(server, device, PATH_PULL, cursor=cursor, limit=3, epoch=device.server_epoch)
        assert reply.status_code == 200, reply.text
        page = PullResponse.model_validate_json(reply.content)
        changes += page.changes
        cursor = page.next_cursor
        if not page.has_more:
            return changes, cursor


def count(url: str, model: Any) -> int:
    engine = engine_for_url(url, pool_size=1)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(model)).scalar_one())
    finally:
        engine.dispose()


def test_a_sync_cycle_over_http(central_server: CentralServer, central_db: CentralDb) -> None:
    writer = enrol_device(central_server.base_url, central_db.admin_token)
    reader = enrol_device(central_server.base_url, central_db.admin_token)
    key = f"DEMO/{writer.office_code}/C{writer.device_no:02d}/2026-27"
    series, outbox = Series(key), Outbox()

    hello = get(central_server, writer, PATH_HELLO, backlog=5, clock=datetime.now(UTC).isoformat())
    assert hello.status_code == 200, hello.text
    greeting = HelloResponse.model_validate_json(hello.content)
    assert (greeting.device_id, greeting.last_device_seq, greeting.series) == (writer.device_id, 0, [])
    assert greeting.server_epoch == writer.server_epoch

    receipts = [outbox.op(OpKind.RECEIPT_CREATED, series.receipt(amount_paise=12_345)) for _ in range(5)]
    first = push(central_server, writer, outbox.ops)
    assert [r.status for r in first.results] == ["accepted"] * 5
    assert first.last_device_seq == 5 and first.server_epoch == writer.server_epoch
    assert [r.status for r in push(central_server, writer, outbox.ops).results] == ["duplicate"] * 5

    changes, cursor = pull_all(central_server, reader)
    assert [c.entity_uuid for c in changes] == [op.payload["uuid"] for op in receipts]
    assert all(c.entity == "payment" and c.origin_device_id == writer.device_id for c in changes)
    assert pull_all(central_server, writer)[0] == []  # its own receipts do not come back
    again, _ = pull_all(central_server, reader, cursor)
    assert again == []

    today = business_date(datetime.now(UTC))
    ledger = LedgerResponse.model_validate_json(
        get(central_server, writer, PATH_LEDGER, from_date=today.isoformat()).content
    )
    assert [(d.count, d.sum_paise, d.last_seq, d.chain_head) for d in ledger.days] == [(5, 61_725, 5, series.head)]

    snapshot = SnapshotResponse.model_validate_json(get(central_server, reader, PATH_SNAPSHOT).content)
    pages = [snapshot]
    while pages[-1].next_page is not None:
        reply = get(central_server, reader, PATH_SNAPSHOT, page=pages[-1].next_page)
        pages.append(SnapshotResponse.model_validate_json(reply.content))
    assert {c.entity_uuid for p in pages for c in p.changes if c.entity == "payment"} == {
        op.payload["uuid"] for op in receipts
    }
    assert pages[0].cursor_after == cursor

    mark = HelloResponse.model_validate_json(get(central_server, writer, PATH_HELLO).content)
    assert mark.last_device_seq == 5
    assert [(s.series_key, s.last_seq, s.chain_head) for s in mark.series] == [(key, 5, series.head)]


def test_a_cursor_behind_the_horizon_or_from_another_epoch_gets_410(
    central_server: CentralServer, central_db: CentralDb
) -> None:
    device = enrol_device(central_server.base_url, central_db.admin_token)
    reply = get(central_server, device, PATH_PULL, cursor=0, epoch="not-this-servers-epoch")
    assert (reply.status_code, reply.json()["code"]) == (410, ERROR_CURSOR_GONE)
    engine = engine_for_url(central_db.url, pool_size=1)
    try:
        with engine.begin() as connection:
            connection.execute(update(ServerMeta).values(min_retained_seq=100))
    finally:
        engine.dispose()
    assert get(central_server, device, PATH_PULL, cursor=99).status_code == 410
    reply = get(central_server, device, PATH_PULL, cursor=100)
    assert reply.status_code == 200, reply.text
    bad = requests.post(
        f"{central_server.base_url}{PATH_PUSH}", data=b'{"batch_id": 1}', headers=device.auth(), timeout=TIMEOUT
    )
    assert (bad.status_code, bad.json()["code"]) == (422, ERROR_BAD_REQUEST)


def test_a_device_reads_and_writes_only_its_own_ulb(central_server: CentralServer, central_db: CentralDb) -> None:
    seed_ulb(central_db.url, "OTHER")
    other_admin = add_admin_token(central_db.url, "OTHER")
    ours = enrol_device(central_server.base_url, central_db.admin_token)
    ours_too = enrol_device(central_server.base_url, central_db.admin_token)
    theirs = enrol_device(central_server.base_url, other_admin)
    assert theirs.ulb_code == "OTHER"

    # The payload claims another ULB and device: the central takes both from the token.
    forged = Series("OTHER/Z01/C01/2026-27").receipt(ulb_code="OTHER", device_id=theirs.device_id)
    ours_outbox = Outbox()
    ours_outbox.op(OpKind.RECEIPT_CREATED, forged)
    assert [r.status for r in push(central_server, ours, ours_outbox.ops).results] == ["accepted"]
    their_outbox = Outbox()
    their_receipt = their_outbox.op(OpKind.RECEIPT_CREATED, Series("OTHER/Z01/C01/2026-27").receipt())
    push(central_server, theirs, their_outbox.ops)

    engine = engine_for_url(central_db.url, pool_size=1)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(Receipt.ulb_code, Receipt.device_id).where(Receipt.uuid == forged["uuid"])
            ).one()
    finally:
        engine.dispose()
    assert (row.ulb_code, row.device_id) == ("DEMO", ours.device_id)
    assert [c.entity_uuid for c in pull_all(central_server, theirs)[0]] == []
    assert [c.entity_uuid for c in pull_all(central_server, ours_too)[0]] == [forged["uuid"]]
    snapshot = SnapshotResponse.model_validate_json(
        get(central_server, ours_too, PATH_SNAPSHOT, page="0:payment:").content
    )
    assert their_receipt.payload["uuid"] not in {c.entity_uuid for c in snapshot.changes}
    ledger = LedgerResponse.model_validate_json(
        get(central_server, theirs, PATH_LEDGER, from_date="2000-01-01").content
    )
    assert [d.count for d in ledger.days] == [1]  # its own receipt only


def test_concurrent_http_replays_store_each_receipt_once(central_server: CentralServer, central_db: CentralDb) -> None:
    device = enrol_device(central_server.base_url, central_db.admin_token)
    series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
    for _ in range(40):
        outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
    replies: list[PushResponse] = []
    barrier = threading.Barrier(5)

    def send() -> None:
        barrier.wait()
        replies.append(push(central_server, device, outbox.ops))

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(replies) == 5
    assert sorted(r.results[0].status.value for r in replies) == ["accepted"] + ["duplicate"] * 4
    assert count(central_db.url, Receipt) == 40
    assert count(central_db.url, ChangeLog) == 40


@pytest.mark.parametrize("failpoint", [AFTER_COMMIT_BEFORE_RESPONSE, BEFORE_COMMIT])
def test_a_push_cut_off_by_a_crash_is_safe_to_repeat(
    failpoint: str, central_settings: CentralSettings, central_db: CentralDb, tmp_path: Path
) -> None:
    server = CentralServer(
        settings=central_settings,
        admin_token=central_db.admin_token,
        log_path=tmp_path / "central.log",
        extra_env={ENV_VAR: failpoint},
    )
    server.start()
    try:
        device = enrol_device(server.base_url, central_db.admin_token)
        series, outbox = Series("DEMO/Z01/C01/2026-27"), Outbox()
        for _ in range(10):
            outbox.op(OpKind.RECEIPT_CREATED, series.receipt())
        with pytest.raises(requests.ConnectionError):
            push(server, device, outbox.ops)
        assert server.process is not None and server.process.wait(10) == 137
        landed = count(central_db.url, Receipt)
        assert landed == (10 if failpoint == AFTER_COMMIT_BEFORE_RESPONSE else 0)

        server.extra_env = {}
        server.start()
        answer = push(server, device, outbox.ops)
        expected = "duplicate" if failpoint == AFTER_COMMIT_BEFORE_RESPONSE else "accepted"
        assert [r.status.value for r in answer.results] == [expected] * 10
        assert answer.last_device_seq == 10
        assert count(central_db.url, Receipt) == 10
        assert count(central_db.url, SyncOp) == 10
    finally:
        server.stop()
