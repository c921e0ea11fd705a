"""`nikay-central payments ...` commands (added to the central CLI by central.cli).

They speak to a running central over HTTP, as a citizen portal and a gateway would:
  nikay-central payments create-order --ulb DEMO --property <uuid> --line 2026-27:PROPERTY_TAX:1234.00 ...
  nikay-central payments sandbox-pay <order id>
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, NoReturn

import httpx
import typer

from central.payments.gateway import PATH_ORDERS, PATH_SANDBOX_PAY

app = typer.Typer(no_args_is_help=True, help="online payments (orders, the sandbox gateway)")

UrlOption = Annotated[
    str, typer.Option("--url", envvar="NIKAY_CENTRAL_URL", help="the central's base URL, e.g. http://127.0.0.1:8800")
]


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def parse_line(text: str) -> dict[str, Any]:
    """FY:HEAD:RUPEES (e.g. 2026-27:PROPERTY_TAX:1234.50) → a bill line in paise."""
    parts = text.split(":")
    if len(parts) != 3:
        fail(f"{text!r}: a line is FY:HEAD:RUPEES, e.g. 2026-27:PROPERTY_TAX:1234.50")
    try:
        rupees = Decimal(parts[2])
    except InvalidOperation:
        fail(f"{text!r}: {parts[2]!r} is not an amount in rupees")
    paise = rupees * 100
    if paise != paise.to_integral_value():
        fail(f"{text!r}: an amount has at most 2 decimals")
    return {"fy": parts[0], "head": parts[1].upper(), "amount_paise": int(paise)}


def _post(url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        reply = httpx.post(url, json=body, timeout=60)
    except httpx.HTTPError as error:
        fail(f"cannot reach the central at {url}: {error}")
    if reply.status_code >= 400:
        fail(f"the central said {reply.status_code}: {reply.text}")
    data: dict[str, Any] = reply.json()
    return data


@app.command("create-order")
def create_order(
    ulb: Annotated[str, typer.Option("--ulb")],
    property_uuid: Annotated[str, typer.Option("--property", help="the property's uuid")],
    line: Annotated[list[str], typer.Option("--line", help="FY:HEAD:RUPEES (repeat for each bill line)")],
    url: UrlOption = "http://127.0.0.1:8800",
    payer: Annotated[str, typer.Option("--payer")] = "",
) -> None:
    """Open an online-payment order for a bill (what a citizen portal does)."""
    lines = [parse_line(x) for x in line]
    body = {
        "ulb_code": ulb,
        "property_uuid": property_uuid,
        "lines": lines,
        "amount_paise": sum(x["amount_paise"] for x in lines),
        "payer_name": payer,
    }
    order = _post(url.rstrip("/") + PATH_ORDERS, body)
    typer.echo(json.dumps(order, indent=2, ensure_ascii=False))


@app.command("sandbox-pay")
def sandbox_pay(
    order_id: Annotated[str, typer.Argument(help="the order to pay")],
    url: UrlOption = "http://127.0.0.1:8800",
    txn: Annotated[str | None, typer.Option("--txn", help="a fixed gateway transaction id")] = None,
) -> None:
    """The sandbox gateway pays the order and sends its signed callback to the central."""
    result = _post(
        url.rstrip("/") + PATH_SANDBOX_PAY.format(order_id=order_id), {"gateway_txn_id": txn} if txn else None
    )
    callback = result.get("callback", {})
    typer.echo(
        f"callback {result.get('callback_status')}: {callback.get('status')} "
        f"receipt {callback.get('receipt_no')} flags {callback.get('flags')}"
    )
