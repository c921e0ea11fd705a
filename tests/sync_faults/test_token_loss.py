"""A flaky office line can lose the reply to a refresh-token exchange more than once in a row. The
device must still get back in once the line is good: the exchange is signed with its device key, so a
retry of a lost exchange is not theft. (Found by test_soak: seed 1 once locked a counter out for good.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync_faults.conftest import World
from tests.sync_faults.devices import enrolled_device
from tests.sync_faults.invariants import check_invariants


def test_refresh_reply_lost_twice_then_the_line_heals(world: World, tmp_path: Path) -> None:
    device = enrolled_device(tmp_path / "dev", world.proxy.url, world.code())
    try:
        device.counter.collect(2)
        for _ in range(2):  # the token exchange reaches the central; its answer never comes back
            device.sync.credentials.forget_access()
            world.proxy.cut_response_after(20, connections=None)
            with pytest.raises(Exception):  # noqa: B017 - a transport failure
                device.sync.run_cycle()
        world.proxy.heal()
        world.proxy.drop_all()
        device.drain()
        verdict = check_invariants(world.url, [device.data_dir])
        assert verdict.ok, str(verdict)
    finally:
        world.proxy.heal()
        device.close()
