"""Where Nikay's data files live: resources/ next to the packages (or inside a PyInstaller bundle)."""

from __future__ import annotations

import sys
from pathlib import Path


def _resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller in a frozen build
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


RESOURCES_DIR = _resources_dir()
