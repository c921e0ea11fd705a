"""The scrutiny report PDF: what it says (pypdf text), and the plan page: violations marked in red
where they are (pypdfium2 pixels), nothing red on a plan that passes.

Plans are drawn here with ezdxf (research notes §6.4: T01 passes, T04 fails FRONT 2.4 < 3.0, T02 fails
COV, T06 fails REAR). The reports are built by hand from the known geometry in the shape the engine
(app/scrutiny) returns, so the PDF is tested on its own; the engine's own tests cover the measuring.
Shaped Devanagari extracts in glyph order, so only Hindi words of letters and post-base signs are
searched for ("माप", "सही"). docs/screenshots/scrutiny-report*.png with NIKAY_DOCS_SHOTS=1.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import ezdxf
import numpy
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_raw  # type: ignore[import-untyped]
import pytest
from ezdxf.document import Drawing
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import LineString, box

from app.reports.plan_drawing import excess_footprint, read_drawing, setback_strip
from app.reports.scrutiny_pdf import ReportHeader, plan_marks, render_scrutiny_pdf
from app.scrutiny.dto import (
    DrawingError,
    Measures,
    RuleResult,
    RuleSetRef,
    ScrutinyReport,
    Severity,
    Status,
    Verdict,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HEADER = ReportHeader(
    ulb_name_en="DEMO Nagar Palik Nigam",
    ulb_name_hi="डेमो नगर पालिक निगम",
    plan_file="T04.dxf",
    generated_at=datetime(2026, 11, 28, 6, 30, tzinfo=UTC),
    application_no="BP/2026-27/00017",
)
RULE_SET = RuleSetRef(
    id="sample-mbbl2016",
    version="2016.1",
    title="Sample rule set after MBBL 2016",
    status="draft",
    illustrative=True,
    sha256="ab" * 32,
    effective_from="2016-01-01",
    effective_to="9999-12-31",
)


def draw_plan(
    width: float = 12,
    depth: float = 20,
    left: float = 1.5,
    front: float = 3.5,
    fp_w: float = 9,
    fp_d: float = 14,
    floors: int = 2,
    stalls: int = 3,
    scale: float = 1.0,
    insunits: int = 6,
) -> Drawing:
    """A plot W x D with a 9 m road along its front (y < 0) edge, one block, its floors and stalls
    (research notes §6.4); `scale` 1000 with `insunits` 4 draws the same plan in millimetres."""
    doc = ezdxf.new()
    doc.units = insunits
    msp = doc.modelspace()

    def rect(layer: str, x0: float, y0: float, x1: float, y1: float) -> None:
        points = [
            (x0 * scale, y0 * scale),
            (x1 * scale, y0 * scale),
            (x1 * scale, y1 * scale),
            (x0 * scale, y1 * scale),
        ]
        msp.add_lwpolyline(points, close=True, dxfattribs={"layer": layer})

    rect("PLOT_BOUNDARY", 0, 0, width, depth)
    rect("ROAD", -3, -9, width + 3, 0)
    rect("BLK_1_FOOTPRINT", left, front, left + fp_w, front + fp_d)
    for floor in range(floors):
        rect(f"BLK_1_FLR_{floor}_BUA", left, front, left + fp_w, front + fp_d)
    for stall in range(stalls):
        rect("PARKING", 0.2 + 2.6 * stall, 0.2, 2.7 + 2.6 * stall, 3.2 if front >= 3.4 else front - 0.1)
    info = f"PLOT_AREA_M2={width * depth:g}\\PROAD_WIDTH_M=9\\PHEIGHT_M=7.5\\POCCUPANCY=RES\\PFLOORS={floors}"
    msp.add_mtext(info, dxfattribs={"layer": "PLAN_INFO", "insert": (0, -12 * scale), "char_height": 0.5 * scale})
    return doc


def make_report(
    *,
    front: float = 3.5,
    left: float = 1.5,
    fp_w: float = 9,
    fp_d: float = 14,
    width: float = 12,
    depth: float = 20,
    verdict: Verdict = Verdict.ACCEPTED,
    fail: dict[str, tuple[float, float]] | None = None,
    errors: tuple[DrawingError, ...] = (),
    unit_factor: float = 1.0,
) -> ScrutinyReport:
    """A report as the engine gives it: every rule PASS except those in `fail` (id -> (required,
    provided)), outlines of plot, footprint and road as WKT in metres."""
    plot_area = width * depth
    footprint = fp_w * fp_d
    rows = {
        "COV": ("Maximum coverage", "<=", "%", 65.0, 100 * footprint / plot_area),
        "FAR": ("Maximum FAR", "<=", "", 1.8, 2 * footprint / plot_area),
        "HT": ("Maximum height", "<=", "m", 12.0, 7.5),
        "FRONT": ("Minimum front open space", ">=", "m", 3.0, front),
        "REAR": ("Minimum rear open space", ">=", "m", 1.5, depth - front - fp_d),
        "SIDE": ("Minimum side open space", ">=", "m", 0.0, left),
        "PARK": ("Minimum parking spaces", ">=", "spaces", 3.0, 3.0),
    }
    rules = []
    for rule_id, (title, op, unit, limit, value) in rows.items():
        failing = fail is not None and rule_id in fail
        required, provided = fail[rule_id] if fail is not None and failing else (limit, value)
        status = Status.FAIL if failing else Status.PASS
        rules.append(
            RuleResult(
                id=rule_id,
                title=title,
                required=required,
                provided=provided,
                status=status,
                clause=f"MBBL 2016 Table 3.3 ({rule_id})",
                op=op,
                unit=unit,
            )
        )
    measures = Measures(
        plot_area_m2=plot_area,
        declared_plot_area_m2=plot_area,
        footprint_m2=((1, footprint),),
        footprint_total_m2=footprint,
        coverage_pct=100 * footprint / plot_area,
        bua_m2=((1, 0, footprint), (1, 1, footprint)),
        bua_total_m2=2 * footprint,
        far=2 * footprint / plot_area,
        front_m=front,
        rear_m=depth - front - fp_d,
        side_m=min(left, width - left - fp_w),
        height_m=7.5,
        road_width_m=9.0,
        parking_spaces=3,
        occupancy="RES",
        floors=2,
        front_edges=1,
    )
    return ScrutinyReport(
        measures=measures,
        drawing_errors=errors,
        rules=tuple(rules),
        verdict=verdict,
        rule_set=RULE_SET,
        convention="default",
        source_sha256="cd" * 32,
        unit_factor=unit_factor,
        application_date="2026-11-20",
        outlines_wkt={
            "plot": (box(0, 0, width, depth).wkt,),
            "footprints": (box(left, front, left + fp_w, front + fp_d).wkt,),
            "roads": (box(-3, -9, width + 3, 0).wkt,),
        },
    )


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages).split())


SCALE = 1.5


def page_images(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=SCALE).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def plan_area(pdf: bytes) -> Image.Image:
    """The plan as it is on the last page: the page rendered, cropped to the placed plan image."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[len(document) - 1]
        (image,) = page.get_objects(filter=(pdfium_raw.FPDF_PAGEOBJ_IMAGE,))
        left, bottom, right, top = image.get_bounds()
        height = page.get_height()
        rendered = page.render(scale=SCALE).to_pil().convert("RGB")
        return rendered.crop(
            (int(left * SCALE), int((height - top) * SCALE), int(right * SCALE), int((height - bottom) * SCALE))
        )
    finally:
        document.close()


