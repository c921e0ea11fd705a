"""Online payments against a real central (uvicorn subprocess, real PostgreSQL): orders, the sandbox
gateway's signed callbacks, idempotent replays, double payments, and the device feed."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core.clock import business_date
from app.core.fy import FinancialYear
from app.core.ids import new_uuid
from central.config import CentralSettings
from central.db.engine import engine_for_url, make_sessionmaker
from central.db.models import Anomaly, ChangeLog, Receipt, ReceiptLine
from central.payments.gateway import SANDBOX_SIGNATURE_HEADER, sign
from central.payments.models import OnlinePayment
from central.payments.router import SANDBOX_PAY_ENV
from sync.protocol import PATH_PULL
from tests.central.conftest import TOKEN_SECRET, CentralDb
from tests.central.server import CentralServer, enrol_device

GATEWAY_SECRET = "gw-" + secrets.token_hex(16)


@pytest.fixture(scope="session")
def _shared_pay_server(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralServer]:
    """A central with the sandbox gateway on, one process per test session (starting one costs ~2 s)."""
    settings = CentralSettings(
        database_url=pg_url, token_secret=TOKEN_SECRET, db_pool_size=4, gateway_secret=GATEWAY_SECRET
    )
    server = CentralServer(
        settings=settings,
        admin_token="",
        log_path=tmp_path_factory.mktemp("pay-central") / "central.log",
        extra_env={SANDBOX_PAY_ENV: "1"},
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pay_server(central_db: CentralDb, _shared_pay_server: CentralServer) -> CentralServer:
    """That central over the emptied database of this test (DEMO + its admin)."""
    server = _shared_pay_server
    server.admin_token = central_db.admin_token
    if not server.running:
        server.start()
    return server


def current_fy() -> str:
    return FinancialYear.of(business_date(datetime.now(UTC))).code


def open_order(base_url: str, property_uuid: str, amount: int = 150_000, ulb: str = "DEMO") -> dict[str, Any]:
    fy = current_fy()
    body = {
        "ulb_code": ulb,
        "property_uuid": property_uuid,
        "lines": [
            {"fy": fy, "head": "PROPERTY_TAX", "amount_paise": amount - 50_000},
            {"fy": fy, "head": "SAMEKIT", "amount_paise": 50_000},
        ],
        "amount_paise": amount,
        "payer_name": "Ramesh Sahu",
    }
    reply = requests.post(f"{base_url}/v1/payments/orders", json=body, timeout=10)
    assert reply.status_code == 201, reply.text
    order: dict[str, Any] = reply.json()
    return order


def sandbox_pay(base_url: str, order_id: str, **options: Any) -> dict[str, Any]:
    reply = requests.post(f"{base_url}/v1/payments/sandbox/pay/{order_id}", json=options or None, timeout=30)
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def counts(url: str) -> dict[str, int]:
    engine = engine_for_url(url, pool_size=1)
    try:
        with engine.connect() as connection:
            return {
                "receipts": connection.scalar(select(func.count()).select_from(Receipt)) or 0,
                "lines": connection.scalar(select(func.count()).select_from(ReceiptLine)) or 0,
                "payment_changes": connection.scalar(
                    select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == "payment")
                )
                or 0,
                "paid_orders": connection.scalar(
                    select(func.count()).select_from(OnlinePayment).where(OnlinePayment.status == "paid")
                )
                or 0,
            }
    finally:
        engine.dispose()


def test_signed_callback_makes_an_online_receipt_that_a_device_pulls(pay_server: CentralServer) -> None:
    property_uuid = new_uuid()
    order = open_order(pay_server.base_url, property_uuid)
    assert order["status"] == "created"

    paid = sandbox_pay(pay_server.base_url, order["order_id"])

    assert paid["callback_status"] == 200
    callback = paid["callback"]
    assert callback["status"] == "recorded"
    assert callback["flags"] == []
    assert callback["receipt_no"] == f"DEMO/ONLINE/{current_fy()}/000001"
    state = requests.get(f"{pay_server.base_url}/v1/payments/orders/{order['order_id']}", timeout=10).json()
    assert state["status"] == "paid"
    assert state["receipt_uuid"] == callback["receipt_uuid"]

    # The receipt at the central: source ONLINE, its lines are the bill.
    engine = engine_for_url(pay_server.database_url, pool_size=1)
    with make_sessionmaker(engine)() as session:
        receipt = session.get(Receipt, callback["receipt_uuid"])
        assert receipt is not None
        assert (receipt.source, receipt.mode, receipt.amount_paise) == ("ONLINE", "ONLINE", 150_000)
        lines = session.scalars(select(ReceiptLine).where(ReceiptLine.receipt_uuid == receipt.uuid)).all()
        assert sorted((x.head, x.amount_paise) for x in lines) == [("PROPERTY_TAX", 100_000), ("SAMEKIT", 50_000)]
    engine.dispose()

    # A device of the ULB pulls it as a payment change.
    device = enrol_device(pay_server.base_url, pay_server.admin_token)
    pulled = requests.get(f"{pay_server.base_url}{PATH_PULL}?cursor=0", headers=device.auth(), timeout=10)
    assert pulled.status_code == 200, pulled.text
    payments = [c for c in pulled.json()["changes"] if c["entity"] == "payment"]
    assert [c["entity_uuid"] for c in payments] == [callback["receipt_uuid"]]
    payload = payments[0]["payload"]
    assert payload["source"] == "ONLINE"
    assert payload["property_uuid"] == property_uuid
    assert payload["amount_paise"] == 150_000
    assert sum(x["amount_paise"] for x in payload["lines"]) == 150_000


def test_unsigned_or_badly_signed_callback_is_refused_and_records_nothing(pay_server: CentralServer) -> None:
    order = open_order(pay_server.base_url, new_uuid())
    body = json.dumps(
        {
            "order_id": order["order_id"],
            "gateway_txn_id": "FORGED0001",
            "status": "paid",
            "amount_paise": order["amount_paise"],
            "paid_at": datetime.now(UTC).isoformat(),
        }
    ).encode()
    url = f"{pay_server.base_url}/v1/payments/callback/sandbox"
    unsigned = requests.post(url, data=body, headers={"content-type": "application/json"}, timeout=10)
    forged = requests.post(url, data=body, headers={SANDBOX_SIGNATURE_HEADER: sign("not-the-key", body)}, timeout=10)
    # The right key over other bytes (an amount changed after signing) is as bad as no signature.
    tampered = body.replace(b'"status"', b' "status"')
    altered = requests.post(
        url, data=tampered, headers={SANDBOX_SIGNATURE_HEADER: sign(GATEWAY_SECRET, body)}, timeout=10
    )

    assert (unsigned.status_code, forged.status_code, altered.status_code) == (401, 401, 401)
    assert unsigned.json()["code"] == "bad_signature"
    assert counts(pay_server.database_url) == {"receipts": 0, "lines": 0, "payment_changes": 0, "paid_orders": 0}
    state = requests.get(f"{pay_server.base_url}/v1/payments/orders/{order['order_id']}", timeout=10).json()
    assert state["status"] == "created"


def test_a_replayed_callback_changes_nothing_even_when_replays_race(pay_server: CentralServer) -> None:
    order = open_order(pay_server.base_url, new_uuid())
    first = sandbox_pay(pay_server.base_url, order["order_id"], gateway_txn_id="SBXREPLAY1")
    assert first["callback"]["status"] == "recorded"
    before = counts(pay_server.database_url)

    url = f"{pay_server.base_url}/v1/payments/callback/sandbox"
    headers = {SANDBOX_SIGNATURE_HEADER: first["signature"], "content-type": "application/json"}

    def replay(_: int) -> requests.Response:
        return requests.post(url, data=first["body"].encode(), headers=headers, timeout=30)

    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(replay, range(4)))

    assert [r.status_code for r in replies] == [200] * 4
    assert {r.json()["status"] for r in replies} == {"duplicate"}
    assert {r.json()["receipt_uuid"] for r in replies} == {first["callback"]["receipt_uuid"]}
    assert (
        counts(pay_server.database_url)
        == before
        == {
            "receipts": 1,
            "lines": 2,
            "payment_changes": 1,
            "paid_orders": 1,
        }
    )


def test_the_same_gateway_transaction_cannot_pay_two_orders(pay_server: CentralServer) -> None:
    one = open_order(pay_server.base_url, new_uuid())
    two = open_order(pay_server.base_url, new_uuid())
    sandbox_pay(pay_server.base_url, one["order_id"], gateway_txn_id="SBXSAME")
    reply = requests.post(
        f"{pay_server.base_url}/v1/payments/sandbox/pay/{two['order_id']}",
        json={"gateway_txn_id": "SBXSAME"},
        timeout=30,
    )
    assert reply.json()["callback_status"] == 409
    assert counts(pay_server.database_url)["receipts"] == 1


def test_online_payment_of_dues_already_paid_at_a_counter_is_flagged_double_payment(pay_server: CentralServer) -> None:
    property_uuid = new_uuid()
    order = open_order(pay_server.base_url, property_uuid)
    # A counter receipt for the same dues reaches the central after the bill was made.
    fy = current_fy()
    now = datetime.now(UTC)
    engine = engine_for_url(pay_server.database_url, pool_size=1)
    with make_sessionmaker(engine).begin() as session:
        counter_uuid = new_uuid()
        session.add(
            Receipt(
                uuid=counter_uuid,
                ulb_code="DEMO",
                device_id=new_uuid(),
                source="COUNTER",
                receipt_no=f"DEMO/Z01/C01/{fy}/000001",
                series_key=f"DEMO/Z01/C01/{fy}",
                seq=1,
                fy=fy,
                property_uuid=property_uuid,
                collected_at=now,
                business_date=business_date(now),
                mode="CASH",
                amount_paise=150_000,
                payload={},
                server_received_at=now,
                flags=[],
            )
        )
        session.flush()
        session.add(ReceiptLine(receipt_uuid=counter_uuid, ordinal=0, fy=fy, head="PROPERTY_TAX", amount_paise=100_000))
        session.add(ReceiptLine(receipt_uuid=counter_uuid, ordinal=1, fy=fy, head="SAMEKIT", amount_paise=50_000))

    paid = sandbox_pay(pay_server.base_url, order["order_id"])

    # Money is never refused: the online receipt exists, flagged, with an anomaly for a person.
    assert paid["callback"]["status"] == "recorded"
    assert paid["callback"]["flags"] == ["double_payment"]
    with make_sessionmaker(engine)() as session:
        receipt = session.get(Receipt, paid["callback"]["receipt_uuid"])
        assert receipt is not None and receipt.flags == ["double_payment"]
        anomalies = session.scalars(select(Anomaly).where(Anomaly.kind == "double_payment")).all()
        assert [a.entity_uuid for a in anomalies] == [receipt.uuid]
        assert {(x["head"], x["amount_paise"]) for x in anomalies[0].detail["already_paid"]} == {
            ("PROPERTY_TAX", 100_000),
            ("SAMEKIT", 50_000),
        }
    engine.dispose()


def test_an_order_whose_lines_do_not_add_up_is_refused(pay_server: CentralServer) -> None:
    body = {
        "ulb_code": "DEMO",
        "property_uuid": new_uuid(),
        "lines": [{"fy": current_fy(), "head": "PROPERTY_TAX", "amount_paise": 1000}],
        "amount_paise": 2000,
    }
    reply = requests.post(f"{pay_server.base_url}/v1/payments/orders", json=body, timeout=10)
    assert reply.status_code == 422
    assert "not the sum" in reply.json()["message"]


def test_the_sandbox_cannot_pay_unless_turned_on(central_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SANDBOX_PAY_ENV, raising=False)
    with TestClient(central_app) as client:
        reply = client.post("/v1/payments/sandbox/pay/any-order")
    assert reply.status_code == 404
    assert SANDBOX_PAY_ENV in reply.json()["message"]


def test_a_second_gateway_payment_of_a_paid_order_becomes_flagged_advance(pay_server: CentralServer) -> None:
    order = open_order(pay_server.base_url, new_uuid())
    first = sandbox_pay(pay_server.base_url, order["order_id"], gateway_txn_id="SBXFIRST")
    second = sandbox_pay(pay_server.base_url, order["order_id"], gateway_txn_id="SBXSECOND")
    replay = requests.post(
        f"{pay_server.base_url}/v1/payments/callback/sandbox",
        data=second["body"].encode(),
        headers={SANDBOX_SIGNATURE_HEADER: second["signature"]},
        timeout=10,
    )

    assert first["callback"]["flags"] == []
    # The citizen paid twice: the money is kept as its own receipt, all advance credit, flagged.
    assert second["callback"]["status"] == "recorded"
    assert second["callback"]["flags"] == ["double_payment"]
    assert (replay.status_code, replay.json()["status"]) == (200, "duplicate")
    assert replay.json()["receipt_uuid"] == second["callback"]["receipt_uuid"]
    assert counts(pay_server.database_url) == {"receipts": 2, "lines": 3, "payment_changes": 2, "paid_orders": 2}
    engine = engine_for_url(pay_server.database_url, pool_size=1)
    with make_sessionmaker(engine)() as session:
        lines = session.scalars(
            select(ReceiptLine).where(ReceiptLine.receipt_uuid == second["callback"]["receipt_uuid"])
        ).all()
        assert [(x.head, x.amount_paise) for x in lines] == [("ADVANCE", 150_000)]
        anomaly = session.scalars(
            select(Anomaly).where(Anomaly.entity_uuid == second["callback"]["receipt_uuid"])
        ).one()
        assert anomaly.detail["order_already_paid"] == order["order_id"]
    engine.dispose()
