"""The same push replayed — one after the other and from eight threads at once — leaves one row per
receipt; an op_id reused with another payload is quarantined and the original stays as it was.
Raw HTTP against the real server, as a buggy or malicious client would send it."""

from __future__ import annotations

import http.client
import json
import threading
from datetime import UTC, datetime
from typing import Any

import psycopg

from tests.sync_faults.conftest import World
from tests.sync_faults.invariants import plain_pg_url
from tests.sync_faults.loadkit import BenchDevice, SeriesState, enrol, fy_of, push_body, receipt_ops

PROPERTIES = ["01a00000-0000-7000-8000-000000000001", "01a00000-0000-7000-8000-000000000002"]


def _device(world: World) -> tuple[BenchDevice, SeriesState]:
    device = enrol(world.server.base_url, world.admin_token)
    from app.core.clock import business_date

    fy = fy_of(business_date(datetime.now(UTC)))
    return device, SeriesState(f"{device.ulb_code}/{device.office_code}/C{device.device_no:02d}/{fy}")


def _push(world: World, device: BenchDevice, body: bytes) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", world.server.port, timeout=30)
    try:
        conn.request(
            "POST",
            "/v1/sync/push",
            body=body,
            headers={"Authorization": f"Bearer {device.access_token}", "Content-Type": "application/json"},
        )
        reply = conn.getresponse()
        data = reply.read()
        assert reply.status == 200, data[:500]
        return dict(json.loads(data))
    finally:
        conn.close()


def _rows(world: World, uuids: list[str]) -> dict[str, int]:
    with psycopg.connect(plain_pg_url(world.url)) as conn:
        return dict(
            conn.execute("SELECT uuid, count(*) FROM receipt WHERE uuid = ANY(%s) GROUP BY uuid", (uuids,)).fetchall()
        )


def test_a_batch_replayed_sequentially_and_concurrently_lands_once(world: World) -> None:
    device, series = _device(world)
    ops = receipt_ops(device, series, 1, 20, datetime.now(UTC), PROPERTIES)
    uuids = [op["entity_uuid"] for op in ops]
    body = push_body(ops)

    first = _push(world, device, body)
    assert [r["status"] for r in first["results"]] == ["accepted"] * 20
    again = _push(world, device, body)
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 20
    assert again["last_device_seq"] == 20

    # A new batch, sent by eight threads at the same moment.
    more = receipt_ops(device, series, 21, 30, datetime.now(UTC), PROPERTIES)
    uuids += [op["entity_uuid"] for op in more]
    body = push_body(more)
    replies: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def send() -> None:
        try:
            start.wait()
            replies.append(_push(world, device, body))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    statuses: dict[str, list[str]] = {}
    for reply in replies:
        for result in reply["results"]:
            statuses.setdefault(result["op_id"], []).append(result["status"])
    assert len(statuses) == 30
    for op_id, seen in statuses.items():
        assert seen.count("accepted") == 1, (op_id, seen)  # exactly one sender applied it
        assert seen.count("duplicate") == 7, (op_id, seen)

    rows = _rows(world, uuids)
    assert len(rows) == 50 and set(rows.values()) == {1}


def test_same_op_id_with_another_payload_is_quarantined_and_the_original_kept(world: World) -> None:
    device, series = _device(world)
    ops = receipt_ops(device, series, 1, 3, datetime.now(UTC), PROPERTIES)
    assert [r["status"] for r in _push(world, device, push_body(ops))["results"]] == ["accepted"] * 3

    from sync.protocol import payload_sha256

    tampered = json.loads(json.dumps(ops[1]))
    tampered["payload"]["amount_paise"] += 100_000  # same op_id, same receipt uuid, more money
    tampered["payload_sha256"] = payload_sha256(tampered["payload"])
    reply = _push(world, device, push_body([tampered]))
    assert reply["results"][0]["status"] == "quarantined"

    with psycopg.connect(plain_pg_url(world.url)) as conn:
        amount = conn.execute("SELECT amount_paise FROM receipt WHERE uuid = %s", (ops[1]["entity_uuid"],)).fetchone()
        kept = conn.execute(
            "SELECT count(*) FROM quarantined_op WHERE device_id = %s AND op_id = %s",
            (device.device_id, ops[1]["op_id"]),
        ).fetchone()
    assert amount is not None and amount[0] == ops[1]["payload"]["amount_paise"], "the original is unchanged"
    assert kept is not None and kept[0] == 1, "the tampered op is kept for support, not dropped"
    # The honest replay of the original still reads as a duplicate.
    assert _push(world, device, push_body([ops[1]]))["results"][0]["status"] == "duplicate"


def test_same_number_with_another_uuid_is_kept_and_flagged(world: World) -> None:
    """A device restored from an old backup reissues a number: never dropped as a "duplicate" (Odoo
    #16781 lost money that way) — both receipts kept, the second flagged number_collision."""
    device, series = _device(world)
    ops = receipt_ops(device, series, 1, 3, datetime.now(UTC), PROPERTIES)
    assert [r["status"] for r in _push(world, device, push_body(ops))["results"]] == ["accepted"] * 3

    series.seq, series.head = 2, ops[1]["payload"]["hash"]  # the backup knew receipts 1-2 only
    reissued = receipt_ops(device, series, 4, 1, datetime.now(UTC), PROPERTIES)
    assert reissued[0]["payload"]["receipt_no"] == ops[2]["payload"]["receipt_no"]
    result = _push(world, device, push_body(reissued))["results"][0]
    assert result["status"] == "accepted" and "number_collision" in result["flags"], result

    uuids = [ops[2]["entity_uuid"], reissued[0]["entity_uuid"]]
    assert _rows(world, uuids) == {uuids[0]: 1, uuids[1]: 1}, "both receipts are kept"
