"""Building-permit applications: drafting, the workflow by risk class, documents by content hash,
fees raised as PERMIT service demands that the counter collects, issue, revocation, inboxes with SLAs.

Every step is one BEGIN IMMEDIATE transaction: the row, its event and the audit entry (and the fee
demands with their sync records at approval) together, or nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path as FsPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.core.clock import Clock, business_date
from app.core.fy import FinancialYear
from app.core.ids import device_tag, new_uuid
from app.core.text import clean_text
from app.db import Database
from app.db.serials import next_serial
from app.demand.dto import Head, Service
from app.demand.models import ServiceDemand
from app.demand.paid import service_paid
from app.errors import NotFoundError, ValidationError
from app.outbox.service import Outbox
from app.permits.dto import DocumentView, FeeLine, InboxItem, PermitEventView, PermitInput, PermitView
from app.permits.fees import PermitSchedule, PermitSchedules, compute_fees
from app.permits.models import PermitApplication, PermitDocument, PermitEvent
from app.permits.workflow import (
    DRAFT,
    ISSUED,
    RESPONSIBLE,
    Path,
    check_permission,
    next_state,
)
from app.replica.records import queue_record, record_fields, service_demand_uuid
from app.security.models import AppUser
from app.security.roles import ROLE_PERMISSIONS, Actor, Role

FEE_HEADS = (Head.PERMIT_SCRUTINY_FEE.value, Head.PERMIT_FEE.value, Head.LABOUR_CESS.value)
MOBILE_PATTERN = re.compile(r"^[6-9]\d{9}$")
KIND_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{1,23}$")
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
_ENTITY = "permit_application"


def _iso(day: str) -> date | None:
    return date.fromisoformat(day) if day else None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DocumentStore:
    """Files kept by SHA-256 under <root>/<hash[:2]>/<hash>: the same bytes are stored once."""

    def __init__(self, root: FsPath) -> None:
        self.root = root

    def path_of(self, sha256: str) -> FsPath:
        return self.root / sha256[:2] / sha256

    def put(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        target = self.path_of(digest)
        if target.exists() and target.stat().st_size == len(content):
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed: a crash never leaves a half file under the hash's name.
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            FsPath(temp).unlink(missing_ok=True)
            raise
        return digest

    def read(self, sha256: str) -> bytes:
        content = self.path_of(sha256).read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ValidationError(f"document {sha256[:12]}…: the stored file does not match its hash (damaged)")
        return content


class PermitService:
    """Built once in the composition root; Qt-free."""

    def __init__(
        self,
        db: Database,
        schedules: PermitSchedules,
        clock: Clock,
        audit: AuditLog,
        outbox: Outbox,
        ulb_code: str,
        documents_dir: FsPath,
        device_no: int = 1,
    ) -> None:
        self._db = db
        self._schedules = schedules
        self._clock = clock
        self._audit = audit
        self._outbox = outbox
        self._ulb = ulb_code
        self._device_no = device_no
        self.documents = DocumentStore(documents_dir)

    def today(self) -> date:
        return business_date(self._clock.now_utc())

    def schedule(self, on: date | None = None) -> PermitSchedule:
        return self._schedules.in_force(self._ulb, on or self.today())

    # --- drafting ----------------------------------------------------------------------------

    def create_draft(self, actor: Actor, data: PermitInput) -> PermitView:
        check_permission(actor, "submit")
        cleaned = self._clean(data)
        today = self.today()
        schedule = self.schedule(today)
        with self._db.write() as session:
            row = PermitApplication(
                uuid=new_uuid(),
                ulb_code=self._ulb,
                application_no=self._next_number(session, "BPA", PermitApplication.application_no, today),
                permit_no=None,
                risk_class=schedule.risk_class(cleaned.height_m, cleaned.plot_area_m2).name,
                status=DRAFT,
                state_since=today.isoformat(),
                created_on=today.isoformat(),
                created_at=self._clock.now_utc(),
                version=1,
                **self._fields(cleaned),
            )
            session.add(row)
            session.flush()
            self._audit.record(session, actor, "permit.create", _ENTITY, row.uuid, None, record_fields(row))
            self._event(session, actor, row, "", DRAFT, "create", "")
            return self._view(session, row)

    def update_draft(self, actor: Actor, uuid: str, data: PermitInput) -> PermitView:
        """Edit a draft (the risk class follows the new height and plot area)."""
        check_permission(actor, "submit")
        cleaned = self._clean(data)
        with self._db.write() as session:
            row = self._get(session, uuid)
            if row.status != DRAFT:
                raise ValidationError(f"{row.application_no} is {row.status}: only a draft can be edited")
            before = record_fields(row)
            for key, value in self._fields(cleaned).items():
                setattr(row, key, value)
            row.risk_class = self.schedule(self.today()).risk_class(cleaned.height_m, cleaned.plot_area_m2).name
            row.version += 1
            session.flush()
            self._audit.record(session, actor, "permit.edit", _ENTITY, row.uuid, before, record_fields(row))
            return self._view(session, row)

    # --- documents ---------------------------------------------------------------------------

    def attach_document(self, actor: Actor, uuid: str, kind: str, file_name: str, content: bytes) -> DocumentView:
        """Attach a file; the same bytes already attached as this kind return the existing document."""
        check_permission(actor, "submit")
        return self._attach(actor, uuid, kind, file_name, content, open_only=True)

    def document_bytes(self, document: DocumentView) -> bytes:
        return self.documents.read(document.sha256)

    # --- the workflow ------------------------------------------------------------------------

    def submit(self, actor: Actor, uuid: str, remarks: str = "") -> PermitView:
        """A draft is submitted: its risk class is fixed from the schedule in force today."""

        def on_submit(_session: Session, row: PermitApplication, today: date) -> None:
            schedule = self.schedule(today)
            row.risk_class = schedule.risk_class(Decimal(row.height_m), Decimal(row.plot_area_m2)).name
            row.submitted_on = today.isoformat()

        return self._step(actor, uuid, "submit", remarks, on_submit)

    def take_up(self, actor: Actor, uuid: str, remarks: str = "") -> PermitView:
        return self._step(actor, uuid, "take_up", remarks)

    def complete_scrutiny(self, actor: Actor, uuid: str, remarks: str = "") -> PermitView:
        return self._step(actor, uuid, "complete_scrutiny", remarks)

    def verify_documents(self, actor: Actor, uuid: str, remarks: str = "") -> PermitView:
        return self._step(actor, uuid, "verify_documents", remarks)

    def record_inspection(
        self, actor: Actor, uuid: str, report: str, photos: tuple[tuple[str, bytes], ...] = ()
    ) -> PermitView:
        """The site inspection report (text) and its photos (file name, bytes), stored by hash."""
        text = clean_text(report)
        if not text:
            raise ValidationError("report: an inspection needs its report (what was seen on the site)")
        check_permission(actor, "record_inspection")
        for name, content in photos:
            self._check_document("INSPECTION_PHOTO", name, content)
        digests = [(name, self.documents.put(content), len(content)) for name, content in photos]

        def on_inspect(session: Session, row: PermitApplication, today: date) -> None:
            row.inspection_report = text
            row.inspected_on = today.isoformat()
            for name, digest, size in digests:
                self._add_document(session, actor, row, "INSPECTION_PHOTO", name, digest, size)

        return self._step(actor, uuid, "record_inspection", text, on_inspect)

    def approve(self, actor: Actor, uuid: str, remarks: str = "") -> PermitView:
        """Approve: the fees (schedule in force at submission) are raised as three PERMIT demands."""

        def on_approve(session: Session, row: PermitApplication, today: date) -> None:
            schedule = self.schedule(_iso(row.submitted_on) or today)
            fees = compute_fees(schedule, Decimal(row.built_up_area_m2))
            period = FinancialYear.of(today).code
            row.decided_on = today.isoformat()
            row.fee_period = period
            due = (today + timedelta(days=schedule.fee_due_days)).isoformat()
            bua = Decimal(row.built_up_area_m2)
            amounts = {
                Head.PERMIT_SCRUTINY_FEE.value: (fees.scrutiny_fee_paise, "scrutiny fee"),
                Head.PERMIT_FEE.value: (fees.permit_fee_paise, f"{bua} m² @ ₹{schedule.permit_fee_per_m2}/m²"),
                Head.LABOUR_CESS.value: (
                    fees.labour_cess_paise,
                    f"{schedule.labour_cess_percent}% of {bua} m² @ ₹{schedule.construction_rate_per_m2}/m²",
                ),
            }
            for head, (amount, detail) in amounts.items():
                if amount <= 0:
                    continue
                demand = ServiceDemand(
                    service=Service.PERMIT.value,
                    account_uuid=row.uuid,
                    period=period,
                    fy=period,
                    head=head,
                    amount_paise=amount,
                    due_date=due,
                    ward_no=row.ward_no,
                    detail=detail[:200],
                    created_at=self._clock.now_utc(),
                )
                session.add(demand)
                session.flush()
                demand_uuid = service_demand_uuid(Service.PERMIT.value, row.uuid, period, head)
                queue_record(session, self._outbox, "service_demand", demand_uuid, record_fields(demand))

        return self._step(actor, uuid, "approve", remarks, on_approve)

    def reject(self, actor: Actor, uuid: str, reasons: list[str] | tuple[str, ...]) -> PermitView:
        cleaned = [clean_text(r) for r in reasons if clean_text(r)]
        if not cleaned:
            raise ValidationError("reasons: a rejection needs at least one reason (it is told to the applicant)")

        def on_reject(_session: Session, row: PermitApplication, today: date) -> None:
            row.decided_on = today.isoformat()
            row.rejection_reasons = "\n".join(cleaned)

        return self._step(actor, uuid, "reject", "; ".join(cleaned), on_reject)

    def issue(self, actor: Actor, uuid: str, remarks: str = "") -> PermitView:
        """Issue an approved permit whose fees are all paid: number BP/<FY>/<counter>-<seq>, valid
        validity_years (schedule data) to the day before the anniversary."""

        def on_issue(session: Session, row: PermitApplication, today: date) -> None:
            due = sum(max(f.raised_paise - f.paid_paise, 0) for f in self._fees(session, row))
            if due > 0:
                raise ValidationError(
                    f"{row.application_no}: the permit fees are not paid yet "
                    f"(₹{due / 100:,.2f} due; collect them at the counter first)"
                )
            years = self.schedule(_iso(row.submitted_on) or today).validity_years
            row.permit_no = self._next_number(session, "BP", PermitApplication.permit_no, today)
            row.issued_on = today.isoformat()
            row.valid_to = (_add_years(today, years) - timedelta(days=1)).isoformat()

        return self._step(actor, uuid, "issue", remarks, on_issue)

    def revoke(self, actor: Actor, uuid: str, reason: str) -> PermitView:
        text = clean_text(reason)
        if not text:
            raise ValidationError("reason: revoking a permit needs the reason")

        def on_revoke(_session: Session, row: PermitApplication, _today: date) -> None:
            row.revocation_reason = text

        return self._step(actor, uuid, "revoke", text, on_revoke)

    # --- reading -----------------------------------------------------------------------------

    def get(self, uuid: str) -> PermitView:
        with self._db.read() as session:
            return self._view(session, self._get(session, uuid))

    def inbox(self, role: Role, on: date | None = None) -> list[InboxItem]:
        """What waits on `role` as of `on`: applications in the states it acts on, with their due day
        (state_since + the state's SLA days in the schedule in force that day); late first, then by due day."""
        day = on or self.today()
        states = [s for s, p in RESPONSIBLE.items() if p in ROLE_PERMISSIONS[role]]
        if not states:
            return []
        sla = self.schedule(day).sla_days
        with self._db.read() as session:
            rows = session.execute(
                select(
                    PermitApplication.uuid,
                    PermitApplication.application_no,
                    PermitApplication.applicant_name_en,
                    PermitApplication.status,
                    PermitApplication.risk_class,
                    PermitApplication.state_since,
                ).where(PermitApplication.ulb_code == self._ulb, PermitApplication.status.in_(states))
            ).all()
        items = []
        for uuid, number, name, status, risk, since in rows:
            start = date.fromisoformat(since)
            due = start + timedelta(days=sla[status])
            late = day > due
            items.append(InboxItem(uuid, number, name, status, risk, start, due, late, (day - due).days if late else 0))
        return sorted(items, key=lambda i: (not i.late, i.due_on, i.application_no))

    # --- inside ------------------------------------------------------------------------------

    def _step(
        self,
        actor: Actor,
        uuid: str,
        action: str,
        remarks: str,
        effect: Callable[[Session, PermitApplication, date], None] | None = None,
    ) -> PermitView:
        check_permission(actor, action)
        today = self.today()
        with self._db.write() as session:
            row = self._get(session, uuid)
            path = self._path(row, today)
            target = next_state(row.status, action, path)
            before = record_fields(row)
            if effect is not None:
                effect(session, row, today)
            row.status = target
            row.state_since = today.isoformat()
            row.version += 1
            session.flush()
            self._audit.record(session, actor, f"permit.{action}", _ENTITY, row.uuid, before, record_fields(row))
            self._event(session, actor, row, str(before["status"]), target, action, clean_text(remarks))
            return self._view(session, row)

    def _path(self, row: PermitApplication, today: date) -> Path:
        schedule = self.schedule(_iso(row.submitted_on) or today)
        for risk in schedule.risk_classes:
            if risk.name == row.risk_class:
                return risk.path
        raise ValidationError(f"{row.application_no}: risk class {row.risk_class} is not in the schedule in force")

    def _attach(
        self, actor: Actor, uuid: str, kind: str, file_name: str, content: bytes, open_only: bool
    ) -> DocumentView:
        kind = clean_text(kind).upper()
        name = self._check_document(kind, file_name, content)
        digest = self.documents.put(content)  # before the row: a row never points at a missing file
        with self._db.write() as session:
            row = self._get(session, uuid)
            if open_only and row.status in (ISSUED, "REJECTED", "REVOKED"):
                raise ValidationError(f"{row.application_no} is {row.status}: documents can no longer be added")
            doc = self._add_document(session, actor, row, kind, name, digest, len(content))
            return DocumentView(doc.uuid, doc.kind, doc.file_name, doc.sha256, doc.size_bytes)

    @staticmethod
    def _check_document(kind: str, file_name: str, content: bytes) -> str:
        name = clean_text(FsPath(file_name).name)
        if not KIND_PATTERN.match(kind):
            raise ValidationError(f"kind: {kind!r} must be a code in capitals such as SITE_PLAN")
        if not name:
            raise ValidationError("file_name: the document needs its file name")
        if not content:
            raise ValidationError(f"{name}: the file is empty")
        if len(content) > MAX_DOCUMENT_BYTES:
            raise ValidationError(f"{name}: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
        return name

    def _add_document(
        self, session: Session, actor: Actor, row: PermitApplication, kind: str, name: str, digest: str, size: int
    ) -> PermitDocument:
        existing = session.scalars(
            select(PermitDocument).where(
                PermitDocument.application_uuid == row.uuid,
                PermitDocument.kind == kind,
                PermitDocument.sha256 == digest,
            )
        ).first()
        if existing is not None:
            return existing
        doc = PermitDocument(
            uuid=new_uuid(),
            application_uuid=row.uuid,
            kind=kind,
            file_name=name[:200],
            sha256=digest,
            size_bytes=size,
            user_id=actor.user_id,
            added_at=self._clock.now_utc(),
        )
        session.add(doc)
        session.flush()
        self._audit.record(session, actor, "permit.document", "permit_document", doc.uuid, None, record_fields(doc))
        return doc

    def _get(self, session: Session, uuid: str) -> PermitApplication:
        row = session.get(PermitApplication, uuid)
        if row is None or row.ulb_code != self._ulb:
            raise NotFoundError(f"no building-permit application with id {uuid}")
        return row

    def _event(
        self, session: Session, actor: Actor, row: PermitApplication, from_status: str, to: str, action: str, text: str
    ) -> None:
        session.add(
            PermitEvent(
                uuid=new_uuid(),
                application_uuid=row.uuid,
                from_status=from_status,
                to_status=to,
                action=action,
                remarks=text,
                user_id=actor.user_id,
                at=self._clock.now_utc(),
            )
        )
        session.flush()

    def _next_number(self, session: Session, prefix: str, column: Any, today: date) -> str:
        """<prefix>/<FY>/<this counter>-<5-digit seq>: one series per prefix, FY and counter."""
        stem = f"{prefix}/{FinancialYear.of(today).code}/{device_tag(self._device_no)}-"
        return next_serial(session, column, stem, PermitApplication.ulb_code == self._ulb)

    def _fees(self, session: Session, row: PermitApplication) -> list[FeeLine]:
        """The fee demands and what receipts not cancelled paid on them, here and at other counters."""
        raised = session.execute(
            select(ServiceDemand.head, ServiceDemand.amount_paise).where(
                ServiceDemand.service == Service.PERMIT.value, ServiceDemand.account_uuid == row.uuid
            )
        ).all()
        if not raised:
            return []
        paid = {
            head: amount
            for (_, period, head), amount in service_paid(session, Service.PERMIT.value, [row.uuid]).items()
            if period == row.fee_period
        }
        order = {head: i for i, head in enumerate(FEE_HEADS)}
        return sorted(
            (FeeLine(head, int(amount), paid.get(head, 0)) for head, amount in raised),
            key=lambda f: order.get(f.head, len(order)),
        )

    def _view(self, session: Session, row: PermitApplication) -> PermitView:
        users = {uid: name for uid, name in session.execute(select(AppUser.id, AppUser.username))}
        events = tuple(
            PermitEventView(e.from_status, e.to_status, e.action, e.remarks, users.get(e.user_id or 0, ""), e.at)
            for e in session.scalars(
                select(PermitEvent).where(PermitEvent.application_uuid == row.uuid).order_by(PermitEvent.at)
            )
        )
        documents = tuple(
            DocumentView(d.uuid, d.kind, d.file_name, d.sha256, d.size_bytes)
            for d in session.scalars(
                select(PermitDocument)
                .where(PermitDocument.application_uuid == row.uuid)
                .order_by(PermitDocument.added_at, PermitDocument.uuid)
            )
        )
        data = PermitInput(
            applicant_name_en=row.applicant_name_en,
            architect_name=row.architect_name,
            architect_licence_no=row.architect_licence_no,
            khasra_no=row.khasra_no,
            ward_no=row.ward_no,
            plot_area_m2=Decimal(row.plot_area_m2),
            road_width_m=Decimal(row.road_width_m),
            occupancy=row.occupancy,
            floors=row.floors,
            height_m=Decimal(row.height_m),
            built_up_area_m2=Decimal(row.built_up_area_m2),
            applicant_name_hi=row.applicant_name_hi,
            mobile=row.mobile,
            address_en=row.address_en,
        )
        return PermitView(
            uuid=row.uuid,
            application_no=row.application_no,
            permit_no=row.permit_no or "",
            data=data,
            risk_class=row.risk_class,
            path=self._path(row, self.today()).states,
            status=row.status,
            state_since=date.fromisoformat(row.state_since),
            created_on=date.fromisoformat(row.created_on),
            submitted_on=_iso(row.submitted_on),
            decided_on=_iso(row.decided_on),
            issued_on=_iso(row.issued_on),
            valid_to=_iso(row.valid_to),
            rejection_reasons=tuple(r for r in row.rejection_reasons.split("\n") if r),
            revocation_reason=row.revocation_reason,
            inspection_report=row.inspection_report,
            fees=tuple(self._fees(session, row)),
            documents=documents,
            events=events,
        )

    @staticmethod
    def _fields(data: PermitInput) -> dict[str, Any]:
        return {
            "applicant_name_en": data.applicant_name_en,
            "applicant_name_hi": data.applicant_name_hi,
            "mobile": data.mobile,
            "address_en": data.address_en,
            "architect_name": data.architect_name,
            "architect_licence_no": data.architect_licence_no,
            "khasra_no": data.khasra_no,
            "ward_no": data.ward_no,
            "plot_area_m2": data.plot_area_m2,
            "road_width_m": data.road_width_m,
            "occupancy": data.occupancy,
            "floors": data.floors,
            "height_m": data.height_m,
            "built_up_area_m2": data.built_up_area_m2,
        }

    @staticmethod
    def _clean(data: PermitInput) -> PermitInput:
        """NFC text, exact decimals; every problem named with its field, all at once."""
        problems: list[str] = []

        def number(name: str, value: Any, low: Decimal, high: Decimal) -> Decimal:
            try:
                result = Decimal(str(value))
            except (InvalidOperation, ValueError):
                problems.append(f"{name}: {value!r} is not a number")
                return Decimal(0)
            if not (low < result <= high):
                problems.append(f"{name}: {result} must be more than {low} and at most {high}")
            elif result != result.quantize(Decimal("0.01")):
                problems.append(f"{name}: has more than 2 decimals ({result})")
            return result

        cleaned = replace(
            data,
            applicant_name_en=clean_text(data.applicant_name_en),
            applicant_name_hi=clean_text(data.applicant_name_hi),
            mobile=clean_text(data.mobile),
            address_en=clean_text(data.address_en),
            architect_name=clean_text(data.architect_name),
            architect_licence_no=clean_text(data.architect_licence_no).upper(),
            khasra_no=clean_text(data.khasra_no),
            occupancy=clean_text(data.occupancy).upper(),
            plot_area_m2=number("plot_area_m2", data.plot_area_m2, Decimal(0), Decimal(1_000_000)),
            road_width_m=number("road_width_m", data.road_width_m, Decimal(0), Decimal(200)),
            height_m=number("height_m", data.height_m, Decimal(0), Decimal(500)),
            built_up_area_m2=number("built_up_area_m2", data.built_up_area_m2, Decimal(0), Decimal(10_000_000)),
        )
        for field in ("applicant_name_en", "architect_name", "architect_licence_no", "khasra_no", "occupancy"):
            if not getattr(cleaned, field):
                problems.append(f"{field}: is required")
        if cleaned.mobile and not MOBILE_PATTERN.match(cleaned.mobile):
            problems.append(f"mobile: {cleaned.mobile!r} is not a 10-digit mobile number")
        if not 1 <= cleaned.floors <= 200:
            problems.append(f"floors: {cleaned.floors} must be 1 to 200")
        if cleaned.ward_no < 1:
            problems.append(f"ward_no: {cleaned.ward_no} is not a ward")
        if problems:
            raise ValidationError("; ".join(problems))
        return cleaned
