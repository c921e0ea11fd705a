"""The payment-gateway adapter: what the central needs from any gateway, and a sandbox that signs.

A real gateway (Razorpay, PayU, a bank's) becomes another class with the same two methods; nothing
else in the central knows which gateway took the money. Callbacks are trusted only after their
HMAC-SHA256 signature over the exact body bytes verifies (constant-time compare).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sync.protocol import canonical_json

SANDBOX_SIGNATURE_HEADER = "X-Sandbox-Signature"
PATH_ORDERS = "/v1/payments/orders"
PATH_SANDBOX_CALLBACK = "/v1/payments/callback/sandbox"
PATH_SANDBOX_PAY = "/v1/payments/sandbox/pay/{order_id}"


class CallbackError(Exception):
    """The callback is not from the gateway (unsigned, badly signed or unreadable): answer 401."""


class CallbackBody(BaseModel):
    """What a gateway tells us about one order."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    order_id: str = Field(min_length=1, max_length=36)
    gateway_txn_id: str = Field(min_length=1, max_length=64)
    status: str  # paid | failed
    amount_paise: int = Field(ge=0)
    paid_at: datetime


@dataclass(frozen=True)
class GatewayOrder:
    order_id: str
    amount_paise: int
    gateway: str


@dataclass(frozen=True)
class VerifiedCallback:
    body: CallbackBody
    signature: str


class PaymentGateway(Protocol):
    name: str

    def create_order(self, order_id: str, amount_paise: int) -> GatewayOrder: ...

    def verify_callback(self, raw_body: bytes, headers: dict[str, str]) -> VerifiedCallback:
        """The callback's content if it really came from the gateway; CallbackError otherwise."""
        ...


def sign(secret: str, raw_body: bytes) -> str:
    return hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


class SandboxGateway:
    """A gateway for tests and the demo: `pay` produces the callback a real gateway would send."""

    name = "sandbox"

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the sandbox gateway needs NIKAY_CENTRAL_GATEWAY_SECRET to sign callbacks")
        self._secret = secret

    def create_order(self, order_id: str, amount_paise: int) -> GatewayOrder:
        return GatewayOrder(order_id=order_id, amount_paise=amount_paise, gateway=self.name)

    def pay(self, order_id: str, amount_paise: int, gateway_txn_id: str, paid_at: datetime) -> tuple[bytes, str]:
        """The signed callback body for a successful payment: (body bytes, signature header value)."""
        body: dict[str, Any] = {
            "order_id": order_id,
            "gateway_txn_id": gateway_txn_id,
            "status": "paid",
            "amount_paise": amount_paise,
            "paid_at": paid_at.isoformat(),
        }
        raw = canonical_json(body).encode()
        return raw, sign(self._secret, raw)

    def verify_callback(self, raw_body: bytes, headers: dict[str, str]) -> VerifiedCallback:
        given = next((v for k, v in headers.items() if k.lower() == SANDBOX_SIGNATURE_HEADER.lower()), "")
        if not given:
            raise CallbackError("the callback is not signed")
        expected = sign(self._secret, raw_body)
        if not hmac.compare_digest(expected.encode(), given.strip().encode()):
            raise CallbackError("the callback's signature does not verify")
        try:
            body = CallbackBody.model_validate(json.loads(raw_body))
        except (ValueError, ValidationError) as error:
            raise CallbackError(f"the callback body is unreadable: {error}") from None
        if body.paid_at.tzinfo is None:
            raise CallbackError("paid_at has no timezone")
        return VerifiedCallback(body=body, signature=given.strip())
