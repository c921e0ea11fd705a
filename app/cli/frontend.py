"""`nikay gui` and `nikay run-demo`: start a front end without app/ importing it.

The desktop front end (ui/) registers itself under the entry-point group `nikay.frontends` in
pyproject.toml, so app/ stays headless and import-linter can prove it.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import typer

from app.cli.context import fail, state


def load_frontend(name: str) -> Any:
    found = [ep for ep in entry_points(group="nikay.frontends") if ep.name == name]
    if not found:
        fail(f"the '{name}' front end is not installed (pip install the nikay package with its ui)", 1)
    return found[0].load()


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "") in {"offscreen", "minimal"}:
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.name == "nt")


def register(cli: typer.Typer) -> None:
    @cli.command()
    def gui(ctx: typer.Context) -> None:
        """Open the desktop app."""
        raise typer.Exit(load_frontend("gui")(state(ctx).data_dir))

    @cli.command("run-demo")
    def run_demo(
        ctx: typer.Context,
        properties: int = typer.Option(2000, help="Demo properties to generate on first run."),
        out: str = typer.Option("demo-output", help="Folder for screenshots when there is no display."),
    ) -> None:
        """Seed the demo ULB on first run, then open the app (or, with no display, run it headless)."""
        from app.demo import ensure_demo

        data_dir = state(ctx).data_dir
        ensure_demo(data_dir, properties=properties)
        if has_display():
            raise typer.Exit(load_frontend("gui")(data_dir))
        print("No display found: running the demo headless (Qt offscreen).")
        raise typer.Exit(load_frontend("demo-headless")(data_dir, Path(out).resolve()))
