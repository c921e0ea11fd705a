"""The tools of the fault tests, tested on their own: the invariant checker must catch each kind of
loss, duplication and alteration, and the proxy must really cut connections where it is told."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import psycopg
import pytest

from tests.sync_faults.devices import open_counter
from tests.sync_faults.invariants import (
    check_invariants,
    device_receipts,
    plain_pg_url,
)
from tests.sync_faults.netproxy import NetProxy

DAY = date(2026, 6, 15)


def _copy_to_central(pg_url: str, data_dir: Path, device_id: str = "d-1") -> None:
    """What a perfect central would hold: the device's receipts and lines, column for column."""
    rows = device_receipts(data_dir)
    with psycopg.connect(plain_pg_url(pg_url)) as conn:
        for r in rows:
            conn.execute(
                "INSERT INTO receipt (uuid, ulb_code, device_id, source, receipt_no, series_key, seq, fy,"
                " property_uuid, payer_name, collected_at, business_date, mode, amount_paise, instrument_no,"
                " prev_hash, hash, payload, server_received_at, flags)"
                " VALUES (%s,'DEMO',%s,'COUNTER',%s,%s,%s,%s,%s,'',%s,%s,%s,%s,%s,%s,%s,'{}',now(),'[]')",
                (
                    r.uuid,
                    device_id,
                    r.receipt_no,
                    r.series_key,
                    r.seq,
                    r.series_key.rsplit("/", 1)[1],
                    r.property_uuid,
                    r.collected_at,
                    r.business_date,
                    r.mode,
                    r.amount_paise,
                    r.instrument_no,
                    r.prev_hash,
                    r.hash,
                ),
            )
            for ordinal, (fy, head, amount) in enumerate(r.lines):
                conn.execute(
                    "INSERT INTO receipt_line (receipt_uuid, ordinal, fy, head, amount_paise) VALUES (%s,%s,%s,%s,%s)",
                    (r.uuid, ordinal, fy, head, amount),
                )


