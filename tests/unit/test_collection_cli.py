"""`nikay bill` and `nikay collect --account`: the combined bill from the command line, paid on one receipt."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.core.clock import FixedClock
from tests.factories import make_combined_accounts, set_up_device


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    db = set_up_device(data_dir, FixedClock.on_ist_date(date(2026, 6, 15)))
    make_combined_accounts(db)
    db.dispose()
    return data_dir


def nikay(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.stdout, result.stderr


def test_bill_of_a_property_lists_every_service(seeded: Path) -> None:
    code, out, err = nikay(seeded, "bill", "--account", "W01-000001", "--on", "2026-06-15", "--json")
    assert code == 0, err
    bill = json.loads(out)
    assert [(s["service"], s["number"], s["payable_paise"]) for s in bill["sections"]] == [
        ("PROPERTY", "W01-000001", 211900),
        ("WATER", "W-01-000001", 140000),
        ("SWM", "UC-01-000001", 6000),
        ("TRADE", "TL/2026-27/00001", 100000),
    ]
    code, out, _ = nikay(seeded, "bill", "--account", "w01000001", "--on", "2026-06-15")
    assert code == 0 and "Bill of W-01-000001" in out and "Total payable ₹1,400.00" in out


def test_collect_chosen_services_of_a_property_on_one_receipt(seeded: Path) -> None:
    code, out, err = nikay(
        seeded,
        "collect",
        "--account",
        "W01-000001",
        "--services",
        "property,water",
        "--amount",
        "3519.00",
        "--on",
        "2026-06-15",
        "--json",
    )
    assert code == 0, err
    receipt = json.loads(out)
    assert receipt["accounts"] == ["W-01-000001"]
    assert receipt["balance_paise"] == 6000 + 100000  # user charge and licence fee not chosen
    water = [line for line in receipt["lines"] if line.get("service") == "WATER"]
    assert [(line["period"], line["head"], line["amount_paise"]) for line in water] == [
        ("2026-04", "WATER_CONNECTION_FEE", 100000),
        ("2026-04", "WATER_CHARGE", 20000),
        ("2026-05", "WATER_CHARGE", 20000),
    ]
    assert {"fy": "2026-27", "head": "PROPERTY_TAX", "amount_paise": 162000} in receipt["lines"]


def test_collect_a_licence_fee_by_its_number(seeded: Path) -> None:
    code, out, err = nikay(seeded, "collect", "--account", "TL/2026-27/00001", "--amount", "500", "--on", "2026-06-15")
    assert code == 2 and "must be paid whole" in err and "pay at least ₹1,000.00" in err
    code, out, err = nikay(
        seeded, "collect", "--account", "TL/2026-27/00001", "--amount", "1000", "--on", "2026-06-15", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["accounts"] == ["TL/2026-27/00001"]
    code, out, _ = nikay(seeded, "receipts", "list", "--date", "2026-06-15", "--json")
    assert [r["property_id"] for r in json.loads(out)] == ["TL/2026-27/00001"]


def test_collect_refuses_unknown_accounts_and_services(seeded: Path) -> None:
    code, _, err = nikay(seeded, "collect", "--account", "W-09-999999", "--amount", "10", "--on", "2026-06-15")
    assert code == 2 and "no property, water connection, licence or user-charge payer" in err
    code, _, err = nikay(
        seeded, "collect", "--account", "UC-01-000001", "--services", "water", "--amount", "10", "--on", "2026-06-15"
    )
    assert code == 2 and "water: not on the bill of UC-01-000001" in err
    code, _, err = nikay(seeded, "collect", "--amount", "10", "--on", "2026-06-15")
    assert code == 2 and "either --property or --account" in err
