"""parse_receipt's fast path never accepts what the field-by-field checks refuse, and builds the very
same rows when it accepts (otherwise it steps aside and the checks name the fault)."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from central.sync.ingest import Malformed, _parse_receipt_checked, _parse_receipt_fast, parse_receipt

GOOD: dict[str, Any] = {
    "uuid": "0193a5b2-7c1d-7e3f-8a4b-5c6d7e8f9a0b",
    "receipt_no": "DEMO/Z01/C01/2026-27/000123",
    "series_key": "DEMO/Z01/C01/2026-27",
    "seq": 123,
    "property_uuid": "0193a5b2-0000-7e3f-8a4b-5c6d7e8f9a0b",
    "payer_name": "रमेश कुमार",
    "collected_at": "2026-11-28T10:15:00.123456+05:30",
    "business_date": "2026-11-28",
    "mode": "CASH",
    "amount_paise": 50_000,
    "instrument_no": "",
    "instrument_date": None,
    "bank": "",
    "branch": "",
    "prev_hash": "a" * 64,
    "hash": "b" * 64,
    "lines": [
        {"fy": "2026-27", "head": "PROPERTY_TAX", "amount_paise": 49_000},
        {
            "fy": "2026-27",
            "head": "WATER_CHARGE",
            "amount_paise": 1_000,
            "service": "WATER",
            "account": "c-1",
            "period": "2026-11",
        },
    ],
}

ODD_VALUES: list[Any] = [
    None, "", "x", "x" * 7, "x" * 8, "x" * 10, "x" * 11, "x" * 24, "x" * 25, "x" * 36, "x" * 37, "x" * 60, "x" * 61,
    "x" * 64, "x" * 65, "x" * 200, "x" * 201, "a\x00b", 0, 1, -1, True, False, 2**31 - 1, 2**31, 2**62 - 1, 2**62,
    -(2**62) + 1, -(2**62), 1.5, [], {}, "2026-13-01", "2026-11-28", "2026-11-28T10:00:00", "2026-11-28T10:00:00Z",
    "not a date", "WATER", "PROPERTY", "GAS", "2026-27",
]  # fmt: skip
TOP_KEYS = [key for key in GOOD if key != "lines"] + ["fy"]
LINE_KEYS = ["fy", "head", "amount_paise", "service", "account", "period"]


def _variants() -> list[dict[str, Any]]:
    out = [copy.deepcopy(GOOD)]
    for key, value in itertools.product(TOP_KEYS, ODD_VALUES):
        variant = copy.deepcopy(GOOD)
        variant[key] = value
        out.append(variant)
        missing = copy.deepcopy(GOOD)
        missing.pop(key, None)
        out.append(missing)
    for key, value in itertools.product(LINE_KEYS, ODD_VALUES):
        variant = copy.deepcopy(GOOD)
        variant["lines"][1][key] = value
        out.append(variant)
        missing = copy.deepcopy(GOOD)
        missing["lines"][0].pop(key, None)
        out.append(missing)
    for lines in (None, "x", {}, [], [None], ["x"], [[]]):
        variant = copy.deepcopy(GOOD)
        variant["lines"] = lines
        out.append(variant)
    return out


def _checked(payload: dict[str, Any]) -> Any:
    try:
        return _parse_receipt_checked(payload)
    except Malformed as error:
        return error


@pytest.mark.parametrize("payload", _variants())
def test_the_fast_path_agrees_with_the_checks(payload: dict[str, Any]) -> None:
    fast = _parse_receipt_fast(payload)
    checked = _checked(payload)
    if fast is not None:
        assert not isinstance(checked, Malformed), checked
        assert fast.row == checked.row and list(fast.row) == list(checked.row)
        assert fast.lines == checked.lines
    if isinstance(checked, Malformed):
        with pytest.raises(Malformed, match=str(checked).split(":")[0]):
            parse_receipt(payload)
    else:
        assert parse_receipt(payload) == checked


def test_a_well_formed_receipt_takes_the_fast_path() -> None:
    assert _parse_receipt_fast(GOOD) is not None
    water_only = {**GOOD, "property_uuid": None}
    assert _parse_receipt_fast(water_only) is not None
