"""Building-permit applications on a real device database: every step an event and an audit entry,
illegal steps and wrong roles refused with nothing saved, fees raised as PERMIT demands and counted
paid from receipts (here: a payment made at another counter that came down with sync), documents
stored once by hash, and the inboxes with what is due and what is late."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.composition import Services, build_services
from app.core.clock import FixedClock, business_date
from app.core.ids import new_uuid
from app.demand.models import ServiceDemand
from app.errors import PermissionDenied, ValidationError
from app.permits.dto import PermitInput, PermitView
from app.permits.models import PermitApplication, PermitEvent
from app.replica.models import RemotePayment, RemotePaymentCancellation, RemotePaymentLine
from app.security.passwords import fast_hasher
from app.security.roles import Actor, Role
from tests.factories import set_up_device

ALL_FEES = {"PERMIT_SCRUTINY_FEE": 2_000_00, "PERMIT_FEE": 2_708_00, "LABOUR_CESS": 32_490_00}


@dataclass
class PermitOffice:
    services: Services
    clock: FixedClock
    clerk: Actor
    engineer: Actor
    commissioner: Actor

    def advance(self, days: int) -> None:
        self.clock.current += timedelta(days=days)

    @property
    def today(self) -> date:
        return business_date(self.clock.current)


@pytest.fixture
def office(data_dir: Path, clock: FixedClock) -> Iterator[PermitOffice]:
    set_up_device(data_dir, clock).dispose()
    services = build_services(data_dir, clock=clock, password_hasher=fast_hasher())
    users = services.users
    yield PermitOffice(
        services,
        clock,
        users.actor_for("clerk1", 1),
        users.actor_for("engineer1", 1),
        users.actor_for("commissioner1", 1),
    )
    services.close()


def house(**changes: object) -> PermitInput:
    data = PermitInput(
        applicant_name_en="Sunita Verma",
        applicant_name_hi="सुनीता वर्मा",
        mobile="9876543210",
        address_en="Near Shiv Mandir, Ward 3",
        architect_name="A. K. Tiwari",
        architect_licence_no="ca/2019/12345",
        khasra_no="112/4",
        ward_no=3,
        plot_area_m2=Decimal("200.00"),
        road_width_m=Decimal("9.00"),
        occupancy="residential",
        floors=2,
        height_m=Decimal("7.50"),
        built_up_area_m2=Decimal("180.50"),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def submitted(office: PermitOffice, **changes: object) -> PermitView:
    permits = office.services.permits
    draft = permits.create_draft(office.engineer, house(**changes))
    return permits.submit(office.engineer, draft.uuid)


def to_decision(office: PermitOffice, **changes: object) -> PermitView:
    permits, eng = office.services.permits, office.engineer
    view = submitted(office, **changes)
    view = permits.take_up(eng, view.uuid)
    view = permits.complete_scrutiny(eng, view.uuid, "plan complies")
    view = permits.verify_documents(eng, view.uuid, "ownership and plan verified")
    if view.status == "SITE_INSPECTION":
        view = permits.record_inspection(eng, view.uuid, "site matches plan", (("front.jpg", b"\xff\xd8photo-1"),))
    return view


def pay_elsewhere(office: PermitOffice, view: PermitView, amounts: dict[str, int]) -> str:
    """A receipt made at another counter paying these heads, as sync brings it down."""
    payment = new_uuid()
    with office.services.db.write() as session:
        session.add(
            RemotePayment(
                uuid=payment,
                receipt_no="RPR/DEMO/C02/2026-27/000007",
                property_uuid=None,
                business_date=office.today.isoformat(),
                amount_paise=sum(amounts.values()),
                mode="CASH",
                received_at=office.clock.now_utc(),
            )
        )
        for i, (head, amount) in enumerate(amounts.items()):
            session.add(
                RemotePaymentLine(
                    payment_uuid=payment,
                    ordinal=i,
                    fy="2026-27",
                    head=head,
                    amount_paise=amount,
                    service="PERMIT",
                    account=view.uuid,
                    period="2026-27",
                )
            )
    return payment


def audit_actions(office: PermitOffice, uuid: str) -> list[str]:
    with office.services.db.read() as session:
        return list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == uuid).order_by(AuditEntry.id))
        )


def test_a_draft_is_numbered_cleaned_and_classed_by_risk(office: PermitOffice) -> None:
    view = office.services.permits.create_draft(office.engineer, house())
    assert view.application_no == "BPA/2026-27/C01-00001"
    assert view.status == "DRAFT"
    assert view.risk_class == "LOW"
    assert view.path == ("SCRUTINY", "DOC_VERIFICATION")
    assert view.data.architect_licence_no == "CA/2019/12345"
    assert view.data.occupancy == "RESIDENTIAL"
    second = office.services.permits.create_draft(office.engineer, house(height_m=Decimal("12")))
    assert second.application_no == "BPA/2026-27/C01-00002"
    assert second.risk_class == "MEDIUM"


def test_bad_input_names_every_field_and_saves_nothing(office: PermitOffice) -> None:
    bad = house(khasra_no=" ", plot_area_m2=Decimal("-5"), floors=0, mobile="12345", height_m=Decimal("7.555"))
    with pytest.raises(ValidationError) as caught:
        office.services.permits.create_draft(office.engineer, bad)
    message = str(caught.value)
    for field in ("khasra_no", "plot_area_m2", "floors", "mobile", "height_m"):
        assert field in message
    with office.services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(PermitApplication)) == 0


def test_a_low_risk_application_skips_site_inspection_and_each_step_is_an_event_and_an_audit_entry(
    office: PermitOffice,
) -> None:
    view = to_decision(office)
    assert view.status == "DECISION"
    assert [(e.from_status, e.to_status, e.action) for e in view.events] == [
        ("", "DRAFT", "create"),
        ("DRAFT", "SUBMITTED", "submit"),
        ("SUBMITTED", "SCRUTINY", "take_up"),
        ("SCRUTINY", "DOC_VERIFICATION", "complete_scrutiny"),
        ("DOC_VERIFICATION", "DECISION", "verify_documents"),
    ]
    assert view.events[-1].username == "engineer1"
    assert view.events[-1].remarks == "ownership and plan verified"
    assert audit_actions(office, view.uuid) == [
        "permit.create",
        "permit.submit",
        "permit.take_up",
        "permit.complete_scrutiny",
        "permit.verify_documents",
    ]


def test_a_medium_risk_application_needs_the_site_inspection_with_its_report_and_photos(
    office: PermitOffice,
) -> None:
    permits, eng = office.services.permits, office.engineer
    view = submitted(office, height_m=Decimal("12"))
    view = permits.take_up(eng, view.uuid)
    view = permits.complete_scrutiny(eng, view.uuid)
    view = permits.verify_documents(eng, view.uuid)
    assert view.status == "SITE_INSPECTION"
    with pytest.raises(ValidationError, match="SITE_INSPECTION cannot approve"):
        permits.approve(office.commissioner, view.uuid)  # the inspection comes first
    with pytest.raises(ValidationError, match="report"):
        permits.record_inspection(eng, view.uuid, "  ")
    photo = b"\xff\xd8\xff\xe0 a JPEG of the site"
    view = permits.record_inspection(eng, view.uuid, "setbacks marked on site as per plan", (("site.jpg", photo),))
    assert view.status == "DECISION"
    assert view.inspection_report == "setbacks marked on site as per plan"
    [doc] = view.documents
    assert (doc.kind, doc.file_name, doc.sha256) == ("INSPECTION_PHOTO", "site.jpg", hashlib.sha256(photo).hexdigest())
    assert permits.document_bytes(doc) == photo


def test_illegal_steps_are_refused_and_leave_no_trace(office: PermitOffice) -> None:
    permits = office.services.permits
    draft = permits.create_draft(office.engineer, house())
    with pytest.raises(ValidationError, match="DRAFT cannot approve"):
        permits.approve(office.commissioner, draft.uuid)
    with pytest.raises(ValidationError, match="DRAFT cannot take up"):
        permits.take_up(office.engineer, draft.uuid)
    view = permits.get(draft.uuid)
    assert view.status == "DRAFT"
    assert len(view.events) == 1
    assert audit_actions(office, draft.uuid) == ["permit.create"]


def test_roles_are_checked_in_the_service(office: PermitOffice) -> None:
    permits = office.services.permits
    with pytest.raises(PermissionDenied):
        permits.create_draft(office.clerk, house())
    view = to_decision(office)
    with pytest.raises(PermissionDenied, match=r"engineer1 .* may not approve"):
        permits.approve(office.engineer, view.uuid)
    with pytest.raises(PermissionDenied):
        permits.reject(office.clerk, view.uuid, ["no"])
    assert permits.get(view.uuid).status == "DECISION"


def test_rejection_needs_reasons_and_keeps_them(office: PermitOffice) -> None:
    permits = office.services.permits
    view = submitted(office)
    with pytest.raises(ValidationError, match="at least one reason"):
        permits.reject(office.commissioner, view.uuid, [" ", ""])
    view = permits.reject(office.commissioner, view.uuid, ["front setback 1.0 m < 3.0 m", "no ownership deed"])
    assert view.status == "REJECTED"
    assert view.rejection_reasons == ("front setback 1.0 m < 3.0 m", "no ownership deed")
    assert view.decided_on == office.today
    with pytest.raises(ValidationError, match="REJECTED cannot approve"):
        permits.approve(office.commissioner, view.uuid)


def test_approval_raises_the_fees_as_permit_demands_and_issue_waits_for_payment(office: PermitOffice) -> None:
    permits = office.services.permits
    view = permits.approve(office.commissioner, to_decision(office).uuid, "complies")
    assert view.status == "APPROVED"
    # 180.50 m²: scrutiny ₹2,000; permit 180.50 × ₹15 → ₹2,708; cess 1% of 180.50 × ₹18,000 = ₹32,490.
    assert [(f.head, f.raised_paise, f.paid_paise) for f in view.fees] == [
        ("PERMIT_SCRUTINY_FEE", 2_000_00, 0),
        ("PERMIT_FEE", 2_708_00, 0),
        ("LABOUR_CESS", 32_490_00, 0),
    ]
    with office.services.db.read() as session:
        demands = session.scalars(select(ServiceDemand).where(ServiceDemand.account_uuid == view.uuid)).all()
        assert {(d.service, d.period, d.due_date) for d in demands} == {("PERMIT", "2026-27", "2026-07-15")}
    with pytest.raises(ValidationError, match=r"not paid yet .*₹37,198\.00 due"):
        permits.issue(office.commissioner, view.uuid)
    pay_elsewhere(office, view, {"PERMIT_SCRUTINY_FEE": 2_000_00, "PERMIT_FEE": 2_708_00})
    with pytest.raises(ValidationError, match=r"₹32,490\.00 due"):
        permits.issue(office.commissioner, view.uuid)
    pay_elsewhere(office, view, {"LABOUR_CESS": 32_490_00})
    assert permits.get(view.uuid).fee_paid
    issued = permits.issue(office.commissioner, view.uuid)
    assert issued.status == "ISSUED"
    assert issued.permit_no == "BP/2026-27/C01-00001"
    assert (issued.issued_on, issued.valid_to) == (date(2026, 6, 15), date(2028, 6, 14))  # two years


def test_a_cancelled_payment_does_not_count(office: PermitOffice) -> None:
    permits = office.services.permits
    view = permits.approve(office.commissioner, to_decision(office).uuid)
    payment = pay_elsewhere(
        office, view, {"PERMIT_SCRUTINY_FEE": 2_000_00, "PERMIT_FEE": 2_708_00, "LABOUR_CESS": 32_490_00}
    )
    assert permits.get(view.uuid).fee_paid
    with office.services.db.write() as session:
        session.add(
            RemotePaymentCancellation(
                receipt_uuid=payment, uuid=new_uuid(), reason="wrong account", received_at=office.clock.now_utc()
            )
        )
    assert permits.get(view.uuid).fee_due_paise == 37_198_00
    with pytest.raises(ValidationError, match="not paid yet"):
        permits.issue(office.commissioner, view.uuid)


def test_an_issued_permit_can_be_revoked_with_a_reason(office: PermitOffice) -> None:
    permits = office.services.permits
    view = permits.approve(office.commissioner, to_decision(office).uuid)
    pay_elsewhere(office, view, ALL_FEES)
    permits.issue(office.commissioner, view.uuid)
    with pytest.raises(ValidationError, match="needs the reason"):
        permits.revoke(office.commissioner, view.uuid, "")
    revoked = permits.revoke(office.commissioner, view.uuid, "construction beyond the sanctioned plan")
    assert revoked.status == "REVOKED"
    assert revoked.revocation_reason == "construction beyond the sanctioned plan"
    assert audit_actions(office, view.uuid)[-3:] == ["permit.approve", "permit.issue", "permit.revoke"]


def test_the_same_document_is_stored_once(office: PermitOffice) -> None:
    permits = office.services.permits
    one = permits.create_draft(office.engineer, house())
    two = permits.create_draft(office.engineer, house(khasra_no="113"))
    deed = b"%PDF-1.4 sale deed of khasra 112/4"
    first = permits.attach_document(office.engineer, one.uuid, "ownership", "deed.pdf", deed)
    again = permits.attach_document(office.engineer, one.uuid, "OWNERSHIP", "deed-copy.pdf", deed)
    other = permits.attach_document(office.engineer, two.uuid, "OWNERSHIP", "deed.pdf", deed)
    assert again.uuid == first.uuid  # the same file twice on one application: one document
    assert other.uuid != first.uuid and other.sha256 == first.sha256
    digest = hashlib.sha256(deed).hexdigest()
    stored = [p for p in (office.services.data_dir / "documents").rglob("*") if p.is_file()]
    assert stored == [office.services.data_dir / "documents" / digest[:2] / digest]
    assert stored[0].read_bytes() == deed
    assert [d.kind for d in permits.get(one.uuid).documents] == ["OWNERSHIP"]
    with pytest.raises(ValidationError, match="empty"):
        permits.attach_document(office.engineer, one.uuid, "OWNERSHIP", "blank.pdf", b"")


def test_a_damaged_stored_document_is_reported(office: PermitOffice) -> None:
    permits = office.services.permits
    one = permits.create_draft(office.engineer, house())
    doc = permits.attach_document(office.engineer, one.uuid, "SITE_PLAN", "plan.dxf", b"0\nSECTION\n")
    permits.documents.path_of(doc.sha256).write_bytes(b"tampered")
    with pytest.raises(ValidationError, match="does not match its hash"):
        permits.document_bytes(doc)


def test_inboxes_show_what_is_due_and_what_is_late(office: PermitOffice) -> None:
    permits = office.services.permits
    waiting = submitted(office)  # SUBMITTED on 15 June; SLA 2 days → due 17 June
    decided = to_decision(office)  # DECISION on 15 June; SLA 5 days → due 20 June
    [item] = permits.inbox(Role.ENGINEER, on=date(2026, 6, 17))
    assert (item.uuid, item.status, item.due_on, item.late) == (waiting.uuid, "SUBMITTED", date(2026, 6, 17), False)
    [late] = permits.inbox(Role.ENGINEER, on=date(2026, 6, 19))
    assert (late.late, late.days_late) == (True, 2)
    [boss] = permits.inbox(Role.COMMISSIONER, on=date(2026, 6, 20))
    assert (boss.uuid, boss.status, boss.late) == (decided.uuid, "DECISION", False)
    assert permits.inbox(Role.COMMISSIONER, on=date(2026, 6, 21))[0].days_late == 1
    assert permits.inbox(Role.CLERK) == []
    # Taking it up starts the next state's clock from that day.
    office.advance(3)
    permits.take_up(office.engineer, waiting.uuid)
    [item] = permits.inbox(Role.ENGINEER, on=date(2026, 6, 18))
    assert (item.status, item.state_since, item.due_on, item.late) == (
        "SCRUTINY",
        date(2026, 6, 18),
        date(2026, 6, 25),
        False,
    )


def test_the_inbox_puts_late_work_first(office: PermitOffice) -> None:
    permits = office.services.permits
    older = submitted(office)
    office.advance(4)
    newer = submitted(office)
    items = permits.inbox(Role.ENGINEER, on=office.today)
    assert [(i.uuid, i.late) for i in items] == [(older.uuid, True), (newer.uuid, False)]


def test_every_event_row_belongs_to_its_application(office: PermitOffice) -> None:
    view = to_decision(office, height_m=Decimal("16"))  # HIGH risk: with site inspection
    assert view.risk_class == "HIGH"
    with office.services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(PermitEvent)) == len(view.events) == 6
