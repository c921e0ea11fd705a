"""F1: the keyboard shortcuts, in English and Hindi side by side, over the current screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QHideEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

# (key sequence, translation context, English source). Hindi comes from the loaded .qm files.
Shortcut = tuple[str, str, str]
Lookup = Callable[[str, str, str], str]  # (language, context, source) -> text


class HelpOverlay(QWidget):
    """A dimmed layer covering its parent with a two-language table of shortcuts. Esc, F1 or a click closes."""

    def __init__(self, parent: QWidget, lookup: Lookup) -> None:
        super().__init__(parent)
        self.setObjectName("HelpOverlay")
        self.lookup = lookup
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.panel = QFrame(self)
        self.panel.setObjectName("HelpPanel")
        self.panel.setStyleSheet("#HelpPanel { background: white; border: 2px solid #1a56db; border-radius: 6px; }")
        self.title = QLabel()
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 10) * 1.3)
        self.title.setFont(title_font)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("shortcuts")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.close_hint = QLabel()
        self.close_hint.setStyleSheet("color:#555;")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        layout.addWidget(self.close_hint)
        self._shortcuts: list[Shortcut] = []
        self._return_focus: QWidget | None = None
        parent.installEventFilter(self)
        self.hide()
        self.retranslateUi()

    def show_shortcuts(self, shortcuts: list[Shortcut]) -> None:
        from PySide6.QtWidgets import QApplication

        focused = QApplication.focusWidget()
        self._return_focus = focused if focused is not None and focused is not self else None
        self._shortcuts = list(shortcuts)
        self._fill()
        self._fit()
        self.show()
        self.raise_()
        self.setFocus()

    def _fill(self) -> None:
        self.table.setRowCount(len(self._shortcuts))
        for row, (keys, context, source) in enumerate(self._shortcuts):
            cells = (keys, self.lookup("en", context, source), self.lookup("hi", context, source))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Key"), "English", "हिन्दी"])
        self.close_hint.setText(self.tr("Esc or F1 closes this list."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        width = min(max(560, int(parent.width() * 0.75)), parent.width() - 40)
        self.panel.setFixedWidth(width)
        self.table.resizeRowsToContents()
        table_height = self.table.verticalHeader().length() + self.table.horizontalHeader().height()
        table_height += 2 * self.table.frameWidth() + 2
        self.table.setMinimumHeight(min(table_height, max(120, parent.height() - 200)))
        chrome = self.title.sizeHint().height() + self.close_hint.sizeHint().height() + 28 + 2 * 12
        height = min(parent.height() - 40, table_height + chrome)
        self.panel.setGeometry((parent.width() - width) // 2, (parent.height() - height) // 2, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False

    def hideEvent(self, event: QHideEvent) -> None:
        target, self._return_focus = self._return_focus, None
        if target is not None:
            import shiboken6

            if shiboken6.isValid(target) and target.isVisible():
                target.setFocus()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 110))
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.hide()
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        event.accept()
