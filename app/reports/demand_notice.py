"""The demand bill / notice of a property as a PDF, one or a whole ward at a time.

What it shows: the ULB, the property and its owners (both scripts), what is due by FY and head
(arrears first, surcharge and penalty as their own lines), the rebate window ("pay the whole current
year by 31-07-2026 to get 6.25%"), the date surcharge starts, the amount payable in figures and words,
and a UPI payment QR for exactly that amount to the ULB's VPA.

A ward's notices go into ONE PDF drawn page by page onto a single canvas: each notice's flowables
are built, drawn into the page frame and dropped, and the properties are read in chunks, so 5,000
notices never sit in memory as flowables at once (only ReportLab's compressed page streams do).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepInFrame, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import format_date
from app.core.fy import FinancialYear
from app.core.money import format_inr
from app.core.words import amount_in_words
from app.demand.dto import Dues
from app.demand.dues import compute_dues
from app.demand.service import load_ledger
from app.errors import NotFoundError
from app.masters.tariffs import TariffBook
from app.property.models import Owner, Property
from app.receipts.labels import HEAD_LABELS
from app.replica.service import central_setting
from app.reports.fonts import (
    LATIN,
    LATIN_BOLD,
    bilingual,
    has_devanagari_text,
    markup,
    para,
    register_fonts,
    static_paragraph,
)
from app.reports.upi import QrFlowable, ulb_upi_vpa, upi_url

if TYPE_CHECKING:
    from app.composition import Services

GRID = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.92, 0.92, 0.92)
PAGE = A4
MARGIN = 14 * mm
_CHUNK = 200  # properties read per query in a ward batch


@dataclass(frozen=True)
class NoticeOwner:
    name_en: str
    name_hi: str
    relation: str


@dataclass(frozen=True)
class Notice:
    """Everything one demand notice prints (plain data; the PDF is drawn from this)."""

    ulb_code: str
    ulb_name_en: str
    ulb_name_hi: str
    property_id: str
    old_id: str
    ward_no: int
    zone_code: str
    address_en: str
    address_hi: str
    owners: tuple[NoticeOwner, ...]
    dues: Dues
    surcharge_pct: str  # of the current year, e.g. "5"
    surcharge_from: date | None  # the day unpaid current-year tax starts to attract surcharge
    upi_vpa: str
    upi_url: str  # "" when nothing is payable or the ULB has no VPA

    @property
    def payable_paise(self) -> int:
        return self.dues.payable_paise


def _upi_vpa(session: Session, ulb_code: str) -> str:
    """The ULB's collection VPA: the central's setting once it came down, else the bundled ULB file."""
    return (central_setting(session, "payments.upi_vpa") or "").strip() or ulb_upi_vpa(ulb_code)


def _notice(
    tariffs: TariffBook,
    ulb: tuple[str, str, str],
    prop: Any,
    owners: tuple[NoticeOwner, ...],
    dues: Dues,
    vpa: str,
) -> Notice:
    code, name_en, name_hi = ulb
    surcharge_pct, surcharge_from = "", None
    if tariffs.has_property_tax(code, dues.current_fy):
        surcharge = tariffs.property_tax(code, dues.current_fy, dues.as_of).surcharge
        surcharge_pct, surcharge_from = f"{surcharge.pct.normalize():f}", surcharge.starts
    url = ""
    if vpa and dues.payable_paise > 0:
        url = upi_url(
            vpa,
            name_en[:50],
            dues.payable_paise,
            ref=f"{prop.property_id}-{dues.current_fy}"[:35],
            note=f"Property tax {prop.property_id} FY {dues.current_fy}",
        )
    return Notice(
        ulb_code=code,
        ulb_name_en=name_en,
        ulb_name_hi=name_hi,
        property_id=prop.property_id,
        old_id=prop.old_id,
        ward_no=prop.ward_no,
        zone_code=prop.zone_code,
        address_en=prop.address_en,
        address_hi=prop.address_hi,
        owners=owners,
        dues=dues,
        surcharge_pct=surcharge_pct,
        surcharge_from=surcharge_from,
        upi_vpa=vpa,
        upi_url=url,
    )


def _owners(session: Session, uuids: list[str]) -> dict[str, tuple[NoticeOwner, ...]]:
    found: dict[str, list[NoticeOwner]] = {uuid: [] for uuid in uuids}
    for row in session.execute(
        select(Owner.property_uuid, Owner.name_en, Owner.name_hi, Owner.relation)
        .where(Owner.property_uuid.in_(uuids))
        .order_by(Owner.property_uuid, Owner.ordinal)
    ):
        found[row.property_uuid].append(NoticeOwner(row.name_en, row.name_hi, row.relation))
    return {uuid: tuple(owners) for uuid, owners in found.items()}


_PROPERTY_COLUMNS = (
    Property.uuid,
    Property.property_id,
    Property.old_id,
    Property.ward_no,
    Property.zone_code,
    Property.address_en,
    Property.address_hi,
)


def notice_for(services: Services, property_uuid: str, on: date) -> Notice:
    """The notice of one property as on `on`."""
    device = services.device
    with services.db.read() as session:
        prop = session.execute(select(*_PROPERTY_COLUMNS).where(Property.uuid == property_uuid)).first()
        if prop is None:
            raise NotFoundError(f"no property with id {property_uuid}")
        dues = compute_dues(services.tariffs, load_ledger(session, property_uuid), on)
        owners = _owners(session, [property_uuid])[property_uuid]
        vpa = _upi_vpa(session, device.ulb_code)
    return _notice(services.tariffs, (device.ulb_code, device.ulb_name_en, device.ulb_name_hi), prop, owners, dues, vpa)


def ward_notices(services: Services, ward_no: int, on: date, limit: int | None = None) -> Iterator[Notice]:
    """The notices of every property of a ward (property ID order), read `_CHUNK` properties at a time.
    Properties with nothing due get a notice too (it says ₹0.00 payable), as a ward's bill run does."""
    device = services.device
    ulb = (device.ulb_code, device.ulb_name_en, device.ulb_name_hi)
    last = ""
    produced = 0
    while limit is None or produced < limit:
        with services.db.read() as session:
            query = (
                select(*_PROPERTY_COLUMNS)
                .where(Property.ulb_code == device.ulb_code, Property.ward_no == ward_no, Property.property_id > last)
                .order_by(Property.property_id)
                .limit(_CHUNK if limit is None else min(_CHUNK, limit - produced))
            )
            props = session.execute(query).all()
            if not props:
                return
            owners = _owners(session, [p.uuid for p in props])
            vpa = _upi_vpa(session, ulb[0])
            notices = [
                _notice(
                    services.tariffs,
                    ulb,
                    p,
                    owners[p.uuid],
                    compute_dues(services.tariffs, load_ledger(session, p.uuid), on),
                    vpa,
                )
                for p in props
            ]
        yield from notices
        produced += len(notices)
        last = props[-1].property_id


