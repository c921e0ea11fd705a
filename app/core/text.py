"""Text input rules: NFC-normalised, trimmed, single-spaced."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_text(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def has_devanagari(value: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in value)
