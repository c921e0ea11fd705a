"""State reports against real PostgreSQL: totals equal the receipts inserted (gross and net of a
cancellation), DCB, scoping of ULB admins, the CLI, and chain verification of receipts that real
devices made and pushed through the real sync engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from app.core.ids import new_uuid
from central.db.engine import engine_for_url, make_sessionmaker
from central.db.models import DemandSummary, Receipt, ReceiptCancellation, ReceiptLine
from central.payments.gateway import SandboxGateway
from central.payments.service import BillLine, apply_callback, create_order
from central.reports.cli import app as report_cli
from central.reports.queries import ReportScope, chain_status
from tests.central.conftest import CentralDb
from tests.central.server import CentralServer, add_admin_token, seed_ulb

DAY1, DAY2 = date(2026, 6, 15), date(2026, 6, 16)
FY = "2026-27"


def add_receipt(
    session: Any, ulb: str, day: date, mode: str, lines: list[tuple[str, int]], cancelled: bool = False
) -> str:
    uuid = new_uuid()
    at = datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)
    session.add(
        Receipt(
            uuid=uuid,
            ulb_code=ulb,
            device_id="dev-" + ulb,
            source="COUNTER",
            receipt_no=f"{ulb}/Z01/C01/{FY}/{uuid[-6:]}",
            series_key=f"{ulb}/Z01/C01/{FY}",
            seq=1,
            fy=FY,
            property_uuid=new_uuid(),
            collected_at=at,
            business_date=day,
            mode=mode,
            amount_paise=sum(amount for _, amount in lines),
            payload={},
            server_received_at=at,
            flags=[],
        )
    )
    session.flush()
    for i, (head, amount) in enumerate(lines):
        session.add(ReceiptLine(receipt_uuid=uuid, ordinal=i, fy=FY, head=head, amount_paise=amount))
    if cancelled:
        session.add(
            ReceiptCancellation(
                uuid=new_uuid(),
                receipt_uuid=uuid,
                ulb_code=ulb,
                device_id="dev-" + ulb,
                kind="CANCELLED",
                reason="wrong property",
                at=at,
                business_date=day,
                payload={},
            )
        )
    return uuid


@pytest.fixture
def figures(central_db: CentralDb) -> Iterator[CentralDb]:
    seed_ulb(central_db.url, "OTHR")
    engine = engine_for_url(central_db.url, pool_size=1)
    with make_sessionmaker(engine).begin() as session:
        add_receipt(session, "DEMO", DAY1, "CASH", [("PROPERTY_TAX", 6_000), ("SAMEKIT", 4_000)])
        add_receipt(session, "DEMO", DAY2, "UPI", [("PROPERTY_TAX", 5_000)])
        add_receipt(session, "DEMO", DAY2, "CASH", [("PROPERTY_TAX", 2_000)], cancelled=True)
        add_receipt(session, "OTHR", DAY1, "CASH", [("PROPERTY_TAX", 7_000)])
        session.add(
            DemandSummary(
                ulb_code="DEMO",
                fy=FY,
                by_head={"PROPERTY_TAX": 50_000, "SAMEKIT": 10_000},
                reported_at=datetime.now(UTC),
                device_id="dev-DEMO",
            )
        )
    engine.dispose()
    yield central_db


def get(client: TestClient, token: str, name: str, **params: str) -> Any:
    reply = client.get(f"/v1/reports/{name}", params=params, headers={"Authorization": f"Bearer {token}"})
    return reply


def keyed(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], tuple[int, int, int]]:
    return {tuple(row[k] for k in keys): (row["gross_paise"], row["cancelled_paise"], row["net_paise"]) for row in rows}


def test_collections_equal_the_receipts_gross_and_net_of_a_cancellation(
    figures: CentralDb, central_app: FastAPI
) -> None:
    state = add_admin_token(figures.url, None, role="state_official")
    with TestClient(central_app) as client:
        by_ulb = get(client, state, "collections-by-ulb").json()
        by_head = get(client, state, "collections-by-head").json()
        by_mode = get(client, state, "collections-by-mode").json()
        by_day = get(client, state, "collections-by-day").json()
        day2_only = get(client, state, "collections-by-ulb", ulb="DEMO", **{"from": "2026-06-16", "to": "2026-06-16"})

    assert keyed(by_ulb["rows"], "ulb") == {("DEMO",): (17_000, 2_000, 15_000), ("OTHR",): (7_000, 0, 7_000)}
    assert [row["receipts"] for row in by_ulb["rows"]] == [3, 1]
    assert by_ulb["totals"] == {"gross_paise": 24_000, "cancelled_paise": 2_000, "net_paise": 22_000}
    assert keyed(by_head["rows"], "ulb", "head") == {
        ("DEMO", "PROPERTY_TAX"): (13_000, 2_000, 11_000),
        ("DEMO", "SAMEKIT"): (4_000, 0, 4_000),
        ("OTHR", "PROPERTY_TAX"): (7_000, 0, 7_000),
    }
    assert keyed(by_mode["rows"], "ulb", "mode") == {
        ("DEMO", "CASH"): (12_000, 2_000, 10_000),
        ("DEMO", "UPI"): (5_000, 0, 5_000),
        ("OTHR", "CASH"): (7_000, 0, 7_000),
    }
    assert keyed(by_day["rows"], "ulb", "business_date") == {
        ("DEMO", "2026-06-15"): (10_000, 0, 10_000),
        ("DEMO", "2026-06-16"): (7_000, 2_000, 5_000),
        ("OTHR", "2026-06-15"): (7_000, 0, 7_000),
    }
    assert keyed(day2_only.json()["rows"], "ulb") == {("DEMO",): (7_000, 2_000, 5_000)}


def test_dcb_and_ulb_admin_scope(figures: CentralDb, central_app: FastAPI) -> None:
    with TestClient(central_app) as client:
        dcb = get(client, figures.admin_token, "dcb")
        other = get(client, figures.admin_token, "collections-by-ulb", ulb="OTHR")
        own = get(client, figures.admin_token, "collections-by-ulb")
        nobody = client.get("/v1/reports/dcb")

    assert dcb.status_code == 200
    assert {(r["head"], r["demand_paise"], r["collection_paise"], r["balance_paise"]) for r in dcb.json()["rows"]} == {
        ("PROPERTY_TAX", 50_000, 11_000, 39_000),
        ("SAMEKIT", 10_000, 4_000, 6_000),
    }
    assert {r["ulb"] for r in dcb.json()["rows"]} == {"DEMO"}  # a ULB admin sees only their ULB
    assert other.status_code == 403 and other.json()["code"] == "forbidden"
    assert [r["ulb"] for r in own.json()["rows"]] == ["DEMO"]
    assert nobody.status_code == 401


def test_report_cli_formats(figures: CentralDb) -> None:
    runner = CliRunner()
    as_csv = runner.invoke(report_cli, ["collections-by-ulb", "--format", "csv", "--database-url", figures.url])
    as_json = runner.invoke(
        report_cli, ["collections-by-mode", "--ulb", "DEMO", "--format", "json", "--database-url", figures.url]
    )
    table = runner.invoke(report_cli, ["dcb", "--database-url", figures.url])
    bad = runner.invoke(report_cli, ["dcb", "--format", "xml", "--database-url", figures.url])

    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.output.splitlines() == [
        "ulb,receipts,gross_paise,cancelled_paise,net_paise",
        "DEMO,3,17000,2000,15000",
        "OTHR,1,7000,0,7000",
    ]
    assert json.loads(as_json.output)["totals"] == {
        "gross_paise": 17_000,
        "cancelled_paise": 2_000,
        "net_paise": 15_000,
    }
    assert table.exit_code == 0 and "₹390.00" in table.output  # 39,000 paise of property tax still due
    assert bad.exit_code == 2


def test_chain_verification_finds_a_tampered_receipt_and_a_gap(central_server: CentralServer, tmp_path: Path) -> None:
    from tests.sync.conftest import enrol, new_device

    first = new_device(tmp_path, "first", ("W01-000001",))
    second = new_device(tmp_path, "second", ("W01-000002",))
    try:
        for device in (first, second):
            enrol(device, central_server)
            for amount in (10_000, 20_000, 30_000):
                device.collect(device.properties[0], amount)
            device.sync.run_cycle()
        # An online receipt too: its own chained series.
        engine = engine_for_url(central_server.database_url, pool_size=1)
        gateway = SandboxGateway("chain-test")
        with make_sessionmaker(engine).begin() as session:
            order = create_order(
                session,
                gateway,
                ulb_code="DEMO",
                property_uuid=first.properties[0],
                lines=[BillLine(FY, "PROPERTY_TAX", 5_000)],
                amount_paise=5_000,
            )
            body, signature = gateway.pay(order.order_id, 5_000, "SBXCHAIN1", datetime.now(UTC))
            apply_callback(session, gateway.verify_callback(body, {"X-Sandbox-Signature": signature}))

        def statuses() -> dict[str, tuple[str, str]]:
            with make_sessionmaker(engine)() as session:
                report = chain_status(session, ReportScope(None))
            return {row["series_key"]: (row["status"], row["gaps"]) for row in report.as_dicts()}

        before = statuses()
        assert len(before) == 3
        assert set(before.values()) == {("ok", "")}

        first_key = next(k for k in before if k.startswith(f"DEMO/Z01/C{first.services.device.device_no:02d}/"))
        second_key = next(k for k in before if k.startswith(f"DEMO/Z01/C{second.services.device.device_no:02d}/"))
        with engine.begin() as connection:
            # Someone raises an amount in the central database...
            connection.execute(
                text("UPDATE receipt SET amount_paise = amount_paise + 100 WHERE series_key = :k AND seq = 2"),
                {"k": first_key},
            )
            # ...and a receipt of the other series goes missing.
            connection.execute(
                text(
                    "DELETE FROM receipt_line WHERE receipt_uuid IN "
                    "(SELECT uuid FROM receipt WHERE series_key = :k AND seq = 2)"
                ),
                {"k": second_key},
            )
            connection.execute(text("DELETE FROM receipt WHERE series_key = :k AND seq = 2"), {"k": second_key})
        after = statuses()
        engine.dispose()
        assert after[first_key] == ("broken at seq 2", "")
        assert after[second_key] == ("gaps", "2")
        online_key = next(k for k in after if "/ONLINE/" in k)
        assert after[online_key] == ("ok", "")
    finally:
        first.close()
        second.close()


def test_a_receipt_with_a_water_line_verifies_and_tampering_with_its_account_is_found(
    central_server: CentralServer, tmp_path: Path
) -> None:
    """Water, licence and user-charge lines hash with their service, account and period (old
    property lines as before): the central re-hashes them the same way, so such a receipt's chain is
    ok, and moving its payment to another connection in the central database breaks it."""
    from app.billing.dto import AccountRef
    from app.demand.dto import Service
    from tests.factories import bill_request, make_water_connection, raise_service_demand
    from tests.sync.conftest import enrol, new_device

    device = new_device(tmp_path, "water", ("W01-000001",))
    try:
        enrol(device, central_server)
        water_uuid = make_water_connection(device.services.db, "W-01-C01-00001")
        raise_service_demand(device.services.db, "WATER", water_uuid, "2026-04", "WATER_CHARGE", 20_000)
        clerk = device.actor("clerk1")
        device.services.collections.open_session(clerk, 0)
        billing = device.services.billing
        bill = billing.bill_for(billing.account_ref(Service.WATER, water_uuid), device.services.collections.today())
        keys = [line.key for section in bill.sections for line in section.lines]
        request = bill_request(bill.primary, keys, bill.payable_paise, property_included=False)
        assert isinstance(request.primary, AccountRef)
        receipt = device.services.collections.collect_bill(clerk, request)
        assert receipt.property_uuid is None
        device.collect(device.properties[0], 10_000)  # a property receipt after it, same series
        device.sync.run_cycle()

        engine = engine_for_url(central_server.database_url, pool_size=1)

        def statuses() -> set[tuple[str, str]]:
            with make_sessionmaker(engine)() as session:
                report = chain_status(session, ReportScope(None))
            return {(row["status"], row["gaps"]) for row in report.as_dicts()}

        assert statuses() == {("ok", "")}
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE receipt_line SET account = :other WHERE receipt_uuid = :r AND service = 'WATER'"),
                {"other": "0193a0c2-0000-7000-8000-0000000000ff", "r": receipt.uuid},
            )
        assert statuses() != {("ok", "")}
        engine.dispose()
    finally:
        device.close()
