"""The device's sync engine (no Qt): enrolment, one blocking sync cycle, status and conflicts.

A cycle (sync-research.md §3.5): hello (clock offset, server epoch, device status) → push lane 0
(money) until empty, then lanes 1 and 2 → pull pages until `has_more` is false (410 → snapshot) →
ledger reconciliation per series and day (a mismatch re-pushes that day). Everything durable is in
the device database and committed with what it describes: acks with their results, each pulled page
with its cursor. The network is only ever touched outside a database transaction.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import requests
from filelock import FileLock
from filelock import Timeout as LockTimeout
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from app.audit.service import AuditLog
from app.collections.models import Receipt, ReceiptCancellation, ReceiptSeries
from app.core.clock import Clock, as_utc
from app.core.ids import new_uuid
from app.db import Database
from app.db.base import table_of
from app.errors import ConflictError, NotFoundError, ValidationError
from app.masters.models import DeviceIdentity
from app.outbox.models import OutboxOperation
from app.outbox.service import Outbox
from app.property.dto import PROPERTY_SYNC_FIELDS
from app.property.models import Property
from app.property.service import apply_sync_fields
from app.replica.models import LocalSyncConflict
from app.replica.service import all_meta, get_meta, set_meta
from app.security.roles import Actor, Permission, require
from app.security.secrets import SecretStore
from sync import failpoints
from sync.apply import META_SKIPPED_CHANGES, ApplyDispatcher, upsert_conflict
from sync.client import CONNECT_TIMEOUT_S, READ_TIMEOUT_S, CentralClient, check_central_url, is_loopback_host
from sync.credentials import Credentials, new_device_key
from sync.errors import (
    CentralError,
    CentralUnreachable,
    CursorGone,
    DeviceRevoked,
    NotEnrolled,
    SyncBusy,
    SyncUnavailable,
    TokenExpired,
)
from sync.outbox_ops import PushedOp, pending_batch, push_body
from sync.protocol import (
    MAX_OPS_PER_PUSH,
    EnrolRequest,
    HelloResponse,
    Lane,
    OpKind,
    OpResult,
    OpStatus,
    PullResponse,
    PushResponse,
    SnapshotResponse,
)
from sync.status import ConflictField, ConflictView, CycleReport, SyncState, SyncStatus

log = logging.getLogger(__name__)

# What pushing a batch gave: the central's reply, or how many ops were settled one by one (a 422).
_Sent = PushResponse | int

APP_VERSION = "0.1.0"
PUSH_BATCH = 100  # master data and the rest: ops per request (sync-research §3.6)
# Money goes in the largest batches the protocol allows: a backlog of 100,000 receipts after days
# offline is 200 pushes, not 1,000 (each push costs a round trip, a commit and an fsync on each side).
PUSH_BATCH_MONEY = MAX_OPS_PER_PUSH
LOCK_FILE_SUFFIX = ".sync.lock"
# Ledger days older than this are not asked about again once reconciled.
LEDGER_LOOKBACK = timedelta(days=400)

# sync_meta keys
M_URL, M_VERIFY, M_DEVICE_ID, M_DEVICE_NO = "central_url", "verify_tls", "device_id", "device_no"
M_ULB, M_OFFICE, M_EPOCH, M_CURSOR = "ulb_code", "office_code", "server_epoch", "pull_cursor"
M_LAST_SUCCESS, M_LAST_ATTEMPT, M_OFFSET = "last_success_at", "last_attempt_at", "clock_offset_s"
M_LAST_ERROR, M_LEDGER_MISMATCHES = "last_error", "ledger_mismatches"

T = TypeVar("T")


@dataclass
class _Counts:
    pushed: int = 0
    acknowledged: int = 0
    duplicates: int = 0
    conflicts: int = 0
    quarantined: int = 0
    pulled: int = 0
    snapshot_reloaded: bool = False
    epoch_changed: bool = False
    ledger_mismatches: int = 0
    repushed: int = 0

    def report(self) -> CycleReport:
        return CycleReport(**{f.name: getattr(self, f.name) for f in fields(self)})


def _verify_value(text: str | None) -> bool | str:
    if text is None or text == "true":
        return True
    if text == "false":
        return False
    return text  # a CA bundle path


class SyncService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        secrets: SecretStore,
        audit: AuditLog,
        ulb_code: str,
        *,
        app_version: str = APP_VERSION,
        http_session_factory: Callable[[], requests.Session] = requests.Session,
        http_timeouts: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._ulb_code = ulb_code
        self._app_version = app_version
        self._http_session_factory = http_session_factory
        self._http_timeouts = http_timeouts  # connect 10 s, read 60 s (a batch) unless a test says less
        self.credentials = Credentials(secrets, clock)
        self.dispatcher = ApplyDispatcher(clock, ulb_code, self._device_id)
        self.lock = FileLock(str(db.path) + LOCK_FILE_SUFFIX)
        self._client: CentralClient | None = None
        self._client_key: tuple[str, bool | str] | None = None
        self._mutex = threading.Lock()  # guards the in-memory status below
        self._state = SyncState.IDLE
        self._last_error = ""
        self._next_attempt_at: datetime | None = None
        self._device_id_cache: str | None = None

    # --- small helpers

    def _meta(self) -> dict[str, str]:
        with self._db.read() as session:
            return all_meta(session)

    def _device_id(self) -> str | None:
        if self._device_id_cache is None:
            self._device_id_cache = self._meta().get(M_DEVICE_ID)
        return self._device_id_cache

    def _client_for(self, meta: dict[str, str]) -> CentralClient:
        key = (meta[M_URL], _verify_value(meta.get(M_VERIFY)))
        if self._client is None or self._client_key != key:
            if self._client is not None:
                self._client.close()
            self._client = CentralClient(
                key[0], key[1], session=self._http_session_factory(), timeouts=self._http_timeouts
            )
            self._client_key = key
        return self._client

    def _set_state(self, state: SyncState, error: str | None = None) -> None:
        with self._mutex:
            self._state = state
            if error is not None:
                self._last_error = error

    def note_next_attempt(self, when: datetime | None) -> None:
        """The worker says when it will try next (shown in the status bar)."""
        with self._mutex:
            self._next_attempt_at = when

    def central_reachable(self, timeout_s: float = 2.0) -> bool:
        """Whether the central answers its health check now. The worker probes this while it backs
        off, so a line that comes back is used at once instead of after the rest of a long backoff.
        Call it from the worker thread (it shares the worker's HTTP session)."""
        meta = self._meta()
        if not meta.get(M_URL):
            return False
        return self._client_for(meta).healthy(timeout_s)

    # --- enrolment

    def is_enrolled(self) -> bool:
        meta = self._meta()
        return bool(meta.get(M_URL) and meta.get(M_DEVICE_ID)) and self.credentials.has_device_key()

    def enrol(self, central_url: str, code: str, verify_tls: bool | str = True) -> None:
        """Enrol this PC with the central using a one-time code from the ULB admin.

        The device key and refresh token go to the secret store (OS keyring), never the database;
        the device number from the central becomes this counter's receipt series number."""
        try:
            url = check_central_url(central_url)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        host = url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
        if verify_tls is False and not is_loopback_host(host):
            raise ValidationError("TLS verification can be turned off only for a central on this PC")
        cleaned = code.strip()
        if not 6 <= len(cleaned) <= 64:
            raise ValidationError("the enrolment code is 6 to 64 characters; copy it again from the central")
        if self.is_enrolled():
            raise ValidationError(f"this PC is already enrolled with {self._meta().get(M_URL)}")
        private_key, public_key = new_device_key()
        client = CentralClient(url, verify_tls, session=self._http_session_factory(), timeouts=self._http_timeouts)
        try:
            reply = client.enrol(
                EnrolRequest(
                    code=cleaned,
                    public_key=public_key,
                    hostname=socket.gethostname()[:200],
                    app_version=self._app_version,
                )
            )
        except CentralUnreachable as error:
            raise ValidationError(f"could not reach the central at {url}: {error}") from None
        except CentralError as error:
            raise ValidationError(f"the central refused the enrolment ({error.status}): {error.detail}") from None
        finally:
            client.close()
        with self._db.write() as session:
            identity = session.scalars(select(DeviceIdentity)).first()
            if identity is None:
                raise ValidationError("set this PC up first (its ULB and masters), then enrol it")
            if identity.ulb_code != reply.ulb_code:
                raise ValidationError(
                    f"the code is for ULB {reply.ulb_code} but this PC is set up for {identity.ulb_code}; "
                    f"ask the admin to revoke device {reply.device_no} and issue a code for {identity.ulb_code}"
                )
            other = session.scalars(select(Receipt.receipt_no).where(Receipt.device_no != reply.device_no)).first()
            if other is not None:
                raise ValidationError(
                    f"this PC already has receipts under device number {identity.device_no} (e.g. {other}) but "
                    f"the central gave number {reply.device_no}; receipts are never renumbered — ask the admin "
                    "to revoke that enrolment and contact support"
                )
            identity.device_no = reply.device_no
            identity.office_code = reply.office_code[:8]
            verify_text = "true" if verify_tls is True else "false" if verify_tls is False else str(verify_tls)
            for key, value in (
                (M_URL, url),
                (M_VERIFY, verify_text),
                (M_DEVICE_ID, reply.device_id),
                (M_DEVICE_NO, str(reply.device_no)),
                (M_ULB, reply.ulb_code),
                (M_OFFICE, reply.office_code),
                (M_EPOCH, reply.server_epoch),
            ):
                set_meta(session, key, value)
            # Secrets last inside the transaction: if the keyring refuses, nothing is committed.
            self.credentials.store_enrolment(
                private_key, reply.refresh_token, reply.access_token, reply.access_expires_in_s
            )
        self._device_id_cache = reply.device_id
        log.info("enrolled with %s as device %s (number %s)", url, reply.device_id, reply.device_no)

    # --- status

    def status(self) -> SyncStatus:
        with self._db.read() as session:
            meta = all_meta(session)
            o = OutboxOperation
            pending = session.scalar(select(func.count()).where(o.state == "pending")) or 0
            money = session.scalar(select(func.count()).where(o.state == "pending", o.lane == Lane.MONEY)) or 0
            oldest = session.scalar(select(func.min(o.created_at)).where(o.state == "pending"))
            quarantined = session.scalar(select(func.count()).where(o.state == "quarantined")) or 0
            conflicts = session.scalar(select(func.count()).where(LocalSyncConflict.resolved_at.is_(None))) or 0
        with self._mutex:
            state, last_error, next_at = self._state, self._last_error, self._next_attempt_at
        enrolled = bool(meta.get(M_URL) and meta.get(M_DEVICE_ID))
        return SyncStatus(
            state=state if enrolled else SyncState.NOT_ENROLLED,
            central_url=meta.get(M_URL, ""),
            device_no=int(meta[M_DEVICE_NO]) if M_DEVICE_NO in meta else None,
            last_success_at=_dt(meta.get(M_LAST_SUCCESS)),
            last_attempt_at=_dt(meta.get(M_LAST_ATTEMPT)),
            next_attempt_at=next_at,
            pending_ops=pending,
            pending_money_ops=money,
            oldest_pending_at=_aware(oldest),
            quarantined_ops=quarantined,
            conflicts_open=conflicts,
            ledger_mismatches=int(meta.get(M_LEDGER_MISMATCHES, "0")),
            skipped_changes=int(meta.get(META_SKIPPED_CHANGES, "0")),
            clock_offset_s=float(meta[M_OFFSET]) if M_OFFSET in meta else None,
            last_error=last_error or meta.get(M_LAST_ERROR, ""),
        )

    # --- the cycle

    def run_cycle(self) -> CycleReport:
        """One blocking sync cycle. Network and central errors are recorded in the status and
        re-raised as SyncUnavailable (the worker backs off and tries again, forever)."""
        try:
            self.lock.acquire(timeout=0)
        except LockTimeout:
            raise SyncBusy("another Nikay window on this PC is syncing this data folder") from None
        try:
            meta = self._meta()
            if not (meta.get(M_URL) and meta.get(M_DEVICE_ID)):
                self._set_state(SyncState.NOT_ENROLLED)
                raise NotEnrolled("this PC is not enrolled with the central yet")
            self._set_state(SyncState.SYNCING)
            self._write_meta({M_LAST_ATTEMPT: self._clock.now_utc().isoformat()})
            try:
                counts = self._cycle(meta)
            except DeviceRevoked as error:
                self._fail(SyncState.REVOKED, f"this device was revoked by the central: {error.detail}")
                raise
            except CentralUnreachable as error:
                self._fail(SyncState.OFFLINE, str(error))
                raise
            except SyncUnavailable as error:
                self._fail(SyncState.ERROR, str(error))
                raise
            except LookupError as error:  # the keyring lost the device key
                self._fail(SyncState.ERROR, str(error))
                raise SyncUnavailable(str(error)) from error
            self._write_meta({M_LAST_SUCCESS: self._clock.now_utc().isoformat(), M_LAST_ERROR: ""})
            self._set_state(SyncState.IDLE, "")
            return counts.report()
        finally:
            self.lock.release()

    def _fail(self, state: SyncState, message: str) -> None:
        log.warning("sync: %s", message)
        self._set_state(state, message)
        self._write_meta({M_LAST_ERROR: message[:500]})

    def _write_meta(self, values: dict[str, str | None]) -> None:
        with self._db.write() as session:
            for key, value in values.items():
                set_meta(session, key, value)

    def _authed(self, meta: dict[str, str], call: Callable[[CentralClient, str], T]) -> T:
        client = self._client_for(meta)
        token = self.credentials.access_token() or self._refresh(client, meta)
        try:
            return call(client, token)
        except TokenExpired:
            self.credentials.forget_access()
            return call(client, self._refresh(client, meta))  # once; a second 401 goes up

    def _refresh(self, client: CentralClient, meta: dict[str, str]) -> str:
        reply = client.token(self.credentials.token_request(meta[M_DEVICE_ID]))
        self.credentials.rotate(reply.refresh_token, reply.access_token, reply.access_expires_in_s)
        return reply.access_token

    def _cycle(self, meta: dict[str, str]) -> _Counts:
        counts = _Counts()
        with self._db.read() as session:
            backlog = session.scalar(select(func.count()).where(OutboxOperation.state == "pending")) or 0
        sent = self._clock.now_utc()
        started = time.monotonic()
        hello = self._authed(meta, lambda c, t: c.hello(t, backlog, sent))
        rtt = time.monotonic() - started
        offset = (hello.server_time - (sent + timedelta(seconds=rtt / 2))).total_seconds()
        if hello.device_status != "active":
            raise DeviceRevoked(403, "device_revoked", f"device status is {hello.device_status}")
        self._after_hello(hello, meta, offset, counts)
        self._push_all(meta, counts)
        self._pull(meta, counts)
        mismatches, repushed = self._reconcile(meta)
        counts.ledger_mismatches = mismatches
        if repushed:
            counts.repushed += repushed
            self._push_lane(meta, Lane.MONEY, counts)
        return counts

    # --- hello: clock, epoch, series

    def _after_hello(self, hello: HelloResponse, meta: dict[str, str], offset: float, counts: _Counts) -> None:
        o = OutboxOperation
        with self._db.write() as session:
            set_meta(session, M_OFFSET, f"{offset:.3f}")
            known = get_meta(session, M_EPOCH)
            if known is not None and known != hello.server_epoch:
                # The central was restored from a backup: everything it acknowledged since may be
                # gone. Re-push every money row we kept (idempotent) and re-read the feed.
                result = session.execute(
                    update(o)
                    .where(o.lane == Lane.MONEY, o.state == "acked")
                    .values(state="pending", acked_at=None, reconciled_at=None)
                )
                counts.repushed += _rowcount(result)
                set_meta(session, M_CURSOR, None)
                counts.epoch_changed = True
                log.warning("sync: server epoch changed (%s -> %s): re-pushing", known, hello.server_epoch)
            # The central says it holds results only up to last_device_seq, yet we hold its result
            # for the next one: it lost what we pushed (a restore it did not flag). Push it all again.
            # (A next row still pending is just a lane not pushed yet; nothing was lost then.)
            next_row = session.get(o, hello.last_device_seq + 1)
            if next_row is not None and next_row.state in ("acked", "conflict"):
                lost = session.execute(
                    update(o)
                    .where(o.state.in_(("acked", "conflict")), o.device_seq > hello.last_device_seq)
                    .values(state="pending", acked_at=None, reconciled_at=None)
                )
                counts.repushed += _rowcount(lost)
            set_meta(session, M_EPOCH, hello.server_epoch)
            # A PC restored from an old backup must not reissue numbers the central already holds.
            for mark in hello.series:
                series = session.get(ReceiptSeries, mark.series_key)
                if series is not None and series.last_seq < mark.last_seq:
                    log.warning(
                        "sync: series %s behind the central (%s < %s)", mark.series_key, series.last_seq, mark.last_seq
                    )
                    series.last_seq = mark.last_seq
                    series.last_hash = mark.chain_head

    # --- push

    def _push_all(self, meta: dict[str, str], counts: _Counts) -> None:
        for lane in (Lane.MONEY, Lane.MASTER, Lane.OTHER):
            self._push_lane(meta, lane, counts)

    def _push_lane(self, meta: dict[str, str], lane: Lane, counts: _Counts) -> None:
        if lane == Lane.MONEY:
            self._push_money(meta, counts)
            return
        # Master data goes one push after the other: an edit's result (its new version) is the
        # base of the next edit of the same record.
        while True:
            with self._db.read() as session:
                batch = pending_batch(session, lane, PUSH_BATCH)
            if not batch:
                return
            failpoints.hit(failpoints.AFTER_OUTBOX_READ)
            outcome = self._send_batch(meta, batch, counts)
            self._settle(batch, outcome, counts)

    def _push_money(self, meta: dict[str, str], counts: _Counts) -> None:
        """Money ops never depend on an earlier op's result, so the local work is hidden behind the
        central's: while one push is in flight (one at a time — the HTTP session is only ever used
        by one thread), the next batch is read and the previous results are recorded. A backlog of
        days drains at the central's pace, not at the sum of both."""
        last_seq = 0
        inflight: tuple[list[PushedOp], Future[_Sent]] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="nikay-push") as pool:
            try:
                while True:
                    if inflight is None:
                        batch = self._money_batch(after=last_seq)
                        if not batch:
                            return
                        failpoints.hit(failpoints.AFTER_OUTBOX_READ)
                        inflight = (batch, pool.submit(self._send_batch, meta, batch, counts))
                        last_seq = batch[-1].device_seq
                    sent, future = inflight
                    upcoming = self._money_batch(after=last_seq)  # while the central works
                    outcome = future.result()
                    inflight = None
                    if upcoming:
                        failpoints.hit(failpoints.AFTER_OUTBOX_READ)
                        inflight = (upcoming, pool.submit(self._send_batch, meta, upcoming, counts))
                        last_seq = upcoming[-1].device_seq
                    self._settle(sent, outcome, counts)  # while the central works on the next
            finally:
                if inflight is not None:  # stopped by an error: keep what the push in flight got
                    with contextlib.suppress(Exception):
                        self._settle(inflight[0], inflight[1].result(), counts)

    def _money_batch(self, after: int) -> list[PushedOp]:
        with self._db.read() as session:
            return pending_batch(session, Lane.MONEY, PUSH_BATCH_MONEY, after_seq=after)

    def _settle(self, batch: list[PushedOp], outcome: _Sent, counts: _Counts) -> None:
        if isinstance(outcome, int):  # the batch was split and settled op by op (a 422)
            settled = outcome
        else:
            failpoints.hit(failpoints.AFTER_PUSH_RESPONSE_BEFORE_ACK_COMMIT)
            counts.pushed += len(batch)
            settled = self._record_results(batch, outcome.results, counts)
        if settled == 0:
            raise CentralError(200, "no_results", f"the central gave no result for {len(batch)} operation(s)")

    def _send_batch(self, meta: dict[str, str], batch: list[PushedOp], counts: _Counts) -> _Sent:
        """Push one batch: the central's reply, or — when it could not read the batch (422) — the
        number of ops settled by pushing them one by one to find the unreadable one."""
        try:
            body = push_body(new_uuid(), batch)  # the ops as the outbox stores them, written once
            return self._authed(meta, lambda c, t: c.push(t, body))
        except CentralError as error:
            if error.status == 422:
                if len(batch) > 1:  # find the unreadable one: the others must still go
                    return sum(self._push_single(meta, item, counts) for item in batch)
                return self._quarantine_locally(batch[0], str(error))
            self._note_attempt(batch, str(error))
            raise
        except SyncUnavailable as error:
            self._note_attempt(batch, str(error))
            raise

    def _push_single(self, meta: dict[str, str], item: PushedOp, counts: _Counts) -> int:
        outcome = self._send_batch(meta, [item], counts)
        if isinstance(outcome, int):
            return outcome
        failpoints.hit(failpoints.AFTER_PUSH_RESPONSE_BEFORE_ACK_COMMIT)
        counts.pushed += 1
        return self._record_results([item], outcome.results, counts)

    def _note_attempt(self, batch: list[PushedOp], message: str) -> None:
        seqs = [item.device_seq for item in batch]
        o = OutboxOperation
        with self._db.write() as session:
            session.execute(
                update(o).where(o.device_seq.in_(seqs)).values(attempts=o.attempts + 1, last_error=message[:500])
            )

    def _quarantine_locally(self, item: PushedOp, message: str) -> int:
        o = OutboxOperation
        with self._db.write() as session:
            session.execute(
                update(o)
                .where(o.device_seq == item.device_seq)
                .values(state="quarantined", attempts=o.attempts + 1, last_error=message[:500])
            )
        return 1

    def _record_results(self, batch: list[PushedOp], results: list[OpResult], counts: _Counts) -> int:
        """Store each op's result in one local transaction. The common case — a receipt accepted or
        a replay answered duplicate — is one executemany UPDATE for the whole batch (a 500-op push
        settles in milliseconds); conflicts, quarantines and property results take the ORM path,
        because each of them changes more than its outbox row."""
        by_id = {result.op_id: result for result in results}
        now = self._clock.now_utc()
        settled = 0
        acked: list[tuple[str, int]] = []
        missing: list[int] = []
        special: list[tuple[PushedOp, OpResult]] = []
        for item in batch:
            result = by_id.get(item.op_id)
            if result is None:
                missing.append(item.device_seq)
                continue
            settled += 1
            plain = result.status in (OpStatus.ACCEPTED, OpStatus.DUPLICATE)
            if plain and item.kind not in (OpKind.PROPERTY_CREATED, OpKind.PROPERTY_UPDATED):
                acked.append((result.model_dump_json(exclude_defaults=True), item.device_seq))
                counts.acknowledged += 1
                counts.duplicates += result.status == OpStatus.DUPLICATE
            else:
                special.append((item, result))
        table = table_of(OutboxOperation)
        with self._db.write() as session:
            connection = session.connection()
            if acked and connection.dialect.name == "sqlite":  # the driver's executemany: no per-row binding
                stamp = _bound_time(connection, table, now)
                connection.exec_driver_sql(_ACK_SQL, [(stamp, result, seq) for result, seq in acked])
            elif acked:
                connection.execute(
                    update(table)
                    .where(table.c.device_seq == bindparam("b_seq"))
                    .values(
                        state="acked",
                        acknowledged_at=now,
                        last_error="",
                        attempts=table.c.attempts + 1,
                        server_result=bindparam("b_result"),
                    ),
                    [{"b_seq": seq, "b_result": result} for result, seq in acked],
                )
            if missing:
                connection.execute(
                    update(table)
                    .where(table.c.device_seq.in_(missing))
                    .values(attempts=table.c.attempts + 1, last_error="the central sent no result for this operation")
                )
            for item, result in special:
                self._record_special_result(session, item, result, now, counts)
        return settled

    def _record_special_result(
        self, session: Session, item: PushedOp, result: OpResult, now: datetime, counts: _Counts
    ) -> None:
        row = session.get(OutboxOperation, item.device_seq)
        if row is None:
            return
        row.attempts += 1
        row.server_result = result.model_dump_json()
        if result.status in (OpStatus.ACCEPTED, OpStatus.DUPLICATE):
            row.state, row.acked_at, row.last_error = "acked", now, ""
            counts.acknowledged += 1
            counts.duplicates += result.status == OpStatus.DUPLICATE
        elif result.status == OpStatus.CONFLICT:
            row.state, row.acked_at, row.last_error = "conflict", now, ""
            counts.conflicts += 1
            self._record_push_conflict(session, item, result)
        else:
            row.state, row.last_error = "quarantined", result.message[:500] or "quarantined by the central"
            counts.quarantined += 1
        session.flush()
        if item.kind in (OpKind.PROPERTY_CREATED, OpKind.PROPERTY_UPDATED) and result.server_version:
            self._after_property_result(session, item, result)

    def _after_property_result(self, session: Session, item: PushedOp, result: OpResult) -> None:
        """Take the central's merged record as the local row, unless a later local edit is still
        waiting to go (it carries its own base and will get its own result)."""
        prop = session.get(Property, item.entity_uuid)
        if prop is None or result.server_version is None:
            return
        later = session.scalars(
            select(OutboxOperation.device_seq).where(
                OutboxOperation.entity_uuid == item.entity_uuid,
                OutboxOperation.state == "pending",
                OutboxOperation.device_seq > item.device_seq,
            )
        ).first()
        if later is not None:
            return
        if result.merged:
            merged = {k: v for k, v in result.merged.items() if k in PROPERTY_SYNC_FIELDS}
            apply_sync_fields(session, prop, merged)
            prop.version += 1
        prop.server_version = max(prop.server_version, result.server_version)

    def _record_push_conflict(self, session: Session, item: PushedOp, result: OpResult) -> None:
        base = item.op.base_values or {}
        theirs = result.merged or {}
        if item.kind == OpKind.RECORD_UPSERTED:
            # A water connection, licence or payer: the fields this edit changed that the central
            # kept otherwise (as central/sync/records.py decided them).
            entity = str(item.op.payload.get("entity", ""))
            sent = item.op.payload.get("fields")
            mine = dict(sent) if isinstance(sent, dict) else {}
            conflicting = {
                name: {"base": base.get(name), "mine": value, "theirs": theirs.get(name)}
                for name, value in mine.items()
                if theirs.get(name) != value and (not base or (name in base and base[name] != value))
            }
        else:
            entity = "property"
            conflicting = {
                name: {"base": base.get(name), "mine": value, "theirs": theirs.get(name)}
                for name, value in item.op.payload.items()
                if name in PROPERTY_SYNC_FIELDS and theirs.get(name) != value
            }
        upsert_conflict(
            session,
            uuid=result.conflict_uuid or item.op_id,
            entity=entity,
            entity_uuid=item.entity_uuid,
            fields=dict(conflicting),
            created_at=self._clock.now_utc(),
        )

    # --- pull

    def _pull(self, meta: dict[str, str], counts: _Counts) -> None:
        with self._db.read() as session:
            cursor_text = get_meta(session, M_CURSOR)
        cursor = self._snapshot(meta, counts) if cursor_text is None else int(cursor_text)
        while True:
            try:
                page = self._authed(meta, partial(_pull_page, cursor=cursor))
            except CursorGone:
                cursor = self._snapshot(meta, counts)
                continue
            with self._db.write() as session:
                for change in page.changes:
                    self.dispatcher.apply(session, change)
                failpoints.hit(failpoints.MID_PULL_PAGE_APPLY)
                set_meta(session, M_CURSOR, str(page.next_cursor))
            counts.pulled += len(page.changes)
            if not page.has_more or page.next_cursor == cursor:
                return
            cursor = page.next_cursor

    def _snapshot(self, meta: dict[str, str], counts: _Counts) -> int:
        """Re-download the current state page by page. The outbox is never touched; a pending local
        edit survives (the property handler keeps it). The cursor is only saved with the last page,
        so a crash half-way restarts the snapshot instead of skipping what was not applied."""
        counts.snapshot_reloaded = True
        self._write_meta({M_CURSOR: None})
        page: str | None = None
        while True:
            snap = self._authed(meta, partial(_snapshot_page, page=page))
            with self._db.write() as session:
                for change in snap.changes:
                    self.dispatcher.apply(session, change)
                failpoints.hit(failpoints.MID_PULL_PAGE_APPLY)
                if snap.next_page is None:
                    set_meta(session, M_CURSOR, str(snap.cursor_after))
            counts.pulled += len(snap.changes)
            if snap.next_page is None:
                return snap.cursor_after
            page = snap.next_page

    # --- ledger

    def _reconcile(self, meta: dict[str, str]) -> tuple[int, int]:
        """Compare count, sum, last number and chain head per series and day with the central.
        Returns (mismatched days, rows re-queued)."""
        o, r = OutboxOperation, Receipt
        with self._db.read() as session:
            first_open = session.scalar(
                select(func.min(r.business_date))
                .select_from(o)
                .join(r, r.uuid == o.entity_uuid)
                .where(o.kind == OpKind.RECEIPT_CREATED, o.state == "acked", o.reconciled_at.is_(None))
            )
        if first_open is None:
            self._write_meta({M_LEDGER_MISMATCHES: "0"})
            return 0, 0
        since = max(date.fromisoformat(first_open), self._clock.now_utc().date() - LEDGER_LOOKBACK)
        reply = self._authed(meta, lambda c, t: c.ledger(t, since))
        central = {(d.series_key, d.business_date.isoformat()): d for d in reply.days}
        now = self._clock.now_utc()
        mismatched = requeued = 0
        with self._db.write() as session:
            rows = session.execute(
                select(r.uuid, r.series_key, r.business_date, r.seq, r.amount_paise, r.hash)
                .where(r.business_date >= since.isoformat())
                .order_by(r.series_key, r.business_date, r.seq)
            ).all()
            days: dict[tuple[str, str], list[Any]] = {}
            for row in rows:
                days.setdefault((row.series_key, row.business_date), []).append(row)
            for key, receipts in days.items():
                theirs = central.get(key)
                uuids = [row.uuid for row in receipts]
                cancellation_uuids = list(
                    session.scalars(select(ReceiptCancellation.uuid).where(ReceiptCancellation.receipt_uuid.in_(uuids)))
                )
                mine_cancelled = len(cancellation_uuids)
                same = (
                    theirs is not None
                    and theirs.count == len(receipts)
                    and theirs.sum_paise == sum(row.amount_paise for row in receipts)
                    and theirs.last_seq == receipts[-1].seq
                    and theirs.chain_head == receipts[-1].hash
                    and theirs.cancelled_count >= mine_cancelled
                )
                if same:
                    session.execute(
                        update(o)
                        .where(o.entity_uuid.in_(uuids), o.state == "acked", o.reconciled_at.is_(None))
                        .values(reconciled_at=now)
                    )
                    continue
                mismatched += 1
                result = session.execute(
                    update(o)
                    .where(o.entity_uuid.in_(uuids + cancellation_uuids), o.lane == Lane.MONEY, o.state == "acked")
                    .values(state="pending", acked_at=None, reconciled_at=None)
                )
                requeued += _rowcount(result)
                log.warning("sync: ledger mismatch for %s on %s: re-pushing that day", *key)
            set_meta(session, M_LEDGER_MISMATCHES, str(mismatched))
        return mismatched, requeued

    # --- conflicts

    def conflicts(self) -> list[ConflictView]:
        with self._db.read() as session:
            rows = session.scalars(
                select(LocalSyncConflict)
                .where(LocalSyncConflict.resolved_at.is_(None))
                .order_by(LocalSyncConflict.created_at)
            )
            views = []
            for row in rows:
                fields_ = json.loads(row.fields_json)
                views.append(
                    ConflictView(
                        uuid=row.uuid,
                        entity=row.entity,
                        entity_uuid=row.entity_uuid,
                        label=row.label,
                        created_at=row.created_at,
                        fields=tuple(
                            ConflictField(name, value.get("base"), value.get("mine"), value.get("theirs"))
                            for name, value in sorted(fields_.items())
                        ),
                    )
                )
            return views

    def resolve_conflict(self, actor: Actor, conflict_uuid: str, choose: dict[str, str]) -> None:
        """A supervisor decides each conflicting field ("mine" or "theirs"). The decision is applied
        here at once and queued for the central as a sync_conflict.resolved operation."""
        require(actor, Permission.RESOLVE_SYNC_CONFLICTS)
        with self._db.write() as session:
            row = session.get(LocalSyncConflict, conflict_uuid)
            if row is None:
                raise NotFoundError(f"no sync conflict {conflict_uuid}")
            if row.resolved_at is not None:
                raise ConflictError(f"conflict {row.label or conflict_uuid} was already resolved")
            fields_: dict[str, dict[str, Any]] = json.loads(row.fields_json)
            unknown = sorted(set(choose) - set(fields_))
            missing = sorted(set(fields_) - set(choose))
            bad = sorted(name for name, side in choose.items() if side not in ("mine", "theirs"))
            if unknown or missing or bad:
                problems = []
                if missing:
                    problems.append(f"choose mine or theirs for: {', '.join(missing)}")
                if unknown:
                    problems.append(f"not in this conflict: {', '.join(unknown)}")
                if bad:
                    problems.append(f"only 'mine' or 'theirs' allowed for: {', '.join(bad)}")
                raise ValidationError("; ".join(problems))
            values = {name: fields_[name][side] for name, side in choose.items()}
            now = self._clock.now_utc()
            row.resolved_at = now
            row.resolution_json = json.dumps({"choose": choose, "values": values}, ensure_ascii=False, default=str)
            if row.entity == "property":
                prop = session.get(Property, row.entity_uuid)
                if prop is not None:
                    apply_sync_fields(session, prop, values)
                    prop.version += 1
            Outbox(self._clock).append(
                session,
                OpKind.CONFLICT_RESOLVED,
                row.entity_uuid,
                {
                    "conflict_uuid": row.uuid,
                    "entity": row.entity,
                    "entity_uuid": row.entity_uuid,
                    "choose": choose,
                    "values": values,
                },
            )
            self._audit.record(
                session, actor, "sync_conflict.resolve", row.entity, row.entity_uuid, fields_, {"choose": choose}
            )


_ACK_SQL = (
    "UPDATE outbox SET state = 'acked', acknowledged_at = ?, last_error = '', attempts = attempts + 1,"
    " server_result = ? WHERE device_seq = ?"
)


def _bound_time(connection: Any, table: Any, moment: datetime) -> Any:
    """`moment` as SQLAlchemy binds it into the outbox's acknowledged_at column on this connection."""
    processor = table.c.acknowledged_at.type.bind_processor(connection.dialect)
    return moment if processor is None else processor(moment)


def _pull_page(client: CentralClient, token: str, cursor: int) -> PullResponse:
    return client.pull(token, cursor)


def _snapshot_page(client: CentralClient, token: str, page: str | None) -> SnapshotResponse:
    return client.snapshot(token, page)


def _rowcount(result: Any) -> int:
    count = getattr(result, "rowcount", 0)
    return int(count) if count and count > 0 else 0


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


def _dt(text: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(text)) if text else None
