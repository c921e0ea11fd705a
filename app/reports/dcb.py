"""DCB statement — demand, collection, balance — of one financial year, by head, ward or service.

Definitions (FY F, first day S, last day E; "as of" A = min(E, today); amounts in paise). A "key"
is (service, head, ward); the statement adds keys up into the rows asked for.

Demand
- opening arrears = demand of earlier FYs (property `demand` rows with fy < F; `service_demand`
  rows whose period falls in an FY before F) + surcharge and penalty accrued on or before S,
  minus what lines of receipts dated before S settled of them (every head's own lines; ADVANCE lines
  count too, so the ADVANCE row opens with minus the credit citizens held at S). REBATE and
  ROUND_OFF lines settle nothing (a rebated head's own line carries its whole amount).
- current demand = demand of FY F (its `demand` rows and the `service_demand` rows of its periods)
  + surcharge and penalty accruing after S up to A, + the FY's ROUND_OFF lines (a rounding is
  raised and settled in the same moment, so its row's balance is 0).
- accrued surcharge of a property's year Y = the tariff's pct × (its surchargeable heads' demand of
  Y − their lines dated before `surcharge.starts`), rounded half-up per property, exactly as the
  dues (app.demand.dues) charge it; penalty = the flat amount for a year whose return is recorded
  "not filed", from `penalties.return_not_filed.starts`. They are demand of the SURCHARGE and
  PENALTY heads.

Collection (lines of receipts not cancelled or dishonoured, business date in [S, E]; plus, as the
dues code counts them, payments made at other counters or online that sync brought here)
- collected arrears = lines whose fy is before F; collected current = lines of F (or later: paid
  ahead). ADVANCE lines (credit made, or used when negative) and ROUND_OFF lines are current.
- rebate = the rebate given (minus the REBATE lines), shown on the PROPERTY_TAX row (it is taken
  off the property tax); the same REBATE lines count in that row's collected current, so the
  collection columns are money received.
- balance = opening + current − collected arrears − collected current − rebate.

Hence, exactly: total collected (arrears + current, all rows) = sum of the amounts of receipts not
cancelled with a business date in the FY (+ remote payments), which the statement also counts
directly (`receipts_paise`, `remote_paise`) so a screen can show the two agree.

Payments from elsewhere (remote_payment) carry a line's service, account and period like receipts do
(lines pulled before they did were filled in by migration 0009), and find their ward the same way.

Ward: a property line's ward is its property's; a service line's is the ward its demand was raised
in (service_demand.ward_no), else the account's ward, else the receipt's property's, else 0.
Cancellation is judged as it stands now; a line paid before S for an FY from F on (paid ahead) is not
in the statement (its receipt is outside the FY).

Speed: a handful of GROUP BY queries over the ledger tables; nothing per property in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.core.clock import Clock, business_date
from app.core.fy import FinancialYear
from app.db import Database
from app.demand.dto import Head, Service
from app.errors import ValidationError
from app.masters.tariffs import TariffBook
from app.receipts.labels import HEAD_LABELS
from app.security.roles import Actor, Permission, require

_STATEMENT_CACHE_KIB = -262_144  # 256 MiB


class GroupBy(StrEnum):
    HEAD = "head"
    WARD = "ward"
    SERVICE = "service"


SERVICE_LABELS: dict[str, tuple[str, str]] = {
    Service.PROPERTY.value: ("Property tax", "संपत्ति कर"),
    Service.WATER.value: ("Water", "जल"),
    Service.TRADE.value: ("Trade licence", "व्यापार अनुज्ञप्ति"),
    Service.SWM.value: ("Solid-waste user charge", "ठोस अपशिष्ट उपयोगकर्ता शुल्क"),
}

_MORE_HEAD_LABELS: dict[str, tuple[str, str]] = {
    Head.WATER_CHARGE.value: ("Water charge", "जल शुल्क"),
    Head.WATER_CONNECTION_FEE.value: ("Water connection fee", "नल कनेक्शन शुल्क"),
    Head.WATER_REGULARISATION_FEE.value: ("Water regularisation fee", "नल नियमितीकरण शुल्क"),
    Head.WATER_RECONNECTION_FEE.value: ("Water reconnection fee", "नल पुनर्संयोजन शुल्क"),
    Head.TRADE_LICENCE_FEE.value: ("Trade licence fee", "व्यापार अनुज्ञप्ति शुल्क"),
    Head.SWM_USER_CHARGE.value: ("Solid-waste user charge", "ठोस अपशिष्ट उपयोगकर्ता शुल्क"),
}

# Rows by head come in this order (then anything unknown, alphabetically).
HEAD_ORDER: tuple[str, ...] = (
    Head.PROPERTY_TAX.value,
    Head.SAMEKIT.value,
    Head.EDUCATION_CESS.value,
    Head.SURCHARGE.value,
    Head.PENALTY.value,
    Head.WATER_CHARGE.value,
    Head.WATER_CONNECTION_FEE.value,
    Head.WATER_REGULARISATION_FEE.value,
    Head.WATER_RECONNECTION_FEE.value,
    Head.TRADE_LICENCE_FEE.value,
    Head.SWM_USER_CHARGE.value,
    Head.REBATE.value,
    Head.ROUND_OFF.value,
    Head.ADVANCE.value,
)
SERVICE_ORDER: tuple[str, ...] = tuple(s.value for s in Service)


def head_label(head: str) -> tuple[str, str]:
    try:
        return HEAD_LABELS[Head(head)]
    except (KeyError, ValueError):
        return _MORE_HEAD_LABELS.get(head, (head, head))


@dataclass(frozen=True)
class DcbRow:
    key: str  # the head code, the ward number, the service code, or "TOTAL"
    label_en: str
    label_hi: str
    opening_paise: int = 0  # opening arrears
    current_paise: int = 0  # current demand
    collected_arrear_paise: int = 0
    collected_current_paise: int = 0
    rebate_paise: int = 0
    surcharge_accrued_paise: int = 0  # surcharge and penalty accrued: part of the demand columns
    surcharge_collected_paise: int = 0  # SURCHARGE and PENALTY lines: part of the collection columns
    balance_paise: int = 0

    @property
    def demand_paise(self) -> int:
        return self.opening_paise + self.current_paise

    @property
    def collected_paise(self) -> int:
        return self.collected_arrear_paise + self.collected_current_paise


_AMOUNTS = tuple(f.name for f in fields(DcbRow) if f.name.endswith("_paise"))


@dataclass(frozen=True)
class DcbStatement:
    ulb_code: str
    fy: str
    group_by: GroupBy
    ward_no: int | None  # the ward filter, if any
    as_of: date  # surcharge and penalty accrued up to this day
    rows: tuple[DcbRow, ...]
    total: DcbRow
    receipts_paise: int  # receipts of the FY not cancelled (of the ward, when filtered: see below)
    receipt_count: int
    remote_paise: int  # payments elsewhere (other counters, online) that sync brought here
    # When filtered by ward the receipts are counted line by line (a receipt may span wards), so
    # receipts_paise + remote_paise == total.collected_paise holds both ways.

    @property
    def collections_agree(self) -> bool:
        return self.total.collected_paise == self.receipts_paise + self.remote_paise


@dataclass
class _Acc:
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_AMOUNTS, 0))

    def add(self, name: str, amount: int) -> None:
        self.values[name] += int(amount)


Key = tuple[str, str, int]  # (service, head, ward)

_RECEIPT_WARD = """
    CASE WHEN l.service = 'PROPERTY' THEN COALESCE(p.ward_no, 0)
         ELSE COALESCE(
            sd.ward_no,
            CASE l.service
                WHEN 'SWM' THEN (SELECT ward_no FROM swm_payer WHERE uuid = l.account)
                WHEN 'WATER' THEN (SELECT ward_no FROM water_connection WHERE uuid = l.account)
                WHEN 'TRADE' THEN (SELECT ward_no FROM trade_licence WHERE uuid = l.account)
            END,
            p.ward_no, 0)
    END
