"""`nikay-central publish-tariffs | user … | setting …`: reference data for a ULB's devices.

Wired into the central CLI by `register(app)` (central/cli.py). Each command is one transaction;
bad input exits with code 2 and one clear line on stderr."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy.orm import Session

from app.errors import NikayError
from central.config import CentralSettings
from central.db.engine import make_engine, make_sessionmaker
from central.reference import ReferenceError, add_user, publish_tariff_dir, set_setting, update_user

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="postgresql+psycopg://... (default: NIKAY_CENTRAL_DATABASE_URL)"),
]
UlbOption = Annotated[str, typer.Option("--ulb", help="the ULB code, e.g. DEMO")]

user_app = typer.Typer(no_args_is_help=True, help="users of a ULB's devices (they log in offline)")
setting_app = typer.Typer(no_args_is_help=True, help="settings pushed to a ULB's devices")


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@contextmanager
def central_session(database_url: str | None) -> Iterator[Session]:
    """One committed transaction against the central database; a refusal rolls it back."""
    settings = CentralSettings()
    settings = dataclasses.replace(settings, database_url=database_url or settings.database_url, db_pool_size=1)
    engine = make_engine(settings)
    try:
        with make_sessionmaker(engine).begin() as session:
            yield session
    except (ReferenceError, NikayError) as error:
        fail(str(error))
    finally:
        engine.dispose()


def publish_tariffs(
    ulb: UlbOption,
    folder: Annotated[Path, typer.Option("--dir", help="folder of tariff TOML files, e.g. resources/tariffs/DEMO")],
    database_url: DatabaseUrl = None,
) -> None:
    """Publish every TOML file of a folder (property-tax-, water-, trade-licence-, swm-<FY>.toml) to the ULB's
    devices: each validated by its kind, a new version only when changed; a bad file publishes nothing."""
    if not folder.is_dir():
        fail(f"{folder} is not a folder")
    with central_session(database_url) as session:
        results = publish_tariff_dir(session, ulb, folder)
    for result in results:
        state = f"published as version {result.version}" if result.changed else f"unchanged (version {result.version})"
        typer.echo(f"{result.key}: {state}")


@user_app.command("add")
def user_add(
    ulb: UlbOption,
    username: Annotated[str, typer.Option("--username")],
    full_name: Annotated[str, typer.Option("--full-name")],
    role: Annotated[str, typer.Option("--role", help="clerk, supervisor, accounts, commissioner, admin, …")],
    password: Annotated[
        str,
        typer.Option("--password", prompt=True, hide_input=True, confirmation_prompt=True, envvar="NIKAY_NEW_PASSWORD"),
    ],
    database_url: DatabaseUrl = None,
) -> None:
    """Add a user to every device of the ULB (argon2id hash only; the password never leaves here)."""
    with central_session(database_url) as session:
        result = add_user(session, ulb, username, full_name, role, password)
    typer.echo(f"user {result.key} added to {ulb} (version {result.version}); devices get it at their next sync")


def _update(ulb: str, username: str, database_url: str | None, **changes: object) -> None:
    with central_session(database_url) as session:
        result = update_user(session, ulb, username, **changes)  # type: ignore[arg-type]
    typer.echo(f"user {result.key}: {'version ' + str(result.version) if result.changed else 'unchanged'}")


@user_app.command("disable")
def user_disable(
    ulb: UlbOption, username: Annotated[str, typer.Option("--username")], database_url: DatabaseUrl = None
) -> None:
    _update(ulb, username, database_url, active=False)


@user_app.command("enable")
def user_enable(
    ulb: UlbOption, username: Annotated[str, typer.Option("--username")], database_url: DatabaseUrl = None
) -> None:
    _update(ulb, username, database_url, active=True)


@user_app.command("set-password")
def user_set_password(
    ulb: UlbOption,
    username: Annotated[str, typer.Option("--username")],
    password: Annotated[
        str,
        typer.Option("--password", prompt=True, hide_input=True, confirmation_prompt=True, envvar="NIKAY_NEW_PASSWORD"),
    ],
    database_url: DatabaseUrl = None,
) -> None:
    _update(ulb, username, database_url, password=password)


@setting_app.command("set")
def setting_set(
    ulb: UlbOption,
    key: Annotated[str, typer.Argument(help="e.g. payments.upi_vpa")],
    value: Annotated[str, typer.Argument(help="e.g. demo.nikay@sbi")],
    database_url: DatabaseUrl = None,
) -> None:
    """Set a ULB setting; its devices get it at their next sync."""
    with central_session(database_url) as session:
        result = set_setting(session, ulb, key, value)
    typer.echo(f"{result.key} = {value} ({'version ' + str(result.version) if result.changed else 'unchanged'})")


def register(root: typer.Typer) -> None:
    """Add `publish-tariffs`, `user` and `setting` to the central CLI."""
    root.command("publish-tariffs")(publish_tariffs)
    root.add_typer(user_app, name="user")
    root.add_typer(setting_app, name="setting")


# A stand-alone app (tests, and until central/cli.py calls register()).
app = typer.Typer(no_args_is_help=True, help="reference data for a ULB's devices")
register(app)
