"""`nikay assess`: the bill through the counter's own code, and clear errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import cli

WORKED = {
    "ulb": "DEMO",
    "zone": "B",
    "on": "2026-06-15",
    "units": [{"floor": 0, "area_sqft": 1000, "construction": "RCC_RB", "usage": "RESIDENTIAL"}],
    "open_land_sqft": 0,
    "years": [{"fy": "2026-27", "return_filed": True}],
}


def run(tmp_path: Path, payload: Any) -> tuple[int, str, str]:
    path = tmp_path / "p.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "assess", "--json", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_worked_example(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, WORKED)
    assert code == 0
    bill = json.loads(out)
    assert bill["payable_paise"] == 211900
    assert bill["round_off_paise"] == 25
    lines = {(line["fy"], line["head"]): line["amount_paise"] for line in bill["lines"]}
    assert lines == {
        ("2026-27", "PROPERTY_TAX"): 162000,
        ("2026-27", "SAMEKIT"): 60000,
        ("2026-27", "EDUCATION_CESS"): 0,
        ("2026-27", "REBATE"): -10125,
        ("2026-27", "ROUND_OFF"): 25,
    }
    assert sum(lines.values()) == bill["payable_paise"]


def test_with_an_arrear_year_and_unfiled_return(tmp_path: Path) -> None:
    payload = {**WORKED, "years": [{"fy": "2025-26", "return_filed": False}, {"fy": "2026-27", "return_filed": True}]}
    code, out, _ = run(tmp_path, payload)
    assert code == 0
    bill = json.loads(out)
    lines = {(line["fy"], line["head"]): line["amount_paise"] for line in bill["lines"]}
    assert lines[("2025-26", "SURCHARGE")] == 39960
    assert lines[("2025-26", "PENALTY")] == 100000
    assert bill["payable_paise"] == 573800  # 2,220 + 399.60 + 1,000 + 2,220 - 101.25 = 5,738.35 -> 5,738
    assert sum(lines.values()) == bill["payable_paise"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "not valid JSON"),
        ({**WORKED, "zone": "Q"}, "unknown zone 'Q'"),
        ({**WORKED, "units": [{**WORKED["units"][0], "construction": "GLASS"}]}, "unknown construction 'GLASS'"),
        ({**WORKED, "units": [{**WORKED["units"][0], "usage": "HOSTEL"}]}, "unknown usage 'HOSTEL'"),
        ({**WORKED, "on": "15/06/2026x"}, "on:"),
        ({**WORKED, "years": [{"fy": "2026-28"}]}, "years.0.fy"),
        ({k: v for k, v in WORKED.items() if k != "zone"}, "zone: Field required"),
    ],
)
def test_bad_input_is_named_and_exits_2(tmp_path: Path, payload: Any, message: str) -> None:
    code, out, err = run(tmp_path, payload)
    assert code == 2
    assert out == ""
    assert message in err