"""


@dataclass(frozen=True)
class _Queries:
    demand: Any
    service_demand: Any
    lines: Any
    remote_lines: Any
    penalty: Any
    by_ward: bool

    def surcharge(self, heads: Iterable[str]) -> Any:
        return _surcharge_query(tuple(heads), self.by_ward)


@cache
def _queries(by_ward: bool) -> _Queries:
    """The statement's queries (receipts first, then their lines: the property is looked up once a
    receipt, not once a line). Without a ward (by head or service, no ward filter) they skip every
    join that only finds the ward: the ledger tables are each read once, with no probes per row.
    The device holds only its own ULB's properties and accounts (sync never brings another's)."""
    if by_ward:
        demand = """
            SELECT p.ward_no, d.head, d.fy < :fy AS arrear, SUM(d.amount_paise)
            FROM demand d JOIN property p ON p.uuid = d.property_uuid
            WHERE d.fy <= :fy GROUP BY p.ward_no, d.head, arrear"""
        lines = f"""
            SELECT l.service, l.head, {_RECEIPT_WARD} AS ward, r.business_date < :first AS before,
                   l.fy < :fy AS arrear, SUM(l.amount_paise)
            FROM receipt r
            LEFT JOIN receipt_cancellation c ON c.receipt_uuid = r.uuid
            LEFT JOIN property p ON p.uuid = r.property_uuid
            CROSS JOIN receipt_line l ON l.receipt_uuid = r.uuid
            LEFT JOIN service_demand sd ON l.service <> 'PROPERTY' AND sd.service = l.service
                AND sd.account_uuid = l.account AND sd.period = l.period AND sd.head = l.head
            WHERE c.uuid IS NULL AND r.business_date <= :last
            GROUP BY l.service, l.head, ward, before, arrear"""
        remote_lines = f"""
            SELECT l.service, l.head, {_RECEIPT_WARD} AS ward, r.business_date < :first AS before,
                   l.fy < :fy AS arrear, SUM(l.amount_paise)
            FROM remote_payment_line l
            JOIN remote_payment r ON r.uuid = l.payment_uuid
            LEFT JOIN remote_payment_cancellation c ON c.receipt_uuid = r.uuid
            LEFT JOIN property p ON p.uuid = r.property_uuid
            LEFT JOIN service_demand sd ON l.service <> 'PROPERTY' AND sd.service = l.service
                AND sd.account_uuid = l.account AND sd.period = l.period AND sd.head = l.head
            WHERE c.receipt_uuid IS NULL AND r.business_date <= :last
            GROUP BY l.service, l.head, ward, before, arrear"""
        penalty = """
            SELECT p.ward_no, COUNT(*)
            FROM return_filing f CROSS JOIN property p ON p.uuid = f.property_uuid
            WHERE f.fy = :year AND NOT f.filed
              AND EXISTS (SELECT 1 FROM demand d WHERE d.property_uuid = f.property_uuid AND d.fy = f.fy)
            GROUP BY p.ward_no"""
    else:
        demand = """
            SELECT 0, head, fy < :fy AS arrear, SUM(amount_paise)
            FROM demand WHERE fy <= :fy GROUP BY head, arrear"""
        lines = """
            SELECT l.service, l.head, 0, r.business_date < :first AS before, l.fy < :fy AS arrear,
                   SUM(l.amount_paise)
            FROM receipt r
            LEFT JOIN receipt_cancellation c ON c.receipt_uuid = r.uuid
            CROSS JOIN receipt_line l ON l.receipt_uuid = r.uuid
            WHERE c.uuid IS NULL AND r.business_date <= :last
            GROUP BY l.service, l.head, before, arrear"""
        remote_lines = """
            SELECT l.service, l.head, 0, r.business_date < :first AS before, l.fy < :fy AS arrear,
                   SUM(l.amount_paise)
            FROM remote_payment_line l
            JOIN remote_payment r ON r.uuid = l.payment_uuid
            LEFT JOIN remote_payment_cancellation c ON c.receipt_uuid = r.uuid
            WHERE c.receipt_uuid IS NULL AND r.business_date <= :last
            GROUP BY l.service, l.head, before, arrear"""
        penalty = """
            SELECT 0, COUNT(*) FROM return_filing f
            WHERE f.fy = :year AND NOT f.filed
              AND EXISTS (SELECT 1 FROM demand d WHERE d.property_uuid = f.property_uuid AND d.fy = f.fy)"""
    service_demand = f"""
        SELECT service, head, {"ward_no" if by_ward else "0"} AS ward, fy < :fy AS arrear, SUM(amount_paise)
        FROM service_demand WHERE fy <= :fy
        GROUP BY service, head, ward, arrear"""
    return _Queries(
        demand=text(demand),
        service_demand=text(service_demand),
        lines=text(lines),
        remote_lines=text(remote_lines),
        penalty=text(penalty),
        by_ward=by_ward,
    )


_Q_RECEIPTS = text(
    """
    SELECT COUNT(*), COALESCE(SUM(r.amount_paise), 0)
    FROM receipt r LEFT JOIN receipt_cancellation c ON c.receipt_uuid = r.uuid
    WHERE c.uuid IS NULL AND r.business_date BETWEEN :first AND :last
    """
)
_Q_REMOTE = text(
    """
    SELECT COALESCE(SUM(r.amount_paise), 0)
    FROM remote_payment r LEFT JOIN remote_payment_cancellation c ON c.receipt_uuid = r.uuid
    WHERE c.receipt_uuid IS NULL AND r.business_date BETWEEN :first AND :last
    """
)


@cache
def _surcharge_query(heads: tuple[str, ...], by_ward: bool) -> Any:
    """Per ward (or in all): sum over properties of round_half_up(max(unpaid before starts, 0) * num /
    (100 * den)). `num/den` is the percentage as an exact fraction, so the rounding is the dues
    code's, in integers."""
    names = ", ".join(f"'{Head(h).value}'" for h in heads)  # Head() refuses anything but a head code
    each = "(MAX(raised.amount - COALESCE(settled.amount, 0), 0) * :num + 50 * :den) / (100 * :den)"
    final = (
        f"SELECT p.ward_no, SUM({each}) FROM raised JOIN property p ON p.uuid = raised.property_uuid"
        " LEFT JOIN settled ON settled.property_uuid = raised.property_uuid GROUP BY p.ward_no"
        if by_ward
        else f"SELECT 0, SUM({each}) FROM raised LEFT JOIN settled ON settled.property_uuid = raised.property_uuid"
    )
    return text(
        f"""
        WITH raised AS (
            SELECT property_uuid, SUM(amount_paise) AS amount FROM demand
            WHERE fy = :year AND head IN ({names}) GROUP BY property_uuid
        ), paid AS (
            SELECT r.property_uuid, SUM(l.amount_paise) AS amount
            FROM receipt_line l JOIN receipt r ON r.uuid = l.receipt_uuid
            LEFT JOIN receipt_cancellation c ON c.receipt_uuid = r.uuid
            WHERE c.uuid IS NULL AND l.service = 'PROPERTY' AND l.fy = :year AND l.head IN ({names})
              AND r.business_date < :starts
            GROUP BY r.property_uuid
            UNION ALL
            SELECT r.property_uuid, SUM(l.amount_paise)
            FROM remote_payment_line l JOIN remote_payment r ON r.uuid = l.payment_uuid
            LEFT JOIN remote_payment_cancellation c ON c.receipt_uuid = r.uuid
            WHERE c.receipt_uuid IS NULL AND l.fy = :year AND l.head IN ({names}) AND r.business_date < :starts
            GROUP BY r.property_uuid
        ), settled AS (
            SELECT property_uuid, SUM(amount) AS amount FROM paid GROUP BY property_uuid
        )
        {final}
        """
    )