# -- drawing -----------------------------------------------------------------------------------------


def _p(text_markup: str, size: float = 9, align: str = "left") -> Paragraph:
    return para(text_markup, size, align)


def _s(text_markup: str, size: float = 9, align: str = "left") -> Paragraph:
    """Text every notice repeats (labels, headings): parsed once, reused."""
    return static_paragraph(text_markup, size, align)


def notice_story(notice: Notice, width: float) -> list[Flowable]:
    dues = notice.dues
    story: list[Flowable] = [
        _s(markup(notice.ulb_name_hi, bold=True), 15, "center"),
        _s(markup(notice.ulb_name_en, bold=True), 12, "center"),
        Spacer(1, 1.5 * mm),
        _s(bilingual("PROPERTY TAX DEMAND NOTICE", "संपत्ति कर मांग पत्र", bold=True), 12, "center"),
        _s(  # the same on every notice of a batch: drawn once
            markup(f"Financial year / वित्त वर्ष {dues.current_fy} · Date / दिनांक {format_date(dues.as_of)}"),
            9,
            "center",
        ),
        Spacer(1, 3 * mm),
    ]
    owners = "<br/>".join(
        markup(" / ".join(t for t in (o.name_en, o.name_hi) if t) + (f" ({o.relation})" if o.relation else ""))
        for o in notice.owners
    )
    # Latin-only values (IDs, numbers) are plain cells: no paragraph to lay out for them.
    property_text = notice.property_id + (f"  (old {notice.old_id})" if notice.old_id else "")
    info: list[tuple[str, str, Any]] = [
        (
            "Property ID",
            "संपत्ति क्र.",
            _p(markup(property_text, bold=True), 9.5) if has_devanagari_text(property_text) else property_text,
        ),
        ("Ward · Zone", "वार्ड · ज़ोन", f"{notice.ward_no} · {notice.zone_code}"),
        ("Owner(s)", "स्वामी", _p(owners or markup("—"), 9.5)),
        (
            "Address",
            "पता",
            _p("<br/>".join(markup(a) for a in (notice.address_en, notice.address_hi) if a) or markup("—"), 9.5),
        ),
    ]
    info_table = Table(
        [[_s(bilingual(en, hi), 8.5), value] for en, hi, value in info], colWidths=[width * 0.25, width * 0.75]
    )
    info_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (1, 0), (1, -1), LATIN),
                ("FONTNAME", (1, 0), (1, 0), LATIN_BOLD),
                ("FONTSIZE", (1, 0), (1, -1), 9.5),
                ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story += [info_table, Spacer(1, 3 * mm)]

    rows: list[list[Paragraph]] = [
        [
            _s(bilingual("FY", "वर्ष", bold=True), 8.5),
            _s(bilingual("Head", "मद", bold=True), 8.5),
            _s(bilingual("Demand", "मांग", bold=True), 8.5, "right"),
            _s(bilingual("Paid", "जमा", bold=True), 8.5, "right"),
            _s(bilingual("Due", "देय", bold=True), 8.5, "right"),
        ]
    ]
    sections: list[int] = []
    for title_en, title_hi, lines in (
        ("Arrears", "बकाया", [line for line in dues.lines if line.is_arrear]),
        ("Current year", "चालू वर्ष", [line for line in dues.lines if not line.is_arrear]),
    ):
        if not lines:
            continue
        sections.append(len(rows))
        rows.append([_s(bilingual(title_en, title_hi, bold=True), 8.5), "", "", "", ""])
        for line in lines:
            en, hi = HEAD_LABELS[line.head]
            rows.append(
                [
                    line.fy,
                    _s(bilingual(en, hi)),
                    format_inr(line.raised_paise),
                    format_inr(line.paid_paise),
                    format_inr(line.due_paise),
                ]
            )
    totals: list[tuple[str, str, int, bool]] = [
        ("Arrears due", "बकाया देय", dues.arrear_paise, False),
        ("Current year due", "चालू वर्ष देय", dues.current_paise, False),
    ]
    if dues.rebate:
        totals.append(
            (
                f"Rebate {dues.rebate.percent.normalize():f}% if paid by {format_date(dues.rebate.valid_until)}",
                f"छूट {dues.rebate.percent.normalize():f}% ({format_date(dues.rebate.valid_until)} तक भुगतान पर)",
                -dues.rebate.amount_paise,
                False,
            )
        )
    if dues.advance_paise:
        totals.append(("Advance credit", "अग्रिम जमा", -dues.advance_paise, False))
    if dues.round_off_paise:
        totals.append(("Round off", "पूर्णांकन", dues.round_off_paise, False))
    totals.append(("AMOUNT PAYABLE", "देय राशि", dues.payable_paise, True))
    first_total = len(rows)
    for en, hi, paise, bold in totals:
        rows.append(
            [
                "",
                _s(bilingual(en, hi, bold=bold), 10 if bold else 9)
                if not en.startswith("Rebate")
                else _p(bilingual(en, hi)),
                "",
                "",
                format_inr(paise),
            ]
        )
    table = Table(rows, colWidths=[width * 0.11, width * 0.44, width * 0.15, width * 0.15, width * 0.15])
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("FONTNAME", (4, -1), (4, -1), LATIN_BOLD),
        ("FONTSIZE", (4, -1), (4, -1), 10.5),
        ("GRID", (0, 0), (-1, first_total - 1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEABOVE", (0, first_total), (-1, first_total), 1, colors.black),
        ("LINEABOVE", (1, -1), (-1, -1), 1, colors.black),
        ("BACKGROUND", (1, -1), (-1, -1), SHADE),
    ]
    for row in sections:
        commands += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), colors.Color(0.97, 0.97, 0.97))]
    for row in range(first_total, len(rows)):
        commands.append(("SPAN", (1, row), (3, row)))
    table.setStyle(TableStyle(commands))
    story += [
        table,
        Spacer(1, 2 * mm),
        _p(markup("In words: ", bold=True) + markup(amount_in_words(dues.payable_paise, "en")), 9),
        _p(markup("शब्दों में: ", bold=True) + markup(amount_in_words(dues.payable_paise, "hi")), 9),
        Spacer(1, 3 * mm),
    ]

    notes: list[str] = []
    if dues.rebate:
        pct = f"{dues.rebate.percent.normalize():f}"
        until = format_date(dues.rebate.valid_until)
        notes.append(
            markup(
                f"Pay the whole current year ({dues.rebate.fy}) by {until} to get {pct}% rebate "
                "(the rebate line above); the payable amount already includes it."
            )
            + "<br/>"
            + markup(
                f"पूरे चालू वर्ष ({dues.rebate.fy}) का कर {until} तक जमा करने पर {pct}% छूट "
                "(ऊपर छूट की पंक्ति) मिलेगी; देय राशि में यह छूट जोड़ी जा चुकी है।"
            )
        )
    if notice.surcharge_from and dues.current_paise > 0:
        due_by = format_date(date.fromordinal(notice.surcharge_from.toordinal() - 1))
        notes.append(
            markup(
                f"Due date: {due_by}. From {format_date(notice.surcharge_from)} a surcharge of "
                f"{notice.surcharge_pct}% is added to unpaid tax of {dues.current_fy}."
            )
            + "<br/>"
            + markup(
                f"अंतिम तिथि: {due_by}। {format_date(notice.surcharge_from)} से {dues.current_fy} के बकाया कर पर "
                f"{notice.surcharge_pct}% अधिभार लगेगा।"
            )
        )
    if dues.payable_paise <= 0:
        notes.append(
            bilingual("Nothing is due on this property today. Thank you.", "आज इस संपत्ति पर कोई राशि देय नहीं है। धन्यवाद।")
        )
    notes.append(
        bilingual(
            "Pay at any counter of the ULB, or by UPI with the code; keep the receipt.",
            "निकाय के किसी भी काउंटर पर या कोड से यूपीआई द्वारा भुगतान करें; रसीद संभालकर रखें।",
        )
    )
    # The notes depend only on the year's dates and rates, the same for every notice of a batch.
    notes_flow = [_s(note, 9) for note in notes]
    if notice.upi_url:
        qr_size = 30 * mm
        pay = [
            QrFlowable(notice.upi_url, qr_size),
            _s(bilingual("Pay by UPI", "यूपीआई से भुगतान", bold=True), 8.5, "center"),
            _p(markup(format_inr(dues.payable_paise)), 7.5, "center"),
            _s(markup(f"to {notice.upi_vpa}"), 7.5, "center"),
        ]
        box = Table([[notes_flow, pay]], colWidths=[width - qr_size - 10 * mm, qr_size + 10 * mm])
        box.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOX", (1, 0), (1, 0), 0.6, GRID),
                    ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ]
            )
        )
        story.append(box)
    else:
        story += notes_flow
    story += [
        Spacer(1, 4 * mm),
        _s(
            bilingual(
                "Computer-generated notice; no signature needed. Amounts as on the date above.",
                "कंप्यूटर से बना मांग पत्र; हस्ताक्षर आवश्यक नहीं। राशि ऊपर दिए दिनांक की स्थिति में।",
            ),
            7.5,
            "center",
        ),
    ]
    return story


