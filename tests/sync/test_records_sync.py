"""Issue 5's synced records between real devices and a real central (uvicorn + PostgreSQL): what one
counter creates — a water connection with its reading, event and demand, an SWM payer, a trade
licence with its event — reaches the other counters of the ULB field by field; concurrent edits of
different fields merge; a demand raised on two counters is one row everywhere; another ULB sees none
of it; a parent that never arrived is a counted skip, not a broken page.

The rows are made the way the services make them (tests.factories + app.replica.records.queue_record
in the same transaction), so these tests do not depend on the services' screens."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.core.ids import new_uuid
from app.db.base import Base
from app.demand.models import ServiceDemand
from app.outbox.service import Outbox
from app.property.models import Property
from app.replica.records import queue_record, record_fields, service_demand_uuid
from app.replica.service import get_meta
from app.security.models import AppUser
from app.swm.models import SwmPayer
from app.trade.models import TradeLicence, TradeLicenceEvent
from app.water.dto import ConnectionInput
from app.water.models import MeterReading, WaterConnection, WaterConnectionEvent
from sync.apply import META_LAST_SKIPPED
from sync.client import CentralClient
from sync.protocol import Change
from tests.central.server import CentralServer, add_admin_token, enrol_device, seed_ulb
from tests.factories import make_licence, make_swm_payer, make_water_connection, raise_service_demand
from tests.sync.conftest import Device, central_query, enrol, new_device
from tests.sync.test_sync_cycle import _copy_property

USER_COLUMNS = ("recorded_by_user_id", "user_id")


# --- what the services do: a row and its record op in one transaction ---------------------------------


def queue(device: Device, entity: str, model: type[Base], uuid: str) -> None:
    with device.services.db.write() as session:
        row = session.get(model, uuid)
        assert row is not None
        queue_record(session, Outbox(device.services.clock), entity, uuid, record_fields(row))


def queue_demand(device: Device, service: str, account: str, period: str, head: str) -> str:
    uuid = service_demand_uuid(service, account, period, head)
    with device.services.db.write() as session:
        row = session.scalars(
            select(ServiceDemand).where(
                ServiceDemand.service == service,
                ServiceDemand.account_uuid == account,
                ServiceDemand.period == period,
                ServiceDemand.head == head,
            )
        ).one()
        queue_record(session, Outbox(device.services.clock), "service_demand", uuid, record_fields(row))
    return uuid


def edit(device: Device, entity: str, model: type[Base], uuid: str, **changes: Any) -> None:
    """An edit as a service makes it: base_version = the central's version it started from, and the
    fields as they were before."""
    with device.services.db.write() as session:
        row: Any = session.get(model, uuid)
        before = record_fields(row)
        for name, value in changes.items():
            setattr(row, name, value)
        row.version += 1
        session.flush()
        queue_record(
            session,
            Outbox(device.services.clock),
            entity,
            uuid,
            record_fields(row),
            base_version=row.server_version,
            base_values=before,
        )


def user_id(device: Device, username: str) -> int:
    with device.services.db.read() as session:
        return int(session.scalars(select(AppUser.id).where(AppUser.username == username)).one())


def synced(device: Device, model: type[Base], uuid: str) -> dict[str, Any] | None:
    """The synced fields of a row here, without the user ids (they mean other people elsewhere)."""
    with device.services.db.read() as session:
        row = session.get(model, uuid)
        if row is None:
            return None
        return {k: v for k, v in record_fields(row).items() if k not in USER_COLUMNS}


def server_version(device: Device, model: type[Base], uuid: str) -> int:
    with device.services.db.read() as session:
        row: Any = session.get(model, uuid)
        return int(row.server_version)


def demand_rows(device: Device, account: str) -> list[tuple[str, int]]:
    with device.services.db.read() as session:
        rows = session.execute(
            select(ServiceDemand.period, ServiceDemand.amount_paise)
            .where(ServiceDemand.account_uuid == account)
            .order_by(ServiceDemand.period, ServiceDemand.head)
        )
        return [(period, amount) for period, amount in rows]


def two_counters(tmp_path: Path, server: CentralServer, devices: list[Device]) -> tuple[Device, Device, str]:
    """Counters A and B of DEMO, both knowing one property (as the demo seed gives every counter)."""
    a = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(a)
    enrol(a, server)
    b = new_device(tmp_path, "b")
    devices.append(b)
    enrol(b, server)
    prop = a.properties[0]
    _copy_property(a, b, prop)
    return a, b, prop


# --- tests ---------------------------------------------------------------------------------------------


def test_what_one_counter_creates_reaches_the_other_counter_field_by_field(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a, b, prop = two_counters(tmp_path, central_server, devices)
    db = a.services.db
    clerk = user_id(a, "clerk1")
    now = a.services.clock.now_utc()

    connection = make_water_connection(
        db, "W-01-000777", property_uuid=prop, category="BULK", metered=True, meter_no="M-9"
    )
    reading, event = new_uuid(), new_uuid()
    with db.write() as session:
        session.add(
            MeterReading(
                uuid=reading,
                connection_uuid=connection,
                reading_date="2026-11-30",
                reading_litres=52_400,
                consumption_litres=12_400,
                note="मीटर ठीक है",
                recorded_by_user_id=clerk,
                created_at=now,
            )
        )
        session.add(
            WaterConnectionEvent(
                uuid=event,
                connection_uuid=connection,
                kind="CONNECTED",
                on_date="2026-04-01",
                fee_paise=100_000,
                at=now,
            )
        )
    raise_service_demand(db, "WATER", connection, "2026-11", "WATER_CHARGE", 50_000, detail="12,400 L @ ₹15/kL")
    payer = make_swm_payer(db, "UC-01-000042", property_uuid=prop, built_up_sqft="1250.5")
    licence = make_licence(db, "TLA/2026-27/00042", property_uuid=prop, area_sqft="212.75", road_width_m="7.5")
    step = new_uuid()
    with db.write() as session:
        session.add(
            TradeLicenceEvent(
                uuid=step,
                licence_uuid=licence,
                from_status="INSPECTION",
                to_status="APPROVED",
                action="approve",
                remarks="निरीक्षण ठीक",
                user_id=clerk,
                at=now,
            )
        )
    queue(a, "water_connection", WaterConnection, connection)
    queue(a, "meter_reading", MeterReading, reading)
    queue(a, "water_connection_event", WaterConnectionEvent, event)
    demand = queue_demand(a, "WATER", connection, "2026-11", "WATER_CHARGE")
    queue(a, "swm_payer", SwmPayer, payer)
    queue(a, "trade_licence", TradeLicence, licence)
    queue(a, "trade_licence_event", TradeLicenceEvent, step)

    report_a = a.sync.run_cycle()
    assert report_a.acknowledged == 7 and report_a.quarantined == 0
    held = central_query(central_server, "SELECT entity, version FROM synced_record ORDER BY entity")
    assert sorted(r.entity for r in held) == sorted(
        [
            "meter_reading",
            "service_demand",
            "swm_payer",
            "trade_licence",
            "trade_licence_event",
            "water_connection",
            "water_connection_event",
        ]
    )
    assert {r.version for r in held} == {1}

    b.sync.run_cycle()
    assert b.sync.status().skipped_changes == 0
    for model, uuid in (
        (WaterConnection, connection),
        (MeterReading, reading),
        (WaterConnectionEvent, event),
        (SwmPayer, payer),
        (TradeLicence, licence),
        (TradeLicenceEvent, step),
    ):
        assert synced(b, model, uuid) == synced(a, model, uuid), model.__tablename__
    assert demand_rows(b, connection) == demand_rows(a, connection) == [("2026-11", 50_000)]
    with b.services.db.read() as session:
        row = session.get(MeterReading, reading)
        assert row is not None and row.recorded_by_user_id is None  # A's clerk is not B's user
        assert session.scalar(select(ServiceDemand.detail)) == "12,400 L @ ₹15/kL"
    # B holds the central's version; A learns it from the feed too.
    assert server_version(b, WaterConnection, connection) == 1
    a.sync.run_cycle()
    assert server_version(a, WaterConnection, connection) == 1
    assert server_version(a, TradeLicence, licence) == 1 and server_version(a, SwmPayer, payer) == 1
    assert demand == service_demand_uuid("WATER", connection, "2026-11", "WATER_CHARGE")


def test_edits_of_different_fields_on_two_counters_merge_everywhere(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a, b, prop = two_counters(tmp_path, central_server, devices)
    connection = make_water_connection(a.services.db, "W-01-000100", property_uuid=prop)
    queue(a, "water_connection", WaterConnection, connection)
    a.sync.run_cycle()
    b.sync.run_cycle()
    assert server_version(a, WaterConnection, connection) == server_version(b, WaterConnection, connection) == 1

    # Offline at the same time: A corrects the mobile number, B the holder's Hindi name.
    edit(a, "water_connection", WaterConnection, connection, mobile="9000000001")
    edit(b, "water_connection", WaterConnection, connection, holder_name_hi="रमेश कुमार साहू")
    a.sync.run_cycle()
    report = b.sync.run_cycle()
    assert report.conflicts == 0
    a.sync.run_cycle()

    for device in (a, b):
        fields = synced(device, WaterConnection, connection)
        assert fields is not None
        assert fields["mobile"] == "9000000001" and fields["holder_name_hi"] == "रमेश कुमार साहू"
        assert server_version(device, WaterConnection, connection) == 3
    (central,) = central_query(
        central_server, "SELECT version, fields FROM synced_record WHERE uuid = :u", u=connection
    )
    assert central.version == 3 and central.fields["mobile"] == "9000000001"
    assert central.fields["holder_name_hi"] == "रमेश कुमार साहू"


def test_the_same_month_raised_on_both_counters_is_one_demand_everywhere(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a, b, prop = two_counters(tmp_path, central_server, devices)
    connection = make_water_connection(a.services.db, "W-01-000200", property_uuid=prop)
    queue(a, "water_connection", WaterConnection, connection)
    a.sync.run_cycle()
    b.sync.run_cycle()

    # Both counters run the month's demand generation before either syncs.
    for device in (a, b):
        raise_service_demand(device.services.db, "WATER", connection, "2026-11", "WATER_CHARGE", 20_000)
        queue_demand(device, "WATER", connection, "2026-11", "WATER_CHARGE")
    a.sync.run_cycle()
    report = b.sync.run_cycle()
    a.sync.run_cycle()
    assert report.quarantined == 0 and report.duplicates == 1

    rows = central_query(central_server, "SELECT version FROM synced_record WHERE entity = 'service_demand'")
    assert len(rows) == 1
    assert demand_rows(a, connection) == demand_rows(b, connection) == [("2026-11", 20_000)]

    # B prices December differently (say, its tariff file was older): the first price stays
    # everywhere, and a person is told.
    raise_service_demand(a.services.db, "WATER", connection, "2026-12", "WATER_CHARGE", 20_000)
    queue_demand(a, "WATER", connection, "2026-12", "WATER_CHARGE")
    a.sync.run_cycle()
    raise_service_demand(b.services.db, "WATER", connection, "2026-12", "WATER_CHARGE", 25_000)
    queue_demand(b, "WATER", connection, "2026-12", "WATER_CHARGE")
    b.sync.run_cycle()
    assert demand_rows(b, connection) == [("2026-11", 20_000), ("2026-12", 20_000)]
    anomalies = central_query(central_server, "SELECT kind, detail FROM anomaly WHERE kind = 'record_mismatch'")
    assert len(anomalies) == 1
    assert anomalies[0].detail["fields"] == {"amount_paise": {"kept": 20_000, "sent": 25_000}}


def test_a_record_whose_parent_never_arrived_is_skipped_and_counted_not_a_broken_page(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(a)
    enrol(a, central_server)
    c = new_device(tmp_path, "c")  # a counter that does not know A's property (never synced it)
    devices.append(c)
    enrol(c, central_server)
    prop = a.properties[0]
    on_property = make_water_connection(a.services.db, "W-01-000300", property_uuid=prop)
    standalone = make_water_connection(a.services.db, "W-01-000301")
    payer = make_swm_payer(a.services.db, "UC-01-000300", property_uuid=None, billed_with_property=False)
    for uuid in (on_property, standalone):
        queue(a, "water_connection", WaterConnection, uuid)
    queue(a, "swm_payer", SwmPayer, payer)
    a.sync.run_cycle()

    c.sync.run_cycle()
    assert synced(c, WaterConnection, on_property) is None
    assert synced(c, WaterConnection, standalone) == synced(a, WaterConnection, standalone)
    assert synced(c, SwmPayer, payer) == synced(a, SwmPayer, payer)
    status = c.sync.status()
    assert status.skipped_changes == 1
    with c.services.db.read() as session:
        reason = get_meta(session, META_LAST_SKIPPED) or ""
    assert f"property {prop} is not on this device yet" in reason


def test_the_same_field_changed_on_two_counters_waits_for_a_supervisor_and_the_choice_reaches_both(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a, b, prop = two_counters(tmp_path, central_server, devices)
    licence = make_licence(a.services.db, "TLA/2026-27/00077", property_uuid=prop, area_sqft="200")
    queue(a, "trade_licence", TradeLicence, licence)
    a.sync.run_cycle()
    b.sync.run_cycle()

    edit(a, "trade_licence", TradeLicence, licence, area_sqft=Decimal("240"))
    edit(b, "trade_licence", TradeLicence, licence, area_sqft=Decimal("260"))
    a.sync.run_cycle()
    report = b.sync.run_cycle()
    assert report.conflicts == 1
    # The central kept A's value; B's supervisor sees the field with both values.
    (held,) = central_query(central_server, "SELECT fields FROM synced_record WHERE uuid = :u", u=licence)
    assert held.fields["area_sqft"] == "240"
    (conflict,) = b.sync.conflicts()
    assert conflict.entity_uuid == licence
    # Named as the supervisor knows it: a licence, by its number (not "property <uuid>").
    assert (conflict.entity, conflict.label) == ("trade_licence", "TLA/2026-27/00077")
    (field,) = conflict.fields
    assert (field.name, field.base, field.mine, field.theirs) == ("area_sqft", "200", "260", "240")

    b.sync.resolve_conflict(b.actor("supervisor1"), conflict.uuid, {"area_sqft": "mine"})
    b.sync.run_cycle()
    a.sync.run_cycle()
    for device in (a, b):
        fields = synced(device, TradeLicence, licence)
        assert fields is not None and fields["area_sqft"] == "260"
    assert central_query(central_server, "SELECT resolved_at FROM sync_conflict")[0].resolved_at is not None
    assert b.sync.conflicts() == []


def test_a_device_of_another_ulb_never_sees_the_records(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a = new_device(tmp_path, "a")
    devices.append(a)
    enrol(a, central_server)
    connection = make_water_connection(a.services.db, "W-01-000500")
    queue(a, "water_connection", WaterConnection, connection)
    raise_service_demand(a.services.db, "WATER", connection, "2026-11", "WATER_CHARGE", 20_000)
    queue_demand(a, "WATER", connection, "2026-11", "WATER_CHARGE")
    a.sync.run_cycle()
    assert len(central_query(central_server, "SELECT uuid FROM synced_record")) == 2

    seed_ulb(central_server.database_url, "XYZ")
    other = enrol_device(central_server.base_url, add_admin_token(central_server.database_url, "XYZ"))
    neighbour = enrol_device(central_server.base_url, central_server.admin_token)  # DEMO, for contrast
    assert (other.ulb_code, neighbour.ulb_code) == ("XYZ", "DEMO")
    client = CentralClient(central_server.base_url)
    try:
        theirs, ours = everything(client, other.access_token), everything(client, neighbour.access_token)
    finally:
        client.close()
    assert [c for c in theirs if c.entity == "record"] == []
    assert connection not in {c.entity_uuid for c in theirs}
    assert {c.entity_uuid for c in ours if c.entity == "record"} >= {connection}


def everything(client: CentralClient, token: str) -> list[Change]:
    """What a device can read: the feed from the start, and the whole snapshot."""
    seen = list(client.pull(token, 0).changes)
    page: str | None = None
    while True:
        snap = client.snapshot(token, page)
        seen.extend(snap.changes)
        page = snap.next_page
        if page is None:
            return seen


def test_the_water_service_s_work_on_one_counter_reaches_the_other_through_the_central(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    """The same, made by the real water service: a metered bulk connection on a property (its
    connection fee, event and first reading), a reading, and October's demand run."""
    a, b, prop = two_counters(tmp_path, central_server, devices)
    water = a.services.water
    actor = a.actor("supervisor1")
    with a.services.db.read() as session:
        property_id = session.execute(select(Property.property_id).where(Property.uuid == prop)).scalar_one()
    created = water.create(
        actor,
        ConnectionInput(
            holder_name_en="Bhilai Steel Canteen",
            holder_name_hi="भिलाई स्टील कैंटीन",
            ward_no=1,
            category="BULK",
            connected_on=date(2026, 9, 1),
            property_id=property_id,
            pipe_size_mm=50,
            metered=True,
            meter_no="BM-0042",
            initial_reading_litres=100_000,
        ),
    )
    water.record_reading(actor, created.uuid, date(2026, 10, 31), 140_000)
    result = water.generate_demand(actor, "2026-10")
    assert result.raised == 1

    report = a.sync.run_cycle()
    assert report.quarantined == 0
    b.sync.run_cycle()
    assert b.sync.status().skipped_changes == 0

    seen = b.services.water.get(created.uuid)
    assert seen.consumer_no == created.consumer_no and seen.property_uuid == prop
    assert (seen.category, seen.metered, seen.meter_no, seen.holder_name_hi) == (
        "BULK",
        True,
        "BM-0042",
        "भिलाई स्टील कैंटीन",
    )
    assert [
        (r.reading_date, r.reading_litres, r.consumption_litres) for r in b.services.water.readings(created.uuid)
    ] == [(r.reading_date, r.reading_litres, r.consumption_litres) for r in water.readings(created.uuid)]
    assert demand_rows(b, created.uuid) == demand_rows(a, created.uuid)
    periods = dict(demand_rows(b, created.uuid))
    assert periods["2026-10"] == 60_000  # 40,000 L at ₹15 per 1,000 L
    assert any(amount > 0 for period, amount in demand_rows(b, created.uuid) if period != "2026-10")  # the fee


