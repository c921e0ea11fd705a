"""The central API application. `create_app(settings)` builds everything a process needs (engine,
sessionmaker) once and keeps it on `app.state`: no module globals, so any number of processes can run
side by side behind a load balancer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

import central.payments.router
import central.reports.router
import central.sync.router
from central.api import admin, health
from central.auth import router as auth_router
from central.config import CentralSettings
from central.db.engine import make_engine, make_sessionmaker
from central.logging import RequestLogMiddleware, configure_logging
from sync.protocol import ERROR_BAD_REQUEST

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    422: ERROR_BAD_REQUEST,
    429: "too_many_requests",
    503: "unavailable",
}


def _error(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=dict(headers or {}))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail: Any = exc.detail
    if isinstance(detail, dict) and "code" in detail:
        return _error(exc.status_code, str(detail["code"]), str(detail.get("message", "")), exc.headers)
    return _error(exc.status_code, STATUS_CODES.get(exc.status_code, "error"), str(detail), exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}" for error in exc.errors()[:5]
    )
    return _error(422, ERROR_BAD_REQUEST, problems or "malformed request")


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    request_id = request.scope.get("state", {}).get("request_id", "")
    structlog.get_logger("central.error").exception(
        "unhandled", path=request.url.path, error=repr(exc), request_id=request_id
    )
    return _error(500, "internal_error", f"the central failed to handle this request (request id {request_id})")


def create_app(settings: CentralSettings | None = None) -> FastAPI:
    settings = settings or CentralSettings()
    if not settings.token_secret:
        raise ValueError("NIKAY_CENTRAL_TOKEN_SECRET is empty: every app process needs the same secret")
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Nikay central API",
        version="1",
        description="Device enrolment, sync, online payments and state reports for Chhattisgarh's ULBs.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unhandled)
    app.add_middleware(RequestLogMiddleware)
    app.include_router(health.router)
    app.include_router(auth_router.router)
    app.include_router(admin.router)
    app.include_router(central.sync.router.router)
    app.include_router(central.payments.router.router)
    app.include_router(central.reports.router.router)
    return app


def serve_app() -> FastAPI:
    """uvicorn's factory (`central.api.app:serve_app`): each worker process configures its JSON logs
    and reads its settings from the environment."""
    configure_logging()
    return create_app()
