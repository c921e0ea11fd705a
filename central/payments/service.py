"""Online payments at the central: orders, verified gateway callbacks, online receipts.

A verified "paid" callback makes, in ONE transaction: the order paid (its gateway_txn_id is UNIQUE,
so a replay changes nothing), a Receipt with source ONLINE numbered in the ULB's online series
(`<ULB>/ONLINE/<FY>/<seq>`, chained like a device's series), its lines, and a change_log row
entity "payment" so every device of the ULB pulls it. If the same dues were paid at the central
since the bill was made (a counter receipt, another online payment), the receipt is flagged
double_payment and an anomaly is raised: money is never refused, a person looks at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.collections.numbering import GENESIS_HASH, chain_hash
from app.collections.service import receipt_hash_content
from app.core.clock import business_date
from app.core.fy import FinancialYear
from app.core.ids import new_uuid
from app.demand.dto import AllocatedLine, Head
from central.db.models import Anomaly, ChangeLog, Receipt, ReceiptCancellation, ReceiptLine, Ulb
from central.payments.gateway import CallbackBody, PaymentGateway, VerifiedCallback
from central.payments.models import ORDER_CREATED, ORDER_FAILED, ORDER_PAID, OnlinePayment
from sync.protocol import ChangeEntity, Flag

ONLINE_SOURCE = "ONLINE"
ONLINE_MODE = "ONLINE"
_TAXED = (Head.PROPERTY_TAX, Head.SAMEKIT, Head.EDUCATION_CESS)


class OrderError(ValueError):
    """A bad order request (unknown ULB, lines that do not add up): answer 422."""


class UnknownOrder(LookupError):
    pass


@dataclass(frozen=True)
class BillLine:
    fy: str
    head: str
    amount_paise: int


@dataclass(frozen=True)
class OrderView:
    order_id: str
    ulb_code: str
    property_uuid: str
    amount_paise: int
    status: str
    lines: tuple[BillLine, ...]
    gateway: str
    receipt_uuid: str | None = None
    gateway_txn_id: str | None = None


@dataclass(frozen=True)
class CallbackOutcome:
    """recorded (a receipt was made) | duplicate (a replay: nothing new) | failed (order marked
    failed) | conflict (the gateway txn id already belongs to another order: nothing recorded)."""

    status: str
    order_id: str
    receipt_uuid: str | None = None
    receipt_no: str | None = None
    flags: tuple[str, ...] = ()


def online_series_key(ulb_code: str, fy: str) -> str:
    return f"{ulb_code}/ONLINE/{fy}"


def _view(order: OnlinePayment) -> OrderView:
    return OrderView(
        order_id=order.order_id,
        ulb_code=order.ulb_code,
        property_uuid=order.property_uuid,
        amount_paise=order.amount_paise,
        status=order.status,
        lines=tuple(BillLine(str(x["fy"]), str(x["head"]), int(x["amount_paise"])) for x in order.lines),
        gateway=order.gateway,
        receipt_uuid=order.receipt_uuid,
        gateway_txn_id=order.gateway_txn_id,
    )


def create_order(
    session: Session,
    gateway: PaymentGateway,
    *,
    ulb_code: str,
    property_uuid: str,
    lines: Sequence[BillLine],
    amount_paise: int,
    payer_name: str = "",
    now: datetime | None = None,
) -> OrderView:
    if session.get(Ulb, ulb_code) is None:
        raise OrderError(f"no ULB {ulb_code!r}")
    if not lines:
        raise OrderError("the bill has no lines")
    for line in lines:
        FinancialYear.parse(line.fy)
        if line.head not in Head.__members__ or line.head == Head.ADVANCE:
            raise OrderError(f"{line.head!r} is not a head a bill can ask for")
        if line.amount_paise <= 0 and line.head not in (Head.REBATE, Head.ROUND_OFF):
            raise OrderError(f"the {line.fy} {line.head} line must be more than 0 paise")
    total = sum(line.amount_paise for line in lines)
    if total != amount_paise or amount_paise <= 0:
        raise OrderError(f"the amount {amount_paise} paise is not the sum of the bill's lines ({total})")
    order_id = new_uuid()
    made = gateway.create_order(order_id, amount_paise)
    order = OnlinePayment(
        order_id=made.order_id,
        ulb_code=ulb_code,
        property_uuid=property_uuid,
        payer_name=payer_name.strip(),
        lines=[{"fy": x.fy, "head": x.head, "amount_paise": x.amount_paise} for x in lines],
        amount_paise=amount_paise,
        status=ORDER_CREATED,
        gateway=made.gateway,
        created_at=now or datetime.now(UTC),
    )
    session.add(order)
    session.flush()
    return _view(order)


def get_order(session: Session, order_id: str) -> OrderView:
    order = session.get(OnlinePayment, order_id)
    if order is None:
        raise UnknownOrder(order_id)
    return _view(order)


def _lines_for_amount(bill: list[dict[str, Any]], paid: int, fy: str) -> tuple[AllocatedLine, ...]:
    """The bill's lines covered by what the gateway says was paid: in bill order; any excess is ADVANCE."""
    lines: list[AllocatedLine] = []
    left = paid
    for item in bill:
        amount = int(item["amount_paise"])
        part = amount if amount <= 0 else min(amount, left)
        if part == 0:
            break
        lines.append(AllocatedLine(str(item["fy"]), Head(str(item["head"])), part))
        left -= part
    if left > 0:
        lines.append(AllocatedLine(fy, Head.ADVANCE, left))
    return tuple(lines)