def _draw_notice(canvas: Canvas, notice: Notice) -> None:
    """One notice on the canvas's current page(s), then a page break."""
    width, height = PAGE
    story: list[Flowable] = notice_story(notice, width - 2 * MARGIN)
    while story:
        frame = Frame(
            MARGIN,
            MARGIN,
            width - 2 * MARGIN,
            height - 2 * MARGIN,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        before = len(story)
        frame.addFromList(story, canvas)
        if len(story) == before:  # a flowable taller than a page: shrink it into one
            frame.addFromList([KeepInFrame(frame._aW, frame._aH, [story.pop(0)], mode="shrink")], canvas)
        canvas.showPage()


def render_notices(notices: Iterator[Notice] | list[Notice], title: str = "Demand notices") -> bytes:
    """Many notices into ONE PDF, each starting on a new page, drawn as they come."""
    register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Nikay")
    count = 0
    # Thousands of pages keep millions of small objects alive until save(): the cyclic GC would
    # rescan them again and again for nothing (no cycles are made here). Paused for the batch only.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for notice in notices:
            _draw_notice(canvas, notice)
            count += 1
    finally:
        if was_enabled:
            gc.enable()
    if count == 0:
        frame = Frame(MARGIN, MARGIN, PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN)
        frame.addFromList([_p(bilingual("No properties.", "कोई संपत्ति नहीं।"), 12)], canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_notice_pdf(notice: Notice) -> bytes:
    return render_notices([notice], title=f"Demand notice {notice.property_id}")


def render_property_notice(services: Services, property_uuid: str, on: date) -> bytes:
    """One property's demand notice as a PDF."""
    return render_notice_pdf(notice_for(services, property_uuid, on))


def render_ward_notices(services: Services, ward_no: int, on: date, limit: int | None = None) -> bytes:
    """Every property of a ward, one notice a page (or more), in ONE PDF."""
    fy = FinancialYear.of(on).code
    return render_notices(ward_notices(services, ward_no, on, limit), title=f"Demand notices ward {ward_no} {fy}")
