"""Day-end registers (tariffs.md §3): the Daily Collection Summary by head and by mode, the
receipt-wise collection register and the cancelled-receipts register, for a day or one counter session.
A receipt may pay property tax, water, user charges and licence fees together, or only a service
account without a property (issue 5): the registers list it with its account number(s), and the
summary breaks the day's total down by service as well as by head.

Each is plain data first (dataclasses with rows and totals, for a screen), then a PDF drawn from that
data. Totals are computed from the same rows they sit under, so what is printed adds up:
the register total = the sum of receipts that stand = the summary's head total = its mode total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from app.billing.service import account_numbers
from app.collections.dto import Mode
from app.collections.models import CounterSession, Receipt, ReceiptCancellation, ReceiptLine
from app.core.clock import format_date, format_datetime_ist
from app.core.money import format_inr
from app.db import Database
from app.demand.dto import Head, Service
from app.errors import NotFoundError
from app.property.models import Property
from app.receipts.labels import HEAD_LABELS, MODE_LABELS, SERVICE_LABELS
from app.reports.fonts import LATIN, LATIN_BOLD, bilingual, has_devanagari_text, markup, para, register_fonts
from app.security.models import AppUser


@dataclass(frozen=True)
class RegisterRow:
    """One receipt of the collection register."""

    receipt_no: str
    collected_at_text: str  # DD-MM-YYYY HH:MM IST
    property_id: str  # the property's ID; for a receipt without one, its accounts' numbers
    payer_name: str
    mode: str
    instrument_no: str
    collector: str
    amount_paise: int
    cancelled: str | None  # "CANCELLED"/"DISHONOURED": listed, not counted in the total
    accounts: str = ""  # the other services' account numbers it pays ("W-01-000001, UC-01-000001")


@dataclass(frozen=True)
class CollectionRegister:
    rows: tuple[RegisterRow, ...]
    total_paise: int  # receipts that stand
    cancelled_paise: int  # receipts of the day taken back
    receipts: int
    cancelled: int


@dataclass(frozen=True)
class CancelledRow:
    receipt_no: str
    receipt_date: date
    property_id: str  # or, for a receipt without a property, its accounts' numbers
    payer_name: str
    amount_paise: int
    kind: str  # CANCELLED or DISHONOURED
    reason: str
    approved_by: str
    at_text: str  # when it was taken back, IST


@dataclass(frozen=True)
class CancelledRegister:
    rows: tuple[CancelledRow, ...]
    total_paise: int


@dataclass(frozen=True)
class HeadTotal:
    head: str
    label_en: str
    label_hi: str
    arrear_paise: int
    current_paise: int

    @property
    def total_paise(self) -> int:
        return self.arrear_paise + self.current_paise


@dataclass(frozen=True)
class ServiceTotal:
    service: str  # app.demand.dto.Service
    label_en: str
    label_hi: str
    receipts: int  # receipts that stand with at least one line of the service
    amount_paise: int


@dataclass(frozen=True)
class ModeTotal:
    mode: str
    label_en: str
    label_hi: str
    receipts: int
    amount_paise: int


@dataclass(frozen=True)
class CollectionSummary:
    """Summary of Daily Collections: by revenue head and by mode (receipts that stand)."""

    by_head: tuple[HeadTotal, ...]
    by_mode: tuple[ModeTotal, ...]
    total_paise: int
    receipts: int  # all receipts issued, cancelled ones included
    cancelled: int
    first_receipt_no: str
    last_receipt_no: str
    by_service: tuple[ServiceTotal, ...] = ()  # property tax (with its rebate, advance...), water, SWM, trade


@dataclass(frozen=True)
class DayReport:
    ulb_name_en: str
    ulb_name_hi: str
    business_date: date
    session_uuid: str | None  # None: the whole day, every counter of this device
    scope_text: str
    summary: CollectionSummary
    register: CollectionRegister
    cancelled: CancelledRegister


_HEAD_ORDER = [h.value for h in Head]
_MODE_ORDER = [m.value for m in Mode]
_SERVICE_ORDER = [s.value for s in Service]


def day_report(
    db: Database, day: date, *, session_uuid: str | None = None, ulb_name_en: str = "", ulb_name_hi: str = ""
) -> DayReport:
    """The registers of `day` (or of one counter session): receipts of the day (cancelled ones marked),
    and cancellations recorded that day (or of the session's receipts)."""
    approver = aliased(AppUser)
    with db.read() as session:
        scope_text = "All counters of this device"
        if session_uuid is not None:
            counter = session.get(CounterSession, session_uuid)
            if counter is None:
                raise NotFoundError(f"no counter session {session_uuid}")
            day = date.fromisoformat(counter.business_date)
            user = session.get(AppUser, counter.user_id)
            scope_text = f"Counter session of {user.username if user else counter.user_id}, device {counter.device_no}"
        receipts_query = (
            select(
                Receipt.uuid,
                Receipt.receipt_no,
                Receipt.fy,
                Receipt.collected_at,
                Property.property_id,
                Receipt.payer_name,
                Receipt.mode,
                Receipt.instrument_no,
                AppUser.full_name,
                Receipt.amount_paise,
                ReceiptCancellation.kind,
            )
            .outerjoin(Property, Property.uuid == Receipt.property_uuid)
            .join(AppUser, AppUser.id == Receipt.user_id)
            .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
            .order_by(Receipt.series_key, Receipt.seq)
        )
        lines_query = (
            select(
                ReceiptLine.fy,
                ReceiptLine.head,
                ReceiptLine.amount_paise,
                Receipt.fy,
                ReceiptLine.service,
                Receipt.uuid,
            )
            .join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
            .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_uuid == Receipt.uuid)
            .where(ReceiptCancellation.uuid.is_(None))
        )
        accounts_query = (
            select(ReceiptLine.receipt_uuid, ReceiptLine.service, ReceiptLine.account)
            .join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
            .where(ReceiptLine.service != Service.PROPERTY.value)
            .order_by(ReceiptLine.receipt_uuid, ReceiptLine.ordinal)
        )
        cancelled_query = (
            select(
                Receipt.uuid,
                Receipt.receipt_no,
                Receipt.business_date,
                Property.property_id,
                Receipt.payer_name,
                Receipt.amount_paise,
                ReceiptCancellation.kind,
                ReceiptCancellation.reason,
                approver.full_name,
                ReceiptCancellation.at,
            )
            .join(Receipt, Receipt.uuid == ReceiptCancellation.receipt_uuid)
            .outerjoin(Property, Property.uuid == Receipt.property_uuid)
            .join(approver, approver.id == ReceiptCancellation.approved_by_user_id)
            .order_by(ReceiptCancellation.at)
        )
        if session_uuid is not None:
            receipts_query = receipts_query.where(Receipt.counter_session_uuid == session_uuid)
            lines_query = lines_query.where(Receipt.counter_session_uuid == session_uuid)
            cancelled_query = cancelled_query.where(Receipt.counter_session_uuid == session_uuid)
            accounts_query = accounts_query.where(Receipt.counter_session_uuid == session_uuid)
        else:
            # The day's receipts, and the receipts cancelled that day (possibly of an earlier day).
            cancelled_today = select(ReceiptCancellation.receipt_uuid).where(
                ReceiptCancellation.business_date == day.isoformat()
            )
            accounts_query = accounts_query.where(
                or_(Receipt.business_date == day.isoformat(), Receipt.uuid.in_(cancelled_today))
            )
            receipts_query = receipts_query.where(Receipt.business_date == day.isoformat())
            lines_query = lines_query.where(Receipt.business_date == day.isoformat())
            cancelled_query = cancelled_query.where(ReceiptCancellation.business_date == day.isoformat())
        receipt_rows = session.execute(receipts_query).all()
        line_rows = session.execute(lines_query).all()
        cancel_rows = session.execute(cancelled_query).all()
        account_rows = session.execute(accounts_query).all()
        numbers = account_numbers(session, ((a.service, a.account) for a in account_rows))
    accounts_of: dict[str, dict[str, None]] = defaultdict(dict)
    for a in account_rows:
        accounts_of[a.receipt_uuid][numbers.get(a.account, a.account[:8])] = None

    def accounts_text(receipt_uuid: str) -> str:
        return ", ".join(accounts_of.get(receipt_uuid, {}))

    rows = tuple(
        RegisterRow(
            receipt_no=r.receipt_no,
            collected_at_text=_datetime_text(r.collected_at),
            property_id=r.property_id if r.property_id is not None else accounts_text(r.uuid),
            payer_name=r.payer_name,
            mode=r.mode,
            instrument_no=r.instrument_no,
            collector=r.full_name,
            amount_paise=r.amount_paise,
            cancelled=r.kind,
            accounts=accounts_text(r.uuid),
        )
        for r in receipt_rows
    )
    register = CollectionRegister(
        rows=rows,
        total_paise=sum(r.amount_paise for r in rows if r.cancelled is None),
        cancelled_paise=sum(r.amount_paise for r in rows if r.cancelled is not None),
        receipts=len(rows),
        cancelled=sum(1 for r in rows if r.cancelled is not None),
    )

    heads: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    services: dict[str, int] = defaultdict(int)
    service_receipts: dict[str, set[str]] = defaultdict(set)
    for line_fy, head, amount, receipt_fy, service, receipt_uuid in line_rows:
        heads[head][0 if line_fy < receipt_fy else 1] += amount
        services[service] += amount
        service_receipts[service].add(receipt_uuid)
    by_service = tuple(
        ServiceTotal(service, *_service_labels(service), len(service_receipts[service]), amount)
        for service, amount in sorted(services.items(), key=lambda kv: _order(_SERVICE_ORDER, kv[0]))
    )
    by_head = tuple(
        HeadTotal(head, *_head_labels(head), arrear_paise=values[0], current_paise=values[1])
        for head, values in sorted(heads.items(), key=lambda kv: _order(_HEAD_ORDER, kv[0]))
    )
    modes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.cancelled is None:
            modes[row.mode][0] += 1
            modes[row.mode][1] += row.amount_paise
    by_mode = tuple(
        ModeTotal(mode, *_mode_labels(mode), receipts=values[0], amount_paise=values[1])
        for mode, values in sorted(modes.items(), key=lambda kv: _order(_MODE_ORDER, kv[0]))
    )
    summary = CollectionSummary(
        by_head=by_head,
        by_mode=by_mode,
        total_paise=register.total_paise,
        receipts=register.receipts,
        cancelled=register.cancelled,
        first_receipt_no=rows[0].receipt_no if rows else "",
        last_receipt_no=rows[-1].receipt_no if rows else "",
        by_service=by_service,
    )
    cancelled_rows = tuple(
        CancelledRow(
            receipt_no=c.receipt_no,
            receipt_date=date.fromisoformat(c.business_date),
            property_id=c.property_id if c.property_id is not None else accounts_text(c.uuid),
            payer_name=c.payer_name,
            amount_paise=c.amount_paise,
            kind=c.kind,
            reason=c.reason,
            approved_by=c.full_name,
            at_text=_datetime_text(c.at),
        )
        for c in cancel_rows
    )
    return DayReport(
        ulb_name_en=ulb_name_en,
        ulb_name_hi=ulb_name_hi,
        business_date=day,
        session_uuid=session_uuid,
        scope_text=scope_text,
        summary=summary,
        register=register,
        cancelled=CancelledRegister(rows=cancelled_rows, total_paise=sum(c.amount_paise for c in cancelled_rows)),
    )


