"""Request-scoped things the routers depend on. The device comes from its access token, never from
the request body: everything a device reads or writes is scoped to `DeviceContext.ulb_code`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceContext:
    device_id: str
    ulb_code: str
    office_code: str
    device_no: int


@dataclass(frozen=True)
class AdminContext:
    username: str
    role: str  # ulb_admin | state_official
    ulb_code: str | None  # None: a state official (every ULB, read-only)
