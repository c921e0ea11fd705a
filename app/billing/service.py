"""The combined bill: a property's taxes with its water connections, user charges and licence fees,
or one standalone account's charges — and finding such accounts at the counter.

Non-property lines come from the service_demand ledger minus what was paid against the same
(service, account, period, head): lines of this device's receipts not cancelled, and lines of
payments made at other counters or online (pulled by sync) not cancelled — so dues paid at one
counter can never be collected again at another. Two grouped queries per bill (here, elsewhere).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import Session

from app.billing.allocation import allocate_bill
from app.billing.dto import (
    AccountHit,
    AccountRef,
    Bill,
    BillAllocation,
    BillChoice,
    BillLine,
    BillSection,
)
from app.billing.periods import period_sort_key
from app.core.clock import Clock, business_date
from app.core.fy import FinancialYear
from app.db import Database
from app.db.base import table_of
from app.demand.dto import Dues, Head, Service
from app.demand.models import ServiceDemand
from app.demand.paid import services_paid
from app.demand.service import DuesService
from app.errors import NotFoundError
from app.masters.service import DeviceInfo
from app.masters.tariffs import ServiceTariff, TariffBook
from app.permits.models import PermitApplication
from app.property.models import Owner, Property
from app.swm.models import SwmPayer
from app.trade.models import TradeLicence
from app.water.models import WaterConnection

# Property tax is always first on a bill (fixed here, not data: its rebate and advance rules depend on
# being settled before anything else); services follow in their tariff's bill_priority.
PROPERTY_BILL_PRIORITY = 1
_TARIFF_KIND = {Service.WATER: "water", Service.TRADE: "trade-licence", Service.SWM: "swm"}
# A service without a tariff for the year still bills what was raised, after the others.
_NO_TARIFF_PRIORITY = 99

_P, _O = table_of(Property), table_of(Owner)
_W, _T, _S = table_of(WaterConnection), table_of(TradeLicence), table_of(SwmPayer)
_PA = table_of(PermitApplication)
_D = table_of(ServiceDemand)

_PROPERTY_ROW = select(_P.c.uuid, _P.c.property_id, _P.c.ward_no, _P.c.address_en, _P.c.address_hi).where(
    _P.c.uuid == bindparam("uuid")
)
_PRIMARY_OWNER = (
    select(_O.c.name_en, _O.c.name_hi).where(_O.c.property_uuid == bindparam("uuid")).order_by(_O.c.ordinal).limit(1)
)
# An account as (uuid, number, holder_en, holder_hi, ward, address_en, address_hi, property, status), per service.
_ACCOUNT_SELECT: dict[Service, Select[Any]] = {
    Service.WATER: select(
        _W.c.uuid,
        _W.c.consumer_no,
        _W.c.holder_name_en,
        _W.c.holder_name_hi,
        _W.c.ward_no,
        _W.c.address_en,
        _W.c.address_hi,
        _W.c.property_uuid,
        _W.c.status,
    ),
    Service.SWM: select(
        _S.c.uuid,
        _S.c.payer_id,
        _S.c.name_en,
        _S.c.name_hi,
        _S.c.ward_no,
        _S.c.address_en,
        _S.c.address_hi,
        _S.c.property_uuid,
        _S.c.status,
    ),
    Service.TRADE: select(
        _T.c.uuid,
        func.coalesce(_T.c.licence_no, _T.c.application_no),
        _T.c.owner_name_en,
        _T.c.owner_name_hi,
        _T.c.ward_no,
        _T.c.address_en,
        _T.c.address_hi,
        _T.c.property_uuid,
        _T.c.status,
    ),
    # A building-permit application's fees (issue 6): not tied to a property record; no Hindi address.
    Service.PERMIT: select(
        _PA.c.uuid,
        func.coalesce(_PA.c.permit_no, _PA.c.application_no),
        _PA.c.applicant_name_en,
        _PA.c.applicant_name_hi,
        _PA.c.ward_no,
        _PA.c.address_en,
        _PA.c.address_en,
        literal_column("NULL"),
        _PA.c.status,
    ),
}
_ACCOUNT_TABLE = {Service.WATER: _W, Service.SWM: _S, Service.TRADE: _T, Service.PERMIT: _PA}
# Built once (the bill is recomputed inside every combined receipt's transaction).
_ACCOUNT_BY_UUID = {
    service: query.where(_ACCOUNT_TABLE[service].c.uuid == bindparam("uuid"))
    for service, query in _ACCOUNT_SELECT.items()
}
_LINKED = {
    Service.WATER: _ACCOUNT_SELECT[Service.WATER].where(_W.c.property_uuid == bindparam("uuid")),
    Service.SWM: _ACCOUNT_SELECT[Service.SWM].where(
        _S.c.property_uuid == bindparam("uuid"), _S.c.billed_with_property.is_(True)
    ),
    Service.TRADE: _ACCOUNT_SELECT[Service.TRADE].where(_T.c.property_uuid == bindparam("uuid")),
}


@dataclass(frozen=True)
class _Rules:
    bill_priority: int
    allocation_order: tuple[str, ...]
    part_payment_allowed: bool


# Building-permit fees come from the permit fee schedule (resources/permits), not a tariff file: they
# are billed after the services, scrutiny fee first, and each is paid whole (a permit waits for all).
_PERMIT_RULES = _Rules(
    _NO_TARIFF_PRIORITY - 1,
    (Head.PERMIT_SCRUTINY_FEE.value, Head.PERMIT_FEE.value, Head.LABOUR_CESS.value),
    False,
)


def number_variants(text: str) -> list[str]:
    """What an account number typed at the counter may be stored as: upper-cased, and with the dashes
    put back when typed without them: "w05c0100042" -> "W-05-C01-00042" (numbers carry the counter
    that made them), "uc05c01" -> "UC-05-C01", and the older form "w05000123" -> "W-05-000123"."""
    wanted = text.strip().upper()
    variants = [wanted]
    match = re.fullmatch(r"([A-Z]+)-?(\d{1,2})(?:-?(C\d{0,2}))?-?(\d*)", wanted)
    if match:
        letters, ward, counter, rest = match.groups()
        dashed = "-".join(part for part in (letters, ward, counter, rest) if part)
        if dashed not in variants:
            variants.append(dashed)
    return variants


def _prefix_clause(column: ColumnElement[str | None], variants: Iterable[str]) -> ColumnElement[bool]:
    """Prefix match that a plain B-tree index serves: col >= v AND col < v + U+FFFF."""
    return or_(*(and_(column >= v, column < v + "\uffff") for v in variants))


class BillingService:
    def __init__(self, db: Database, dues: DuesService, tariffs: TariffBook, device: DeviceInfo, clock: Clock) -> None:
        self._db = db
        self._dues = dues
        self._tariffs = tariffs
        self._device = device
        self._clock = clock

    def today(self) -> date:
        return business_date(self._clock.now_utc())

    # -- accounts ---------------------------------------------------------------------------------

    def account_ref(self, service: Service, uuid: str) -> AccountRef:
        with self._db.read() as session:
            return self.account_ref_in(session, service, uuid)

    def account_ref_in(self, session: Session, service: Service, uuid: str) -> AccountRef:
        conn = session.connection()
        if service == Service.PROPERTY:
            prop = conn.execute(_PROPERTY_ROW, {"uuid": uuid}).first()
            if prop is None:
                raise NotFoundError(f"no property with id {uuid}")
            owner = conn.execute(_PRIMARY_OWNER, {"uuid": uuid}).first()
            return AccountRef(
                service=Service.PROPERTY,
                account_uuid=uuid,
                number=prop.property_id,
                holder_en=owner.name_en if owner else "",
                holder_hi=owner.name_hi if owner else "",
                ward_no=prop.ward_no,
                address_en=prop.address_en,
                address_hi=prop.address_hi,
                property_uuid=uuid,
            )
        refs = _refs_of(service, conn.execute(_ACCOUNT_BY_UUID[service], {"uuid": uuid}))
        if not refs:
            raise NotFoundError(f"no {service.value.lower()} account with id {uuid}")
        return refs[0][0]

    def _refs(
        self, session: Session, service: Service, where: ColumnElement[bool], limit: int = 50
    ) -> list[tuple[AccountRef, str]]:
        """(AccountRef, status) of a service's accounts matching `where` (search: built per call)."""
        rows = session.connection().execute(_ACCOUNT_SELECT[service].where(where).limit(limit)).all()
        return _refs_of(service, rows)

    def account_search(self, text: str, limit: int = 20) -> list[AccountHit]:
        """Water consumer numbers, licence and application numbers, SWM payer IDs: exact or prefix,
        case-insensitive, typed with or without dashes; and holder names containing the text."""
        text = text.strip()
        if not text:
            return []
        variants = number_variants(text)
        with self._db.read() as session:
            found: list[tuple[AccountRef, str]] = []
            found += self._refs(session, Service.WATER, _prefix_clause(_W.c.consumer_no, variants), limit)
            found += self._refs(
                session,
                Service.TRADE,
                or_(_prefix_clause(_T.c.licence_no, variants), _prefix_clause(_T.c.application_no, variants)),
                limit,
            )
            found += self._refs(session, Service.SWM, _prefix_clause(_S.c.payer_id, variants), limit)
            found += self._refs(
                session,
                Service.PERMIT,
                or_(_prefix_clause(_PA.c.permit_no, variants), _prefix_clause(_PA.c.application_no, variants)),
                limit,
            )
            # Exact numbers first, then prefixes.
            found.sort(key=lambda hit: (hit[0].number.upper() not in variants, hit[0].number))
            if len(found) < limit and len(text) >= 3 and not any(ch.isdigit() for ch in text):
                pattern = f"%{text}%"
                seen = {ref.account_uuid for ref, _ in found}
                for service, columns in (
                    (Service.WATER, (_W.c.holder_name_en, _W.c.holder_name_hi)),
                    (Service.TRADE, (_T.c.owner_name_en, _T.c.owner_name_hi, _T.c.trade_name, _T.c.trade_name_hi)),
                    (Service.SWM, (_S.c.name_en, _S.c.name_hi)),
                ):
                    where = or_(*(column.like(pattern) for column in columns))
                    for ref, status in self._refs(session, service, where, limit - len(found)):
                        if ref.account_uuid not in seen:
                            found.append((ref, status))
                            seen.add(ref.account_uuid)
                    if len(found) >= limit:
                        break
            found = found[:limit]
            due = self._due_by_account(session, [ref for ref, _ in found])
            return [
                AccountHit(account=ref, due_paise=due.get(ref.account_uuid, 0), status=status) for ref, status in found
            ]

    def _due_by_account(self, session: Session, refs: list[AccountRef]) -> dict[str, int]:
        raised = self._raised(session, refs)
        due: dict[str, int] = {}
        for row in raised:
            due[row.account] = due.get(row.account, 0) + max(row.amount - row.paid, 0)
        return due

    # -- bills ------------------------------------------------------------------------------------

    def bill_for(self, account: AccountRef, on: date | None = None) -> Bill:
        with self._db.read() as session:
            return self.bill_in(session, account, on or self.today())

    def bill_in(self, session: Session, primary: AccountRef, on: date) -> Bill:
        """The bill inside the caller's transaction (collect_bill recomputes it under its write lock)."""
        sections: list[BillSection] = []
        if primary.service == Service.PROPERTY:
            dues = self._dues.dues_in(session, primary.account_uuid, on)
            sections.append(self._property_section(primary, dues))
            linked = self._linked(session, primary.account_uuid)
        else:
            linked = [primary]
        raised = self._raised(session, linked)
        lines_of: dict[str, list[_RaisedRow]] = {}
        for row in raised:
            lines_of.setdefault(row.account, []).append(row)
        services: list[tuple[int, str, BillSection]] = []
        for ref in linked:
            rules = self._rules(ref.service, on)
            rank = {head: i for i, head in enumerate(rules.allocation_order)}
            lines = [
                BillLine(
                    key=bill_line_key(ref.service, ref.account_uuid, row.period, Head(row.head)),
                    service=ref.service,
                    account_uuid=ref.account_uuid,
                    period=row.period,
                    fy=row.fy,
                    head=Head(row.head),
                    raised_paise=row.amount,
                    paid_paise=row.paid,
                    is_arrear=row.due_date < on.isoformat(),
                    part_payment_allowed=rules.part_payment_allowed,
                )
                for row in lines_of.get(ref.account_uuid, [])
                if row.amount - row.paid > 0
            ]
            # A licence is on a property's bill only when its fee is due; the others always show.
            if not lines and ref.service == Service.TRADE and ref is not primary:
                continue
            lines.sort(key=lambda line: (period_sort_key(line.period), rank.get(line.head.value, len(rank)), line.head))
            section = BillSection(account=ref, lines=tuple(lines), payable_paise=sum(line.due_paise for line in lines))
            services.append((rules.bill_priority, ref.number, section))
        services.sort(key=lambda item: (item[0], item[1]))
        sections += [section for _, _, section in services]
        return Bill(as_of=on, primary=primary, sections=tuple(sections))

    @staticmethod
    def _property_section(ref: AccountRef, dues: Dues) -> BillSection:
        lines = tuple(
            BillLine(
                key=bill_line_key(Service.PROPERTY, ref.account_uuid, line.fy, line.head),
                service=Service.PROPERTY,
                account_uuid=ref.account_uuid,
                period=line.fy,
                fy=line.fy,
                head=line.head,
                raised_paise=line.raised_paise,
                paid_paise=line.paid_paise,
                is_arrear=line.is_arrear,
                part_payment_allowed=True,
            )
            for line in dues.lines
        )
        return BillSection(account=ref, lines=lines, payable_paise=dues.payable_paise, dues=dues)

    def _linked(self, session: Session, property_uuid: str) -> list[AccountRef]:
        """The property's water connections, the SWM payers billed with it, and its licences."""
        conn = session.connection()
        return [
            ref
            for service, query in _LINKED.items()
            for ref, _ in _refs_of(service, conn.execute(query, {"uuid": property_uuid}))
        ]

    def _raised(self, session: Session, refs: list[AccountRef]) -> list[_RaisedRow]:
        """Every service demand of the accounts with what receipts not cancelled paid against it, here
        and at other counters."""
        refs = [ref for ref in refs if ref.service != Service.PROPERTY]
        if not refs:
            return []
        services = sorted({ref.service.value for ref in refs})
        accounts = sorted({ref.account_uuid for ref in refs})
        pairs = {(ref.service.value, ref.account_uuid) for ref in refs}
        conn = session.connection()
        paid = services_paid(session, services, accounts)
        rows: list[_RaisedRow] = []
        for service, account, period, fy, head, amount, due_date in conn.execute(
            select(
                _D.c.service, _D.c.account_uuid, _D.c.period, _D.c.fy, _D.c.head, _D.c.amount_paise, _D.c.due_date
            ).where(_D.c.service.in_(services), _D.c.account_uuid.in_(accounts))
        ):
            if (service, account) in pairs:
                rows.append(
                    _RaisedRow(
                        account, period, fy, head, amount, paid.get((service, account, period, head), 0), due_date
                    )
                )
        return rows

    def _rules(self, service: Service, on: date) -> _Rules:
        """Bill order, allocation order and part-payment rule of a service: its tariff for the FY of
        `on` (or the latest earlier FY with one)."""
        if service == Service.PERMIT:
            return _PERMIT_RULES
        kind = _TARIFF_KIND[service]
        look_up = {
            Service.WATER: self._tariffs.water,
            Service.TRADE: self._tariffs.trade_licence,
            Service.SWM: self._tariffs.swm,
        }[service]
        fy = FinancialYear.of(on)
        for _ in range(5):  # a ULB that has not published this year's file yet bills by last year's
            if self._tariffs.has_service(kind, self._device.ulb_code, fy.code):
                tariff: ServiceTariff = look_up(self._device.ulb_code, fy.code, on)
                return _Rules(tariff.bill_priority, tariff.allocation_order, tariff.part_payment_allowed)
            fy = fy.previous()
        return _Rules(_NO_TARIFF_PRIORITY, (), True)

    # -- paying -----------------------------------------------------------------------------------

    def preview(self, bill: Bill, choice: BillChoice, amount_paise: int) -> BillAllocation:
        """How `amount_paise` would be spread (raises ValidationError like collect_bill would)."""
        return allocate_bill(bill, choice, amount_paise)