def _fraction(percent: Decimal) -> tuple[int, int]:
    """18 -> (18, 1); 6.25 -> (625, 100)."""
    exponent = percent.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    den = 10**places
    return int(percent * den), den


class DcbService:
    """Built once in the composition root. Reads only."""

    def __init__(self, db: Database, tariffs: TariffBook, clock: Clock, ulb_code: str) -> None:
        self._db = db
        self._tariffs = tariffs
        self._clock = clock
        self._ulb = ulb_code

    @property
    def ulb_code(self) -> str:
        return self._ulb

    def years(self) -> list[str]:
        """FYs that have any demand or receipt, newest first (and the current FY)."""
        with self._db.read() as session:
            conn = session.connection()
            found = {
                str(row[0])
                for query in (
                    "SELECT DISTINCT fy FROM demand",
                    "SELECT DISTINCT fy FROM service_demand",
                    "SELECT DISTINCT fy FROM receipt",
                )
                for row in conn.exec_driver_sql(query)
            }
        found.add(FinancialYear.of(business_date(self._clock.now_utc())).code)
        return sorted(found, reverse=True)

    def statement(
        self, fy: str, group_by: GroupBy | str = GroupBy.HEAD, ward_no: int | None = None, actor: Actor | None = None
    ) -> DcbStatement:
        if actor is not None:
            require(actor, Permission.VIEW_DCB)
        try:
            year = FinancialYear.parse(fy)
        except ValueError as error:
            raise ValidationError(f"fy: {error}") from None
        try:
            grouping = GroupBy(group_by)
        except ValueError:
            raise ValidationError(f"group_by: {group_by!r} is not one of head, ward, service") from None
        today = business_date(self._clock.now_utc())
        as_of = min(year.last_day, today)
        params = {"fy": year.code, "first": year.first_day.isoformat(), "last": year.last_day.isoformat()}
        keys: dict[Key, _Acc] = defaultdict(_Acc)
        with self._db.read() as session:
            conn = session.connection()
            # A big page cache for this read: the statement visits every demand and receipt line once;
            # the default 2 MB cache makes each probe a trip to the OS. Put back afterwards.
            saved = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size = {_STATEMENT_CACHE_KIB}")
            try:
                q = _queries(grouping == GroupBy.WARD or ward_no is not None)
                self._demands(conn, q, params, keys)
                self._collections(conn, q, params, keys)
                self._accruals(conn, q, year, as_of, keys)
                count, receipts = conn.execute(_Q_RECEIPTS, params).one()
                remote = int(conn.execute(_Q_REMOTE, params).scalar() or 0)
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(saved or -2000)}")
        if ward_no is not None:
            keys = defaultdict(_Acc, {k: v for k, v in keys.items() if k[2] == ward_no})
            # A receipt may pay several wards: count the ward's share line by line.
            receipts = sum(
                acc.values["collected_arrear_paise"] + acc.values["collected_current_paise"] for acc in keys.values()
            )
            remote, count = 0, -1  # -1: receipts are not counted whole under a ward filter
        rows = self._rows(keys, grouping)
        total = self._finish("TOTAL", "Total", "योग", [dict.fromkeys(_AMOUNTS, 0)] + [r.__dict__ for r in rows])
        return DcbStatement(
            ulb_code=self._ulb,
            fy=year.code,
            group_by=grouping,
            ward_no=ward_no,
            as_of=as_of,
            rows=tuple(rows),
            total=total,
            receipts_paise=int(receipts),
            receipt_count=int(count),
            remote_paise=remote,
        )

    # --- the parts

    def _demands(self, conn: Connection, q: _Queries, params: dict[str, str], keys: dict[Key, _Acc]) -> None:
        for ward, head, arrear, amount in conn.execute(q.demand, params):
            keys[(Service.PROPERTY.value, head, int(ward))].add("opening_paise" if arrear else "current_paise", amount)
        for service, head, ward, arrear, amount in conn.execute(q.service_demand, params):
            keys[(service, head, int(ward))].add("opening_paise" if arrear else "current_paise", amount)

    def _collections(self, conn: Connection, q: _Queries, params: dict[str, str], keys: dict[Key, _Acc]) -> None:
        rebate, round_off, advance = Head.REBATE.value, Head.ROUND_OFF.value, Head.ADVANCE.value
        charges = (Head.SURCHARGE.value, Head.PENALTY.value)
        for query in (q.lines, q.remote_lines):
            for line_service, head, ward_value, before, arrear, amount in conn.execute(query, params):
                service = line_service
                ward = int(ward_value)
                if before:
                    # What earlier receipts settled of earlier demand (and credit they left).
                    if arrear and head not in (rebate, round_off):
                        keys[(service, head, ward)].add("opening_paise", -amount)
                    continue
                if head == rebate:
                    target = Head.PROPERTY_TAX.value if service == Service.PROPERTY.value else rebate
                    acc = keys[(service, target, ward)]
                    acc.add("collected_current_paise", amount)
                    acc.add("rebate_paise", -amount)
                    continue
                acc = keys[(service, head, ward)]
                if head == round_off:
                    acc.add("current_paise", amount)
                if arrear and head not in (advance, round_off):
                    acc.add("collected_arrear_paise", amount)
                else:
                    acc.add("collected_current_paise", amount)
                if head in charges:
                    acc.add("surcharge_collected_paise", amount)

    def _accruals(self, conn: Connection, q: _Queries, year: FinancialYear, as_of: date, keys: dict[Key, _Acc]) -> None:
        """Surcharge and penalty accrued on property years up to `as_of`: opening if by the first day."""
        # Years with a tariff (a year without one raised no demand: the query finds nothing).
        years = sorted(fy for (ulb, fy) in self._tariffs.property_tax_versions if ulb == self._ulb)
        for fy in years:
            if fy > year.code:
                continue
            tariff = self._tariffs.property_tax(self._ulb, fy, as_of)
            surcharge = tariff.surcharge
            if surcharge.starts <= as_of and surcharge.pct > 0:
                column = "opening_paise" if surcharge.starts <= year.first_day else "current_paise"
                num, den = _fraction(surcharge.pct)
                params = {"year": fy, "starts": surcharge.starts.isoformat(), "num": num, "den": den}
                for ward, amount in conn.execute(q.surcharge(surcharge.heads), params):
                    acc = keys[(Service.PROPERTY.value, Head.SURCHARGE.value, int(ward))]
                    acc.add(column, amount or 0)
                    acc.add("surcharge_accrued_paise", amount or 0)
            penalty = tariff.penalties.return_not_filed
            if penalty.starts <= as_of and penalty.amount > 0:
                column = "opening_paise" if penalty.starts <= year.first_day else "current_paise"
                each = int(penalty.amount * 100)
                for ward, count in conn.execute(q.penalty, {"year": fy}):
                    acc = keys[(Service.PROPERTY.value, Head.PENALTY.value, int(ward))]
                    acc.add(column, each * count)
                    acc.add("surcharge_accrued_paise", each * count)

    def _rows(self, keys: dict[Key, _Acc], grouping: GroupBy) -> list[DcbRow]:
        groups: dict[str, list[dict[str, int]]] = defaultdict(list)
        for (service, head, ward), acc in keys.items():
            name = {GroupBy.HEAD: head, GroupBy.WARD: str(ward), GroupBy.SERVICE: service}[grouping]
            groups[name].append(acc.values)
        if grouping == GroupBy.HEAD:
            order = sorted(groups, key=lambda h: (HEAD_ORDER.index(h) if h in HEAD_ORDER else len(HEAD_ORDER), h))
        elif grouping == GroupBy.SERVICE:
            order = sorted(groups, key=lambda s: (SERVICE_ORDER.index(s) if s in SERVICE_ORDER else 99, s))
        else:
            order = sorted(groups, key=int)
        rows = []
        for name in order:
            if grouping == GroupBy.HEAD:
                en, hi = head_label(name)
            elif grouping == GroupBy.SERVICE:
                en, hi = SERVICE_LABELS.get(name, (name, name))
            else:
                en, hi = (f"Ward {name}", f"वार्ड {name}") if name != "0" else ("Ward not known", "वार्ड अज्ञात")
            row = self._finish(name, en, hi, groups[name])
            if any(getattr(row, amount) for amount in _AMOUNTS):
                rows.append(row)
        return rows

    @staticmethod
    def _finish(key: str, en: str, hi: str, parts: list[dict[str, int]]) -> DcbRow:
        sums = {name: sum(part.get(name, 0) for part in parts) for name in _AMOUNTS if name != "balance_paise"}
        row = DcbRow(key=key, label_en=en, label_hi=hi, **sums)
        balance = (
            row.opening_paise
            + row.current_paise
            - row.collected_arrear_paise
            - row.collected_current_paise
            - row.rebate_paise
        )
        return replace(row, balance_paise=balance)
