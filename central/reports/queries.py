"""State-level figures from the central database: SQL aggregates (GROUP BY), never loops over receipts.

Scope: a state official reads every ULB; a ULB admin only theirs (`ReportScope`). Periods are
business dates (IST), inclusive. Collections show gross (every receipt), cancelled (receipts taken
back: cancelled or dishonoured) and net = gross - cancelled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import Session

from app.collections.numbering import GENESIS_HASH, chain_hash
from app.collections.service import receipt_hash_content
from app.core.clock import as_utc  # PostgreSQL answers in its session time zone; the device hashed UTC
from app.demand.dto import AllocatedLine, Head, Service
from central.db.models import DemandSummary, Device, Receipt, ReceiptCancellation, ReceiptLine, Ulb

REPORTS = (
    "collections-by-ulb",
    "collections-by-head",
    "collections-by-mode",
    "collections-by-day",
    "dcb",
    "chain",
    "devices",
)


class ScopeError(PermissionError):
    """A ULB admin asked for another ULB: answer 403."""


@dataclass(frozen=True)
class ReportScope:
    """Which ULBs a report may read: None = every ULB (state official)."""

    ulbs: frozenset[str] | None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def for_admin(
        cls,
        admin_ulb: str | None,
        requested_ulb: str | None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> ReportScope:
        if admin_ulb is not None and requested_ulb is not None and requested_ulb != admin_ulb:
            raise ScopeError(f"a ULB admin of {admin_ulb} cannot read {requested_ulb}'s figures")
        ulb = requested_ulb or admin_ulb
        return cls(frozenset({ulb}) if ulb else None, date_from, date_to)

    def ulb_filter(self, column: Any) -> list[ColumnElement[bool]]:
        return [] if self.ulbs is None else [column.in_(sorted(self.ulbs))]

    def receipt_filters(self) -> list[ColumnElement[bool]]:
        where = self.ulb_filter(Receipt.ulb_code)
        if self.date_from is not None:
            where.append(Receipt.business_date >= self.date_from)
        if self.date_to is not None:
            where.append(Receipt.business_date <= self.date_to)
        return where


@dataclass(frozen=True)
class Report:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    totals: dict[str, int] = field(default_factory=dict)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _taken_back() -> ColumnElement[bool]:
    # EXISTS, not a join: a second cancellation of one receipt (kept as an anomaly) must not double it.
    return exists().where(ReceiptCancellation.receipt_uuid == Receipt.uuid)


def _money_columns(amount: Any) -> tuple[Any, Any]:
    gross = func.coalesce(func.sum(amount), 0)
    cancelled = func.coalesce(func.sum(case((_taken_back(), amount), else_=0)), 0)
    return gross, cancelled


def _collections(session: Session, scope: ReportScope, name: str, keys: list[Any], labels: tuple[str, ...]) -> Report:
    """Gross/cancelled/net of receipts (or of their lines when grouped by head), grouped by `keys`."""
    by_line = any(getattr(k, "table", None) is ReceiptLine.__table__ for k in keys)
    amount = ReceiptLine.amount_paise if by_line else Receipt.amount_paise
    gross, cancelled = _money_columns(amount)
    query = select(*keys, func.count(func.distinct(Receipt.uuid)), gross, cancelled)
    if by_line:
        query = query.select_from(ReceiptLine).join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
    query = query.where(*scope.receipt_filters()).group_by(*keys).order_by(*keys)
    rows = [
        (*row[: len(keys)], int(row[-3]), int(row[-2]), int(row[-1]), int(row[-2]) - int(row[-1]))
        for row in session.execute(query)
    ]
    columns = (*labels, "receipts", "gross_paise", "cancelled_paise", "net_paise")
    totals = {
        "gross_paise": sum(r[-3] for r in rows),
        "cancelled_paise": sum(r[-2] for r in rows),
        "net_paise": sum(r[-1] for r in rows),
    }
    return Report(name, columns, rows, totals)


def collections_by_ulb(session: Session, scope: ReportScope) -> Report:
    return _collections(session, scope, "collections-by-ulb", [Receipt.ulb_code], ("ulb",))


def collections_by_head(session: Session, scope: ReportScope) -> Report:
    return _collections(session, scope, "collections-by-head", [Receipt.ulb_code, ReceiptLine.head], ("ulb", "head"))


def collections_by_mode(session: Session, scope: ReportScope) -> Report:
    return _collections(session, scope, "collections-by-mode", [Receipt.ulb_code, Receipt.mode], ("ulb", "mode"))


def collections_by_day(session: Session, scope: ReportScope) -> Report:
    return _collections(
        session, scope, "collections-by-day", [Receipt.ulb_code, Receipt.business_date], ("ulb", "business_date")
    )


def dcb_by_ulb(session: Session, scope: ReportScope) -> Report:
    """Demand (the ULB's demand register totals as its device last reported them), collection (net
    receipt lines of that FY and head, cancellations excluded) and balance, per ULB, FY and head."""
    demand: dict[tuple[str, str, str], int] = {}
    for ulb_code, fy, by_head in session.execute(
        select(DemandSummary.ulb_code, DemandSummary.fy, DemandSummary.by_head).where(
            *scope.ulb_filter(DemandSummary.ulb_code)
        )
    ):  # one small row per ULB and FY (not per receipt): expanded here, portable across databases
        for head, paise in (by_head or {}).items():
            demand[(ulb_code, fy, str(head))] = int(paise)
    net = func.coalesce(func.sum(case((_taken_back(), 0), else_=ReceiptLine.amount_paise)), 0)
    collection: dict[tuple[str, str, str], int] = {
        (ulb_code, fy, head): int(total)
        for ulb_code, fy, head, total in session.execute(
            select(Receipt.ulb_code, ReceiptLine.fy, ReceiptLine.head, net)
            .select_from(ReceiptLine)
            .join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
            .where(*scope.receipt_filters())
            .group_by(Receipt.ulb_code, ReceiptLine.fy, ReceiptLine.head)
        )
    }
    keys = sorted(set(demand) | {k for k, v in collection.items() if v and k[2] in _DEMAND_HEADS})
    rows = [(*k, demand.get(k, 0), collection.get(k, 0), demand.get(k, 0) - collection.get(k, 0)) for k in keys]
    totals = {
        "demand_paise": sum(r[3] for r in rows),
        "collection_paise": sum(r[4] for r in rows),
        "balance_paise": sum(r[5] for r in rows),
    }
    return Report("dcb", ("ulb", "fy", "head", "demand_paise", "collection_paise", "balance_paise"), rows, totals)


# Heads a demand is raised or accrued on (REBATE, ROUND_OFF and ADVANCE are not demand).
_DEMAND_HEADS = frozenset({Head.PROPERTY_TAX, Head.SAMEKIT, Head.EDUCATION_CESS, Head.SURCHARGE, Head.PENALTY})


# --- chain verification ------------------------------------------------------------------------------


@dataclass
class _SeriesState:
    ulb_code: str
    device_id: str
    series_key: str
    receipts: int = 0
    first_seq: int = 0
    last_seq: int = 0
    prev_hash: str = GENESIS_HASH
    broken_at: int | None = None
    problem: str = ""
    gaps: list[int] = field(default_factory=list)
    collisions: list[int] = field(default_factory=list)


def _lines_by_receipt(session: Session, scope: ReportScope) -> Iterator[tuple[str, str, str, int, str, str, str]]:
    for row in session.execute(
        select(
            ReceiptLine.receipt_uuid,
            ReceiptLine.fy,
            ReceiptLine.head,
            ReceiptLine.amount_paise,
            ReceiptLine.service,
            ReceiptLine.account,
            ReceiptLine.period,
        )
        .join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
        .where(*scope.ulb_filter(Receipt.ulb_code))
        .order_by(Receipt.series_key, Receipt.seq, Receipt.uuid, ReceiptLine.ordinal)
    ):
        yield row.receipt_uuid, row.fy, row.head, int(row.amount_paise), row.service, row.account, row.period


def chain_status(session: Session, scope: ReportScope) -> Report:
    """Walk every receipt series in seq order: each receipt's prev_hash must be the previous one's
    hash, and its hash is recomputed from its columns and lines exactly as the device made it
    (app.collections: chain_hash over receipt_hash_content). Says ok, broken at seq N, or gaps."""
    lines: dict[str, list[AllocatedLine]] = {}
    unreadable: set[str] = set()  # a line with a head the program does not know cannot be re-hashed
    for receipt_uuid, fy, head, amount, service, account, period in _lines_by_receipt(session, scope):
        if head in Head.__members__ and service in Service.__members__:
            # Water, licence and user-charge lines hash with their service, account and period.
            line = AllocatedLine(fy, Head(head), amount, Service(service), account, period)
            lines.setdefault(receipt_uuid, []).append(line)
        else:
            unreadable.add(receipt_uuid)
    states: dict[str, _SeriesState] = {}
    rows = session.execute(
        select(
            Receipt.ulb_code,
            Receipt.device_id,
            Receipt.series_key,
            Receipt.seq,
            Receipt.uuid,
            Receipt.receipt_no,
            Receipt.property_uuid,
            Receipt.collected_at,
            Receipt.business_date,
            Receipt.mode,
            Receipt.amount_paise,
            Receipt.instrument_no,
            Receipt.prev_hash,
            Receipt.hash,
        )
        .where(*scope.ulb_filter(Receipt.ulb_code))
        .order_by(Receipt.series_key, Receipt.seq, Receipt.server_received_at)
    )
    for r in rows:
        state = states.get(r.series_key)
        linked = False  # whether the previous receipt is there to check prev_hash against
        if state is None:
            state = states[r.series_key] = _SeriesState(r.ulb_code, r.device_id, r.series_key, first_seq=r.seq)
            state.gaps.extend(range(1, min(r.seq, _MAX_GAPS_LISTED + 1)))
            linked = r.seq == 1  # the first receipt of a series links to the genesis hash
        elif r.seq == state.last_seq:
            state.collisions.append(r.seq)  # the same number twice: both kept and flagged at push
            continue
        elif r.seq > state.last_seq + 1:
            state.gaps.extend(range(state.last_seq + 1, min(r.seq, state.last_seq + 1 + _MAX_GAPS_LISTED)))
        else:
            linked = True
        values = {
            "uuid": r.uuid,
            "receipt_no": r.receipt_no,
            "property_uuid": r.property_uuid,
            "collected_at": as_utc(r.collected_at),
            "business_date": r.business_date.isoformat(),
            "mode": r.mode,
            "amount_paise": int(r.amount_paise),
            "instrument_no": r.instrument_no,
        }
        if state.broken_at is None:
            if linked and r.prev_hash != state.prev_hash:
                state.broken_at, state.problem = r.seq, "prev_hash does not link to the previous receipt"
            elif r.uuid in unreadable or r.hash != chain_hash(
                r.prev_hash, receipt_hash_content(values, tuple(lines.get(r.uuid, ())))
            ):
                state.broken_at, state.problem = r.seq, "the receipt's content does not match its hash"
        state.receipts += 1
        state.last_seq = r.seq
        state.prev_hash = r.hash
    out: list[tuple[Any, ...]] = []
    for state in sorted(states.values(), key=lambda s: (s.ulb_code, s.series_key)):
        if state.broken_at is not None:
            status = f"broken at seq {state.broken_at}"
        elif state.gaps:
            status = "gaps"
        else:
            status = "ok"
        out.append(
            (
                state.ulb_code,
                state.device_id or "(online)",
                state.series_key,
                state.receipts,
                state.first_seq,
                state.last_seq,
                status,
                state.problem,
                ",".join(str(s) for s in state.gaps),
                ",".join(str(s) for s in state.collisions),
            )
        )
    columns = (
        "ulb",
        "device_id",
        "series_key",
        "receipts",
        "first_seq",
        "last_seq",
        "status",
        "problem",
        "gaps",
        "collisions",
    )
    return Report("chain", columns, out, {"series": len(out), "not_ok": sum(1 for r in out if r[6] != "ok")})


_MAX_GAPS_LISTED = 50  # per hole: enough to act on, bounded for a series missing thousands


# --- devices ---------------------------------------------------------------------------------------


def devices(session: Session, scope: ReportScope) -> Report:
    rows: list[tuple[Any, ...]] = [
        tuple(row)
        for row in session.execute(
            select(
                Device.ulb_code,
                Device.office_code,
                Device.device_no,
                Device.device_id,
                Device.status,
                Device.last_seen_at,
                Device.reported_backlog,
                Device.last_device_seq,
                Device.last_clock_skew_s,
            )
            .where(*scope.ulb_filter(Device.ulb_code))
            .order_by(Device.ulb_code, Device.device_no)
        )
    ]
    columns = (
        "ulb",
        "office",
        "device_no",
        "device_id",
        "status",
        "last_seen_at",
        "pending_backlog",
        "last_device_seq",
        "clock_skew_s",
    )
    return Report("devices", columns, rows, {"devices": len(rows), "backlog": sum(int(r[6] or 0) for r in rows)})


def known_ulbs(session: Session) -> list[str]:
    return list(session.scalars(select(Ulb.code).order_by(Ulb.code)))


def run_report(session: Session, name: str, scope: ReportScope) -> Report:
    runners = {
        "collections-by-ulb": collections_by_ulb,
        "collections-by-head": collections_by_head,
        "collections-by-mode": collections_by_mode,
        "collections-by-day": collections_by_day,
        "dcb": dcb_by_ulb,
        "chain": chain_status,
        "devices": devices,
    }
    runner = runners.get(name)
    if runner is None:
        raise KeyError(f"no report {name!r} (one of {', '.join(REPORTS)})")
    return runner(session, scope)