def red_pixels(image: Image.Image) -> list[tuple[int, int]]:
    """(x, y) of the pixels in the marking red (220, 20, 20): strongly red, little green or blue."""
    rgb = numpy.asarray(image.convert("RGB")).astype(int)
    ys, xs = numpy.nonzero((rgb[..., 0] > 170) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90))
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


def dark_rows(image: Image.Image) -> tuple[int, int]:
    """The first and last pixel rows holding grey or black (plan line, not red) pixels: the drawing's
    top and bottom."""
    rgb = numpy.asarray(image.convert("RGB")).astype(int)
    rows = numpy.nonzero((rgb.max(axis=2) < 170).any(axis=1))[0]
    return int(rows[0]), int(rows[-1])


def save_shot(images: list[Image.Image], name: str) -> None:
    """The first page and the plan page (the last), to be looked at."""
    if os.environ.get("NIKAY_DOCS_SHOTS") == "1":  # a plain run leaves the checkout alone
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        images[0].save(SCREENSHOTS / f"{name}.png")
        images[-1].save(SCREENSHOTS / f"{name}-plan.png")


def test_failing_front_setback_is_reported_and_its_strip_marked_red_near_the_road() -> None:
    report = make_report(front=2.4, verdict=Verdict.NOT_ACCEPTED, fail={"FRONT": (3.0, 2.4)})
    pdf = render_scrutiny_pdf(report, HEADER, draw_plan(front=2.4))
    text = pdf_text(pdf)
    assert "NOT ACCEPTED" in text
    for rule_id in ("COV", "FAR", "HT", "FRONT", "REAR", "SIDE", "PARK"):
        assert rule_id in text
    assert text.count("FAIL") == 1 and "PASS" in text
    assert "min 3.00 m" in text and "2.40 m" in text  # required and provided of FRONT
    assert "ILLUSTRATIVE - not Chhattisgarh law" in text and "sample-mbbl2016" in text
    assert "BP/2026-27/00017" in text and "T04.dxf" in text and "20-11-2026" in text
    assert "माप" in text and "सही" in text  # the Hindi labels are there
    images = page_images(pdf)
    assert len(images) == 2  # the tables, then the plan on its own page
    plan = plan_area(pdf)
    red = red_pixels(plan)
    assert len(red) > 300
    top, bottom = dark_rows(plan)
    mean_y = sum(y for _, y in red) / len(red)
    # The road is at the bottom of the drawing and the strip just above it: in the lower half.
    assert (mean_y - top) / (bottom - top) > 0.4
    save_shot(images, "scrutiny-report")


