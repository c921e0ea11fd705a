"""Solid-waste user-charge payers and their monthly demand.

A payer is a household (charged by the built-up-area slab of the SWM tariff) or a flat category
(shop, eatery, hotel...). It may be linked to a property and billed with it, or be its own payer (a
shop in a rented property). Street vendors and BPL households are 0-rated: registered, never billed.

Every change is permission-checked, audited and queued for the central (app.replica.records) in ONE
transaction; bad input raises ValidationError naming the field and saves nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.billing.periods import parse_period
from app.core.clock import Clock, business_date
from app.core.fy import FinancialYear
from app.core.ids import device_tag, new_uuid
from app.core.text import clean_text, has_devanagari
from app.db import Database
from app.db.base import table_of
from app.db.serials import next_serial
from app.demand.dto import Head, Service
from app.demand.models import ServiceDemand
from app.errors import ConflictError, NotFoundError, ValidationError
from app.masters.models import Ward
from app.masters.tariffs import SwmTariff, TariffBook, TariffError
from app.outbox.service import Outbox
from app.property.models import Property
from app.replica.records import queue_record, queue_record_edit, record_fields, service_demand_uuid
from app.security.roles import Actor, Permission, require
from app.swm.charges import check_category, describe, monthly_charge_paise
from app.swm.dto import GenerationResult, PayerInput, PayerView
from app.swm.models import SwmPayer

MOBILE_PATTERN = re.compile(r"^[6-9]\d{9}$")
MAX_SQFT = Decimal(10_000_000)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SD = table_of(ServiceDemand)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _view(payer: SwmPayer, property_id: str, monthly: int | None) -> PayerView:
    return PayerView(
        uuid=payer.uuid,
        payer_id=payer.payer_id,
        name_en=payer.name_en,
        name_hi=payer.name_hi,
        mobile=payer.mobile,
        address_en=payer.address_en,
        address_hi=payer.address_hi,
        ward_no=payer.ward_no,
        category=payer.category,
        built_up_sqft=None if payer.built_up_sqft is None else Decimal(payer.built_up_sqft),
        property_uuid=payer.property_uuid,
        property_id=property_id,
        billed_with_property=payer.billed_with_property,
        status=payer.status,
        start_month=payer.start_month,
        version=payer.version,
        monthly_paise=monthly,
    )


def _audit_form(payer: SwmPayer) -> dict[str, Any]:
    fields = record_fields(payer)
    fields["version"] = payer.version
    return fields


class SwmService:
    """Built once in the composition root."""

    def __init__(
        self,
        db: Database,
        tariffs: TariffBook,
        audit: AuditLog,
        outbox: Outbox,
        clock: Clock,
        ulb_code: str,
        device_no: int = 1,
    ) -> None:
        self._db = db
        self._tariffs = tariffs
        self._audit = audit
        self._outbox = outbox
        self._clock = clock
        self._ulb = ulb_code
        self._device_no = device_no

    @property
    def ulb_code(self) -> str:
        return self._ulb

    def today(self) -> date:
        return business_date(self._clock.now_utc())

    # --- tariff

    def tariff(self, fy: str, on: date | None = None) -> SwmTariff:
        """The SWM tariff of this ULB for `fy`; a missing one is a ValidationError naming the file."""
        try:
            return self._tariffs.swm(self._ulb, fy, on)
        except TariffError:
            raise ValidationError(
                f"no solid-waste user-charge tariff for ULB {self._ulb}, FY {fy} "
                f"(resources/tariffs/{self._ulb}/swm-{fy}.toml, or one from the central)"
            ) from None

    def categories(self, on: date | None = None) -> tuple[tuple[str, int | None], ...]:
        """(category, monthly paise) of the tariff in force on `on` (today); households have slabs: None."""
        day = on or self.today()
        tariff = self.tariff(FinancialYear.of(day).code, day)
        rows: list[tuple[str, int | None]] = [("HOUSEHOLD", None)]
        rows.extend((key, monthly_charge_paise(tariff, key, None)) for key in tariff.categories)
        return tuple(rows)

    def _monthly_today(self, category: str, sqft: Decimal | None) -> int | None:
        day = self.today()
        fy = FinancialYear.of(day).code
        if not self._tariffs.has_service("swm", self._ulb, fy):
            return None
        try:
            return monthly_charge_paise(self._tariffs.swm(self._ulb, fy, day), category, sqft)
        except ValidationError:
            return None  # a category the current tariff dropped: shown as unknown, not an error

    # --- reading

    def get(self, uuid: str) -> PayerView:
        with self._db.read() as session:
            return self._view_of(session, self._row(session, uuid))

    def find(self, payer_id: str) -> PayerView:
        wanted = clean_text(payer_id).upper()
        with self._db.read() as session:
            row = session.scalars(
                select(SwmPayer).where(SwmPayer.ulb_code == self._ulb, SwmPayer.payer_id == wanted)
            ).first()
            if row is None:
                raise NotFoundError(f"no user-charge payer {wanted} in {self._ulb}")
            return self._view_of(session, row)

    def search(self, text: str = "", ward_no: int | None = None, limit: int = 200) -> list[PayerView]:
        """Payers whose ID, name (English or Hindi), mobile or linked property ID contain `text`."""
        needle = clean_text(text)
        query = (
            select(SwmPayer, Property.property_id)
            .outerjoin(Property, Property.uuid == SwmPayer.property_uuid)
            .where(SwmPayer.ulb_code == self._ulb)
        )
        if needle:
            like = f"%{needle}%"
            query = query.where(
                or_(
                    SwmPayer.payer_id.ilike(f"%{needle.upper()}%"),
                    SwmPayer.name_en.ilike(like),
                    SwmPayer.name_hi.like(like),
                    SwmPayer.mobile.like(like),
                    Property.property_id.ilike(f"%{needle.upper()}%"),
                )
            )
        if ward_no is not None:
            query = query.where(SwmPayer.ward_no == ward_no)
        query = query.order_by(SwmPayer.payer_id).limit(limit)
        with self._db.read() as session:
            return [
                _view(row, property_id or "", self._monthly_today(row.category, row.built_up_sqft))
                for row, property_id in session.execute(query)
            ]

    def payers_of_property(self, property_uuid: str) -> list[PayerView]:
        with self._db.read() as session:
            rows = session.scalars(
                select(SwmPayer).where(SwmPayer.property_uuid == property_uuid).order_by(SwmPayer.payer_id)
            )
            return [self._view_of(session, row) for row in rows]

    # --- changing

    def register(self, actor: Actor, data: PayerInput) -> PayerView:
        require(actor, Permission.MANAGE_SWM)
        cleaned = self._clean(data)
        with self._db.write() as session:
            self._check(session, cleaned)
            payer = SwmPayer(
                uuid=new_uuid(),
                ulb_code=self._ulb,
                payer_id=self._next_payer_id(session, cleaned.ward_no),
                created_at=self._clock.now_utc(),
                status="ACTIVE",
                version=1,
                server_version=0,
            )
            self._apply(payer, cleaned)
            session.add(payer)
            session.flush()
            self._audit.record(session, actor, "swm.payer.create", "swm_payer", payer.uuid, None, _audit_form(payer))
            queue_record(session, self._outbox, "swm_payer", payer.uuid, record_fields(payer))
            return self._view_of(session, payer)

    def update(self, actor: Actor, uuid: str, data: PayerInput, expected_version: int) -> PayerView:
        """Change a payer's facts. `expected_version` is the version the screen showed: a payer
        changed meanwhile raises ConflictError instead of being overwritten."""
        require(actor, Permission.MANAGE_SWM)
        cleaned = self._clean(data)
        with self._db.write() as session:
            payer = self._row(session, uuid)
            self._check_version(payer, expected_version)
            if payer.status != "ACTIVE":
                raise ValidationError(f"payer {payer.payer_id} is closed; it cannot be edited")
            self._check(session, cleaned)
            before = record_fields(payer)
            audit_before = _audit_form(payer)
            self._apply(payer, cleaned)
            payer.version += 1
            session.flush()
            self._audit.record(session, actor, "swm.payer.update", "swm_payer", uuid, audit_before, _audit_form(payer))
            self._queue_change(session, payer, before)
            return self._view_of(session, payer)

    def close(self, actor: Actor, uuid: str, expected_version: int) -> PayerView:
        """No month after this one is charged (this month is: end_month); what was raised stays due, and
        a run for an earlier month made later still charges the payer. The payer stays on record."""
        require(actor, Permission.MANAGE_SWM)
        with self._db.write() as session:
            payer = self._row(session, uuid)
            self._check_version(payer, expected_version)
            if payer.status == "CLOSED":
                raise ValidationError(f"payer {payer.payer_id} is closed already")
            before = record_fields(payer)
            audit_before = _audit_form(payer)
            payer.status = "CLOSED"
            payer.end_month = max(month_of(self.today()), payer.start_month)
            payer.version += 1
            session.flush()
            self._audit.record(session, actor, "swm.payer.close", "swm_payer", uuid, audit_before, _audit_form(payer))
            self._queue_change(session, payer, before)
            return self._view_of(session, payer)

    def generate_month(self, actor: Actor, month: str) -> GenerationResult:
        """Raise `month`'s SWM_USER_CHARGE ("2026-11") for every active payer charged from that month
        or earlier. Idempotent: a payer with the month's demand already is left alone. 0-rated payers
        raise nothing. One transaction: the demands, one audit entry, one outbox record per demand."""
        if not actor.can(Permission.GENERATE_DEMAND):  # the commissioner raises demand; so may SWM staff
            require(actor, Permission.MANAGE_SWM)
        if not _MONTH.match(month.strip()):
            raise ValidationError(f"month: {month!r} is not a month (expected e.g. 2026-11)")
        month = month.strip()
        period = parse_period(month)
        fy = period.fy_code
        tariff = self.tariff(fy, period.first_day)
        due_date = (period.last_day + timedelta(days=tariff.due_days)).isoformat()
        with self._db.write() as session:
            payers = session.execute(
                select(SwmPayer.uuid, SwmPayer.ward_no, SwmPayer.category, SwmPayer.built_up_sqft).where(
                    SwmPayer.ulb_code == self._ulb,
                    SwmPayer.start_month <= month,
                    or_(SwmPayer.status == "ACTIVE", SwmPayer.end_month >= month),
                )
            ).all()
            have = set(
                session.scalars(
                    select(_SD.c.account_uuid).where(
                        _SD.c.service == Service.SWM.value,
                        _SD.c.period == month,
                        _SD.c.head == Head.SWM_USER_CHARGE.value,
                    )
                )
            )
            now = self._clock.now_utc()
            rows: list[dict[str, Any]] = []
            already = exempt = 0
            cache: dict[tuple[str, Decimal | None], tuple[int, str]] = {}
            for uuid, ward_no, category, sqft in payers:
                if uuid in have:
                    already += 1
                    continue
                key = (category, None if sqft is None else Decimal(sqft))
                if key not in cache:
                    try:
                        cache[key] = (monthly_charge_paise(tariff, *key), describe(tariff, *key))
                    except ValidationError as error:
                        raise ValidationError(f"payer {uuid}: {error} (tariff swm-{fy})") from None
                amount, detail = cache[key]
                if amount == 0:
                    exempt += 1
                    continue
                rows.append(
                    {
                        "service": Service.SWM.value,
                        "account_uuid": uuid,
                        "period": month,
                        "fy": fy,
                        "head": Head.SWM_USER_CHARGE.value,
                        "amount_paise": amount,
                        "due_date": due_date,
                        "ward_no": ward_no,
                        "detail": detail,
                        "created_at": now,
                    }
                )
            if rows:
                session.execute(_SD.insert(), rows)
                for row in rows:
                    fields = {k: v for k, v in row.items() if k != "created_at"}
                    demand_uuid = service_demand_uuid(row["service"], row["account_uuid"], month, row["head"])
                    queue_record(session, self._outbox, "service_demand", demand_uuid, fields)
            total = sum(int(row["amount_paise"]) for row in rows)
            result = GenerationResult(
                month=month, fy=fy, raised=len(rows), amount_paise=total, already=already, exempt=exempt
            )
            self._audit.record(
                session, actor, "swm.demand.generate", "service_demand", f"SWM/{month}", None, asdict(result)
            )
            return result

    # --- helpers

    def _row(self, session: Session, uuid: str) -> SwmPayer:
        payer = session.get(SwmPayer, uuid)
        if payer is None or payer.ulb_code != self._ulb:
            raise NotFoundError(f"no user-charge payer with id {uuid}")
        return payer

    def _view_of(self, session: Session, payer: SwmPayer) -> PayerView:
        property_id = ""
        if payer.property_uuid:
            property_id = session.scalar(select(Property.property_id).where(Property.uuid == payer.property_uuid)) or ""
        return _view(payer, property_id, self._monthly_today(payer.category, payer.built_up_sqft))

    @staticmethod
    def _check_version(payer: SwmPayer, expected_version: int) -> None:
        if payer.version != expected_version:
            raise ConflictError(
                f"payer {payer.payer_id} was changed by someone else (version {payer.version}, you saw "
                f"{expected_version}); reopen it and edit again"
            )

    def _queue_change(self, session: Session, payer: SwmPayer, before: dict[str, Any]) -> None:
        queue_record_edit(session, self._outbox, "swm_payer", payer, before)

    def _clean(self, data: PayerInput) -> PayerInput:
        start = clean_text(data.start_month) or month_of(self.today())
        return replace(
            data,
            name_en=clean_text(data.name_en),
            name_hi=clean_text(data.name_hi),
            mobile=re.sub(r"[\s\-]", "", data.mobile),
            address_en=clean_text(data.address_en),
            address_hi=clean_text(data.address_hi),
            category=clean_text(data.category).upper().replace(" ", "_"),
            property_uuid=data.property_uuid or None,
            start_month=start,
        )

    def _check(self, session: Session, data: PayerInput) -> None:
        """Every problem at once, each naming its field."""
        problems: list[str] = []
        if not data.name_en and not data.name_hi:
            problems.append("name: needs a name in English or Hindi")
        if data.name_en and has_devanagari(data.name_en):
            problems.append(f"name_en: {data.name_en!r} is in Devanagari; put it in name_hi")
        if data.name_hi and not has_devanagari(data.name_hi):
            problems.append(f"name_hi: {data.name_hi!r} is not in Devanagari")
        if len(data.name_en) > 200 or len(data.name_hi) > 200:
            problems.append("name: longer than 200 characters")
        if len(data.address_en) > 300 or len(data.address_hi) > 300:
            problems.append("address: longer than 300 characters")
        if data.mobile and not MOBILE_PATTERN.match(data.mobile):
            problems.append(f"mobile: {data.mobile!r} is not a 10-digit mobile number starting with 6-9")
        ward = session.scalar(select(Ward.id).where(Ward.ulb_code == self._ulb, Ward.number == data.ward_no))
        if ward is None:
            problems.append(f"ward_no: ward {data.ward_no} does not exist in {self._ulb}")
        if data.built_up_sqft is not None:
            if data.built_up_sqft <= 0 or data.built_up_sqft > MAX_SQFT:
                problems.append(
                    f"built_up_sqft: must be more than 0 and at most {MAX_SQFT:,} sq ft, got {data.built_up_sqft}"
                )
            elif data.built_up_sqft != data.built_up_sqft.quantize(Decimal("0.01")):
                problems.append(f"built_up_sqft: has more than 2 decimals: {data.built_up_sqft}")
        if not _MONTH.match(data.start_month):
            problems.append(f"start_month: {data.start_month!r} is not a month (expected e.g. 2026-04)")
        else:
            fy = parse_period(data.start_month).fy_code
            try:
                check_category(self.tariff(fy), data.category, data.built_up_sqft)
            except ValidationError as error:
                problems.append(str(error))
        if data.property_uuid is not None:
            owner_ulb = session.scalar(select(Property.ulb_code).where(Property.uuid == data.property_uuid))
            if owner_ulb != self._ulb:
                problems.append(f"property: no property with id {data.property_uuid} in {self._ulb}")
        elif data.billed_with_property:
            problems.append("billed_with_property: only a payer linked to a property can be billed with it")
        if problems:
            raise ValidationError("; ".join(problems))

    @staticmethod
    def _apply(payer: SwmPayer, data: PayerInput) -> None:
        payer.name_en = data.name_en
        payer.name_hi = data.name_hi
        payer.mobile = data.mobile
        payer.address_en = data.address_en
        payer.address_hi = data.address_hi
        payer.ward_no = data.ward_no
        payer.category = data.category
        payer.built_up_sqft = data.built_up_sqft
        payer.property_uuid = data.property_uuid
        payer.billed_with_property = data.billed_with_property
        payer.start_month = data.start_month

    def _next_payer_id(self, session: Session, ward_no: int) -> str:
        """UC-<ward, 2 digits>-<this counter>-<5-digit sequence of the ward on this counter>."""
        stem = f"UC-{ward_no:02d}-{device_tag(self._device_no)}-"
        return next_serial(session, SwmPayer.payer_id, stem, SwmPayer.ulb_code == self._ulb)
