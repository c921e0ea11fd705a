"""Day-end, guided: count notes and coins by denomination, see expected vs counted per mode, explain any
difference, read the Daily Collection Summary by head and mode, close the counter session (the shell then
takes an online backup)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QRegularExpression, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.collections.dto import COIN_DENOMINATIONS, NOTE_DENOMINATIONS, DayEndSummary, Mode
from app.collections.service import NON_CASH_GROUPS
from app.core.clock import format_date
from app.core.money import MoneyFormatError, format_inr, parse_rupees
from ui.common.widgets import MessageBanner
from ui.context import UiContext
from ui.counter.labels import RECEIPT_HEADS, RECEIPT_MODES, head_label, mode_label

MIN_EXPLANATION = 5  # the service asks for the same

SHORTCUTS_CONTEXT = "DayEndShortcuts"
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Tab / Enter", QT_TRANSLATE_NOOP("DayEndShortcuts", "Next count")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("DayEndShortcuts", "Close the counter session")),
    ("F5", QT_TRANSLATE_NOOP("DayEndShortcuts", "Read the figures again")),
)

# Non-cash modes checked at day-end: (key, modes that add up into it)
NON_CASH = tuple(NON_CASH_GROUPS.items())  # ("CHEQUE_DD", (CHEQUE, DD)), ("UPI", (UPI,))


def _bold(font: QFont, factor: float = 1.0) -> QFont:
    bold = QFont(font)
    if factor != 1.0 and bold.pointSizeF() > 0:
        bold.setPointSizeF(bold.pointSizeF() * factor)
    bold.setBold(True)
    return bold


class _CountBox(QSpinBox):
    """A count of notes or coins: no arrows, typing replaces, Enter moves on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 99_999)
        self.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMinimumWidth(80)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        QTimer.singleShot(0, self, self.selectAll)  # dropped if the box is gone by then


class DayEndScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayEndScreen")
        self.ctx = ctx
        self.summary: DayEndSummary | None = None
        self.closed_summary: DayEndSummary | None = None
        self._busy = False

        self.title = QLabel()
        self.title.setFont(_bold(self.font(), 1.3))
        self.banner = MessageBanner()
        self.banner.setObjectName("dayEndBanner")

        # -- denominations --------------------------------------------------------------------------
        self.count_box = QGroupBox()
        grid = QGridLayout(self.count_box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(3)
        self.note_boxes: dict[int, _CountBox] = {}
        self.coin_boxes: dict[int, _CountBox] = {}
        self._amount_labels: dict[tuple[str, int], QLabel] = {}
        self._denomination_labels: list[tuple[QLabel, str, int]] = []
        self.notes_heading = QLabel()
        self.notes_heading.setFont(_bold(self.font()))
        self.coins_heading = QLabel()
        self.coins_heading.setFont(_bold(self.font()))
        row = 0
        grid.addWidget(self.notes_heading, row, 0, 1, 3)
        row += 1
        for value in NOTE_DENOMINATIONS:
            row = self._add_denomination(grid, row, "note", value, self.note_boxes)
        grid.addWidget(self.coins_heading, row, 0, 1, 3)
        row += 1
        for value in COIN_DENOMINATIONS:
            row = self._add_denomination(grid, row, "coin", value, self.coin_boxes)
        self.notes_total_label = QLabel()
        self.notes_total = QLabel()
        self.coins_total_label = QLabel()
        self.coins_total = QLabel()
        self.counted_total_label = QLabel()
        self.counted_total = QLabel()
        self.counted_total.setObjectName("countedCash")
        for label, value, big in (
            (self.notes_total_label, self.notes_total, False),
            (self.coins_total_label, self.coins_total, False),
            (self.counted_total_label, self.counted_total, True),
        ):
            label.setFont(_bold(self.font(), 1.15 if big else 1.0))
            value.setFont(_bold(self.font(), 1.15 if big else 1.0))
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row, 0, 1, 2)
            grid.addWidget(value, row, 2)
            row += 1
        count_scroll = QScrollArea()
        count_scroll.setWidget(self.count_box)
        count_scroll.setWidgetResizable(True)
        count_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        count_scroll.setMinimumWidth(330)

        # -- expected vs counted per mode -----------------------------------------------------------
        self.modes_box = QGroupBox()
        modes = QGridLayout(self.modes_box)
        self.mode_header = [QLabel() for _ in range(4)]
        for column, label in enumerate(self.mode_header):
            label.setFont(_bold(self.font()))
            if column:
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            modes.addWidget(label, 0, column)
        self.cash_name = QLabel()
        self.cash_expected = QLabel()
        self.cash_expected.setObjectName("cashExpected")
        self.cash_counted = QLabel()
        self.cash_difference = QLabel()
        self.cash_difference.setObjectName("cashDifference")
        self._mode_rows: dict[str, tuple[QLabel, QLabel, QLineEdit, QLabel]] = {}
        for column, widget in enumerate((self.cash_name, self.cash_expected, self.cash_counted, self.cash_difference)):
            if column:
                widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            modes.addWidget(widget, 1, column)
        money_rx = QRegularExpression(r"^[₹\s]*[0-9,]{0,12}(\.[0-9]{0,2})?$")
        for offset, (key, _members) in enumerate(NON_CASH, start=2):
            name, expected, difference = QLabel(), QLabel(), QLabel()
            counted = QLineEdit()
            counted.setObjectName(f"counted_{key}")
            counted.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            counted.setValidator(QRegularExpressionValidator(money_rx, self))
            counted.setMaximumWidth(140)
            counted.textChanged.connect(self._refresh_totals)
            expected.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            difference.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            modes.addWidget(name, offset, 0)
            modes.addWidget(expected, offset, 1)
            modes.addWidget(counted, offset, 2)
            modes.addWidget(difference, offset, 3)
            self._mode_rows[key] = (name, expected, counted, difference)
        self.difference_total = QLabel()
        self.difference_total.setObjectName("differenceTotal")
        self.difference_total.setWordWrap(True)
        self.difference_total.setFont(_bold(self.font(), 1.1))
        modes.addWidget(self.difference_total, 2 + len(NON_CASH), 0, 1, 4)

        self.explanation_label = QLabel()
        self.explanation = QPlainTextEdit()
        self.explanation.setObjectName("explanation")
        self.explanation.setTabChangesFocus(True)
        self.explanation.setMaximumHeight(70)
        self.explanation_label.setBuddy(self.explanation)
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeSessionButton")
        self.close_button.setMinimumHeight(38)
        self.close_button.setFont(_bold(self.font(), 1.1))
        self.close_button.clicked.connect(self.close_session)

        middle = QVBoxLayout()
        middle.addWidget(self.modes_box)
        middle.addWidget(self.explanation_label)
        middle.addWidget(self.explanation)
        middle.addWidget(self.close_button)
        middle.addStretch(1)

        # -- Daily Collection Summary ---------------------------------------------------------------
        self.summary_view = QTextBrowser()
        self.summary_view.setObjectName("collectionSummary")
        self.summary_view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        body = QHBoxLayout()
        body.addWidget(count_scroll, 0)
        body.addLayout(middle, 1)
        body.addWidget(self.summary_view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)

        self._shortcuts: list[QShortcut] = []
        for keys, slot in (
            ("Ctrl+Return", self.close_session),
            ("Ctrl+Enter", self.close_session),
            ("F5", self.reload),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

        self.retranslate()
        self._set_enabled(False)
        self.reload()

    def _add_denomination(self, grid: QGridLayout, row: int, kind: str, value: int, boxes: dict[int, _CountBox]) -> int:
        label = QLabel()
        box = _CountBox()
        box.setObjectName(f"{kind}_{value}")
        box.valueChanged.connect(self._refresh_totals)
        amount = QLabel(format_inr(0))
        amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        amount.setMinimumWidth(110)
        label.setBuddy(box)
        grid.addWidget(label, row, 0)
        grid.addWidget(box, row, 1)
        grid.addWidget(amount, row, 2)
        boxes[value] = box
        self._amount_labels[(kind, value)] = amount
        self._denomination_labels.append((label, kind, value))
        return row + 1

    # -- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Day-end: count the cash and close the counter"))
        self.count_box.setTitle(self.tr("Cash in the drawer"))
        self.notes_heading.setText(self.tr("Notes"))
        self.coins_heading.setText(self.tr("Coins"))
        for label, kind, value in self._denomination_labels:
            text = self.tr("₹%1 notes × ") if kind == "note" else self.tr("₹%1 coins × ")
            label.setText(text.replace("%1", str(value)))
        self.notes_total_label.setText(self.tr("Notes total"))
        self.coins_total_label.setText(self.tr("Coins total"))
        self.counted_total_label.setText(self.tr("Cash counted"))
        self.modes_box.setTitle(self.tr("Expected and counted, by mode"))
        for label, text in zip(
            self.mode_header,
            (self.tr("Mode"), self.tr("Expected"), self.tr("Counted"), self.tr("Difference")),
            strict=True,
        ):
            label.setText(text)
        self.cash_name.setText(self.tr("Cash (with opening cash)"))
        self._mode_rows["CHEQUE_DD"][0].setText(self.tr("Cheque/DD"))
        self._mode_rows["UPI"][0].setText(mode_label(Mode.UPI))
        self.explanation_label.setText(self.tr("&Explanation of any difference"))
        self.explanation.setPlaceholderText(self.tr("Required when counted and expected differ"))
        self.close_button.setText(self.tr("Close the counter session (Ctrl+Enter)"))
        self._refresh_totals()
        self._render_summary()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- shell hooks --------------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()

    def help_shortcuts(self) -> list[tuple[str, str, str]]:
        return [(keys, SHORTCUTS_CONTEXT, text) for keys, text in SHORTCUTS]

    # -- loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        if self._busy:
            return
        collections = self.ctx.services.collections
        actor = self.ctx.actor
        self.ctx.ops.read(lambda: collections.day_end_summary(actor), self._on_summary, self._on_summary_error)

    def _on_summary(self, summary: DayEndSummary) -> None:
        first_load = self.summary is None or self.summary.session_uuid != summary.session_uuid
        self.summary = summary
        self.closed_summary = None
        self.banner.clear_message()
        self._set_enabled(True)
        if first_load:
            for box in (*self.note_boxes.values(), *self.coin_boxes.values()):
                box.setValue(0)
            self.explanation.clear()
            for key, members in NON_CASH:
                expected = sum(summary.by_mode.get(m.value, 0) for m in members)
                self._mode_rows[key][2].setText(format_inr(expected, symbol=False))
            self.note_boxes[NOTE_DENOMINATIONS[0]].setFocus(Qt.FocusReason.OtherFocusReason)
        self._refresh_totals()
        self._render_summary()

    def _on_summary_error(self, error: Exception) -> None:
        self.summary = None
        self._set_enabled(False)
        if self.closed_summary is None:
            self.banner.show_message(str(error), "warning")
        self._refresh_totals()
        self._render_summary()

    def _set_enabled(self, enabled: bool) -> None:
        self.count_box.setEnabled(enabled)
        self.modes_box.setEnabled(enabled)
        self.explanation.setEnabled(enabled)
        self.close_button.setEnabled(enabled and not self._busy)

    # -- counting -----------------------------------------------------------------------------------

    def notes(self) -> dict[int, int]:
        return {value: box.value() for value, box in self.note_boxes.items() if box.value()}

    def coins(self) -> dict[int, int]:
        return {value: box.value() for value, box in self.coin_boxes.items() if box.value()}

    def counted_cash_paise(self) -> int:
        return 100 * (sum(v * c for v, c in self.notes().items()) + sum(v * c for v, c in self.coins().items()))

    def _counted_non_cash(self, key: str) -> int | None:
        text = self._mode_rows[key][2].text().strip()
        try:
            return parse_rupees(text) if text else 0
        except MoneyFormatError:
            return None

    def differences(self) -> dict[str, int]:
        """Counted minus expected, per mode (only the modes that differ)."""
        summary = self.summary
        if summary is None:
            return {}
        found: dict[str, int] = {}
        cash = self.counted_cash_paise() - summary.expected_cash_paise
        if cash:
            found[Mode.CASH.value] = cash
        for key, members in NON_CASH:
            expected = sum(summary.by_mode.get(m.value, 0) for m in members)
            counted = self._counted_non_cash(key)
            difference = (counted if counted is not None else 0) - expected
            if difference:
                found[key] = difference
        return found

    def _refresh_totals(self, *_args: object) -> None:
        notes_total = 0
        for value, box in self.note_boxes.items():
            amount = value * box.value() * 100
            notes_total += amount
            self._amount_labels[("note", value)].setText(format_inr(amount))
        coins_total = 0
        for value, box in self.coin_boxes.items():
            amount = value * box.value() * 100
            coins_total += amount
            self._amount_labels[("coin", value)].setText(format_inr(amount))
        self.notes_total.setText(format_inr(notes_total))
        self.coins_total.setText(format_inr(coins_total))
        self.counted_total.setText(format_inr(notes_total + coins_total))
        summary = self.summary
        if summary is None:
            for widget in (self.cash_expected, self.cash_counted, self.cash_difference, self.difference_total):
                widget.setText("")
            return
        self.cash_expected.setText(format_inr(summary.expected_cash_paise))
        self.cash_counted.setText(format_inr(notes_total + coins_total))
        self._show_difference(self.cash_difference, notes_total + coins_total - summary.expected_cash_paise)
        for key, members in NON_CASH:
            _name, expected_label, _counted, difference_label = self._mode_rows[key]
            expected = sum(summary.by_mode.get(m.value, 0) for m in members)
            expected_label.setText(format_inr(expected))
            counted = self._counted_non_cash(key)
            if counted is None:
                difference_label.setText("?")
            else:
                self._show_difference(difference_label, counted - expected)
        differences = self.differences()
        if differences:
            self.difference_total.setText(self.tr("Counted and expected differ: explain below before closing."))
            self.difference_total.setStyleSheet("color: #b00020;")
        else:
            self.difference_total.setText(self.tr("Counted equals expected."))
            self.difference_total.setStyleSheet("color: #0b6b2f;")

    @staticmethod
    def _show_difference(label: QLabel, difference: int) -> None:
        text = format_inr(difference)
        label.setText(("+" + text) if difference > 0 else text)
        label.setStyleSheet("color: #b00020; font-weight: bold;" if difference else "color: #0b6b2f;")

    # -- Daily Collection Summary -------------------------------------------------------------------

    def _render_summary(self) -> None:
        summary = self.closed_summary or self.summary
        if summary is None:
            self.summary_view.setHtml(f"<p>{escape(self.tr('No open counter session.'))}</p>")
            return
        title = escape(self.tr("Daily Collection Summary"))
        t_date, t_session, t_receipts = escape(self.tr("Date")), escape(self.tr("Session")), escape(self.tr("Receipts"))
        t_cancelled, t_numbers = escape(self.tr("cancelled")), escape(self.tr("Numbers"))
        t_by_head, t_by_mode = escape(self.tr("By head")), escape(self.tr("By mode"))
        t_total, t_opening = escape(self.tr("Total collected")), escape(self.tr("Opening cash"))
        t_expected = escape(self.tr("Cash expected in the drawer"))
        t_cancelled_nos = escape(self.tr("Cancelled receipts"))
        state = escape(self.tr("Closed") if self.closed_summary is not None else self.tr("Open"))
        other = 0 if self.ctx.language == "hi" else 1  # the name in the other language, small, below
        head_rows = "".join(
            f"<tr><td>{escape(head_label(head))}<br/><small>{escape(RECEIPT_HEADS.get(head, (head, head))[other])}"
            f"</small></td><td align='right'>{format_inr(amount)}</td></tr>"
            for head, amount in sorted(summary.by_head.items(), key=lambda item: _HEAD_ORDER.get(item[0], 99))
        )
        mode_rows = "".join(
            f"<tr><td>{escape(mode_label(mode))}<br/><small>{escape(RECEIPT_MODES.get(mode, (mode, mode))[other])}"
            f"</small></td><td align='right'>{format_inr(amount)}</td></tr>"
            for mode, amount in sorted(summary.by_mode.items())
        )
        total = sum(summary.by_mode.values())
        cancelled = ", ".join(escape(n) for n in summary.cancelled_receipt_nos) or "—"
        first, last = escape(summary.first_receipt_no or "—"), escape(summary.last_receipt_no or "—")
        self.summary_view.setHtml(
            f"""
<div style='line-height:130%'>
<h3>{title}</h3>
<p>{t_date}: <b>{format_date(summary.business_date)}</b> · {t_session}: {state}<br/>
{t_receipts}: <b>{summary.receipts}</b> ({t_cancelled}: {summary.cancelled})<br/>
{t_numbers}: {first} … {last}</p>
<h4>{t_by_head}</h4>
<table width='100%' cellpadding='2'>{head_rows}</table>
<h4>{t_by_mode}</h4>
<table width='100%' cellpadding='2'>{mode_rows}
<tr><td><b>{t_total}</b></td><td align='right'><b>{format_inr(total)}</b></td></tr></table>
<p>{t_opening}: {format_inr(summary.opening_cash_paise)}<br/>
{t_expected}: <b>{format_inr(summary.expected_cash_paise)}</b></p>
<p>{t_cancelled_nos}: {cancelled}</p>
</div>"""
        )

    # -- closing ------------------------------------------------------------------------------------

    def close_session(self) -> None:
        if self._busy or self.summary is None:
            return
        differences = self.differences()
        for key, _members in NON_CASH:
            if self._counted_non_cash(key) is None:
                self.banner.show_message(self.tr("A counted amount is not a number."), "error")
                return
        explanation = self.explanation.toPlainText().strip()
        if differences and len(explanation) < MIN_EXPLANATION:
            self.banner.show_message(
                self.tr("Counted differs from expected: write the explanation before closing."), "error"
            )
            self.explanation.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        counted_non_cash = {key: self._counted_non_cash(key) or 0 for key, _members in NON_CASH}
        self._busy = True
        self.close_button.setEnabled(False)
        collections = self.ctx.services.collections
        actor = self.ctx.actor
        notes, coins = self.notes(), self.coins()
        self.ctx.ops.write(
            lambda: collections.close_session(actor, notes, coins, explanation, counted_non_cash),
            self._on_closed,
            self._on_close_failed,
        )

    def _on_closed(self, summary: DayEndSummary) -> None:
        self._busy = False
        self.closed_summary = summary
        counted = self.counted_cash_paise()
        self.summary = None
        self._set_enabled(False)
        self._render_summary()
        self.banner.show_message(
            self.tr("Counter session closed. Cash counted %1. A backup is being made.").replace(
                "%1", format_inr(counted)
            ),
            "info",
        )
        self.ctx.request_backup("day-end")
        self.ctx.refresh_status()

    def _on_close_failed(self, error: Exception) -> None:
        self._busy = False
        self.close_button.setEnabled(self.summary is not None)
        self.banner.show_message(str(error), "error")


_HEAD_ORDER = {head: i for i, head in enumerate(RECEIPT_HEADS)}
