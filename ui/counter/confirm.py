"""The one confirmation of a collection: amount in figures and in words, the payer's name; Enter confirms.

It is an overlay inside the counter screen (not a separate modal window): the rest of the screen is
disabled underneath while it shows, so the keyboard stays here until Enter or Esc.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


@dataclass(frozen=True)
class ConfirmationText:
    """What the clerk reads out before pressing Enter (already formatted, plain strings)."""

    amount: str  # ₹2,119.00
    words_primary: str  # in the UI language
    words_secondary: str  # in the other language
    payer: str
    property_line: str
    mode_line: str
    change_line: str  # "" when there is no change to give
    service_lines: tuple[str, ...] = ()  # a combined bill: what each service/account gets ("Water W-01: ₹400.00")


def _font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


class ConfirmationOverlay(QWidget):
    """Shown by F10 / Ctrl+Enter. `confirmed` on Enter (never on an auto-repeated key), `back` on Esc."""

    confirmed = Signal()
    back = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("confirmationOverlay")
        self.setStyleSheet("#confirmationCard { background: #ffffff; border: 3px solid #1f3a5f; border-radius: 8px; }")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._busy = False

        self.card = QFrame(self)
        self.card.setObjectName("confirmationCard")
        self.title = QLabel()
        self.title.setFont(_font(self.font(), 1.3, bold=True))
        self.amount_value = QLabel()
        self.amount_value.setObjectName("confirmAmount")
        self.amount_value.setFont(_font(self.font(), 2.6, bold=True))
        self.amount_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.amount_value.setStyleSheet("color: #1f3a5f;")
        self.words_primary = QLabel()
        self.words_primary.setObjectName("confirmWords")
        self.words_primary.setWordWrap(True)
        self.words_primary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words_primary.setFont(_font(self.font(), 1.25, bold=True))
        self.words_secondary = QLabel()
        self.words_secondary.setWordWrap(True)
        self.words_secondary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.payer_value = QLabel()
        self.payer_value.setObjectName("confirmPayer")
        self.payer_value.setWordWrap(True)
        self.payer_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.payer_value.setFont(_font(self.font(), 1.35, bold=True))
        self.property_value = QLabel()
        self.property_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.services_value = QLabel()
        self.services_value.setObjectName("confirmServices")
        self.services_value.setWordWrap(True)
        self.services_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.services_value.setFont(_font(self.font(), 1.15, bold=True))
        self.services_value.setStyleSheet("color: #1f3a5f; padding: 2px;")
        self.mode_value = QLabel()
        self.mode_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mode_value.setFont(_font(self.font(), 1.15))
        self.change_value = QLabel()
        self.change_value.setObjectName("confirmChange")
        self.change_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change_value.setFont(_font(self.font(), 1.4, bold=True))
        self.change_value.setStyleSheet("color: #0b6b2f;")
        self.message = QLabel()
        self.message.setObjectName("confirmMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("confirmButton")
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the overlay takes Enter itself
        self.confirm_button.setMinimumHeight(40)
        self.confirm_button.setFont(_font(self.font(), 1.15, bold=True))
        self.confirm_button.setStyleSheet(
            "QPushButton { background: #0b6b2f; color: white; padding: 6px 18px; }"
            "QPushButton:disabled { background: #8aa; }"
        )
        self.back_button = QPushButton()
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.setMinimumHeight(40)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.back_button.clicked.connect(self._on_back)

        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(24, 18, 24, 18)
        card_layout.setSpacing(8)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.amount_value)
        card_layout.addWidget(self.words_primary)
        card_layout.addWidget(self.words_secondary)
        card_layout.addSpacing(6)
        card_layout.addWidget(self.payer_value)
        card_layout.addWidget(self.property_value)
        card_layout.addWidget(self.services_value)
        card_layout.addWidget(self.mode_value)
        card_layout.addWidget(self.change_value)
        card_layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        card_layout.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card, 6)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Confirm the collection"))
        self.confirm_button.setText(self.tr("Save receipt (Enter)"))
        self.confirm_button.setToolTip(self.tr("Enter: save the receipt"))
        self.back_button.setText(self.tr("Back (Esc)"))
        self.back_button.setToolTip(self.tr("Esc: back to the payment, nothing is saved"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 30, 45, 140))  # dims the screen underneath
        painter.end()
        super().paintEvent(event)

    # -- showing ------------------------------------------------------------------------------------

    def open_with(self, text: ConfirmationText) -> None:
        self.amount_value.setText(text.amount)
        self.words_primary.setText(text.words_primary)
        self.words_secondary.setText(text.words_secondary)
        self.payer_value.setText(text.payer)
        self.property_value.setText(text.property_line)
        self.services_value.setText("\n".join(text.service_lines))
        self.services_value.setVisible(bool(text.service_lines))
        self.mode_value.setText(text.mode_line)
        self.change_value.setText(text.change_line)
        self.change_value.setVisible(bool(text.change_line))
        self.message.clear()
        self.set_busy(False)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        """While the receipt is being saved the confirm button is disabled and Enter does nothing."""
        self._busy = busy
        self.confirm_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet("color: #1f3a5f; font-weight: bold;")
            self.message.setText(self.tr("Saving the receipt…"))

    @property
    def busy(self) -> bool:
        return self._busy

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.message.setText(text)

    # -- keys ---------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if not event.isAutoRepeat():  # a key held down never confirms twice
                self._on_confirm()
            return
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self._on_back()
            return
        super().keyPressEvent(event)

    def _on_confirm(self) -> None:
        if self._busy or not self.isVisible():
            return
        self.confirmed.emit()

    def _on_back(self) -> None:
        if self._busy:
            return
        self.back.emit()
