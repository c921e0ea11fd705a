"""What every screen is given: `UiContext`. Screens take `ctx: UiContext` and nothing else.

    ctx.services   app.composition.Services: every service (users, search, properties, dues, collections,
                   backups, device, ...). Call them ONLY inside ctx.ops.read/write functions, never on
                   the GUI thread.
    ctx.actor      app.security.roles.Actor: who is logged in (role, device); pass it to service calls.
    ctx.ops        ui.workers.Operations: `ops.read(fn, on_done, on_error)` / `ops.write(...)`.
    ctx.language   "en" or "hi": the current UI language (kept up to date by the shell on a switch).
    ctx.events     UiEvents: shell-wide signals (below).

Hooks a screen uses:
    ctx.refresh_status()     call after any operation that changes what the status bar shows (a receipt
                             collected or cancelled, a counter session opened or closed). The main window
                             re-reads today's count and total, the session, printer and sync status.
    ctx.events.status_changed        the signal behind refresh_status() (the main window listens).
    ctx.events.language_changed(str) emitted after a language switch ("en"/"hi"); widgets also get a
                             QEvent.LanguageChange in changeEvent() and should retranslate there.
    ctx.request_backup(kind)         ask the shell for an online backup: kind "dayend" (the day-end screen,
                             after closing the session), "timer" or "manual" (app.db.backup.BackupKind).
                             The shell runs services.backups.backup(kind) on the writer thread, after
                             any write already queued, and reports the result in the status bar.
    ctx.events.backup_requested(str) the signal behind request_backup().
    ctx.show_message(text, ms)       a transient message in the main window's status bar.

Printing (ui/printing/worker.py):
    ctx.enqueue_print(receipt_uuid, duplicate)  call right after a receipt was committed (collect) or a
                             reprint was recorded: saves a print job (its own small transaction, on the
                             writer thread) and then emits print_queued. Never prints on the GUI thread.
    ctx.events.print_queued(object)   a PrintJobInfo was saved; the shell's PrintWorker prints it.
    ctx.events.printer_status(object) QueueCounts after each print attempt (unprinted count, last error);
                             the main window shows the banner with Retry and the status-bar count.

Sync (ui/sync/):
    ctx.sync                 ui.sync.runner.SyncRunner, or None when this build/data folder has no sync
                             service. `ctx.sync.service` is the sync.service.SyncService (call it only in
                             ops.read/ops.write functions); `ctx.sync.sync_now()` wakes the background
                             worker (never blocks); `ctx.sync.status_changed(object)` delivers SyncStatus
                             on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ui.workers import Operations

if TYPE_CHECKING:
    from app.composition import Services
    from app.security.roles import Actor
    from ui.sync.runner import SyncRunner


class UiEvents(QObject):
    """Shell-wide signals. Lives on the GUI thread; emit only from the GUI thread (i.e. from callbacks)."""

    status_changed = Signal()
    language_changed = Signal(str)
    backup_requested = Signal(str)
    message = Signal(str, int)  # text, timeout in ms (0 = until replaced)
    # -- printing (ui/printing/worker.py) --
    print_queued = Signal(object)  # app.printing.queue.PrintJobInfo, after the job was saved
    printer_status = Signal(object)  # app.printing.queue.QueueCounts


@dataclass
class UiContext:
    services: Services
    actor: Actor
    ops: Operations
    language: str  # "en" or "hi"
    events: UiEvents = field(default_factory=UiEvents)
    sync: SyncRunner | None = None  # the background sync (ui/sync/runner.py); None without a sync service

    def refresh_status(self) -> None:
        """Tell the shell that today's figures / session / printer / sync state may have changed."""
        self.events.status_changed.emit()

    def request_backup(self, kind: str = "dayend") -> None:
        """Ask the shell for an online backup ("dayend", "timer", "manual"); it runs on the writer thread."""
        self.events.backup_requested.emit(kind)

    def show_message(self, text: str, timeout_ms: int = 5000) -> None:
        self.events.message.emit(text, timeout_ms)

    # -- printing ---------------------------------------------------------------------------------

    def enqueue_print(self, receipt_uuid: str, duplicate: bool = False) -> None:
        """Queue a saved receipt for printing (after its commit); the shell's PrintWorker prints it."""
        from ui.printing.worker import enqueue_receipt

        enqueue_receipt(self, receipt_uuid, duplicate=duplicate)