def test_passing_plan_has_nothing_red_on_the_plan() -> None:
    report = make_report()
    pdf = render_scrutiny_pdf(report, replace(HEADER, plan_file="T01.dxf"), draw_plan())
    text = pdf_text(pdf)
    assert "ACCEPTED" in text and "NOT ACCEPTED" not in text
    assert "FAIL" not in text and text.count("PASS") == 7
    assert "0 mark(s)" in text
    assert red_pixels(page_images(pdf)[-1]) == []  # nothing red anywhere on the plan page
    plan = plan_area(pdf)
    assert dark_rows(plan)[1] - dark_rows(plan)[0] > 300  # the plan itself was drawn


def test_rear_failure_is_marked_at_the_far_end_from_the_road() -> None:
    report = make_report(
        width=15, depth=24, left=2.25, fp_w=10.5, fp_d=18, front=3.5, verdict=Verdict.NOT_ACCEPTED,
        fail={"REAR": (3.0, 2.5)},
    )  # fmt: skip
    doc = draw_plan(width=15, depth=24, left=2.25, fp_w=10.5, fp_d=18, front=3.5)
    plan = plan_area(render_scrutiny_pdf(report, HEADER, doc))
    red = red_pixels(plan)
    assert red
    top, bottom = dark_rows(plan)
    assert (sum(y for _, y in red) / len(red) - top) / (bottom - top) < 0.4


def test_the_marked_areas_are_the_violation_itself() -> None:
    plot = box(0, 0, 12, 20)
    footprint = box(1.5, 2.4, 10.5, 16.4)
    strip = setback_strip(plot, footprint, [LineString([(0, 0), (12, 0)])], 3.0)
    assert strip.area == pytest.approx(0.6 * 9)  # 2.4 m provided of 3.0 m, 9 m wide
    assert strip.bounds == pytest.approx((1.5, 2.4, 10.5, 3.0))
    cover = box(0.5, 3.0, 11.5, 18.0)  # T02: 165 m² on 240 m² where 65 % (156 m²) is allowed
    excess = excess_footprint(cover, 0.65 * 240)
    assert excess.area == pytest.approx(165 - 156, abs=1e-6)
    assert excess_footprint(box(1.5, 3.5, 10.5, 17.5), 156).is_empty  # within the limit: nothing


def test_coverage_failure_marks_the_excess_footprint() -> None:
    report = make_report(
        left=0.5, front=3.0, fp_w=11, fp_d=15, verdict=Verdict.NOT_ACCEPTED, fail={"COV": (65.0, 68.75)}
    )
    marks = plan_marks(report)
    assert [mark.label for mark in marks] == ["COV"]
    (ring,) = marks[0].rings
    assert LineString(ring).convex_hull.area == pytest.approx(165 - 156, abs=1e-6)


