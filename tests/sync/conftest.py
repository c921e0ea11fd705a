"""Devices for the sync tests: real SQLite data folders with the DEMO masters, the real desktop
services and the real sync engine, talking HTTP to a real central (uvicorn + PostgreSQL) on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from app.composition import Services, build_services
from app.security.passwords import fast_hasher
from app.security.roles import Actor
from app.security.secrets import OwnerOnlyFileSecretStore
from sync.composition import build_sync
from sync.service import SyncService
from tests.central import conftest as _central_fixtures
from tests.central.server import CentralServer, issue_code
from tests.factories import add_property, cash, set_up_device

# The central's fixtures (pg_url, central_db, central_server, ...), whatever their helpers are named.
globals().update(
    {name: value for name, value in vars(_central_fixtures).items() if "fixture" in type(value).__name__.lower()}
)


@dataclass
class Device:
    data_dir: Path
    services: Services
    sync: SyncService
    properties: list[str] = field(default_factory=list)

    def actor(self, username: str = "clerk1") -> Actor:
        return self.services.users.actor_for(username, self.services.device.device_no)

    def collect(self, property_uuid: str, amount_paise: int) -> str:
        clerk = self.actor("clerk1")
        if self.services.collections.current_session(clerk) is None:
            self.services.collections.open_session(clerk, 0)
        return self.services.collections.collect(clerk, cash(property_uuid, amount_paise)).uuid

    def outbox_states(self) -> dict[str, int]:
        with self.services.db.read() as session:
            rows = session.execute(text("SELECT state, count(*) FROM outbox GROUP BY state")).all()
        return {state: count for state, count in rows}

    def reopen(self) -> None:
        """What the desktop does after enrolment: rebuild the services on the new device identity."""
        self.services.close()
        self.services = build_services(self.data_dir, password_hasher=fast_hasher())
        self.sync = build_sync(self.services, OwnerOnlyFileSecretStore(self.data_dir))

    def close(self) -> None:
        self.services.close()


def new_device(root: Path, name: str, property_ids: tuple[str, ...] = ()) -> Device:
    data_dir = root / name
    data_dir.mkdir(parents=True)
    from app.core.clock import SystemClock

    db = set_up_device(data_dir, SystemClock())
    uuids = [add_property(db, pid) for pid in property_ids]
    db.dispose()
    services = build_services(data_dir, password_hasher=fast_hasher())
    return Device(data_dir, services, build_sync(services, OwnerOnlyFileSecretStore(data_dir)), uuids)


def enrol(device: Device, server: CentralServer, url: str | None = None) -> None:
    device.sync.enrol(url or server.base_url, issue_code(server.base_url, server.admin_token, "Z01"))
    device.reopen()


def central_query(server: CentralServer, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(server.database_url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[list[Device]]:
    made: list[Device] = []
    yield made
    for device in made:
        device.close()
