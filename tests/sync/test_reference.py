"""Reference data and online payments coming down to a device: real central (uvicorn + PostgreSQL),
real device data folder, the real sync engine in between."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, text

from app.audit.models import AuditEntry
from app.core.clock import SystemClock, business_date
from app.demand.dto import Head
from app.demand.dues import allocate
from app.masters.tariffs import downloaded_tariffs_dir
from app.paths import RESOURCES_DIR
from app.replica.models import RemotePayment, RemotePaymentLine
from app.replica.service import central_setting
from app.security.passwords import fast_hasher, hash_password
from app.security.service import AuthenticationError
from central.db.engine import engine_for_url, make_sessionmaker
from central.reference import add_user, publish_tariff, set_setting, update_user
from sync.apply_reference import ReferenceApplier
from sync.protocol import Change
from tests.central import test_payments as payments_kit
from tests.central.server import CentralServer
from tests.sync.conftest import Device, enrol, new_device

TARIFF_2026 = RESOURCES_DIR / "tariffs" / "DEMO" / "property-tax-2026-27.toml"
BROKEN_TARIFF = 'ulb = "DEMO"\nfy = "2027-28"\neffective_from = "2027-04-01"\n'  # no rates at all

# The payment tests' central (sandbox gateway on), shared: one process per session.
_shared_pay_server = payments_kit._shared_pay_server
pay_server = payments_kit.pay_server
sandbox_pay = payments_kit.sandbox_pay
current_fy = payments_kit.current_fy


def audit_actions(device: Device, action: str) -> list[tuple[str, str]]:
    with device.services.db.read() as session:
        rows = session.execute(
            select(AuditEntry.entity_id, AuditEntry.after_json).where(AuditEntry.action == action)
        ).all()
    return [(entity_id, after) for entity_id, after in rows]


def test_tariffs_users_and_settings_reach_the_device_and_a_broken_tariff_does_not_stop_sync(
    pay_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    enrol(device, pay_server)
    revised = TARIFF_2026.read_text(encoding="utf-8").replace(
        'maintenance_deduction_pct = "10"', 'maintenance_deduction_pct = "12"'
    )
    assert revised != TARIFF_2026.read_text(encoding="utf-8")
    engine = engine_for_url(pay_server.database_url, pool_size=1)
    with make_sessionmaker(engine).begin() as session:
        # The broken one first: the good ones after it must still arrive.
        publish_tariff(session, "DEMO", "property-tax-2027-28.toml", BROKEN_TARIFF, validate=False)
        first = publish_tariff(session, "DEMO", "property-tax-2026-27.toml", revised)
        add_user(
            session,
            "DEMO",
            "meena.clerk",
            "Meena Verma",
            "clerk",
            "",
            password_hash=hash_password("Counter#2026", fast_hasher()),
        )
        set_setting(session, "DEMO", "payments.upi_vpa", "demo.nikay@sbi")
    with make_sessionmaker(engine).begin() as session:
        again = publish_tariff(session, "DEMO", "property-tax-2026-27.toml", revised)
    assert (first.version, first.changed) == (1, True)
    assert (again.version, again.changed) == (1, False)  # same text: no new version, no new change

    report = device.sync.run_cycle()
    assert report.pulled >= 4

    stored = downloaded_tariffs_dir(device.data_dir) / "DEMO"
    assert sorted(p.name for p in stored.iterdir()) == ["property-tax-2026-27.toml"]
    assert (stored / "property-tax-2026-27.toml").read_text(encoding="utf-8") == revised
    refused = audit_actions(device, "sync.refused")
    assert [entity_id for entity_id, _ in refused] == ["property-tax-2027-28.toml"]
    assert "alv_rates" in json.loads(refused[0][1])["problem"]  # says what is wrong

    # The next start of the app uses the downloaded tariff in place of the bundled one.
    assert device.services.tariffs.property_tax("DEMO", "2026-27").maintenance_deduction_pct == Decimal("10")
    device.reopen()
    assert device.services.tariffs.property_tax("DEMO", "2026-27").maintenance_deduction_pct == Decimal("12")

    # The user added at the central logs in here, offline from now on.
    login = device.services.users.authenticate("meena.clerk", "Counter#2026", device.services.device.device_no)
    assert (login.actor.username, login.actor.role.value) == ("meena.clerk", "clerk")
    with device.services.db.read() as session:
        assert central_setting(session, "payments.upi_vpa") == "demo.nikay@sbi"

    # Disabled at the central: refused here after the next sync.
    with make_sessionmaker(engine).begin() as session:
        update_user(session, "DEMO", "meena.clerk", active=False)
    engine.dispose()
    device.sync.run_cycle()
    with pytest.raises(AuthenticationError, match="disabled"):
        device.services.users.authenticate("meena.clerk", "Counter#2026", device.services.device.device_no)


def test_the_last_local_admin_is_never_downgraded_and_bad_users_are_refused(tmp_path: Path) -> None:
    device = new_device(tmp_path, "solo")
    try:
        applier = ReferenceApplier(clock=SystemClock(), data_dir=device.data_dir)
        with device.services.db.write() as session:
            admin_hash = session.scalar(text("SELECT password_hash FROM app_user WHERE username = 'admin1'"))

        def change(username: str, role: str, active: bool = True, seq: int = 1) -> Change:
            payload = {"username": username, "full_name": username, "role": role, "active": active}
            return Change(
                seq=seq,
                entity="user",
                entity_uuid=username,
                op="upsert",
                version=seq,
                payload={**payload, "password_hash": admin_hash},
            )

        with device.services.db.write() as session:
            applier.apply_user(session, change("admin1", "clerk"))
            applier.apply_user(session, change("admin1", "admin", active=False, seq=2))
            applier.apply_user(session, change("ghost", "wizard", seq=3))
        with device.services.db.read() as session:
            row = session.execute(text("SELECT role, active FROM app_user WHERE username = 'admin1'")).one()
            ghost = session.execute(text("SELECT count(*) FROM app_user WHERE username = 'ghost'")).scalar()
        assert (row.role, bool(row.active)) == ("admin", True)
        assert ghost == 0
        assert len(applier.problems) == 3
        assert "last active administrator" in applier.problems[0]
        assert "unknown role" in applier.problems[2]
    finally:
        device.close()


def test_online_payment_of_dues_collected_at_the_counter_becomes_advance_and_is_flagged(
    pay_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "c", ("W01-000001", "W01-000002"))
    devices.append(device)
    enrol(device, pay_server)
    paid_twice, paid_once = device.properties
    today = business_date(datetime.now(UTC))

    def open_bill(property_uuid: str) -> tuple[str, int]:
        # The portal bills what the counter would take: the same dues, allocation and round-off.
        dues = device.services.dues.dues(property_uuid, today)
        allocation = allocate(dues, dues.payable_paise)
        lines = [{"fy": x.fy, "head": x.head.value, "amount_paise": x.amount_paise} for x in allocation.lines]
        amount = dues.payable_paise
        reply = requests.post(
            f"{pay_server.base_url}/v1/payments/orders",
            json={"ulb_code": "DEMO", "property_uuid": property_uuid, "lines": lines, "amount_paise": amount},
            timeout=10,
        )
        assert reply.status_code == 201, reply.text
        return str(reply.json()["order_id"]), amount

    # The citizen opens an online bill; meanwhile the clerk takes the same dues in cash.
    order_twice, amount_twice = open_bill(paid_twice)
    order_once, amount_once = open_bill(paid_once)
    payable = device.services.dues.dues(paid_twice, today).payable_paise
    device.collect(paid_twice, payable)
    device.sync.run_cycle()  # the counter receipt reaches the central first

    twice = sandbox_pay(pay_server.base_url, order_twice)["callback"]
    once = sandbox_pay(pay_server.base_url, order_once)["callback"]
    assert twice["flags"] == ["double_payment"]  # the central flags the second payment
    assert once["flags"] == []

    device.sync.run_cycle()

    with device.services.db.read() as session:
        stored = {
            row.uuid: (
                json.loads(row.payload_json)["local_flags"],
                [
                    (x.head, x.amount_paise)
                    for x in session.scalars(
                        select(RemotePaymentLine)
                        .where(RemotePaymentLine.payment_uuid == row.uuid)
                        .order_by(RemotePaymentLine.ordinal)
                    )
                ],
            )
            for row in session.scalars(select(RemotePayment).where(RemotePayment.source == "ONLINE"))
        }
    assert set(stored) == {twice["receipt_uuid"], once["receipt_uuid"]}
    # Here the dues were already paid at this counter: all of it is advance credit, flagged.
    flags, lines = stored[twice["receipt_uuid"]]
    assert lines == [(Head.ADVANCE.value, amount_twice)]
    assert flags == ["double_payment"]
    flagged = audit_actions(device, "sync.double_payment")
    assert [entity_id for entity_id, _ in flagged] == [twice["receipt_uuid"]]
    dues = device.services.dues.dues(paid_twice, today)
    assert dues.payable_paise == 0 and dues.advance_paise == amount_twice
    # The other bill paid its dues here: nothing left to collect, nothing flagged.
    flags, lines = stored[once["receipt_uuid"]]
    assert Head.ADVANCE.value not in [head for head, _ in lines]
    assert flags == []
    dues_once = device.services.dues.dues(paid_once, today)
    assert dues_once.payable_paise == 0 and dues_once.advance_paise == 0
    assert sum(amount for _, amount in lines) == amount_once


def test_an_online_payment_for_a_property_not_here_yet_is_kept_as_the_central_allocated_it(tmp_path: Path) -> None:
    device = new_device(tmp_path, "fresh")
    try:
        applier = ReferenceApplier(clock=SystemClock(), data_dir=device.data_dir)
        payload = {
            "uuid": "01a00000-0000-7000-8000-000000000001",
            "receipt_no": "DEMO/ONLINE/2026-27/000009",
            "property_uuid": "01a00000-0000-7000-8000-0000000000ff",
            "business_date": "2026-11-28",
            "amount_paise": 80_000,
            "mode": "ONLINE",
            "source": "ONLINE",
            "lines": [{"fy": "2026-27", "head": "PROPERTY_TAX", "amount_paise": 80_000}],
        }
        change = Change(seq=7, entity="payment", entity_uuid=payload["uuid"], op="upsert", version=1, payload=payload)
        with device.services.db.write() as session:
            assert applier.apply_online_payment(session, change) is True
            assert applier.apply_online_payment(session, change) is False  # seen before: nothing new
        with device.services.db.read() as session:
            lines = session.execute(
                select(RemotePaymentLine.head, RemotePaymentLine.amount_paise).where(
                    RemotePaymentLine.payment_uuid == payload["uuid"]
                )
            ).all()
            stored = session.get(RemotePayment, payload["uuid"])
            assert stored is not None and json.loads(stored.payload_json)["local_flags"] == []
        assert [tuple(x) for x in lines] == [("PROPERTY_TAX", 80_000)]
    finally:
        device.close()
