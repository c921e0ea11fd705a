"""Every screen of the main window, registered in ONE place.

A screen is a QWidget built by `factory(ctx)`. Its module is imported only when the screen is first
opened (fast start-up; and the shell still works while a screen family is being written). A role that
lacks `permission` never sees the screen (the services check permissions again on every call).

Optional methods a screen may define (duck-typed, all on the GUI thread):
    activated() -> None                       called each time the screen is shown (e.g. focus the search)
    help_shortcuts() -> list[tuple[str, str, str]]
                                              (key sequence, translation context, English source text) for
                                              the F1 overlay, which shows each text in English and Hindi;
                                              the source text must be in a .ts file under that context.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QStyle, QVBoxLayout, QWidget

from app.security.roles import Actor, Permission
from ui.context import UiContext

log = logging.getLogger(__name__)

ScreenFactory = Callable[[UiContext], QWidget]


@dataclass(frozen=True)
class ScreenSpec:
    id: str
    title: str  # English source text, translated in context "Screens"
    icon: QStyle.StandardPixmap
    factory: str | ScreenFactory  # "package.module:ClassName" (imported lazily) or a callable
    permission: Permission | None  # None: every signed-in user
    shortcut: str = ""  # e.g. "Ctrl+1"

    def translated_title(self) -> str:
        return QCoreApplication.translate("Screens", self.title)

    def visible_to(self, actor: Actor) -> bool:
        return self.permission is None or actor.can(self.permission)

    def create(self, ctx: UiContext) -> QWidget:
        factory = self.factory
        if isinstance(factory, str):
            module_name, _, class_name = factory.partition(":")
            try:
                factory = getattr(importlib.import_module(module_name), class_name)
            except (ImportError, AttributeError):
                log.exception("screen %s (%s) is not available", self.id, self.factory)
                return UnavailableScreen(self)
        return factory(ctx)


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec(
        "counter",
        str(QT_TRANSLATE_NOOP("Screens", "Counter")),
        QStyle.StandardPixmap.SP_DialogApplyButton,
        "ui.counter.screen:CounterScreen",
        Permission.COLLECT,
        "Ctrl+1",
    ),
    ScreenSpec(
        "receipts",
        str(QT_TRANSLATE_NOOP("Screens", "Receipts")),
        QStyle.StandardPixmap.SP_FileDialogDetailedView,
        "ui.receipts.screen:ReceiptsScreen",
        Permission.VIEW_RECEIPTS,
        "Ctrl+2",
    ),
    ScreenSpec(
        "dayend",
        str(QT_TRANSLATE_NOOP("Screens", "Day-end")),
        QStyle.StandardPixmap.SP_DialogSaveButton,
        "ui.dayend.screen:DayEndScreen",
        Permission.DAY_END,
        "Ctrl+3",
    ),
    ScreenSpec(
        "registers",
        str(QT_TRANSLATE_NOOP("Screens", "Registers")),
        QStyle.StandardPixmap.SP_FileDialogContentsView,
        "ui.registers.screen:RegistersScreen",
        Permission.VIEW_RECEIPTS,
        "Ctrl+5",
    ),
    ScreenSpec(
        "overview",
        str(QT_TRANSLATE_NOOP("Screens", "Office")),
        QStyle.StandardPixmap.SP_ComputerIcon,
        "ui.overview:OverviewScreen",
        None,
        "Ctrl+4",
    ),
    # Master-data conflicts from sync: a supervisor or the admin decides. The permission is the one
    # SyncService.resolve_conflict requires (it checks again), so nobody sees a screen they cannot use.
    ScreenSpec(
        "conflicts",
        str(QT_TRANSLATE_NOOP("Screens", "Sync conflicts")),
        QStyle.StandardPixmap.SP_BrowserReload,
        "ui.sync.conflicts:ConflictsScreen",
        Permission.RESOLVE_SYNC_CONFLICTS,
        "Ctrl+6",
    ),
    # Issue 5: water connections, meter readings, demand runs (supervisor and admin).
    ScreenSpec(
        "water",
        str(QT_TRANSLATE_NOOP("Screens", "Water")),
        QStyle.StandardPixmap.SP_DriveNetIcon,
        "ui.water.screen:WaterScreen",
        Permission.MANAGE_WATER,
        "Ctrl+7",
    ),
    # Issue 5: trade licences. Everyone who reads the property register sees the licence register (a
    # citizen asks at any desk); processing and approving buttons follow PROCESS/APPROVE_TRADE_LICENCE.
    ScreenSpec(
        "trade",
        str(QT_TRANSLATE_NOOP("Screens", "Trade licences")),
        QStyle.StandardPixmap.SP_FileDialogListView,
        "ui.trade.screen:TradeScreen",
        Permission.VIEW_PROPERTY,
        "Ctrl+8",
    ),
    # Issue 5: solid-waste user-charge payers and their monthly charges (supervisor and admin).
    ScreenSpec(
        "swm",
        str(QT_TRANSLATE_NOOP("Screens", "User charges")),
        QStyle.StandardPixmap.SP_TrashIcon,
        "ui.swm.screen:SwmScreen",
        Permission.MANAGE_SWM,
        "Ctrl+9",
    ),
    # Issue 5: demand, collection and balance statement (supervisor, commissioner, admin).
    ScreenSpec(
        "dcb",
        str(QT_TRANSLATE_NOOP("Screens", "DCB statement")),
        QStyle.StandardPixmap.SP_FileDialogInfoView,
        "ui.dcb.screen:DcbScreen",
        Permission.VIEW_DCB,
        "Ctrl+0",
    ),
)


def screens_for(actor: Actor, screens: tuple[ScreenSpec, ...] = SCREENS) -> list[ScreenSpec]:
    return [spec for spec in screens if spec.visible_to(actor)]


class UnavailableScreen(QWidget):
    """Shown in place of a screen whose module cannot be imported (logged)."""

    def __init__(self, spec: ScreenSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.retranslateUi()

    def changeEvent(self, event: object) -> None:
        from PySide6.QtCore import QEvent

        if isinstance(event, QEvent) and event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)  # type: ignore[arg-type]

    def retranslateUi(self) -> None:
        self.label.setText(
            self.tr("The {screen} screen is not available in this build. See the log for details.").format(
                screen=self.spec.translated_title()
            )
        )
