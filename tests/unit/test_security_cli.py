"""`nikay users …` as an administrator runs them (real argon2 parameters, as in the field)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.db import open_database
from app.masters.seed import seed_demo_masters

runner = CliRunner()
_OTP = re.compile(r"shown only now\): (\S+)")


def _run(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, ["--data-dir", str(data_dir), *args], input=stdin)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def _device(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        seed_demo_masters(db)
    finally:
        db.dispose()


def test_first_admin_then_users_managed_from_the_command_line(data_dir: Path) -> None:
    _device(data_dir)
    code, out = _run(data_dir, "users", "init")
    assert code == 0, out
    match = _OTP.search(out)
    assert match
    one_time = match.group(1)
    code, out = _run(data_dir, "users", "init")
    assert code == 2 and "already exist" in out  # the password is never shown twice

    # the one-time password must be changed before the admin can manage users
    code, out = _run(
        data_dir, "users", "create", "clerk7", "--name", "Geeta Sahu", "--role", "clerk", stdin=f"{one_time}\n"
    )
    assert code == 2 and "one-time password" in out
    code, out = _run(data_dir, "users", "passwd", "admin", stdin=f"{one_time}\nNagar@2026\nNagar@2026\n")
    assert code == 0, out

    code, out = _run(
        data_dir,
        "users",
        "create",
        "clerk7",
        "--name",
        "Geeta Sahu",
        "--name-hi",
        "गीता साहू",
        "--role",
        "clerk",
        stdin="Nagar@2026\n",
    )
    assert code == 0, out
    assert _OTP.search(out)

    code, out = _run(data_dir, "users", "create", "clerk8", "--name", "X Y", "--role", "cashier", stdin="Nagar@2026\n")
    assert code == 2 and "not a role" in out

    code, out = _run(data_dir, "users", "reset-password", "clerk7", stdin="Wrong@000\n")
    assert code == 2 and "Wrong user name or password" in out

    code, out = _run(data_dir, "users", "list")
    assert code == 0
    assert re.search(r"clerk7\s+clerk\s+Geeta Sahu / गीता साहू\s+\[must change password\]", out)
    assert re.search(r"admin\s+admin\s+Administrator", out)


def test_users_on_a_device_not_set_up_get_a_clear_message(data_dir: Path) -> None:
    code, out = _run(data_dir, "users", "list")
    assert code == 2 and "not set up" in out