def _ack_all(data_dir: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(data_dir / "nikay.sqlite3")
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(outbox)")}
        if "state" in columns:
            conn.execute("UPDATE outbox SET state = 'acked', acknowledged_at = '2026-06-15 06:00:00'")
        else:
            conn.execute("UPDATE outbox SET acknowledged_at = '2026-06-15 06:00:00'")
        conn.commit()
    finally:
        conn.close()


def test_checker_passes_a_faithful_copy_and_names_every_kind_of_damage(fault_pg_url: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "device-1"
    data_dir.mkdir()
    counter = open_counter(data_dir, DAY)
    counter.collect(6)
    counter.close()

    # Before the sync: nothing on the central, everything pending.
    verdict = check_invariants(fault_pg_url, [data_dir])
    assert not verdict.ok
    assert verdict.pending >= 6
    assert any("I1" in p and "lost" in p for p in verdict.problems)
    assert any("I4" in p for p in verdict.problems)

    _copy_to_central(fault_pg_url, data_dir)
    _ack_all(data_dir)
    verdict = check_invariants(fault_pg_url, [data_dir])
    assert verdict.ok, str(verdict)
    assert verdict.central_count == verdict.device_count == 6

    url = plain_pg_url(fault_pg_url)
    with psycopg.connect(url) as conn:  # a second row with the number of seq 3 (another uuid)
        conn.execute(
            "INSERT INTO receipt SELECT 'forged-uuid', ulb_code, device_id, source, receipt_no, series_key, seq, fy,"
            " property_uuid, payer_name, collected_at, business_date, mode, amount_paise, instrument_no, prev_hash,"
            " hash, payload, server_received_at, skew_s, flags FROM receipt WHERE seq = 3"
        )
    problems = check_invariants(fault_pg_url, [data_dir]).problems
    assert any(p.startswith("I2 central: number") for p in problems), problems
    assert any("on the central but on no device" in p for p in problems)
    assert any(p.startswith("I3") and "day" in p for p in problems)

    with psycopg.connect(url) as conn:  # drop the forgery; lose seq 5; alter the amount of seq 2
        conn.execute("DELETE FROM receipt WHERE uuid = 'forged-uuid'")
        conn.execute("DELETE FROM receipt_line WHERE receipt_uuid IN (SELECT uuid FROM receipt WHERE seq = 5)")
        conn.execute("DELETE FROM receipt WHERE seq = 5")
        conn.execute("UPDATE receipt SET amount_paise = amount_paise + 1 WHERE seq = 2")
    problems = check_invariants(fault_pg_url, [data_dir]).problems
    assert any("lost" in p for p in problems), problems
    assert any("differs between the central and its device" in p for p in problems)
    assert any("central: series" in p and "gap" in p for p in problems)
    assert any("hash does not recompute" in p for p in problems)


def test_checker_verifies_the_device_chain_itself(fault_pg_url: str, tmp_path: Path) -> None:
    import sqlite3

    data_dir = tmp_path / "device-1"
    data_dir.mkdir()
    counter = open_counter(data_dir, DAY)
    counter.collect(3)
    counter.close()
    _copy_to_central(fault_pg_url, data_dir)
    _ack_all(data_dir)
    assert check_invariants(fault_pg_url, [data_dir]).ok
    conn = sqlite3.connect(data_dir / "nikay.sqlite3")
    conn.execute("UPDATE receipt SET prev_hash = 'x' WHERE seq = 2")
    conn.commit()
    conn.close()
    problems = check_invariants(fault_pg_url, [data_dir]).problems
    assert any("device device-1" in p and "prev_hash" in p for p in problems), problems


# -- the proxy -------------------------------------------------------------------------------------------


class _Echo(BaseHTTPRequestHandler):
    """Answers a POST with a large JSON body and records what arrived whole."""

    received: ClassVar[list[int]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        if len(body) == length:
            _Echo.received.append(length)
        reply = json.dumps({"n": length, "pad": "x" * 200_000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def echo_server() -> Any:
    _Echo.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _post(port: int, size: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", "/", body=b"a" * size, headers={"Content-Type": "text/plain"})
        response = conn.getresponse()
        return int(json.loads(response.read())["n"])
    finally:
        conn.close()


def test_proxy_forwards_then_cuts_requests_and_responses_where_told(echo_server: Any) -> None:
    with NetProxy(echo_server.server_address[1]) as proxy:
        assert _post(proxy.port, 100_000) == 100_000
        assert _Echo.received == [100_000]

        proxy.cut_request_after(50_000)  # mid-request: the server never gets the whole body
        with pytest.raises((ConnectionError, http.client.HTTPException, socket.timeout, OSError)):
            _post(proxy.port, 100_000)
        assert _Echo.received == [100_000]

        proxy.cut_response_after(1_000)  # mid-response: the server handled it, the client never learns
        with pytest.raises((ConnectionError, http.client.HTTPException, ValueError, OSError)):
            _post(proxy.port, 70_000)
        assert _Echo.received == [100_000, 70_000]

        proxy.refuse()
        with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
            _post(proxy.port, 10)
        proxy.heal()
        assert _post(proxy.port, 10) == 10
        assert proxy.stats.faulted == 3


def test_bulk_receipts_continue_the_real_chain_and_outbox(tmp_path: Path) -> None:
    import sqlite3

    from app.outbox.service import payload_hash
    from tests.sync_faults.bulk import clone_receipts
    from tests.sync_faults.invariants import device_outbox_state, verify_chains

    data_dir = tmp_path / "device-1"
    data_dir.mkdir()
    counter = open_counter(data_dir, DAY)
    counter.collect(2)
    counter.close()
    assert clone_receipts(data_dir, 500) == 502
    rows = device_receipts(data_dir)
    assert len(rows) == 502
    assert verify_chains(rows, "device") == []
    pending, _ = device_outbox_state(data_dir)
    assert pending == 503  # the session opening + 502 receipts
    conn = sqlite3.connect(data_dir / "nikay.sqlite3")
    payload_json, stored_hash = conn.execute(
        "SELECT payload_json, payload_sha256 FROM outbox ORDER BY device_seq DESC LIMIT 1"
    ).fetchone()
    conn.close()
    payload = json.loads(payload_json)
    assert payload["seq"] == 502 and payload_hash(payload) == stored_hash
    # The next receipt through the real service continues the series after the bulk ones.
    counter = open_counter(data_dir, DAY, new=False)
    counter.collect(1)
    counter.close()
    assert verify_chains(device_receipts(data_dir), "device") == []


def test_checker_compares_cancellations(fault_pg_url: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "device-1"
    data_dir.mkdir()
    counter = open_counter(data_dir, DAY)
    made = counter.collect(2)
    counter.collections.cancel(counter.actor(), counter.actor("supervisor1"), made[1], "wrong property chosen")
    counter.close()
    _copy_to_central(fault_pg_url, data_dir)
    _ack_all(data_dir)
    problems = check_invariants(fault_pg_url, [data_dir]).problems
    assert any("cancellations differ" in p for p in problems), problems
    with psycopg.connect(plain_pg_url(fault_pg_url)) as conn:
        conn.execute(
            "INSERT INTO receipt_cancellation (uuid, receipt_uuid, ulb_code, device_id, kind, reason, at,"
            " business_date, payload, flags) SELECT 'c-1', %s, 'DEMO', 'd-1', 'CANCELLED', 'x', now(), %s, '{}', '[]'",
            (made[1], DAY),
        )
    problems = check_invariants(fault_pg_url, [data_dir]).problems
    assert any("cancellations differ" in p for p in problems), "another uuid is not the same cancellation"
    import sqlite3

    conn2 = sqlite3.connect(data_dir / "nikay.sqlite3")
    device_uuid = conn2.execute("SELECT uuid FROM receipt_cancellation").fetchone()[0]
    conn2.close()
    with psycopg.connect(plain_pg_url(fault_pg_url)) as conn:
        conn.execute("UPDATE receipt_cancellation SET uuid = %s WHERE uuid = 'c-1'", (device_uuid,))
    assert check_invariants(fault_pg_url, [data_dir]).ok
