"""Backups and restore on real SQLite files: what the office gets back after a bad day."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.service import AuditLog
from app.core.clock import FixedClock
from app.db import Database, open_database
from app.db.backup import (
    BackupError,
    BackupInfo,
    BackupKind,
    BackupService,
    RestoreRefused,
    backups_to_delete,
    list_backups,
    restore_backup,
)
from app.db.engine import DB_FILE_NAME

DEVICE = 2


def _write_marks(db: Database, audit: AuditLog, label: str, pairs: int = 1) -> None:
    """One unit of work writing two audit rows per pair (so a torn copy would show an odd count)."""
    with db.write() as session:
        for i in range(pairs):
            audit.record(session, None, "test.mark", "test", f"{label}-{i}-a")
            audit.record(session, None, "test.mark", "test", f"{label}-{i}-b")


def _marks(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT entity_id FROM audit_log WHERE action = 'test.mark'")}
    finally:
        connection.close()


def _count_and_chain(data_dir: Path, audit: AuditLog) -> tuple[int, bool]:
    database = open_database(data_dir)
    try:
        with database.read() as session:
            count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
            return count, audit.verify(session).ok
    finally:
        database.dispose()


@pytest.fixture
def audit(clock: FixedClock) -> AuditLog:
    return AuditLog(clock, DEVICE)


@pytest.fixture
def backups(db: Database, data_dir: Path, clock: FixedClock) -> BackupService:
    return BackupService(db, data_dir / "backups", clock, keep=14)


def test_backup_is_a_complete_checked_file_with_a_dated_name(
    backups: BackupService, db: Database, audit: AuditLog, data_dir: Path
) -> None:
    _write_marks(db, audit, "before")
    info = backups.backup(BackupKind.DAY_END)
    # 15-06-2026 11:00 IST, named in IST
    assert info.path.name == "nikay-20260615-110000-dayend.sqlite3"
    assert info.kind is BackupKind.DAY_END
    assert info.created_at == datetime(2026, 6, 15, 5, 30, tzinfo=UTC)
    assert info.size_bytes == info.path.stat().st_size > 0
    assert _marks(info.path) == {"before-0-a", "before-0-b"}
    # a self-contained file: no -wal beside it, no temporary file left behind
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name]
    connection = sqlite3.connect(info.path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    assert [b.path for b in backups.list_backups()] == [info.path]


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(backups: BackupService) -> None:
    first = backups.backup()
    second = backups.backup()
    assert first.path != second.path
    assert [b.path for b in backups.list_backups()] == [second.path, first.path]


def test_backup_while_another_connection_writes_is_consistent_and_restorable(
    backups: BackupService, db: Database, audit: AuditLog, tmp_path: Path
) -> None:
    _write_marks(db, audit, "before", pairs=50)
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set():
                _write_marks(db, audit, f"w{n}")
                n += 1
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        written.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        taken = []
        for _ in range(5):
            taken.append(backups.backup(BackupKind.TIMER))
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors
    assert written and written[0] > 0

    sizes = []
    for info in taken:
        marks = _marks(info.path)
        # never half a unit of work: every pair is there whole or not at all
        assert all(m.replace("-a", "-b") in marks for m in marks if m.endswith("-a"))
        assert len(marks) % 2 == 0
        assert {f"before-{i}-{s}" for i in range(50) for s in "ab"} <= marks
        sizes.append(len(marks))
    assert sizes == sorted(sizes)  # later backups hold at least as much
    assert sizes[-1] > sizes[0]  # the writer really was writing while the backups ran

    target = tmp_path / "restored-device"
    result = restore_backup(taken[-1].path, target, FixedClock(datetime(2026, 6, 16, tzinfo=UTC)))
    assert result.set_aside is None  # an empty folder: nothing to keep aside
    count, chain_ok = _count_and_chain(target, audit)
    assert count == sizes[-1]
    assert chain_ok


def test_restore_brings_back_the_backup_and_keeps_the_current_database_aside(
    backups: BackupService, db: Database, audit: AuditLog, data_dir: Path, clock: FixedClock
) -> None:
    _write_marks(db, audit, "before-backup")
    info = backups.backup()
    _write_marks(db, audit, "after-backup")
    db.dispose()  # the app is closed

    clock.current += timedelta(hours=2)
    result = restore_backup(info.path, data_dir, clock, audit)

    assert result.database_path == data_dir / DB_FILE_NAME
    assert result.set_aside == data_dir / "nikay.sqlite3.before-restore-20260615-130000"
    restored = _marks(result.database_path)
    assert {"before-backup-0-a", "before-backup-0-b"} <= restored
    assert not any(m.startswith("after-backup") for m in restored)
    # nothing is lost: the replaced database, with the later data, is kept aside
    assert {"after-backup-0-a", "after-backup-0-b"} <= _marks(result.set_aside)
    assert not (data_dir / "nikay.sqlite3-wal").exists()
    assert not list(data_dir.glob(".*restoring*"))

    reopened = open_database(data_dir)
    try:
        with reopened.read() as session:
            last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
            assert last.action == "db.restored"
            assert audit.verify(session).ok
    finally:
        reopened.dispose()


def test_restore_through_the_service_closes_its_own_connections(
    backups: BackupService, db: Database, audit: AuditLog
) -> None:
    _write_marks(db, audit, "kept")
    info = backups.backup()
    _write_marks(db, audit, "dropped")
    result = backups.restore(info.path)
    assert result.set_aside is not None
    marks = _marks(result.database_path)
    assert "kept-0-a" in marks and "dropped-0-a" not in marks


def _fingerprint(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file()}


@pytest.mark.parametrize("kind", ["garbage", "truncated", "corrupt", "foreign", "newer"])
def test_a_bad_or_foreign_file_is_refused_and_nothing_is_replaced(
    kind: str, backups: BackupService, db: Database, audit: AuditLog, data_dir: Path, tmp_path: Path, clock: FixedClock
) -> None:
    _write_marks(db, audit, "precious")
    good = backups.backup()
    db.dispose()
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "garbage":
        bad.write_bytes(b"this is not a database\n" * 200)
    elif kind == "truncated":
        bad.write_bytes(good.path.read_bytes()[: good.size_bytes // 2])
    elif kind == "corrupt":
        data = bytearray(good.path.read_bytes())
        page = 4096
        for offset in range(page, len(data), page):  # every b-tree page header but the first page's
            data[offset : offset + 8] = b"\xff" * 8
        bad.write_bytes(bytes(data))
    elif kind == "foreign":
        other = sqlite3.connect(bad)
        other.execute("CREATE TABLE notes (body TEXT)")
        other.commit()
        other.close()
    else:
        bad.write_bytes(good.path.read_bytes())
        newer = sqlite3.connect(bad)
        newer.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
        newer.commit()
        newer.close()

    before = _fingerprint(data_dir)
    with pytest.raises(RestoreRefused, match="Nothing was restored") as refused:
        restore_backup(bad, data_dir, clock, audit)
    expected = {
        "garbage": "damaged or not a SQLite database",
        "truncated": "damaged",
        "corrupt": "damaged",
        "foreign": "not a Nikay database",
        "newer": "newer version of Nikay",
    }[kind]
    assert expected in str(refused.value)
    assert _fingerprint(data_dir) == before  # not a byte changed, nothing set aside, no temp left
    assert "precious-0-a" in _marks(data_dir / DB_FILE_NAME)


def test_restore_is_refused_while_the_database_is_open(
    backups: BackupService, db: Database, audit: AuditLog, data_dir: Path, clock: FixedClock
) -> None:
    _write_marks(db, audit, "old")
    info = backups.backup()
    _write_marks(db, audit, "live")
    with db.engine.connect(), pytest.raises(RestoreRefused, match="in use"):  # the app still runs here
        restore_backup(info.path, data_dir, clock)
    assert "live-0-a" in _marks(data_dir / DB_FILE_NAME)
    assert not list(data_dir.glob("*before-restore*"))
    assert not list(data_dir.glob(".*restoring*"))


def test_a_missing_file_is_refused(data_dir: Path, clock: FixedClock) -> None:
    with pytest.raises(RestoreRefused, match="does not exist"):
        restore_backup(data_dir / "nope.sqlite3", data_dir, clock)


def test_restore_folds_in_a_crashed_sessions_wal_before_keeping_it_aside(
    backups: BackupService, db: Database, audit: AuditLog, data_dir: Path, tmp_path: Path, clock: FixedClock
) -> None:
    info = backups.backup()
    _write_marks(db, audit, "in-wal-only")
    # What a power cut leaves: the main file plus a -wal that still holds the last commits.
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    main_only = tmp_path / "main-only"
    main_only.mkdir()
    with db.engine.connect():  # an open connection keeps the -wal from being checkpointed away
        for suffix in ("", "-wal", "-shm"):
            name = f"{DB_FILE_NAME}{suffix}"
            (crashed / name).write_bytes((data_dir / name).read_bytes())
        (main_only / DB_FILE_NAME).write_bytes((data_dir / DB_FILE_NAME).read_bytes())
    try:  # those commits (here even the tables) live only in the -wal
        assert "in-wal-only-0-a" not in _marks(main_only / DB_FILE_NAME)
    except sqlite3.OperationalError as error:
        assert "no such table" in str(error)

    result = restore_backup(info.path, crashed, clock)
    assert result.set_aside is not None
    assert "in-wal-only-0-a" in _marks(result.set_aside)  # kept aside whole, not without its -wal
    assert not any(p.name.endswith(("-wal", "-shm")) for p in crashed.iterdir())


# ---- failures and rotation -------------------------------------------------------------------


def test_backup_to_an_unusable_folder_fails_clearly_and_leaves_nothing(backups: BackupService, tmp_path: Path) -> None:
    blocker = tmp_path / "usb"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(BackupError, match="Cannot create the backup folder"):
        backups.backup(to_dir=blocker / "nikay")
    assert backups.list_backups() == []


def test_backup_to_another_folder_is_not_rotated(backups: BackupService, tmp_path: Path, clock: FixedClock) -> None:
    usb = tmp_path / "usb"
    for _ in range(3):
        backups.backup(to_dir=usb)
        clock.current += timedelta(hours=1)
    small = BackupService(backups._db, backups.backup_dir, clock, keep=1)
    small.backup()
    assert len(list_backups(usb)) == 3


def test_leftover_partial_files_are_not_backups(backups: BackupService) -> None:
    backups.backup_dir.mkdir(parents=True)
    (backups.backup_dir / ".nikay-20260615-100000-timer.sqlite3.partial").write_bytes(b"half")
    (backups.backup_dir / "notes.txt").write_text("keep me")
    assert backups.list_backups() == []
    backups.backup()
    assert len(backups.list_backups()) == 1
    assert (backups.backup_dir / "notes.txt").exists()


def test_rotation_keeps_the_newest_n(db: Database, data_dir: Path, clock: FixedClock) -> None:
    service = BackupService(db, data_dir / "backups", clock, keep=3)
    made = []
    for _ in range(6):
        made.append(service.backup(BackupKind.TIMER).path)
        clock.current += timedelta(hours=1)
    assert [b.path for b in service.list_backups()] == made[::-1][:3]
    assert not any(p.exists() for p in made[:3])


def _info(when: datetime, kind: BackupKind) -> BackupInfo:
    return BackupInfo(
        path=Path(f"nikay-{when.strftime('%Y%m%d-%H%M%S')}-{kind.value}.sqlite3"),
        created_at=when,
        kind=kind,
        size_bytes=1,
    )


def test_rotation_also_keeps_one_day_end_backup_per_day_for_30_days() -> None:
    now = datetime(2026, 6, 30, 15, 0, tzinfo=UTC)  # 30-06-2026 20:30 IST
    backups = []
    for day in range(40):  # a day-end backup every evening (20:00 IST) ...
        evening = now - timedelta(days=day, minutes=30)
        backups.append(_info(evening, BackupKind.DAY_END))
        backups.append(_info(evening - timedelta(minutes=1), BackupKind.DAY_END))  # ... and a second one
        backups.append(_info(evening - timedelta(hours=3), BackupKind.TIMER))
    doomed = {b.path for b in backups_to_delete(backups, now, keep=4, keep_day_end_days=30)}
    kept = [b for b in backups if b.path not in doomed]

    newest_four = sorted(backups, key=lambda b: b.created_at, reverse=True)[:4]
    assert all(b in kept for b in newest_four)
    kept_day_ends = [b for b in kept if b.kind is BackupKind.DAY_END and b not in newest_four]
    days = {(b.created_at + timedelta(hours=5, minutes=30)).date() for b in kept_day_ends}
    assert len(days) == len(kept_day_ends)  # one per day
    assert min(days).isoformat() == "2026-06-01"  # 30 IST days back from 30-06-2026 (inclusive)
    # the newest four are 30-06's two day-ends and its timer backup, and 29-06's day-end; the day-end
    # rule adds one for each day from 01-06 to 28-06
    assert len(kept) == 4 + 28
    assert all(b.kind is BackupKind.DAY_END for b in kept if b not in newest_four)


def test_restore_refuses_a_backup_older_than_issued_receipts(data_dir: Path, clock: FixedClock) -> None:
    """Restoring would lose receipts printed since the backup and reuse their numbers: refused, named."""
    from app.audit.service import AuditLog as Audit
    from app.collections.service import CollectionService
    from app.demand.service import DuesService
    from app.masters.service import MastersService
    from app.masters.tariffs import load_tariff_book
    from app.outbox.service import Outbox
    from app.paths import RESOURCES_DIR
    from app.security.passwords import fast_hasher
    from app.security.service import UserService
    from tests.factories import add_property, cash, set_up_device

    db = set_up_device(data_dir, clock)
    device = MastersService(db).device()
    audit = Audit(clock, 1)
    collections = CollectionService(
        db,
        DuesService(db, load_tariff_book(RESOURCES_DIR / "tariffs"), clock, audit),
        device,
        audit,
        Outbox(clock),
        clock,
    )
    clerk = UserService(db, audit, clock, hasher=fast_hasher()).actor_for("clerk1", 1)
    collections.open_session(clerk, 0)
    uuid = add_property(db)
    collections.collect(clerk, cash(uuid, 10000))
    info = BackupService(db, data_dir / "backups", clock).backup()
    for _ in range(3):
        collections.collect(clerk, cash(uuid, 10000))
    db.dispose()

    with pytest.raises(RestoreRefused, match=r"DEMO/Z01/C01/2026-27/000002\.\.000004"):
        restore_backup(info.path, data_dir, clock)
    assert _series_last(data_dir / DB_FILE_NAME) == 4  # nothing was replaced
    restore_backup(info.path, data_dir, clock, accept_receipt_loss=True)
    assert _series_last(data_dir / DB_FILE_NAME) == 1


def _series_last(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT max(last_seq) FROM receipt_series").fetchone()[0])
    finally:
        connection.close()