def already_paid_since(
    session: Session, ulb_code: str, property_uuid: str, heads: set[tuple[str, str]], since: datetime
) -> dict[tuple[str, str], int]:
    """What receipts the central received since `since` (not cancelled) paid on these (fy, head)s of
    the property. A bill made at `since` could not have known about them: paying it again is double."""
    if not heads:
        return {}
    cancelled = exists().where(ReceiptCancellation.receipt_uuid == Receipt.uuid)
    rows = session.execute(
        select(ReceiptLine.fy, ReceiptLine.head, func.sum(ReceiptLine.amount_paise))
        .join(Receipt, Receipt.uuid == ReceiptLine.receipt_uuid)
        .where(
            Receipt.ulb_code == ulb_code,
            Receipt.property_uuid == property_uuid,
            Receipt.server_received_at >= since,
            ~cancelled,
            ReceiptLine.fy.in_({fy for fy, _ in heads}),
            ReceiptLine.head.in_({head for _, head in heads}),
        )
        .group_by(ReceiptLine.fy, ReceiptLine.head)
    )
    return {(fy, head): int(total) for fy, head, total in rows if (fy, head) in heads and int(total) > 0}


def _next_online_number(session: Session, key: str) -> tuple[int, str]:
    """Bump the series atomically (the row stays locked until commit): (seq, previous receipt's hash)."""
    session.execute(
        text("INSERT INTO online_series (series_key, last_seq, last_hash) VALUES (:k, 0, :g) ON CONFLICT DO NOTHING"),
        {"k": key, "g": GENESIS_HASH},
    )
    row = session.execute(
        text("UPDATE online_series SET last_seq = last_seq + 1 WHERE series_key = :k RETURNING last_seq, last_hash"),
        {"k": key},
    ).one()
    return int(row.last_seq), str(row.last_hash or GENESIS_HASH)


