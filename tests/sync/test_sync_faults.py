"""The sync engine under faults, against a real central: a reply lost mid-push, a 410 cursor, a
restored central (new epoch), a ledger that disagrees, an operation the central cannot read, a
network that stays down for a while, two workers on one data folder, a crash inside a pull page."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import text

from app.core.ids import new_uuid
from app.outbox.service import Outbox
from app.security.secrets import OwnerOnlyFileSecretStore
from sync.errors import SyncBusy, SyncUnavailable
from sync.protocol import PATH_PUSH
from sync.service import SyncService
from sync.worker import SyncWorker, backoff_delay
from tests.central.server import CentralServer
from tests.sync.conftest import Device, central_query, enrol, new_device
from tests.sync_faults.netproxy import NetProxy

REPO = Path(__file__).resolve().parents[2]


def _wait(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_a_reply_lost_mid_push_leaves_rows_pending_and_the_retry_gets_duplicates(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    proxy = NetProxy(central_server.port)

    class CutThePushReply(requests.Session):
        """A real session whose next push goes over a fresh connection the proxy cuts after the
        central answered: the central committed, the device never hears it (a timeout)."""

        armed = False

        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
            if self.armed and str(url).endswith(PATH_PUSH):
                type(self).armed = False
                for adapter in self.adapters.values():
                    adapter.close()
                proxy.cut_response_after(1, connections=1)
            return super().request(method, url, *args, **kwargs)

    try:
        device = new_device(tmp_path, "a", ("W01-000001",))
        devices.append(device)
        enrol(device, central_server, url=proxy.url)
        services = device.services
        engine = SyncService(
            services.db,
            services.clock,
            OwnerOnlyFileSecretStore(device.data_dir),
            services.audit,
            services.device.ulb_code,
            http_session_factory=CutThePushReply,
            http_timeouts=(10.0, 3.0),  # the lost reply shows up as a read timeout; keep the test short
        )
        receipts = [device.collect(device.properties[0], 10_000) for _ in range(3)]
        CutThePushReply.armed = True
        with pytest.raises(SyncUnavailable):
            engine.run_cycle()
        assert device.outbox_states() == {"pending": 4}  # session opened + 3 receipts: outcome unknown
        assert engine.status().state.value == "offline"
        assert central_query(central_server, "SELECT count(*) AS n FROM receipt")[0].n == 3  # it did commit
        report = engine.run_cycle()
        assert report.duplicates == 4 and report.acknowledged == 4
        assert device.outbox_states() == {"acked": 4}
        rows = central_query(central_server, "SELECT uuid FROM receipt ORDER BY seq")
        assert [row.uuid for row in rows] == receipts  # once each
    finally:
        proxy.close()


def test_cursor_gone_reloads_a_snapshot_without_touching_the_outbox(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(a)
    enrol(a, central_server)
    b = new_device(tmp_path, "b", ("W01-000001",))
    devices.append(b)
    enrol(b, central_server)
    b.sync.run_cycle()
    a.collect(a.properties[0], 10_000)
    a.sync.run_cycle()
    # The central pruned its feed past b's cursor: b must re-download the state.
    central_query(central_server, "UPDATE server_meta SET min_retained_seq = 1000000")
    b_receipt = b.collect(b.properties[0], 5_000)
    with b.services.db.read() as session:
        before = session.execute(text("SELECT device_seq, op_uuid, payload_sha256 FROM outbox")).all()
    report = b.sync.run_cycle()
    assert report.snapshot_reloaded
    with b.services.db.read() as session:
        after = session.execute(text("SELECT device_seq, op_uuid, payload_sha256 FROM outbox")).all()
        remote = session.execute(text("SELECT count(*) FROM remote_payment")).scalar()
    assert after == before  # the snapshot never adds, drops or rewrites an outbox row
    assert remote == 1  # a's payment came with the snapshot
    assert b_receipt in {row.uuid for row in central_query(central_server, "SELECT uuid FROM receipt")}


def test_a_pulled_property_never_clobbers_a_pending_local_edit(tmp_path: Path, devices: list[Device]) -> None:
    from sync.protocol import Change

    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    prop = device.properties[0]
    detail = device.services.properties.get(prop)
    from app.property.service import PropertyInput

    device.services.properties.update(
        device.actor("supervisor1"),
        prop,
        PropertyInput(
            property_id=detail.property_id,
            ward_no=detail.ward_no,
            zone_code=detail.zone_code,
            address_en="typed here",
            owners=detail.owners,
            units=detail.units,
        ),
    )
    change = Change(
        seq=0,
        entity="property",
        entity_uuid=prop,
        op="upsert",
        version=7,
        payload={"property_id": detail.property_id, "ward_no": 1, "zone_code": "B", "address_en": "from central"},
    )
    with device.services.db.write() as session:
        assert device.sync.dispatcher.apply(session, change)
    assert device.services.properties.get(prop).address_en == "typed here"


def test_a_new_server_epoch_re_pushes_every_money_row_and_resets_the_cursor(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    enrol(device, central_server)
    device.collect(device.properties[0], 10_000)
    device.collect(device.properties[0], 10_000)
    device.sync.run_cycle()
    # Restored from a backup taken before these receipts arrived, and flagged with a new epoch.
    central_query(central_server, "DELETE FROM receipt_line")
    central_query(central_server, "DELETE FROM receipt")
    central_query(central_server, "DELETE FROM counter_day")
    central_query(central_server, "DELETE FROM sync_op")
    central_query(central_server, "UPDATE device SET last_device_seq = 0")
    central_query(central_server, "UPDATE server_meta SET server_epoch = :e", e=new_uuid())
    report = device.sync.run_cycle()
    assert report.epoch_changed and report.snapshot_reloaded
    assert report.acknowledged == 3 and report.quarantined == 0
    assert central_query(central_server, "SELECT count(*) AS n FROM receipt")[0].n == 2
    assert device.outbox_states() == {"acked": 3}


def test_a_ledger_mismatch_re_pushes_that_day(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    enrol(device, central_server)
    lost = device.collect(device.properties[0], 10_000)
    device.collect(device.properties[0], 10_000)
    device.sync.run_cycle()
    # The central lost one receipt (and its op record): count and sum of the day no longer match.
    central_query(central_server, "DELETE FROM receipt_line WHERE receipt_uuid = :u", u=lost)
    central_query(central_server, "DELETE FROM receipt WHERE uuid = :u", u=lost)
    central_query(central_server, "DELETE FROM sync_op WHERE kind = 'receipt.created'")
    # New money on the same day makes the day unreconciled again, so the next sync checks it.
    device.collect(device.properties[0], 10_000)
    report = device.sync.run_cycle()
    assert report.ledger_mismatches == 1 and report.repushed >= 2
    assert lost in {row.uuid for row in central_query(central_server, "SELECT uuid FROM receipt")}
    report = device.sync.run_cycle()
    assert report.ledger_mismatches == 0 and device.sync.status().ledger_mismatches == 0


def test_an_operation_the_central_cannot_read_is_quarantined_and_stays_visible(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    enrol(device, central_server)
    with device.services.db.write() as session:
        Outbox(device.services.clock).append(session, "receipt.created", new_uuid(), {"nonsense": True})
    good = device.collect(device.properties[0], 10_000)
    report = device.sync.run_cycle()
    assert report.quarantined == 1
    assert device.sync.status().quarantined_ops == 1
    assert good in {row.uuid for row in central_query(central_server, "SELECT uuid FROM receipt")}
    report = device.sync.run_cycle()  # never re-sent, never dropped
    assert report.pushed == 0 and device.outbox_states()["quarantined"] == 1


def test_backoff_is_full_jitter_capped_and_honours_retry_after() -> None:
    rng = random.Random(7)
    for failures in range(1, 20):
        ceiling = min(300.0, 2.0 * 2**failures)
        delays = [backoff_delay(failures, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8 and min(delays) < ceiling * 0.2  # spread over the whole range
    assert backoff_delay(1, rng, retry_after_s=30) >= 30
    assert backoff_delay(50, rng) <= 300


def test_the_worker_never_gives_up_and_drains_by_timer_without_new_writes(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    proxy = NetProxy(central_server.port)
    try:
        device = new_device(tmp_path, "a", ("W01-000001",))
        devices.append(device)
        enrol(device, central_server, url=proxy.url)
        for _ in range(3):
            device.collect(device.properties[0], 10_000)
        proxy.refuse()
        proxy.drop_all()
        seen: list[str] = []
        worker = SyncWorker(
            device.sync,
            on_status=lambda s: seen.append(s.state.value),
            interval_s=30.0,
            rng=random.Random(1),
            backoff_base_s=0.02,
            backoff_cap_s=0.2,
        )
        worker.start()
        try:
            _wait(lambda: worker.failures >= 5)
            assert device.sync.status().pending_money_ops == 4
            proxy.heal()  # no wake(), no new receipt: the backoff timer alone must drain the queue
            _wait(lambda: device.sync.status().pending_ops == 0)
            _wait(lambda: seen[-1] == "idle")
            assert "offline" in seen and "syncing" in seen
        finally:
            worker.stop()
    finally:
        proxy.close()


def test_only_one_worker_per_data_folder(central_server: CentralServer, tmp_path: Path, devices: list[Device]) -> None:
    from app.composition import build_services
    from app.security.passwords import fast_hasher
    from app.security.secrets import OwnerOnlyFileSecretStore
    from sync.composition import build_sync

    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    enrol(device, central_server)
    first = SyncWorker(device.sync, interval_s=30.0)
    first.start()
    other_services = build_services(device.data_dir, password_hasher=fast_hasher())
    try:
        other = build_sync(other_services, OwnerOnlyFileSecretStore(device.data_dir))
        _wait(lambda: first.holds_lock)
        second = SyncWorker(other, interval_s=30.0)
        second.start()
        time.sleep(0.3)
        assert not second.holds_lock
        with pytest.raises(SyncBusy):
            other.run_cycle()
        second.stop()
        first.stop()
        other.run_cycle()  # the lock is free again once the first worker stopped
    finally:
        first.stop()
        other_services.close()


CHILD = """
import sys
from pathlib import Path
from app.composition import build_services
from app.security.secrets import OwnerOnlyFileSecretStore
from sync.composition import build_sync
services = build_services(Path(sys.argv[1]))
build_sync(services, OwnerOnlyFileSecretStore(Path(sys.argv[1]))).run_cycle()
"""


def _child_cycle(data_dir: Path, failpoint: str) -> int:
    env = {**os.environ, "NIKAY_SYNC_FAILPOINTS": failpoint, "NIKAY_SECRET_STORE": "file"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(data_dir)], cwd=REPO, env=env, timeout=60, check=False)
    return done.returncode


@pytest.mark.parametrize("failpoint", ["mid_pull_page_apply", "after_push_response_before_ack_commit"])
def test_a_crash_inside_the_cycle_loses_nothing_and_skips_nothing(
    failpoint: str, central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    a = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(a)
    enrol(a, central_server)
    b = new_device(tmp_path, "b", ("W01-000001",))
    devices.append(b)
    enrol(b, central_server)
    b.sync.run_cycle()
    paid = a.collect(a.properties[0], 10_000)
    a.sync.run_cycle()
    mine = b.collect(b.properties[0], 5_000)
    assert _child_cycle(b.data_dir, failpoint) == -signal.SIGKILL
    with b.services.db.read() as session:
        if failpoint == "mid_pull_page_apply":
            # The page and its cursor were one transaction: neither is there.
            assert session.execute(text("SELECT count(*) FROM remote_payment")).scalar() == 0
        else:
            assert session.execute(text("SELECT count(*) FROM outbox WHERE state = 'pending'")).scalar() >= 1
    report = b.sync.run_cycle()
    with b.services.db.read() as session:
        assert session.execute(text("SELECT uuid FROM remote_payment")).scalars().all() == [paid]
    assert b.outbox_states().keys() == {"acked"}
    assert mine in {row.uuid for row in central_query(central_server, "SELECT uuid FROM receipt")}
    if failpoint == "after_push_response_before_ack_commit":
        assert report.duplicates >= 1


def test_ops_the_central_no_longer_holds_are_pushed_again_even_without_a_new_epoch(
    central_server: CentralServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = new_device(tmp_path, "a", ("W01-000001",))
    devices.append(device)
    enrol(device, central_server)
    receipt = device.collect(device.properties[0], 10_000)
    device.sync.run_cycle()
    central_query(central_server, "DELETE FROM receipt_line")
    central_query(central_server, "DELETE FROM receipt")
    central_query(central_server, "DELETE FROM counter_day")
    central_query(central_server, "DELETE FROM sync_op")
    central_query(central_server, "UPDATE device SET last_device_seq = 0")
    report = device.sync.run_cycle()
    assert report.repushed == 2 and report.acknowledged == 2 and report.duplicates == 0
    assert [row.uuid for row in central_query(central_server, "SELECT uuid FROM receipt")] == [receipt]
    assert device.sync.run_cycle().repushed == 0  # and only once
