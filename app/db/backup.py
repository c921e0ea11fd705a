"""Online backups of the device database and restoring one.

Backup (`BackupService.backup`), safe while the counter keeps writing:
- the SQLite online-backup API (`source.backup(dest)`) copies the database in one step from a
  consistent read snapshot; in WAL mode writers carry on meanwhile (they are never blocked);
- the copy is written to a hidden temporary name (`.nikay-….sqlite3.partial`), switched to a
  self-contained rollback-journal file (no -wal beside it), checked with `PRAGMA integrity_check`,
  fsynced, and only then renamed to its final name (and the folder fsynced). A crash or a full disk
  therefore never leaves a half backup that looks complete; stale `.partial` files are removed later.
- Names: `nikay-YYYYMMDD-HHMMSS-<kind>.sqlite3`, time in IST, kind `manual`, `timer` or `dayend`.

Rotation (after every backup into the backup folder; never in a folder given with `to_dir`):
- keep the newest `keep` backups (default 14) of any kind, and
- keep, for each of the last `keep_day_end_days` days (default 30, IST dates), the newest `dayend`
  backup of that day;
- delete every other `nikay-*.sqlite3` backup in the folder. Other files are never touched.

Restore (`restore_backup`, `BackupService.restore`, `nikay restore FILE`) must run while Nikay is
closed on that data folder. It:
1. copies the chosen file into the data folder under a temporary name and checks the copy:
   SQLite, `PRAGMA integrity_check` = ok, the Nikay tables and an `alembic_version` this program
   knows. Anything else is refused (RestoreRefused) and nothing is replaced;
2. checks the current database is not in use — it switches it out of WAL mode, which SQLite only
   allows when no other connection is open (this also folds a crashed session's -wal into the file);
   if another process has it open, the restore is refused;
3. keeps the current database aside as `nikay.sqlite3.before-restore-YYYYMMDD-HHMMSS` (IST), then
   renames the checked copy into place. The next start migrates it to the current schema.
After a restore the device holds what the backup held: receipts issued after the backup are only on
the central server. The device must sync before it collects again (see the sync issue).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from app.audit.service import AuditLog
from app.core.clock import IST, Clock, business_date
from app.db.engine import DB_FILE_NAME, Database
from app.errors import NikayError

DEFAULT_KEEP = 14
DEFAULT_KEEP_DAY_END_DAYS = 30
BACKUP_DIR_NAME = "backups"
REQUIRED_TABLES = frozenset({"alembic_version", "app_user", "audit_log", "property", "receipt", "demand"})
_STALE_PARTIAL_SECONDS = 3600
_STAMP = "%Y%m%d-%H%M%S"
_NAME_RE = re.compile(r"^nikay-(\d{8}-\d{6})-(manual|timer|dayend)(?:-(\d+))?\.sqlite3$")
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupKind(StrEnum):
    MANUAL = "manual"
    TIMER = "timer"
    DAY_END = "dayend"


class BackupError(NikayError):
    """A backup could not be made; nothing that looks like a backup was left behind."""


class RestoreRefused(NikayError):
    """A restore was refused; the current database is untouched."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # UTC, aware (from the IST time in the name, to the second)
    kind: BackupKind
    size_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    database_path: Path
    set_aside: Path | None  # where the replaced database was kept; None if there was none
    schema_revision: str  # the backup's schema; migrated to the current one at the next start


def default_backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR_NAME


def _stamp(moment: datetime) -> str:
    return moment.astimezone(IST).strftime(_STAMP)


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME_RE.match(path.name)
    if match is None or not path.is_file():
        return None
    created = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=IST)
    return BackupInfo(
        path=path, created_at=created.astimezone(UTC), kind=BackupKind(match.group(2)), size_bytes=path.stat().st_size
    )


def _sort_key(info: BackupInfo) -> tuple[datetime, int]:
    match = _NAME_RE.match(info.path.name)
    seq = int(match.group(3)) if match and match.group(3) else 1
    return (info.created_at, seq)


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """The backups in `backup_dir`, newest first. Temporary (.partial) files are not backups."""
    if not backup_dir.is_dir():
        return []
    found = (_parse(p) for p in backup_dir.iterdir())
    return sorted((b for b in found if b is not None), key=_sort_key, reverse=True)


