"""Request-scoped things the routers depend on. The device comes from its access token, never from
the request body: everything a device reads or writes is scoped to `DeviceContext.ulb_code`.

Use the Annotated aliases in routers:

    def push(body: PushRequest, device: DeviceDep, session: SessionDep) -> PushResponse: ...

`SessionDep` is one Session per request, committed when the endpoint returns and BEFORE the response
is sent (FastAPI's scope="function"), rolled back on any exception. Raise `api_error(...)` for an
error reply; the body is always sync.protocol.ErrorBody {code, message}.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from central.auth.tokens import InvalidToken, decode_access_token, sha256_hex
from central.config import CentralSettings
from central.db.models import AdminUser, Device
from sync.protocol import ERROR_DEVICE_REVOKED, ERROR_TOKEN_EXPIRED

# last_seen_at is written at most this often per device (one cheap UPDATE, not one per request).
LAST_SEEN_RESOLUTION = timedelta(seconds=60)

ERROR_UNAUTHORIZED = "unauthorized"
ERROR_FORBIDDEN = "forbidden"
ERROR_NOT_FOUND = "not_found"


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


def api_error(status: int, code: str, message: str) -> HTTPException:
    """An error reply with body {code, message} (see central.api.app's handler)."""
    return HTTPException(status_code=status, detail={"code": code, "message": message})


def get_settings(request: Request) -> CentralSettings:
    settings: CentralSettings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# Parsed by hand below (our own error bodies); declared so the OpenAPI document shows the schemes.
_device_bearer = HTTPBearer(auto_error=False, scheme_name="device", description="a device access token (JWT)")
_admin_bearer = HTTPBearer(auto_error=False, scheme_name="admin", description="an admin API token")
Bearer = HTTPAuthorizationCredentials | None


def _token(credentials: Bearer) -> str | None:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials.strip():
        return None
    return credentials.credentials.strip()


@dataclass(frozen=True)
class _DeviceRow:
    ulb_code: str
    office_code: str
    device_no: int
    status: str


# One statement, one round trip (a pipeline with its commit): the device row, and last_seen_at
# moved when it is older than LAST_SEEN_RESOLUTION (an active device only).
_DEVICE_PG = """
WITH seen AS (
  UPDATE device SET last_seen_at = %(now)s
   WHERE device_id = %(id)s AND status = 'active' AND (last_seen_at IS NULL OR last_seen_at < %(cutoff)s)
  RETURNING device_id)
SELECT ulb_code, office_code, device_no, status, (SELECT count(*) FROM seen) FROM device WHERE device_id = %(id)s
"""


def _device_row_pg(engine: Engine, device_id: str, now: datetime) -> _DeviceRow | None:
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection  # psycopg: no ORM work on every request
        params = {"now": now, "id": device_id, "cutoff": now - LAST_SEEN_RESOLUTION}
        with raw.pipeline():
            cursor = raw.execute(_DEVICE_PG, params, prepare=True)
            raw.commit()
        row = cursor.fetchone()
    if row is None:
        return None
    return _DeviceRow(row[0], row[1], row[2], row[3])


def _device_row(engine: Engine, device_id: str, now: datetime) -> _DeviceRow | None:
    """The same, statement by statement (the SQLite demo)."""
    with engine.begin() as connection:
        row = connection.execute(
            select(Device.ulb_code, Device.office_code, Device.device_no, Device.status, Device.last_seen_at).where(
                Device.device_id == device_id
            )
        ).one_or_none()
        if row is None:
            return None
        last_seen = row.last_seen_at
        if last_seen is not None and last_seen.tzinfo is None:  # SQLite hands back naive UTC
            last_seen = last_seen.replace(tzinfo=UTC)
        if row.status == "active" and (last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION):
            cutoff = now - LAST_SEEN_RESOLUTION
            connection.execute(
                update(Device)
                .where(Device.device_id == device_id)
                .where(or_(Device.last_seen_at.is_(None), Device.last_seen_at < cutoff))
                .values(last_seen_at=now)
            )
    return _DeviceRow(row.ulb_code, row.office_code, row.device_no, row.status)


def current_device(request: Request, credentials: Annotated[Bearer, Depends(_device_bearer)]) -> DeviceContext:
    """The device behind the access token; its ULB and office come from the device row."""
    token = _token(credentials)
    if token is None:
        raise api_error(401, ERROR_TOKEN_EXPIRED, "an access token is required (Authorization: Bearer ...)")
    settings = get_settings(request)
    try:
        claims = decode_access_token(settings.token_secret, token)
    except InvalidToken as error:
        raise api_error(401, ERROR_TOKEN_EXPIRED, f"access token rejected: {error}") from error
    now = datetime.now(UTC)
    engine = get_engine(request)
    pg = engine.dialect.name == "postgresql"
    row = _device_row_pg(engine, claims.device_id, now) if pg else _device_row(engine, claims.device_id, now)
    if row is None:
        raise api_error(401, ERROR_TOKEN_EXPIRED, "unknown device")
    if row.status != "active":
        raise api_error(403, ERROR_DEVICE_REVOKED, "this device has been revoked; ask the ULB admin")
    context = DeviceContext(
        device_id=claims.device_id, ulb_code=row.ulb_code, office_code=row.office_code, device_no=row.device_no
    )
    request.state.device_id = context.device_id
    request.state.ulb_code = context.ulb_code
    return context


def current_admin(request: Request, credentials: Annotated[Bearer, Depends(_admin_bearer)]) -> AdminContext:
    token = _token(credentials)
    if token is None:
        raise api_error(401, ERROR_UNAUTHORIZED, "an admin API token is required (Authorization: Bearer ...)")
    with get_engine(request).connect() as connection:
        row = connection.execute(
            select(AdminUser.username, AdminUser.role, AdminUser.ulb_code, AdminUser.active).where(
                AdminUser.token_sha256 == sha256_hex(token)
            )
        ).one_or_none()
    if row is None or not row.active:
        raise api_error(401, ERROR_UNAUTHORIZED, "unknown or inactive admin token")
    request.state.admin = row.username
    if row.ulb_code is not None:
        request.state.ulb_code = row.ulb_code
    return AdminContext(username=row.username, role=row.role, ulb_code=row.ulb_code)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DeviceDep = Annotated[DeviceContext, Depends(current_device)]
AdminDep = Annotated[AdminContext, Depends(current_admin)]
SettingsDep = Annotated[CentralSettings, Depends(get_settings)]
