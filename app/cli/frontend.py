"""`nikay gui` and `nikay run-demo`: start a front end without app/ importing it.

The desktop front end (ui/) registers itself under the entry-point group `nikay.frontends` in
pyproject.toml, so app/ stays headless and import-linter can prove it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


# What Qt 6's X11 plugin needs beyond a bare desktop (Debian/Ubuntu package names).
XCB_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 "
    "libxcb-xkb1 libxkbcommon-x11-0"
)


def display_problem() -> str | None:
    """Why Qt cannot open a window on this display, or None when it can.

    Many Linux desktops lack a library Qt's X11 plugin needs, and then Qt aborts the process. A
    short probe in a child process (which imports Qt; app/ itself never does) turns that into a
    message saying what to install."""
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    probe = subprocess.run(
        [sys.executable, "-c", "from PySide6.QtGui import QGuiApplication as A; A([])"],
        env={**os.environ, "QT_DEBUG_PLUGINS": "1", "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if probe.returncode == 0:
        return None
    missing = sorted(set(re.findall(r"(lib[\w.+-]+?\.so[\w.]*): cannot open shared object file", probe.stderr)))
    what = f"missing {', '.join(missing)}" if missing else "its X11 plugin did not load"
    return f"Qt cannot open a window on this display ({what}; on Debian/Ubuntu: sudo apt-get install {XCB_PACKAGES})"


def register(cli: typer.Typer) -> None:
    @cli.command()
    def gui(ctx: typer.Context) -> None:
        """Open the desktop app."""
        problem = display_problem()
        if problem is not None:
            fail(problem, 1)
        raise typer.Exit(load_frontend("gui")(state(ctx).data_dir))

    @cli.command("run-demo")
    def run_demo(
        ctx: typer.Context,
        properties: int = typer.Option(2000, help="Demo properties to generate on first run."),
        out: str = typer.Option("demo-output", help="Folder for screenshots when there is no display."),
        central: bool = typer.Option(
            True, "--central/--no-central", help="Start a local central and sync with it (SQLite, this PC)."
        ),
    ) -> None:
        """Seed the demo ULB on first run, then open the app (or, with no display, run it headless)."""
        from app.demo import ensure_demo

        data_dir = state(ctx).data_dir
        ensure_demo(data_dir, properties=properties)
        problem = display_problem() if has_display() else "No display found"
        if problem is None:
            raise typer.Exit(load_frontend("gui")(data_dir, local_central=central))
        print(f"{problem}: running the demo headless (Qt offscreen).")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        raise typer.Exit(load_frontend("demo-headless")(data_dir, Path(out).resolve(), local_central=central))
