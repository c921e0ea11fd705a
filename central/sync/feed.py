"""The pull feed: change_log rows stamped in commit order, and the page a device pulls.

A writing transaction inserts its change_log rows with seq NULL. The stamper gives seq to rows that
are already committed, in id order, inside its own transaction and one stamper at a time (a
transaction-scoped advisory lock on PostgreSQL; SQLite's single writer does the same). A row whose
transaction is still open is invisible to the stamper, so it gets a HIGHER seq later, after every
seq a device may already hold as its cursor: the cursor can never pass a row that commits later
(sync-research §2.6, §3.7). A bare BIGSERIAL would hand out ids in start order, not commit order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, or_, select, text

from central.db.engine import ensure_server_meta
from central.db.models import ChangeLog, ServerMeta
from sync.protocol import Change

# Any constant: it only has to be the same in every app process (distinct from the migration lock).
STAMPER_LOCK_KEY = 0x4E494B53  # "NIKS"

_STAMP_PG = text(
    """
    UPDATE change_log AS c SET seq = s.base + s.rn
    FROM (
        SELECT id,
               row_number() OVER (ORDER BY id) AS rn,
               GREATEST(
                   (SELECT COALESCE(MAX(seq), 0) FROM change_log),
                   (SELECT COALESCE(MAX(min_retained_seq), 0) FROM server_meta)
               ) AS base
        FROM change_log WHERE seq IS NULL
    ) AS s
    WHERE c.id = s.id
    """
)
_CL: Table = ChangeLog.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Meta:
    server_epoch: str
    min_retained_seq: int


def read_meta(connection: Connection) -> Meta:
    row = connection.execute(
        select(ServerMeta.server_epoch, ServerMeta.min_retained_seq).where(ServerMeta.id == 1)
    ).one_or_none()
    if row is None:  # a fresh database the migrate command has not seeded yet
        ensure_server_meta(connection)
        return read_meta(connection)
    return Meta(server_epoch=row.server_epoch, min_retained_seq=int(row.min_retained_seq or 0))


def stamp(engine: Engine, wait: bool = False) -> int:
    """Give committed unstamped change_log rows their seq, in id order. Returns how many were stamped.

    Without `wait`, returns 0 at once when another stamper holds the lock: that one (or the next
    pull's) stamps these rows too, so a push never queues behind the stamper."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
            got = connection.execute(text(f"SELECT {lock}(:k)"), {"k": STAMPER_LOCK_KEY}).scalar()
            if not wait and not got:
                return 0
            return int(connection.execute(_STAMP_PG).rowcount or 0)
        # SQLite (demo): the write transaction is the lock; take it before reading.
        connection.exec_driver_sql("UPDATE server_meta SET id = id WHERE id = 1")
        base = max(max_stamped_seq(connection), read_meta(connection).min_retained_seq)
        ids = connection.execute(select(ChangeLog.id).where(ChangeLog.seq.is_(None)).order_by(ChangeLog.id)).scalars()
        rows = [{"i": row_id, "s": base + n} for n, row_id in enumerate(ids, start=1)]
        if rows:
            connection.execute(text("UPDATE change_log SET seq = :s WHERE id = :i"), rows)
        return len(rows)


def max_stamped_seq(connection: Connection) -> int:
    return int(connection.execute(select(func.coalesce(func.max(_CL.c.seq), 0))).scalar_one())


def change_of(row: Any, seq: int | None = None) -> Change:
    return Change(
        seq=row.seq if seq is None else seq,
        entity=row.entity,
        entity_uuid=row.entity_uuid,
        op=row.op,
        version=row.version,
        payload=row.payload,
        origin_device_id=row.origin_device_id,
    )


@dataclass(frozen=True)
class Page:
    changes: list[Change]
    next_cursor: int
    has_more: bool


def pull_page(connection: Connection, ulb_code: str, device_id: str, cursor: int, limit: int) -> Page:
    """Rows of the ULB (and of every ULB, "*") after `cursor`, without the device's own rows.

    When the page is the last one the cursor jumps to the highest stamped seq read BEFORE the page
    query: every row at or below it was committed and stamped before the page's snapshot, so it is
    either in the page or not for this device (another ULB, or its own). A device that pushed 100,000
    receipts does not page through its own rows."""
    high = max_stamped_seq(connection)
    rows = connection.execute(
        select(
            _CL.c.seq,
            _CL.c.entity,
            _CL.c.entity_uuid,
            _CL.c.op,
            _CL.c.version,
            _CL.c.payload,
            _CL.c.origin_device_id,
        )
        .where(
            _CL.c.ulb_code.in_((ulb_code, "*")),
            _CL.c.seq > cursor,
            or_(_CL.c.origin_device_id.is_(None), _CL.c.origin_device_id != device_id),
        )
        .order_by(_CL.c.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [change_of(row) for row in rows]
    last = changes[-1].seq if changes else cursor
    next_cursor = last if has_more else max(last, high, cursor)
    return Page(changes=changes, next_cursor=next_cursor, has_more=has_more)
