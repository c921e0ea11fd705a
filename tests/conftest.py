"""Shared fixtures: every test gets its own real SQLite file in a temporary directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.core.clock import FixedClock
from app.db import Database, open_database

# Device secrets go to a file in each test's data folder, never to the developer's real keyring
# (set at import so subprocesses the tests start inherit it).
os.environ["NIKAY_SECRET_STORE"] = "file"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "nikay-data"
    path.mkdir()
    return path


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """15 June 2026, 11:00 IST: inside the first rebate window of FY 2026-27."""
    return FixedClock.on_ist_date(date(2026, 6, 15))
