"""`nikay-central reports ...` commands (added to the central CLI by central.cli)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="reports")
