"""Administration commands: backups, restore and users.

    nikay backup [--to DIR] [--day-end]      checked online backup (safe while the app runs)
    nikay backups list                       the backups in the data folder, newest first
    nikay restore FILE [--yes]               replace the database with a backup (Nikay must be closed)
    nikay users list                         the users of this device
    nikay users init                         first run: create `admin` with a one-time password
    nikay users create NAME --name … --role …   (as an admin; prints a one-time password)
    nikay users reset-password NAME          (as an admin; prints a one-time password)
    nikay users passwd NAME                  change one's own password

Commands acting for an administrator ask for the admin's password (or read NIKAY_PASSWORD) and
log in like the desktop would, with the same lockout. Exit code 2 = bad input or refused, 1 = the
environment failed (disk, folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from app.cli.context import fail, fail_on, state
from app.core.clock import SystemClock, format_datetime_ist
from app.errors import NikayError

if TYPE_CHECKING:
    from app.core.clock import Clock
    from app.db.engine import Database
    from app.security.roles import Actor
    from app.security.service import UserService


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} kB"


@dataclass
class _UserTools:
    """What the users commands need, built from the data folder alone (not the whole composition)."""

    db: Database
    clock: Clock
    device_no: int
    users: UserService


def _user_tools(ctx: typer.Context) -> _UserTools:
    from app.audit.service import AuditLog
    from app.db import open_database
    from app.masters.service import MastersService
    from app.security.service import UserService

    db = open_database(state(ctx).data_dir)
    try:
        device_no = MastersService(db).device().device_no
    except NikayError as error:
        db.dispose()
        fail_on(error)
    clock = SystemClock()
    return _UserTools(db, clock, device_no, UserService(db, AuditLog(clock, device_no), clock))


def _admin_login(tools: _UserTools, username: str, password: str) -> Actor:
    from app.security.roles import Permission

    try:
        result = tools.users.authenticate(username, password, tools.device_no)
    except NikayError as error:
        fail_on(error)
    if not result.actor.can(Permission.MANAGE_USERS):
        fail(f"{result.actor.username} is a {result.actor.role.value}; only an administrator manages users")
    if result.must_change_password:
        fail(f"{result.actor.username} still has a one-time password: run `nikay users passwd {username}` first")
    return result.actor


_AS_OPTION = typer.Option("admin", "--as", help="The administrator acting.")
_PASSWORD_OPTION = typer.Option(
    ..., prompt="Administrator's password", hide_input=True, envvar="NIKAY_PASSWORD", help="(prompted if not given)"
)


def register(cli: typer.Typer) -> None:
    backups_app = typer.Typer(help="Backups of this device's database.", no_args_is_help=True)
    users_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)

    # ---- backups -----------------------------------------------------------------------------

    @cli.command()
    def backup(
        ctx: typer.Context,
        to: str = typer.Option("", "--to", help="Write the backup into this folder (e.g. a USB drive) instead."),
        day_end: bool = typer.Option(False, "--day-end", help="Mark it as the day-end backup (kept 30 days)."),
    ) -> None:
        """Make a checked backup of this device's database now (safe while the app is running)."""
        from app.db import open_database
        from app.db.backup import BackupError, BackupKind, BackupService, default_backup_dir

        data_dir = state(ctx).data_dir
        if not (data_dir / "nikay.sqlite3").exists():
            fail(f"there is no Nikay database in {data_dir} to back up")
        to_dir = Path(to).expanduser() if to else None
        db = open_database(data_dir)
        try:
            service = BackupService(db, default_backup_dir(data_dir), SystemClock())
            info = service.backup(BackupKind.DAY_END if day_end else BackupKind.MANUAL, to_dir)
        except BackupError as error:
            fail(str(error), 1)
        finally:
            db.dispose()
        print(f"Backup written: {info.path} ({_size(info.size_bytes)}, integrity check ok)")

    @backups_app.command("list")
    def list_(ctx: typer.Context) -> None:
        """List the backups in the data folder, newest first."""
        from app.db.backup import default_backup_dir, list_backups

        folder = default_backup_dir(state(ctx).data_dir)
        found = list_backups(folder)
        if not found:
            print(f"No backups in {folder}.")
            return
        print(f"{len(found)} backup(s) in {folder}:")
        for info in found:
            when = format_datetime_ist(info.created_at)
            print(f"  {when} IST  {info.kind.value:<7} {_size(info.size_bytes):>9}  {info.path.name}")

    cli.add_typer(backups_app, name="backups")

    @cli.command()
    def restore(
        ctx: typer.Context,
        file: str = typer.Argument(..., help="The backup file to restore (from `nikay backups list`)."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
        accept_receipt_loss: bool = typer.Option(
            False,
            "--accept-receipt-loss",
            help="Restore even if the backup lacks receipts this device issued (only if they are synced).",
        ),
    ) -> None:
        """Replace this device's database with a backup. Close every Nikay window first.

        The backup is checked first; the current database is kept as nikay.sqlite3.before-restore-<time>."""
        from app.db.backup import RestoreRefused, restore_backup

        data_dir = state(ctx).data_dir
        backup_file = Path(file).expanduser()
        if not backup_file.is_file():
            fail(f"{backup_file} does not exist or is not a file")
        if not yes and not typer.confirm(
            f"Replace the database in {data_dir} with {backup_file.name}? The current one is kept aside.",
            default=False,
        ):
            print("Nothing restored.")
            raise typer.Exit(1)
        try:
            result = restore_backup(backup_file, data_dir, SystemClock(), accept_receipt_loss=accept_receipt_loss)
        except RestoreRefused as error:
            fail(str(error))
        print(f"Restored {backup_file} (schema {result.schema_revision}) into {result.database_path}.")
        if result.set_aside:
            print(f"The database that was there is kept as {result.set_aside}.")
        print("Sync this device with the central before collecting: receipts made after the backup are only there.")
        _audit_restore(data_dir, backup_file, result.set_aside)

    # ---- users -------------------------------------------------------------------------------

    @users_app.command("list")
    def users_list(ctx: typer.Context) -> None:
        """List the users of this device."""
        tools = _user_tools(ctx)
        now = tools.clock.now_utc()
        for user in tools.users.list_users():
            flags = [] if user.active else ["DISABLED"]
            if user.is_locked(now):
                assert user.locked_until is not None
                flags.append(f"locked until {format_datetime_ist(user.locked_until)} IST")
            if user.must_change_password:
                flags.append("must change password")
            names = user.full_name + (f" / {user.full_name_hi}" if user.full_name_hi else "")
            print(f"{user.username:<16} {user.role.value:<13} {names}{'  [' + '; '.join(flags) + ']' if flags else ''}")

    @users_app.command("init")
    def users_init(ctx: typer.Context) -> None:
        """First run: create the `admin` user with a one-time password (shown once)."""
        tools = _user_tools(ctx)
        password = tools.users.ensure_first_admin()
        if password is None:
            fail("users already exist; ask an administrator (`nikay users reset-password`)")
        print("Created the administrator `admin`.")
        print(f"One-time password (shown only now): {password}")
        print("It must be changed at the first login.")

    @users_app.command("create")
    def users_create(
        ctx: typer.Context,
        username: str = typer.Argument(..., help="Login name: 3-60 characters a-z 0-9 . _ -"),
        name: str = typer.Option(..., "--name", help="Full name in English."),
        role: str = typer.Option(..., "--role", help="clerk, supervisor, engineer, hr, accounts, commissioner, admin"),
        name_hi: str = typer.Option("", "--name-hi", help="Full name in Hindi (Devanagari)."),
        as_user: str = _AS_OPTION,
        password: str = _PASSWORD_OPTION,
    ) -> None:
        """Create a user with a one-time password (printed once; must be changed at first login)."""
        from app.security.passwords import generate_one_time_password

        tools = _user_tools(ctx)
        admin = _admin_login(tools, as_user, password)
        one_time = generate_one_time_password()
        try:
            info = tools.users.create_user(admin, username, name, role, one_time, full_name_hi=name_hi)
        except NikayError as error:
            fail_on(error)
        print(f"Created {info.username} ({info.role.value}): {info.full_name}")
        print(f"One-time password (shown only now): {one_time}")

    @users_app.command("reset-password")
    def users_reset_password(
        ctx: typer.Context,
        username: str = typer.Argument(..., help="Whose password to reset."),
        as_user: str = _AS_OPTION,
        password: str = _PASSWORD_OPTION,
    ) -> None:
        """Give a user a new one-time password (also lifts a lockout)."""
        tools = _user_tools(ctx)
        admin = _admin_login(tools, as_user, password)
        try:
            one_time = tools.users.reset_password(admin, username)
        except NikayError as error:
            fail_on(error)
        print(f"New one-time password for {username.strip().lower()} (shown only now): {one_time}")
        print("It must be changed at the next login.")

    @users_app.command("passwd")
    def users_passwd(
        ctx: typer.Context,
        username: str = typer.Argument(..., help="Your user name."),
        current: str = typer.Option(..., prompt="Current password", hide_input=True),
        new: str = typer.Option(..., prompt="New password", hide_input=True, confirmation_prompt=True),
    ) -> None:
        """Change your own password."""
        tools = _user_tools(ctx)
        try:
            actor = tools.users.authenticate(username, current, tools.device_no).actor
            tools.users.change_password(actor, current, new)
        except NikayError as error:
            fail_on(error)
        print(f"Password of {actor.username} changed.")

    cli.add_typer(users_app, name="users")


def _audit_restore(data_dir: Path, backup_file: Path, set_aside: Path | None) -> None:
    """Record the restore in the restored database's audit log (when the device is set up)."""
    from app.audit.service import AuditLog
    from app.db import open_database
    from app.masters.service import MastersService

    db = open_database(data_dir)  # also migrates an older backup to the current schema
    try:
        try:
            device_no = MastersService(db).device().device_no
        except NikayError:
            return
        with db.write() as session:
            AuditLog(SystemClock(), device_no).record(
                session,
                None,
                "db.restored",
                "database",
                db.path.name,
                None,
                {"from": str(backup_file), "set_aside": str(set_aside) if set_aside else None},
            )
    finally:
        db.dispose()
