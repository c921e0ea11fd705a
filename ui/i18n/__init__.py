"""Runtime translations: every `resources/translations/*_<lang>.qm` is loaded for a language.

English is the source language (no translator). Switching installs the new translators on the
running QApplication; Qt then sends QEvent.LanguageChange to every widget, whose changeEvent()
calls retranslateUi(). Nothing is rebuilt, so the clerk's screen, search text and selection stay.

The .qm files are build outputs: `python -m ui.i18n.build` (make translations) compiles the .ts.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ui.paths import translations_dir

log = logging.getLogger(__name__)

LANGUAGES = ("en", "hi")
LANGUAGE_NAMES = {"en": "English", "hi": "हिन्दी"}


class Translations:
    """Owns the installed QTranslators (Qt keeps only a pointer: we must keep the Python objects)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or translations_dir()
        self.language = "en"
        self._installed: list[QTranslator] = []
        self._lookup_cache: dict[str, list[QTranslator]] = {}

    def qm_files(self, language: str) -> list[Path]:
        if language == "en" or not self.directory.is_dir():
            return []
        return sorted(self.directory.glob(f"*_{language}.qm"))

    def set_language(self, language: str) -> bool:
        """Install the translators of `language` ("en" or "hi"). Returns False if it has no .qm files."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication first")
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed.clear()
        ok = True
        if language != "en":
            files = self.qm_files(language)
            if not files:
                log.warning("no %s translations in %s (run `make translations`)", language, self.directory)
                ok = False
            for path in files:
                self._install_file(path)
            # Qt's own strings (OK/Cancel in dialogs, context menus), if Qt ships them for the language.
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            qt_translator = QTranslator()
            if qt_translator.load(QLocale(language), "qtbase", "_", qt_dir):
                QCoreApplication.installTranslator(qt_translator)
                self._installed.append(qt_translator)
        self.language = language
        # Installing or removing a translator makes Qt post QEvent.LanguageChange to every widget.
        return ok

    def lookup(self, language: str, context: str, source: str) -> str:
        """`source` in `language` without switching the UI (the F1 help shows both languages at once)."""
        if language == "en":
            return source
        translators = self._lookup_cache.get(language)
        if translators is None:
            translators = []
            for path in self.qm_files(language):
                translator = QTranslator()
                if translator.load(str(path)):
                    translators.append(translator)
            self._lookup_cache[language] = translators
        for translator in translators:
            text = translator.translate(context, source)
            if text:
                return text
        return source

    def _install_file(self, path: Path) -> None:
        translator = QTranslator()
        if translator.load(str(path)):
            QCoreApplication.installTranslator(translator)
            self._installed.append(translator)
        else:
            log.error("could not load translation %s", path)
