"""Water connections: register, meter readings, disconnection and reconnection, monthly/quarterly demand.

Every change is permission-checked, validated first (nothing half-saved), audited and queued for the
central (app.replica.records.queue_record) in ONE BEGIN IMMEDIATE transaction. Charges and fees are
`service_demand` rows (service WATER); what is paid on them is the receipts' business.

Meter readings (litres, as the meter shows them):
- the first reading of a meter is its start (recorded when a metered connection is created:
  `initial_reading_litres`); each later reading's consumption is reading - last reading;
- a reading lower than the last is refused unless it says why:
  METER_REPLACED: a new meter that started from 0, so consumption = the new reading. What the old
  meter drew after its last reading is not known: record the old meter's final reading first
  (on an earlier day) to bill it;
  ROLLED_OVER: the register passed its maximum and started again from 0, so consumption =
  (rollover - last) + reading, where `rollover` is the first value the register cannot show
  (METER_ROLLOVER_LITRES = 100,000,000 for an 8-digit litre register whose maximum is 99,999,999).
- dates: after the last reading, not before the connection date, never in the future.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.core.clock import Clock, business_date, format_date
from app.core.fy import FinancialYear
from app.core.ids import device_tag, new_uuid
from app.core.money import format_inr
from app.core.text import clean_text, has_devanagari
from app.db import Database
from app.db.base import table_of
from app.db.serials import next_serial
from app.demand.dto import Head, Service
from app.demand.models import ServiceDemand
from app.demand.paid import service_paid
from app.errors import ConflictError, NotFoundError, ValidationError
from app.masters.models import Ward
from app.masters.tariffs import TariffBook, TariffError, WaterTariff
from app.outbox.service import Outbox
from app.property.models import Property
from app.property.service import FieldProblem
from app.replica.records import RECORD_OP_KIND, queue_record, queue_record_edit, record_fields, service_demand_uuid
from app.security.roles import Actor, Permission, require
from app.water.demand import (
    Charge,
    Period,
    chargeable_intervals,
    chargeable_months,
    month_code,
    month_of,
    parse_period,
    rate_problem,
    rupees_to_paise,
    water_charge,
)
from app.water.dto import (
    PIPE_SIZES_MM,
    BillingCycle,
    Category,
    ChargeView,
    ConnectionInput,
    ConnectionView,
    EventKind,
    FeeRaised,
    GenerationResult,
    LastReading,
    ReadingReason,
    ReadingView,
    Status,
)
from app.water.models import MeterReading, WaterConnection, WaterConnectionEvent

METER_ROLLOVER_LITRES = 100_000_000  # an 8-digit litre register shows 0 .. 99,999,999
MOBILE_PATTERN = re.compile(r"^[6-9]\d{9}$")
METER_NO_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9/\-.]*$")
EARLIEST_CONNECTION = date(1900, 1, 1)

_DEMAND = table_of(ServiceDemand)
_DEMAND_SYNCED = tuple(c.key for c in _DEMAND.columns if c.key not in {"id", "created_at"})
_INSERT_DEMANDS = (
    f"INSERT INTO {_DEMAND.name} ({', '.join(_DEMAND_SYNCED)}, created_at) "
    f"VALUES ({', '.join('?' for _ in _DEMAND_SYNCED)}, ?)"
)


class WaterValidationError(ValidationError):
    """Input was wrong; nothing was saved. `.problems` lists every field that is wrong."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def consumption_of(last_litres: int, reading_litres: int, reason: str, rollover: int = METER_ROLLOVER_LITRES) -> int:
    """Litres drawn since the last reading (see the module docstring)."""
    if reason == ReadingReason.METER_REPLACED:
        return reading_litres
    if reason == ReadingReason.ROLLED_OVER:
        return rollover - last_litres + reading_litres
    return reading_litres - last_litres


