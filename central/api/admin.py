"""The admin API (Bearer admin API token): enrolment codes, device list, revocation.

A ULB admin acts on their own ULB only; a state official reads every ULB and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from central.api.deps import ERROR_FORBIDDEN, AdminContext, AdminDep, SessionDep, SettingsDep, api_error
from central.auth import service
from sync.protocol import ErrorBody

router = APIRouter(prefix="/v1/admin", tags=["admin"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
}


class IssueCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    office_code: str = Field(min_length=1, max_length=16)


class IssueCodeResponse(BaseModel):
    code: str
    ulb_code: str
    office_code: str
    expires_at: datetime


def _own_ulb(admin: AdminContext) -> str:
    """The ULB a write acts on; a state official (or an admin without a ULB) may not write."""
    if admin.role != "ulb_admin" or admin.ulb_code is None:
        raise api_error(403, ERROR_FORBIDDEN, "only a ULB admin can do this, for their own ULB")
    return admin.ulb_code


@router.post("/enrolment-codes", response_model=IssueCodeResponse, responses=_ERRORS)
def issue_enrolment_code(
    body: IssueCodeRequest, admin: AdminDep, session: SessionDep, settings: SettingsDep
) -> IssueCodeResponse:
    ulb_code = _own_ulb(admin)
    try:
        issued = service.issue_code(
            session,
            ulb_code=ulb_code,
            office_code=body.office_code,
            issued_by=admin.username,
            ttl_h=settings.enrolment_code_ttl_h,
            now=datetime.now(UTC),
        )
    except service.AuthError as error:
        raise api_error(error.status, error.code, error.message) from error
    return IssueCodeResponse(
        code=issued.code, ulb_code=issued.ulb_code, office_code=issued.office_code, expires_at=issued.expires_at
    )


@router.get("/devices", response_model=list[service.DeviceView], responses=_ERRORS)
def list_devices(admin: AdminDep, session: SessionDep, ulb: str | None = None) -> list[service.DeviceView]:
    """A ULB admin sees their ULB (the `ulb` filter cannot widen that); a state official sees all."""
    if admin.role == "state_official":
        scope = ulb
    elif admin.ulb_code is None:
        raise api_error(403, ERROR_FORBIDDEN, "this admin has no ULB")
    else:
        if ulb is not None and ulb != admin.ulb_code:
            raise api_error(403, ERROR_FORBIDDEN, "a ULB admin sees only their own ULB")
        scope = admin.ulb_code
    return service.list_devices(session, scope)  # a dataclass: FastAPI serialises it as it is


@router.post("/devices/{device_id}/revoke", response_model=service.DeviceView, responses=_ERRORS)
def revoke_device(device_id: str, admin: AdminDep, session: SessionDep) -> service.DeviceView:
    ulb_code = _own_ulb(admin)
    try:
        view = service.revoke_device(session, device_id, ulb_code=ulb_code, now=datetime.now(UTC))
    except service.AuthError as error:
        raise api_error(error.status, error.code, error.message) from error
    return view