def test_millimetre_drawing_marks_land_on_the_plan() -> None:
    report = make_report(front=2.4, verdict=Verdict.NOT_ACCEPTED, fail={"FRONT": (3.0, 2.4)}, unit_factor=0.001)
    doc = draw_plan(front=2.4, scale=1000, insunits=4)
    plan = plan_area(render_scrutiny_pdf(report, HEADER, doc))
    red = red_pixels(plan)
    top, bottom = dark_rows(plan)
    assert red and all(top <= y <= bottom for _, y in red)  # on the drawing, not far off at metre scale


def test_drawing_errors_are_listed_apart_and_located_on_the_plan() -> None:
    errors = (
        DrawingError(
            code="NOT_CLOSED",
            severity=Severity.ERROR,
            message="The plot boundary is not closed: close the polyline",
            layer="PLOT_BOUNDARY",
            location=(12.0, 20.0),
        ),
        DrawingError(code="UNITLESS", severity=Severity.WARNING, message="No $INSUNITS: read as metres"),
    )
    base = make_report(verdict=Verdict.DRAWING_ERRORS, errors=errors)
    rules = tuple(replace(rule, status=Status.NOT_EVALUATED, note="NOT_CLOSED", provided=None) for rule in base.rules)
    report = replace(base, rules=rules)
    pdf = render_scrutiny_pdf(report, HEADER, draw_plan())
    text = pdf_text(pdf)
    assert "DRAWING ERRORS" in text
    assert "NOT_CLOSED" in text and "PLOT_BOUNDARY" in text and "12.00, 20.00" in text
    assert "The plot boundary is not closed" in text and "UNITLESS" in text
    assert text.count("NOT_EVALUATED") == 7
    assert [mark.label for mark in plan_marks(report)] == ["NOT_CLOSED"]
    twice = replace(report, drawing_errors=(errors[0], replace(errors[0], layer="BLK_1_FLR_0_BUA"), errors[1]))
    assert [mark.label for mark in plan_marks(twice)] == ["NOT_CLOSED"]  # one circle at one place
    assert red_pixels(plan_area(pdf))


def test_declared_area_mismatch_outlines_the_plot_and_an_unreadable_plan_still_reports() -> None:
    errors = (
        DrawingError(
            code="DECLARED_AREA_MISMATCH",
            severity=Severity.WARNING,
            message="Declared plot area 300 m² differs from the drawn 240 m² by more than 2 %",
            layer="PLAN_INFO",
        ),
    )
    report = make_report(verdict=Verdict.VERIFY, errors=errors)
    marks = plan_marks(report)
    assert len(marks) == 1 and marks[0].outline_only
    assert LineString(marks[0].rings[0]).length == pytest.approx(2 * (12 + 20))
    text = pdf_text(render_scrutiny_pdf(report, HEADER, None))
    assert "VERIFY" in text and "The plan could not be read." in text


def test_engine_marks_band_and_intrusion_are_drawn_apart() -> None:
    """The engine gives a failed setback as (the required open space, the building in it) and a failed
    COV as the footprint: the building part is the red mark, the open space an amber guide."""
    plot, footprint = box(0, 0, 12, 20), box(1.5, 2.4, 10.5, 16.4)
    band = box(0, 0, 12, 3.0)
    base = make_report(front=2.4, verdict=Verdict.NOT_ACCEPTED, fail={"FRONT": (3.0, 2.4)})
    rules = tuple(
        replace(rule, marks_wkt=(band.wkt, footprint.intersection(band).wkt)) if rule.id == "FRONT" else rule
        for rule in base.rules
    )
    marks = plan_marks(replace(base, rules=rules))
    assert [(mark.label, mark.guide) for mark in marks] == [("", True), ("FRONT", False)]
    assert LineString(marks[1].rings[0]).convex_hull.area == pytest.approx(0.6 * 9)
    assert LineString(marks[0].rings[0]).convex_hull.area == pytest.approx(3.0 * 12)
    cov = make_report(left=0.5, front=3.0, fp_w=11, fp_d=15, verdict=Verdict.NOT_ACCEPTED, fail={"COV": (65.0, 68.75)})
    rules = tuple(
        replace(rule, marks_wkt=(box(0.5, 3.0, 11.5, 18.0).wkt,)) if rule.id == "COV" else rule for rule in cov.rules
    )
    (excess,) = plan_marks(replace(cov, rules=rules, outlines_wkt={"plot": (plot.wkt,)}))
    assert excess.label == "COV" and LineString(excess.rings[0]).convex_hull.area == pytest.approx(9, abs=1e-6)


