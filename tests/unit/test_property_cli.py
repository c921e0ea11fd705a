"""`nikay demo`, `nikay property import`, `nikay property search`: output and exit codes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.composition import build_services
from app.paths import RESOURCES_DIR

runner = CliRunner()


def test_demo_import_and_search(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    result = runner.invoke(cli, ["--data-dir", data, "demo", "--properties", "500", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "500 properties" in result.output

    services = build_services(Path(data))
    services.users.ensure_first_admin()
    services.close()

    bad = tmp_path / "bad.csv"
    bad.write_text("property_id,ward,zone,owner_name_en,units\nW99-1,1,A,Ramesh,0:abc:RCC_RB:RESIDENTIAL\n")
    result = runner.invoke(cli, ["--data-dir", data, "property", "import", str(bad)])
    assert result.exit_code == 2
    assert "row 2, column units: unit 1 area: 'abc' is not a number" in result.stderr
    assert "nothing was imported" in result.stderr

    out = tmp_path / "bad-rows.csv"
    result = runner.invoke(
        cli, ["--data-dir", data, "property", "import", str(bad), "--skip-bad-rows", "--bad-rows-out", str(out)]
    )
    assert result.exit_code == 0
    assert out.exists()

    sample = RESOURCES_DIR / "demo" / "properties-sample.csv"
    result = runner.invoke(cli, ["--data-dir", data, "property", "import", str(sample)])
    assert result.exit_code == 0, result.output
    assert "Imported 4 of 4" in result.stdout

    result = runner.invoke(cli, ["--data-dir", data, "property", "search", "W12-900002"])
    assert result.exit_code == 0
    assert "कमला देवांगन" in result.stdout

    result = runner.invoke(cli, ["--data-dir", data, "property", "search", "qqqqqq"])
    assert result.exit_code == 1


def test_demo_with_an_impossible_size_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--data-dir", str(tmp_path / "d"), "demo", "--properties", "600000"])
    assert result.exit_code == 2
    assert "500,000" in result.stderr
