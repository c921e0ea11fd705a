"""The trade-licence workflow: applications, each step with its event, audit entry and sync records,
rejection with a reason, illegal transitions, permission refusals, issue only once the fee is paid,
deemed grant after 15 days, expiry at the end of the licence year, the renewal due list and renewals."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.errors import PermissionDenied, ValidationError
from app.outbox.models import OutboxOperation
from app.replica.records import RECORD_OP_KIND, service_demand_uuid
from app.trade.models import TradeLicence, TradeLicenceEvent
from app.trade.service import TradeLicenceService
from tests.factories import add_property
from tests.unit.test_trade_payment import TradeOffice, approved, pay_fee, shop, trade_office  # noqa: F401


def _count(office: TradeOffice, model: type) -> int:
    with office.services.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _records(office: TradeOffice) -> list[dict[str, object]]:
    with office.services.db.read() as session:
        payloads = session.scalars(
            select(OutboxOperation.payload_json)
            .where(OutboxOperation.kind == RECORD_OP_KIND)
            .order_by(OutboxOperation.device_seq)
        ).all()
    return [json.loads(p) for p in payloads]


def issued(office: TradeOffice, **changes: object) -> str:
    view = approved(office, shop(**changes) if changes else None)
    pay_fee(office, view)
    return office.services.trade.issue(office.commissioner, view.uuid).uuid


# --- the whole way ----------------------------------------------------------------------------


def test_application_to_issued_licence(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    first = trade.apply(office.supervisor, shop())
    second = trade.apply(office.supervisor, shop(trade_name="Verma Kirana"))
    assert (first.application_no, second.application_no) == ("TLA/2026-27/C01-00001", "TLA/2026-27/C01-00002")
    assert (first.status, first.licence_year, first.applied_on) == ("APPLIED", "2026-27", date(2026, 6, 15))
    assert first.fee_paise == 0 and first.licence_no == ""

    office.advance(2)
    assert (
        trade.start_document_check(office.supervisor, first.uuid, "Aadhaar, rent deed seen").status == "DOCUMENT_CHECK"
    )
    office.advance(3)
    assert trade.start_inspection(office.supervisor, first.uuid).status == "INSPECTION"
    office.advance(1)
    view = trade.approve(office.commissioner, first.uuid, "site as declared")
    assert view.status == "APPROVED" and view.decided_on == date(2026, 6, 21)
    assert view.fee_paise == 100000 and view.fee_due_paise == 100000 and not view.fee_paid

    office.advance(4)
    pay_fee(office, view)
    licence = trade.issue(office.commissioner, first.uuid)
    assert licence.status == "ISSUED"
    assert licence.licence_no == "TL/2026-27/C01-00001"
    assert licence.issued_on == date(2026, 6, 25)
    assert licence.valid_to == date(2027, 3, 31)  # the end of the licence year
    assert not licence.expired and not licence.deemed_granted
    assert [(e.from_status, e.to_status, e.action, e.username) for e in licence.events] == [
        ("", "APPLIED", "apply", "supervisor1"),
        ("APPLIED", "DOCUMENT_CHECK", "document_check", "supervisor1"),
        ("DOCUMENT_CHECK", "INSPECTION", "inspection", "supervisor1"),
        ("INSPECTION", "APPROVED", "approve", "commissioner1"),
        ("APPROVED", "ISSUED", "issue", "commissioner1"),
    ]
    assert licence.events[1].remarks == "Aadhaar, rent deed seen"
    assert trade.find("TL/2026-27/C01-00001").uuid == first.uuid
    assert trade.find("tla/2026-27/c01-00001").uuid == first.uuid


def test_two_counters_never_give_out_the_same_application_or_licence_number(trade_office: TradeOffice) -> None:  # noqa: F811
    """The counter (device_no) is in both numbers: services on counters 1 and 2 number applications and
    licences of the same FY apart, each counter's series its own, even with both counters' records in one
    database (as after a sync)."""
    office, services = trade_office, trade_office.services
    key = b"verification-key-of-this-test-00"
    counters = {
        device_no: TradeLicenceService(
            services.db,
            services.tariffs,
            office.clock,
            services.audit,
            services.outbox,
            "DEMO",
            key,
            device_no=device_no,
        )
        for device_no in (1, 2)
    }
    numbers: dict[int, tuple[str, str]] = {}
    for device_no, trade in counters.items():
        view = trade.apply(office.supervisor, shop())
        trade.start_document_check(office.supervisor, view.uuid)
        trade.start_inspection(office.supervisor, view.uuid)
        view = trade.approve(office.commissioner, view.uuid)
        pay_fee(office, view)
        numbers[device_no] = (view.application_no, trade.issue(office.commissioner, view.uuid).licence_no)
    assert numbers == {
        1: ("TLA/2026-27/C01-00001", "TL/2026-27/C01-00001"),
        2: ("TLA/2026-27/C02-00001", "TL/2026-27/C02-00001"),
    }
    assert (
        counters[2].apply(office.supervisor, shop(trade_name="Verma Kirana")).application_no == "TLA/2026-27/C02-00002"
    )
    assert (
        counters[1].apply(office.supervisor, shop(trade_name="Gupta Kirana")).application_no == "TLA/2026-27/C01-00002"
    )


def test_every_step_is_audited_and_queued_for_the_central(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    view = approved(office)
    pay_fee(office, view)
    trade.issue(office.commissioner, view.uuid)
    with office.services.db.read() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_id == view.uuid).order_by(AuditEntry.id)
        ).all()
        audited_by = session.scalars(
            select(AuditEntry.username).where(AuditEntry.action == "trade_licence.approve")
        ).one()
    assert actions == [
        "trade_licence.apply",
        "trade_licence.document_check",
        "trade_licence.inspection",
        "trade_licence.approve",
        "trade_licence.issue",
    ]
    assert audited_by == "commissioner1"
    records = _records(office)
    # Parents first on the wire: each step's licence row, then its event; the fee demand after approval.
    assert [r["entity"] for r in records] == [
        *["trade_licence", "trade_licence_event"] * 4,
        "service_demand",
        "trade_licence",
        "trade_licence_event",
    ]
    licence_states = [r["fields"]["status"] for r in records if r["entity"] == "trade_licence"]  # type: ignore[index]
    assert licence_states == ["APPLIED", "DOCUMENT_CHECK", "INSPECTION", "APPROVED", "ISSUED"]
    assert sum(1 for r in records if r["entity"] == "trade_licence_event") == 5
    demands = [r for r in records if r["entity"] == "service_demand"]
    assert len(demands) == 1
    assert demands[0]["uuid"] == service_demand_uuid("TRADE", view.uuid, "2026-27", "TRADE_LICENCE_FEE")
    assert demands[0]["fields"]["amount_paise"] == 100000  # type: ignore[index]
    issued_fields = next(r for r in reversed(records) if r["entity"] == "trade_licence")["fields"]
    assert issued_fields["licence_no"] == "TL/2026-27/C01-00001"  # type: ignore[index]
    assert issued_fields["area_sqft"] == "200"  # decimals as text, never floats  # type: ignore[index]


def test_a_step_the_central_already_knows_carries_its_base_version(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    view = trade.apply(office.supervisor, shop())
    with office.services.db.write() as session:
        row = session.get(TradeLicence, view.uuid)
        assert row is not None
        row.server_version = 7  # as if the central had confirmed it
    trade.start_document_check(office.supervisor, view.uuid)
    with office.services.db.read() as session:
        op = session.scalars(
            select(OutboxOperation)
            .where(OutboxOperation.entity_uuid == view.uuid)
            .order_by(OutboxOperation.device_seq.desc())
        ).first()
        assert op is not None
        assert op.base_version == 7
        assert json.loads(op.base_values_json or "{}")["status"] == "APPLIED"
        assert json.loads(op.payload_json)["fields"]["status"] == "DOCUMENT_CHECK"


def test_property_link_is_shown_and_must_exist(trade_office: TradeOffice) -> None:  # noqa: F811
    trade = trade_office.services.trade
    property_uuid = add_property(trade_office.services.db, "W03-000042")
    view = trade.apply(trade_office.supervisor, shop(property_uuid=property_uuid))
    assert view.property_id == "W03-000042"
    with pytest.raises(ValidationError, match="property: no property with id nope"):
        trade.apply(trade_office.supervisor, shop(property_uuid="nope"))


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"trade_name": "  "}, "trade_name: is empty"),
        ({"owner_name_en": "", "owner_name_hi": ""}, "owner_name: needs the owner's name"),
        ({"owner_name_en": "रमेश"}, "owner_name_en: 'रमेश' is in Devanagari"),
        ({"mobile": "12345"}, "mobile: '12345' is not a 10-digit mobile number"),
        ({"ward_no": 99}, "ward_no: ward 99 does not exist in DEMO"),
        ({"trade_kind": "KIOSK"}, "trade_kind: unknown kind 'KIOSK'"),
        ({"area_sqft": None}, "area_sqft: a shop needs its trade area"),
        ({"road_width_m": Decimal(0)}, "road_width_m: a shop needs the width of the road"),
        ({"area_sqft": Decimal("10.555")}, "area_sqft: has more than 2 decimals"),
        ({"application_type": "RENEWAL"}, "previous_licence: a renewal needs the licence it renews"),
        ({"application_type": "TRANSFER"}, "application_type: 'TRANSFER' is not NEW or RENEWAL"),
    ],
)
def test_bad_applications_say_what_is_wrong_and_save_nothing(
    trade_office: TradeOffice,  # noqa: F811
    changes: dict[str, object],
    message: str,
) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        trade_office.services.trade.apply(trade_office.supervisor, shop(**changes))
    assert _count(trade_office, TradeLicence) == 0
    assert _count(trade_office, TradeLicenceEvent) == 0
    assert _records(trade_office) == []


def test_every_problem_is_reported_at_once(trade_office: TradeOffice) -> None:  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        trade_office.services.trade.apply(
            trade_office.supervisor, shop(trade_name="", mobile="1", area_sqft=None, ward_no=0)
        )
    text = str(caught.value)
    for field in ("trade_name", "mobile", "ward_no", "area_sqft"):
        assert f"{field}:" in text


def test_a_thela_needs_no_area_or_road(trade_office: TradeOffice) -> None:  # noqa: F811
    view = approved(trade_office, shop(trade_kind="THELA", area_sqft=None, road_width_m=None))
    assert view.fee_paise == 20000
    assert view.road_band == ""


# --- rejection, illegal transitions, permissions ----------------------------------------------


def test_rejection_needs_a_reason_and_ends_the_application(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    view = trade.apply(office.supervisor, shop())
    trade.start_document_check(office.supervisor, view.uuid)
    with pytest.raises(ValidationError, match="reason: a rejection needs the reason"):
        trade.reject(office.commissioner, view.uuid, "   ")
    assert trade.get(view.uuid).status == "DOCUMENT_CHECK"
    rejected = trade.reject(office.commissioner, view.uuid, "Rent deed not attached")
    assert rejected.status == "REJECTED"
    assert rejected.rejection_reason == "Rent deed not attached"
    assert rejected.decided_on == office.today
    assert rejected.events[-1].remarks == "Rent deed not attached"
    with pytest.raises(ValidationError, match="is REJECTED: cannot approve"):
        trade.approve(office.commissioner, view.uuid)
    with pytest.raises(ValidationError, match="is REJECTED: cannot reject"):
        trade.reject(office.commissioner, view.uuid, "again")


@pytest.mark.parametrize("status_steps", [0, 1, 2])
def test_any_open_application_can_be_rejected(trade_office: TradeOffice, status_steps: int) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    view = trade.apply(office.supervisor, shop())
    steps = [trade.start_document_check, trade.start_inspection]
    for step in steps[:status_steps]:
        step(office.supervisor, view.uuid)
    assert trade.reject(office.commissioner, view.uuid, "not a trade").status == "REJECTED"


def test_illegal_transitions_name_the_current_status(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    view = trade.apply(office.supervisor, shop())
    with pytest.raises(
        ValidationError, match=r"TLA/2026-27/C01-00001 is APPLIED: cannot approve \(only from INSPECTION\)"
    ):
        trade.approve(office.commissioner, view.uuid)
    with pytest.raises(ValidationError, match="is APPLIED: cannot inspection"):
        trade.start_inspection(office.supervisor, view.uuid)
    with pytest.raises(ValidationError, match="is APPLIED: cannot issue"):
        trade.issue(office.commissioner, view.uuid)
    trade.start_document_check(office.supervisor, view.uuid)
    with pytest.raises(ValidationError, match="is DOCUMENT_CHECK: cannot document check"):
        trade.start_document_check(office.supervisor, view.uuid)
    licence = approved(office)
    with pytest.raises(ValidationError, match="is APPROVED: cannot reject"):
        trade.reject(office.commissioner, licence.uuid, "changed my mind")
    assert trade.get(view.uuid).status == "DOCUMENT_CHECK"


def test_permissions_are_checked_by_the_service(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    with pytest.raises(PermissionDenied, match="clerk1 \\(clerk\\) may not process trade licence"):
        trade.apply(office.clerk, shop())
    with pytest.raises(PermissionDenied, match="commissioner1"):
        trade.apply(office.commissioner, shop())
    view = trade.apply(office.supervisor, shop())
    with pytest.raises(PermissionDenied):
        trade.start_document_check(office.clerk, view.uuid)
    trade.start_document_check(office.supervisor, view.uuid)
    trade.start_inspection(office.supervisor, view.uuid)
    with pytest.raises(PermissionDenied, match="supervisor1 \\(supervisor\\) may not approve trade licence"):
        trade.approve(office.supervisor, view.uuid)
    with pytest.raises(PermissionDenied):
        trade.reject(office.supervisor, view.uuid, "no")
    view = trade.approve(office.commissioner, view.uuid)
    pay_fee(office, view)
    with pytest.raises(PermissionDenied):
        trade.issue(office.supervisor, view.uuid)
    assert trade.get(view.uuid).status == "APPROVED"
    admin = office.services.users.actor_for("admin1", 1)
    assert trade.issue(admin, view.uuid).status == "ISSUED"


def test_issue_is_refused_until_the_fee_is_paid_then_allowed(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    view = approved(office)
    with pytest.raises(ValidationError, match=r"TLA/2026-27/C01-00001: the licence fee is not paid yet \(₹1,000 due"):
        trade.issue(office.commissioner, view.uuid)
    assert trade.get(view.uuid).licence_no == ""
    pay_fee(office, view)
    assert trade.issue(office.commissioner, view.uuid).licence_no == "TL/2026-27/C01-00001"


# --- deemed grant ------------------------------------------------------------------------------


def test_deemed_granted_after_15_days_not_on_day_15(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    pending = trade.apply(office.supervisor, shop())
    decided = trade.apply(office.supervisor, shop(trade_name="Rejected Store"))
    trade.reject(office.commissioner, decided.uuid, "duplicate")
    applied_on = office.today

    office.advance(15)
    day15 = trade.get(pending.uuid)
    assert (office.today - applied_on).days == 15
    assert not day15.deemed_granted
    assert trade.licences(deemed_only=True) == []

    office.advance(1)
    day16 = trade.get(pending.uuid)
    assert day16.deemed_granted
    assert day16.deemed_granted_on == applied_on + timedelta(days=16)
    assert [v.uuid for v in trade.licences(deemed_only=True)] == [pending.uuid]
    assert not trade.get(decided.uuid).deemed_granted  # decided in time: never deemed
    # Asked about an earlier day, the same application was not yet deemed.
    assert not trade.get(pending.uuid, on=applied_on + timedelta(days=15)).deemed_granted


def test_a_deemed_granted_application_can_be_approved_without_inspection(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    pending = trade.apply(office.supervisor, shop())
    office.advance(20)
    view = trade.approve(office.commissioner, pending.uuid, "deemed granted (Niyam 2025)")
    assert view.status == "APPROVED"
    assert not view.deemed_granted  # decided now: no longer pending
    assert view.events[-1].from_status == "APPLIED"


# --- expiry and renewal -------------------------------------------------------------------------


def _on(office: TradeOffice, day: date) -> None:
    office.clock.current = FixedClock.on_ist_date(day).current


def test_a_licence_expires_after_31_march(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    uuid = issued(office)
    _on(office, date(2027, 3, 31))
    assert not trade.get(uuid).expired
    assert trade.expire_due() == 0
    _on(office, date(2027, 4, 1))
    # Before any sweep, lists and detail already show it expired.
    view = trade.get(uuid)
    assert view.status == "ISSUED" and view.expired and view.display_status == "EXPIRED"
    assert [v.uuid for v in trade.licences(status="EXPIRED")] == [uuid]
    assert trade.licences(status="ISSUED") == []
    assert trade.expire_due() == 1
    swept = trade.get(uuid)
    assert swept.status == "EXPIRED"
    assert swept.events[-1].action == "expire"
    assert swept.events[-1].username == ""  # the sweep, not a person
    assert trade.expire_due() == 0
    last_two = _records(office)[-2:]
    assert [r["entity"] for r in last_two] == ["trade_licence", "trade_licence_event"]
    assert last_two[0]["fields"]["status"] == "EXPIRED"  # type: ignore[index]
    assert last_two[1]["fields"]["to_status"] == "EXPIRED"  # type: ignore[index]


def test_renewal_due_list(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    uuid = issued(office)
    approved(office, shop(trade_name="Not yet issued"))
    # valid to 31-03-2027; renewal notice 60 days: due from 30-01-2027.
    assert trade.renewal_due(on=date(2027, 1, 29)) == []
    assert [v.uuid for v in trade.renewal_due(on=date(2027, 1, 30))] == [uuid]
    assert [v.uuid for v in trade.renewal_due(on=date(2027, 6, 1))] == [uuid]  # expired, not renewed


def test_renewal_takes_the_licence_off_the_due_list_and_runs_for_the_next_year(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    uuid = issued(office)
    _on(office, date(2027, 2, 10))
    data = trade.renewal_input(uuid)
    assert (data.application_type, data.previous_licence_uuid, data.trade_name) == (
        "RENEWAL",
        uuid,
        "Sahu General Store",
    )
    renewal = trade.apply(office.supervisor, replace(data, area_sqft=Decimal(250)))
    assert renewal.licence_year == "2027-28"
    assert renewal.application_no == "TLA/2026-27/C01-00002"
    assert trade.renewal_due() == []
    with pytest.raises(ValidationError, match="already has renewal application TLA/2026-27/C01-00002"):
        trade.apply(office.supervisor, data)
    # No 2027-28 tariff is loaded: approval says so instead of guessing a rate.
    trade.start_document_check(office.supervisor, renewal.uuid)
    trade.start_inspection(office.supervisor, renewal.uuid)
    with pytest.raises(ValidationError, match="no trade-licence tariff for ULB DEMO, FY 2027-28"):
        trade.approve(office.commissioner, renewal.uuid)
    # A rejected renewal puts the licence back on the due list.
    trade.reject(office.commissioner, renewal.uuid, "closed the shop")
    assert [v.uuid for v in trade.renewal_due()] == [uuid]


def test_only_issued_or_expired_licences_can_be_renewed(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    view = approved(office)
    with pytest.raises(ValidationError, match="is APPROVED; only an issued or expired licence can be renewed"):
        trade.apply(office.supervisor, shop(application_type="RENEWAL", previous_licence_uuid=view.uuid))


def test_an_expired_licence_is_renewed_for_the_current_year(trade_office: TradeOffice) -> None:  # noqa: F811
    office, trade = trade_office, trade_office.services.trade
    _on(office, date(2025, 6, 2))
    uuid = issued(office)
    assert trade.get(uuid).valid_to == date(2026, 3, 31)
    _on(office, date(2026, 7, 1))
    trade.expire_due()
    renewal = trade.apply(office.supervisor, trade.renewal_input(uuid))
    assert renewal.licence_year == "2026-27"
    trade.start_document_check(office.supervisor, renewal.uuid)
    trade.start_inspection(office.supervisor, renewal.uuid)
    fee_due = trade.approve(office.commissioner, renewal.uuid)
    pay_fee(office, fee_due)
    renewed = trade.issue(office.commissioner, renewal.uuid)
    assert renewed.licence_no == "TL/2026-27/C01-00001"  # numbered in the year of issue
    assert renewed.valid_to == date(2027, 3, 31)
    assert trade.renewal_due() == []
