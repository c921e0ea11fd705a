"""The device's handler of pulled records (sync/apply_records.py), on a real device database without a
central: typed fields, the device's ULB, versions, a pending local edit kept, service demands by
their natural key, and bad or orphaned records skipped and counted with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.clock import FixedClock
from app.core.ids import new_uuid
from app.db import Database
from app.demand.models import ServiceDemand
from app.outbox.service import Outbox
from app.replica.records import queue_record, record_fields, service_demand_uuid
from app.replica.service import get_meta
from app.swm.models import SwmPayer
from app.water.models import MeterReading, WaterConnection, WaterConnectionEvent
from sync.apply import META_LAST_SKIPPED, META_SKIPPED_CHANGES, ApplyDispatcher
from sync.protocol import Change
from tests.factories import set_up_device

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = set_up_device(tmp_path, FixedClock(NOW))
    yield database
    database.dispose()


def change(entity: str, uuid: str, fields: dict[str, Any], version: int = 1, seq: int = 1) -> Change:
    return Change(
        seq=seq,
        entity="record",
        entity_uuid=uuid,
        op="upsert",
        version=version,
        payload={"entity": entity, "uuid": uuid, "fields": fields},
    )


def connection_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ulb_code": "DEMO",
        "consumer_no": "W-01-000001",
        "property_uuid": None,
        "holder_name_en": "Ramesh Sahu",
        "holder_name_hi": "रमेश साहू",
        "mobile": "9876543210",
        "address_en": "",
        "address_hi": "",
        "ward_no": 1,
        "category": "BULK",
        "pipe_size_mm": 25,
        "metered": True,
        "meter_no": "M-1",
        "billing_cycle": "MONTHLY",
        "status": "ACTIVE",
        "connected_on": "2026-04-01",
        "disconnected_on": "",
    }
    fields.update(changes)
    return fields


def apply(db: Database, *changes: Change) -> list[bool]:
    dispatcher = ApplyDispatcher(FixedClock(NOW), "DEMO", lambda: "this-device")
    with db.write() as session:
        return [dispatcher.apply(session, c) for c in changes]


def skipped(db: Database) -> tuple[int, str]:
    with db.read() as session:
        return int(get_meta(session, META_SKIPPED_CHANGES) or "0"), get_meta(session, META_LAST_SKIPPED) or ""


def test_a_record_is_stored_typed_under_this_ulb_and_only_a_newer_version_replaces_it(db: Database) -> None:
    uuid = new_uuid()
    # Another ULB in the payload, a user id of another device: neither is taken.
    assert apply(db, change("water_connection", uuid, connection_fields(ulb_code="XYZ"), version=3)) == [True]
    event = new_uuid()
    at = "2026-11-20T05:30:00+00:00"
    event_fields = {"connection_uuid": uuid, "kind": "CONNECTED", "on_date": "2026-04-01", "fee_paise": 100_000}
    assert apply(db, change("water_connection_event", event, {**event_fields, "user_id": 1, "at": at})) == [True]
    with db.read() as session:
        row = session.get(WaterConnection, uuid)
        assert row is not None
        assert (row.ulb_code, row.metered, row.pipe_size_mm, row.server_version) == ("DEMO", True, 25, 3)
        stored_event = session.get(WaterConnectionEvent, event)
        assert stored_event is not None and stored_event.user_id is None
        assert stored_event.at == datetime(2026, 11, 20, 5, 30, tzinfo=UTC)

    apply(db, change("water_connection", uuid, connection_fields(mobile="1111111111"), version=2))  # older
    with db.read() as session:
        assert session.get(WaterConnection, uuid).mobile == "9876543210"  # type: ignore[union-attr]
    apply(db, change("water_connection", uuid, connection_fields(mobile="9000000001"), version=4))
    with db.read() as session:
        row = session.get(WaterConnection, uuid)
        assert row is not None and (row.mobile, row.server_version) == ("9000000001", 4)


def test_a_pulled_version_never_overwrites_an_edit_still_waiting_to_go_up(db: Database) -> None:
    uuid = new_uuid()
    apply(db, change("water_connection", uuid, connection_fields(), version=1))
    with db.write() as session:  # the clerk changes the meter number; the op is not pushed yet
        row = session.get(WaterConnection, uuid)
        assert row is not None
        before = record_fields(row)
        row.meter_no = "M-2"
        session.flush()
        queue_record(session, Outbox(FixedClock(NOW)), "water_connection", uuid, record_fields(row), 1, before)
    apply(db, change("water_connection", uuid, connection_fields(holder_name_en="R. Sahu"), version=2))
    with db.read() as session:
        row = session.get(WaterConnection, uuid)
        assert row is not None and (row.meter_no, row.holder_name_en, row.server_version) == ("M-2", "Ramesh Sahu", 1)


def test_a_service_demand_is_one_row_per_key_and_takes_the_central_amount(db: Database) -> None:
    account = new_uuid()
    uuid = service_demand_uuid("SWM", account, "2026-11", "SWM_USER_CHARGE")
    fields = {
        "service": "SWM",
        "account_uuid": account,
        "period": "2026-11",
        "fy": "2026-27",
        "head": "SWM_USER_CHARGE",
        "amount_paise": 3_000,
        "due_date": "2026-12-15",
        "ward_no": 4,
        "detail": "",
    }
    apply(db, change("service_demand", uuid, fields, seq=1), change("service_demand", uuid, fields, seq=2))
    apply(db, change("service_demand", uuid, {**fields, "amount_paise": 5_000}, seq=3))
    with db.read() as session:
        rows = session.execute(select(ServiceDemand.period, ServiceDemand.amount_paise, ServiceDemand.ward_no)).all()
    assert [tuple(r) for r in rows] == [("2026-11", 5_000, 4)]


def test_decimals_and_flags_of_an_swm_payer_come_through_exactly(db: Database) -> None:
    uuid = new_uuid()
    fields = {
        "ulb_code": "DEMO",
        "payer_id": "UC-04-000009",
        "property_uuid": None,
        "billed_with_property": False,
        "name_en": "Sahu Tiffin Centre",
        "name_hi": "साहू टिफिन सेंटर",
        "mobile": "",
        "address_en": "",
        "address_hi": "",
        "ward_no": 4,
        "category": "EATERY",
        "built_up_sqft": "312.75",
        "status": "ACTIVE",
        "start_month": "2026-04",
    }
    apply(db, change("swm_payer", uuid, fields))
    with db.read() as session:
        row = session.get(SwmPayer, uuid)
        assert row is not None
        assert (row.built_up_sqft, row.billed_with_property, row.name_hi) == (
            Decimal("312.75"),
            False,
            "साहू टिफिन सेंटर",
        )


@pytest.mark.parametrize(
    ("entity", "fields", "reason"),
    [
        ("water_connection", connection_fields(ward_no="one"), "ward_no: a whole number is required"),
        ("water_connection", connection_fields(metered="yes"), "metered: true or false is required"),
        ("water_connection", connection_fields(consumer_no="W" * 31), "consumer_no: longer than 30 characters"),
        ("water_connection", {"consumer_no": "W-1"}, "missing"),
        ("water_connection", connection_fields(property_uuid="no-such-property"), "its property no-such-property"),
        (
            "meter_reading",
            {
                "connection_uuid": "no-such-connection",
                "reading_date": "2026-11-30",
                "reading_litres": 5,
                "consumption_litres": 5,
            },
            "its water_connection no-such-connection is not on this device yet",
        ),
        ("sewer_connection", {}, "unknown record entity 'sewer_connection'"),
    ],
)
def test_a_record_that_cannot_be_stored_is_skipped_counted_and_explained(
    db: Database, entity: str, fields: dict[str, Any], reason: str
) -> None:
    good = new_uuid()
    results = apply(
        db,
        change(entity, "bad-1", fields, seq=7),
        change("water_connection", good, connection_fields(consumer_no="W-01-000999"), seq=8),
    )
    assert results == [False, True]  # the page goes on
    count, last = skipped(db)
    assert count == 1 and reason in last and "seq 7" in last
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(WaterConnection)) == 1
        assert session.scalar(select(func.count()).select_from(MeterReading)) == 0


def test_a_device_s_own_record_coming_back_confirmed_does_not_invalidate_an_open_editor(db: Database) -> None:
    uuid = new_uuid()
    apply(db, change("water_connection", uuid, connection_fields(), version=1))
    with db.write() as session:
        row = session.get(WaterConnection, uuid)
        assert row is not None
        row.server_version = 0  # as if made here and not yet confirmed
    apply(db, change("water_connection", uuid, connection_fields(), version=1, seq=2))
    with db.read() as session:
        row = session.get(WaterConnection, uuid)
        assert row is not None and (row.version, row.server_version) == (1, 1)
    apply(db, change("water_connection", uuid, connection_fields(mobile="9000000001"), version=2, seq=3))
    with db.read() as session:
        row = session.get(WaterConnection, uuid)
        assert row is not None and (row.version, row.server_version, row.mobile) == (2, 2, "9000000001")
