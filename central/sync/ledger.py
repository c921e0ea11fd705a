"""What the central holds of one device: the hello handshake and the per-day ledger.

Both answer from the receipt table itself (not from counters kept beside it), so a device comparing
them with its own figures checks what really landed: count, sum, first/last number and chain head
per series and business day (sync-research §3.11)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, Table, case, exists, func, select, tuple_, update

from central.api.deps import DeviceContext
from central.db.models import Device, Receipt, ReceiptCancellation, ReceiptSeries
from central.sync.feed import read_meta
from sync.protocol import HelloResponse, LedgerDay, LedgerResponse, SeriesMark

_R: Table = Receipt.__table__  # type: ignore[assignment]
_C: Table = ReceiptCancellation.__table__  # type: ignore[assignment]
_S: Table = ReceiptSeries.__table__  # type: ignore[assignment]

# A device's reported backlog is an int column; clamp what a broken client may claim.
_MAX_BACKLOG = 2**31 - 1
_MAX_SKEW_S = 2**31 - 1


def _hashes(connection: Connection, device_id: str, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The hash of each (series_key, seq) of this device (the first stored, if a number collided)."""
    if not keys:
        return {}
    rows = connection.execute(
        select(_R.c.series_key, _R.c.seq, _R.c.hash)
        .where(tuple_(_R.c.series_key, _R.c.seq).in_(keys), _R.c.device_id == device_id)
        .order_by(_R.c.server_received_at)
    )
    found: dict[tuple[str, int], str] = {}
    for row in rows:
        found.setdefault((row.series_key, int(row.seq)), row.hash)
    return found


def hello(
    engine: Engine,
    device: DeviceContext,
    backlog: int | None = None,
    clock: datetime | None = None,
    now: datetime | None = None,
) -> HelloResponse:
    """The device's standing at the central; records what the device reports (backlog, clock)."""
    now = now or datetime.now(UTC)
    with engine.begin() as connection:
        values: dict[str, object] = {"last_seen_at": now}
        if backlog is not None:
            values["reported_backlog"] = max(0, min(backlog, _MAX_BACKLOG))
        if clock is not None:
            moment = clock if clock.tzinfo is not None else clock.replace(tzinfo=UTC)
            skew = int((moment - now).total_seconds())
            values["last_clock_skew_s"] = max(-_MAX_SKEW_S, min(skew, _MAX_SKEW_S))
        connection.execute(update(Device).where(Device.device_id == device.device_id).values(**values))
        row = connection.execute(
            select(Device.status, Device.last_device_seq).where(Device.device_id == device.device_id)
        ).one()
        # The device's series (receipt_series), each one's highest number by ix_receipt_series_seq.
        top = (
            select(func.max(_R.c.seq))
            .where(_R.c.series_key == _S.c.series_key, _R.c.device_id == _S.c.device_id)
            .correlate(_S)
            .scalar_subquery()
        )
        highs = connection.execute(
            select(_S.c.series_key, top)
            .where(_S.c.device_id == device.device_id, _S.c.ulb_code == device.ulb_code)
            .order_by(_S.c.series_key)
        ).all()
        keys = [(key, int(seq)) for key, seq in highs if seq is not None]
        hashes = _hashes(connection, device.device_id, keys)
        epoch = read_meta(connection).server_epoch
    return HelloResponse(
        server_time=now,
        server_epoch=epoch,
        device_id=device.device_id,
        device_no=device.device_no,
        ulb_code=device.ulb_code,
        office_code=device.office_code,
        device_status=row.status,
        last_device_seq=int(row.last_device_seq),
        series=[SeriesMark(series_key=key, last_seq=seq, chain_head=hashes.get((key, seq), "")) for key, seq in keys],
    )


def ledger(engine: Engine, device: DeviceContext, from_date: date) -> LedgerResponse:
    """Per (series, business day) of this device since `from_date`: every receipt counts (cancelled
    ones too); `cancelled_count` says how many of them were taken back."""
    # A receipt taken back (by its own ULB) counts once however many cancellations it has.
    taken_back = exists().where(_C.c.receipt_uuid == _R.c.uuid, _C.c.ulb_code == device.ulb_code).correlate(_R)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                _R.c.series_key,
                _R.c.business_date,
                func.count(),
                func.coalesce(func.sum(_R.c.amount_paise), 0),
                func.min(_R.c.seq),
                func.max(_R.c.seq),
                func.coalesce(func.sum(case((taken_back, 1), else_=0)), 0),
            )
            # ulb_code first: ix_receipt_ulb_day narrows to the ULB's days before the device filter
            .where(
                _R.c.ulb_code == device.ulb_code,
                _R.c.business_date >= from_date,
                _R.c.device_id == device.device_id,
            )
            .group_by(_R.c.series_key, _R.c.business_date)
            .order_by(_R.c.series_key, _R.c.business_date)
        ).all()
        hashes = _hashes(connection, device.device_id, list({(row[0], int(row[5])) for row in rows}))
        epoch = read_meta(connection).server_epoch
    days = [
        LedgerDay(
            series_key=key,
            business_date=day,
            count=int(count),
            sum_paise=int(total),
            first_seq=int(first),
            last_seq=int(last),
            chain_head=hashes.get((key, int(last)), ""),
            cancelled_count=int(cancelled_count),
        )
        for key, day, count, total, first, last, cancelled_count in rows
    ]
    return LedgerResponse(days=days, server_epoch=epoch)
