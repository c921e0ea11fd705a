"""The "Office" screen: who is signed in, on which device of which ULB, and the data folder.

Every role sees it, so a user whose role has no other screen yet (engineer, HR) still lands somewhere
sensible. Later issues add their screens to ui/screens.py.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from ui.context import UiContext

ROLE_NAMES = {
    "clerk": QT_TRANSLATE_NOOP("OverviewScreen", "Counter clerk"),
    "supervisor": QT_TRANSLATE_NOOP("OverviewScreen", "Cashier-supervisor"),
    "engineer": QT_TRANSLATE_NOOP("OverviewScreen", "Engineer"),
    "hr": QT_TRANSLATE_NOOP("OverviewScreen", "HR"),
    "accounts": QT_TRANSLATE_NOOP("OverviewScreen", "Accounts"),
    "commissioner": QT_TRANSLATE_NOOP("OverviewScreen", "Commissioner"),
    "admin": QT_TRANSLATE_NOOP("OverviewScreen", "Administrator"),
}


class OverviewScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OverviewScreen")
        self.ctx = ctx
        self.heading = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.labels = {key: QLabel() for key in ("user", "role", "ulb", "device", "data")}
        self.values = {key: QLabel() for key in self.labels}
        for value in self.values.values():
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#555;")
        form = QFormLayout()
        for key in self.labels:
            form.addRow(self.labels[key], self.values[key])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.heading)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.retranslateUi()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        device = self.ctx.services.device
        hindi = self.ctx.language == "hi"
        self.heading.setText(device.ulb_name_hi if hindi else device.ulb_name_en)
        self.labels["user"].setText(self.tr("Signed in as"))
        self.labels["role"].setText(self.tr("Role"))
        self.labels["ulb"].setText(self.tr("Urban local body"))
        self.labels["device"].setText(self.tr("Office and counter"))
        self.labels["data"].setText(self.tr("Data folder"))
        actor = self.ctx.actor
        self.values["user"].setText(f"{actor.full_name} ({actor.username})")
        self.values["role"].setText(self.tr(str(ROLE_NAMES.get(actor.role.value, actor.role.value))))
        self.values["ulb"].setText(f"{device.ulb_name_en} / {device.ulb_name_hi} ({device.ulb_code})")
        self.values["device"].setText(
            self.tr("Office {office}, counter {counter}").format(office=device.office_code, counter=device.counter_code)
        )
        self.values["data"].setText(str(self.ctx.services.data_dir))
        self.note.setText(
            self.tr(
                "Use the list on the left (or Ctrl+1, Ctrl+2, …) to open a screen. Press F1 for the keyboard "
                "shortcuts. Screens your role may not use are not shown."
            )
        )
