"""Ten days offline at 500 receipts a day, then one sync: the backlog drains in that one cycle (in
batches, no truncation), the ledger reconciliation agrees day by day, and I1–I4 hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.clock import business_date
from tests.sync_faults.bulk import clone_receipts
from tests.sync_faults.conftest import World
from tests.sync_faults.devices import enrolled_device
from tests.sync_faults.invariants import check_invariants

DAYS = 10
PER_DAY = 500


@pytest.mark.slow
def test_ten_days_offline_then_one_sync_drains_and_reconciles(world: World, tmp_path: Path) -> None:
    first_day = business_date(datetime.now(UTC)) - timedelta(days=DAYS + 1)
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code(), day=first_day)
    try:
        for i in range(DAYS):
            device.counter.set_day(first_day + timedelta(days=i), hour=10)
            device.counter.collect(1)  # the day's first receipt through the counter's own transaction
            clone_receipts(device.data_dir, PER_DAY - 1, timedelta(seconds=30))  # the rest of the day
        device.counter.set_day(first_day + timedelta(days=DAYS), hour=10)  # closes the last day
        backlog = device.sync.status().pending_money_ops
        assert backlog >= DAYS * PER_DAY

        report = device.sync.run_cycle()
        assert report.acknowledged >= DAYS * PER_DAY
        assert report.ledger_mismatches == 0 and report.repushed == 0
        status = device.sync.status()
        assert status.pending_ops == 0 and status.ledger_mismatches == 0
        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
        assert verdict.central_count == DAYS * PER_DAY
    finally:
        device.close()
