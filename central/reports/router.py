"""HTTP endpoints of central.reports (mounted by central.api.app.create_app).

GET /v1/reports/{name}?ulb=&from=&to=  with an admin token. A state official reads every ULB (or the
one asked for); a ULB admin reads only their own ULB (asking for another is 403).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from central.api.deps import ERROR_FORBIDDEN, ERROR_NOT_FOUND, AdminDep, SessionDep, api_error
from central.reports.queries import REPORTS, ReportScope, ScopeError, run_report

router = APIRouter(tags=["reports"])


@router.get("/v1/reports")
def list_reports(_admin: AdminDep) -> dict[str, list[str]]:
    return {"reports": list(REPORTS)}


@router.get("/v1/reports/{name}")
def read_report(
    name: str,
    admin: AdminDep,
    session: SessionDep,
    ulb: Annotated[str | None, Query(max_length=16)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    if name not in REPORTS:
        raise api_error(404, ERROR_NOT_FOUND, f"no report {name!r} (one of {', '.join(REPORTS)})")
    try:
        scope = ReportScope.for_admin(admin.ulb_code, ulb, date_from, date_to)
    except ScopeError as error:
        raise api_error(403, ERROR_FORBIDDEN, str(error)) from None
    report = run_report(session, name, scope)
    return {
        "name": report.name,
        "ulb": ulb or admin.ulb_code,
        "from": date_from,
        "to": date_to,
        "columns": list(report.columns),
        "rows": report.as_dicts(),
        "totals": report.totals,
    }
