"""The day's registers on screen: the Daily Collection Summary (by head, arrears/current, and by mode), the
receipt-wise collection register and the cancelled-receipts register, with a "Save PDF…" that writes the
same registers as app.reports.registers.render_day_pdf draws them.

The data is app.reports.registers.day_report (plain dataclasses), read through ctx.ops; the PDF is rendered
and written off the GUI thread too. The tables hold plain strings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QDate,
    QEvent,
    Qt,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.collections.dto import Mode
from app.core.clock import business_date, format_date
from app.core.money import format_inr
from app.errors import NikayError
from app.receipts.labels import MODE_LABELS
from app.reports.registers import DayReport, day_report, render_day_pdf
from ui.common.tables import RowsModel, rows_table
from ui.common.widgets import MessageBanner
from ui.context import UiContext

SHORTCUTS_CONTEXT = "RegistersShortcuts"
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+D", QT_TRANSLATE_NOOP("RegistersShortcuts", "Choose the date")),
    ("Ctrl+PgDown / Ctrl+PgUp", QT_TRANSLATE_NOOP("RegistersShortcuts", "Next / previous register")),
    ("Alt+1 / Alt+2 / Alt+3", QT_TRANSLATE_NOOP("RegistersShortcuts", "Summary / collection / cancelled register")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("RegistersShortcuts", "Save the registers as PDF")),
    ("F5", QT_TRANSLATE_NOOP("RegistersShortcuts", "Read the registers again")),
)


def _bold_font(font: QFont, factor: float = 1.0) -> QFont:
    bold = QFont(font)
    if factor != 1.0 and bold.pointSizeF() > 0:
        bold.setPointSizeF(bold.pointSizeF() * factor)
    bold.setBold(True)
    return bold


class RegistersScreen(QWidget):
    TAB_SUMMARY, TAB_REGISTER, TAB_CANCELLED = 0, 1, 2

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registersScreen")
        self.ctx = ctx
        self.report: DayReport | None = None
        self._seq = 0
        self._saving = False
        self.last_saved: Path | None = None

        # -- top bar --------------------------------------------------------------------------------
        self.title = QLabel()
        self.title.setFont(_bold_font(self.font(), 1.3))
        self.date_label = QLabel()
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("registersDate")
        self.date_edit.setDisplayFormat("dd-MM-yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_label.setBuddy(self.date_edit)
        self.refresh_button = QPushButton()
        self.save_button = QPushButton()
        self.save_button.setObjectName("savePdfButton")
        self.scope_label = QLabel()
        self.scope_label.setObjectName("registersScope")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        top.addWidget(self.date_label)
        top.addWidget(self.date_edit)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.scope_label)
        top.addWidget(self.save_button)
        self.banner = MessageBanner()
        self.banner.setObjectName("registersBanner")

        # -- summary --------------------------------------------------------------------------------
        summary_page = QWidget()
        self.facts_box = QGroupBox()
        facts = QGridLayout(self.facts_box)
        self.fact_names = [QLabel() for _ in range(5)]
        self.fact_values = [QLabel() for _ in range(5)]
        for row, (name, value) in enumerate(zip(self.fact_names, self.fact_values, strict=True)):
            value.setFont(_bold_font(self.font()))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addWidget(name, row, 0)
            facts.addWidget(value, row, 1)
        facts.setColumnStretch(2, 1)
        self.receipts_value, self.cancelled_value, self.first_value, self.last_value, self.total_value = (
            self.fact_values
        )
        self.total_value.setObjectName("summaryTotal")
        self.total_value.setFont(_bold_font(self.font(), 1.2))

        self.head_box = QGroupBox()
        self.head_model = RowsModel(
            lambda: (self.tr("Revenue head"), self.tr("Arrears"), self.tr("Current"), self.tr("Total")), (1, 2, 3), self
        )
        self.head_table = rows_table(self.head_model, "byHeadTable", 0)
        QVBoxLayout(self.head_box).addWidget(self.head_table)
        self.mode_box = QGroupBox()
        self.mode_model = RowsModel(lambda: (self.tr("Mode"), self.tr("Receipts"), self.tr("Amount")), (1, 2), self)
        self.mode_table = rows_table(self.mode_model, "byModeTable", 0)
        QVBoxLayout(self.mode_box).addWidget(self.mode_table)
        # Issue 5: one receipt may pay several services; the day by service (a combined receipt counts
        # under each service it pays, so the receipts column does not add up: only the amounts do).
        self.service_box = QGroupBox()
        self.service_model = RowsModel(
            lambda: (self.tr("Service"), self.tr("Receipts"), self.tr("Amount")), (1, 2), self
        )
        self.service_table = rows_table(self.service_model, "byServiceTable", 0)
        QVBoxLayout(self.service_box).addWidget(self.service_table)
        right = QVBoxLayout()
        right.addWidget(self.mode_box, 1)
        right.addWidget(self.service_box, 1)
        tables = QHBoxLayout()
        tables.addWidget(self.head_box, 3)
        tables.addLayout(right, 2)
        summary_layout = QVBoxLayout(summary_page)
        summary_layout.addWidget(self.facts_box)
        summary_layout.addLayout(tables, 1)

        # -- collection register --------------------------------------------------------------------
        register_page = QWidget()
        self.register_model = RowsModel(
            lambda: (
                "#",
                self.tr("Receipt No."),
                self.tr("Time"),
                self.tr("Property"),
                self.tr("Payer"),
                self.tr("Mode"),
                self.tr("Instrument"),
                self.tr("Collector"),
                self.tr("Amount"),
                self.tr("Status"),
            ),
            (0, 8),
            self,
        )
        self.register_table = rows_table(self.register_model, "registerTable", 4)
        self.register_total = QLabel()
        self.register_total.setObjectName("registerTotal")
        self.register_total.setFont(_bold_font(self.font(), 1.1))
        self.register_total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.register_cancelled = QLabel()
        self.register_cancelled.setObjectName("registerCancelledTotal")
        self.register_cancelled.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        register_layout = QVBoxLayout(register_page)
        register_layout.addWidget(self.register_table, 1)
        register_layout.addWidget(self.register_total)
        register_layout.addWidget(self.register_cancelled)

        # -- cancelled register ---------------------------------------------------------------------
        cancelled_page = QWidget()
        self.cancelled_model = RowsModel(
            lambda: (
                "#",
                self.tr("Receipt No."),
                self.tr("Receipt date"),
                self.tr("Property"),
                self.tr("Payer"),
                self.tr("Amount"),
                self.tr("Kind"),
                self.tr("Reason"),
                self.tr("Approved by"),
                self.tr("When"),
            ),
            (0, 5),
            self,
        )
        self.cancelled_table = rows_table(self.cancelled_model, "cancelledTable", 7)
        self.cancelled_total = QLabel()
        self.cancelled_total.setObjectName("cancelledTotal")
        self.cancelled_total.setFont(_bold_font(self.font(), 1.1))
        self.cancelled_total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cancelled_layout = QVBoxLayout(cancelled_page)
        cancelled_layout.addWidget(self.cancelled_table, 1)
        cancelled_layout.addWidget(self.cancelled_total)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("registersTabs")
        self.tabs.addTab(summary_page, "")
        self.tabs.addTab(register_page, "")
        self.tabs.addTab(cancelled_page, "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

        # -- wiring ---------------------------------------------------------------------------------
        self.date_edit.setDate(self._qdate(self.today()))
        self.date_edit.dateChanged.connect(lambda _d: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self.choose_and_save_pdf)
        self._shortcuts: list[QShortcut] = []
        for keys, slot in (
            ("Ctrl+S", self.choose_and_save_pdf),
            ("Ctrl+D", self.date_edit.setFocus),
            ("F5", self.reload),
            ("Alt+1", lambda: self.show_tab(self.TAB_SUMMARY)),
            ("Alt+2", lambda: self.show_tab(self.TAB_REGISTER)),
            ("Alt+3", lambda: self.show_tab(self.TAB_CANCELLED)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

        self.retranslate()
        self._update_actions()
        self.reload()

    # -- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Registers of the day"))
        self.date_label.setText(self.tr("&Date"))
        self.date_edit.setToolTip(self.tr("Ctrl+D: choose the date"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.save_button.setText(self.tr("Save PDF… (Ctrl+S)"))
        self.save_button.setToolTip(self.tr("The summary, the collection register and the cancelled register, A4"))
        self.tabs.setTabText(self.TAB_SUMMARY, self.tr("Daily Collection Summary"))
        self.tabs.setTabText(self.TAB_REGISTER, self.tr("Collection register (receipt-wise)"))
        self.tabs.setTabText(self.TAB_CANCELLED, self.tr("Cancelled receipts"))
        self.facts_box.setTitle(self.tr("The day at a glance"))
        for label, text in zip(
            self.fact_names,
            (
                self.tr("Receipts issued"),
                self.tr("Cancelled / dishonoured"),
                self.tr("First receipt"),
                self.tr("Last receipt"),
                self.tr("Total collected (receipts that stand)"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.head_box.setTitle(self.tr("By revenue head"))
        self.mode_box.setTitle(self.tr("By mode of payment"))
        self.service_box.setTitle(self.tr("By service"))
        for model in (self.head_model, self.mode_model, self.register_model, self.cancelled_model):
            model.retranslate()
        self._show_report()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- shell hooks --------------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()
        self.tabs.currentWidget().setFocus(Qt.FocusReason.OtherFocusReason)

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        return [(keys, SHORTCUTS_CONTEXT, text) for keys, text in SHORTCUTS]

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        table = (self.head_table, self.register_table, self.cancelled_table)[index]
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- loading ------------------------------------------------------------------------------------

    def today(self) -> date:
        return business_date(self.ctx.services.clock.now_utc())

    @staticmethod
    def _qdate(day: date) -> QDate:
        return QDate(day.year, day.month, day.day)

    def selected_day(self) -> date:
        qdate = self.date_edit.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def reload(self) -> None:
        self._seq += 1
        seq = self._seq
        day = self.selected_day()
        services = self.ctx.services
        db, device = services.db, services.device
        self.ctx.ops.read(
            lambda: day_report(db, day, ulb_name_en=device.ulb_name_en, ulb_name_hi=device.ulb_name_hi),
            lambda report: self._on_report(seq, report),
            lambda error: self._on_error(seq, error),
        )

    def _on_report(self, seq: int, report: DayReport) -> None:
        if seq != self._seq:
            return  # a newer date was chosen meanwhile
        self.report = report
        self.banner.clear_message()
        self._show_report()
        self._update_actions()

    def _on_error(self, seq: int, error: Exception) -> None:
        if seq != self._seq:
            return
        self.report = None
        self.banner.show_message(str(error), "error")
        self._show_report()
        self._update_actions()

    def _update_actions(self) -> None:
        self.save_button.setEnabled(self.report is not None and not self._saving)

    # -- showing ------------------------------------------------------------------------------------

    def _label(self, en: str, hi: str) -> str:
        return hi if self.ctx.language == "hi" else en

    def _mode(self, mode: str) -> str:
        try:
            return self._label(*MODE_LABELS[Mode(mode)])
        except ValueError:
            return mode

    def _kind(self, kind: str | None) -> str:
        if kind == "CANCELLED":
            return self.tr("Cancelled")
        if kind == "DISHONOURED":
            return self.tr("Dishonoured")
        return kind or ""

    def _show_report(self) -> None:
        report = self.report
        if report is None:
            models = (self.head_model, self.mode_model, self.service_model, self.register_model, self.cancelled_model)
            for model in models:
                model.set_rows([])
            for value in self.fact_values:
                value.setText("—")
            for label in (self.register_total, self.register_cancelled, self.cancelled_total):
                label.setText("")
            self.scope_label.setText("")
            return
        s = report.summary
        self.scope_label.setText(
            self.tr("All counters of this device") if report.session_uuid is None else report.scope_text
        )
        self.receipts_value.setText(str(s.receipts))
        self.cancelled_value.setText(str(s.cancelled))
        self.first_value.setText(s.first_receipt_no or "—")
        self.last_value.setText(s.last_receipt_no or "—")
        self.total_value.setText(format_inr(s.total_paise))

        head_rows = [
            (
                self._label(h.label_en, h.label_hi),
                format_inr(h.arrear_paise),
                format_inr(h.current_paise),
                format_inr(h.total_paise),
            )
            for h in s.by_head
        ]
        head_rows.append(
            (
                self.tr("Total"),
                format_inr(sum(h.arrear_paise for h in s.by_head)),
                format_inr(sum(h.current_paise for h in s.by_head)),
                format_inr(sum(h.total_paise for h in s.by_head)),
            )
        )
        self.head_model.set_rows(head_rows, bold={len(head_rows) - 1})
        mode_rows = [
            (self._label(m.label_en, m.label_hi), str(m.receipts), format_inr(m.amount_paise)) for m in s.by_mode
        ]
        mode_rows.append(
            (
                self.tr("Total"),
                str(sum(m.receipts for m in s.by_mode)),
                format_inr(sum(m.amount_paise for m in s.by_mode)),
            )
        )
        self.mode_model.set_rows(mode_rows, bold={len(mode_rows) - 1})
        service_rows = [
            (self._label(t.label_en, t.label_hi), str(t.receipts), format_inr(t.amount_paise)) for t in s.by_service
        ]
        service_rows.append((self.tr("Total"), "", format_inr(sum(t.amount_paise for t in s.by_service))))
        self.service_model.set_rows(service_rows, bold={len(service_rows) - 1})

        reg = report.register
        self.register_model.set_rows(
            [
                (
                    str(i),
                    r.receipt_no,
                    r.collected_at_text[-5:],
                    r.property_id,
                    r.payer_name,
                    self._mode(r.mode),
                    r.instrument_no,
                    r.collector,
                    format_inr(r.amount_paise),
                    self._kind(r.cancelled),
                )
                for i, r in enumerate(reg.rows, start=1)
            ],
            struck={i for i, r in enumerate(reg.rows) if r.cancelled is not None},
        )
        self.register_total.setText(
            self.tr("Receipts that stand (%1), total: ").replace("%1", str(reg.receipts - reg.cancelled))
            + format_inr(reg.total_paise)
        )
        self.register_cancelled.setText(
            self.tr("Cancelled / dishonoured (%1), not counted: ").replace("%1", str(reg.cancelled))
            + format_inr(reg.cancelled_paise)
        )

        cancelled = report.cancelled
        self.cancelled_model.set_rows(
            [
                (
                    str(i),
                    c.receipt_no,
                    format_date(c.receipt_date),
                    c.property_id,
                    c.payer_name,
                    format_inr(c.amount_paise),
                    self._kind(c.kind),
                    c.reason,
                    c.approved_by,
                    c.at_text,
                )
                for i, c in enumerate(cancelled.rows, start=1)
            ]
        )
        self.cancelled_total.setText(
            self.tr("Total cancelled (%1): ").replace("%1", str(len(cancelled.rows)))
            + format_inr(cancelled.total_paise)
        )

    # -- PDF ----------------------------------------------------------------------------------------

    def default_pdf_path(self) -> Path:
        return self.ctx.services.data_dir / "reports" / f"registers-{self.selected_day().isoformat()}.pdf"

    def choose_and_save_pdf(self) -> None:
        """Save PDF… (Ctrl+S): ask for the file, then save."""
        self.save_pdf()

    def save_pdf(self, path: Path | str | None = None) -> None:
        """Render the registers shown (off the GUI thread) and write them to `path`, or to a file chosen
        in a dialog (default folder: data_dir/reports)."""
        report = self.report
        if report is None or self._saving:
            return
        if path is None:
            default = self.default_pdf_path()
            default.parent.mkdir(parents=True, exist_ok=True)
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Save the registers as PDF"), str(default), self.tr("PDF files (*.pdf)")
            )
            if not chosen:
                return
            path = chosen
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        self._saving = True
        self._update_actions()
        self.banner.show_message(self.tr("Saving the PDF…"), "info")

        def write() -> Path:
            data = render_day_pdf(report)
            try:  # a disk or folder problem is the user's to fix, not a crash
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(target.name + ".part")
                partial.write_bytes(data)
                partial.replace(target)
            except OSError as error:
                raise NikayError(f"{target}: {error.strerror or error}") from error
            return target

        self.ctx.ops.read(write, self._on_saved, self._on_save_failed)

    def _on_saved(self, path: Path) -> None:
        self._saving = False
        self.last_saved = path
        self._update_actions()
        message = self.tr("Saved: %1").replace("%1", str(path))
        self.banner.show_message(message, "info")
        self.ctx.show_message(message)

    def _on_save_failed(self, error: Exception) -> None:
        self._saving = False
        self._update_actions()
        self.banner.show_message(self.tr("The PDF could not be saved: %1").replace("%1", str(error)), "error")
