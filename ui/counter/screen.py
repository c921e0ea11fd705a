"""The counter: one screen, three zones — search (top), the selected property's dues (middle), payment (right).

Keyboard path (docs: shared/domain/counter-ux.md): focus starts in search; typing searches (debounced,
on the read pool; a stale answer never overwrites a newer query's); ↑/↓ move through the results; Enter
selects; the amount defaults to the full payable and typing replaces it; F5/F6/F7 choose the mode; F10 or
Ctrl+Enter opens the one confirmation; Enter saves the receipt (on the writer thread, with a request id
made when the confirmation opened, so a double Enter can never make two receipts); the receipt preview
shows and the focus returns to an empty search. Esc backs out one step and never saves anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.billing.dto import AccountHit, AccountRef, Bill, BillAllocation, BillCollectRequest, BillSection
from app.collections.dto import CollectRequest, CounterSessionInfo, Mode, Payment, ReceiptSummary, ReceiptView
from app.core.clock import business_date, format_date
from app.core.ids import new_uuid
from app.core.money import format_inr
from app.core.words import amount_in_words
from app.demand.dto import Allocation, Dues, Service
from app.property.dto import PropertyDetail
from ui.common.widgets import MessageBanner
from ui.context import UiContext
from ui.counter.confirm import ConfirmationOverlay, ConfirmationText
from ui.counter.labels import mode_label, service_label
from ui.counter.models import DuesModel, SearchHit, SearchResultsModel, is_combined, property_dues
from ui.counter.opening_cash import OpeningCashPanel
from ui.counter.payment import PaymentPanel
from ui.counter.receipt_view import ReceiptPreview

SEARCH_DEBOUNCE_MS = 120
PREVIEW_DEBOUNCE_MS = 120
SEARCH_LIMIT = 30

#: The counter's keys, for the F1 help overlay and the tooltips. Texts are translation sources in the
#: context SHORTCUTS_CONTEXT (QCoreApplication.translate(SHORTCUTS_CONTEXT, text)).
SHORTCUTS_CONTEXT = "CounterShortcuts"
SHORTCUTS: tuple[tuple[str, str], ...] = (
    (
        "F2",
        QT_TRANSLATE_NOOP(
            "CounterShortcuts",
            "Search: property ID, old ID, owner name or mobile; water consumer no., licence no., user-charge ID",
        ),
    ),
    ("↑ / ↓", QT_TRANSLATE_NOOP("CounterShortcuts", "Move through the search results")),
    ("Enter", QT_TRANSLATE_NOOP("CounterShortcuts", "Select the property / save the receipt in the confirmation")),
    ("F4", QT_TRANSLATE_NOOP("CounterShortcuts", "Go to the bill's lines (↑/↓ move, Space ticks, Enter back)")),
    ("Space", QT_TRANSLATE_NOOP("CounterShortcuts", "Tick or untick the line (pay it now or not)")),
    ("F8", QT_TRANSLATE_NOOP("CounterShortcuts", "Tick all lines / none")),
    ("F5", QT_TRANSLATE_NOOP("CounterShortcuts", "Cash (type the tendered amount; change is shown)")),
    ("F6", QT_TRANSLATE_NOOP("CounterShortcuts", "Cheque or demand draft")),
    ("F7", QT_TRANSLATE_NOOP("CounterShortcuts", "UPI")),
    ("F10 / Ctrl+Enter", QT_TRANSLATE_NOOP("CounterShortcuts", "Collect: show the confirmation")),
    ("Esc", QT_TRANSLATE_NOOP("CounterShortcuts", "Back one step (nothing is saved)")),
)


def shortcut_help() -> list[tuple[str, str]]:
    """SHORTCUTS in the current UI language."""
    return [(keys, QCoreApplication.translate(SHORTCUTS_CONTEXT, text)) for keys, text in SHORTCUTS]


def _font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


class CounterScreen(QWidget):
    """The cash counter. Everything that touches the database runs through `ctx.ops`."""

    PAGE_OPENING = 0
    PAGE_COUNTER = 1
    MIDDLE_DUES = 0
    MIDDLE_RECEIPT = 1

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterScreen")
        self.ctx = ctx
        self._session: CounterSessionInfo | None = None
        self._session_known = False
        self._search_seq = 0
        self._searched_text = ""
        self._search_in_flight = False
        self._select_on_arrival = False
        self._property_seq = 0
        self._property_loading = False
        self._detail: PropertyDetail | None = None
        self._dues: Dues | None = None
        self._bill: Bill | None = None  # what is selected: a property's bill or another account's
        self._confirmation_pending = False  # a combined bill's amount is being checked before the confirmation
        self._last_receipt: ReceiptSummary | None = None
        self._preview_seq = 0
        self._request: CollectRequest | BillCollectRequest | None = None
        self._focus_before_confirmation: QWidget | None = None
        self.last_receipt: ReceiptView | None = None

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self._run_preview)
        self._build()
        self._build_shortcuts()
        self.retranslate()

        self.search_edit.textEdited.connect(self._on_search_edited)
        self.search_edit.installEventFilter(self)
        self.payment.amount_edit.installEventFilter(self)
        self.dues_view.installEventFilter(self)
        self.dues_model.choice_changed.connect(self._on_choice_changed)
        self.results_view.doubleClicked.connect(self._on_result_activated)
        self.payment.amount_changed.connect(self._on_amount_changed)
        self.payment.collect_requested.connect(self.open_confirmation)
        self.confirmation.confirmed.connect(self._confirm)
        self.confirmation.back.connect(self._close_confirmation)
        self.opening.submitted.connect(self._open_session)
        self.ctx.events.language_changed.connect(self._on_language_changed)

        self._load_session()

    # -- construction -------------------------------------------------------------------------------

    def _build(self) -> None:
        base = self.font()
        self.stack = QStackedWidget(self)
        self.opening = OpeningCashPanel()
        self.counter_page = QWidget()
        self.stack.addWidget(self.opening)
        self.stack.addWidget(self.counter_page)
        self.stack.setCurrentIndex(self.PAGE_COUNTER)

        # Zone 1: search.
        self.search_label = QLabel()
        self.search_label.setFont(_font(base, 1.1, bold=True))
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setFont(_font(base, 1.3))
        self.search_label.setBuddy(self.search_edit)
        self.result_count = QLabel()
        self.result_count.setObjectName("resultCount")
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.result_count)

        self.results_model = SearchResultsModel(self, self.ctx.language)
        self.results_model.set_base_font(base)
        self.results_view = QTableView()
        self.results_view.setObjectName("resultsView")
        self.results_view.setModel(self.results_model)
        self.results_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ↑/↓/Enter are typed in the search field
        self.results_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setWordWrap(False)
        self.results_view.verticalHeader().hide()
        self.results_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.results_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.results_view.horizontalHeader()
        for column, width in ((0, 130), (1, 90), (3, 50), (4, 105)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.results_view.setMinimumHeight(150)

        # Zone 2: the selected property and its dues (or the receipt just saved).
        self.property_header = QLabel()
        self.property_header.setObjectName("propertyHeader")
        self.property_header.setWordWrap(True)
        self.property_header.setTextFormat(Qt.TextFormat.RichText)
        self.property_header.setStyleSheet("padding: 4px; background: #eef3f8; border-radius: 4px;")
        self.rebate_banner = QLabel()
        self.rebate_banner.setObjectName("rebateBanner")
        self.rebate_banner.setFont(_font(base, 1.2, bold=True))
        self.rebate_banner.setStyleSheet(
            "color: #0b6b2f; background: #e3f4e8; border: 1px solid #9bd3ac; border-radius: 4px; padding: 4px;"
        )
        self.rebate_banner.hide()
        self.dues_model = DuesModel(self)
        self.dues_model.set_base_font(base)
        self.dues_model.set_language(self.ctx.language)
        self.dues_view = QTableView()
        self.dues_view.setObjectName("duesView")
        self.dues_view.setModel(self.dues_model)
        self.dues_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a combined bill's lines take F4 and clicks
        self.dues_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.dues_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.dues_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.dues_view.verticalHeader().hide()
        self.dues_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.dues_view.setFont(_font(base, 1.1))
        dues_header = self.dues_view.horizontalHeader()
        dues_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        dues_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            dues_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.dues_model.modelReset.connect(self._apply_dues_spans)

        self.receipt_banner = QLabel()
        self.receipt_banner.setObjectName("receiptBanner")
        self.receipt_banner.setWordWrap(True)
        self.receipt_banner.setFont(_font(base, 1.15, bold=True))
        self.receipt_banner.setStyleSheet(
            "color: #0b3d1f; background: #e3f4e8; border: 1px solid #9bd3ac; border-radius: 4px; padding: 4px;"
        )
        self.receipt_preview = ReceiptPreview(self.ctx.services.receipts.document_of)
        receipt_page = QWidget()
        receipt_layout = QVBoxLayout(receipt_page)
        receipt_layout.setContentsMargins(0, 0, 0, 0)
        receipt_layout.addWidget(self.receipt_banner)
        receipt_layout.addWidget(self.receipt_preview, 1)

        self.middle = QStackedWidget()
        # A combined bill's total stays in sight under its lines (the table scrolls; the total does not).
        self.bill_total = QLabel()
        self.bill_total.setObjectName("billTotal")
        self.bill_total.setFont(_font(base, 1.5, bold=True))
        self.bill_total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.bill_total.setStyleSheet("color: #ffffff; background: #1f3a5f; padding: 4px 8px;")
        self.bill_total.hide()
        dues_page = QWidget()
        dues_layout = QVBoxLayout(dues_page)
        dues_layout.setContentsMargins(0, 0, 0, 0)
        dues_layout.setSpacing(0)
        dues_layout.addWidget(self.dues_view, 1)
        dues_layout.addWidget(self.bill_total)

        self.middle.addWidget(dues_page)
        self.middle.addWidget(receipt_page)

        # Zone 3: payment.
        self.payment = PaymentPanel()
        self.payment.setMinimumWidth(400)
        self.payment.setMaximumWidth(480)

        self.session_banner = MessageBanner()
        self.session_banner.setObjectName("sessionBanner")
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.session_banner)
        left.addLayout(search_row)
        left.addWidget(self.results_view, 2)
        left.addWidget(self.property_header)
        left.addWidget(self.rebate_banner)
        left.addWidget(self.middle, 5)
        page = QHBoxLayout(self.counter_page)
        page.setContentsMargins(6, 6, 6, 6)
        page.addLayout(left, 1)
        page.addWidget(self.payment)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.confirmation = ConfirmationOverlay(self)
        self._show_property(None, None)

    def _build_shortcuts(self) -> None:
        def shortcut(sequence: QKeySequence | str, slot: object, *, repeat: bool = False) -> QShortcut:
            item = QShortcut(QKeySequence(sequence), self)
            item.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            item.setAutoRepeat(repeat)
            item.activated.connect(slot)
            return item

        self._shortcuts = [
            shortcut("F2", self.focus_search),
            shortcut("Ctrl+F", self.focus_search),
            shortcut("F5", lambda: self._choose_mode(Mode.CASH)),
            shortcut("F6", lambda: self._choose_mode(Mode.CHEQUE)),
            shortcut("F7", lambda: self._choose_mode(Mode.UPI)),
            shortcut("F4", self.focus_bill_lines),
            shortcut("F8", self.tick_all_or_none),
            shortcut("F10", self.open_confirmation),
            shortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return), self.open_confirmation),
            shortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter), self.open_confirmation),
            shortcut("Esc", self.back_one_step),
        ]

    # -- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.search_label.setText(self.tr("&Search (F2)"))
        self.search_edit.setPlaceholderText(
            self.tr("Property ID, owner, mobile, consumer no., licence no. or payer ID")
        )
        self.dues_view.setToolTip(
            self.tr("F4: the bill's lines. Space ticks or unticks a line, F8 ticks all or none, Enter goes back.")
        )
        self.search_edit.setToolTip(self.tr("F2: search. ↑/↓ move through the results, Enter selects, Esc clears."))
        self.results_model.retranslate()
        self.dues_model.retranslate()
        self._refresh_result_count()
        self._refresh_property_header()
        self._refresh_receipt_banner()
        self._refresh_session_banner()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_language_changed(self, language: str) -> None:
        row = self.results_view.currentIndex().row()
        self.results_model.set_language(language)  # owner names in the new script first
        self.dues_model.set_language(language)
        if row >= 0:
            self.results_view.selectRow(row)  # the clerk keeps their place
        self.retranslate()

    # -- session ------------------------------------------------------------------------------------

    def _load_session(self) -> None:
        collections = self.ctx.services.collections
        actor = self.ctx.actor
        self.ctx.ops.read(lambda: collections.current_session(actor), self._on_session_loaded)

    def _on_session_loaded(self, session: CounterSessionInfo | None) -> None:
        self._session = session
        self._session_known = True
        if session is None:
            self.opening.reset()
            self.stack.setCurrentIndex(self.PAGE_OPENING)
            self.opening.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.stack.setCurrentIndex(self.PAGE_COUNTER)
            self.focus_search()
        self._refresh_session_banner()

    def _refresh_session_banner(self) -> None:
        session = self._session
        if session is not None and session.business_date != self.today():
            # Yesterday's session left open: the service refuses to collect until it is closed.
            self.session_banner.show_message(
                self.tr(
                    "The counter session of %1 is still open: close it at Day-end before collecting today."
                ).replace("%1", format_date(session.business_date)),
                "warning",
            )
        else:
            self.session_banner.clear_message()

    def _open_session(self, opening_cash_paise: int) -> None:
        self.opening.set_busy(True)
        collections = self.ctx.services.collections
        actor = self.ctx.actor
        self.ctx.ops.write(
            lambda: collections.open_session(actor, opening_cash_paise), self._on_session_opened, self._on_open_failed
        )

    def _on_session_opened(self, session: CounterSessionInfo) -> None:
        self.opening.set_busy(False)
        self._on_session_loaded(session)
        self.ctx.refresh_status()

    def _on_open_failed(self, error: Exception) -> None:
        self.opening.set_busy(False)
        self.opening.show_error(str(error))

    @property
    def session(self) -> CounterSessionInfo | None:
        return self._session

    # -- search -------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        if self.confirmation.isVisible() or self.stack.currentIndex() != self.PAGE_COUNTER:
            return
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_search_edited(self, _text: str) -> None:
        self._select_on_arrival = False
        self._search_timer.start()

    def _run_search(self) -> None:
        query = self.search_edit.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if not query:
            self._search_in_flight = False
            self._searched_text = ""
            self.results_model.set_hits([])
            self._refresh_result_count()
            return
        self._search_in_flight = True
        search = self.ctx.services.search
        billing = self.ctx.services.billing

        def work() -> tuple[int, str, list[SearchHit]]:
            # Properties first (as before), then water connections, licences and user-charge payers.
            hits: list[SearchHit] = list(search.search(query, SEARCH_LIMIT))
            hits += billing.account_search(query, SEARCH_LIMIT)
            return seq, query, hits

        self.ctx.ops.read(work, self._on_search_results, self._on_search_failed)

    def _on_search_results(self, result: tuple[int, str, list[SearchHit]]) -> None:
        seq, query, hits = result
        if seq != self._search_seq:
            return  # an answer to an older query: a newer one is on its way
        self._search_in_flight = False
        self._searched_text = query
        self.show_hits(hits)
        if self._select_on_arrival:
            self._select_on_arrival = False
            self.select_current_result()

    def show_hits(self, hits: Sequence[SearchHit]) -> None:
        """Reset the results list once with these hits and put the cursor on the first."""
        self.results_model.set_hits(hits)
        # Badge and number side by side: the first column as wide as they need (within reason).
        self.results_view.resizeColumnToContents(0)
        header = self.results_view.horizontalHeader()
        header.resizeSection(0, max(130, min(header.sectionSize(0), 280)))
        if hits:
            self.results_view.selectRow(0)
        self._refresh_result_count()

    def _on_search_failed(self, error: Exception) -> None:
        self._search_in_flight = False
        self.result_count.setText(str(error))

    def _refresh_result_count(self) -> None:
        if not self._searched_text:
            self.result_count.setText("")
            return
        count = self.results_model.rowCount()
        if count == 0:
            self.result_count.setText(self.tr("Nothing found"))
        elif count >= SEARCH_LIMIT:
            self.result_count.setText(self.tr("First %1 found; type more").replace("%1", str(count)))
        else:
            self.result_count.setText(self.tr("%1 found").replace("%1", str(count)))

    def _move_result(self, delta: int) -> None:
        count = self.results_model.rowCount()
        if count == 0:
            return
        current = self.results_view.currentIndex().row()
        row = 0 if current < 0 else max(0, min(count - 1, current + delta))
        self.results_view.selectRow(row)
        self.results_view.scrollTo(self.results_model.index(row, 0))

    def select_current_result(self) -> None:
        if self._search_timer.isActive() or self._search_in_flight:
            self._select_on_arrival = True  # Enter typed before the answer came: take its first hit
            if self._search_timer.isActive():
                self._search_timer.stop()
                self._run_search()
            return
        row = self.results_view.currentIndex().row()
        self._load_entry(self.results_model.entry(row if row >= 0 else 0))

    def _on_result_activated(self, index: QModelIndex) -> None:
        self._load_entry(self.results_model.entry(index.row()))

    def _load_entry(self, entry: SearchHit | None) -> None:
        if isinstance(entry, AccountHit):
            self.load_account(entry.account)
        elif entry is not None:
            self.load_property(entry.uuid)

    # -- the selected property ----------------------------------------------------------------------

    def today(self) -> date:
        return business_date(self.ctx.services.clock.now_utc())

    def load_property(self, property_uuid: str) -> None:
        self._property_seq += 1
        seq = self._property_seq
        self._property_loading = True
        today = self.today()
        properties = self.ctx.services.properties
        billing = self.ctx.services.billing
        collections = self.ctx.services.collections

        def work() -> tuple[int, PropertyDetail, Bill, list[ReceiptSummary]]:
            bill = billing.bill_for(billing.account_ref(Service.PROPERTY, property_uuid), today)
            return seq, properties.get(property_uuid), bill, collections.recent_receipts(property_uuid, limit=1)

        self.ctx.ops.read(work, self._on_property_loaded, self._on_property_failed)

    def load_account(self, account: AccountRef) -> None:
        """A water connection, licence or user-charge payer found by its number: its own bill."""
        self._property_seq += 1
        seq = self._property_seq
        self._property_loading = True
        today = self.today()
        billing = self.ctx.services.billing

        def work() -> tuple[int, Bill]:
            return seq, billing.bill_for(account, today)

        self.ctx.ops.read(work, self._on_account_loaded, self._on_property_failed)

    def _on_property_loaded(self, result: tuple[int, PropertyDetail, Bill, list[ReceiptSummary]]) -> None:
        seq, detail, bill, recent = result
        if seq != self._property_seq:
            return
        self._last_receipt = recent[0] if recent else None
        self._bill_arrived(detail, bill)

    def _on_account_loaded(self, result: tuple[int, Bill]) -> None:
        seq, bill = result
        if seq != self._property_seq:
            return
        self._last_receipt = None
        self._bill_arrived(None, bill)

    def _bill_arrived(self, detail: PropertyDetail | None, bill: Bill) -> None:
        self._property_loading = False
        self._show_bill(detail, bill)
        self.payment.set_today(bill.as_of)
        dues = property_dues(bill)
        if is_combined(bill):
            self.payment.set_payable(self.dues_model.chosen_total(), dues, choosing=True)
        elif dues is not None:
            self.payment.set_dues(dues)
        self.payment.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.payment.amount_edit.selectAll()
        self._preview_timer.start()

    def _on_property_failed(self, error: Exception) -> None:
        self._property_loading = False
        self.property_header.setText(str(error))

    def _show_property(self, detail: PropertyDetail | None, dues: Dues | None) -> None:
        """Nothing selected (None, None) — kept for the callers that clear the selection."""
        self._show_bill(detail, None)

    def _show_bill(self, detail: PropertyDetail | None, bill: Bill | None) -> None:
        self._detail = detail
        self._bill = bill
        self._dues = property_dues(bill)
        self.dues_model.set_bill(bill)
        combined = is_combined(bill)
        # The lines take the keyboard (F4) and clicks only when there is something to tick.
        self.dues_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus if combined else Qt.FocusPolicy.NoFocus)
        self.dues_view.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection if combined else QAbstractItemView.SelectionMode.NoSelection
        )
        if bill is not None:
            self.middle.setCurrentIndex(self.MIDDLE_DUES)
        self._refresh_property_header()
        if bill is None:
            self.payment.clear()
            self._preview_timer.stop()
            self._preview_seq += 1

    def _apply_dues_spans(self) -> None:
        self.dues_view.clearSpans()
        for row in self.dues_model.section_rows():
            self.dues_view.setSpan(row, 0, 1, 4)
        combined = self.dues_model.is_combined()
        rows = self.dues_model.rowCount()
        for row in range(rows):
            # A combined bill's total row is the footer label instead, always in sight.
            self.dues_view.setRowHidden(row, combined and row == rows - 1)
        self._refresh_bill_total()

    def _refresh_bill_total(self) -> None:
        if not self.dues_model.is_combined():
            self.bill_total.hide()
            return
        self.bill_total.setText(
            self.tr("Total of the ticked lines: %1").replace("%1", format_inr(self.dues_model.chosen_total()))
        )
        self.bill_total.show()

    # -- ticking lines (a combined bill) ------------------------------------------------------------

    def focus_bill_lines(self) -> None:
        """F4: into the bill's lines, on the first line with a tick box."""
        if self.confirmation.isVisible() or not self.dues_model.is_combined():
            return
        self.dues_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        row = self.dues_view.currentIndex().row()
        if not self.dues_model.is_checkable(row):
            rows = self.dues_model.checkable_rows()
            if rows:
                self._set_line_row(rows[0])

    def tick_all_or_none(self) -> None:
        """F8: tick every line (pay all); if all are ticked already, untick them all."""
        if self.confirmation.isVisible() or not self.dues_model.is_combined():
            return
        row = self.dues_view.currentIndex().row()
        self.dues_model.set_all(not self.dues_model.all_checked())
        self._set_line_row(row)

    def toggle_line(self, row: int) -> None:
        self.dues_model.toggle(row)
        self._set_line_row(row)

    def _set_line_row(self, row: int) -> None:
        if 0 <= row < self.dues_model.rowCount():
            index = self.dues_model.index(row, 0)
            self.dues_view.setCurrentIndex(index)
            self.dues_view.scrollTo(index)

    def _move_line(self, delta: int) -> None:
        """↑/↓ in the lines: to the previous / next row with a tick box."""
        rows = self.dues_model.checkable_rows()
        if not rows:
            return
        current = self.dues_view.currentIndex().row()
        if delta > 0:
            following = [r for r in rows if r > current]
            self._set_line_row(following[0] if following else rows[-1])
        else:
            before = [r for r in rows if r < current]
            self._set_line_row(before[-1] if before else rows[0])

    def _on_choice_changed(self) -> None:
        """A tick changed: the amount becomes the new total, the rebate note follows the property's tick."""
        self._refresh_property_header()
        self.payment.update_payable(self.dues_model.chosen_total())

    def _refresh_property_header(self) -> None:
        detail, dues, bill = self._detail, self._dues, self._bill
        if bill is not None and detail is None:
            self._refresh_account_header(bill.primary)
            self.rebate_banner.hide()
            return
        if detail is None or dues is None:
            self.property_header.setText(
                self.tr("Type in the search field, move with ↑/↓ and press Enter to select a property.")
            )
            self.rebate_banner.hide()
            return
        owner = detail.primary_owner
        names = ""
        if owner is not None:
            first, second = (
                (owner.name_hi, owner.name_en) if self.ctx.language == "hi" else (owner.name_en, owner.name_hi)
            )
            names = " · ".join(n for n in (first, second) if n)
        more = len(detail.owners) - 1
        if more > 0:
            names += " " + self.tr("(+%1 more)").replace("%1", str(more))
        address = (
            (detail.address_hi or detail.address_en)
            if self.ctx.language == "hi"
            else (detail.address_en or detail.address_hi)
        )
        ward = self.tr("Ward %1").replace("%1", str(detail.ward_no))
        zone = self.tr("Zone %1").replace("%1", detail.zone_code)
        old = f" · {self.tr('Old ID')} {_html(detail.old_id)}" if detail.old_id else ""
        self.property_header.setText(
            f"<b style='font-size:large'>{_html(detail.property_id)}</b>{old} · {ward} · {zone}"
            f"<br/><b>{_html(names)}</b> — {_html(address)}{self._last_payment_html()}"
        )

        rebate = dues.rebate
        # On a combined bill the rebate holds only while the property's section is ticked.
        if rebate is not None and rebate.amount_paise > 0 and self.dues_model.choice().property_included:
            self.rebate_banner.setText(
                self.tr("Pay the whole current year by %1: save %2")
                .replace("%1", format_date(rebate.valid_until))
                .replace("%2", format_inr(rebate.amount_paise))
            )
            self.rebate_banner.show()
        else:
            self.rebate_banner.hide()

    def _refresh_account_header(self, account: AccountRef) -> None:
        """The header of a water connection / licence / user-charge payer chosen by its number."""
        hindi = self.ctx.language == "hi"
        first, second = (account.holder_hi, account.holder_en) if hindi else (account.holder_en, account.holder_hi)
        names = " · ".join(n for n in (first, second) if n and n != (first if n is second else None))
        address = (account.address_hi or account.address_en) if hindi else (account.address_en or account.address_hi)
        ward = self.tr("Ward %1").replace("%1", str(account.ward_no))
        self.property_header.setText(
            f"<b style='font-size:large'>{_html(account.number)}</b> · {_html(service_label(account.service))}"
            f" · {ward}<br/><b>{_html(names)}</b>{' — ' + _html(address) if address else ''}"
        )

    def _last_payment_html(self) -> str:
        """The latest receipt of the property (any counter): a payment made minutes ago elsewhere shows
        up here, in colour, before the clerk takes the same dues again."""
        last = self._last_receipt
        if last is None or last.cancelled:
            return ""
        paid_on = business_date(last.collected_at)
        text = (
            self.tr("Last payment: %1 on %2, receipt %3")
            .replace("%1", format_inr(last.amount_paise))
            .replace("%2", format_date(paid_on))
            .replace("%3", last.receipt_no)
        )
        recent = (self.today() - paid_on).days <= 1
        colour = "#b35900" if recent else "#555555"
        return f"<br/><span style='color:{colour}'>{'⚠ ' if recent else ''}{_html(text)}</span>"

    # -- amount and allocation preview --------------------------------------------------------------

    def _on_amount_changed(self, amount_paise: object) -> None:
        if self._bill is None:
            return
        self._preview_seq += 1  # any answer for an older amount is stale from now on
        if not isinstance(amount_paise, int) or amount_paise <= 0:
            self._preview_timer.stop()
            self.payment.show_allocation(None)
            return
        self._preview_timer.start()

    def _run_preview(self) -> None:
        bill = self._bill
        amount = self.payment.amount_paise()
        if bill is None or amount is None or amount <= 0:
            return
        self._preview_seq += 1
        seq = self._preview_seq
        if self.dues_model.is_combined():
            billing = self.ctx.services.billing
            choice = self.dues_model.choice()

            def bill_work() -> tuple[int, BillAllocation]:
                return seq, billing.preview(bill, choice, amount)

            self.ctx.ops.read(bill_work, self._on_bill_preview, self._on_preview_failed)
            return
        dues = self._dues
        if dues is None:
            return
        collections = self.ctx.services.collections
        property_uuid, on = dues.property_uuid, dues.as_of

        def work() -> tuple[int, Allocation]:
            return seq, collections.preview(property_uuid, amount, on)

        self.ctx.ops.read(work, self._on_preview, self._on_preview_failed)

    def _on_preview(self, result: tuple[int, Allocation]) -> None:
        seq, allocation = result
        if seq != self._preview_seq or self._dues is None:
            return
        self.payment.show_allocation(allocation)

    def _on_bill_preview(self, result: tuple[int, BillAllocation]) -> None:
        seq, allocation = result
        if seq != self._preview_seq or self._bill is None:
            return
        self.payment.show_bill_allocation(allocation)

    def _on_preview_failed(self, error: Exception) -> None:
        # The billing rules' own words, inline (e.g. "the licence fee must be paid whole ... pay at least").
        self.payment.show_allocation(None)
        self.payment.show_message(str(error))

    # -- mode keys ----------------------------------------------------------------------------------

    def _choose_mode(self, mode: Mode) -> None:
        if self.confirmation.isVisible() or self._bill is None:
            return
        self.payment.set_mode(mode, focus=True)

    # -- collect ------------------------------------------------------------------------------------

    def open_confirmation(self) -> None:
        """F10 / Ctrl+Enter: check the payment and show the one confirmation. Nothing is saved yet."""
        if self.confirmation.isVisible() or self.stack.currentIndex() != self.PAGE_COUNTER:
            return
        if self._session is None or self._confirmation_pending:
            return
        detail, bill = self._detail, self._bill
        if bill is None or self._property_loading:
            self.payment.show_message(self.tr("Select a property first."))
            return
        check = self.payment.check()
        if check.error or check.payment is None or check.amount_paise is None:
            self.payment.show_message(check.error)
            if check.field is not None:
                check.field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        amount, payment = check.amount_paise, check.payment
        if self.dues_model.is_combined():
            self._open_bill_confirmation(bill, amount, payment)
            return
        if detail is None:
            self.payment.show_message(self.tr("Select a property first."))
            return
        owner = detail.primary_owner
        payer_hi = owner.name_hi if owner else ""
        payer_en = owner.name_en if owner else ""
        self._request = CollectRequest(
            property_uuid=detail.uuid,
            amount_paise=amount,
            payment=payment,
            request_uuid=new_uuid(),  # made now: a second Enter on this confirmation reuses it
            payer_name=payer_en or payer_hi,
        )
        property_line = (
            self.tr("Property %1 · Ward %2").replace("%1", detail.property_id).replace("%2", str(detail.ward_no))
        )
        self._show_confirmation(amount, payment, payer_hi, payer_en, property_line, ())

    def _open_bill_confirmation(self, bill: Bill, amount: int, payment: Payment) -> None:
        """A combined bill: the billing rules check the amount first (on the read pool); the confirmation
        then lists what each service gets. A rule broken (a licence fee cut short) is said inline."""
        choice = self.dues_model.choice()
        billing = self.ctx.services.billing
        self._confirmation_pending = True
        seq = self._property_seq

        def work() -> tuple[int, BillAllocation]:
            return seq, billing.preview(bill, choice, amount)

        def done(result: tuple[int, BillAllocation]) -> None:
            self._confirmation_pending = False
            answer_seq, allocation = result
            if answer_seq != self._property_seq or self._bill is not bill or self.confirmation.isVisible():
                return
            account = bill.primary
            self._request = BillCollectRequest(
                request_uuid=new_uuid(),  # made now: a second Enter on this confirmation reuses it
                primary=account,
                choice=choice,
                amount_paise=amount,
                payment=payment,
                payer_name=account.holder_en or account.holder_hi,
            )
            if account.service == Service.PROPERTY and self._detail is not None:
                line = (
                    self.tr("Property %1 · Ward %2").replace("%1", account.number).replace("%2", str(account.ward_no))
                )
            else:
                line = (
                    self.tr("%1 %2 · Ward %3")
                    .replace("%1", service_label(account.service))
                    .replace("%2", account.number)
                    .replace("%3", str(account.ward_no))
                )
            self._show_confirmation(
                amount, payment, account.holder_hi, account.holder_en, line, self._service_amounts(bill, allocation)
            )

        def failed(error: Exception) -> None:
            self._confirmation_pending = False
            self.payment.show_message(str(error))
            self.payment.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)

        self.ctx.ops.read(work, done, failed)

    def _service_amounts(self, bill: Bill, allocation: BillAllocation) -> tuple[str, ...]:
        """'Water W-01-000001: ₹400.00' for each account the payment goes to, in bill order."""
        by_account: dict[str, int] = {}
        for line in allocation.lines:
            account = "" if line.service == Service.PROPERTY else line.account
            by_account[account] = by_account.get(account, 0) + line.amount_paise
        texts = []
        for section in bill.sections:
            key = "" if section.service == Service.PROPERTY else section.account.account_uuid
            paid = by_account.get(key, 0)
            if paid:
                texts.append(_section_amount(section, paid))
        return tuple(texts)

    def _show_confirmation(
        self,
        amount: int,
        payment: Payment,
        payer_hi: str,
        payer_en: str,
        property_line: str,
        service_lines: tuple[str, ...],
    ) -> None:
        other = "en" if self.ctx.language == "hi" else "hi"
        if payment.mode == Mode.CASH:
            tendered = payment.tendered_paise if payment.tendered_paise is not None else amount
            mode_line = (
                self.tr("%1 · tendered %2").replace("%1", mode_label(Mode.CASH)).replace("%2", format_inr(tendered))
            )
            change = tendered - amount
            change_line = self.tr("Return change: %1").replace("%1", format_inr(change)) if change > 0 else ""
        elif payment.mode == Mode.UPI:
            mode_line = f"{mode_label(Mode.UPI)} · {payment.instrument_no}"
            change_line = ""
        else:
            dated = format_date(payment.instrument_date) if payment.instrument_date else ""
            mode_line = (
                f"{mode_label(payment.mode)} {payment.instrument_no} · {dated} · {payment.bank} {payment.branch}"
            )
            change_line = ""
        payer = (
            " / ".join(n for n in (payer_hi, payer_en) if n)
            if self.ctx.language == "hi"
            else (" / ".join(n for n in (payer_en, payer_hi) if n))
        )
        text = ConfirmationText(
            amount=format_inr(amount),
            words_primary=amount_in_words(amount, self.ctx.language),
            words_secondary=amount_in_words(amount, other),
            payer=self.tr("Received from: %1").replace("%1", payer),
            property_line=property_line,
            mode_line=mode_line.strip(),
            change_line=change_line,
            service_lines=service_lines,
        )
        self._focus_before_confirmation = self.focusWidget()
        self.counter_page.setEnabled(False)
        self.confirmation.open_with(text)

    def _confirm(self) -> None:
        """Enter on the confirmation: save the receipt on the writer thread. Runs once per request."""
        request = self._request
        if request is None or self.confirmation.busy:
            return
        self.confirmation.set_busy(True)
        collections = self.ctx.services.collections
        actor = self.ctx.actor
        if isinstance(request, BillCollectRequest):
            bill_request = request
            self.ctx.ops.write(
                lambda: collections.collect_bill(actor, bill_request), self._on_collected, self._on_collect_failed
            )
            return
        property_request = request
        self.ctx.ops.write(
            lambda: collections.collect(actor, property_request), self._on_collected, self._on_collect_failed
        )

    def _on_collected(self, receipt: ReceiptView) -> None:
        self.ctx.enqueue_print(receipt.uuid, duplicate=False)  # committed: now queue it for the printer
        self._request = None
        self.confirmation.set_busy(False)
        self.confirmation.hide()
        self.counter_page.setEnabled(True)
        self.last_receipt = receipt
        self.receipt_preview.show_receipt(receipt)
        self._refresh_receipt_banner()
        # Ready for the next citizen: empty search, no property, receipt on show.
        self._search_timer.stop()
        self._search_seq += 1
        self._search_in_flight = False
        self._select_on_arrival = False
        self.search_edit.clear()
        self._searched_text = ""
        self.results_model.set_hits([])
        self._refresh_result_count()
        self._property_seq += 1
        self._show_property(None, None)
        self.middle.setCurrentIndex(self.MIDDLE_RECEIPT)
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ctx.refresh_status()

    def _on_collect_failed(self, error: Exception) -> None:
        # The same request (same request_uuid) may be retried with Enter; Esc goes back to fix the payment.
        self.confirmation.set_busy(False)
        self.confirmation.show_error(str(error))

    def _close_confirmation(self) -> None:
        if self.confirmation.busy:
            return
        self._request = None
        self.confirmation.hide()
        self.counter_page.setEnabled(True)
        target = self._focus_before_confirmation
        if target is not None and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.payment.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refresh_receipt_banner(self) -> None:
        receipt = self.last_receipt
        if receipt is None:
            self.receipt_banner.clear()
            return
        text = (
            self.tr("Receipt %1 saved: %2")
            .replace("%1", receipt.receipt_no)
            .replace("%2", format_inr(receipt.amount_paise))
        )
        if receipt.change_paise:
            text += " · " + self.tr("Return change: %1").replace("%1", format_inr(receipt.change_paise))
        text += "\n" + self.tr("Next citizen: type in the search field.")
        self.receipt_banner.setText(text)

    # -- Esc ----------------------------------------------------------------------------------------

    def back_one_step(self) -> None:
        """Esc: confirmation → payment; selected property → search results; search text → empty."""
        if self.confirmation.isVisible():
            self._close_confirmation()
            return
        if self.stack.currentIndex() != self.PAGE_COUNTER:
            return
        if self.dues_view.hasFocus():  # the bill's lines -> the amount
            self.payment.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self._bill is not None or self._property_loading:
            self._property_seq += 1
            self._property_loading = False
            self._show_property(None, None)
            self.focus_search()
            return
        if self.search_edit.text():
            self.search_edit.clear()
            self._on_search_edited("")
            self.focus_search()
            return
        self.focus_search()

    # -- keys in the search and amount fields -------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        search_edit = getattr(self, "search_edit", None)  # None while being built or torn down
        if search_edit is not None and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is search_edit:
                if key == Qt.Key.Key_Down:
                    self._move_result(1)
                    return True
                if key == Qt.Key.Key_Up:
                    self._move_result(-1)
                    return True
                if key == Qt.Key.Key_PageDown:
                    self._move_result(5)
                    return True
                if key == Qt.Key.Key_PageUp:
                    self._move_result(-5)
                    return True
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                    if not event.isAutoRepeat():
                        self.select_current_result()
                    return True
            elif watched is self.dues_view:
                return self._bill_lines_key(event)
            elif (
                watched is self.payment.amount_edit
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers()
            ):
                self.payment.set_mode(self.payment.mode, focus=True)  # on to the mode's first field
                return True
        return super().eventFilter(watched, event)

    def _bill_lines_key(self, event: QKeyEvent) -> bool:
        """Keys in the bill's lines: ↑/↓ from tick box to tick box, Space ticks, Enter back to the amount."""
        key = event.key()
        if key == Qt.Key.Key_Space and not event.modifiers():
            if not event.isAutoRepeat():
                self.toggle_line(self.dues_view.currentIndex().row())
            return True
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and not event.modifiers():
            self._move_line(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.payment.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    # -- shell hooks (ui/screens.py) ----------------------------------------------------------------

    def activated(self) -> None:
        """The main window shows this screen: focus where the clerk works (search, or the opening cash)."""
        if self.stack.currentIndex() == self.PAGE_OPENING:
            self.opening.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._bill is None and not self.confirmation.isVisible():
            self.focus_search()
            self._load_session()  # day-end may have closed it meanwhile: then ask the opening cash again

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        """(keys, translation context, English source) for the F1 overlay."""
        return [(keys, SHORTCUTS_CONTEXT, text) for keys, text in SHORTCUTS]

    # -- geometry / focus ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.confirmation.setGeometry(self.rect())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._session_known and self._bill is None:
            QTimer.singleShot(0, self, self.focus_search)

    def hideEvent(self, event: QHideEvent) -> None:
        # Nothing queued for a screen nobody sees (and nothing left to fire after the app shuts down).
        self._search_timer.stop()
        self._preview_timer.stop()
        super().hideEvent(event)


def _section_amount(section: BillSection, amount_paise: int) -> str:
    return f"{service_label(section.service)} {section.account.number}: {format_inr(amount_paise)}"


def _html(text: str) -> str:
    from html import escape

    return escape(text)
