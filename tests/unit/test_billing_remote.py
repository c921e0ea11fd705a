"""Payments made at another counter count against water, licence and user-charge dues here too.

A receipt of counter A comes down to counter B as a "payment" change whose payload is what the
central's `payment_change_payload` makes (non-property lines carry service/account/period; a receipt
for services only has a null property). It is applied here by the sync engine's own dispatcher (as
build_sync wires it), and the combined bill of counter B must then show those lines paid — so the
clerk at B cannot take the same water charge again — until the payment is cancelled."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.billing.dto import Bill
from app.composition import Services, build_services
from app.core.clock import FixedClock
from app.core.ids import new_uuid
from app.db.engine import Database, make_engine
from app.db.migrate import alembic_config, upgrade_to_head
from app.demand.dto import Head, Service
from app.errors import ValidationError
from app.replica.models import RemotePayment, RemotePaymentLine
from app.replica.service import remote_service_paid
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.security.secrets import OwnerOnlyFileSecretStore
from central.sync.ingest import cancellation_change_payload, payment_change_payload
from sync.composition import build_sync
from sync.protocol import Change, ChangeEntity
from sync.service import SyncService
from tests.factories import CombinedAccounts, bill_request, make_combined_accounts, set_up_device

DAY = date(2026, 6, 15)
OTHER_COUNTER = "0193a0c2-0000-7000-8000-00000000000b"


@dataclass
class CounterB:
    services: Services
    sync: SyncService
    accounts: CombinedAccounts
    seq: int = 0

    def clerk(self) -> Actor:
        actor = self.services.users.actor_for("clerk1", self.services.device.device_no)
        if self.services.collections.current_session(actor) is None:
            self.services.collections.open_session(actor, 0)
        return actor

    def bill(self, service: Service, uuid: str) -> Bill:
        return self.services.billing.bill_for(self.services.billing.account_ref(service, uuid), DAY)

    def pull(self, entity: ChangeEntity, uuid: str, payload: dict[str, Any]) -> bool:
        """One pulled change, applied the way a pull applies a page (in one write transaction)."""
        self.seq += 1
        change = Change(
            seq=self.seq,
            entity=entity.value,
            entity_uuid=uuid,
            op="upsert",
            version=1,
            payload=payload,
            origin_device_id=OTHER_COUNTER,
        )
        with self.services.db.write() as session:
            return self.sync.dispatcher.apply(session, change)


@pytest.fixture
def counter(data_dir: Path, clock: FixedClock) -> Any:
    set_up_device(data_dir, clock).dispose()
    services = build_services(data_dir, clock, password_hasher=fast_hasher())
    accounts = make_combined_accounts(services.db)
    sync = build_sync(services, OwnerOnlyFileSecretStore(data_dir))
    yield CounterB(services, sync, accounts)
    services.close()


def receipt_payload(
    property_uuid: str | None, lines: list[dict[str, Any]], receipt_no: str = "", source: str = "COUNTER"
) -> dict[str, Any]:
    """A receipt of counter A as the central sends it down (its own function, not a copy)."""
    row = {
        "uuid": new_uuid(),
        "receipt_no": receipt_no or "RPR/Z01/C02/2026-27/000007",
        "property_uuid": property_uuid,
        "business_date": DAY,
        "collected_at": datetime(2026, 6, 15, 5, 30, tzinfo=UTC),
        "amount_paise": sum(int(line["amount_paise"]) for line in lines),
        "mode": "CASH" if source == "COUNTER" else "UPI",
        "source": source,
    }
    return payment_change_payload(row, lines)


def water_line(account: str, period: str, head: str, amount: int) -> dict[str, Any]:
    return {
        "fy": "2026-27",
        "head": head,
        "amount_paise": amount,
        "service": "WATER",
        "account": account,
        "period": period,
    }


def dues_of(bill: Bill, service: Service) -> dict[tuple[str, Head], int]:
    return {
        (line.period, line.head): line.due_paise
        for section in bill.sections
        if section.service == service
        for line in section.lines
    }


def cancel(counter: CounterB, receipt_uuid: str) -> bool:
    uuid = new_uuid()
    payload = cancellation_change_payload(
        {
            "uuid": uuid,
            "receipt_uuid": receipt_uuid,
            "kind": "CANCELLED",
            "reason": "wrong connection",
            "at": datetime(2026, 6, 15, 8, 0, tzinfo=UTC),
            "business_date": DAY,
        }
    )
    return counter.pull(ChangeEntity.PAYMENT_CANCELLATION, uuid, payload)


# -- tests ---------------------------------------------------------------------------------------


def test_a_water_charge_paid_at_another_counter_is_paid_here_until_that_receipt_is_cancelled(
    counter: CounterB,
) -> None:
    water = counter.accounts.water_uuid
    before = dues_of(counter.bill(Service.WATER, water), Service.WATER)
    assert before == {
        ("2026-04", Head.WATER_CONNECTION_FEE): 100000,
        ("2026-04", Head.WATER_CHARGE): 20000,
        ("2026-05", Head.WATER_CHARGE): 20000,
    }

    payload = receipt_payload(
        None,
        [
            water_line(water, "2026-04", "WATER_CHARGE", 20000),
            water_line(water, "2026-05", "WATER_CHARGE", 5000),  # part of May's
        ],
    )
    assert payload["property_uuid"] is None and payload["lines"][0]["service"] == "WATER"
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)

    after = counter.bill(Service.WATER, water)
    assert dues_of(after, Service.WATER) == {
        ("2026-04", Head.WATER_CONNECTION_FEE): 100000,
        ("2026-05", Head.WATER_CHARGE): 15000,
    }
    assert after.payable_paise == 115000
    # The property's bill shows the same water section (the connection is linked to it).
    assert dues_of(counter.bill(Service.PROPERTY, counter.accounts.property_uuid), Service.WATER) == dues_of(
        after, Service.WATER
    )
    # The counter search shows what is still due on the connection.
    hits = counter.services.billing.account_search("W-01-000001")
    assert [(hit.account.number, hit.due_paise) for hit in hits] == [("W-01-000001", 115000)]

    # Stored as a payment for services only: no property (not the text "None"), lines with their account.
    with counter.services.db.read() as session:
        stored = session.get(RemotePayment, payload["uuid"])
        assert stored is not None and stored.property_uuid is None
        lines = session.execute(
            select(RemotePaymentLine.service, RemotePaymentLine.account, RemotePaymentLine.period)
            .where(RemotePaymentLine.payment_uuid == payload["uuid"])
            .order_by(RemotePaymentLine.ordinal)
        ).all()
    assert [tuple(line) for line in lines] == [("WATER", water, "2026-04"), ("WATER", water, "2026-05")]

    assert cancel(counter, payload["uuid"])
    assert dues_of(counter.bill(Service.WATER, water), Service.WATER) == before


def test_the_clerk_cannot_collect_a_water_charge_already_paid_at_another_counter(counter: CounterB) -> None:
    water = counter.accounts.water_uuid
    bill = counter.bill(Service.WATER, water)
    april = next(line for line in bill.sections[0].lines if line.period == "2026-04" and line.head == Head.WATER_CHARGE)
    payload = receipt_payload(None, [water_line(water, "2026-04", "WATER_CHARGE", 20000)])
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)

    # The clerk's screen still had the old bill: the line is gone when the receipt is made.
    request = bill_request(bill.primary, {april.key}, 20000, property_included=False)
    with pytest.raises(ValidationError, match="no longer due on this bill"):
        counter.services.collections.collect_bill(counter.clerk(), request)
    assert april.key not in {
        line.key for section in counter.bill(Service.WATER, water).sections for line in section.lines
    }


def test_a_combined_receipt_from_another_counter_pays_property_water_and_user_charge_here(counter: CounterB) -> None:
    acc = counter.accounts
    bill = counter.bill(Service.PROPERTY, acc.property_uuid)
    property_lines = [
        {"fy": line.fy, "head": line.head.value, "amount_paise": line.due_paise} for line in bill.sections[0].lines
    ]
    swm = {
        "fy": "2026-27",
        "head": "SWM_USER_CHARGE",
        "amount_paise": 3000,
        "service": "SWM",
        "account": acc.swm_uuid,
        "period": "2026-04",
    }
    payload = receipt_payload(
        acc.property_uuid,
        [*property_lines, water_line(acc.water_uuid, "2026-04", "WATER_CHARGE", 20000), swm],
    )
    # Property lines keep the three keys devices before issue 5 read; the others name their account.
    assert set(payload["lines"][0]) == {"fy", "head", "amount_paise"}
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)

    after = counter.bill(Service.PROPERTY, acc.property_uuid)
    assert after.sections[0].service == Service.PROPERTY and after.sections[0].payable_paise == 0
    assert ("2026-04", Head.WATER_CHARGE) not in dues_of(after, Service.WATER)
    assert dues_of(after, Service.SWM) == {("2026-05", Head.SWM_USER_CHARGE): 3000}
    with counter.services.db.read() as session:
        stored = session.get(RemotePayment, payload["uuid"])
        assert stored is not None and stored.property_uuid == acc.property_uuid

    assert cancel(counter, payload["uuid"])
    again = counter.bill(Service.PROPERTY, acc.property_uuid)
    assert [s.payable_paise for s in again.sections] == [s.payable_paise for s in bill.sections]


def test_a_cancellation_that_arrives_before_its_payment_leaves_the_dues_due(counter: CounterB) -> None:
    water = counter.accounts.water_uuid
    before = dues_of(counter.bill(Service.WATER, water), Service.WATER)
    payload = receipt_payload(None, [water_line(water, "2026-04", "WATER_CONNECTION_FEE", 100000)])
    assert cancel(counter, payload["uuid"])
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)
    assert dues_of(counter.bill(Service.WATER, water), Service.WATER) == before


def test_licence_fee_and_user_charge_paid_in_a_batch_from_another_counter_are_paid_here(counter: CounterB) -> None:
    acc = counter.accounts
    licence = receipt_payload(
        None,
        [
            {
                "fy": "2026-27",
                "head": "TRADE_LICENCE_FEE",
                "amount_paise": 100000,
                "service": "TRADE",
                "account": acc.licence_uuid,
                "period": "2026-27",
            }
        ],
    )
    user_charge = receipt_payload(
        None,
        [
            {
                "fy": "2026-27",
                "head": "SWM_USER_CHARGE",
                "amount_paise": 3000,
                "service": "SWM",
                "account": acc.swm_uuid,
                "period": "2026-04",
            }
        ],
        receipt_no="RPR/Z01/C02/2026-27/000008",
    )
    assert counter.pull(ChangeEntity.PAYMENT_BATCH, licence["uuid"], {"items": [licence, user_charge]})
    assert counter.bill(Service.TRADE, acc.licence_uuid).payable_paise == 0
    assert dues_of(counter.bill(Service.SWM, acc.swm_uuid), Service.SWM) == {("2026-05", Head.SWM_USER_CHARGE): 3000}


def test_the_licence_fee_paid_at_another_counter_is_what_remote_service_paid_reports(counter: CounterB) -> None:
    """What the licence register (fee paid → issue) can add to its own receipts' total."""
    acc = counter.accounts
    fee = {
        "fy": "2026-27",
        "head": "TRADE_LICENCE_FEE",
        "amount_paise": 100000,
        "service": "TRADE",
        "account": acc.licence_uuid,
        "period": "2026-27",
    }
    payload = receipt_payload(None, [fee])
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)
    with counter.services.db.read() as session:
        assert remote_service_paid(session, "TRADE", [acc.licence_uuid]) == {
            (acc.licence_uuid, "2026-27", "TRADE_LICENCE_FEE"): 100000
        }
        assert remote_service_paid(session, "WATER", [acc.licence_uuid]) == {}
    assert cancel(counter, payload["uuid"])
    with counter.services.db.read() as session:
        assert remote_service_paid(session, "TRADE", [acc.licence_uuid]) == {}


