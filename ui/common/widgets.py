"""Small widgets shared by the screens."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ui.common.format import money


class MoneyLabel(QLabel):
    """An amount, right-aligned, Indian grouping, tabular figures. `set_paise(123456)` -> ₹1,234.56."""

    def __init__(
        self, paise: int = 0, parent: QWidget | None = None, *, scale: float = 1.0, bold: bool = False
    ) -> None:
        super().__init__(parent)
        self._paise = paise
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._scale = scale
        self._bold = bold
        self._apply_font()
        self.set_paise(paise)

    def paise(self) -> int:
        return self._paise

    def set_paise(self, paise: int) -> None:
        self._paise = paise
        self.setText(money(paise))
        self.setProperty("negative", paise < 0)

    def _apply_font(self) -> None:
        font = QFont(self.font())
        if self._scale != 1.0 and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self._scale)
        font.setBold(self._bold)
        self.setFont(font)


class MessageBanner(QLabel):
    """A non-blocking coloured line for errors/warnings/info inside a screen. Hidden when empty."""

    STYLES: ClassVar[dict[str, str]] = {
        "error": "background:#fde8e8; color:#8a1c1c; border:1px solid #e0a0a0;",
        "warning": "background:#fff6d6; color:#5c4400; border:1px solid #e6cf7a;",
        "info": "background:#e6f0fb; color:#123f6e; border:1px solid #a8c5e8;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMargin(6)
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.setStyleSheet(f"QLabel {{ {self.STYLES.get(kind, self.STYLES['info'])} border-radius:3px; }}")
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.clear()
        self.hide()
