"""Per-device UI preferences (language, font size), kept in `<data dir>/ui-settings.ini`.

Stored next to the database rather than in the user's registry so each office PC (and each test's
temporary data directory) has its own, and a backup of the data folder carries them along.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from ui.fonts import DEFAULT_POINT_SIZE, POINT_SIZES
from ui.i18n import LANGUAGES


class UiSettings:
    def __init__(self, data_dir: Path) -> None:
        self._settings = QSettings(str(data_dir / "ui-settings.ini"), QSettings.Format.IniFormat)

    @property
    def language(self) -> str:
        value = str(self._settings.value("ui/language", "en"))
        return value if value in LANGUAGES else "en"

    @language.setter
    def language(self, value: str) -> None:
        self._settings.setValue("ui/language", value)
        self._settings.sync()

    @property
    def font_size(self) -> int:
        try:
            value = int(str(self._settings.value("ui/font_size", DEFAULT_POINT_SIZE)))
        except ValueError:
            return DEFAULT_POINT_SIZE
        return value if value in POINT_SIZES else DEFAULT_POINT_SIZE

    @font_size.setter
    def font_size(self, value: int) -> None:
        self._settings.setValue("ui/font_size", int(value))
        self._settings.sync()

    @property
    def last_username(self) -> str:
        return str(self._settings.value("login/last_username", ""))

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._settings.setValue("login/last_username", value)
        self._settings.sync()