@dataclass(frozen=True)
class _RaisedRow:
    account: str
    period: str
    fy: str
    head: str
    amount: int
    paid: int
    due_date: str


def _refs_of(service: Service, rows: Iterable[Any]) -> list[tuple[AccountRef, str]]:
    return [
        (
            AccountRef(
                service=service,
                account_uuid=uuid,
                number=number,
                holder_en=holder_en,
                holder_hi=holder_hi,
                ward_no=ward_no,
                address_en=address_en,
                address_hi=address_hi,
                property_uuid=property_uuid,
            ),
            status,
        )
        for uuid, number, holder_en, holder_hi, ward_no, address_en, address_hi, property_uuid, status in rows
    ]


def bill_line_key(service: Service, account_uuid: str, period: str, head: Head) -> str:
    return f"{service.value}|{account_uuid}|{period}|{head.value}"


def account_numbers(session: Session, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """uuid -> consumer no. / licence no. (else application no.) / payer ID, for (service, uuid) pairs of
    receipt lines; one query per service. An account not on this device (yet) is left out."""
    wanted: dict[str, set[str]] = {}
    for service, uuid in pairs:
        if service != Service.PROPERTY.value and uuid:
            wanted.setdefault(service, set()).add(uuid)
    out: dict[str, str] = {}
    for service, uuids in wanted.items():
        if service == Service.WATER.value:
            query = select(_W.c.uuid, _W.c.consumer_no).where(_W.c.uuid.in_(uuids))
        elif service == Service.TRADE.value:
            query = select(_T.c.uuid, func.coalesce(_T.c.licence_no, _T.c.application_no)).where(_T.c.uuid.in_(uuids))
        elif service == Service.SWM.value:
            query = select(_S.c.uuid, _S.c.payer_id).where(_S.c.uuid.in_(uuids))
        elif service == Service.PERMIT.value:
            query = select(_PA.c.uuid, func.coalesce(_PA.c.permit_no, _PA.c.application_no)).where(
                _PA.c.uuid.in_(uuids)
            )
        else:
            continue
        out.update({uuid: str(number) for uuid, number in session.execute(query)})
    return out
