"""`nikay collect` (headless collection as a named user) and `nikay receipts list`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.core.clock import FixedClock
from tests.factories import add_property, set_up_device


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    db = set_up_device(data_dir, FixedClock.on_ist_date(date(2026, 6, 15)))
    add_property(db, "W01-000001")
    add_property(db, "W01-000002", years=("2025-26", "2026-27"), unfiled=("2025-26",))
    db.dispose()
    return data_dir


def nikay(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.stdout, result.stderr


def test_collect_full_payment_as_json(seeded: Path) -> None:
    code, out, err = nikay(
        seeded,
        "collect",
        "--property",
        "W01-000001",
        "--amount",
        "2119.00",
        "--mode",
        "cash",
        "--on",
        "2026-06-15",
        "--json",
    )
    assert code == 0, err
    receipt = json.loads(out)
    assert set(receipt) == {"receipt_no", "uuid", "paid_paise", "lines", "advance_paise", "balance_paise"}
    assert receipt["receipt_no"] == "DEMO/Z01/C01/2026-27/000001"
    assert receipt["paid_paise"] == 211900
    assert receipt["balance_paise"] == 0
    assert receipt["advance_paise"] == 0
    assert {(line["head"], line["amount_paise"]) for line in receipt["lines"]} == {
        ("PROPERTY_TAX", 162000),
        ("SAMEKIT", 60000),
        ("REBATE", -10125),
        ("ROUND_OFF", 25),
    }


def test_collect_part_payment_and_overpayment(seeded: Path) -> None:
    code, out, _ = nikay(
        seeded, "collect", "--property", "W01-000002", "--amount", "1500", "--on", "2026-06-15", "--json"
    )
    assert code == 0
    part = json.loads(out)
    assert [line["head"] for line in part["lines"]] == ["PENALTY", "SURCHARGE", "PROPERTY_TAX"]
    assert part["balance_paise"] > 0
    code, out, _ = nikay(
        seeded, "collect", "--property", "W01-000001", "--amount", "2500", "--on", "2026-06-15", "--json"
    )
    assert json.loads(out)["advance_paise"] == 250000 - 211900


def test_receipts_list_shows_what_was_collected(seeded: Path) -> None:
    nikay(seeded, "collect", "--property", "W01-000001", "--amount", "100", "--on", "2026-06-15")
    code, out, _ = nikay(seeded, "receipts", "list", "--date", "2026-06-15", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["receipt_no"], r["amount_paise"]) for r in rows] == [("DEMO/Z01/C01/2026-27/000001", 10000)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--property", "NOPE", "--amount", "100"), "no property with ID or old ID 'NOPE'"),
        (("--property", "W01-000001", "--amount", "12.345"), "more than two decimal places"),
        (("--property", "W01-000001", "--amount", "100", "--mode", "barter"), "unknown mode 'barter'"),
        (("--property", "W01-000001", "--amount", "100", "--user", "engineer1"), "may not collect"),
        (
            (
                "--property",
                "W01-000001",
                "--amount",
                "100",
                "--mode",
                "cheque",
                "--instrument-no",
                "123456",
                "--instrument-date",
                "2026-07-01",
                "--bank",
                "SBI",
                "--branch",
                "Raipur",
            ),
            "post-dated",
        ),
    ],
)
def test_bad_collections_are_refused_with_a_reason(seeded: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = nikay(seeded, "collect", "--on", "2026-06-15", *args)
    assert code == 2
    assert message in err
    code, out, _ = nikay(seeded, "receipts", "list", "--date", "2026-06-15", "--json")
    assert json.loads(out) == []  # nothing half-saved