class WaterService:
    """The water register of one ULB. Built once in the composition root."""

    def __init__(
        self,
        db: Database,
        tariffs: TariffBook,
        clock: Clock,
        audit: AuditLog,
        outbox: Outbox,
        ulb_code: str,
        meter_rollover_litres: int = METER_ROLLOVER_LITRES,
        device_no: int = 1,
    ) -> None:
        self._db = db
        self._tariffs = tariffs
        self._clock = clock
        self._audit = audit
        self._outbox = outbox
        self._ulb = ulb_code
        self._rollover = meter_rollover_litres
        self._device_no = device_no

    @property
    def ulb_code(self) -> str:
        return self._ulb

    def today(self) -> date:
        return business_date(self._clock.now_utc())

    # --- reading ----------------------------------------------------------------------------------

    def get(self, uuid: str) -> ConnectionView:
        with self._db.read() as session:
            return self._view(session, self._row(session, uuid))

    def get_by_consumer_no(self, consumer_no: str) -> ConnectionView:
        wanted = clean_text(consumer_no).upper()
        with self._db.read() as session:
            row = session.scalars(
                select(WaterConnection).where(
                    WaterConnection.ulb_code == self._ulb, WaterConnection.consumer_no == wanted
                )
            ).first()
            if row is None:
                raise NotFoundError(f"no water connection {wanted} in {self._ulb}")
            return self._view(session, row)

    def search(self, text: str = "", limit: int = 200, ward_no: int | None = None) -> list[ConnectionView]:
        """Connections whose consumer number, meter number or linked property ID starts with `text`, or
        whose holder's name or mobile contains it; all (by consumer number) when `text` is empty."""
        cleaned = clean_text(text)
        query = (
            select(WaterConnection, Property.property_id)
            .outerjoin(Property, Property.uuid == WaterConnection.property_uuid)
            .where(WaterConnection.ulb_code == self._ulb)
        )
        if ward_no is not None:
            query = query.where(WaterConnection.ward_no == ward_no)
        if cleaned:
            upper = cleaned.upper()
            like = f"%{cleaned}%"
            query = query.where(
                or_(
                    WaterConnection.consumer_no.startswith(upper, autoescape=True),
                    WaterConnection.consumer_no.startswith(f"W-{upper}", autoescape=True),
                    WaterConnection.meter_no.startswith(upper, autoescape=True),
                    Property.property_id.startswith(upper, autoescape=True),
                    WaterConnection.holder_name_en.ilike(like),
                    WaterConnection.holder_name_hi.like(like),
                    WaterConnection.mobile.startswith(cleaned, autoescape=True),
                )
            )
        query = query.order_by(WaterConnection.consumer_no).limit(limit)
        with self._db.read() as session:
            rows = session.execute(query).all()
            lasts = self._last_readings(session, [row[0].uuid for row in rows if row[0].metered])
            return [self._view(session, row[0], row[1] or "", lasts.get(row[0].uuid)) for row in rows]

    def readings(self, uuid: str) -> list[ReadingView]:
        """A connection's meter readings, newest first."""
        with self._db.read() as session:
            connection = self._row(session, uuid)
            rows = session.scalars(
                select(MeterReading)
                .where(MeterReading.connection_uuid == uuid)
                .order_by(MeterReading.reading_date.desc())
            )
            return [self._reading_view(r, connection.consumer_no) for r in rows]

    def charges(self, uuid: str) -> list[ChargeView]:
        """Every charge and fee raised on a connection, newest first, with what receipts not cancelled
        paid against each (the receipt lines of the same service, account, period and head, here and
        at other counters)."""
        with self._db.read() as session:
            self._row(session, uuid)
            paid = {
                (period, head): amount
                for (_account, period, head), amount in service_paid(session, Service.WATER.value, [uuid]).items()
            }
            rows = session.execute(
                select(
                    ServiceDemand.period,
                    ServiceDemand.head,
                    ServiceDemand.amount_paise,
                    ServiceDemand.due_date,
                    ServiceDemand.detail,
                )
                .where(ServiceDemand.service == Service.WATER.value, ServiceDemand.account_uuid == uuid)
                .order_by(ServiceDemand.due_date.desc(), ServiceDemand.period.desc())
            ).all()
            return [
                ChargeView(period, head, amount, paid.get((period, head), 0), date.fromisoformat(due), detail)
                for period, head, amount, due, detail in rows
            ]

    # --- changing the register -------------------------------------------------------------------

    def create(self, actor: Actor, data: ConnectionInput, *, regularise: bool = False) -> ConnectionView:
        """A new connection (or an illegal one being regularised): its consumer number, the event, the
        meter's first reading (metered) and the connection or regularisation fee for this FY."""
        require(actor, Permission.MANAGE_WATER)
        cleaned = _clean(data)
        today = self.today()
        with self._db.write() as session:
            property_uuid = self._check(session, cleaned, today, exclude_uuid=None, creating=True)
            tariff = self._tariff_today(today)
            now = self._clock.now_utc()
            row = WaterConnection(
                uuid=new_uuid(),
                ulb_code=self._ulb,
                consumer_no=self._next_consumer_no(session, cleaned.ward_no),
                status=Status.ACTIVE.value,
                connected_on=cleaned.connected_on.isoformat(),
                disconnected_on="",
                created_at=now,
                version=1,
                server_version=0,
            )
            _apply(row, cleaned, property_uuid)
            session.add(row)
            session.flush()
            queue_record(session, self._outbox, "water_connection", row.uuid, record_fields(row))
            if regularise:
                fee = self._raise_fee(
                    session, row, Head.WATER_REGULARISATION_FEE, tariff.fees.regularisation, today, "regularisation"
                )
                kind = EventKind.REGULARISED
            else:
                fee = self._raise_fee(
                    session, row, Head.WATER_CONNECTION_FEE, tariff.fees.new_connection, today, "new connection"
                )
                kind = EventKind.CONNECTED
            self._event(session, actor, row, kind, cleaned.connected_on, "", fee)
            if row.metered:
                self._insert_reading(
                    session, actor, row, cleaned.connected_on, cleaned.initial_reading_litres, 0, "", "initial reading"
                )
            view = self._view(session, row)
            self._audit.record(
                session, actor, f"water.{kind.value.lower()}", "water_connection", row.uuid, None, _snapshot(view)
            )
            return view

    def update(
        self, actor: Actor, uuid: str, data: ConnectionInput, expected_version: int | None = None
    ) -> ConnectionView:
        """Change a connection's facts. `expected_version` (from the screen that showed it) makes a
        concurrent edit fail with ConflictError instead of being overwritten. Status changes go through
        disconnect/reconnect; the consumer number never changes (it is printed on bills)."""
        require(actor, Permission.MANAGE_WATER)
        cleaned = _clean(data)
        today = self.today()
        with self._db.write() as session:
            row = self._row(session, uuid)
            if expected_version is not None and row.version != expected_version:
                raise ConflictError(
                    f"water connection {row.consumer_no} was changed by someone else (version {row.version}, "
                    f"you saw {expected_version}); reopen it and edit again"
                )
            property_uuid = self._check(session, cleaned, today, exclude_uuid=uuid, creating=False)
            before_view = self._view(session, row)
            before = record_fields(row)
            _apply(row, cleaned, property_uuid)
            row.connected_on = cleaned.connected_on.isoformat()
            if record_fields(row) == before:
                return before_view
            row.version += 1
            session.flush()
            self._queue_change(session, row, before)
            view = self._view(session, row)
            self._audit.record(
                session, actor, "water.update", "water_connection", uuid, _snapshot(before_view), _snapshot(view)
            )
            return view

    def disconnect(self, actor: Actor, uuid: str, on: date, reason: str) -> ConnectionView:
        """Disconnect from `on`: charged up to and including that month, nothing after."""
        require(actor, Permission.MANAGE_WATER)
        reason = clean_text(reason)
        today = self.today()
        with self._db.write() as session:
            row = self._row(session, uuid)
            where = f"water connection {row.consumer_no}"
            if row.status != Status.ACTIVE:
                raise ValidationError(f"{where} is already disconnected (since {_show(row.disconnected_on)})")
            if not reason:
                raise ValidationError(f"{where}: say why it is disconnected (reason is empty)")
            if on > today:
                raise ValidationError(f"{where}: disconnection date {format_date(on)} is in the future")
            last_event = self._last_event_date(session, uuid) or date.fromisoformat(row.connected_on)
            if on < last_event:
                raise ValidationError(
                    f"{where}: disconnection date {format_date(on)} is before its last connection "
                    f"({format_date(last_event)})"
                )
            charged_to = self._last_charged_month(session, uuid)
            if charged_to is not None and charged_to > month_of(on):
                raise ValidationError(
                    f"{where}: charges are raised up to {month_code(charged_to)}; "
                    f"it cannot be disconnected before {month_code(charged_to)}"
                )
            before_view = self._view(session, row)
            before = record_fields(row)
            row.status = Status.DISCONNECTED.value
            row.disconnected_on = on.isoformat()
            row.version += 1
            session.flush()
            self._queue_change(session, row, before)
            self._event(session, actor, row, EventKind.DISCONNECTED, on, reason, None)
            view = self._view(session, row)
            self._audit.record(
                session, actor, "water.disconnect", "water_connection", uuid, _snapshot(before_view), _snapshot(view)
            )
            return view

    def reconnect(self, actor: Actor, uuid: str, on: date, reason: str = "") -> ConnectionView:
        """Reconnect from `on` (charged again from the next month) and raise the reconnection fee for the
        month of `on` (one fee a month: a second reconnection in the same month raises none)."""
        require(actor, Permission.MANAGE_WATER)
        reason = clean_text(reason)
        today = self.today()
        with self._db.write() as session:
            row = self._row(session, uuid)
            where = f"water connection {row.consumer_no}"
            if row.status != Status.DISCONNECTED:
                raise ValidationError(f"{where} is not disconnected")
            if on > today:
                raise ValidationError(f"{where}: reconnection date {format_date(on)} is in the future")
            disconnected = date.fromisoformat(row.disconnected_on)
            if on < disconnected:
                raise ValidationError(
                    f"{where}: reconnection date {format_date(on)} is before it was disconnected "
                    f"({format_date(disconnected)})"
                )
            tariff = self._tariff_on(on)
            before_view = self._view(session, row)
            before = record_fields(row)
            row.status = Status.ACTIVE.value
            row.disconnected_on = ""
            row.version += 1
            session.flush()
            self._queue_change(session, row, before)
            period = month_code(month_of(on))
            fee = None
            exists = session.scalar(
                select(ServiceDemand.id).where(
                    ServiceDemand.service == Service.WATER.value,
                    ServiceDemand.account_uuid == uuid,
                    ServiceDemand.period == period,
                    ServiceDemand.head == Head.WATER_RECONNECTION_FEE.value,
                )
            )
            if exists is None:
                fee = self._raise_fee(
                    session, row, Head.WATER_RECONNECTION_FEE, tariff.fees.reconnection, on, "reconnection", period
                )
            self._event(session, actor, row, EventKind.RECONNECTED, on, reason, fee)
            view = self._view(session, row)
            self._audit.record(
                session, actor, "water.reconnect", "water_connection", uuid, _snapshot(before_view), _snapshot(view)
            )
            return view

    # --- meter readings ---------------------------------------------------------------------------

    def record_reading(
        self, actor: Actor, uuid: str, reading_date: date, reading_litres: int, reason: str = "", note: str = ""
    ) -> ReadingView:
        """Record a meter reading (see the module docstring for the rules)."""
        require(actor, Permission.MANAGE_WATER)
        note = clean_text(note)
        try:
            why = ReadingReason(reason)
        except ValueError:
            raise ValidationError(
                f"reading reason {reason!r} is not known (METER_REPLACED, ROLLED_OVER or none)"
            ) from None
        today = self.today()
        with self._db.write() as session:
            row = self._row(session, uuid)
            where = f"water connection {row.consumer_no}"
            if not row.metered:
                raise ValidationError(f"{where} is not metered: it has no meter readings")
            if row.status != Status.ACTIVE:
                raise ValidationError(f"{where} is disconnected: readings are taken on active connections only")
            if reading_litres < 0 or reading_litres >= self._rollover:
                raise ValidationError(
                    f"{where}: reading {reading_litres:,} L is not on the meter (0 to {self._rollover - 1:,} L)"
                )
            if reading_date > today:
                raise ValidationError(f"{where}: reading date {format_date(reading_date)} is in the future")
            connected = date.fromisoformat(row.connected_on)
            if reading_date < connected:
                raise ValidationError(
                    f"{where}: reading date {format_date(reading_date)} is before the connection "
                    f"({format_date(connected)})"
                )
            last = session.scalars(
                select(MeterReading)
                .where(MeterReading.connection_uuid == uuid)
                .order_by(MeterReading.reading_date.desc())
                .limit(1)
            ).first()
            if last is None:
                consumption = 0  # the meter's first reading is its start
            else:
                last_date = date.fromisoformat(last.reading_date)
                if reading_date <= last_date:
                    raise ValidationError(
                        f"{where}: reading date {format_date(reading_date)} must be after the last reading "
                        f"({format_date(last_date)}, {last.reading_litres:,} L)"
                    )
                if reading_litres < last.reading_litres and why == ReadingReason.NONE:
                    raise ValidationError(
                        f"{where}: reading {reading_litres:,} L is below the last reading "
                        f"{last.reading_litres:,} L of {format_date(last_date)}; "
                        "if the meter was replaced or rolled over, say so"
                    )
                if why == ReadingReason.ROLLED_OVER and reading_litres >= last.reading_litres:
                    raise ValidationError(
                        f"{where}: a rolled-over meter reads less than before, but {reading_litres:,} L "
                        f"is not below the last reading {last.reading_litres:,} L"
                    )
                consumption = consumption_of(last.reading_litres, reading_litres, why, self._rollover)
            reading = self._insert_reading(session, actor, row, reading_date, reading_litres, consumption, why, note)
            view = self._reading_view(reading, row.consumer_no)
            self._audit.record(session, actor, "water.reading", "meter_reading", reading.uuid, None, asdict(view))
            return view

    # --- demand ------------------------------------------------------------------------------------

    def generate_demand(self, actor: Actor, period_code: str) -> GenerationResult:
        """Raise the water charge of a month ("2026-11") or an FY quarter ("2026-27-Q3") on every
        connection of the ULB, in one transaction. A month: MONTHLY connections. A quarter: QUARTERLY
        connections one charge for the quarter, MONTHLY connections its months begun so far. Rows
        already raised stay as they are (a re-run raises only what is missing)."""
        if not (actor.can(Permission.GENERATE_DEMAND) or actor.can(Permission.MANAGE_WATER)):
            require(actor, Permission.GENERATE_DEMAND)
        period = parse_period(period_code)
        today = self.today()
        if period.first_day > today:
            raise ValidationError(f"period {period.code} has not begun yet (today is {format_date(today)})")
        # The periods a run can raise: the quarter itself (QUARTERLY) and each month (MONTHLY).
        # Months not begun yet are left for a later run (a quarter's run early in the quarter).
        begun = [m for m in map(month_code, period.months) if parse_period(m).first_day <= today]
        targets: dict[str, Period] = {m: parse_period(m) for m in begun}
        if period.is_quarter:
            targets[period.code] = period
        tariffs = {code: self._tariff_on(p.first_day) for code, p in targets.items()}
        with self._db.write() as session:
            conn = session.connection()
            wc = table_of(WaterConnection)
            connections = conn.execute(
                select(
                    wc.c.uuid,
                    wc.c.consumer_no,
                    wc.c.ward_no,
                    wc.c.category,
                    wc.c.metered,
                    wc.c.billing_cycle,
                    wc.c.connected_on,
                ).where(wc.c.ulb_code == self._ulb, wc.c.connected_on <= period.last_day.isoformat())
            ).all()
            ev = table_of(WaterConnectionEvent)
            events: dict[str, list[tuple[date, str]]] = defaultdict(list)
            for uuid, on_date, kind in conn.execute(
                select(ev.c.connection_uuid, ev.c.on_date, ev.c.kind).where(
                    ev.c.kind.in_((EventKind.DISCONNECTED.value, EventKind.RECONNECTED.value))
                )
            ):
                events[uuid].append((date.fromisoformat(on_date), kind))
            existing = set(
                conn.execute(
                    select(_DEMAND.c.account_uuid, _DEMAND.c.period).where(
                        _DEMAND.c.fy == period.fy,  # ix_service_demand_fy_service narrows it to one FY
                        _DEMAND.c.service == Service.WATER.value,
                        _DEMAND.c.head == Head.WATER_CHARGE.value,
                        _DEMAND.c.period.in_(list(targets)),
                    )
                ).all()
            )
            mr = table_of(MeterReading)
            drawn: dict[tuple[str, str], int] = {}
            for code, target in targets.items():
                for uuid, litres in conn.execute(
                    select(mr.c.connection_uuid, func.sum(mr.c.consumption_litres))
                    .where(
                        mr.c.reading_date >= target.first_day.isoformat(),
                        mr.c.reading_date <= target.last_day.isoformat(),
                    )
                    .group_by(mr.c.connection_uuid)
                ):
                    drawn[(uuid, code)] = int(litres or 0)

            # Work everything out (and find every missing rate) before writing anything.
            now = self._clock.now_utc()
            rows: list[dict[str, Any]] = []
            missing: dict[str, list[str]] = defaultdict(list)
            already = not_chargeable = 0
            quarter_codes = [period.code] if period.is_quarter else []
            worked: dict[tuple[str, str, bool, int, int], Charge] = {}
            for uuid, consumer_no, ward_no, category, metered, cycle, connected_on in connections:
                codes = quarter_codes if cycle == BillingCycle.QUARTERLY else begun
                if not codes:
                    continue
                intervals = chargeable_intervals(date.fromisoformat(connected_on), events.get(uuid, []))
                for code in codes:
                    target = targets[code]
                    if (uuid, code) in existing:
                        already += 1
                        continue
                    months = chargeable_months(target, intervals)
                    if not months:
                        not_chargeable += 1
                        continue
                    tariff = tariffs[code]
                    problem = rate_problem(tariff, category, bool(metered))
                    if problem:
                        missing[problem].append(consumer_no)
                        continue
                    # Most connections are flat: the same few charges, worked out once each.
                    key = (code, category, bool(metered), len(months), drawn.get((uuid, code), 0) if metered else 0)
                    charge = worked.get(key)
                    if charge is None:
                        charge = worked[key] = water_charge(tariff, category, key[2], key[3], key[4])
                    detail = charge.detail
                    if len(months) < len(target.months):
                        detail = f"{detail} ({len(months)} of {len(target.months)} months)"
                    rows.append(
                        {
                            "service": Service.WATER.value,
                            "account_uuid": uuid,
                            "period": code,
                            "fy": target.fy,
                            "head": Head.WATER_CHARGE.value,
                            "amount_paise": charge.amount_paise,
                            "due_date": (target.last_day + timedelta(days=tariff.due_days)).isoformat(),
                            "ward_no": ward_no,
                            "detail": detail[:200],
                        }
                    )
            if missing:
                raise ValidationError(
                    f"water demand for {period.code} not raised: "
                    + "; ".join(
                        f"{problem} ({len(nos):,} connections, e.g. {', '.join(nos[:3])})"
                        for problem, nos in sorted(missing.items())
                    )
                )
            if rows:
                # Driver-level executemany: a month of a large ULB is 100,000 rows.
                to_db = _DEMAND.c.created_at.type.bind_processor(conn.dialect)
                stored_now = to_db(now) if to_db else now
                conn.exec_driver_sql(
                    _INSERT_DEMANDS, [(*(values[k] for k in _DEMAND_SYNCED), stored_now) for values in rows]
                )
                # One sync op per charge, as queue_record writes it, in one executemany (a month of a
                # large ULB is 100,000 ops; one INSERT each was most of the run's time).
                self._outbox.append_many(
                    session,
                    RECORD_OP_KIND,
                    [
                        (uuid, {"entity": "service_demand", "uuid": uuid, "fields": fields})
                        for uuid, fields in (
                            (_demand_uuid(values), {k: values[k] for k in _DEMAND_SYNCED}) for values in rows
                        )
                    ],
                )
            result = GenerationResult(
                period=period.code,
                raised=len(rows),
                already_raised=already,
                not_chargeable=not_chargeable,
                total_paise=sum(r["amount_paise"] for r in rows),
            )
            self._audit.record(
                session, actor, "water.demand_generated", "service_demand", period.code, None, asdict(result)
            )
            return result

    # --- helpers -----------------------------------------------------------------------------------

    def _row(self, session: Session, uuid: str) -> WaterConnection:
        row = session.get(WaterConnection, uuid)
        if row is None or row.ulb_code != self._ulb:
            raise NotFoundError(f"no water connection with id {uuid}")
        return row

    def _tariff_on(self, day: date) -> WaterTariff:
        fy = FinancialYear.of(day).code
        try:
            return self._tariffs.water(self._ulb, fy, day)
        except TariffError:
            raise ValidationError(
                f"no water tariff for ULB {self._ulb}, FY {fy}: add resources/tariffs/{self._ulb}/water-{fy}.toml "
                "(or sync the central's tariffs)"
            ) from None

    def _tariff_today(self, today: date) -> WaterTariff:
        return self._tariff_on(today)

    def _check(
        self, session: Session, data: ConnectionInput, today: date, exclude_uuid: str | None, creating: bool
    ) -> str | None:
        """Every problem of a cleaned connection at once (WaterValidationError); the linked property's uuid."""
        problems: list[FieldProblem] = []

        def bad(name: str, message: str) -> None:
            problems.append(FieldProblem(name, message))

        if not data.holder_name_en and not data.holder_name_hi:
            bad("holder_name", "needs the holder's name in English or Hindi")
        if data.holder_name_en and has_devanagari(data.holder_name_en):
            bad("holder_name_en", f"{data.holder_name_en!r} is in Devanagari; put it in holder_name_hi")
        if data.holder_name_hi and not has_devanagari(data.holder_name_hi):
            bad("holder_name_hi", f"{data.holder_name_hi!r} is not in Devanagari")
        if len(data.holder_name_en) > 200 or len(data.holder_name_hi) > 200:
            bad("holder_name", "is longer than 200 characters")
        if data.mobile and not MOBILE_PATTERN.match(data.mobile):
            bad("mobile", f"{data.mobile!r} is not a 10-digit mobile number starting with 6-9")
        if len(data.address_en) > 300 or len(data.address_hi) > 300:
            bad("address", "is longer than 300 characters")
        if data.address_hi and not has_devanagari(data.address_hi):
            bad("address_hi", "has no Hindi (Devanagari) text")
        wards = set(session.scalars(select(Ward.number).where(Ward.ulb_code == self._ulb)))
        if data.ward_no not in wards:
            bad("ward_no", f"ward {data.ward_no} does not exist in {self._ulb}")
        if data.category not in tuple(Category):
            bad("category", f"unknown category {data.category!r} (one of {', '.join(Category)})")
        if data.pipe_size_mm not in PIPE_SIZES_MM:
            sizes = ", ".join(str(s) for s in PIPE_SIZES_MM)
            bad("pipe_size_mm", f"{data.pipe_size_mm} mm is not a pipe size (one of {sizes} mm)")
        if data.billing_cycle not in tuple(BillingCycle):
            bad("billing_cycle", f"unknown billing cycle {data.billing_cycle!r} (MONTHLY or QUARTERLY)")
        if data.metered:
            if not data.meter_no:
                bad("meter_no", "a metered connection needs its meter number")
            elif len(data.meter_no) > 30 or not METER_NO_PATTERN.match(data.meter_no):
                bad("meter_no", f"{data.meter_no!r} is not a meter number (letters, digits, '/', '-', up to 30)")
            else:
                clash = session.scalar(
                    select(WaterConnection.consumer_no).where(
                        WaterConnection.ulb_code == self._ulb,
                        WaterConnection.meter_no == data.meter_no,
                        WaterConnection.uuid != (exclude_uuid or ""),
                    )
                )
                if clash is not None:
                    bad("meter_no", f"meter {data.meter_no} is already on connection {clash}")
            if creating and not 0 <= data.initial_reading_litres < self._rollover:
                bad(
                    "initial_reading_litres",
                    f"must be 0 to {self._rollover - 1:,} L, got {data.initial_reading_litres:,}",
                )
        else:
            if data.meter_no:
                bad("meter_no", f"meter {data.meter_no} given but the connection is not metered")
            if creating and data.initial_reading_litres:
                bad("initial_reading_litres", "given but the connection is not metered")
        if data.connected_on > today:
            bad("connected_on", f"{format_date(data.connected_on)} is in the future")
        elif data.connected_on < EARLIEST_CONNECTION:
            bad("connected_on", f"{format_date(data.connected_on)} is too long ago")
        if data.category in tuple(Category):
            try:
                tariff = self._tariff_today(today)
            except ValidationError as error:
                bad("category", str(error))
            else:
                problem = rate_problem(tariff, data.category, data.metered)
                if problem:
                    bad("category" if not data.metered else "metered", problem)
        property_uuid: str | None = None
        if data.property_id:
            property_uuid = session.scalar(
                select(Property.uuid).where(Property.ulb_code == self._ulb, Property.property_id == data.property_id)
            )
            if property_uuid is None:
                bad("property_id", f"property {data.property_id} does not exist in {self._ulb}")
        if not creating and exclude_uuid is not None:
            first_reading = session.scalar(
                select(func.min(MeterReading.reading_date)).where(MeterReading.connection_uuid == exclude_uuid)
            )
            if first_reading and data.connected_on.isoformat() > first_reading:
                bad("connected_on", f"is after the first meter reading ({_show(first_reading)})")
        if problems:
            raise WaterValidationError(problems)
        return property_uuid

    def _next_consumer_no(self, session: Session, ward_no: int) -> str:
        """W-<ward>-<this counter>-<5-digit sequence of the ward on this counter>."""
        stem = f"W-{ward_no:02d}-{device_tag(self._device_no)}-"
        return next_serial(session, WaterConnection.consumer_no, stem, WaterConnection.ulb_code == self._ulb)

    def _raise_fee(
        self,
        session: Session,
        row: WaterConnection,
        head: Head,
        rupees: Any,
        day: date,
        what: str,
        period: str | None = None,
    ) -> FeeRaised:
        period = period or FinancialYear.of(day).code
        amount = rupees_to_paise(rupees)
        demand = ServiceDemand(
            service=Service.WATER.value,
            account_uuid=row.uuid,
            period=period,
            fy=FinancialYear.of(day).code,
            head=head.value,
            amount_paise=amount,
            due_date=day.isoformat(),  # a fee is due when it is raised
            ward_no=row.ward_no,
            detail=f"{what} fee {format_inr(amount)}",
            created_at=self._clock.now_utc(),
        )
        session.add(demand)
        session.flush()
        queue_record(
            session,
            self._outbox,
            "service_demand",
            service_demand_uuid(demand.service, demand.account_uuid, demand.period, demand.head),
            record_fields(demand),
        )
        return FeeRaised(head.value, period, amount)

    def _event(
        self,
        session: Session,
        actor: Actor,
        row: WaterConnection,
        kind: EventKind,
        on: date,
        reason: str,
        fee: FeeRaised | None,
    ) -> None:
        event = WaterConnectionEvent(
            uuid=new_uuid(),
            connection_uuid=row.uuid,
            kind=kind.value,
            on_date=on.isoformat(),
            reason=reason,
            fee_paise=fee.amount_paise if fee else 0,
            user_id=actor.user_id,
            at=self._clock.now_utc(),
        )
        session.add(event)
        session.flush()
        queue_record(session, self._outbox, "water_connection_event", event.uuid, record_fields(event))

    def _insert_reading(
        self,
        session: Session,
        actor: Actor,
        row: WaterConnection,
        on: date,
        litres: int,
        consumption: int,
        reason: str,
        note: str,
    ) -> MeterReading:
        reading = MeterReading(
            uuid=new_uuid(),
            connection_uuid=row.uuid,
            reading_date=on.isoformat(),
            reading_litres=litres,
            consumption_litres=consumption,
            reason=reason,
            note=note,
            recorded_by_user_id=actor.user_id,
            created_at=self._clock.now_utc(),
        )
        session.add(reading)
        session.flush()
        queue_record(session, self._outbox, "meter_reading", reading.uuid, record_fields(reading))
        return reading

    def _queue_change(self, session: Session, row: WaterConnection, before: dict[str, Any]) -> None:
        queue_record_edit(session, self._outbox, "water_connection", row, before)

    def _last_event_date(self, session: Session, uuid: str) -> date | None:
        value = session.scalar(
            select(func.max(WaterConnectionEvent.on_date)).where(WaterConnectionEvent.connection_uuid == uuid)
        )
        return date.fromisoformat(value) if value else None

    def _last_charged_month(self, session: Session, uuid: str) -> tuple[int, int] | None:
        periods = session.scalars(
            select(ServiceDemand.period).where(
                ServiceDemand.service == Service.WATER.value,
                ServiceDemand.account_uuid == uuid,
                ServiceDemand.head == Head.WATER_CHARGE.value,
            )
        ).all()
        months = [parse_period(p).months[-1] for p in periods]
        return max(months) if months else None

    def _last_readings(self, session: Session, uuids: list[str]) -> dict[str, LastReading]:
        if not uuids:
            return {}
        latest = (
            select(MeterReading.connection_uuid, func.max(MeterReading.reading_date).label("day"))
            .where(MeterReading.connection_uuid.in_(uuids))
            .group_by(MeterReading.connection_uuid)
            .subquery()
        )
        rows = session.execute(
            select(MeterReading.connection_uuid, MeterReading.reading_date, MeterReading.reading_litres).join(
                latest,
                (latest.c.connection_uuid == MeterReading.connection_uuid)
                & (latest.c.day == MeterReading.reading_date),
            )
        ).all()
        return {r[0]: LastReading(date.fromisoformat(r[1]), r[2]) for r in rows}

    def _view(
        self, session: Session, row: WaterConnection, property_id: str | None = None, last: LastReading | None = None
    ) -> ConnectionView:
        if property_id is None:
            property_id = (
                session.scalar(select(Property.property_id).where(Property.uuid == row.property_uuid))
                if row.property_uuid
                else None
            ) or ""
        if last is None and row.metered:
            last = self._last_readings(session, [row.uuid]).get(row.uuid)
        return ConnectionView(
            uuid=row.uuid,
            consumer_no=row.consumer_no,
            property_uuid=row.property_uuid,
            property_id=property_id,
            holder_name_en=row.holder_name_en,
            holder_name_hi=row.holder_name_hi,
            mobile=row.mobile,
            address_en=row.address_en,
            address_hi=row.address_hi,
            ward_no=row.ward_no,
            category=row.category,
            pipe_size_mm=row.pipe_size_mm,
            metered=row.metered,
            meter_no=row.meter_no,
            billing_cycle=row.billing_cycle,
            status=row.status,
            connected_on=date.fromisoformat(row.connected_on),
            disconnected_on=date.fromisoformat(row.disconnected_on) if row.disconnected_on else None,
            version=row.version,
            last_reading=last,
        )

    @staticmethod
    def _reading_view(row: MeterReading, consumer_no: str) -> ReadingView:
        return ReadingView(
            uuid=row.uuid,
            connection_uuid=row.connection_uuid,
            consumer_no=consumer_no,
            reading_date=date.fromisoformat(row.reading_date),
            reading_litres=row.reading_litres,
            consumption_litres=row.consumption_litres,
            reason=row.reason,
            note=row.note,
        )


