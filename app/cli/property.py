from __future__ import annotations

import typer


def register(cli: typer.Typer) -> None:
    """Commands of this capability are added here."""
