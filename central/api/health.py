"""Liveness and readiness for the load balancer: /healthz says the process answers; /readyz says this
process can serve (database reachable, schema at the Alembic head the code expects)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from central.db.engine import check_ready

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "database unreachable or schema not at head"}})
def readyz(request: Request) -> JSONResponse:
    readiness = check_ready(request.app.state.engine)
    if readiness.ok:
        return JSONResponse({"status": "ready"})
    return JSONResponse({"code": "not_ready", "message": readiness.detail}, status_code=503)