def apply_callback(session: Session, verified: VerifiedCallback, now: datetime | None = None) -> CallbackOutcome:
    """Record what a verified callback says. Run in the caller's transaction; commit after."""
    body: CallbackBody = verified.body
    now = now or datetime.now(UTC)
    order = session.scalars(
        select(OnlinePayment).where(OnlinePayment.order_id == body.order_id).with_for_update()
    ).first()
    if order is None:
        raise UnknownOrder(body.order_id)
    if order.status == ORDER_PAID and order.gateway_txn_id != body.gateway_txn_id and body.status == "paid":
        return _second_payment(session, order, verified, now)
    if order.status == ORDER_PAID or (order.gateway_txn_id is not None and order.status != ORDER_CREATED):
        return CallbackOutcome(
            status="duplicate" if order.gateway_txn_id == body.gateway_txn_id else "conflict",
            order_id=order.order_id,
            receipt_uuid=order.receipt_uuid,
        )
    if body.status != "paid":
        order.status = ORDER_FAILED
        order.gateway_txn_id = body.gateway_txn_id
        order.signature = verified.signature
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError:
            return CallbackOutcome(status="conflict", order_id=order.order_id)
        return CallbackOutcome(status="failed", order_id=order.order_id)

    return _record_paid(session, order, verified, now)


def _second_payment(
    session: Session, order: OnlinePayment, verified: VerifiedCallback, now: datetime
) -> CallbackOutcome:
    """The gateway took money for an order already paid (the citizen paid twice). Never dropped: it
    becomes its own online receipt, all ADVANCE credit, flagged double_payment. A replay of this
    callback finds its txn id taken (UNIQUE) and changes nothing."""
    body = verified.body
    fy = FinancialYear.of(business_date(body.paid_at.astimezone(UTC))).code
    try:
        with session.begin_nested():
            second = OnlinePayment(
                order_id=new_uuid(),
                ulb_code=order.ulb_code,
                property_uuid=order.property_uuid,
                payer_name=order.payer_name,
                lines=[{"fy": fy, "head": Head.ADVANCE.value, "amount_paise": body.amount_paise}],
                amount_paise=body.amount_paise,
                status=ORDER_CREATED,
                gateway=order.gateway,
                created_at=now,
            )
            session.add(second)
            session.flush()
            outcome = _record_paid(
                session, second, verified, now, flags=[Flag.DOUBLE_PAYMENT.value], paid_order=order.order_id
            )
            if outcome.status != "recorded":
                raise IntegrityError("second payment", None, ValueError(outcome.status))
    except IntegrityError:
        # This txn id is already recorded (a replay of the second payment's callback).
        paid = session.scalars(select(OnlinePayment).where(OnlinePayment.gateway_txn_id == body.gateway_txn_id)).first()
        return CallbackOutcome(
            status="duplicate", order_id=order.order_id, receipt_uuid=paid.receipt_uuid if paid else None
        )
    return outcome


