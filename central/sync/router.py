"""HTTP endpoints of central.sync (mounted by central.api.app.create_app).

The device comes from its access token (`DeviceDep`), never from a body or a query. Database work
runs on the app's engine in short transactions of its own (push: exactly one)."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from central import failpoints
from central.api.deps import DeviceDep, api_error, get_engine, get_settings
from central.config import CentralSettings
from central.sync.feed import pull_page, read_meta, stamp
from central.sync.ingest import ingest
from central.sync.ledger import hello, ledger
from central.sync.snapshot import BadPageToken, snapshot_page
from central.sync.wire import parse_push, push_response_json
from sync.protocol import (
    ERROR_BAD_REQUEST,
    ERROR_CURSOR_GONE,
    MAX_CHANGES_PER_PULL,
    PATH_HELLO,
    PATH_LEDGER,
    PATH_PULL,
    PATH_PUSH,
    PATH_SNAPSHOT,
    PullResponse,
    WireModel,
)

router = APIRouter(tags=["sync"])
STAMP_INTERVAL_S = 0.2
# Pushes of one process applied at the same time: the rest wait their turn on the event loop. Two
# cores serve the app processes and PostgreSQL; 40 threads taking turns at the GIL and the database
# do less work, not more.
PUSH_CONCURRENCY = int(os.environ.get("NIKAY_CENTRAL_PUSH_CONCURRENCY", "4"))


def _push_slots(request: Request) -> asyncio.Semaphore:
    state = request.app.state
    slots: asyncio.Semaphore | None = getattr(state, "sync_push_slots", None)
    if slots is None:
        slots = state.sync_push_slots = asyncio.Semaphore(PUSH_CONCURRENCY)
    return slots


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[CentralSettings, Depends(get_settings)]


def _json(model: WireModel, background: BackgroundTask | None = None) -> Response:
    # Defaults left out: a 500-op push answer stays a few dozen bytes per op.
    return Response(model.model_dump_json(exclude_defaults=True), media_type="application/json", background=background)


@router.get(PATH_HELLO)
def hello_endpoint(
    device: DeviceDep,
    engine: EngineDep,
    backlog: Annotated[int | None, Query(ge=0)] = None,
    clock: datetime | None = None,
) -> Response:
    return _json(hello(engine, device, backlog=backlog, clock=clock))


@router.post(PATH_PUSH)
async def push_endpoint(request: Request, device: DeviceDep, engine: EngineDep, settings: SettingsDep) -> Response:
    body = await request.body()
    try:
        push = parse_push(body)  # once per request, straight from the bytes (orjson; pydantic if unsure)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)[:5]
        )
        raise api_error(422, ERROR_BAD_REQUEST, problems or "malformed push") from error
    async with _push_slots(request):
        outcome = await run_in_threadpool(ingest, engine, device, push, settings)
    failpoints.hit(failpoints.AFTER_COMMIT_BEFORE_RESPONSE)
    # Stamp the new feed rows after the reply is sent, at most every STAMP_INTERVAL_S per process:
    # a pull stamps first anyway, so a skipped stamp only delays a row, never loses it.
    background = None
    state = request.app.state
    if outcome.changes_written and time.monotonic() - getattr(state, "sync_stamped_at", 0.0) >= STAMP_INTERVAL_S:
        state.sync_stamped_at = time.monotonic()
        background = BackgroundTask(stamp, engine)
    return Response(push_response_json(outcome.response), media_type="application/json", background=background)


@router.get(PATH_PULL)
def pull_endpoint(
    device: DeviceDep,
    engine: EngineDep,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1)] = MAX_CHANGES_PER_PULL,
    epoch: str | None = None,
) -> Response:
    stamp(engine, wait=True)  # everything committed before this pull gets its seq first
    with engine.connect() as connection:
        meta = read_meta(connection)
        if epoch is not None and epoch != meta.server_epoch:
            raise api_error(410, ERROR_CURSOR_GONE, "the central was restored: download the snapshot again")
        if cursor < meta.min_retained_seq:
            raise api_error(410, ERROR_CURSOR_GONE, "this cursor is older than the feed keeps: download the snapshot")
        page = pull_page(connection, device.ulb_code, device.device_id, cursor, min(limit, MAX_CHANGES_PER_PULL))
    response = PullResponse(
        changes=page.changes, next_cursor=page.next_cursor, has_more=page.has_more, server_epoch=meta.server_epoch
    )
    return _json(response)


@router.get(PATH_SNAPSHOT)
def snapshot_endpoint(device: DeviceDep, engine: EngineDep, page: str | None = None) -> Response:
    try:
        return _json(snapshot_page(engine, device, page))
    except BadPageToken as error:
        raise api_error(422, ERROR_BAD_REQUEST, str(error)) from error


@router.get(PATH_LEDGER)
def ledger_endpoint(device: DeviceDep, engine: EngineDep, from_date: date) -> Response:
    return _json(ledger(engine, device, from_date))
