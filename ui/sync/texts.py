"""What a person reads about sync, in English and Hindi: plain functions of a SyncStatus and "now".

Kept out of the widgets so the tests (and the headless demo) can check every state's text directly.
Translation context: "SyncTexts" (resources/translations/sync_hi.ts).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from sync.status import CLOCK_WARN_S, SyncState, SyncStatus
from ui.common.format import moment

CONTEXT = "SyncTexts"


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, None, n)


def duration(seconds: float) -> str:
    """A short, human duration: "40 s", "3 min", "3 h 12 min", "2 days"."""
    total = max(0, round(seconds))
    if total < 60:
        return _tr("{n} s").format(n=total)
    minutes = total // 60
    if minutes < 60:
        return _tr("{n} min").format(n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        if minutes == 0:
            return _tr("{h} h").format(h=hours)
        return _tr("{h} h {m} min").format(h=hours, m=minutes)
    return _tr("%n day(s)", hours // 24)


def coarse_duration(seconds: float) -> str:
    """Like duration() but to the hour past an hour, to the day past two ("3 h", "4 days"): for ages."""
    total = max(0, round(seconds))
    if total < 3600:
        return duration(total)
    hours = total // 3600
    if hours < 48:
        return _tr("{h} h").format(h=hours)
    return _tr("%n day(s)", hours // 24)


def ago(when: datetime, now: datetime) -> str:
    """ "just now", "2 min ago", "3 h ago"; older than a day: the IST date and time (DD-MM-YYYY HH:MM)."""
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return _tr("just now")
    if seconds < 24 * 3600:
        return _tr("{duration} ago").format(duration=duration(seconds))
    return _tr("on {datetime}").format(datetime=moment(when))


def _retry_in(status: SyncStatus, now: datetime) -> str:
    if status.next_attempt_at is None:
        return _tr("retrying soon")
    seconds = (status.next_attempt_at - now).total_seconds()
    if seconds <= 1:
        return _tr("retrying now")
    return _tr("retrying in {duration}").format(duration=duration(seconds))


def state_text(status: SyncStatus, now: datetime) -> str:
    """The status bar's sync state: "Synced 2 min ago", "Offline — retrying in 40 s", ..."""
    state = status.state
    if state is SyncState.NOT_ENROLLED:
        return _tr("Not connected to the central")
    if state is SyncState.SYNCING:
        return _tr("Syncing…")
    if state is SyncState.REVOKED:
        return _tr("Device revoked by the central: sync stopped")
    if state is SyncState.OFFLINE:
        return _tr("Offline — {retry}").format(retry=_retry_in(status, now))
    if state is SyncState.ERROR:
        error = status.last_error.strip() or _tr("the central refused the request")
        return _tr("Sync error: {error} — {retry}").format(error=shorten(error, 32), retry=_retry_in(status, now))
    # IDLE
    if status.last_success_at is None:
        return _tr("Waiting for the first sync")
    return _tr("Synced {ago}").format(ago=ago(status.last_success_at, now))


def state_tooltip(status: SyncStatus) -> str:
    """Details for the tooltip: the central, the last success and attempt, the full error."""
    lines: list[str] = []
    if status.central_url:
        lines.append(_tr("Central: {url}").format(url=status.central_url))
    if status.device_no is not None:
        lines.append(_tr("Device number: {no}").format(no=status.device_no))
    if status.last_success_at is not None:
        lines.append(_tr("Last complete sync: {when}").format(when=moment(status.last_success_at)))
    else:
        lines.append(_tr("Last complete sync: never"))
    if status.last_attempt_at is not None:
        lines.append(_tr("Last attempt: {when}").format(when=moment(status.last_attempt_at)))
    if status.last_error:
        lines.append(_tr("Last error: {error}").format(error=status.last_error))
    if status.state is SyncState.REVOKED:
        lines.append(_tr("Receipts are still saved on this PC. Ask the supervisor to enrol the device again."))
    if status.quarantined_ops:
        lines.append(_tr("%n operation(s) the central could not read: call support", status.quarantined_ops))
    if status.skipped_changes:
        lines.append(
            _tr("%n change(s) from the central could not be applied on this PC: call support", status.skipped_changes)
        )
    if status.ledger_mismatches:
        lines.append(
            _tr("%n day(s) whose totals differ from the central's: being sent again", status.ledger_mismatches)
        )
    return "\n".join(lines)


def pending_text(status: SyncStatus, now: datetime) -> str:
    """The status bar's short form: "12 not sent yet · oldest 3 h", or "All on the central"."""
    if status.state is SyncState.NOT_ENROLLED:
        return _tr("%n saved on this PC only", status.pending_ops) if status.pending_ops else ""
    if status.pending_ops <= 0:
        return _tr("All on the central")
    head = _tr("%n not sent yet", status.pending_ops)
    if status.oldest_pending_at is None:
        return head
    age = coarse_duration((now - status.oldest_pending_at).total_seconds())
    return _tr("{pending} · oldest {age}").format(pending=head, age=age)


def pending_tooltip(status: SyncStatus, now: datetime) -> str:
    """The long form, e.g. "12 operation(s) not yet on the central (9 of them receipts or counter
    sessions); the oldest was saved 3 h 12 min ago."."""
    if status.pending_ops <= 0:
        return ""
    text = _tr("%n operation(s) not yet on the central", status.pending_ops)
    if status.pending_money_ops:
        text += " " + _tr("(%n of them receipts or counter sessions)", status.pending_money_ops)
    if status.oldest_pending_at is not None:
        age = duration((now - status.oldest_pending_at).total_seconds())
        text += "; " + _tr("the oldest was saved {age} ago").format(age=age)
    return text + "."


def conflicts_text(count: int) -> str:
    return _tr("%n conflict(s)", count) if count > 0 else ""


def clock_warning(status: SyncStatus) -> str:
    """The banner text when this PC's clock is off by more than CLOCK_WARN_S, else ""."""
    offset = status.clock_offset_s
    if offset is None or abs(offset) <= CLOCK_WARN_S:
        return ""
    # offset = central time - PC time: positive means the PC is behind.
    skew = duration(abs(offset))
    if offset > 0:
        text = _tr("This PC's clock is {skew} behind the central's.")
    else:
        text = _tr("This PC's clock is {skew} ahead of the central's.")
    return " ".join(
        (
            text.format(skew=skew),
            _tr("Receipts will carry the PC's time."),
            _tr("Ask the supervisor to correct the clock."),
        )
    )


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
