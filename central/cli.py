"""The central's command line: `python -m central ...` or `nikay-central ...`.

Every command reads the database URL from --database-url or NIKAY_CENTRAL_DATABASE_URL. Bad input
exits with code 2 and one clear line on stderr."""

from __future__ import annotations

import dataclasses
import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

import central.payments.cli
import central.reference_cli
import central.reports.cli
from central.auth import service
from central.config import CentralSettings
from central.db.engine import ensure_server_meta, is_sqlite_url, make_engine, make_sessionmaker, migrate
from central.db.models import ChangeLog, ServerMeta
from central.seed import DEMO_TOML, SeedError, add_admin, ulb_from_toml, upsert_ulb

app = typer.Typer(no_args_is_help=True, help="Nikay central API: serve, migrate and administer.")
app.add_typer(central.payments.cli.app, name="payments")
app.add_typer(central.reports.cli.app, name="report")
central.reference_cli.register(app)  # publish-tariffs, user ..., setting ...

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="postgresql+psycopg://... (default: NIKAY_CENTRAL_DATABASE_URL)"),
]


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def settings_for(database_url: str | None) -> CentralSettings:
    settings = CentralSettings()
    if database_url:
        settings = dataclasses.replace(settings, database_url=database_url)
    return settings


@contextmanager
def session_for(database_url: str | None) -> Iterator[Session]:
    """One committed transaction against the central database (the schema must be at head)."""
    engine = make_engine(dataclasses.replace(settings_for(database_url), db_pool_size=1))
    try:
        with make_sessionmaker(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8800,
    workers: Annotated[int, typer.Option(min=1, help="app processes (all alike, stateless)")] = 1,
    database_url: DatabaseUrl = None,
    no_migrate: Annotated[bool, typer.Option("--no-migrate", help="do not upgrade the schema first")] = False,
    demo: Annotated[bool, typer.Option("--demo", help="allow SQLite; seed the DEMO ULB and an admin")] = False,
) -> None:
    """Run the API with uvicorn (JSON logs on stdout)."""
    import uvicorn

    from central.api.server import NoDelayConfig
    from central.logging import configure_logging

    settings = settings_for(database_url)
    if demo and not database_url and not os.environ.get("NIKAY_CENTRAL_DATABASE_URL"):
        settings = dataclasses.replace(settings, database_url=f"sqlite:///{Path.cwd() / 'nikay-central-demo.sqlite3'}")
    if is_sqlite_url(settings.database_url) and not demo:
        fail("SQLite is only for the demo: pass --demo, or a postgresql+psycopg:// URL")
    if not settings.token_secret:
        if not demo:
            fail("NIKAY_CENTRAL_TOKEN_SECRET is not set (every app process needs the same secret)")
        settings = dataclasses.replace(settings, token_secret=_demo_secret(settings.database_url))
    # Worker processes build their app from the environment (central.api.app:serve_app).
    os.environ["NIKAY_CENTRAL_DATABASE_URL"] = settings.database_url
    os.environ["NIKAY_CENTRAL_TOKEN_SECRET"] = settings.token_secret
    configure_logging()
    if not no_migrate:
        migrate(settings.database_url)
    if demo:
        _seed_demo(settings.database_url, port)
    config = NoDelayConfig(
        "central.api.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )
    server = uvicorn.Server(config)
    if workers > 1:
        # As uvicorn.run does for several workers, with a listening socket whose accepted
        # connections have Nagle off (see NoDelayConfig).
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        server.run()
    if not server.started and workers == 1:
        fail(f"the API did not start on {host}:{port} (see the log above)")


def _demo_secret(database_url: str) -> str:
    """The demo keeps its token secret beside its SQLite file, so a restart keeps devices' tokens valid."""
    path = Path(database_url.split("///", 1)[1]) if database_url.startswith("sqlite:///") else None
    if path is None or not path.parent.is_dir():
        return secrets.token_urlsafe(32)
    secret_file = path.with_name(path.name + ".token-secret")
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        secret_file.chmod(0o600)
    return secret_file.read_text(encoding="utf-8").strip()


def _seed_demo(database_url: str, port: int) -> None:
    with session_for(database_url) as session:
        upsert_ulb(session, ulb_from_toml(DEMO_TOML))
        token = add_admin(session, username="demo-admin", role="ulb_admin", ulb_code="DEMO", full_name="Demo admin")
        code = service.issue_code(
            session, ulb_code="DEMO", office_code="Z01", issued_by="demo-admin", ttl_h=24, now=datetime.now(UTC)
        )
    typer.echo(f"demo central on port {port}: admin token {token}  enrolment code {code.code} (office Z01)", err=True)


@app.command("migrate")
def migrate_command(database_url: DatabaseUrl = None) -> None:
    """Upgrade the schema to head (safe to run from several processes at once)."""
    migrate(settings_for(database_url).database_url)
    typer.echo("schema at head")


@app.command("add-ulb")
def add_ulb(
    from_toml: Annotated[Path, typer.Option("--from-toml", help="a ULB file, e.g. resources/ulbs/DEMO.toml")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a ULB (or refresh its names) from its TOML file."""
    try:
        seed = ulb_from_toml(from_toml)
        with session_for(database_url) as session:
            created = upsert_ulb(session, seed)
    except SeedError as error:
        fail(str(error))
    typer.echo(f"{'added' if created else 'updated'} ULB {seed.code} ({seed.name_en})")


@app.command("add-admin")
def add_admin_command(
    username: Annotated[str, typer.Option("--username")],
    role: Annotated[str, typer.Option("--role", help="ulb_admin | state_official")],
    ulb: Annotated[str | None, typer.Option("--ulb", help="the ULB of a ulb_admin")] = None,
    full_name: Annotated[str, typer.Option("--full-name")] = "",
    database_url: DatabaseUrl = None,
) -> None:
    """Create an admin user and print their API token (shown once; the central keeps only its hash)."""
    try:
        with session_for(database_url) as session:
            token = add_admin(session, username=username, role=role, ulb_code=ulb, full_name=full_name)
    except SeedError as error:
        fail(str(error))
    typer.echo(token)


@app.command("issue-code")
def issue_code(
    ulb: Annotated[str, typer.Option("--ulb")],
    office: Annotated[str, typer.Option("--office")],
    database_url: DatabaseUrl = None,
) -> None:
    """Print a one-time enrolment code for a new device of that ULB office."""
    settings = settings_for(database_url)
    try:
        with session_for(database_url) as session:
            issued = service.issue_code(
                session,
                ulb_code=ulb,
                office_code=office,
                issued_by="cli",
                ttl_h=settings.enrolment_code_ttl_h,
                now=datetime.now(UTC),
            )
    except service.AuthError as error:
        fail(error.message)
    typer.echo(issued.code)
    typer.echo(
        f"office {issued.office_code} of {issued.ulb_code}, valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC",
        err=True,
    )


@app.command()
def revoke(
    device_id: Annotated[str, typer.Option("--device-id")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a device: its next request gets 403 device_revoked; its number is never given again."""
    try:
        with session_for(database_url) as session:
            view = service.revoke_device(session, device_id, ulb_code=None, now=datetime.now(UTC))
    except service.AuthError as error:
        fail(error.message)
    typer.echo(f"revoked device {view.device_no} of {view.ulb_code} ({view.device_id})")


@app.command("mark-restored")
def mark_restored(database_url: DatabaseUrl = None) -> None:
    """Run after restoring the database from a backup: a new server epoch makes every device re-push
    what it still holds, so nothing made after the backup is lost."""
    epoch = str(uuid.uuid4())
    with session_for(database_url) as session:
        ensure_server_meta(session.connection())
        session.execute(
            update(ServerMeta).where(ServerMeta.id == 1).values(server_epoch=epoch, epoch_changed_at=datetime.now(UTC))
        )
    typer.echo(f"server epoch is now {epoch}")


@app.command("prune-feed")
def prune_feed(
    keep_days: Annotated[int | None, typer.Option("--keep-days", min=1, help="default: feed retention setting")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Delete pull-feed rows older than N days. server_meta.min_retained_seq becomes the highest seq
    deleted: a device whose cursor is below it gets 410 and re-downloads a snapshot."""
    days = keep_days if keep_days is not None else settings_for(database_url).feed_retention_days
    cutoff = datetime.now(UTC) - timedelta(days=days)
    with session_for(database_url) as session:
        ensure_server_meta(session.connection())
        old = (ChangeLog.created_at < cutoff) & ChangeLog.seq.is_not(None)
        horizon = session.execute(select(func.max(ChangeLog.seq)).where(old)).scalar_one_or_none()
        deleted = 0
        if horizon is not None:
            deleted = session.execute(delete(ChangeLog).where(old)).rowcount  # type: ignore[attr-defined]
        if horizon is not None:
            session.execute(
                update(ServerMeta)
                .where(ServerMeta.id == 1)
                .where(ServerMeta.min_retained_seq < horizon)
                .values(min_retained_seq=horizon)
            )
    typer.echo(f"deleted {deleted} feed rows older than {days} days; horizon seq {horizon or 0}")


def main() -> None:
    app()
