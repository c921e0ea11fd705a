"""`nikay demo`, `nikay property import`, `nikay property search`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from app.cli.context import fail, state
from app.errors import NikayError


def register(cli: typer.Typer) -> None:
    property_app = typer.Typer(help="The property register: import, search.", no_args_is_help=True)
    cli.add_typer(property_app, name="property")

    @cli.command()
    def demo(
        ctx: typer.Context,
        properties: int = typer.Option(2000, "--properties", help="How many demo properties (up to 500,000)."),
        seed: int = typer.Option(1, "--seed", help="Random seed: the same seed makes the same ULB."),
    ) -> None:
        """Set up the demo ULB (masters, if missing) and fill its empty register with demo properties."""
        from app.audit.service import AuditLog
        from app.core.clock import SystemClock
        from app.db import open_database
        from app.masters.seed import seed_demo_masters
        from app.masters.service import MastersService
        from app.property.demo import generate_demo

        started = time.perf_counter()
        db = open_database(state(ctx).data_dir)
        try:
            ulb_code = seed_demo_masters(db)
            audit = AuditLog(SystemClock(), MastersService(db).device().device_no)
            report = generate_demo(db, properties, seed, ulb_code=ulb_code, audit=audit)
        except NikayError as error:
            fail(str(error))
        finally:
            db.dispose()
        print(f"Demo ULB {ulb_code}: {report.properties:,} properties, {report.owners:,} owners,", end=" ")
        print(f"{report.units:,} units")
        print(f"  demand rows {report.demand_rows:,}; owing the previous year: {report.arrear_properties:,}")
        print(f"  unfiled returns {report.unfiled_returns:,}; open plots {report.open_plots:,}")
        print(f"  made in {time.perf_counter() - started:.1f} s")

    @property_app.command("import")
    def import_(
        ctx: typer.Context,
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV file (see app/property/importer.py)."),
        skip_bad_rows: bool = typer.Option(False, "--skip-bad-rows", help="Import the good rows, set the bad aside."),
        bad_rows_out: Path | None = typer.Option(None, "--bad-rows-out", help="Where the bad rows go (CSV)."),
        user: str = typer.Option("admin", help="Acting user (needs the import-property permission)."),
    ) -> None:
        """Import properties from CSV. A file with a bad row imports nothing (exit 2) unless --skip-bad-rows."""
        services = state(ctx).services()
        try:
            actor = services.users.actor_for(user, services.device.device_no)
            report = services.properties.importer().import_file(
                actor, file, skip_bad_rows=skip_bad_rows, bad_rows_out=bad_rows_out
            )
        except NikayError as error:
            fail(str(error))
        for problem in report.problems:
            print(problem, file=sys.stderr)
        if report.problems and not skip_bad_rows:
            fail(f"{report.bad_rows} of {report.rows} rows are wrong; nothing was imported")
        print(f"Imported {report.imported:,} of {report.rows:,} properties.")
        if report.bad_rows_file is not None:
            print(f"{report.bad_rows} bad rows written to {report.bad_rows_file}", file=sys.stderr)

    @property_app.command("search")
    def search(
        ctx: typer.Context,
        text: str = typer.Argument(..., help="Property ID, old ID, owner name (Hindi or English) or mobile."),
        limit: int = typer.Option(30, help="At most this many results."),
    ) -> None:
        """Find properties as the counter does."""
        services = state(ctx).services()
        started = time.perf_counter()
        hits = services.search.search(text, limit)
        elapsed_ms = (time.perf_counter() - started) * 1000
        for hit in hits:
            owner = " / ".join(x for x in (hit.owner_name_en, hit.owner_name_hi) if x)
            print(f"{hit.property_id:<14} {hit.old_id:<14} W{hit.ward_no:<3} {hit.zone_code:<2} {owner}  {hit.mobile}")
        print(f"{len(hits)} found in {elapsed_ms:.1f} ms", file=sys.stderr)
        if not hits:
            raise typer.Exit(1)
