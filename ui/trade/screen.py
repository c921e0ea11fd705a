"""Trade licences screen: applications and licences with their status and flags (deemed granted,
expired), filters, a new application, the selected one's detail and history with the workflow
buttons the user's role allows, the renewal due list, and "Print certificate" (a PDF saved under
the data folder's reports/ and opened).

Everything is read and written through ctx.ops (never on the GUI thread); the service checks the
permissions again. The tables hold plain strings built from app.trade.dto.LicenceView.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import business_date
from app.core.fy import FinancialYear
from app.core.money import format_inr
from app.errors import NikayError
from app.masters.models import Ward
from app.masters.tariffs import TradeLicenceTariff
from app.security.roles import Permission
from app.trade.dto import OPEN_STATUSES, LicenceInput, LicenceView
from ui.common.format import day, moment
from ui.common.widgets import MessageBanner
from ui.context import UiContext
from ui.trade.dialogs import ApplicationDialog, ReasonDialog
from ui.trade.texts import ACTIONS, BANDS, TYPES, kind_text, status_text, tr, word

DEEMED_BG = QColor("#fff3cd")
EXPIRED_FG = QColor("#b00020")
SHORTCUTS_CONTEXT = "TradeShortcuts"
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", str(QT_TRANSLATE_NOOP("TradeShortcuts", "Search licences"))),
    ("Ctrl+N", str(QT_TRANSLATE_NOOP("TradeShortcuts", "New application"))),
    ("Ctrl+P", str(QT_TRANSLATE_NOOP("TradeShortcuts", "Print the licence certificate"))),
)
STATUS_FILTERS = ("", "APPLIED", "DOCUMENT_CHECK", "INSPECTION", "APPROVED", "ISSUED", "EXPIRED", "REJECTED")


def _cell(text: str, data: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    return table


class TradeScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TradeScreen")
        self.ctx = ctx
        actor = ctx.actor
        self.can_process = actor.can(Permission.PROCESS_TRADE_LICENCE)
        self.can_approve = actor.can(Permission.APPROVE_TRADE_LICENCE)
        self.views: list[LicenceView] = []
        self.due: list[LicenceView] = []
        self.detail: LicenceView | None = None
        self.fee_basis: tuple[TradeLicenceTariff, str] | None = None
        self.ward_count = 1
        self.busy = False
        self.dialog: ApplicationDialog | None = None
        self.last_certificate: Path | None = None
        self.open_certificates = True  # tests turn this off: no PDF viewer in CI

        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.25)
        self.heading.setFont(font)
        self.banner = MessageBanner()

        # -- filters
        self.search = QLineEdit()
        self.search.setObjectName("tradeSearch")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.reload)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("tradeStatusFilter")
        for status in STATUS_FILTERS:
            self.status_filter.addItem(status, status)
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.ward_filter = QSpinBox()
        self.ward_filter.setRange(0, 999)
        self.ward_filter.valueChanged.connect(self.reload)
        self.deemed_only = QCheckBox()
        self.deemed_only.setObjectName("tradeDeemedOnly")
        self.deemed_only.toggled.connect(self.reload)
        self.new_button = QPushButton()
        self.new_button.setObjectName("tradeNew")
        self.new_button.clicked.connect(self._new_application)
        self.new_button.setVisible(self.can_process)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.ward_filter)
        filters.addWidget(self.deemed_only)
        filters.addStretch(0)
        filters.addWidget(self.refresh_button)
        filters.addWidget(self.new_button)

        # -- list
        self.list = _table(6, "tradeList")
        self.list.itemSelectionChanged.connect(self._selected)
        header = self.list.horizontalHeader()
        for column in range(6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The trade name gets a fixed share (long names elide, the tooltip has them); the note takes the rest.
        for column, width in ((1, 150), (2, 125)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)

        # -- detail
        self.detail_label = QLabel()
        self.detail_label.setObjectName("tradeDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.events = _table(4, "tradeEvents")
        self.events.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        events_header = self.events.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
            )
        ):
            events_header.setSectionResizeMode(column, mode)
        self.buttons: dict[str, QPushButton] = {}
        actions = QGridLayout()  # two rows: seven buttons in one would make the detail pane too wide
        for index, (key, allowed) in enumerate(
            (
                ("document_check", self.can_process),
                ("inspection", self.can_process),
                ("approve", self.can_approve),
                ("reject", self.can_approve),
                ("issue", self.can_approve),
                ("renew", self.can_process),
                ("certificate", True),
            )
        ):
            button = QPushButton()
            button.setObjectName(f"trade_{key}")
            button.setVisible(allowed)
            button.clicked.connect(lambda _checked=False, k=key: self.act(k))
            self.buttons[key] = button
            actions.addWidget(button, index // 3, index % 3)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.detail_label)
        self.history_label = QLabel()
        right_layout.addWidget(self.history_label)
        right_layout.addWidget(self.events, 1)
        right_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 440])

        licences_tab = QWidget()
        licences_layout = QVBoxLayout(licences_tab)
        licences_layout.addLayout(filters)
        licences_layout.addWidget(splitter, 1)

        # -- renewal due
        self.due_intro = QLabel()
        self.due_intro.setWordWrap(True)
        self.due_list = _table(6, "tradeRenewalDue")
        due_header = self.due_list.horizontalHeader()
        for column in range(6):
            due_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        due_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.renew_due_button = QPushButton()
        self.renew_due_button.setObjectName("tradeRenewDue")
        self.renew_due_button.setVisible(self.can_process)
        self.renew_due_button.clicked.connect(self.renew_due_selected)
        due_tab = QWidget()
        due_layout = QVBoxLayout(due_tab)
        due_layout.addWidget(self.due_intro)
        due_layout.addWidget(self.due_list, 1)
        due_buttons = QHBoxLayout()
        due_buttons.addStretch(1)
        due_buttons.addWidget(self.renew_due_button)
        due_layout.addLayout(due_buttons)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tradeTabs")
        self.tabs.addTab(licences_tab, "")
        self.tabs.addTab(due_tab, "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

        for keys, slot in (
            ("Ctrl+F", self._focus_search),
            ("Ctrl+N", self._new_application),
            ("Ctrl+P", lambda: self.act("certificate")),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

        self.retranslateUi()
        self._load_basis()
        # Licences past 31 March become EXPIRED on record (lists show them expired either way).
        trade = ctx.services.trade
        ctx.ops.write(lambda: trade.expire_due(None), lambda _count: None, self._failed)
        self.reload()

    # ---- shell hooks ----------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()
        self.search.setFocus()

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        return [(keys, SHORTCUTS_CONTEXT, text) for keys, text in SHORTCUTS]

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ---- loading ----------------------------------------------------------------------------------

    def today(self) -> date:
        return business_date(self.ctx.services.clock.now_utc())

    def _load_basis(self) -> None:
        services = self.ctx.services
        trade = services.trade

        def read() -> tuple[tuple[TradeLicenceTariff, str] | None, int]:
            with services.db.read() as session:
                from sqlalchemy import func, select

                wards = session.scalar(select(func.count()).select_from(Ward).where(Ward.ulb_code == trade.ulb_code))
            try:
                basis = (trade.tariff(FinancialYear.of(trade.today()).code), trade.ulb_class())
            except NikayError:
                basis = None
            return basis, int(wards or 1)

        self.ctx.ops.read(read, self._basis_loaded, self._failed)

    def _basis_loaded(self, result: tuple[tuple[TradeLicenceTariff, str] | None, int]) -> None:
        self.fee_basis, self.ward_count = result

    @Slot()
    def reload(self) -> None:
        trade = self.ctx.services.trade
        status = str(self.status_filter.currentData() or "") or None
        text = self.search.text()
        ward = self.ward_filter.value() or None
        deemed = self.deemed_only.isChecked()

        def read() -> tuple[list[LicenceView], list[LicenceView]]:
            return trade.licences(status=status, text=text, ward_no=ward, deemed_only=deemed), trade.renewal_due()

        self.ctx.ops.read(read, self._loaded, self._failed)

    def _loaded(self, result: tuple[list[LicenceView], list[LicenceView]]) -> None:
        keep = self.detail.uuid if self.detail is not None else None
        self.views, self.due = result
        self._fill_list()
        self._fill_due()
        row = next((i for i, v in enumerate(self.views) if v.uuid == keep), 0 if self.views else -1)
        if row >= 0:
            self.list.selectRow(row)
        self._selected()

    def _failed(self, error: Exception) -> None:
        self.busy = False
        self.banner.show_message(str(error), "error")
        self._update_buttons()

    def _fill_list(self) -> None:
        self.list.setRowCount(len(self.views))
        for row, view in enumerate(self.views):
            cells = (
                view.number,
                self._local(view.trade_name, view.trade_name_hi),
                self._local(view.owner_name_en, view.owner_name_hi),
                str(view.ward_no),
                status_text(view),
                self._flag(view),
            )
            for column, text in enumerate(cells):
                item = _cell(text, view.uuid)
                if view.deemed_granted:
                    item.setBackground(DEEMED_BG)
                if view.expired and column in (4, 5):
                    item.setForeground(EXPIRED_FG)
                self.list.setItem(row, column, item)

    def _local(self, en: str, hi: str) -> str:
        """A name in the screen's language when it has one, else in the other."""
        return (hi or en) if self.ctx.language == "hi" else (en or hi)

    def _flag(self, view: LicenceView) -> str:
        if view.deemed_granted and view.deemed_granted_on is not None:
            return tr("Deemed granted since {day}").format(day=day(view.deemed_granted_on))
        if view.expired and view.valid_to is not None:
            return tr("Expired on {day}").format(day=day(view.valid_to))
        if view.status == "APPROVED" and not view.fee_paid:
            return tr("Fee due {amount}").format(amount=format_inr(view.fee_due_paise))
        if view.status == "ISSUED" and view.valid_to is not None:
            return tr("Valid to {day}").format(day=day(view.valid_to))
        return ""

    def _fill_due(self) -> None:
        self.due_list.setRowCount(len(self.due))
        today = self.today()
        for row, view in enumerate(self.due):
            if view.expired:
                state = tr("Expired")
            else:
                days = (view.valid_to - today).days if view.valid_to else 0
                state = tr("Expires in {days} days").format(days=days)
            cells = (
                view.licence_no,
                self._local(view.trade_name, view.trade_name_hi),
                self._local(view.owner_name_en, view.owner_name_hi),
                str(view.ward_no),
                day(view.valid_to) if view.valid_to else "",
                state,
            )
            for column, text in enumerate(cells):
                item = _cell(text, view.uuid)
                if view.expired and column == 5:
                    item.setForeground(EXPIRED_FG)
                self.due_list.setItem(row, column, item)

    # ---- selection and detail ---------------------------------------------------------------------

    def current(self) -> LicenceView | None:
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self.views[row] if 0 <= row < len(self.views) else None

    def select(self, uuid: str) -> None:
        row = next((i for i, v in enumerate(self.views) if v.uuid == uuid), -1)
        if row >= 0:
            self.list.selectRow(row)

    @Slot()
    def _selected(self) -> None:
        view = self.current()
        if view is None:
            self.detail = None
            self._render_detail()
            return
        trade = self.ctx.services.trade
        uuid = view.uuid
        self.ctx.ops.read(lambda: trade.get(uuid), self._detail_loaded, self._failed)

    def _detail_loaded(self, view: LicenceView) -> None:
        self.detail = view
        self._render_detail()

    def _render_detail(self) -> None:
        view = self.detail
        self._update_buttons()
        if view is None:
            self.detail_label.setText(tr("Select an application or licence on the left."))
            self.events.setRowCount(0)
            return

        def row(label: str, value: str) -> str:
            return (
                f"<tr><td valign='middle' style='color:#555;padding-right:10px'>{label}</td>"
                f"<td valign='middle'>{_esc(value)}</td></tr>"
            )

        rows = [
            row(tr("Application No."), f"{view.application_no} ({word(TYPES, view.application_type)})"),
        ]
        if view.licence_no:
            rows.append(row(tr("Licence No."), view.licence_no))
        rows += [
            row(tr("Status"), status_text(view)),
            row(tr("Trade"), " / ".join(t for t in (view.trade_name, view.trade_name_hi) if t)),
            row(tr("Owner"), " / ".join(t for t in (view.owner_name_en, view.owner_name_hi) if t)),
            row(tr("Mobile"), view.mobile or "—"),
            row(tr("Address"), " / ".join(t for t in (view.address_en, view.address_hi) if t) or "—"),
            row(tr("Ward"), str(view.ward_no)),
        ]
        if view.property_id:
            rows.append(row(tr("Property ID"), view.property_id))
        kind = kind_text(view.trade_kind)
        if view.trade_kind == "SHOP" and view.area_sqft is not None and view.road_width_m is not None:
            kind += " · " + tr("{area} sq ft, road {width} m ({band})").format(
                area=view.area_sqft, width=view.road_width_m, band=word(BANDS, view.road_band)
            )
        rows += [
            row(tr("Kind of trade"), kind),
            row(tr("Licence year"), view.licence_year),
            row(tr("Applied on"), day(view.applied_on)),
        ]
        if view.decided_on:
            rows.append(row(tr("Decided on"), day(view.decided_on)))
        if view.fee_paise:
            fee = format_inr(view.fee_paise)
            if view.fee_paid:
                fee += " — " + tr("paid")
                if view.fee_receipt_no:
                    fee += f" ({view.fee_receipt_no}"
                    fee += f", {day(view.fee_receipt_date)})" if view.fee_receipt_date else ")"
            else:
                fee += " — " + tr("{amount} due at the counter").format(amount=format_inr(view.fee_due_paise))
            rows.append(row(tr("Licence fee"), fee))
        if view.valid_to:
            rows.append(row(tr("Valid to"), day(view.valid_to)))
        if view.rejection_reason:
            rows.append(row(tr("Reason for rejection"), view.rejection_reason))
        flag = ""
        if view.deemed_granted and view.deemed_granted_on is not None:
            flag = (
                "<p style='background:#fff3cd;padding:4px'>"
                + _esc(
                    tr(
                        "Deemed granted since {day}: not decided within the days the rules allow. "
                        "Approve it now (no inspection needed) or record why not."
                    ).format(day=day(view.deemed_granted_on))
                )
                + "</p>"
            )
        elif view.expired:
            flag = "<p style='color:#b00020'><b>" + _esc(tr("This licence has expired: renew it.")) + "</b></p>"
        self.detail_label.setText(flag + "<table>" + "".join(rows) + "</table>")
        self.events.setRowCount(len(view.events))
        for index, event in enumerate(view.events):
            remarks = word(TYPES, event.remarks) if event.action == "apply" else event.remarks
            cells = (moment(event.at), word(ACTIONS, event.action), event.username or tr("system"), remarks)
            for column, text in enumerate(cells):
                self.events.setItem(index, column, _cell(text))

    def _update_buttons(self) -> None:
        view = self.detail
        status = view.status if view else ""
        deemed = bool(view and view.deemed_granted)
        allowed = {
            "document_check": status == "APPLIED",
            "inspection": status == "DOCUMENT_CHECK",
            "approve": status == "INSPECTION" or (deemed and status in OPEN_STATUSES),
            "reject": status in OPEN_STATUSES,
            "issue": status == "APPROVED" and bool(view and view.fee_paid),
            "renew": status in ("ISSUED", "EXPIRED"),
            "certificate": status in ("ISSUED", "EXPIRED"),
        }
        for key, button in self.buttons.items():
            button.setEnabled(allowed[key] and not self.busy)
        if view is not None and status == "APPROVED" and not view.fee_paid:
            self.buttons["issue"].setToolTip(tr("The fee is collected at the counter first"))
        else:
            self.buttons["issue"].setToolTip("")

    # ---- actions ----------------------------------------------------------------------------------

    def act(self, key: str, reason: str | None = None) -> None:
        view = self.detail
        if view is None or self.busy:
            return
        if key == "certificate":
            self.print_certificate()
            return
        if key == "renew":
            self.open_renewal(view)
            return
        trade, actor, uuid = self.ctx.services.trade, self.ctx.actor, view.uuid
        if key == "reject" and reason is None:
            dialog = ReasonDialog(self, view.application_no)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            reason = dialog.reason()
        text = reason or ""
        steps: dict[str, Callable[[], LicenceView]] = {
            "document_check": lambda: trade.start_document_check(actor, uuid),
            "inspection": lambda: trade.start_inspection(actor, uuid),
            "approve": lambda: trade.approve(actor, uuid),
            "reject": lambda: trade.reject(actor, uuid, text),
            "issue": lambda: trade.issue(actor, uuid),
        }
        run = steps[key]
        self.busy = True
        self._update_buttons()
        self.ctx.ops.write(run, self._acted, self._failed)

    def _acted(self, view: LicenceView) -> None:
        self.busy = False
        self.detail = view
        self.banner.show_message(tr("{number}: {status}").format(number=view.number, status=status_text(view)), "info")
        self.ctx.show_message(self.banner.text())
        self.reload()

    def _new_application(self) -> None:
        self.open_application()

    def open_application(self, prefill: LicenceInput | None = None, property_id: str = "") -> ApplicationDialog | None:
        if not self.can_process:
            return None
        dialog = ApplicationDialog(self, self.fee_basis, self.ward_count, prefill, property_id)
        dialog.submitted.connect(self._submit_application)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_renewal(self, view: LicenceView) -> ApplicationDialog | None:
        trade = self.ctx.services.trade
        uuid, property_id = view.uuid, view.property_id

        def opened(data: LicenceInput) -> None:
            self.open_application(data, property_id)

        self.ctx.ops.read(lambda: trade.renewal_input(uuid), opened, self._failed)
        return None

    @Slot()
    def renew_due_selected(self) -> None:
        rows = self.due_list.selectionModel().selectedRows() if self.due_list.selectionModel() else []
        if rows and 0 <= rows[0].row() < len(self.due):
            self.open_renewal(self.due[rows[0].row()])

    def _submit_application(self, data: LicenceInput, property_id: str) -> None:
        services, actor = self.ctx.services, self.ctx.actor

        def run() -> LicenceView:
            linked = data
            if property_id:
                found = services.properties.get_by_property_id(property_id)
                linked = LicenceInput(**{**data.__dict__, "property_uuid": found.uuid})
            return services.trade.apply(actor, linked)

        def done(view: LicenceView) -> None:
            if self.dialog is not None:
                self.dialog.accept()
                self.dialog = None
            self.detail = view
            self.status_filter.setCurrentIndex(0)
            self.search.clear()
            self._acted(view)

        def failed(error: Exception) -> None:
            if self.dialog is not None:
                self.dialog.show_error(str(error))
            else:
                self._failed(error)

        self.ctx.ops.write(run, done, failed)

    def default_certificate_path(self, view: LicenceView) -> Path:
        safe = re.sub(r"[^A-Za-z0-9-]+", "-", view.licence_no).strip("-")
        return self.ctx.services.data_dir / "reports" / f"licence-{safe}.pdf"

    def print_certificate(self, path: Path | None = None) -> None:
        view = self.detail
        if view is None or view.status not in ("ISSUED", "EXPIRED"):
            return
        target = path or self.default_certificate_path(view)
        trade, uuid = self.ctx.services.trade, view.uuid
        self.banner.show_message(tr("Making the certificate…"), "info")

        def write() -> Path:
            data = trade.certificate_pdf(uuid)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(target.name + ".part")
                partial.write_bytes(data)
                partial.replace(target)
            except OSError as error:
                raise NikayError(f"{target}: {error.strerror or error}") from error
            return target

        self.ctx.ops.read(write, self._certificate_saved, self._failed)

    def _certificate_saved(self, path: Path) -> None:
        self.last_certificate = path
        message = tr("Certificate saved: {path}").format(path=str(path))
        self.banner.show_message(message, "info")
        self.ctx.show_message(message)
        if self.open_certificates:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # ---- language ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.heading.setText(tr("Trade licences"))
        self.tabs.setTabText(0, tr("Applications and licences"))
        self.tabs.setTabText(1, tr("Renewal due"))
        self.search.setPlaceholderText(tr("Number, trade, owner or mobile (Ctrl+F)"))
        labels = {
            "": tr("All statuses"),
            "APPLIED": tr("Applied"),
            "DOCUMENT_CHECK": tr("Document check"),
            "INSPECTION": tr("Inspection"),
            "APPROVED": tr("Approved"),
            "ISSUED": tr("Issued"),
            "EXPIRED": tr("Expired"),
            "REJECTED": tr("Rejected"),
        }
        for index in range(self.status_filter.count()):
            self.status_filter.setItemText(index, labels[str(self.status_filter.itemData(index))])
        self.ward_filter.setSpecialValueText(tr("All wards"))
        self.ward_filter.setPrefix("")
        self.deemed_only.setText(tr("Deemed granted only"))
        self.new_button.setText(tr("New application…"))
        self.refresh_button.setText(tr("Refresh"))
        texts = {
            "document_check": tr("Document check"),
            "inspection": tr("Inspection"),
            "approve": tr("Approve"),
            "reject": tr("Reject…"),
            "issue": tr("Issue licence"),
            "renew": tr("Renew…"),
            "certificate": tr("Print certificate"),
        }
        for key, button in self.buttons.items():
            button.setText(texts[key])
        self.list.setHorizontalHeaderLabels(
            [tr("Number"), tr("Trade"), tr("Owner"), tr("Ward"), tr("Status"), tr("Note")]
        )
        self.events.setHorizontalHeaderLabels([tr("When"), tr("Step"), tr("By"), tr("Remarks")])
        self.history_label.setText(tr("History"))
        self.due_intro.setText(
            tr(
                "Issued licences that expire within the notice period, and expired ones not yet renewed. "
                "Select one and press Renew to take the renewal application."
            )
        )
        self.due_list.setHorizontalHeaderLabels(
            [tr("Licence No."), tr("Trade"), tr("Owner"), tr("Ward"), tr("Valid to"), tr("State")]
        )
        self.renew_due_button.setText(tr("Renew…"))
        if self.views:
            self._fill_list()
        if self.due:
            self._fill_due()
        self._render_detail()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
