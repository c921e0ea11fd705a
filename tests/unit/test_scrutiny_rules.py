"""Rule sets and conventions as data: bands checked at load, the version in force on the application date,
the shipped sample exactly as issue 6 item 4 lists it, the CG draft with its gaps, the CLI."""

from __future__ import annotations

import json
import math
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.errors import ValidationError
from app.scrutiny.convention import load_convention
from app.scrutiny.dto import Status, Verdict
from app.scrutiny.rules import RULES_DIR, load_rule_set
from app.scrutiny.service import scrutinize
from tests.scrutiny_plans import T01, write_plan

ON = date(2026, 11, 28)
INF = math.inf


def bands(rule_set_id: str, rule_id: str) -> list[tuple[float, float, float | None]]:
    rule = next(r for r in load_rule_set(rule_set_id, ON).rules if r.id == rule_id)
    return [(b.lo, b.hi, b.value) for b in rule.bands]


def test_the_sample_rule_set_has_exactly_the_values_of_the_issue() -> None:
    rs = load_rule_set("sample-mbbl2016", ON)
    assert rs.ref.illustrative and rs.ref.status == "draft"
    assert [r.id for r in rs.rules] == ["COV", "FAR", "HT", "FRONT", "REAR", "SIDE", "PARK"]
    assert bands("sample-mbbl2016", "COV") == [
        (0, 50, 75),
        (50, 250, 65),
        (250, 500, 55),
        (500, 1000, 45),
        (1000, 1500, 40),
    ]
    assert bands("sample-mbbl2016", "FAR") == [
        (0, 50, 1.5),
        (50, 250, 1.8),
        (250, 500, 1.65),
        (500, 1000, 1.2),
        (1000, 1500, 1.0),
    ]
    assert bands("sample-mbbl2016", "HT") == [(0, 50, 8), (50, 250, 12), (250, 1500, 15)]
    assert bands("sample-mbbl2016", "FRONT") == [(0, 7.5, 1.5), (7.5, 18, 3.0), (18, 30, 4.5), (30, INF, 6.0)]
    assert bands("sample-mbbl2016", "REAR") == [(0, 250, 1.5), (250, 1500, 3.0)]
    assert bands("sample-mbbl2016", "SIDE") == [(0, 250, 0), (250, 500, 1.5), (500, 1500, 3.0)]
    park = rs.rules[-1]
    assert (park.per_of, park.per_each, park.op) == ("bua_total_m2", 100, ">=")
    assert "not CG law" in rs.ref.title


def test_the_cg_draft_marks_every_gap_and_never_passes_on_one(tmp_path: Path) -> None:
    rs = load_rule_set("cg-bvn-1984-draft", ON)
    assert rs.ref.status == "draft" and not rs.ref.illustrative
    assert all(r.gap for r in rs.rules)
    report = scrutinize(write_plan(tmp_path / "p.dxf"), "cg-bvn-1984-draft", ON)
    assert {r.status for r in report.rules} == {Status.VERIFY}
    assert all("gap in the rule set" in r.note for r in report.rules)
    assert report.verdict == Verdict.VERIFY
    assert any("draft" in w for w in report.warnings)
    with pytest.raises(ValidationError, match="no version in force on 2020-01-01"):
        load_rule_set("cg-bvn-1984-draft", date(2020, 1, 1))


SET = """schema = "nikay-dcr-ruleset/1"
[meta]
id = "test-set"
version = "{version}"
status = "verified"
effective_from = {start}
effective_to = {end}
[[rule]]
id = "COV"
measure = "coverage_pct"
op = "<="
by = "plot_area_m2"
bands = {bands}
"""


def write_set(
    folder: Path, name: str, bands: str, version: str = "1", start: str = "2020-01-01", end: str = "2099-12-31"
) -> None:
    (folder / f"{name}.toml").write_text(
        SET.format(version=version, start=start, end=end, bands=bands), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("band_text", "message"),
    [
        ("[[0, 50, 75], [60, 100, 65]]", "gap between 50 and 60"),
        ("[[0, 50, 75], [40, 100, 65]]", "overlaps"),
        ("[[10, 50, 75]]", "must start at 0"),
        ("[[0, 50, 75], [50, 50, 65]]", "must be below"),
        ("[[0, 50, 'x']]", "not a number"),
        ("[]", "non-empty"),
        ("[[0, 'inf', 'TBD']]", "say why in `gap`"),
    ],
)
def test_bands_with_gaps_or_overlaps_are_refused_at_load(tmp_path: Path, band_text: str, message: str) -> None:
    write_set(tmp_path, "bad", band_text)
    with pytest.raises(ValidationError, match=message):
        load_rule_set("test-set", ON, tmp_path)