def _clean(data: ConnectionInput) -> ConnectionInput:
    """NFC, trimmed, single-spaced text; codes upper-case; mobile digits only."""
    return replace(
        data,
        holder_name_en=clean_text(data.holder_name_en),
        holder_name_hi=clean_text(data.holder_name_hi),
        mobile=re.sub(r"[\s\-]", "", data.mobile),
        address_en=clean_text(data.address_en),
        address_hi=clean_text(data.address_hi),
        property_id=clean_text(data.property_id).upper().replace(" ", ""),
        category=clean_text(data.category).upper(),
        meter_no=clean_text(data.meter_no).upper().replace(" ", ""),
        billing_cycle=clean_text(data.billing_cycle).upper(),
    )


def _apply(row: WaterConnection, data: ConnectionInput, property_uuid: str | None) -> None:
    row.property_uuid = property_uuid
    row.holder_name_en = data.holder_name_en
    row.holder_name_hi = data.holder_name_hi
    row.mobile = data.mobile
    row.address_en = data.address_en
    row.address_hi = data.address_hi
    row.ward_no = data.ward_no
    row.category = data.category
    row.pipe_size_mm = data.pipe_size_mm
    row.metered = data.metered
    row.meter_no = data.meter_no
    row.billing_cycle = data.billing_cycle


def _demand_uuid(values: dict[str, Any]) -> str:
    return service_demand_uuid(values["service"], values["account_uuid"], values["period"], values["head"])


def _snapshot(view: ConnectionView) -> dict[str, Any]:
    return asdict(view)


def _show(iso: str) -> str:
    return format_date(date.fromisoformat(iso)) if iso else "?"
