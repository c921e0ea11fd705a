"""Scrutiny of generated plans (issue 6 item 8): each plan with its expected verdict and rows, never a crash."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.scrutiny.dto import ScrutinyReport, Severity, Status, Verdict, report_to_dict
from app.scrutiny.service import PlanReadError, scrutinize
from tests.scrutiny_plans import EDCR, T01, Block, Plan, write_plan

ON = date(2026, 11, 28)
RULE_IDS = ["COV", "FAR", "HT", "FRONT", "REAR", "SIDE", "PARK"]


def check(tmp_path: Path, plan: Plan, rules: str = "sample-mbbl2016", convention: str = "default") -> ScrutinyReport:
    return scrutinize(write_plan(tmp_path / "plan.dxf", plan), rules, ON, convention)


def statuses(report: ScrutinyReport) -> dict[str, str]:
    return {row.id: str(row.status) for row in report.rules}


def failing(report: ScrutinyReport) -> dict[str, tuple[float | None, float | None]]:
    return {row.id: (row.provided, row.required) for row in report.rules if row.status == Status.FAIL}


def test_a_plan_within_every_rule_is_accepted_with_its_measures(tmp_path: Path) -> None:
    report = check(tmp_path, T01)
    assert report.verdict == Verdict.ACCEPTED
    assert [row.id for row in report.rules] == RULE_IDS
    assert set(statuses(report).values()) == {"PASS"}
    m = report.measures
    assert (m.plot_area_m2, m.footprint_total_m2, m.coverage_pct) == (240.0, 126.0, 52.5)
    assert (m.bua_total_m2, m.far, m.height_m, m.parking_spaces) == (252.0, 1.05, 7.5, 3)
    assert (m.front_m, m.rear_m, m.side_m, m.sides_m) == (3.5, 2.5, 1.5, (1.5, 1.5))
    assert m.bua_m2 == ((1, 0, 126.0), (1, 1, 126.0))
    assert report.drawing_errors == ()
    assert any("illustrative" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("name", "plan", "fails"),
    [
        # coverage 165/240 = 68.75 % > 65 %; front exactly 3.00 passes
        ("COV", replace(T01, blocks=(Block(0.5, 3.0, 11, 15, 1),), height=3.5, stalls=2), {"COV": (68.75, 65.0)}),
        # FAR 4 x 126 / 240 = 2.1 > 1.8; height exactly 12 passes
        ("FAR", replace(T01, blocks=(Block(1.5, 3.5, 9, 14, 4),), height=12.0, stalls=6), {"FAR": (2.1, 1.8)}),
        ("HT", replace(T01, blocks=(Block(1.5, 3.5, 9, 14, 3),), height=12.6, stalls=4), {"HT": (12.6, 12.0)}),
        ("FRONT", replace(T01, blocks=(Block(1.5, 2.4, 9, 14, 2),)), {"FRONT": (2.4, 3.0)}),
        ("FRONT by road width", replace(T01, road_width=20.0), {"FRONT": (3.5, 4.5)}),
        (
            "REAR",
            Plan(width=15, depth=24, road_width=12, blocks=(Block(2.25, 3.5, 10.5, 18, 2),), stalls=4),
            {"REAR": (2.5, 3.0)},
        ),
        (
            "SIDE",
            Plan(width=15, depth=24, road_width=12, blocks=(Block(1.0, 3.5, 13, 15, 1),), height=3.5, stalls=2),
            {"SIDE": (1.0, 1.5)},
        ),
        ("PARK", replace(T01, stalls=1), {"PARK": (1.0, 3.0)}),
    ],
)
def test_each_rule_failing_alone_is_the_only_failure(
    tmp_path: Path, name: str, plan: Plan, fails: dict[str, tuple[float, float]]
) -> None:
    report = check(tmp_path, plan)
    assert report.verdict == Verdict.NOT_ACCEPTED, name
    assert failing(report) == fails
    assert report.drawing_errors == ()
    row = report.rule(next(iter(fails)))
    if row.id in ("FRONT", "REAR", "SIDE"):
        assert len(row.marks_wkt) == 2 and "POLYGON" in row.marks_wkt[1]  # the strip and the intrusion


def test_values_exactly_on_a_limit_pass(tmp_path: Path) -> None:
    # coverage 60 %, FAR 432/240 = 1.8, height 12, front 3.0 on a 9 m road, side 0, 5 of ceil(4.32) = 5 spaces
    plan = replace(T01, blocks=(Block(0.0, 3.0, 12, 12, 3),), height=12.0, stalls=5)
    report = check(tmp_path, plan)
    assert report.verdict == Verdict.ACCEPTED
    assert {r.id: (r.provided, r.required) for r in report.rules if r.id in ("FAR", "HT", "FRONT", "SIDE", "PARK")} == {
        "FAR": (1.8, 1.8),
        "HT": (12.0, 12.0),
        "FRONT": (3.0, 3.0),
        "SIDE": (0.0, 0.0),
        "PARK": (5.0, 5.0),
    }


def test_a_value_on_a_band_edge_falls_in_the_band_above(tmp_path: Path) -> None:
    # 12.5 x 20 = 250 m² is in [250, 500): rear 3.0 needed, so a 2.5 m rear fails (it passed at 240 m²)
    report = check(tmp_path, replace(T01, width=12.5))
    assert report.rule("REAR").band == "250 <= plot area < 1500"
    assert report.rule("COV").band == "250 <= plot area < 500"
    assert failing(report) == {"REAR": (2.5, 3.0)}
    # a road of exactly 7.5 m is in [7.5, 18): 3.0 m front needed, not 1.5
    report = check(tmp_path, replace(T01, road_width=7.5, blocks=(Block(1.5, 2.0, 9, 14, 2),)))
    assert failing(report) == {"FRONT": (2.0, 3.0)}
    assert report.rule("FRONT").band == "7.5 <= road width < 18"


def test_an_open_plot_boundary_is_a_drawing_error_and_no_rule_is_skipped(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, open_plot=True))
    assert report.verdict == Verdict.DRAWING_ERRORS
    assert [(e.code, e.layer) for e in report.drawing_errors] == [("NOT_CLOSED", "PLOT_BOUNDARY")]
    assert report.drawing_errors[0].location == (0.0, 0.0)
    assert [row.id for row in report.rules] == RULE_IDS
    for rule_id in ("COV", "FAR", "HT", "FRONT", "REAR", "SIDE"):
        assert report.rule(rule_id).status == Status.NOT_EVALUATED
        assert "NOT_CLOSED on PLOT_BOUNDARY" in report.rule(rule_id).note
    assert report.rule("PARK").status == Status.PASS  # it needs no plot: still evaluated


@pytest.mark.parametrize("units", ["mm", "ft", "cm", "in"])
def test_millimetre_and_feet_drawings_measure_as_the_metre_one(tmp_path: Path, units: str) -> None:
    report = check(tmp_path, replace(T01, units=units))
    assert report.verdict == Verdict.ACCEPTED
    assert report.unit == units
    m = report.measures
    assert m.plot_area_m2 == pytest.approx(240.0) and m.coverage_pct == pytest.approx(52.5)
    assert (m.front_m, m.rear_m, m.side_m) == (pytest.approx(3.5), pytest.approx(2.5), pytest.approx(1.5))
    assert [(r.id, r.provided) for r in report.rules] == [(r.id, r.provided) for r in check(tmp_path, T01).rules]


def test_a_unitless_drawing_is_read_as_metres_with_a_warning(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, units="none"))
    assert report.verdict == Verdict.ACCEPTED
    assert any("no units" in w and "metres" in w for w in report.warnings)


def test_a_footprint_inside_a_block_on_layer_0_takes_the_insert_layer(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, footprint_in_block=True))
    assert report.verdict == Verdict.ACCEPTED
    assert report.measures.footprint_m2 == ((1, 126.0),)
    assert report.measures.front_m == 3.5


def test_arcs_in_the_plot_boundary_count_in_its_area(tmp_path: Path) -> None:
    # 12 x 20 plus a semicircle of radius 6 on the rear: 240 + 18π = 296.55 m² (the chords alone would give 240)
    report = check(tmp_path, replace(T01, rear_arc=True, declared_area=296.55))
    assert report.measures.plot_area_m2 == pytest.approx(296.55, abs=0.2)
    assert report.rule("COV").band == "250 <= plot area < 500"
    assert report.verdict == Verdict.ACCEPTED
    assert report.measures.rear_m == pytest.approx(6.74, abs=0.01)  # to the arc, not to the chord


def test_an_irregular_plot_measures_open_space_to_its_slanting_edges(tmp_path: Path) -> None:
    plan = replace(
        T01, plot_points=((0, 0), (16, 0), (14, 22), (1, 20)), blocks=(Block(3, 3.5, 10, 12, 2),), declared_area=305
    )
    report = check(tmp_path, plan)
    assert report.verdict == Verdict.ACCEPTED
    m = report.measures
    assert m.plot_area_m2 == pytest.approx(305.0)
    assert m.front_m == pytest.approx(3.5)
    assert m.rear_m == pytest.approx(62.5 / 13.1529, abs=0.001)  # (3, 15.5) to the slanting rear edge
    assert sorted(m.sides_m) == [pytest.approx(35 / 22.0907, abs=0.001), pytest.approx(44.5 / 20.0250, abs=0.001)]


def test_two_blocks_are_measured_apart_and_together(tmp_path: Path) -> None:
    plan = Plan(
        width=15, depth=24, road_width=12, blocks=(Block(1.5, 3.5, 5, 8, 2), Block(8.5, 3.5, 5, 8, 2)), stalls=2
    )
    report = check(tmp_path, plan)
    assert report.verdict == Verdict.ACCEPTED
    m = report.measures
    assert m.footprint_m2 == ((1, 40.0), (2, 40.0))
    assert (m.footprint_total_m2, m.bua_total_m2) == (80.0, 160.0)
    assert m.sides_m == (1.5, 1.5)


def test_a_corner_plot_has_two_fronts_and_the_nearer_one_counts(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, corner=True))
    assert report.measures.front_edges == 2
    assert report.verdict == Verdict.NOT_ACCEPTED
    assert failing(report) == {"FRONT": (1.5, 3.0)}  # 1.5 m from the side road


def test_a_self_intersecting_footprint_is_a_drawing_error(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, bow_tie=True))
    assert report.verdict == Verdict.DRAWING_ERRORS
    codes = {(e.code, e.layer) for e in report.drawing_errors}
    assert ("INVALID_POLYGON", "BLK_1_FOOTPRINT") in codes
    assert report.rule("COV").status == Status.NOT_EVALUATED
    assert "footprint of block 1" in report.rule("COV").note
    assert report.rule("HT").status == Status.PASS


def test_a_footprint_outside_the_plot_is_a_drawing_error(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, blocks=(Block(-2.0, 3.5, 9, 14, 2),)))
    assert report.verdict == Verdict.DRAWING_ERRORS
    error = report.drawing_errors[0]
    assert (error.code, error.layer, error.severity) == ("OUTSIDE_PLOT", "BLK_1_FOOTPRINT", Severity.ERROR)
    assert "28.00 m²" in error.message  # 2 x 14 m outside
    assert error.location is not None and error.location[0] < 0
    assert report.rule("FRONT").status == Status.NOT_EVALUATED


def test_a_declared_plot_area_more_than_2_percent_off_asks_to_verify(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, declared_area=300))
    assert report.verdict == Verdict.VERIFY
    assert [(e.code, e.severity) for e in report.drawing_errors] == [("DECLARED_AREA_MISMATCH", Severity.WARNING)]
    assert report.rule("COV").status == Status.VERIFY and report.rule("FRONT").status == Status.PASS
    # within 2 %: accepted
    assert check(tmp_path, replace(T01, declared_area=244)).verdict == Verdict.ACCEPTED


def test_missing_plan_info_blocks_only_what_needs_it(tmp_path: Path) -> None:
    report = check(tmp_path, replace(T01, omit_info=("HEIGHT_M",)))
    assert report.verdict == Verdict.DRAWING_ERRORS
    assert report.rule("HT").status == Status.NOT_EVALUATED and "HEIGHT_M is missing" in report.rule("HT").note
    assert {r.id for r in report.rules if r.status == Status.PASS} == {"COV", "FAR", "FRONT", "REAR", "SIDE", "PARK"}


def test_the_edcr_convention_reads_edcr_layer_names_the_same(tmp_path: Path) -> None:
    report = check(tmp_path, EDCR, convention="edcr")
    assert report.convention == "edcr"
    assert report.verdict == Verdict.ACCEPTED
    assert report.measures == check(tmp_path, T01).measures
    # the default convention does not know these layers: a drawing error, not a crash
    assert check(tmp_path, EDCR).verdict == Verdict.DRAWING_ERRORS


def test_layer_names_are_matched_case_insensitively(tmp_path: Path) -> None:
    lower = tuple((k, v.lower()) for k, v in T01.layers)
    assert check(tmp_path, replace(T01, layers=lower)).verdict == Verdict.ACCEPTED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.dxf", b"", "empty"),
        ("binary.dxf", bytes(range(256)) * 40, "not a DXF"),
        ("plan.dwg", b"AC1032" + bytes(200), "DWG"),
        ("renamed.dxf", b"AC1027\x00\x00" + bytes(200), "DWG"),
        ("notes.dxf", b"just some text\nnot a drawing\n", "not a DXF"),
    ],
)
def test_a_file_that_is_not_a_dxf_is_refused_with_a_clear_message(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlanReadError, match=message):
        scrutinize(path, "sample-mbbl2016", ON)


def test_a_truncated_dxf_gives_a_report_of_what_is_missing(tmp_path: Path) -> None:
    data = write_plan(tmp_path / "whole.dxf").read_bytes()
    for cut in (len(data) // 4, len(data) // 2, len(data) * 3 // 4, len(data) - 10):
        path = tmp_path / f"cut{cut}.dxf"
        path.write_bytes(data[:cut])
        try:
            report = scrutinize(path, "sample-mbbl2016", ON)
        except PlanReadError as error:
            assert path.name in str(error)
            continue
        assert [row.id for row in report.rules] == RULE_IDS
        assert report.verdict in (Verdict.DRAWING_ERRORS, Verdict.ACCEPTED)
    # cut between two group-code/value pairs halfway through: the entities before the cut are read
    lines = data.split(b"\n")
    half = tmp_path / "half.dxf"
    half.write_bytes(b"\n".join(lines[: len(lines) // 4 * 2]) + b"\n")
    report = scrutinize(half, "sample-mbbl2016", ON)
    assert report.verdict == Verdict.DRAWING_ERRORS
    assert "PLOT_COUNT" in {e.code for e in report.drawing_errors}


def test_random_bytes_after_a_dxf_header_never_crash(tmp_path: Path) -> None:
    path = tmp_path / "noise.dxf"
    for seed in range(5):
        path.write_bytes(b"0\nSECTION\n2\nHEADER\n" + os.urandom(2000 + seed))
        try:
            report = scrutinize(path, "sample-mbbl2016", ON)
        except PlanReadError:
            continue
        assert report.verdict == Verdict.DRAWING_ERRORS


def test_the_json_report_has_the_shape_of_the_issue(tmp_path: Path) -> None:
    data = report_to_dict(check(tmp_path, replace(T01, stalls=1)))
    assert {"measures", "drawing_errors", "rules", "verdict"} <= set(data)
    assert [r["id"] for r in data["rules"]] == RULE_IDS
    assert {"id", "title", "required", "provided", "status"} <= set(data["rules"][0])
    assert data["verdict"] == "NOT_ACCEPTED"
    assert data["measures"]["plot_area_m2"] == 240.0
    assert data["rule_set"]["id"] == "sample-mbbl2016" and data["rule_set"]["illustrative"] is True


def test_a_polyline_closed_by_geometry_but_not_flagged_is_read_with_a_warning(tmp_path: Path) -> None:
    import ezdxf

    path = write_plan(tmp_path / "plan.dxf")
    doc = ezdxf.readfile(path)
    plot = doc.modelspace().query('LWPOLYLINE[layer=="PLOT_BOUNDARY"]').first
    plot.closed = False
    plot.append((0.005, 0.0))  # ends 5 mm from its start: within the 20 mm tolerance
    doc.saveas(path)
    report = scrutinize(path, "sample-mbbl2016", ON)
    assert report.verdict == Verdict.ACCEPTED
    assert [(e.code, e.severity, e.layer) for e in report.drawing_errors] == [
        ("NOT_CLOSED_FLAG", Severity.WARNING, "PLOT_BOUNDARY")
    ]
    assert report.measures.plot_area_m2 == pytest.approx(240.0, abs=0.1)


def test_a_damaged_plan_gives_a_report_or_a_clear_refusal_never_a_crash(tmp_path: Path) -> None:
    import random

    source = write_plan(tmp_path / "whole.dxf").read_bytes()
    rng = random.Random(6)
    path = tmp_path / "damaged.dxf"
    outcomes = set()
    for round_no in range(40):
        damaged = bytearray(source)
        if round_no % 2:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        else:
            damaged = damaged[: rng.randrange(len(damaged))]
        path.write_bytes(bytes(damaged))
        try:
            report = scrutinize(path, "sample-mbbl2016", ON)
        except PlanReadError as error:
            assert "damaged.dxf" in str(error)
            outcomes.add("refused")
            continue
        assert [row.id for row in report.rules] == RULE_IDS
        outcomes.add(str(report.verdict))
    assert "refused" in outcomes and len(outcomes) > 1


def test_parking_outside_the_plot_is_not_counted_and_says_so(tmp_path: Path) -> None:
    import ezdxf

    path = write_plan(tmp_path / "plan.dxf")
    doc = ezdxf.readfile(path)
    stall = doc.modelspace().query('LWPOLYLINE[layer=="PARKING"]').first
    stall.translate(0, -20, 0)  # moved onto the road
    doc.saveas(path)
    report = scrutinize(path, "sample-mbbl2016", ON)
    assert report.measures.parking_spaces == 2
    assert failing(report) == {"PARK": (2.0, 3.0)}
    assert [(e.code, e.severity) for e in report.drawing_errors] == [("PARKING_OUTSIDE_PLOT", Severity.WARNING)]
    assert report.verdict == Verdict.NOT_ACCEPTED


def test_built_up_area_outside_the_plot_blocks_far(tmp_path: Path) -> None:
    import ezdxf

    path = write_plan(tmp_path / "plan.dxf")
    doc = ezdxf.readfile(path)
    doc.modelspace().query('LWPOLYLINE[layer=="BLK_1_FLR_1_BUA"]').first.translate(5, 0, 0)
    doc.saveas(path)
    report = scrutinize(path, "sample-mbbl2016", ON)
    assert report.verdict == Verdict.DRAWING_ERRORS
    assert [(e.code, e.layer) for e in report.drawing_errors] == [("OUTSIDE_PLOT", "BLK_1_FLR_1_BUA")]
    assert report.rule("FAR").status == Status.NOT_EVALUATED
    assert report.rule("COV").status == Status.PASS


def test_a_declared_road_width_the_drawing_does_not_show_asks_to_verify(tmp_path: Path) -> None:
    import ezdxf

    path = write_plan(tmp_path / "plan.dxf")
    doc = ezdxf.readfile(path)
    info = doc.modelspace().query('MTEXT[layer=="PLAN_INFO"]').first
    info.text = info.text.replace("ROAD_WIDTH_M=9", "ROAD_WIDTH_M=6")  # a 9 m road declared as 6 m
    doc.saveas(path)
    report = scrutinize(path, "sample-mbbl2016", ON)
    assert report.measures.road_width_drawn_m == pytest.approx(9.0)
    assert [e.code for e in report.drawing_errors] == ["ROAD_WIDTH_MISMATCH"]
    assert report.rule("FRONT").status == Status.VERIFY and report.rule("FRONT").band == "0 <= road width < 7.5"
    assert report.verdict == Verdict.VERIFY
    assert check(tmp_path, T01).measures.road_width_drawn_m == pytest.approx(9.0)
