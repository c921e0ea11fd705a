"""The `nikay` command line (also `python -m app`). Each capability adds its commands in its own
module through `register(cli)`; this module only assembles them and holds the shared options."""

from __future__ import annotations

import typer

from app.cli import admin, collect, frontend, property, receipt, report, scrutiny
from app.cli.context import CliState

cli = typer.Typer(
    name="nikay",
    help="Nikay: the office system of an urban local body (counter collection, receipts, register).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@cli.callback()
def _global_options(
    ctx: typer.Context,
    data_dir: str = typer.Option(
        "",
        "--data-dir",
        help="Folder of this device's database and backups (default: the OS data dir).",
        envvar="NIKAY_DATA_DIR",
    ),
) -> None:
    ctx.obj = CliState.from_option(data_dir)


for _module in (admin, collect, frontend, property, receipt, report, scrutiny):
    _module.register(cli)


def main() -> None:
    cli()
