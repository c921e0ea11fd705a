"""The persistent print queue: a receipt is printed from here, never from memory.

A receipt is committed first (CollectionService.collect, its own transaction); the print job is
enqueued right AFTER that commit in its own small transaction; a printer thread then takes the oldest
pending job, marks it `printing`, renders it, marks it `sending` right before bytes go out, and marks
it `done` or `failed` (with attempts and the last error). Jobs are rows in SQLite, so they survive
a restart of the app; `recover()` at start-up puts jobs left `printing` back to `pending`.

DUPLICATE after a crash or a failure (decided here, tested in tests/unit/test_print_queue.py):
- a reprint job (`duplicate=True`) always prints DUPLICATE, and so does any job of a receipt another of
  whose jobs has printed (or could have) by the time it starts;
- an original prints DUPLICATE on a later attempt only if its first copy COULD have come out, i.e.
  bytes were handed to the printer (`sending` was set) and the attempt did not end with the printer
  refusing the connection before anything was sent (`mark_failed(..., nothing_sent=True)`). A job
  found `printing` at start-up counts as "could have come out" only if it was already `sending`;
  killed while rendering, it prints as the original.
So a citizen never holds two originals, and never gets only a DUPLICATE when no paper came out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.ids import new_uuid
from app.db import Database
from app.errors import NotFoundError, ValidationError
from app.printing.config import MAX_COPIES
from app.printing.models import PrintJob

MAX_ERROR_CHARS = 500
UNPRINTED_SHOWN = 20


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintJobInfo:
    """A print job as plain data (crosses threads)."""

    id: int
    uuid: str
    receipt_uuid: str
    duplicate: bool  # a reprint, or another job of the same receipt had already printed when this one started
    copies: int
    printer_name: str | None
    status: JobStatus
    attempts: int
    last_error: str
    may_have_printed: bool
    created_at: datetime
    printed_at: datetime | None

    @property
    def print_as_duplicate(self) -> bool:
        """What the next attempt prints: DUPLICATE for a reprint or when a first copy could be out."""
        return self.duplicate or self.may_have_printed


@dataclass(frozen=True)
class QueueCounts:
    pending: int  # pending + printing
    failed: int
    last_error: str  # of the newest failed job ("" if none)
    printer_name: str = ""  # the counter's default printer ("" when none is set up), filled by the caller
    receipt_nos: tuple[str, ...] = ()  # the unprinted receipts, oldest first (at most UNPRINTED_SHOWN)

    @property
    def unprinted(self) -> int:
        return self.pending + self.failed


def _info(row: PrintJob) -> PrintJobInfo:
    return PrintJobInfo(
        id=row.id,
        uuid=row.uuid,
        receipt_uuid=row.receipt_uuid,
        duplicate=row.duplicate,
        copies=row.copies,
        printer_name=row.printer_name,
        status=JobStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        may_have_printed=row.may_have_printed,
        created_at=row.created_at,
        printed_at=row.printed_at,
    )


class PrintQueue:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # -- enqueue -----------------------------------------------------------------------------------

    def enqueue(
        self, receipt_uuid: str, duplicate: bool = False, copies: int = 1, printer_name: str | None = None
    ) -> PrintJobInfo:
        """Queue a saved receipt for printing (its own small transaction, after the receipt's commit).

        `duplicate`: a reprint (the caller recorded it with CollectionService.reprint; no new number).
        `copies`: how many copies of the receipt this job prints (each printer also has its own setting:
        the larger wins). `printer_name`: None prints on the counter's default printer."""
        if not 1 <= copies <= MAX_COPIES:
            raise ValidationError(f"copies must be 1–{MAX_COPIES}")
        now = self._clock.now_utc()
        with self._db.write() as session:
            from app.collections.models import Receipt

            if session.get(Receipt, receipt_uuid) is None:
                raise NotFoundError(f"no receipt with id {receipt_uuid}")
            row = PrintJob(
                uuid=new_uuid(),
                receipt_uuid=receipt_uuid,
                duplicate=duplicate,
                copies=copies,
                printer_name=printer_name,
                status=JobStatus.PENDING.value,
                attempts=0,
                last_error="",
                sending=False,
                may_have_printed=False,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            return _info(row)

    # -- the printer thread ------------------------------------------------------------------------

    def next_pending(self) -> PrintJobInfo | None:
        """The oldest pending job, without changing it."""
        with self._db.read() as session:
            row = session.scalars(
                select(PrintJob).where(PrintJob.status == JobStatus.PENDING.value).order_by(PrintJob.id).limit(1)
            ).first()
            return _info(row) if row is not None else None

    def claim_next(self) -> PrintJobInfo | None:
        """Take the oldest pending job: mark it `printing`, count the attempt. None when none is pending."""
        with self._db.write() as session:
            row = session.scalars(
                select(PrintJob).where(PrintJob.status == JobStatus.PENDING.value).order_by(PrintJob.id).limit(1)
            ).first()
            if row is None:
                return None
            return self._take(session, row)

    def claim(self, job_id: int, printer_name: str | None = None) -> PrintJobInfo:
        """Take one given job (pending or failed) for printing now (`nikay receipt print`), optionally
        on another printer."""
        with self._db.write() as session:
            row = self._row(session, job_id)
            if row.status not in (JobStatus.PENDING.value, JobStatus.FAILED.value):
                raise ValidationError(f"print job {job_id} is {row.status}; try again in a moment")
            if printer_name:
                row.printer_name = printer_name
            return self._take(session, row)

    def _take(self, session: Session, row: PrintJob) -> PrintJobInfo:
        """Mark a job `printing` and count the attempt. If another job of the same receipt already printed
        (or could have), this one prints DUPLICATE: a citizen never holds two originals."""
        others = session.scalar(
            select(func.count())
            .select_from(PrintJob)
            .where(
                PrintJob.receipt_uuid == row.receipt_uuid,
                PrintJob.id != row.id,
                (PrintJob.status == JobStatus.DONE.value) | PrintJob.may_have_printed | PrintJob.sending,
            )
        )
        if others:
            row.duplicate = True
        row.status = JobStatus.PRINTING.value
        row.attempts += 1
        row.sending = False
        row.updated_at = self._clock.now_utc()
        session.flush()
        return _info(row)

    def mark_sending(self, job_id: int) -> None:
        """Bytes are about to go to the printer: from now on a copy could come out."""
        with self._db.write() as session:
            row = self._row(session, job_id)
            row.sending = True
            row.updated_at = self._clock.now_utc()

    def mark_done(self, job_id: int) -> PrintJobInfo:
        now = self._clock.now_utc()
        with self._db.write() as session:
            row = self._row(session, job_id)
            row.status = JobStatus.DONE.value
            row.sending = False
            row.may_have_printed = True
            row.last_error = ""
            row.printed_at = now
            row.updated_at = now
            session.flush()
            return _info(row)

    def mark_failed(self, job_id: int, error: str, *, nothing_sent: bool = False) -> PrintJobInfo:
        """The attempt failed with `error` (shown to the clerk as is). `nothing_sent`: the printer refused
        before any byte went out (offline, no device), so no copy came out of this attempt."""
        with self._db.write() as session:
            row = self._row(session, job_id)
            if row.sending and not nothing_sent:
                row.may_have_printed = True
            row.status = JobStatus.FAILED.value
            row.sending = False
            row.last_error = error[:MAX_ERROR_CHARS]
            row.updated_at = self._clock.now_utc()
            session.flush()
            return _info(row)

    def retry(self, job_id: int) -> None:
        """Put one failed job back in the queue."""
        with self._db.write() as session:
            row = self._row(session, job_id)
            if row.status == JobStatus.FAILED.value:
                row.status = JobStatus.PENDING.value
                row.updated_at = self._clock.now_utc()

    def retry_failed(self) -> int:
        """Put every failed job back in the queue (the banner's Retry). Returns how many."""
        with self._db.write() as session:
            result = session.execute(
                update(PrintJob)
                .where(PrintJob.status == JobStatus.FAILED.value)
                .values(status=JobStatus.PENDING.value, updated_at=self._clock.now_utc())
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def recover(self) -> int:
        """At start-up: jobs left `printing` (the app was killed mid-print) go back to `pending`; those that
        were already `sending` will print DUPLICATE (the first copy could have come out). Returns how many."""
        now = self._clock.now_utc()
        with self._db.write() as session:
            rows = list(session.scalars(select(PrintJob).where(PrintJob.status == JobStatus.PRINTING.value)))
            for row in rows:
                if row.sending:
                    row.may_have_printed = True
                row.sending = False
                row.status = JobStatus.PENDING.value
                row.last_error = row.last_error or "The app stopped while this receipt was printing."
                row.updated_at = now
            return len(rows)

    # -- reading -----------------------------------------------------------------------------------

    def get(self, job_id: int) -> PrintJobInfo:
        with self._db.read() as session:
            return _info(self._row(session, job_id))

    def jobs_for(self, receipt_uuid: str) -> list[PrintJobInfo]:
        with self._db.read() as session:
            rows = session.scalars(select(PrintJob).where(PrintJob.receipt_uuid == receipt_uuid).order_by(PrintJob.id))
            return [_info(row) for row in rows]

    def unprinted(self, limit: int = 200) -> list[PrintJobInfo]:
        """Jobs not printed yet (pending, printing, failed), oldest first: the visible queue."""
        with self._db.read() as session:
            rows = session.scalars(
                select(PrintJob).where(PrintJob.status != JobStatus.DONE.value).order_by(PrintJob.id).limit(limit)
            )
            return [_info(row) for row in rows]

    def counts(self) -> QueueCounts:
        with self._db.read() as session:
            by_status = dict(
                session.execute(
                    select(PrintJob.status, func.count())
                    .where(PrintJob.status != JobStatus.DONE.value)
                    .group_by(PrintJob.status)
                ).all()
            )
            last_error = session.scalars(
                select(PrintJob.last_error)
                .where(PrintJob.status == JobStatus.FAILED.value)
                .order_by(PrintJob.updated_at.desc(), PrintJob.id.desc())
                .limit(1)
            ).first()
            from app.collections.models import Receipt

            numbers = session.scalars(
                select(Receipt.receipt_no)
                .join(PrintJob, PrintJob.receipt_uuid == Receipt.uuid)
                .where(PrintJob.status != JobStatus.DONE.value)
                .order_by(PrintJob.id)
                .limit(UNPRINTED_SHOWN)
            ).all()
        return QueueCounts(
            receipt_nos=tuple(numbers),
            pending=int(by_status.get(JobStatus.PENDING.value, 0)) + int(by_status.get(JobStatus.PRINTING.value, 0)),
            failed=int(by_status.get(JobStatus.FAILED.value, 0)),
            last_error=last_error or "",
        )

    @staticmethod
    def _row(session: Session, job_id: int) -> PrintJob:
        row = session.get(PrintJob, job_id)
        if row is None:
            raise NotFoundError(f"no print job {job_id}")
        return row
