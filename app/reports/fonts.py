"""Fonts and bilingual text for ReportLab PDFs.

ReportLab has no font fallback and `canvas.drawString` does not shape Devanagari, so every piece
of text a PDF shows goes through a Platypus `Paragraph` whose style has `shaping=1`, and `markup()`
cuts mixed text into explicit `<font>` runs: Devanagari in Noto Sans Devanagari, everything else
(Latin, digits, ₹) in Noto Sans. Static TTFs only (a variable font with shaping turns Latin into boxes).
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from app.paths import RESOURCES_DIR

LATIN = "NotoSans"
LATIN_BOLD = "NotoSans-Bold"
DEVA = "NotoSansDevanagari"
DEVA_BOLD = "NotoSansDevanagari-Bold"

_FILES = {
    LATIN: "NotoSans-Regular.ttf",
    LATIN_BOLD: "NotoSans-Bold.ttf",
    DEVA: "NotoSansDevanagari-Regular.ttf",
    DEVA_BOLD: "NotoSansDevanagari-Bold.ttf",
}


@cache
def register_fonts() -> None:
    """Register the four bundled faces with ReportLab (once per process)."""
    folder = RESOURCES_DIR / "fonts"
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD, italic=LATIN, boldItalic=LATIN_BOLD)
    pdfmetrics.registerFontFamily(DEVA, normal=DEVA, bold=DEVA_BOLD, italic=DEVA, boldItalic=DEVA_BOLD)
    # Flate only, no ASCII85 on top: a quarter smaller and much faster to write (5,000-page batches).
    rl_config.useA85 = 0


def is_devanagari(char: str) -> bool:
    code = ord(char)
    return 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF or 0x1CD0 <= code <= 0x1CFF or code in (0x200C, 0x200D)


@cache
def _devanagari_face_chars() -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(DEVA).face
    return frozenset(face.charToGlyph)


def _word_kind(word: str) -> bool | None:
    """True for a Devanagari word, False for a Latin one, None for digits/punctuation that both faces
    have (·, →, … are not in the Devanagari face: such a word is Latin)."""
    if any(is_devanagari(char) for char in word):
        return True
    if any(char.isalpha() for char in word):
        return False
    covered = _devanagari_face_chars()
    if any(ord(char) not in covered for char in word):
        return False
    return None


def script_runs(text: str) -> list[tuple[bool, str]]:
    """Split text into (is_devanagari, run) pieces, switching fonts only between words.

    ReportLab shapes a word that spans two <font> runs with the first run's font (the second part
    comes out as boxes), so a word stays in one face; a word of digits and punctuation only joins
    the run it is in. A word with letters of both scripts (rare) takes the Devanagari face."""
    runs: list[tuple[bool, str]] = []
    current: list[str] = []
    deva: bool | None = None
    for token in re.split(r"(\s+)", text):
        if not token:
            continue
        kind = None if token.isspace() else _word_kind(token)
        if kind is None or deva is None or kind == deva:
            if deva is None and kind is not None:
                deva = kind
            current.append(token)
            continue
        runs.append((deva, "".join(current)))
        current, deva = [token], kind
    if current:
        runs.append((bool(deva), "".join(current)))
    return runs


@lru_cache(maxsize=8192)
def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for plain `text`: XML-escaped, each script run in its own font."""
    if not text:
        return ""
    parts = []
    for deva, run in script_runs(text):
        face = (DEVA_BOLD if bold else DEVA) if deva else (LATIN_BOLD if bold else LATIN)
        parts.append(f'<font name="{face}">{escape(run)}</font>')
    return "".join(parts)


def bilingual(en: str, hi: str, *, bold: bool = False, sep: str = " / ") -> str:
    """'English / हिन्दी' as markup (either may be empty)."""
    return markup(sep.join(t for t in (en, hi) if t), bold=bold)


@cache
def style(
    size: float = 9, *, align: str = "left", leading: float | None = None, space_after: float = 0
) -> ParagraphStyle:
    """A shaping paragraph style (cached: styles are immutable in use)."""
    register_fonts()
    alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[align]
    return ParagraphStyle(
        name=f"nikay-{size}-{align}-{leading}-{space_after}",
        fontName=LATIN,
        fontSize=size,
        leading=leading if leading is not None else size * 1.32,
        alignment=alignment,
        spaceAfter=space_after,
        shaping=1,
        wordWrap=None,
    )


def has_devanagari_text(text: str) -> bool:
    return any(is_devanagari(char) for char in text)


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that remembers its last layout: a Table wraps each cell to measure it and again to
    draw it, and a label repeated on every notice is laid out at the same width every time. Breaking
    shaped lines is the costliest step of a PDF here, so the same width is never broken twice."""

    _memo: tuple[float, tuple[float, float]] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        memo = self._memo
        # Only while the layout is still there: splitting at a page break drops it (blPara), and a
        # memo hit then would leave draw/split without lines (AttributeError 'blPara').
        if memo is not None and memo[0] == avail_width and getattr(self, "blPara", None) is not None:
            return memo[1]
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._memo = (avail_width, size)
        return size


class StaticPara(Para):
    """A repeated label: drawn once per PDF into a form XObject, then placed by reference. Batches of
    notices draw the same labels 5,000 times; a reference costs nothing and keeps the file small."""

    def __init__(self, text_markup: str, paragraph_style: ParagraphStyle) -> None:
        super().__init__(text_markup, paragraph_style)
        self._key = (text_markup, paragraph_style.name)

    def draw(self) -> None:
        canvas = self.canv
        forms: dict[tuple[str, str, float], str] = canvas.__dict__.setdefault("_nikay_forms", {})
        key = (*self._key, self.width)
        name = forms.get(key)
        if name is None:
            name = forms[key] = f"nk{len(forms)}"
            canvas.beginForm(name, -4, -4 - self.height, self.width + 4, self.height * 2 + 4)
            super().draw()
            canvas.endForm()
        canvas.doForm(name)


def para(text_markup: str, size: float = 9, align: str = "left") -> Para:
    """A shaping paragraph of `markup()` text."""
    return Para(text_markup, style(size, align=align))


_STATIC = threading.local()


def static_paragraph(text_markup: str, size: float = 9, align: str = "left") -> StaticPara:
    """A Paragraph for text that repeats on every page (labels, headings), parsed once per thread and
    reused: ReportLab re-wraps a Paragraph each time it is laid out, so sharing one between tables and
    pages is safe within a thread (not across threads, hence the thread-local cache)."""
    cache: dict[tuple[str, float, str], StaticPara] | None = getattr(_STATIC, "cache", None)
    if cache is None:
        cache = _STATIC.cache = {}
    key = (text_markup, size, align)
    found = cache.get(key)
    if found is None:
        if len(cache) > 2000:
            cache.clear()
        found = cache[key] = StaticPara(text_markup, style(size, align=align))
    return found