def _datetime_text(moment: datetime) -> str:
    return format_datetime_ist(moment)


def _order(order: list[str], value: str) -> tuple[int, str]:
    return (order.index(value) if value in order else len(order), value)


def _head_labels(head: str) -> tuple[str, str]:
    try:
        en, hi = HEAD_LABELS[Head(head)]
    except ValueError:
        return head, head
    if head == Head.ADVANCE:
        return "Advance (created − adjusted)", "अग्रिम (जमा − समायोजित)"
    return en, hi


def _service_labels(service: str) -> tuple[str, str]:
    try:
        return SERVICE_LABELS[Service(service)]
    except ValueError:
        return service, service


def _mode_labels(mode: str) -> tuple[str, str]:
    try:
        return MODE_LABELS[Mode(mode)]
    except ValueError:
        return mode, mode


# -- PDF ---------------------------------------------------------------------------------------------

GRID = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.92, 0.92, 0.92)
_CHUNK = 250  # rows per Table: splitting one huge Table across pages is slow in ReportLab
_BODY = 8.0
_TOTAL_ROW = (("FONTNAME", (0, -1), (-1, -1), LATIN_BOLD), ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black))


def _p(text_markup: str, size: float = _BODY, align: str = "left") -> Paragraph:
    return para(text_markup, size, align)


