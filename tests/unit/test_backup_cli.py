"""`nikay backup`, `nikay backups list`, `nikay restore` as an operator runs them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.db import open_database
from app.db.engine import DB_FILE_NAME
from app.masters.seed import seed_demo_masters

runner = CliRunner()


def _run(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, ["--data-dir", str(data_dir), *args], input=stdin)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def _device(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        seed_demo_masters(db)
    finally:
        db.dispose()


def _ulb_codes(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT code FROM ulb")}
    finally:
        connection.close()


def test_backup_list_and_restore_round_trip(data_dir: Path) -> None:
    _device(data_dir)
    code, out = _run(data_dir, "backup")
    assert code == 0, out
    assert "Backup written" in out and "integrity check ok" in out

    code, out = _run(data_dir, "backups", "list")
    assert code == 0
    assert "1 backup(s)" in out and "manual" in out and " IST " in out
    backup_file = next((data_dir / "backups").glob("nikay-*.sqlite3"))

    # the register is lost after the backup ...
    connection = sqlite3.connect(data_dir / DB_FILE_NAME)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("DELETE FROM ulb")
    connection.commit()
    connection.close()
    assert _ulb_codes(data_dir / DB_FILE_NAME) == set()

    # ... asked first, refused without a yes
    code, out = _run(data_dir, "restore", str(backup_file), stdin="n\n")
    assert code == 1 and "Nothing restored" in out
    assert _ulb_codes(data_dir / DB_FILE_NAME) == set()

    code, out = _run(data_dir, "restore", str(backup_file), "--yes")
    assert code == 0, out
    assert "kept as" in out and "Sync this device" in out
    assert _ulb_codes(data_dir / DB_FILE_NAME) == {"DEMO"}
    assert list(data_dir.glob("nikay.sqlite3.before-restore-*"))


def test_backup_to_another_folder(data_dir: Path, tmp_path: Path) -> None:
    _device(data_dir)
    usb = tmp_path / "usb"
    code, out = _run(data_dir, "backup", "--to", str(usb), "--day-end")
    assert code == 0, out
    assert [p.name.endswith("-dayend.sqlite3") for p in usb.iterdir()] == [True]


def test_bad_input_exits_with_2_and_a_clear_message(data_dir: Path, tmp_path: Path) -> None:
    code, out = _run(tmp_path / "empty", "backup")
    assert code == 2 and "no Nikay database" in out

    _device(data_dir)
    code, out = _run(data_dir, "restore", str(tmp_path / "missing.sqlite3"), "--yes")
    assert code == 2 and "does not exist" in out

    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    before = (data_dir / DB_FILE_NAME).read_bytes()
    code, out = _run(data_dir, "restore", str(junk), "--yes")
    assert code == 2 and "Nothing was restored" in out
    assert (data_dir / DB_FILE_NAME).read_bytes() == before


def test_no_backups_yet(data_dir: Path) -> None:
    code, out = _run(data_dir, "backups", "list")
    assert code == 0 and "No backups" in out
