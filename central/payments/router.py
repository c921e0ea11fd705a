"""HTTP endpoints of central.payments (mounted by central.api.app.create_app).

POST /v1/payments/orders               a citizen portal (for us: tests, the CLI) opens an order for a bill
GET  /v1/payments/orders/{order_id}    its status (and receipt once paid)
POST /v1/payments/callback/sandbox     the sandbox gateway's signed callback (401 unless it verifies)
POST /v1/payments/sandbox/pay/{id}     the sandbox "pays" an order: signs the callback and delivers it
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from app.core.ids import new_uuid
from central.api.deps import ERROR_NOT_FOUND, SessionDep, SettingsDep, api_error, get_engine
from central.config import CentralSettings
from central.payments.gateway import (
    PATH_ORDERS,
    PATH_SANDBOX_CALLBACK,
    PATH_SANDBOX_PAY,
    SANDBOX_SIGNATURE_HEADER,
    CallbackError,
    SandboxGateway,
)
from central.payments.models import OnlinePayment
from central.payments.service import (
    BillLine,
    OrderError,
    OrderView,
    UnknownOrder,
    apply_callback,
    create_order,
    get_order,
)

router = APIRouter(tags=["payments"])

# Turns on POST /v1/payments/sandbox/pay/{order} (demo and tests only).
SANDBOX_PAY_ENV = "NIKAY_CENTRAL_SANDBOX_PAY"


class BillLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fy: str = Field(min_length=7, max_length=7)
    head: str = Field(min_length=1, max_length=24)
    amount_paise: int


class OrderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ulb_code: str = Field(min_length=1, max_length=16)
    property_uuid: str = Field(min_length=1, max_length=36)
    lines: list[BillLineIn] = Field(min_length=1, max_length=50)
    amount_paise: int = Field(gt=0)
    payer_name: str = Field(default="", max_length=200)


class OrderOut(BaseModel):
    order_id: str
    ulb_code: str
    property_uuid: str
    amount_paise: int
    status: str
    gateway: str
    lines: list[BillLineIn]
    receipt_uuid: str | None = None
    gateway_txn_id: str | None = None


class SandboxPayRequest(BaseModel):
    """Optional: a fixed gateway txn id, or another amount (to test a short or over-payment)."""

    model_config = ConfigDict(extra="forbid")

    gateway_txn_id: str | None = Field(default=None, max_length=64)
    amount_paise: int | None = Field(default=None, ge=0)


def _gateway(settings: CentralSettings) -> SandboxGateway:
    if not settings.gateway_secret:
        raise api_error(503, "gateway_unconfigured", "NIKAY_CENTRAL_GATEWAY_SECRET is not set on the central")
    return SandboxGateway(settings.gateway_secret)


def _out(view: OrderView) -> OrderOut:
    return OrderOut(
        order_id=view.order_id,
        ulb_code=view.ulb_code,
        property_uuid=view.property_uuid,
        amount_paise=view.amount_paise,
        status=view.status,
        gateway=view.gateway,
        lines=[BillLineIn(fy=x.fy, head=x.head, amount_paise=x.amount_paise) for x in view.lines],
        receipt_uuid=view.receipt_uuid,
        gateway_txn_id=view.gateway_txn_id,
    )


@router.post(PATH_ORDERS, status_code=201)
def open_order(body: OrderRequest, session: SessionDep, settings: SettingsDep) -> OrderOut:
    try:
        view = create_order(
            session,
            _gateway(settings),
            ulb_code=body.ulb_code,
            property_uuid=body.property_uuid,
            lines=[BillLine(x.fy, x.head, x.amount_paise) for x in body.lines],
            amount_paise=body.amount_paise,
            payer_name=body.payer_name,
        )
    except (OrderError, ValueError) as error:
        raise api_error(422, "bad_order", str(error)) from None
    return _out(view)


@router.get(PATH_ORDERS + "/{order_id}")
def read_order(order_id: str, session: SessionDep) -> OrderOut:
    try:
        return _out(get_order(session, order_id))
    except UnknownOrder:
        raise api_error(404, ERROR_NOT_FOUND, f"no order {order_id}") from None


@router.post(PATH_SANDBOX_CALLBACK)
async def sandbox_callback(request: Request, settings: SettingsDep) -> dict[str, Any]:
    """Trusted only if signed: an unsigned or badly signed callback is 401 and nothing is recorded."""
    raw = await request.body()
    gateway = _gateway(settings)
    try:
        verified = gateway.verify_callback(raw, dict(request.headers))
    except CallbackError as error:
        raise api_error(401, "bad_signature", str(error)) from None
    factory = request.app.state.sessionmaker

    # A session of its own (not SessionDep, which needs a sync endpoint): DB work in a worker thread.
    def record() -> dict[str, Any]:
        with factory() as session, session.begin():
            try:
                outcome = apply_callback(session, verified)
            except UnknownOrder:
                raise api_error(404, ERROR_NOT_FOUND, f"no order {verified.body.order_id}") from None
        if outcome.status == "conflict":
            raise api_error(409, "txn_conflict", "this gateway transaction belongs to another order")
        return {
            "status": outcome.status,
            "order_id": outcome.order_id,
            "receipt_uuid": outcome.receipt_uuid,
            "receipt_no": outcome.receipt_no,
            "flags": list(outcome.flags),
        }

    result: dict[str, Any] = await run_in_threadpool(record)
    return result


@router.post(PATH_SANDBOX_PAY)
async def sandbox_pay(order_id: str, request: Request, settings: SettingsDep) -> dict[str, Any]:
    """The sandbox gateway takes the money and calls the callback URL, as a real gateway would."""
    if os.environ.get(SANDBOX_PAY_ENV) != "1":
        # The sandbox "pays" for free: never reachable on a production central by accident.
        raise api_error(
            404, ERROR_NOT_FOUND, f"the sandbox gateway is off (set {SANDBOX_PAY_ENV}=1 for demos and tests)"
        )
    raw_request = await request.body()
    options = SandboxPayRequest.model_validate_json(raw_request) if raw_request.strip() else SandboxPayRequest()
    gateway = _gateway(settings)
    with get_engine(request).connect() as connection:
        row = connection.execute(
            select(OnlinePayment.amount_paise).where(OnlinePayment.order_id == order_id)
        ).one_or_none()
    if row is None:
        raise api_error(404, ERROR_NOT_FOUND, f"no order {order_id}")
    body, signature = gateway.pay(
        order_id,
        options.amount_paise if options.amount_paise is not None else int(row.amount_paise),
        options.gateway_txn_id or f"SBX{new_uuid().replace('-', '')[:24].upper()}",
        datetime.now(UTC),
    )
    callback_url = str(request.base_url).rstrip("/") + PATH_SANDBOX_CALLBACK
    async with httpx.AsyncClient(timeout=30) as client:
        reply = await client.post(
            callback_url,
            content=body,
            headers={SANDBOX_SIGNATURE_HEADER: signature, "content-type": "application/json"},
        )
    return {
        "callback_status": reply.status_code,
        "callback": reply.json(),
        "body": body.decode(),
        "signature": signature,
    }