def backups_to_delete(
    backups: Iterable[BackupInfo], now: datetime, keep: int, keep_day_end_days: int
) -> list[BackupInfo]:
    """The rotation rule (see the module docstring), as a pure function of the list."""
    ordered = sorted(backups, key=_sort_key, reverse=True)
    kept = {b.path for b in ordered[: max(keep, 0)]}
    oldest_day = business_date(now) - timedelta(days=keep_day_end_days - 1)
    days_seen: set[object] = set()
    for backup in ordered:
        day = business_date(backup.created_at)
        if backup.kind is BackupKind.DAY_END and day >= oldest_day and day not in days_seen:
            days_seen.add(day)
            kept.add(backup.path)
    return [b for b in ordered if b.path not in kept]


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory; NTFS journals the rename itself
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class BackupService:
    def __init__(
        self,
        db: Database,
        backup_dir: Path,
        clock: Clock,
        keep: int = DEFAULT_KEEP,
        keep_day_end_days: int = DEFAULT_KEEP_DAY_END_DAYS,
        audit: AuditLog | None = None,
    ) -> None:
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self._db = db
        self.backup_dir = backup_dir
        self._clock = clock
        self._keep = keep
        self._keep_day_end_days = keep_day_end_days
        self._audit = audit
        self._lock = threading.Lock()

    def backup(self, kind: BackupKind = BackupKind.MANUAL, to_dir: Path | None = None) -> BackupInfo:
        """Make a checked backup now (safe while others write). Rotates the backup folder afterwards
        unless `to_dir` (e.g. a USB drive) was given. Raises BackupError with a clear message."""
        target_dir = to_dir if to_dir is not None else self.backup_dir
        with self._lock:
            try:
                target_dir.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise BackupError(f"Cannot create the backup folder {target_dir}: {error.strerror or error}") from None
            self._remove_stale_partials(target_dir)
            final = self._free_name(target_dir, self._clock.now_utc(), kind)
            partial = target_dir / f".{final.name}.partial"
            try:
                self._copy_checked(partial)
                _fsync_file(partial)
                os.replace(partial, final)
                _fsync_dir(target_dir)
            except BackupError:
                _remove_with_side_files(partial)
                raise
            except (OSError, sqlite3.Error) as error:
                _remove_with_side_files(partial)
                raise BackupError(
                    f"The backup to {target_dir} failed ({error}); no backup was written. "
                    "Check that the drive is present, writable and not full."
                ) from None
            info = _parse(final)
            assert info is not None
            if to_dir is None:
                self.rotate()
            return info

    def list_backups(self) -> list[BackupInfo]:
        return list_backups(self.backup_dir)

    def rotate(self) -> list[Path]:
        """Apply the rotation rule to the backup folder; returns the files deleted."""
        doomed = backups_to_delete(self.list_backups(), self._clock.now_utc(), self._keep, self._keep_day_end_days)
        for backup in doomed:
            backup.path.unlink(missing_ok=True)
        return [b.path for b in doomed]

    def restore(
        self, backup_file: Path, target_data_dir: Path | None = None, *, accept_receipt_loss: bool = False
    ) -> RestoreResult:
        """Restore into `target_data_dir` (default: this database's folder). Closes this service's own
        connections first; every other Nikay process on that folder must be closed."""
        target = target_data_dir if target_data_dir is not None else self._db.path.parent
        if (target / DB_FILE_NAME).resolve() == self._db.path.resolve():
            self._db.dispose()
        return restore_backup(backup_file, target, self._clock, self._audit, accept_receipt_loss=accept_receipt_loss)

    # ---- internals ---------------------------------------------------------------------------

    def _copy_checked(self, partial: Path) -> None:
        source = self._db.raw_connection()
        try:
            dest = sqlite3.connect(partial, isolation_level=None)
            try:
                # pages=-1: the whole database in one step, from one consistent snapshot.
                source.backup(dest, pages=-1)
                dest.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
                problems = [row[0] for row in dest.execute("PRAGMA integrity_check").fetchall()]
            finally:
                dest.close()
        finally:
            source.close()
        if problems != ["ok"]:
            raise BackupError(f"The backup copy failed its integrity check ({problems[0]}); no backup was written.")

    def _free_name(self, directory: Path, now: datetime, kind: BackupKind) -> Path:
        base = f"nikay-{_stamp(now)}-{kind.value}"
        candidate = directory / f"{base}.sqlite3"
        n = 2
        while candidate.exists() or (directory / f".{candidate.name}.partial").exists():
            candidate = directory / f"{base}-{n}.sqlite3"
            n += 1
        return candidate

    @staticmethod
    def _remove_stale_partials(directory: Path) -> None:
        cutoff = time.time() - _STALE_PARTIAL_SECONDS
        for path in directory.glob(".nikay-*.partial*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue


# ---- restore -------------------------------------------------------------------------------------


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from app.db.migrate import MIGRATIONS_DIR

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def check_nikay_database(path: Path) -> str:
    """Check a database file (read-write: use a copy) and return its schema revision, or raise
    RestoreRefused saying what is wrong with it. Leaves it self-contained (no -wal)."""
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as error:
        raise RestoreRefused(f"{path.name} cannot be opened as a database ({error}).") from None
    try:
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as error:
            raise RestoreRefused(f"is damaged or not a SQLite database ({error})") from None
        if problems != ["ok"]:
            raise RestoreRefused(f"fails the integrity check ({problems[0]})")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = sorted(REQUIRED_TABLES - tables)
        if missing:
            raise RestoreRefused(f"is not a Nikay database (missing tables: {', '.join(missing)})")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None:
            raise RestoreRefused("is not a Nikay database (no schema version)")
        revision = str(row[0])
        if revision not in _known_revisions():
            raise RestoreRefused(f"was made by a newer version of Nikay (schema {revision}); update Nikay first")
        connection.execute("PRAGMA journal_mode=DELETE")
        return revision
    finally:
        connection.close()


def _set_current_aside(db_path: Path, stamp: str) -> Path | None:
    """Move the current database (and any side files) aside; refuse if another process has it open."""
    if db_path.exists():
        try:
            connection = sqlite3.connect(db_path, timeout=0, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=DELETE")  # only possible when nobody else has it open
            finally:
                connection.close()
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise RestoreRefused(
                    f"The database {db_path} is in use: close every Nikay window and command using this data "
                    "folder, then restore again. Nothing was changed."
                ) from None
            # Otherwise the current file is itself damaged — exactly when one restores. Set it aside as is.
        except sqlite3.DatabaseError:
            pass
    aside = Path(f"{db_path}.before-restore-{stamp}")
    n = 2
    while aside.exists():
        aside = Path(f"{db_path}.before-restore-{stamp}-{n}")
        n += 1
    moved = False
    for suffix in ("", *_SIDE_FILES):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{aside}{suffix}"))
            moved = moved or suffix == ""
    return aside if moved else None


def _series_heads(path: Path) -> dict[str, int] | None:
    """last_seq per receipt series of the database at `path`, read-only; None if it cannot be read."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return {key: int(seq) for key, seq in connection.execute("SELECT series_key, last_seq FROM receipt_series")}
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def receipts_the_backup_lacks(backup_file: Path, current_db: Path) -> list[str]:
    """Receipt ranges the current database has issued that the backup does not have.

    Restoring would lose those receipts and, worse, hand their numbers out again to new receipts
    while the printed ones are in citizens' hands. Empty when the current database is unreadable
    (a corrupt database is the usual reason to restore) or has nothing the backup lacks."""
    current = _series_heads(current_db) if current_db.exists() else None
    backup = _series_heads(backup_file)
    if not current or backup is None:
        return []
    lacking = []
    for key, last in sorted(current.items()):
        have = backup.get(key, 0)
        if last > have:
            lacking.append(f"{key}/{have + 1:06d}..{last:06d}" if last > have + 1 else f"{key}/{last:06d}")
    return lacking


def restore_backup(
    backup_file: Path,
    target_data_dir: Path,
    clock: Clock,
    audit: AuditLog | None = None,
    *,
    accept_receipt_loss: bool = False,
) -> RestoreResult:
    """Replace the database in `target_data_dir` with `backup_file` (see the module docstring).
    Nikay must be closed on that folder. Raises RestoreRefused; then nothing was replaced."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise RestoreRefused(f"{backup_file} does not exist or is not a file.")
    for suffix in ("-wal", "-journal"):
        if Path(f"{backup_file}{suffix}").exists():
            raise RestoreRefused(
                f"{backup_file.name} has a {suffix} file beside it: it is a database in use or left by a crash, "
                "not a backup. Use a file made by `nikay backup`."
            )
    target_data_dir.mkdir(parents=True, exist_ok=True)
    db_path = target_data_dir / DB_FILE_NAME
    if db_path.exists() and backup_file.resolve() == db_path.resolve():
        raise RestoreRefused(f"{backup_file} is the current database itself, not a backup.")

    stamp = _stamp(clock.now_utc())
    staging = target_data_dir / f".{DB_FILE_NAME}.restoring-{stamp}"
    try:
        try:
            shutil.copyfile(backup_file, staging)
        except OSError as error:
            raise RestoreRefused(f"Cannot copy {backup_file} into {target_data_dir}: {error}") from None
        try:
            revision = check_nikay_database(staging)
        except RestoreRefused as refusal:
            raise RestoreRefused(f"{backup_file.name} {refusal}. Nothing was restored.") from None
        lacking = receipts_the_backup_lacks(staging, db_path)
        if lacking and not accept_receipt_loss:
            raise RestoreRefused(
                f"{backup_file.name} is older than receipts this device has issued ({', '.join(lacking)}): "
                "restoring would lose them and reuse their numbers. Use a newer backup; only if those "
                "receipts are safely elsewhere (synced to the central), restore with --accept-receipt-loss. "
                "Nothing was restored."
            )
        _fsync_file(staging)
        set_aside = _set_current_aside(db_path, stamp)
        os.replace(staging, db_path)
        _fsync_dir(target_data_dir)
    finally:
        _remove_with_side_files(staging)

    if audit is not None:
        from app.db.engine import open_database

        restored = open_database(target_data_dir)
        try:
            with restored.write() as session:
                audit.record(
                    session,
                    None,
                    "db.restored",
                    "database",
                    DB_FILE_NAME,
                    None,
                    {
                        "from": str(backup_file),
                        "set_aside": str(set_aside) if set_aside else None,
                        "schema_revision": revision,
                    },
                )
        finally:
            restored.dispose()
    return RestoreResult(
        restored_from=backup_file, database_path=db_path, set_aside=set_aside, schema_revision=revision
    )