def test_an_online_payment_with_a_water_line_keeps_it_and_the_water_charge_is_paid_here(counter: CounterB) -> None:
    """Online payments are re-allocated against this device's property dues; a water line is not
    property tax and stays as the central allocated it."""
    acc = counter.accounts
    bill = counter.bill(Service.PROPERTY, acc.property_uuid)
    property_lines = [
        {"fy": line.fy, "head": line.head.value, "amount_paise": line.due_paise} for line in bill.sections[0].lines
    ]
    payload = receipt_payload(
        acc.property_uuid,
        [*property_lines, water_line(acc.water_uuid, "2026-05", "WATER_CHARGE", 20000)],
        receipt_no="DEMO/ONLINE/2026-27/000001",
        source="ONLINE",
    )
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)
    with counter.services.db.read() as session:
        stored = session.get(RemotePayment, payload["uuid"])
        assert stored is not None and stored.source == "ONLINE"
    after = counter.bill(Service.PROPERTY, acc.property_uuid)
    assert after.sections[0].payable_paise == 0
    assert ("2026-05", Head.WATER_CHARGE) not in dues_of(after, Service.WATER)
    assert ("2026-04", Head.WATER_CHARGE) in dues_of(after, Service.WATER)


def test_payments_pulled_before_the_upgrade_are_counted_after_it(tmp_path: Path) -> None:
    """A device that pulled service receipts before 0009 stored "None" as their property and their
    lines without service/account/period; the migration fills them in from the stored payload."""
    path = tmp_path / "old.sqlite3"
    database = Database(path=path, engine=make_engine(path))
    from alembic import command

    command.upgrade(alembic_config(database), "0008")
    water = new_uuid()
    payload = receipt_payload(None, [water_line(water, "2026-05", "WATER_CHARGE", 20000)])
    online = receipt_payload(new_uuid(), [{"fy": "2026-27", "head": "PROPERTY_TAX", "amount_paise": 5000}])
    with database.engine.begin() as connection:
        for item, property_uuid in ((payload, "None"), (online, online["property_uuid"])):
            connection.exec_driver_sql(
                "INSERT INTO remote_payment (uuid, receipt_no, property_uuid, business_date, amount_paise, mode,"
                " source, origin_device_id, collected_at, payload_json, received_at)"
                " VALUES (?, ?, ?, '2026-06-15', ?, 'CASH', 'COUNTER', '', NULL, ?, '2026-06-15 06:00:00.000000')",
                (item["uuid"], item["receipt_no"], property_uuid, item["amount_paise"], json.dumps(item)),
            )
            for ordinal, line in enumerate(item["lines"]):
                connection.exec_driver_sql(
                    "INSERT INTO remote_payment_line (payment_uuid, ordinal, fy, head, amount_paise)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (item["uuid"], ordinal, line["fy"], line["head"], line["amount_paise"]),
                )
    upgrade_to_head(database)
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT p.property_uuid, l.service, l.account, l.period, l.amount_paise FROM remote_payment p"
            " JOIN remote_payment_line l ON l.payment_uuid = p.uuid ORDER BY p.amount_paise"
        ).all()
    database.dispose()
    assert [tuple(row) for row in rows] == [
        (online["property_uuid"], "PROPERTY", "", "", 5000),
        (None, "WATER", water, "2026-05", 20000),
    ]