def _cell(text: str) -> str | Paragraph:
    """Latin text as a plain cell (fast); anything with Devanagari as a shaped Paragraph."""
    return _p(markup(text)) if has_devanagari_text(text) or len(text) > 34 else text


def _grid_style(header_rows: int = 1, amount_cols: tuple[int, ...] = ()) -> list[tuple[Any, ...]]:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), _BODY),
        ("GRID", (0, 0), (-1, -1), 0.35, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    for col in amount_cols:
        commands.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    return commands


def _title(report: DayReport, title_en: str, title_hi: str) -> list[Flowable]:
    return [
        _p(bilingual(report.ulb_name_en, report.ulb_name_hi, bold=True), 13, "center"),
        _p(bilingual(title_en, title_hi, bold=True), 11.5, "center"),
        _p(
            markup(f"Business date / दिनांक: {format_date(report.business_date)} · {report.scope_text}"),
            9,
            "center",
        ),
        Spacer(1, 4 * mm),
    ]


def summary_story(report: DayReport, width: float) -> list[Flowable]:
    s = report.summary
    story = _title(report, "Summary of Daily Collections", "दैनिक संग्रह सारांश")
    facts = [
        [_p(bilingual("Receipts issued", "जारी रसीदें")), str(s.receipts)],
        [_p(bilingual("Cancelled / dishonoured", "निरस्त / अनादृत")), str(s.cancelled)],
        [_p(bilingual("First receipt", "पहली रसीद")), s.first_receipt_no],
        [_p(bilingual("Last receipt", "अंतिम रसीद")), s.last_receipt_no],
    ]
    table = Table(facts, colWidths=[width * 0.3, width * 0.4], hAlign="LEFT")
    table.setStyle(TableStyle(_grid_style(0)))
    story += [table, Spacer(1, 5 * mm)]

    head_rows: list[list[Any]] = [
        [
            _p(bilingual("Revenue head", "राजस्व मद", bold=True)),
            _p(bilingual("Arrears", "बकाया", bold=True), align="right"),
            _p(bilingual("Current", "चालू", bold=True), align="right"),
            _p(bilingual("Total", "योग", bold=True), align="right"),
        ]
    ]
    for h in s.by_head:
        head_rows.append(
            [
                _p(bilingual(h.label_en, h.label_hi)),
                format_inr(h.arrear_paise),
                format_inr(h.current_paise),
                format_inr(h.total_paise),
            ]
        )
    head_rows.append(
        [
            _p(bilingual("Total", "कुल योग", bold=True)),
            format_inr(sum(h.arrear_paise for h in s.by_head)),
            format_inr(sum(h.current_paise for h in s.by_head)),
            format_inr(s.total_paise),
        ]
    )
    table = Table(head_rows, colWidths=[width * 0.4, width * 0.2, width * 0.2, width * 0.2])
    table.setStyle(TableStyle([*_grid_style(1, (1, 2, 3)), *_TOTAL_ROW]))
    story += [
        _p(bilingual("By revenue head", "राजस्व मदवार", bold=True), 10),
        Spacer(1, 1.5 * mm),
        table,
        Spacer(1, 5 * mm),
    ]

    service_rows: list[list[Any]] = [
        [
            _p(bilingual("Service", "सेवा", bold=True)),
            _p(bilingual("Receipts", "रसीदें", bold=True), align="right"),
            _p(bilingual("Amount", "राशि", bold=True), align="right"),
        ]
    ]
    for t in s.by_service:
        service_rows.append([_p(bilingual(t.label_en, t.label_hi)), str(t.receipts), format_inr(t.amount_paise)])
    service_rows.append(
        [_p(bilingual("Total", "कुल योग", bold=True)), "", format_inr(sum(t.amount_paise for t in s.by_service))]
    )
    table = Table(service_rows, colWidths=[width * 0.4, width * 0.2, width * 0.2], hAlign="LEFT")
    table.setStyle(TableStyle([*_grid_style(1, (1, 2)), *_TOTAL_ROW]))
    story += [
        _p(bilingual("By service", "सेवावार", bold=True), 10),
        Spacer(1, 1.5 * mm),
        table,
        Spacer(1, 5 * mm),
    ]

    mode_rows: list[list[Any]] = [
        [
            _p(bilingual("Mode", "माध्यम", bold=True)),
            _p(bilingual("Receipts", "रसीदें", bold=True), align="right"),
            _p(bilingual("Amount", "राशि", bold=True), align="right"),
        ]
    ]
    for m in s.by_mode:
        mode_rows.append([_p(bilingual(m.label_en, m.label_hi)), str(m.receipts), format_inr(m.amount_paise)])
    mode_rows.append(
        [
            _p(bilingual("Total", "कुल योग", bold=True)),
            str(sum(m.receipts for m in s.by_mode)),
            format_inr(sum(m.amount_paise for m in s.by_mode)),
        ]
    )
    table = Table(mode_rows, colWidths=[width * 0.4, width * 0.2, width * 0.2], hAlign="LEFT")
    table.setStyle(TableStyle([*_grid_style(1, (1, 2)), *_TOTAL_ROW]))
    story += [_p(bilingual("By mode of payment", "भुगतान माध्यमवार", bold=True), 10), Spacer(1, 1.5 * mm), table]
    return story


def _property_and_accounts(row: RegisterRow) -> str:
    """ "W01-000001 + W-01-000001, UC-01-000001": the property and the other accounts a receipt pays."""
    if row.accounts and row.property_id != row.accounts:
        return f"{row.property_id} + {row.accounts}" if row.property_id else row.accounts
    return row.property_id


def register_story(report: DayReport, width: float) -> list[Flowable]:
    reg = report.register
    story = _title(report, "Collection Register (receipt-wise)", "संग्रह पंजी (रसीदवार)")
    header = [
        "#",
        _p(bilingual("Receipt No.", "रसीद क्र.", bold=True)),
        _p(bilingual("Time", "समय", bold=True)),
        _p(bilingual("Property / account", "संपत्ति / खाता", bold=True)),
        _p(bilingual("Payer", "भुगतानकर्ता", bold=True)),
        _p(bilingual("Mode, instrument", "माध्यम, लिखत", bold=True)),
        _p(bilingual("Collector", "संग्रहकर्ता", bold=True)),
        _p(bilingual("Amount", "राशि", bold=True), align="right"),
        _p(bilingual("Status", "स्थिति", bold=True)),
    ]
    fractions = [0.04, 0.18, 0.05, 0.14, 0.17, 0.12, 0.12, 0.1, 0.08]
    widths = [f * width for f in fractions]
    body = [
        [
            str(i),
            r.receipt_no,
            r.collected_at_text[-5:],
            _cell(_property_and_accounts(r)),
            _cell(r.payer_name),
            f"{r.mode} {r.instrument_no}".strip(),
            _cell(r.collector),
            format_inr(r.amount_paise),
            r.cancelled or "",
        ]
        for i, r in enumerate(reg.rows, start=1)
    ]
    for start in range(0, max(len(body), 1), _CHUNK):
        chunk = body[start : start + _CHUNK]
        table = Table([header, *chunk], colWidths=widths, repeatRows=1)
        commands = _grid_style(1, (7,))
        for offset, row in enumerate(chunk, start=1):
            if row[-1]:
                commands.append(("TEXTCOLOR", (0, offset), (-1, offset), colors.Color(0.55, 0.1, 0.1)))
        table.setStyle(TableStyle(commands))
        story.append(table)
    totals = Table(
        [
            [
                _p(bilingual("Total of receipts that stand", "मान्य रसीदों का योग", bold=True)),
                format_inr(reg.total_paise),
            ],
            [
                _p(bilingual(f"Cancelled / dishonoured ({reg.cancelled}), not counted", "निरस्त / अनादृत, योग में नहीं")),
                format_inr(reg.cancelled_paise),
            ],
        ],
        colWidths=[width * 0.5, width * 0.2],
        hAlign="RIGHT",
    )
    totals.setStyle(TableStyle([*_grid_style(0, (1,)), ("FONTNAME", (1, 0), (1, 0), LATIN_BOLD)]))
    story += [Spacer(1, 2 * mm), totals]
    return story


def cancelled_story(report: DayReport, width: float) -> list[Flowable]:
    reg = report.cancelled
    story = _title(report, "Cancelled Receipts Register", "निरस्त रसीद पंजी")
    header = [
        "#",
        _p(bilingual("Receipt No.", "रसीद क्र.", bold=True)),
        _p(bilingual("Receipt date", "रसीद दिनांक", bold=True)),
        _p(bilingual("Property", "संपत्ति", bold=True)),
        _p(bilingual("Payer", "भुगतानकर्ता", bold=True)),
        _p(bilingual("Amount", "राशि", bold=True), align="right"),
        _p(bilingual("Kind", "प्रकार", bold=True)),
        _p(bilingual("Reason", "कारण", bold=True)),
        _p(bilingual("Approved by", "अनुमोदक", bold=True)),
        _p(bilingual("When", "कब", bold=True)),
    ]
    fractions = [0.03, 0.19, 0.08, 0.08, 0.13, 0.08, 0.08, 0.15, 0.1, 0.08]
    body: list[list[Any]] = [
        [
            str(i),
            c.receipt_no,
            format_date(c.receipt_date),
            c.property_id,
            _cell(c.payer_name),
            format_inr(c.amount_paise),
            c.kind,
            _p(markup(c.reason)),
            _cell(c.approved_by),
            _p(markup(c.at_text)),
        ]
        for i, c in enumerate(reg.rows, start=1)
    ]
    if not body:
        body = [
            ["", _p(bilingual("No receipt was cancelled.", "कोई रसीद निरस्त नहीं हुई।")), "", "", "", "", "", "", "", ""]
        ]
    table = Table([header, *body], colWidths=[f * width for f in fractions], repeatRows=1)
    table.setStyle(TableStyle(_grid_style(1, (5,))))
    totals = Table(
        [
            [
                _p(bilingual(f"Total cancelled ({len(reg.rows)})", "निरस्त राशि का योग", bold=True)),
                format_inr(reg.total_paise),
            ]
        ],
        colWidths=[width * 0.5, width * 0.2],
        hAlign="RIGHT",
    )
    totals.setStyle(TableStyle([*_grid_style(0, (1,)), ("FONTNAME", (1, 0), (1, 0), LATIN_BOLD)]))
    story += [table, Spacer(1, 2 * mm), totals]
    return story


def render_day_pdf(report: DayReport, *, parts: tuple[str, ...] = ("summary", "register", "cancelled")) -> bytes:
    """The day's registers as one A4 landscape PDF: summary, register and cancelled register, each
    starting on a new page (choose with `parts`)."""
    register_fonts()
    page = landscape(A4)
    margin = 12 * mm
    width = page[0] - 2 * margin
    builders = {"summary": summary_story, "register": register_story, "cancelled": cancelled_story}
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        story += builders[part](report, width)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"Collection registers {format_date(report.business_date)}",
        author=report.ulb_name_en,
        creator="Nikay",
    )

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(LATIN, 7.5)
        canvas.drawRightString(page[0] - margin, margin - 2 * mm, f"Page {document.page}")  # Latin: no shaping needed
        canvas.drawString(margin, margin - 2 * mm, f"{report.ulb_name_en} · {format_date(report.business_date)}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
