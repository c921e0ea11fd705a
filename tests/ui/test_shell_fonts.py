"""Bundled fonts: registered, used for Hindi (this machine has no Devanagari font), and shaped."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel

from ui.fonts import DEVANAGARI_FAMILY, LATIN_FAMILY, apply_application_font, register_fonts, ui_font


def test_bundled_families_are_registered(qapp: Any) -> None:
    families = register_fonts()
    assert DEVANAGARI_FAMILY in families
    assert LATIN_FAMILY in families
    assert DEVANAGARI_FAMILY in QFontDatabase.families()
    assert QFontDatabase.isSmoothlyScalable(DEVANAGARI_FAMILY)


def test_application_font_falls_back_to_devanagari(qapp: Any) -> None:
    apply_application_font(11)
    font = QApplication.font()
    assert font.families()[:2] == [LATIN_FAMILY, DEVANAGARI_FAMILY]


def _glyph_runs(text: str, font: QFont) -> list[tuple[str, int]]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10000)
    layout.endLayout()
    return [(run.rawFont().familyName(), len(run.glyphIndexes())) for run in layout.glyphRuns()]


def test_hindi_is_drawn_with_the_bundled_devanagari_face_and_shaped(qapp: Any) -> None:
    register_fonts()
    text = "क्षेत्र"  # क्ष + े + त्र: 7 code points, conjuncts and a matra
    runs = _glyph_runs(text, ui_font(12))
    assert [family for family, _ in runs] == [DEVANAGARI_FAMILY]
    glyphs = sum(count for _, count in runs)
    assert 0 < glyphs < len(text), f"not shaped: {glyphs} glyphs for {len(text)} code points"


def test_mixed_text_uses_both_faces(qapp: Any) -> None:
    register_fonts()
    families = {family for family, _ in _glyph_runs("Receipt रसीद 2026", ui_font(12))}
    assert families == {LATIN_FAMILY, DEVANAGARI_FAMILY}


def test_a_hindi_label_renders_non_blank_pixels(qtbot: Any, qapp: Any) -> None:
    apply_application_font(14)
    label = QLabel("संपत्ति कर रसीद")
    label.setStyleSheet("background: white; color: black;")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    image: QImage = label.grab().toImage()
    dark = sum(
        1
        for y in range(0, image.height(), 1)
        for x in range(0, image.width(), 1)
        if QColor(image.pixel(x, y)).lightness() < 128
    )
    assert dark > 150, f"only {dark} dark pixels: the Hindi text did not render"
    # Tofu boxes would be drawn by a font without the glyphs; the face that draws them is Devanagari.
    assert {family for family, _ in _glyph_runs(label.text(), label.font())} == {DEVANAGARI_FAMILY}