def test_a_licence_whose_fee_was_paid_at_another_counter_can_be_issued_here(counter: CounterB) -> None:
    """Counter B approved the application; the citizen paid the fee at counter A. Once A's receipt
    has come down, B issues the licence and its certificate names A's receipt."""
    from app.trade.dto import LicenceInput

    admin = counter.services.users.actor_for("admin1", counter.services.device.device_no)
    trade = counter.services.trade
    applied = trade.apply(
        admin, LicenceInput(trade_name="Sahu Kirana", owner_name_en="Ramesh Sahu", ward_no=3, trade_kind="GUMTI")
    )
    trade.start_document_check(admin, applied.uuid)
    trade.start_inspection(admin, applied.uuid)
    approved = trade.approve(admin, applied.uuid)
    with pytest.raises(ValidationError):
        trade.issue(admin, applied.uuid)  # not paid anywhere yet

    fee_line = {
        "fy": approved.licence_year,
        "head": Head.TRADE_LICENCE_FEE.value,
        "amount_paise": approved.fee_paise,
        "service": "TRADE",
        "account": applied.uuid,
        "period": approved.licence_year,
    }
    payload = receipt_payload(None, [fee_line], receipt_no="DEMO/Z01/C02/2026-27/000031")
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)

    issued = trade.issue(admin, applied.uuid)
    assert issued.status == "ISSUED" and issued.licence_no
    certificate = trade.certificate(applied.uuid)
    assert certificate.licence.fee_receipt_no == "DEMO/Z01/C02/2026-27/000031"
    assert certificate.licence.fee_paid_paise == approved.fee_paise


def test_the_water_register_shows_a_charge_paid_at_another_counter_as_paid(counter: CounterB) -> None:
    water_uuid = counter.accounts.water_uuid
    before = {(c.period, c.head): c for c in counter.services.water.charges(water_uuid)}
    (period, head), charge = next((key, c) for key, c in before.items() if c.amount_paise - c.paid_paise > 0)
    payload = receipt_payload(None, [water_line(water_uuid, period, head, charge.amount_paise - charge.paid_paise)])
    assert counter.pull(ChangeEntity.PAYMENT, payload["uuid"], payload)
    after = {(c.period, c.head): c for c in counter.services.water.charges(water_uuid)}
    assert after[(period, head)].paid_paise == charge.amount_paise