def test_engine_reports_on_generated_plans(tmp_path: Path) -> None:
    """Through the engine (app/scrutiny) on the shared test plans: T01 passes with nothing red; T04's
    front strip, T02's excess footprint and T13's plot outline are marked; an open plot still reports."""
    service = pytest.importorskip("app.scrutiny.service")
    plans = pytest.importorskip("tests.scrutiny_plans")
    t01 = plans.T01
    cases = {
        "T01": (t01, "ACCEPTED", []),
        "T04": (replace(t01, blocks=(plans.Block(1.5, 2.4, 9.0, 14.0, 2),)), "NOT ACCEPTED", ["FRONT"]),
        "T02": (
            replace(t01, blocks=(plans.Block(0.5, 3.0, 11.0, 15.0, 1),), height=3.5, stalls=2),
            "NOT ACCEPTED",
            ["COV"],
        ),
        "T13": (replace(t01, declared_area=300), "VERIFY", ["PLOT AREA ≠ DECLARED"]),
        "T10": (replace(t01, open_plot=True), "DRAWING ERRORS", None),
    }
    for name, (plan, verdict, labels) in cases.items():
        path = plans.write_plan(tmp_path / f"{name}.dxf", plan)
        report = service.scrutinize(path, "sample-mbbl2016", datetime(2026, 11, 20, tzinfo=UTC).date())
        pdf = render_scrutiny_pdf(report, replace(HEADER, plan_file=path.name), ezdxf.readfile(path))
        text = pdf_text(pdf)
        assert f"{verdict} /" in text, name
        assert "NOT ACCEPTED" not in text or verdict == "NOT ACCEPTED", name
        named = [mark.label for mark in plan_marks(report) if mark.label]
        if labels is not None:
            assert named == labels, name
        red = red_pixels(plan_area(pdf))
        assert bool(red) == bool(named), name
        if name in ("T02", "T13"):
            save_shot(page_images(pdf), f"scrutiny-report-{name.lower()}")


def test_plan_shows_the_site_not_the_sheets_drawn_beside_it(tmp_path: Path) -> None:
    """Architects draw floor plans, sections and notes beside the site plan in the same model space
    (thousands of entities here): the plan page shows the plot large, and the file read back from disk
    gives the same picture; an unreadable file gives no drawing, and the report says so."""
    doc = draw_plan(front=2.4)
    msp = doc.modelspace()
    for i in range(3000):  # a "floor plan sheet" 200 m to the right, and its notes
        msp.add_line((200 + i % 60, i // 60), (201 + i % 60, i // 60 + 0.5), dxfattribs={"layer": "FURNITURE"})
        if i % 10 == 0:
            msp.add_text("ROOM", height=0.4, dxfattribs={"layer": "NOTES", "insert": (200 + i % 60, i // 60)})
    path = tmp_path / "sheets.dxf"
    doc.saveas(path)
    report = make_report(front=2.4, verdict=Verdict.NOT_ACCEPTED, fail={"FRONT": (3.0, 2.4)})
    drawing = read_drawing(path)
    assert drawing is not None
    plan = plan_area(render_scrutiny_pdf(report, HEADER, drawing))
    top, bottom = dark_rows(plan)
    assert bottom - top > 0.6 * plan.height  # the 20 m deep plot fills the view
    assert red_pixels(plan)
    assert [mark.of for mark in plan_marks(report)] == ["FRONT", "FRONT"]  # the guide and the strip
    broken = tmp_path / "broken.dxf"
    broken.write_bytes(b"\x00\x01 not a drawing")
    assert read_drawing(broken) is None
    assert "The plan could not be read." in pdf_text(render_scrutiny_pdf(report, HEADER, read_drawing(broken)))
