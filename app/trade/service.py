"""Trade licences: applications (new and renewal), the approval workflow, fee demand, issue, expiry.

APPLIED → DOCUMENT_CHECK → INSPECTION → APPROVED (the fee is raised as a TRADE service demand that
the counter collects on the one bill) → ISSUED once the fee demand has no balance (paid = receipt
lines of receipts not cancelled). Any open application can be REJECTED with a reason. An issued
licence expires at the end of its licence year (31 March). An application not decided within the
tariff's deemed_grant_days is shown "deemed granted" (Niyam 2025: issued in 15 days or deemed).

Every step is one BEGIN IMMEDIATE transaction: the row, its event, the audit entry and the sync
records (licence, event, fee demand) together, or nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.collections.models import Receipt, ReceiptCancellation, ReceiptLine
from app.core.clock import Clock, business_date, format_date
from app.core.fy import FinancialYear
from app.core.ids import device_tag, new_uuid
from app.core.text import clean_text, has_devanagari
from app.db import Database
from app.db.serials import next_serial
from app.demand.dto import Head, Service
from app.demand.models import ServiceDemand
from app.demand.paid import service_paid
from app.errors import NotFoundError, ValidationError
from app.masters.models import Ulb, Ward
from app.masters.tariffs import TariffBook, TariffError, TradeLicenceTariff
from app.outbox.service import Outbox
from app.property.models import Property
from app.replica.models import RemotePayment, RemotePaymentCancellation, RemotePaymentLine
from app.replica.records import queue_record, queue_record_edit, record_fields, service_demand_uuid
from app.security.models import AppUser
from app.security.roles import Actor, Permission, require
from app.trade.dto import (
    OPEN_STATUSES,
    LicenceCertificate,
    LicenceEvent,
    LicenceInput,
    LicenceVerification,
    LicenceView,
)
from app.trade.fees import TRADE_KINDS, licence_fee_paise, road_band
from app.trade.models import TradeLicence, TradeLicenceEvent
from app.trade.verification import check_licence_code, licence_verification_text

MOBILE_PATTERN = re.compile(r"^[6-9]\d{9}$")
MAX_AREA_SQFT = Decimal(1_000_000)
MAX_ROAD_WIDTH_M = Decimal(200)
DEFAULT_DEEMED_GRANT_DAYS = 15  # the Niyam's figure, used only when no tariff file covers the year
DEFAULT_RENEWAL_NOTICE_DAYS = 60
FEE_HEAD = Head.TRADE_LICENCE_FEE.value
_ENTITY = "trade_licence"


def _iso(day: str) -> date | None:
    return date.fromisoformat(day) if day else None


def _decimal(value: Decimal | None, name: str, problems: list[str]) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        problems.append(f"{name}: {value!r} is not a number")
        return None
    if number != number.quantize(Decimal("0.01")):
        problems.append(f"{name}: has more than 2 decimals ({number})")
    return number


class TradeLicenceService:
    """Built once in the composition root; Qt-free. `verification_key` signs certificate QR codes."""

    def __init__(
        self,
        db: Database,
        tariffs: TariffBook,
        clock: Clock,
        audit: AuditLog,
        outbox: Outbox,
        ulb_code: str,
        verification_key: bytes,
        device_no: int = 1,
    ) -> None:
        self._db = db
        self._tariffs = tariffs
        self._clock = clock
        self._audit = audit
        self._outbox = outbox
        self._device_no = device_no
        self._ulb = ulb_code
        self._key = verification_key

    @property
    def ulb_code(self) -> str:
        return self._ulb

    def today(self) -> date:
        return business_date(self._clock.now_utc())

    # --- tariff ------------------------------------------------------------------------------

    def tariff(self, licence_year: str, on: date | None = None) -> TradeLicenceTariff:
        try:
            return self._tariffs.trade_licence(self._ulb, licence_year, on)
        except TariffError as error:
            raise ValidationError(f"{error}: load that year's trade-licence tariff first") from None

    def _days(self, licence_year: str) -> tuple[int, int]:
        """(deemed_grant_days, renewal_notice_days) of a licence year, the Niyam's defaults without a tariff."""
        try:
            tariff = self._tariffs.trade_licence(self._ulb, licence_year)
        except TariffError:
            return DEFAULT_DEEMED_GRANT_DAYS, DEFAULT_RENEWAL_NOTICE_DAYS
        return tariff.deemed_grant_days, tariff.renewal_notice_days

    def ulb_class(self) -> str:
        with self._db.read() as session:
            return self._ulb_row(session).ulb_class

    def quote_fee(
        self, trade_kind: str, area_sqft: Decimal | None, road_width_m: Decimal | None, licence_year: str | None = None
    ) -> int:
        """The year's fee for these facts (the form shows it before anyone applies)."""
        year = licence_year or FinancialYear.of(self.today()).code
        return licence_fee_paise(self.tariff(year), self.ulb_class(), trade_kind, area_sqft, road_width_m)

    # --- applying ----------------------------------------------------------------------------

    def apply(self, actor: Actor, data: LicenceInput) -> LicenceView:
        """A new application, or the renewal of an issued/expired licence. Number TLA/<FY>/<seq>."""
        require(actor, Permission.PROCESS_TRADE_LICENCE)
        cleaned = self._clean(data)
        today = self.today()
        with self._db.write() as session:
            licence_year = self._check(session, cleaned, today)
            row = TradeLicence(
                uuid=new_uuid(),
                ulb_code=self._ulb,
                application_no=self._next_number(session, "TLA", TradeLicence.application_no, today),
                licence_no=None,
                application_type=cleaned.application_type,
                previous_licence_uuid=cleaned.previous_licence_uuid,
                property_uuid=cleaned.property_uuid,
                trade_name=cleaned.trade_name,
                trade_name_hi=cleaned.trade_name_hi,
                owner_name_en=cleaned.owner_name_en,
                owner_name_hi=cleaned.owner_name_hi,
                mobile=cleaned.mobile,
                address_en=cleaned.address_en,
                address_hi=cleaned.address_hi,
                ward_no=cleaned.ward_no,
                trade_kind=cleaned.trade_kind,
                road_width_m=cleaned.road_width_m,
                area_sqft=cleaned.area_sqft,
                licence_year=licence_year,
                status="APPLIED",
                applied_on=today.isoformat(),
                decided_on="",
                issued_on="",
                valid_to="",
                rejection_reason="",
                fee_paise=0,
                created_at=self._clock.now_utc(),
                version=1,
                server_version=0,
            )
            session.add(row)
            session.flush()
            after = record_fields(row)
            self._audit.record(session, actor, "trade_licence.apply", _ENTITY, row.uuid, None, after)
            queue_record(session, self._outbox, _ENTITY, row.uuid, after)  # the parent before its event
            self._event(session, actor, row, "", "APPLIED", "apply", cleaned.application_type)
            return self._view(session, row, today, with_events=True)

    def renewal_input(self, licence_uuid: str) -> LicenceInput:
        """A renewal application pre-filled from the licence it renews (the form lets the clerk edit it)."""
        with self._db.read() as session:
            row = self._get(session, licence_uuid)
            return LicenceInput(
                trade_name=row.trade_name,
                owner_name_en=row.owner_name_en,
                ward_no=row.ward_no,
                trade_kind=row.trade_kind,
                trade_name_hi=row.trade_name_hi,
                owner_name_hi=row.owner_name_hi,
                mobile=row.mobile,
                address_en=row.address_en,
                address_hi=row.address_hi,
                road_width_m=None if row.road_width_m is None else Decimal(row.road_width_m),
                area_sqft=None if row.area_sqft is None else Decimal(row.area_sqft),
                property_uuid=row.property_uuid,
                application_type="RENEWAL",
                previous_licence_uuid=row.uuid,
            )

    # --- the workflow ------------------------------------------------------------------------

    def start_document_check(self, actor: Actor, licence_uuid: str, remarks: str = "") -> LicenceView:
        require(actor, Permission.PROCESS_TRADE_LICENCE)
        return self._move(actor, licence_uuid, ("APPLIED",), "DOCUMENT_CHECK", "document_check", remarks)

    def start_inspection(self, actor: Actor, licence_uuid: str, remarks: str = "") -> LicenceView:
        require(actor, Permission.PROCESS_TRADE_LICENCE)
        return self._move(actor, licence_uuid, ("DOCUMENT_CHECK",), "INSPECTION", "inspection", remarks)

    def approve(self, actor: Actor, licence_uuid: str, remarks: str = "") -> LicenceView:
        """Approve after inspection (or any open application already deemed granted): the fee is
        computed from the licence year's tariff and raised as a demand the counter collects."""
        require(actor, Permission.APPROVE_TRADE_LICENCE)
        today = self.today()
        with self._db.write() as session:
            row = self._get(session, licence_uuid)
            allowed: tuple[str, ...] = ("INSPECTION",)
            if self._deemed_on(row, today) is not None:
                allowed = OPEN_STATUSES
            self._require_status(row, allowed, "approve")
            tariff = self.tariff(row.licence_year, today)
            fee = licence_fee_paise(
                tariff,
                self._ulb_row(session).ulb_class,
                row.trade_kind,
                None if row.area_sqft is None else Decimal(row.area_sqft),
                None if row.road_width_m is None else Decimal(row.road_width_m),
            )
            before = record_fields(row)
            row.status = "APPROVED"
            row.decided_on = today.isoformat()
            row.fee_paise = fee
            row.version += 1
            demand = ServiceDemand(
                service=Service.TRADE.value,
                account_uuid=row.uuid,
                period=row.licence_year,
                fy=row.licence_year,
                head=FEE_HEAD,
                amount_paise=fee,
                due_date=(today + timedelta(days=tariff.due_days)).isoformat(),
                ward_no=row.ward_no,
                detail=self._fee_detail(row, tariff)[:200],
                created_at=self._clock.now_utc(),
            )
            session.add(demand)
            session.flush()
            self._changed(session, actor, row, before, "approve", before["status"], remarks)
            demand_uuid = service_demand_uuid(Service.TRADE.value, row.uuid, row.licence_year, FEE_HEAD)
            queue_record(session, self._outbox, "service_demand", demand_uuid, record_fields(demand))
            return self._view(session, row, today, with_events=True)

    def reject(self, actor: Actor, licence_uuid: str, reason: str) -> LicenceView:
        require(actor, Permission.APPROVE_TRADE_LICENCE)
        cleaned = clean_text(reason)
        if not cleaned:
            raise ValidationError("reason: a rejection needs the reason (it is told to the applicant)")
        today = self.today()
        with self._db.write() as session:
            row = self._get(session, licence_uuid)
            self._require_status(row, OPEN_STATUSES, "reject")
            before = record_fields(row)
            row.status = "REJECTED"
            row.decided_on = today.isoformat()
            row.rejection_reason = cleaned
            row.version += 1
            session.flush()
            self._changed(session, actor, row, before, "reject", before["status"], cleaned)
            return self._view(session, row, today, with_events=True)

    def issue(self, actor: Actor, licence_uuid: str, remarks: str = "") -> LicenceView:
        """Issue an approved licence whose fee is paid: number TL/<FY>/<seq>, valid to 31 March."""
        require(actor, Permission.APPROVE_TRADE_LICENCE)
        today = self.today()
        with self._db.write() as session:
            row = self._get(session, licence_uuid)
            self._require_status(row, ("APPROVED",), "issue")
            paid = self._paid(session, [row.uuid]).get((row.uuid, row.licence_year), 0)
            if paid < row.fee_paise:
                raise ValidationError(
                    f"{row.application_no}: the licence fee is not paid yet "
                    f"(₹{(row.fee_paise - paid) // 100:,} due; collect it at the counter first)"
                )
            before = record_fields(row)
            row.status = "ISSUED"
            row.licence_no = self._next_number(session, "TL", TradeLicence.licence_no, today)
            row.issued_on = today.isoformat()
            row.valid_to = FinancialYear.parse(row.licence_year).last_day.isoformat()
            row.version += 1
            session.flush()
            self._changed(session, actor, row, before, "issue", "APPROVED", remarks)
            return self._view(session, row, today, with_events=True)

    def expire_due(self, actor: Actor | None = None, today: date | None = None) -> int:
        """Mark ISSUED licences past their validity EXPIRED (status, event, audit, sync). Returns how many."""
        day = today or self.today()
        with self._db.write() as session:
            rows = session.scalars(
                select(TradeLicence).where(
                    TradeLicence.ulb_code == self._ulb,
                    TradeLicence.status == "ISSUED",
                    TradeLicence.valid_to != "",
                    TradeLicence.valid_to < day.isoformat(),
                )
            ).all()
            for row in rows:
                before = record_fields(row)
                row.status = "EXPIRED"
                row.version += 1
                session.flush()
                self._changed(
                    session, actor, row, before, "expire", "ISSUED", f"valid to {format_date(_d(row.valid_to))}"
                )
            return len(rows)

    # --- reading -----------------------------------------------------------------------------

    def get(self, licence_uuid: str, on: date | None = None) -> LicenceView:
        with self._db.read() as session:
            return self._view(session, self._get(session, licence_uuid), on or self.today(), with_events=True)

    def find(self, number: str) -> LicenceView:
        """By application number or licence number."""
        wanted = clean_text(number).upper()
        with self._db.read() as session:
            row = session.scalars(
                select(TradeLicence).where(
                    TradeLicence.ulb_code == self._ulb,
                    or_(TradeLicence.application_no == wanted, TradeLicence.licence_no == wanted),
                )
            ).first()
            if row is None:
                raise NotFoundError(f"no trade licence or application numbered {wanted} in {self._ulb}")
            return self._view(session, row, self.today(), with_events=True)

    def licences(
        self,
        status: str | None = None,
        text: str = "",
        ward_no: int | None = None,
        deemed_only: bool = False,
        on: date | None = None,
        limit: int = 2000,
    ) -> list[LicenceView]:
        """Applications and licences, newest first. `status` matches what people see (an issued
        licence past validity is EXPIRED); `text` finds numbers, trade and owner names."""
        day = on or self.today()
        query = select(TradeLicence).where(TradeLicence.ulb_code == self._ulb)
        if ward_no is not None:
            query = query.where(TradeLicence.ward_no == ward_no)
        if status in ("ISSUED", "EXPIRED"):
            query = query.where(TradeLicence.status.in_(("ISSUED", "EXPIRED")))
        elif status:
            query = query.where(TradeLicence.status == status)
        if deemed_only:
            query = query.where(TradeLicence.status.in_(OPEN_STATUSES))
        needle = clean_text(text)
        if needle:
            like = f"%{needle}%"
            query = query.where(
                or_(
                    TradeLicence.application_no.ilike(like),
                    TradeLicence.licence_no.ilike(like),
                    TradeLicence.trade_name.ilike(like),
                    TradeLicence.trade_name_hi.like(like),
                    TradeLicence.owner_name_en.ilike(like),
                    TradeLicence.owner_name_hi.like(like),
                    TradeLicence.mobile.like(like),
                )
            )
        query = query.order_by(TradeLicence.applied_on.desc(), TradeLicence.application_no.desc()).limit(limit)
        with self._db.read() as session:
            rows = session.scalars(query).all()
            views = self._views(session, rows, day)
        if status:
            views = [v for v in views if v.display_status == status]
        if deemed_only:
            views = [v for v in views if v.deemed_granted]
        return views

    def renewal_due(self, on: date | None = None) -> list[LicenceView]:
        """Issued licences within renewal_notice_days of expiry, and expired ones, with no renewal
        applied for (a rejected renewal does not count), soonest expiry first."""
        day = on or self.today()
        with self._db.read() as session:
            renewed = (
                select(TradeLicence.previous_licence_uuid)
                .where(TradeLicence.previous_licence_uuid.is_not(None), TradeLicence.status != "REJECTED")
                .scalar_subquery()
            )
            rows = session.scalars(
                select(TradeLicence)
                .where(
                    TradeLicence.ulb_code == self._ulb,
                    TradeLicence.status.in_(("ISSUED", "EXPIRED")),
                    TradeLicence.uuid.not_in(renewed),
                )
                .order_by(TradeLicence.valid_to, TradeLicence.licence_no)
            ).all()
            due = []
            for row in rows:
                notice = self._days(row.licence_year)[1]
                if row.status == "EXPIRED" or _d(row.valid_to) - day <= timedelta(days=notice):
                    due.append(row)
            return self._views(session, due, day)

    def certificate(self, licence_uuid: str) -> LicenceCertificate:
        with self._db.read() as session:
            row = self._get(session, licence_uuid)
            if row.status not in ("ISSUED", "EXPIRED") or not row.licence_no:
                raise ValidationError(
                    f"{row.application_no} is {row.status}: a certificate is printed only once issued"
                )
            view = self._view(session, row, self.today(), with_events=True)
            ulb = self._ulb_row(session)
            assert view.valid_to is not None
            return LicenceCertificate(
                ulb_name_en=ulb.name_en,
                ulb_name_hi=ulb.name_hi,
                licence=view,
                verification_text=licence_verification_text(self._key, row.licence_no, row.ulb_code, view.valid_to),
            )

    def verify_code(self, text: str, on: date | None = None) -> LicenceVerification:
        """What a scanned certificate QR says, checked against this device's key and its register."""
        check = check_licence_code(self._key, text)
        if check.valid_to is None:
            return LicenceVerification(False, "MALFORMED", "not a Nikay licence code (expected NKYL1|…|…|…|…)")
        number = check.licence_no
        if not check.genuine:
            # The key is this device's (as for receipts): a code printed on another PC reads as not made here.
            message = f"the code of {number} was not made by this device (or was altered)"
            return LicenceVerification(False, "FORGED", message)
        if check.ulb_code != self._ulb:
            return LicenceVerification(True, "OTHER_ULB", f"{number}: a genuine code of ULB {check.ulb_code}")
        try:
            view = self.find(number)
        except NotFoundError:
            return LicenceVerification(True, "NOT_ON_THIS_DEVICE", f"{number}: genuine code, but not in this register")
        day = on or self.today()
        if view.valid_to != check.valid_to:
            message = f"{number}: the code does not match the licence in the register"
            return LicenceVerification(True, "MISMATCH", message)
        if view.valid_to < day or view.status == "EXPIRED":
            return LicenceVerification(
                True, "EXPIRED", f"{number}: genuine, but expired on {format_date(view.valid_to)}", view
            )
        return LicenceVerification(
            True, "GENUINE", f"{number}: genuine and in force until {format_date(view.valid_to)}", view
        )

    def certificate_pdf(self, licence_uuid: str) -> bytes:
        from app.reports.licence_pdf import licence_certificate_pdf

        return licence_certificate_pdf(self.certificate(licence_uuid))

    # --- helpers -----------------------------------------------------------------------------

    def _ulb_row(self, session: Session) -> Ulb:
        ulb = session.get(Ulb, self._ulb)
        if ulb is None:
            raise NotFoundError(f"ULB {self._ulb} is not set up on this device")
        return ulb

    def _get(self, session: Session, licence_uuid: str) -> TradeLicence:
        row = session.get(TradeLicence, licence_uuid)
        if row is None or row.ulb_code != self._ulb:
            raise NotFoundError(f"no trade licence with id {licence_uuid}")
        return row

    @staticmethod
    def _require_status(row: TradeLicence, allowed: tuple[str, ...], action: str) -> None:
        if row.status not in allowed:
            raise ValidationError(
                f"{row.application_no} is {row.status}: cannot {action.replace('_', ' ')} "
                f"(only from {' or '.join(allowed)})"
            )

    def _move(
        self, actor: Actor, licence_uuid: str, allowed: tuple[str, ...], to: str, action: str, remarks: str
    ) -> LicenceView:
        today = self.today()
        with self._db.write() as session:
            row = self._get(session, licence_uuid)
            self._require_status(row, allowed, action)
            before = record_fields(row)
            row.status = to
            row.version += 1
            session.flush()
            self._changed(session, actor, row, before, action, before["status"], clean_text(remarks))
            return self._view(session, row, today, with_events=True)

    def _changed(
        self,
        session: Session,
        actor: Actor | None,
        row: TradeLicence,
        before: dict[str, Any],
        action: str,
        from_status: str,
        remarks: str,
    ) -> None:
        """The audit entry, the licence's sync record and the event of one step (parent first on the wire)."""
        after = record_fields(row)
        self._audit.record(session, actor, f"trade_licence.{action}", _ENTITY, row.uuid, before, after)
        queue_record_edit(session, self._outbox, _ENTITY, row, before)
        self._event(session, actor, row, from_status, row.status, action, remarks)

    def _event(
        self,
        session: Session,
        actor: Actor | None,
        row: TradeLicence,
        from_status: str,
        to_status: str,
        action: str,
        remarks: str,
    ) -> None:
        event = TradeLicenceEvent(
            uuid=new_uuid(),
            licence_uuid=row.uuid,
            from_status=from_status,
            to_status=to_status,
            action=action,
            remarks=remarks,
            user_id=actor.user_id if actor else None,
            at=self._clock.now_utc(),
        )
        session.add(event)
        session.flush()
        queue_record(session, self._outbox, "trade_licence_event", event.uuid, record_fields(event))

    def _next_number(self, session: Session, prefix: str, column: Any, today: date) -> str:
        """<prefix>/<FY>/<this counter>-<5-digit seq>: one series per prefix, FY and counter."""
        stem = f"{prefix}/{FinancialYear.of(today).code}/{device_tag(self._device_no)}-"
        return next_serial(session, column, stem, TradeLicence.ulb_code == self._ulb)

    def _clean(self, data: LicenceInput) -> LicenceInput:
        return replace(
            data,
            trade_name=clean_text(data.trade_name),
            trade_name_hi=clean_text(data.trade_name_hi),
            owner_name_en=clean_text(data.owner_name_en),
            owner_name_hi=clean_text(data.owner_name_hi),
            mobile=re.sub(r"[\s\-]", "", data.mobile),
            address_en=clean_text(data.address_en),
            address_hi=clean_text(data.address_hi),
            trade_kind=clean_text(data.trade_kind).upper(),
            application_type=clean_text(data.application_type).upper(),
            property_uuid=data.property_uuid or None,
            previous_licence_uuid=data.previous_licence_uuid or None,
        )

    def _check(self, session: Session, data: LicenceInput, today: date) -> str:
        """Every problem at once, each naming its field; returns the licence year applied for."""
        problems: list[str] = []
        if not data.trade_name:
            problems.append("trade_name: is empty")
        elif len(data.trade_name) > 200:
            problems.append("trade_name: is longer than 200 characters")
        if data.trade_name_hi and not has_devanagari(data.trade_name_hi):
            problems.append(f"trade_name_hi: {data.trade_name_hi!r} is not in Devanagari")
        if not data.owner_name_en and not data.owner_name_hi:
            problems.append("owner_name: needs the owner's name in English or Hindi")
        if data.owner_name_en and has_devanagari(data.owner_name_en):
            problems.append(f"owner_name_en: {data.owner_name_en!r} is in Devanagari; put it in owner_name_hi")
        if data.owner_name_hi and not has_devanagari(data.owner_name_hi):
            problems.append(f"owner_name_hi: {data.owner_name_hi!r} is not in Devanagari")
        if data.mobile and not MOBILE_PATTERN.match(data.mobile):
            problems.append(f"mobile: {data.mobile!r} is not a 10-digit mobile number starting with 6-9")
        if len(data.address_en) > 300 or len(data.address_hi) > 300:
            problems.append("address: is longer than 300 characters")
        ward = session.scalar(select(Ward.id).where(Ward.ulb_code == self._ulb, Ward.number == data.ward_no))
        if ward is None:
            problems.append(f"ward_no: ward {data.ward_no} does not exist in {self._ulb}")
        if data.trade_kind not in TRADE_KINDS:
            problems.append(f"trade_kind: unknown kind {data.trade_kind!r} (one of {', '.join(TRADE_KINDS)})")
        area = _decimal(data.area_sqft, "area_sqft", problems)
        width = _decimal(data.road_width_m, "road_width_m", problems)
        if data.trade_kind == "SHOP":
            if area is None or area <= 0:
                problems.append("area_sqft: a shop needs its trade area in sq ft (more than 0)")
            if width is None or width <= 0:
                problems.append("road_width_m: a shop needs the width of the road in front in metres (more than 0)")
        if area is not None and area > MAX_AREA_SQFT:
            problems.append(f"area_sqft: {area} is more than {MAX_AREA_SQFT:,} sq ft")
        if width is not None and width > MAX_ROAD_WIDTH_M:
            problems.append(f"road_width_m: {width} m is more than {MAX_ROAD_WIDTH_M} m")
        if data.property_uuid is not None:
            prop = session.get(Property, data.property_uuid)
            if prop is None or prop.ulb_code != self._ulb:
                problems.append(f"property: no property with id {data.property_uuid} in {self._ulb}")
        licence_year = FinancialYear.of(today).code
        if data.application_type == "NEW":
            if data.previous_licence_uuid is not None:
                problems.append("previous_licence: only a renewal names a previous licence")
        elif data.application_type == "RENEWAL":
            licence_year = self._check_renewal(session, data, today, problems) or licence_year
        else:
            problems.append(f"application_type: {data.application_type!r} is not NEW or RENEWAL")
        if problems:
            raise ValidationError("; ".join(problems))
        return licence_year

    def _check_renewal(self, session: Session, data: LicenceInput, today: date, problems: list[str]) -> str | None:
        if data.previous_licence_uuid is None:
            problems.append("previous_licence: a renewal needs the licence it renews")
            return None
        previous = session.get(TradeLicence, data.previous_licence_uuid)
        if previous is None or previous.ulb_code != self._ulb:
            problems.append(f"previous_licence: no licence with id {data.previous_licence_uuid}")
            return None
        if previous.status not in ("ISSUED", "EXPIRED"):
            problems.append(
                f"previous_licence: {previous.application_no} is {previous.status}; only an issued or expired "
                "licence can be renewed"
            )
            return None
        pending = session.scalar(
            select(TradeLicence.application_no).where(
                TradeLicence.previous_licence_uuid == previous.uuid, TradeLicence.status != "REJECTED"
            )
        )
        if pending is not None:
            problems.append(f"previous_licence: {previous.licence_no} already has renewal application {pending}")
            return None
        # The year after the licence renewed, or this year when it lapsed long ago.
        return max(FinancialYear.parse(previous.licence_year).next(), FinancialYear.of(today)).code

    def _fee_detail(self, row: TradeLicence, tariff: TradeLicenceTariff) -> str:
        if row.trade_kind == "SHOP" and row.area_sqft is not None and row.road_width_m is not None:
            band = road_band(Decimal(row.road_width_m))
            return f"{row.licence_year}: {Decimal(row.area_sqft)} sq ft, road {Decimal(row.road_width_m)} m ({band})"
        return f"{row.licence_year}: {row.trade_kind} (flat)"

    def _deemed_on(self, row: TradeLicence, day: date) -> date | None:
        """The day an undecided application became deemed granted (the day after deemed_grant_days), if it has."""
        if row.status not in OPEN_STATUSES:
            return None
        deemed = date.fromisoformat(row.applied_on) + timedelta(days=self._days(row.licence_year)[0] + 1)
        return deemed if day >= deemed else None

    @staticmethod
    def _paid(session: Session, licence_uuids: list[str]) -> dict[tuple[str, str], int]:
        """(licence uuid, period) -> fee paid by receipts not cancelled: this counter's and those made
        at other counters that came down with sync (a fee paid at counter A lets counter B issue)."""
        return {
            (account, period): amount
            for (account, period, head), amount in service_paid(session, Service.TRADE.value, licence_uuids).items()
            if head == FEE_HEAD
        }

    @staticmethod
    def _fee_receipt(session: Session, row: TradeLicence) -> tuple[str, date | None]:
        found = session.execute(
            select(Receipt.receipt_no, Receipt.business_date)
            .join(ReceiptLine, ReceiptLine.receipt_uuid == Receipt.uuid)
            .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
            .where(
                ReceiptLine.service == Service.TRADE.value,
                ReceiptLine.account == row.uuid,
                ReceiptLine.period == row.licence_year,
                ReceiptLine.head == FEE_HEAD,
                ReceiptCancellation.uuid.is_(None),
            )
            .order_by(Receipt.collected_at.desc())
            .limit(1)
        ).first()
        if found is None:  # paid at another counter? Its receipt came down with sync.
            found = session.execute(
                select(RemotePayment.receipt_no, RemotePayment.business_date)
                .join(RemotePaymentLine, RemotePaymentLine.payment_uuid == RemotePayment.uuid)
                .outerjoin(RemotePaymentCancellation, RemotePaymentCancellation.receipt_uuid == RemotePayment.uuid)
                .where(
                    RemotePaymentLine.service == Service.TRADE.value,
                    RemotePaymentLine.account == row.uuid,
                    RemotePaymentLine.period == row.licence_year,
                    RemotePaymentLine.head == FEE_HEAD,
                    RemotePaymentCancellation.receipt_uuid.is_(None),
                )
                .order_by(RemotePayment.business_date.desc())
                .limit(1)
            ).first()
        if found is None:
            return "", None
        return str(found.receipt_no), date.fromisoformat(found.business_date)

    def _view(self, session: Session, row: TradeLicence, day: date, with_events: bool = False) -> LicenceView:
        return self._views(session, [row], day, with_events)[0]

    def _views(self, session: Session, rows: Any, day: date, with_events: bool = False) -> list[LicenceView]:
        rows = list(rows)
        paid = self._paid(session, [r.uuid for r in rows])
        linked = {r.property_uuid for r in rows if r.property_uuid}
        property_ids: dict[str, str] = {}
        if linked:
            found = session.execute(select(Property.uuid, Property.property_id).where(Property.uuid.in_(linked)))
            property_ids = {uuid: property_id for uuid, property_id in found}
        views = []
        for row in rows:
            events: tuple[LicenceEvent, ...] = ()
            receipt_no, receipt_date = "", None
            if with_events:
                events = tuple(
                    LicenceEvent(e.from_status, e.to_status, e.action, e.remarks, username or "", e.at)
                    for e, username in session.execute(
                        select(TradeLicenceEvent, AppUser.username)
                        .outerjoin(AppUser, AppUser.id == TradeLicenceEvent.user_id)
                        .where(TradeLicenceEvent.licence_uuid == row.uuid)
                        .order_by(TradeLicenceEvent.at, TradeLicenceEvent.uuid)
                    )
                )
                receipt_no, receipt_date = self._fee_receipt(session, row)
            valid_to = _iso(row.valid_to)
            width = None if row.road_width_m is None else Decimal(row.road_width_m)
            views.append(
                LicenceView(
                    uuid=row.uuid,
                    ulb_code=row.ulb_code,
                    application_no=row.application_no,
                    licence_no=row.licence_no or "",
                    application_type=row.application_type,
                    previous_licence_uuid=row.previous_licence_uuid,
                    property_uuid=row.property_uuid,
                    property_id=property_ids.get(row.property_uuid or "", ""),
                    trade_name=row.trade_name,
                    trade_name_hi=row.trade_name_hi,
                    owner_name_en=row.owner_name_en,
                    owner_name_hi=row.owner_name_hi,
                    mobile=row.mobile,
                    address_en=row.address_en,
                    address_hi=row.address_hi,
                    ward_no=row.ward_no,
                    trade_kind=row.trade_kind,
                    road_width_m=width,
                    area_sqft=None if row.area_sqft is None else Decimal(row.area_sqft),
                    road_band=road_band(width) if row.trade_kind == "SHOP" and width is not None else "",
                    licence_year=row.licence_year,
                    status=row.status,
                    applied_on=date.fromisoformat(row.applied_on),
                    decided_on=_iso(row.decided_on),
                    issued_on=_iso(row.issued_on),
                    valid_to=valid_to,
                    rejection_reason=row.rejection_reason,
                    fee_paise=row.fee_paise,
                    fee_paid_paise=paid.get((row.uuid, row.licence_year), 0),
                    fee_receipt_no=receipt_no,
                    fee_receipt_date=receipt_date,
                    deemed_granted_on=self._deemed_on(row, day),
                    expired=row.status == "EXPIRED"
                    or (row.status == "ISSUED" and valid_to is not None and valid_to < day),
                    version=row.version,
                    events=events,
                )
            )
        return views


def _d(text: str) -> date:
    return date.fromisoformat(text)
