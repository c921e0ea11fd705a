"""A wrong device clock — three days behind, 400 days ahead, and a night across 31 March → 1 April
(a new financial year, so a new receipt series) — never stops money reaching the central: every
receipt is accepted, the skewed ones are flagged clock_skew, the others are not, and the series of
both financial years verify (I1–I4)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import psycopg

from tests.sync_faults.conftest import World
from tests.sync_faults.devices import enrolled_device
from tests.sync_faults.invariants import check_invariants, plain_pg_url


def _flags(world: World, uuids: list[str]) -> dict[str, list[str]]:
    with psycopg.connect(plain_pg_url(world.url)) as conn:
        rows = conn.execute("SELECT uuid, flags FROM receipt WHERE uuid = ANY(%s)", (uuids,)).fetchall()
    return {uuid: list(flags) for uuid, flags in rows}


def test_skewed_clocks_and_a_new_financial_year_are_accepted_and_flagged(world: World, tmp_path: Path) -> None:
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    try:
        counter = device.counter
        honest = counter.collect(2)
        device.drain()

        counter.shift(timedelta(days=-3))
        behind = counter.collect(2)
        device.drain()

        counter.set_day(date(2027, 3, 31), hour=23, minute=50)  # the last minutes of FY 2026-27
        march = counter.collect(2)
        counter.set_day(date(2027, 4, 1), hour=0, minute=10)  # FY 2027-28: a new series
        april = counter.collect(2)
        device.drain()

        counter.clock.current = counter.clock.current + timedelta(days=400)
        counter.open_today()
        ahead = counter.collect(2)
        device.drain()

        flags = _flags(world, honest + behind + march + april + ahead)
        assert len(flags) == 10, "every receipt was accepted"
        for uuid in honest:
            assert "clock_skew" not in flags[uuid]
        for name, uuids in (("behind", behind), ("march", march), ("april", april), ("ahead", ahead)):
            assert all("clock_skew" in flags[uuid] for uuid in uuids), (name, [flags[u] for u in uuids])

        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
        with psycopg.connect(plain_pg_url(world.url)) as conn:
            numbers: dict[str, str] = dict(
                conn.execute("SELECT uuid, receipt_no FROM receipt WHERE uuid = ANY(%s)", (march + april,)).fetchall()
            )
        assert {numbers[u].rsplit("/", 2)[1] for u in march} == {"2026-27"}
        assert [numbers[u].rsplit("/", 2)[1:] for u in april] == [["2027-28", "000001"], ["2027-28", "000002"]]
    finally:
        device.close()