def test_steps_taken_offline_before_the_first_sync_reach_the_central_without_a_conflict(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    """A licence applied for and moved through document check and inspection, and a payer registered
    and edited, all before this counter ever synced: each step follows its own earlier one, so the
    central keeps the last state and nobody is asked to settle a clash that never happened."""
    from app.swm.dto import PayerInput
    from app.trade.dto import LicenceInput

    a, b, _prop = two_counters(tmp_path, central_server, devices)
    supervisor = a.actor("supervisor1")
    trade = a.services.trade
    licence = trade.apply(
        supervisor, LicenceInput(trade_name="Sahu Kirana", owner_name_en="Ramesh Sahu", ward_no=3, trade_kind="GUMTI")
    )
    trade.start_document_check(supervisor, licence.uuid)
    trade.start_inspection(supervisor, licence.uuid, "shop seen")
    payer = a.services.swm.register(
        supervisor, PayerInput(name_en="Meena Dhaba", ward_no=3, category="EATERY", start_month="2026-04")
    )
    a.services.swm.update(
        supervisor,
        payer.uuid,
        PayerInput(name_en="Meena Dhaba", ward_no=3, category="HOTEL_RESTAURANT", start_month="2026-04"),
        expected_version=payer.version,
    )

    report = a.sync.run_cycle()
    assert report.quarantined == 0
    assert a.sync.status().conflicts_open == 0
    assert central_query(central_server, "SELECT count(*) FROM sync_conflict") == [(0,)]
    b.sync.run_cycle()
    assert b.services.trade.get(licence.uuid).status == "INSPECTION"
    assert b.services.swm.get(payer.uuid).category == "HOTEL_RESTAURANT"