def _record_paid(
    session: Session,
    order: OnlinePayment,
    verified: VerifiedCallback,
    now: datetime,
    flags: list[str] | None = None,
    paid_order: str | None = None,
) -> CallbackOutcome:
    """Mark `order` paid with this callback's txn id and make its ONLINE receipt, lines and feed row."""
    body = verified.body
    paid_at = body.paid_at.astimezone(UTC)
    day = business_date(paid_at)
    fy = FinancialYear.of(day).code
    receipt_uuid = new_uuid()
    # The UNIQUE gateway_txn_id is the guard: the txn id of another order can never be taken twice.
    try:
        with session.begin_nested():
            moved = session.execute(
                update(OnlinePayment)
                .where(OnlinePayment.order_id == order.order_id, OnlinePayment.status == ORDER_CREATED)
                .values(
                    status=ORDER_PAID,
                    gateway_txn_id=body.gateway_txn_id,
                    paid_amount_paise=body.amount_paise,
                    signature=verified.signature,
                    paid_at=paid_at,
                    receipt_uuid=receipt_uuid,
                )
                .returning(OnlinePayment.order_id)
                .execution_options(synchronize_session=False)
            ).scalar()
    except IntegrityError:
        return CallbackOutcome(status="conflict", order_id=order.order_id)
    if moved is None:
        return CallbackOutcome(status="duplicate", order_id=order.order_id, receipt_uuid=order.receipt_uuid)

    lines = _lines_for_amount(order.lines, body.amount_paise, fy)
    flags = list(flags or [])
    bill_heads = {(x.fy, x.head.value) for x in lines if x.head in (*_TAXED, Head.SURCHARGE, Head.PENALTY)}
    earlier = already_paid_since(session, order.ulb_code, order.property_uuid, bill_heads, order.created_at)
    if earlier and Flag.DOUBLE_PAYMENT.value not in flags:
        flags.append(Flag.DOUBLE_PAYMENT.value)
    if body.amount_paise != order.amount_paise:
        flags.append("amount_mismatch")

    key = online_series_key(order.ulb_code, fy)
    seq, prev_hash = _next_online_number(session, key)
    values: dict[str, Any] = {
        "uuid": receipt_uuid,
        "receipt_no": f"{key}/{seq:06d}",
        "property_uuid": order.property_uuid,
        "collected_at": paid_at,
        "business_date": day.isoformat(),
        "mode": ONLINE_MODE,
        "amount_paise": body.amount_paise,
        "instrument_no": body.gateway_txn_id,
    }
    receipt_hash = chain_hash(prev_hash, receipt_hash_content(values, lines))
    session.execute(
        text("UPDATE online_series SET last_hash = :h WHERE series_key = :k"), {"h": receipt_hash, "k": key}
    )
    payload: dict[str, Any] = {
        **{k: v for k, v in values.items() if k != "collected_at"},
        "collected_at": paid_at.isoformat(),
        "series_key": key,
        "seq": seq,
        "fy": fy,
        "payer_name": order.payer_name,
        "instrument_date": "",
        "bank": "",
        "branch": "",
        "prev_hash": prev_hash,
        "hash": receipt_hash,
        "lines": [{"fy": x.fy, "head": x.head.value, "amount_paise": x.amount_paise} for x in lines],
        "source": ONLINE_SOURCE,
        "order_id": order.order_id,
        "gateway": order.gateway,
        "gateway_txn_id": body.gateway_txn_id,
        "flags": flags,
    }
    session.add(
        Receipt(
            uuid=receipt_uuid,
            ulb_code=order.ulb_code,
            device_id="",
            source=ONLINE_SOURCE,
            receipt_no=values["receipt_no"],
            series_key=key,
            seq=seq,
            fy=fy,
            property_uuid=order.property_uuid,
            payer_name=order.payer_name,
            collected_at=paid_at,
            business_date=day,
            mode=ONLINE_MODE,
            amount_paise=body.amount_paise,
            instrument_no=body.gateway_txn_id,
            prev_hash=prev_hash,
            hash=receipt_hash,
            payload=payload,
            server_received_at=now,
            skew_s=None,
            flags=flags,
        )
    )
    session.flush()  # the receipt before its lines (foreign key)
    session.add_all(
        ReceiptLine(receipt_uuid=receipt_uuid, ordinal=i, fy=x.fy, head=x.head.value, amount_paise=x.amount_paise)
        for i, x in enumerate(lines)
    )
    session.add(
        ChangeLog(
            seq=None,  # stamped after commit, in commit order (central/sync/feed.py)
            ulb_code=order.ulb_code,
            entity=ChangeEntity.PAYMENT.value,
            entity_uuid=receipt_uuid,
            op="upsert",
            version=1,
            payload=payload,
            origin_device_id=None,
            created_at=now,
        )
    )
    for flag in flags:
        session.add(
            Anomaly(
                ulb_code=order.ulb_code,
                device_id="",
                kind=flag,
                entity_uuid=receipt_uuid,
                detail={
                    "receipt_no": values["receipt_no"],
                    "order_id": order.order_id,
                    "property_uuid": order.property_uuid,
                    "already_paid": [
                        {"fy": fy_, "head": head, "amount_paise": amount} for (fy_, head), amount in earlier.items()
                    ],
                    "paid_paise": body.amount_paise,
                    "bill_paise": order.amount_paise,
                    "order_already_paid": paid_order,
                    "gateway_txn_id": body.gateway_txn_id,
                },
                at=now,
            )
        )
    session.flush()
    return CallbackOutcome(
        status="recorded",
        order_id=order.order_id,
        receipt_uuid=receipt_uuid,
        receipt_no=values["receipt_no"],
        flags=tuple(flags),
    )
