"""The plan-scrutiny report as a bilingual A4 PDF: header, verdict, measures, one row per rule, the
drawing errors apart, and on its own page the plan drawn from the DXF with each violation marked in red.

Drawn from the engine's ScrutinyReport (app.scrutiny.dto), so the PDF, the JSON and the screen say
the same. The plan page holds nothing red but the marks, so a red pixel there is a violation.
Geometry for the marks: each rule's `marks_wkt` when the engine gives it; otherwise worked out here
from `outlines_wkt` (plot, footprints, roads): the missing setback strip for FRONT / REAR / SIDE, the
excess footprint for COV, the plot outline for a VERIFY of the declared area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from ezdxf.document import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from shapely import wkt as shapely_wkt
from shapely.geometry import LineString, Polygon
from shapely.ops import unary_union

from app.core.clock import format_date, format_datetime_ist
from app.reports.fonts import LATIN, bilingual, markup, register_fonts, style
from app.reports.plan_drawing import (
    PlanMark,
    area_mark,
    excess_footprint,
    guide_mark,
    outline_mark,
    point_mark,
    render_plan_png,
    required_band,
)
from app.scrutiny.dto import DrawingError, Measures, RuleResult, ScrutinyReport, Severity, Status, Verdict

GRID = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.92, 0.92, 0.92)
_BODY = 8.2

VERDICT_TEXT: dict[Verdict, tuple[str, str, str]] = {
    Verdict.ACCEPTED: ("ACCEPTED", "स्वीकृत", "#1b7a2e"),
    Verdict.NOT_ACCEPTED: ("NOT ACCEPTED", "अस्वीकृत", "#b3121b"),
    Verdict.DRAWING_ERRORS: ("DRAWING ERRORS", "नक्शे में त्रुटियाँ", "#b35a00"),
    Verdict.VERIFY: ("VERIFY", "सत्यापन आवश्यक", "#8a6d00"),
}
STATUS_TEXT: dict[Status, tuple[str, str, colors.Color]] = {
    Status.PASS: ("PASS", "सही", colors.Color(0.82, 0.94, 0.83)),
    Status.FAIL: ("FAIL", "विफल", colors.Color(1.0, 0.80, 0.80)),
    Status.VERIFY: ("VERIFY", "जाँचें", colors.Color(1.0, 0.93, 0.70)),
    Status.NA: ("NA", "लागू नहीं", SHADE),
    Status.NOT_EVALUATED: ("NOT_EVALUATED", "मूल्यांकन नहीं", colors.Color(0.88, 0.88, 0.88)),
}
RULE_TITLES_HI: dict[str, str] = {
    "COV": "अधिकतम भू-आच्छादन",
    "FAR": "अधिकतम तल क्षेत्र अनुपात",
    "HT": "अधिकतम ऊँचाई",
    "FRONT": "न्यूनतम अग्र खुला स्थान",
    "REAR": "न्यूनतम पश्च खुला स्थान",
    "SIDE": "न्यूनतम पार्श्व खुला स्थान",
    "PARK": "न्यूनतम पार्किंग स्थान",
}
_AREA_VERIFY_CODES = ("DECLARED_AREA_MISMATCH", "PLOT_AREA_MISMATCH")
SETBACK_RULES = ("FRONT", "REAR", "SIDE")


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """What the report does not know about itself: whose office, which application, when printed."""

    ulb_name_en: str
    ulb_name_hi: str
    plan_file: str
    generated_at: datetime
    application_no: str = ""


# --- numbers ---------------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "spaces":
        return f"{value:,.0f}"
    if unit == "%":
        return f"{value:,.2f} %"
    if unit == "m2":
        return f"{value:,.2f} m²"
    if unit == "m":
        return f"{value:,.2f} m"
    return f"{value:,.2f}"


def _required(rule: RuleResult) -> str:
    if rule.required is None:
        return "—"
    sign = {"<=": "max ", ">=": "min "}.get(rule.op, "")  # the fonts have no ≤ ≥
    return sign + _fmt(rule.required, rule.unit)


def measure_rows(m: Measures) -> list[tuple[str, str, str]]:
    """(English, Hindi, value) for each measure the engine reported, in reading order."""
    rows: list[tuple[str, str, str]] = [
        ("Plot area (drawn)", "भूखंड क्षेत्रफल (नक्शे से)", _fmt(m.plot_area_m2, "m2")),
        ("Plot area (declared)", "भूखंड क्षेत्रफल (घोषित)", _fmt(m.declared_plot_area_m2, "m2")),
    ]
    rows += [(f"Footprint, block {b}", f"भू-आच्छादन, ब्लॉक {b}", _fmt(a, "m2")) for b, a in m.footprint_m2]
    rows += [
        ("Footprint, total", "कुल भू-आच्छादन", _fmt(m.footprint_total_m2, "m2")),
        ("Coverage", "आच्छादन प्रतिशत", _fmt(m.coverage_pct, "%")),
    ]
    rows += [(f"Built-up, block {b} floor {f}", f"निर्मित क्षेत्र, ब्लॉक {b} तल {f}", _fmt(a, "m2")) for b, f, a in m.bua_m2]
    rows += [
        ("Built-up area, total", "कुल निर्मित क्षेत्र", _fmt(m.bua_total_m2, "m2")),
        ("FAR", "तल क्षेत्र अनुपात", _fmt(m.far, "")),
        ("Front open space", "अग्र खुला स्थान", _fmt(m.front_m, "m")),
        ("Rear open space", "पश्च खुला स्थान", _fmt(m.rear_m, "m")),
        ("Side open space (least)", "पार्श्व खुला स्थान (न्यूनतम)", _fmt(m.side_m, "m")),
        ("Height", "ऊँचाई", _fmt(m.height_m, "m")),
        ("Road width", "सड़क की चौड़ाई", _fmt(m.road_width_m, "m")),
        ("Roads abutting", "लगी सड़कें", str(m.front_edges)),
        ("Parking spaces", "पार्किंग स्थान", "—" if m.parking_spaces is None else str(m.parking_spaces)),
        ("Occupancy", "उपयोग", m.occupancy or "—"),
        ("Floors", "तल", "—" if m.floors is None else str(m.floors)),
    ]
    return rows


# --- marks on the plan -----------------------------------------------------------------------------


def _load(texts: Sequence[str]) -> list[Any]:
    found: list[Any] = []
    for text in texts:
        try:
            geometry = shapely_wkt.loads(text)
        except Exception:  # a bad outline only costs its mark, never the report
            continue
        if not geometry.is_empty:
            found.append(geometry if geometry.is_valid else geometry.buffer(0))
    return found


def _geoms(report: ScrutinyReport, *keys: str) -> list[Any]:
    return [geometry for key in keys for geometry in _load(report.outlines_wkt.get(key, ()))]


def _plot_edges(plot: Any, roads: Sequence[Any], tolerance: float = 0.05) -> dict[str, list[Any]]:
    """Plot edges as FRONT (half or more of its length along a road), REAR (the farthest from the
    fronts) and SIDE (the rest); research notes §4: touching a road at a corner does not make a front."""
    coords = list(plot.exterior.coords)
    edges = [LineString([coords[i], coords[i + 1]]) for i in range(len(coords) - 1)]
    edges = [edge for edge in edges if edge.length > 1e-6]
    road = unary_union(roads).buffer(tolerance) if roads else Polygon()
    fronts = [e for e in edges if not road.is_empty and e.intersection(road).length >= 0.5 * e.length]
    if not fronts:
        return {"FRONT": [], "REAR": [], "SIDE": []}
    others = [e for e in edges if e not in fronts]
    front_union = unary_union(fronts)
    far = max((e.centroid.distance(front_union) for e in others), default=0.0)
    rear = [e for e in others if e.centroid.distance(front_union) >= far - tolerance and far > tolerance]
    side = [e for e in others if e not in rear]
    return {"FRONT": fronts, "REAR": rear, "SIDE": side}


def _rule_marks(rule: RuleResult, plot: Any, footprint: Any, edges: dict[str, list[Any]]) -> list[PlanMark]:
    """The marks of one failed rule. The engine's `marks_wkt` for a setback is (required band, the
    footprint in it) and for COV / FAR the footprint; without them the same is worked out here."""
    given = _load(rule.marks_wkt)
    found: list[PlanMark | None] = []
    if rule.id in SETBACK_RULES:
        if given:
            band, intrusion = (given[0], unary_union(given[1:])) if len(given) > 1 else (None, given[0])
        elif plot is not None and footprint is not None and rule.required is not None:
            band = required_band(plot, edges.get(rule.id, []), rule.required)
            intrusion = footprint.intersection(band)
        else:
            return []
        found.append(guide_mark(band, of=rule.id))
        found.append(area_mark(rule.id, intrusion) if intrusion.area > 1e-9 else outline_mark(rule.id, band))
    elif rule.id == "COV":
        base = unary_union(given) if given else footprint
        if base is not None and plot is not None and rule.required is not None:
            found.append(area_mark(rule.id, excess_footprint(base, plot.area * rule.required / 100)))
        elif base is not None:
            found.append(outline_mark(rule.id, base))
    elif given:
        found.append(outline_mark(rule.id, unary_union(given)))
    elif rule.id in ("FAR", "HT") and footprint is not None:
        found.append(outline_mark(rule.id, footprint))
    return [mark for mark in found if mark is not None]


def plan_marks(report: ScrutinyReport) -> list[PlanMark]:
    """What to mark on the plan: each failed rule, the plot when its declared area is off (the reason
    for VERIFY rows), and each drawing error that has a location."""
    plots = _geoms(report, "plot")
    plot = plots[0] if plots and plots[0].geom_type == "Polygon" else None
    footprints = _geoms(report, "footprint", "footprints")
    footprint = unary_union(footprints) if footprints else None
    edges = _plot_edges(plot, _geoms(report, "road", "roads")) if plot is not None else {}
    marks: list[PlanMark] = []
    for rule in report.rules:
        if rule.status is Status.FAIL:
            marks += _rule_marks(rule, plot, footprint, edges)
    for error in report.drawing_errors:
        if error.code in _AREA_VERIFY_CODES and plot is not None:
            found = outline_mark("PLOT AREA ≠ DECLARED", plot, of=error.code)
            if found is not None:
                marks.append(found)
        elif error.location is not None:
            mark = point_mark(error.code, *error.location)
            if mark not in marks:  # one entity can fail on several layers (footprint and its floors)
                marks.append(mark)
    return marks


def plan_focus(report: ScrutinyReport, marks: Sequence[PlanMark]) -> tuple[float, float, float, float] | None:
    """The part of the drawing to show (metres): the plot, the footprints and every mark; None (the
    whole drawing) when the engine gave no outline."""
    xs: list[float] = []
    ys: list[float] = []
    for geometry in _geoms(report, "plot", "footprint", "footprints"):
        minx, miny, maxx, maxy = geometry.bounds
        xs += [minx, maxx]
        ys += [miny, maxy]
    for mark in marks:
        for ring in mark.rings:
            xs += [x for x, _ in ring]
            ys += [y for _, y in ring]
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


# --- the document ----------------------------------------------------------------------------------


def _p(text_markup: str, size: float = _BODY, align: str = "left") -> Any:
    # A plain Paragraph, not fonts.Para: Para's remembered layout loses its lines when ReportLab tries
    # to split it at a page break (AttributeError 'blPara'), and this report does break pages.
    return Paragraph(text_markup, style(size, align=align))


def _head(en: str, hi: str) -> Any:
    return _p(f"{markup(en, bold=True)}<br/>{markup(hi, bold=True)}")


def _table(rows: list[list[Any]], widths: list[float], extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), LATIN),
                ("FONTSIZE", (0, 0), (-1, -1), _BODY),
                ("GRID", (0, 0), (-1, -1), 0.35, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                *extra,
            ]
        )
    )
    return table


def _header_story(report: ScrutinyReport, header: ReportHeader) -> list[Flowable]:
    rs = report.rule_set
    story: list[Flowable] = [
        _p(bilingual(header.ulb_name_en, header.ulb_name_hi, bold=True), 13, "center"),
        _p(bilingual("Building plan scrutiny report", "भवन नक्शा संवीक्षा प्रतिवेदन", bold=True), 11.5, "center"),
        Spacer(1, 3 * mm),
    ]
    lines = []
    if header.application_no:
        lines.append(markup(f"Application / आवेदन: {header.application_no}"))
    lines.append(markup(f"Plan file / नक्शा फ़ाइल: {header.plan_file}"))
    lines.append(markup(f"Rule set / नियम संग्रह: {rs.title} ({rs.id} {rs.version}, {rs.status})"))
    if rs.illustrative:
        lines.append(
            '<font color="#b3121b">'
            + markup("ILLUSTRATIVE - not Chhattisgarh law / केवल उदाहरण - छत्तीसगढ़ का कानून नहीं", bold=True)
            + "</font>"
        )
    elif rs.status == "draft":
        lines.append(markup("DRAFT rule set - values not yet verified / प्रारूप नियम - मान सत्यापित नहीं", bold=True))
    lines.append(markup(f"Drawing convention / ड्राइंग परिपाटी: {report.convention} · unit / इकाई: {report.unit}"))
    if report.source_sha256:  # which file and which rules exactly: the report can be reproduced
        lines.append(markup(f"SHA-256: plan / नक्शा {report.source_sha256[:16]}… · rule set / नियम {rs.sha256[:16]}…"))
    dated = f"Printed / मुद्रित: {format_datetime_ist(header.generated_at)} IST"
    if report.application_date:
        dated = f"Application date / आवेदन दिनांक: {_date_text(report.application_date)} · " + dated
    lines.append(markup(dated))
    story += [_p(line, 8.6) for line in lines]
    en, hi, colour = VERDICT_TEXT[report.verdict]
    story += [
        Spacer(1, 3 * mm),
        _p(
            f'<font color="{colour}">{markup(f"Verdict / निर्णय: {en} / {hi}", bold=True)}</font>',
            17,
            "center",
        ),
        Spacer(1, 3 * mm),
    ]
    return story


def _date_text(iso: str) -> str:
    try:
        return format_date(datetime.fromisoformat(iso).date())
    except ValueError:
        return iso


def _measures_table(report: ScrutinyReport, width: float) -> Table:
    cells = [
        [_p(bilingual(en, hi)), _p(markup(value), _BODY, "right")] for en, hi, value in measure_rows(report.measures)
    ]
    half = (len(cells) + 1) // 2
    rows: list[list[Any]] = [
        [_head("Measure", "माप"), _head("Value", "मान"), _head("Measure", "माप"), _head("Value", "मान")]
    ]
    for i in range(half):
        right = cells[half + i] if half + i < len(cells) else ["", ""]
        rows.append([*cells[i], *right])
    return _table(rows, [width * 0.32, width * 0.18, width * 0.32, width * 0.18])


def _rules_table(report: ScrutinyReport, width: float) -> Table:
    rows: list[list[Any]] = [
        [
            _head("Rule", "नियम"),
            _head("Title", "विवरण"),
            _head("Required", "अपेक्षित"),
            _head("Provided", "प्रदत्त"),
            _head("Status", "स्थिति"),
            _head("Clause", "खंड"),
        ]
    ]
    extra: list[tuple[Any, ...]] = []
    for index, rule in enumerate(report.rules, start=1):
        title = bilingual(rule.title, rule.title_hi or RULE_TITLES_HI.get(rule.id, ""), sep=" — ")
        notes = [text for text in (rule.band, rule.note) if text]
        if notes:
            title += "<br/>" + f'<font size="{_BODY - 1.2}">{markup(" · ".join(notes))}</font>'
        en, hi, shade = STATUS_TEXT[rule.status]
        rows.append(
            [
                _p(markup(rule.id, bold=True)),
                _p(title),
                _p(markup(_required(rule)), _BODY, "right"),
                _p(markup(_fmt(rule.provided, rule.unit)), _BODY, "right"),
                _p(f"{markup(en, bold=True)}<br/>{markup(hi)}", _BODY, "center"),
                _p(markup(rule.clause or "—"), _BODY - 0.6),
            ]
        )
        extra.append(("BACKGROUND", (4, index), (4, index), shade))
    widths = [0.08, 0.34, 0.13, 0.13, 0.17, 0.15]
    return _table(rows, [width * w for w in widths], extra)


def _errors_story(errors: Sequence[DrawingError], width: float) -> list[Flowable]:
    story: list[Flowable] = [
        _p(bilingual("Drawing errors", "नक्शे की त्रुटियाँ", bold=True), 10.5),
        Spacer(1, 1.5 * mm),
    ]
    if not errors:
        story.append(_p(bilingual("None.", "कोई नहीं।")))
        return story
    rows: list[list[Any]] = [
        [
            _head("Code", "कोड"),
            _head("Severity", "गंभीरता"),
            _head("Layer", "लेयर"),
            _head("Location (m)", "स्थान (मी.)"),
            _head("What is wrong", "क्या गलत है"),
        ]
    ]
    for error in errors:
        where = "—" if error.location is None else f"{error.location[0]:,.2f}, {error.location[1]:,.2f}"
        severity = ("Error", "त्रुटि") if error.severity is Severity.ERROR else ("Warning", "चेतावनी")
        rows.append(
            [
                _p(markup(error.code, bold=True), _BODY - 0.6),
                _p(bilingual(*severity)),
                _p(markup(error.layer or "—"), _BODY - 0.6),
                _p(markup(where), _BODY, "right"),
                _p(markup(error.message)),
            ]
        )
    story.append(_table(rows, [width * w for w in (0.2, 0.11, 0.17, 0.13, 0.39)]))
    return story


def _plan_story(report: ScrutinyReport, doc: Drawing | None, width: float, height: float) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        _p(bilingual("The plan, violations marked", "नक्शा, उल्लंघन चिह्नित", bold=True), 11.5),
        Spacer(1, 2 * mm),
    ]
    if doc is None:
        story.append(_p(bilingual("The plan could not be read.", "नक्शा पढ़ा नहीं जा सका।")))
        return story
    marks = plan_marks(report)
    png = render_plan_png(doc, marks, metres_per_unit=report.unit_factor, focus=plan_focus(report, marks))
    pixels_wide, pixels_high = ImageReader(BytesIO(png)).getSize()
    scale = min(width / pixels_wide, (height - 45 * mm) / pixels_high)
    story.append(Image(BytesIO(png), width=pixels_wide * scale, height=pixels_high * scale))
    story.append(Spacer(1, 2 * mm))
    legend = (
        "Red hatched: the part of the building in a required open space (FRONT, REAR, SIDE; the open space "
        "itself dashed amber) or the footprint above the coverage limit (COV). Red outlines: the building "
        "for FAR or HT, the plot when its declared area differs from the drawn one. Circles: drawing errors "
        "at their location."
    )
    legend_hi = (
        "लाल रेखांकित: आवश्यक खुले स्थान (पीली टूटी रेखा) में बना भवन का भाग या अधिकतम आच्छादन से अधिक भाग। "
        "रूपरेखा: FAR या ऊँचाई हेतु भवन, घोषित क्षेत्रफल भिन्न होने पर भूखंड। वृत्त: नक्शे की त्रुटियाँ।"
    )
    count = sum(1 for mark in marks if mark.label)
    story.append(_p(markup(f"{count} mark(s) / {count} चिह्न. {legend}"), 7.8))
    story.append(_p(markup(legend_hi), 7.8))
    return story


def render_scrutiny_pdf(report: ScrutinyReport, header: ReportHeader, doc: Drawing | None) -> bytes:
    """The report as PDF bytes; `doc` is the DXF the engine read (None when it could not be read)."""
    register_fonts()
    page = A4
    margin = 12 * mm
    width = page[0] - 2 * margin
    story = _header_story(report, header)
    story += [
        _p(bilingual("Measures", "माप", bold=True), 10.5),
        Spacer(1, 1.5 * mm),
        _measures_table(report, width),
        Spacer(1, 4 * mm),
        _p(bilingual("Rules", "नियम", bold=True), 10.5),
        Spacer(1, 1.5 * mm),
        _rules_table(report, width),
        Spacer(1, 4 * mm),
        *_errors_story(report.drawing_errors, width),
    ]
    if report.warnings:
        story += [Spacer(1, 2 * mm), _p(bilingual("Warnings", "चेतावनियाँ", bold=True), 9.5)]
        story += [_p(markup(f"• {warning}")) for warning in report.warnings]
    story += _plan_story(report, doc, width, page[1] - 2 * margin)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"Scrutiny report {header.plan_file}",
        author=header.ulb_name_en,
        subject=str(report.verdict),
        creator="Nikay",
    )
    stamp = f"{header.plan_file} · {report.rule_set.id} {report.rule_set.version} · {report.source_sha256[:12]}"

    def footer(canvas: Any, built: Any) -> None:
        canvas.saveState()
        canvas.setFont(LATIN, 7)
        canvas.drawRightString(page[0] - margin, margin - 2 * mm, f"Page {built.page}")
        canvas.drawString(margin, margin - 2 * mm, stamp)
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
