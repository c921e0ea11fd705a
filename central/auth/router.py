"""POST /v1/devices/enrol and POST /v1/auth/token (sync.protocol wire models)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

from central.api.deps import DeviceDep, SessionDep, SettingsDep, api_error
from central.auth import service
from sync.protocol import PATH_ENROL, PATH_TOKEN, EnrolRequest, EnrolResponse, ErrorBody, TokenRequest, TokenResponse

router = APIRouter(tags=["devices"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.post(PATH_ENROL, response_model=EnrolResponse, responses=_ERRORS)
def enrol(body: EnrolRequest, request: Request, session: SessionDep, settings: SettingsDep) -> EnrolResponse:
    try:
        response = service.enrol(session, settings, body, datetime.now(UTC))
    except service.AuthError as error:
        raise api_error(error.status, error.code, error.message) from error
    request.state.device_id = response.device_id
    request.state.ulb_code = response.ulb_code
    return response


@router.post(PATH_TOKEN, response_model=TokenResponse, responses=_ERRORS)
def token(body: TokenRequest, request: Request, session: SessionDep, settings: SettingsDep) -> TokenResponse:
    request.state.device_id = body.device_id
    try:
        return service.exchange(session, settings, body, datetime.now(UTC))
    except service.AuthError as error:
        raise api_error(error.status, error.code, error.message) from error


class DeviceIdentity(BaseModel):
    device_id: str
    device_no: int
    ulb_code: str
    office_code: str


@router.get("/v1/devices/me", response_model=DeviceIdentity, responses=_ERRORS)
def me(device: DeviceDep) -> DeviceIdentity:
    """Who the central thinks this device is (from its token and the device registry)."""
    return DeviceIdentity(
        device_id=device.device_id, device_no=device.device_no, ulb_code=device.ulb_code, office_code=device.office_code
    )
