"""Bundled fonts: Noto Sans (Latin) + Noto Sans Devanagari, registered at start.

The office PC may have no Devanagari font at all (this build machine has none), so the application
font is a family *list*: Noto Sans first, Noto Sans Devanagari behind it. Qt shapes with HarfBuzz and
falls back per character along that list, so Hindi gets conjuncts and matras from the bundled face.
A substitution (Noto Sans -> Noto Sans Devanagari) covers widgets that set a family by name.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from ui.paths import fonts_dir

log = logging.getLogger(__name__)

LATIN_FAMILY = "Noto Sans"
DEVANAGARI_FAMILY = "Noto Sans Devanagari"
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansDevanagari-Bold.ttf",
)
DEFAULT_POINT_SIZE = 11
POINT_SIZES = (10, 11, 12, 14, 16)  # the font-size setting offers these

_registered: list[str] = []


def register_fonts(directory: Path | None = None) -> list[str]:
    """Add the bundled TTFs to QFontDatabase (once per process). Returns the families registered."""
    if _registered:
        return list(_registered)
    directory = directory or fonts_dir()
    families: list[str] = []
    for name in FONT_FILES:
        path = directory / name
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("could not load font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    QFont.insertSubstitution(LATIN_FAMILY, DEVANAGARI_FAMILY)
    _registered.extend(families)
    return families


def ui_font(point_size: int = DEFAULT_POINT_SIZE, *, bold: bool = False) -> QFont:
    """The font every widget inherits: Noto Sans, falling back to Noto Sans Devanagari for Hindi."""
    font = QFont()
    font.setFamilies([LATIN_FAMILY, DEVANAGARI_FAMILY])
    font.setPointSize(point_size)
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


def apply_application_font(point_size: int = DEFAULT_POINT_SIZE) -> None:
    """Set the application-wide font (registering the bundled fonts first if needed)."""
    register_fonts()
    QGuiApplication.setFont(ui_font(point_size))
