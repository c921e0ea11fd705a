"""`python -m sync enrol | now | status` — the sync engine from a terminal (support, scripts, demo)."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.context import CliState, fail
from app.core.clock import format_datetime_ist
from app.errors import NikayError
from sync.composition import build_sync
from sync.errors import SyncUnavailable
from sync.service import SyncService

app = typer.Typer(no_args_is_help=True, help="Sync this PC with the Nikay central")

DataDir = Annotated[str, typer.Option("--data-dir", help="the data folder (default: the user's Nikay folder)")]


def _service(data_dir: str) -> SyncService:
    return build_sync(CliState.from_option(data_dir).services())


@app.command()
def enrol(
    central: Annotated[str, typer.Option("--central", help="the central's address, e.g. https://nikay.cg.gov.in")],
    code: Annotated[str, typer.Option("--code", help="the one-time enrolment code from the ULB admin")],
    ca_bundle: Annotated[str, typer.Option("--ca-bundle", help="a CA bundle file to trust (optional)")] = "",
    data_dir: DataDir = "",
) -> None:
    """Enrol this PC with the central using a one-time code."""
    service = _service(data_dir)
    try:
        service.enrol(central, code, verify_tls=ca_bundle or True)
    except NikayError as error:
        fail(str(error))
    status = service.status()
    print(f"Enrolled with {status.central_url} as device {status.device_no}")


@app.command()
def now(data_dir: DataDir = "") -> None:
    """Run one sync cycle now and say what it did."""
    service = _service(data_dir)
    try:
        report = service.run_cycle()
    except SyncUnavailable as error:
        fail(f"sync did not finish: {error}", 1)
    print(
        f"pushed {report.pushed} (acknowledged {report.acknowledged}, duplicates {report.duplicates}, "
        f"conflicts {report.conflicts}, quarantined {report.quarantined}); pulled {report.pulled}"
        + ("; snapshot re-downloaded" if report.snapshot_reloaded else "")
        + ("; server epoch changed: re-pushed" if report.epoch_changed else "")
        + (f"; ledger mismatches {report.ledger_mismatches}" if report.ledger_mismatches else "")
    )


@app.command()
def status(data_dir: DataDir = "") -> None:
    """Show the sync status of this PC."""
    s = _service(data_dir).status()
    print(f"state: {s.state.value}")
    print(f"central: {s.central_url or '-'}  device: {s.device_no if s.device_no is not None else '-'}")
    print(f"last success: {format_datetime_ist(s.last_success_at) if s.last_success_at else 'never'}")
    print(f"pending operations: {s.pending_ops} (money {s.pending_money_ops})")
    if s.oldest_pending_at:
        print(f"oldest pending: {format_datetime_ist(s.oldest_pending_at)}")
    print(
        f"quarantined: {s.quarantined_ops}  conflicts open: {s.conflicts_open}  "
        f"ledger mismatches: {s.ledger_mismatches}"
    )
    if s.clock_offset_s is not None:
        print(f"clock offset (central - this PC): {s.clock_offset_s:+.1f} s")
    if s.last_error:
        print(f"last error: {s.last_error}")


def main() -> None:
    app()