def test_the_version_in_force_on_the_application_date_is_used(tmp_path: Path) -> None:
    write_set(tmp_path, "v1", "[[0, 'inf', 60]]", version="1", start="2020-01-01", end="2025-03-31")
    write_set(tmp_path, "v2", "[[0, 'inf', 50]]", version="2", start="2025-04-01", end="2099-12-31")
    assert load_rule_set("test-set", date(2025, 3, 31), tmp_path).ref.version == "1"
    assert load_rule_set("test-set", date(2025, 4, 1), tmp_path).ref.version == "2"
    # the same plan (coverage 52.5 %) passes under v1 and fails under v2
    plan = write_plan(tmp_path / "p.dxf")
    assert scrutinize(plan, "test-set", date(2025, 1, 1), rules_dir=tmp_path).verdict == Verdict.ACCEPTED
    late = scrutinize(plan, "test-set", date(2025, 6, 1), rules_dir=tmp_path)
    assert late.verdict == Verdict.NOT_ACCEPTED and late.rule_set.version == "2"


def test_an_unknown_rule_set_or_convention_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="sample-mbbl2016"):
        load_rule_set("nope", ON)
    with pytest.raises(ValidationError, match="default, edcr"):
        load_convention("nope")


def test_the_shipped_conventions_map_the_same_concepts() -> None:
    default, edcr = load_convention("default"), load_convention("edcr")
    assert default.classify("blk_3_flr_2_bua") is not None
    assert (default.classify("BLK_3_FLR_2_BUA").block, default.classify("BLK_3_FLR_2_BUA").floor) == (3, 2)  # type: ignore[union-attr]
    assert edcr.classify("BLK_1_LVL_0_BLDG_FOOT_PRINT").concept == "footprint"  # type: ignore[union-attr]
    assert edcr.classify("NOTIFIED_ROAD").concept == default.classify("ROAD").concept == "road"  # type: ignore[union-attr]
    assert default.classify("FURNITURE") is None


runner = CliRunner()


def test_cli_prints_the_json_report_and_exits_0_whatever_the_verdict(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan.dxf")
    result = runner.invoke(cli, ["scrutinize", str(plan), "--rules", "sample-mbbl2016", "--on", "2026-11-28", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "ACCEPTED"
    assert [r["id"] for r in data["rules"]] == ["COV", "FAR", "HT", "FRONT", "REAR", "SIDE", "PARK"]
    from dataclasses import replace

    failing = write_plan(tmp_path / "open.dxf", replace(T01, open_plot=True))
    result = runner.invoke(cli, ["scrutinize", str(failing), "--rules", "sample-mbbl2016", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["verdict"] == "DRAWING_ERRORS"
    assert data["drawing_errors"][0]["code"] == "NOT_CLOSED" and data["drawing_errors"][0]["layer"] == "PLOT_BOUNDARY"
    text = runner.invoke(cli, ["scrutinize", str(plan), "--rules", "sample-mbbl2016", "--convention", "default"])
    assert text.exit_code == 0 and "ACCEPTED" in text.stdout


def test_cli_exits_2_with_a_clear_message_for_a_file_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "plan.dwg"
    bad.write_bytes(b"AC1032" + bytes(100))
    result = runner.invoke(cli, ["scrutinize", str(bad), "--rules", "sample-mbbl2016", "--json"])
    assert result.exit_code == 2
    assert "DWG" in result.stderr and "DXF" in result.stderr
    missing = runner.invoke(cli, ["scrutinize", str(tmp_path / "none.dxf"), "--rules", "sample-mbbl2016"])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    unknown = runner.invoke(cli, ["scrutinize", str(bad), "--rules", "nope"])
    assert unknown.exit_code == 2 and "not found" in unknown.stderr


def test_the_shipped_rule_files_are_the_ones_loaded(tmp_path: Path) -> None:
    shutil.copy(RULES_DIR / "sample-mbbl2016.toml", tmp_path / "copy.toml")
    assert load_rule_set("sample-mbbl2016", ON, tmp_path).ref.sha256 == load_rule_set("sample-mbbl2016", ON).ref.sha256


def test_unknown_keys_in_a_rule_set_are_refused(tmp_path: Path) -> None:
    write_set(tmp_path, "typo", "[[0, 'inf', 60]]")
    path = tmp_path / "typo.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('op = "<="', 'op = "<="\nbands_extra = 1'), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="unknown keys \\['bands_extra'\\]"):
        load_rule_set("test-set", ON, tmp_path)
