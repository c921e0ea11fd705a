"""Asked once, when the clerk has no open counter session today: the cash in the drawer at the start."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.core.money import MoneyFormatError, parse_rupees


class OpeningCashPanel(QWidget):
    """Inline page of the counter screen (no modal window). Emits `submitted(paise)` on Enter."""

    submitted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openingCashPanel")
        card = QFrame()
        card.setObjectName("openingCard")
        card.setStyleSheet("#openingCard { border: 2px solid #1f3a5f; border-radius: 8px; background: #f6f9fc; }")
        self.title = QLabel()
        title_font = QFont(self.font())
        title_font.setPointSizeF((title_font.pointSizeF() if title_font.pointSizeF() > 0 else 10.0) * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.amount_label = QLabel()
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("openingCashEdit")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        big = QFont(self.font())
        big.setPointSizeF((big.pointSizeF() if big.pointSizeF() > 0 else 10.0) * 1.8)
        big.setBold(True)
        self.amount_edit.setFont(big)
        self.amount_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^[₹\s]*[0-9,]{0,12}(\.[0-9]{0,2})?$"), self)
        )
        self.amount_label.setBuddy(self.amount_edit)
        self.message = QLabel()
        self.message.setObjectName("openingMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openSessionButton")
        self.open_button.setMinimumHeight(38)
        self.open_button.clicked.connect(self._submit)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(10)
        inner.addWidget(self.title)
        inner.addWidget(self.explain)
        inner.addWidget(self.amount_label)
        inner.addWidget(self.amount_edit)
        inner.addWidget(self.message)
        inner.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 2)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.amount_edit.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Open the counter"))
        self.explain.setText(
            self.tr("No counter session is open for you today. Count the cash in the drawer and type it below.")
        )
        self.amount_label.setText(self.tr("&Opening cash (₹)"))
        self.open_button.setText(self.tr("Open session (Enter)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reset(self) -> None:
        self.amount_edit.setText("0")
        self.amount_edit.selectAll()
        self.message.clear()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.open_button.setEnabled(not busy)
        self.amount_edit.setReadOnly(busy)

    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if watched is getattr(self, "amount_edit", None) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if not event.isAutoRepeat():
                    self._submit()
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _submit(self) -> None:
        if not self.open_button.isEnabled():
            return
        try:
            paise = parse_rupees(self.amount_edit.text() or "0")
        except MoneyFormatError:
            self.show_error(self.tr("Type the opening cash in rupees, e.g. 500 or 1,250.50."))
            return
        self.message.clear()
        self.submitted.emit(paise)
