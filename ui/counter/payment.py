"""The payment zone of the counter: amount, mode (F5 cash / F6 cheque-DD / F7 UPI), the mode's fields
validated as they are typed, and the live allocation preview of a part payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QEvent, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.billing.dto import BillAllocation
from app.collections.dto import Mode, Payment
from app.core.clock import business_date, format_date
from app.core.money import MoneyFormatError, format_inr, parse_rupees
from app.demand.dto import Allocation, Dues
from ui.counter.models import AllocationModel

CHEQUE_MAX_AGE_DAYS = 90  # the service enforces the same rule; the UI says it while typing


def parse_ddmmyyyy(text: str) -> date | None:
    parts = text.strip().replace("/", "-").replace(".", "-").split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


@dataclass(frozen=True)
class PaymentCheck:
    """The outcome of validating the payment zone: either a Payment ready to send, or a message."""

    amount_paise: int | None
    payment: Payment | None
    error: str = ""
    field: QLineEdit | None = None  # the field the error is about (None: the amount / the whole form)


def _bigger(font: QFont, factor: float, *, bold: bool = True) -> QFont:
    bigger = QFont(font)
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    bigger.setPointSizeF(size * factor)
    bigger.setBold(bold)
    return bigger


class PaymentPanel(QWidget):
    """Amount, mode and instrument fields. Emits `amount_changed` (paise or None while invalid)."""

    amount_changed = Signal(object)
    mode_changed = Signal(str)
    collect_requested = Signal()  # the Collect button (F10 / Ctrl+Enter are the screen's shortcuts)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentPanel")
        self._dues: Dues | None = None
        self._payable: int | None = None  # what the chosen lines come to; None: nothing selected
        self._choosing = False  # a combined bill: lines are ticked, and nothing ticked is nothing to take
        self._today = business_date(datetime.now(UTC))  # set_today() gives the service clock's date
        self._mode = Mode.CASH

        self.title = QLabel()
        self.title.setObjectName("paymentTitle")
        self.title.setFont(_bigger(self.font(), 1.15))

        self.amount_label = QLabel()
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amountEdit")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.amount_edit.setFont(_bigger(self.font(), 1.9))
        self.amount_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^[₹\s]*[0-9,]{0,12}(\.[0-9]{0,2})?$"), self)
        )
        self.amount_label.setBuddy(self.amount_edit)
        self.payable_hint = QLabel()
        self.payable_hint.setObjectName("payableHint")

        # Mode buttons: F5/F6/F7 are the way in; the buttons show the state and take a click.
        self.cash_button = QPushButton()
        self.cheque_button = QPushButton()
        self.upi_button = QPushButton()
        self.mode_group = QButtonGroup(self)
        for button, mode in (
            (self.cash_button, Mode.CASH),
            (self.cheque_button, Mode.CHEQUE),
            (self.upi_button, Mode.UPI),
        ):
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _checked=False, m=mode: self.set_mode(m, focus=True))
            self.mode_group.addButton(button)
        self.cash_button.setChecked(True)
        modes = QHBoxLayout()
        modes.setSpacing(4)
        modes.addWidget(self.cash_button)
        modes.addWidget(self.cheque_button)
        modes.addWidget(self.upi_button)

        # Cash: tendered and change.
        self.tendered_edit = QLineEdit()
        self.tendered_edit.setObjectName("tenderedEdit")
        self.tendered_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tendered_edit.setFont(_bigger(self.font(), 1.4))
        self.tendered_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^[₹\s]*[0-9,]{0,12}(\.[0-9]{0,2})?$"), self)
        )
        self.change_value = QLabel()
        self.change_value.setObjectName("changeValue")
        self.change_value.setFont(_bigger(self.font(), 1.4))
        self.change_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cash_page = QWidget()
        cash_form = QFormLayout(cash_page)
        cash_form.setContentsMargins(0, 0, 0, 0)
        self.tendered_label = QLabel()
        self.change_label = QLabel()
        cash_form.addRow(self.tendered_label, self.tendered_edit)
        cash_form.addRow(self.change_label, self.change_value)

        # Cheque / DD.
        self.instrument_kind = QComboBox()
        self.instrument_kind.setObjectName("instrumentKind")
        self.instrument_kind.addItem("", Mode.CHEQUE)
        self.instrument_kind.addItem("", Mode.DD)
        self.cheque_no_edit = QLineEdit()
        self.cheque_no_edit.setObjectName("chequeNoEdit")
        self.cheque_no_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"^[0-9]{0,6}$"), self))
        self.cheque_date_edit = QLineEdit()
        self.cheque_date_edit.setObjectName("chequeDateEdit")
        self.cheque_date_edit.setPlaceholderText("DD-MM-YYYY")
        self.cheque_date_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^[0-9]{0,2}[-/.]?[0-9]{0,2}[-/.]?[0-9]{0,4}$"), self)
        )
        self.bank_edit = QLineEdit()
        self.bank_edit.setObjectName("bankEdit")
        self.branch_edit = QLineEdit()
        self.branch_edit.setObjectName("branchEdit")
        cheque_page = QWidget()
        cheque_form = QFormLayout(cheque_page)
        cheque_form.setContentsMargins(0, 0, 0, 0)
        self.kind_label = QLabel()
        self.cheque_no_label = QLabel()
        self.cheque_date_label = QLabel()
        self.bank_label = QLabel()
        self.branch_label = QLabel()
        cheque_form.addRow(self.kind_label, self.instrument_kind)
        cheque_form.addRow(self.cheque_no_label, self.cheque_no_edit)
        cheque_form.addRow(self.cheque_date_label, self.cheque_date_edit)
        cheque_form.addRow(self.bank_label, self.bank_edit)
        cheque_form.addRow(self.branch_label, self.branch_edit)

        # UPI.
        self.upi_ref_edit = QLineEdit()
        self.upi_ref_edit.setObjectName("upiRefEdit")
        self.upi_ref_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"^[A-Za-z0-9]{0,35}$"), self))
        upi_page = QWidget()
        upi_form = QFormLayout(upi_page)
        upi_form.setContentsMargins(0, 0, 0, 0)
        self.upi_ref_label = QLabel()
        upi_form.addRow(self.upi_ref_label, self.upi_ref_edit)

        self.mode_stack = QStackedWidget()
        self.mode_stack.addWidget(cash_page)
        self.mode_stack.addWidget(cheque_page)
        self.mode_stack.addWidget(upi_page)

        self.message = QLabel()
        self.message.setObjectName("paymentMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")

        # Allocation preview of the amount being taken.
        self.allocation_title = QLabel()
        self.allocation_model = AllocationModel(self)
        self.allocation_view = QTableView()
        self.allocation_view.setObjectName("allocationView")
        self.allocation_view.setModel(self.allocation_model)
        self.allocation_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.allocation_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.allocation_view.verticalHeader().hide()
        self.allocation_view.setAlternatingRowColors(True)
        header = self.allocation_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.balance_value = QLabel()
        self.balance_value.setObjectName("balanceValue")
        self.balance_value.setWordWrap(True)
        self.balance_value.setFont(_bigger(self.font(), 1.15))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.amount_label)
        layout.addWidget(self.amount_edit)
        layout.addWidget(self.payable_hint)
        layout.addLayout(modes)
        layout.addWidget(self.mode_stack)
        layout.addWidget(self.message)
        layout.addWidget(self.allocation_title)
        layout.addWidget(self.allocation_view, 1)
        layout.addWidget(self.balance_value)

        self.collect_button = QPushButton()
        self.collect_button.setObjectName("collectButton")
        self.collect_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard: F10; Enter never lands here
        self.collect_button.setMinimumHeight(40)
        self.collect_button.setFont(_bigger(self.font(), 1.15))
        self.collect_button.setStyleSheet(
            "QPushButton { background: #1f3a5f; color: white; padding: 6px 18px; }"
            "QPushButton:disabled { background: #9aa9b8; }"
        )
        self.collect_button.clicked.connect(self.collect_requested)
        layout.addWidget(self.collect_button)

        self.amount_edit.textEdited.connect(self._on_amount_edited)
        self.tendered_edit.textChanged.connect(self._refresh_live)
        for edit in (self.cheque_no_edit, self.cheque_date_edit, self.bank_edit, self.branch_edit, self.upi_ref_edit):
            edit.textChanged.connect(self._refresh_live)
        self.instrument_kind.currentIndexChanged.connect(self._refresh_live)
        self.amount_edit.installEventFilter(self)
        self.retranslate()
        self.clear()

    # -- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Payment"))
        self.amount_label.setText(self.tr("&Amount received (₹)"))
        self.amount_edit.setToolTip(self.tr("Defaults to the full payable; typing replaces it"))
        self.cash_button.setText(self.tr("Cash (F5)"))
        self.cash_button.setToolTip(self.tr("Cash: F5"))
        self.cheque_button.setText(self.tr("Cheque/DD (F6)"))
        self.cheque_button.setToolTip(self.tr("Cheque or demand draft: F6"))
        self.upi_button.setText(self.tr("UPI (F7)"))
        self.upi_button.setToolTip(self.tr("UPI: F7"))
        self.tendered_label.setText(self.tr("Tendered (₹)"))
        self.tendered_edit.setPlaceholderText(self.tr("exact amount"))
        self.change_label.setText(self.tr("Change to return"))
        self.kind_label.setText(self.tr("Instrument"))
        self.instrument_kind.setItemText(0, self.tr("Cheque"))
        self.instrument_kind.setItemText(1, self.tr("Demand draft"))
        self.cheque_no_label.setText(self.tr("Number (6 digits)"))
        self.cheque_date_label.setText(self.tr("Date"))
        self.bank_label.setText(self.tr("Bank"))
        self.branch_label.setText(self.tr("Branch"))
        self.upi_ref_label.setText(self.tr("UPI reference / UTR"))
        self.allocation_title.setText(self.tr("This payment goes to"))
        self.collect_button.setText(self.tr("Collect… (F10)"))
        self.collect_button.setToolTip(self.tr("F10 or Ctrl+Enter: check the payment and show the confirmation"))
        self.allocation_model.retranslate()
        self._refresh_hint()
        self._refresh_live()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- state --------------------------------------------------------------------------------------

    def set_today(self, today: date) -> None:
        self._today = today

    def clear(self) -> None:
        """No property selected: nothing to take."""
        self._dues = None
        self._payable = None
        self._choosing = False
        self.amount_edit.clear()
        self.tendered_edit.clear()
        self.cheque_no_edit.clear()
        self.cheque_date_edit.clear()
        self.bank_edit.clear()
        self.branch_edit.clear()
        self.upi_ref_edit.clear()
        self.instrument_kind.setCurrentIndex(0)
        self.allocation_model.set_allocation(None)
        self.balance_value.clear()
        self.message.clear()
        self.set_mode(Mode.CASH)
        self._refresh_hint()
        self.setEnabled(False)

    def set_dues(self, dues: Dues) -> None:
        """A property was selected: the amount defaults to the full payable, selected so typing replaces it."""
        self.set_payable(dues.payable_paise, dues, choosing=False)

    def set_payable(self, payable_paise: int, dues: Dues | None, *, choosing: bool) -> None:
        """A bill was selected: the amount defaults to what its ticked lines come to. `dues` is the
        property's, when the bill has its property section (for the rebate notes); `choosing` when
        the clerk ticks lines (a combined bill)."""
        self.clear()
        self._dues = dues
        self._payable = payable_paise
        self._choosing = choosing
        self.setEnabled(True)
        self._show_payable()

    def update_payable(self, payable_paise: int) -> None:
        """The clerk ticked or unticked lines: the amount becomes the new total; the mode's fields stay."""
        if self._payable is None:
            return
        self._payable = payable_paise
        self.message.clear()
        self._show_payable()

    def _show_payable(self) -> None:
        payable = self._payable or 0
        self.amount_edit.setText(format_inr(payable, symbol=False) if payable > 0 or not self._choosing else "")
        self.amount_edit.selectAll()
        self._refresh_hint()
        self._refresh_live()
        self.amount_changed.emit(self.amount_paise())

    @property
    def dues(self) -> Dues | None:
        return self._dues

    @property
    def payable_paise(self) -> int | None:
        return self._payable

    @property
    def mode(self) -> Mode:
        if self._mode == Mode.CHEQUE:
            return Mode(self.instrument_kind.currentData())
        return self._mode

    def set_mode(self, mode: Mode, *, focus: bool = False) -> None:
        """F5 cash / F6 cheque-DD / F7 UPI. With focus=True the mode's first field takes the focus."""
        if mode == Mode.DD:
            self.instrument_kind.setCurrentIndex(1)
            mode = Mode.CHEQUE
        self._mode = mode
        page = {Mode.CASH: 0, Mode.CHEQUE: 1, Mode.UPI: 2}[mode]
        self.mode_stack.setCurrentIndex(page)
        # The stack takes the height of the page on show, not of its tallest page.
        for index in range(self.mode_stack.count()):
            policy = QSizePolicy.Policy.Preferred if index == page else QSizePolicy.Policy.Ignored
            self.mode_stack.widget(index).setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        self.mode_stack.adjustSize()
        button = {Mode.CASH: self.cash_button, Mode.CHEQUE: self.cheque_button, Mode.UPI: self.upi_button}[mode]
        button.setChecked(True)
        if focus and self.isEnabled():
            target = {Mode.CASH: self.tendered_edit, Mode.CHEQUE: self.cheque_no_edit, Mode.UPI: self.upi_ref_edit}[
                mode
            ]
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            target.selectAll()
        self._refresh_live()
        self.mode_changed.emit(mode.value)

    def amount_paise(self) -> int | None:
        try:
            return parse_rupees(self.amount_edit.text())
        except MoneyFormatError:
            return None

    def show_allocation(self, allocation: Allocation | None) -> None:
        """The service's answer to 'how would this amount be allocated' for the amount now in the field."""
        self.allocation_model.set_allocation(allocation)
        if allocation is None:
            self.balance_value.clear()
            return
        parts = [self.tr("Stays due after this payment: %1").replace("%1", format_inr(allocation.balance_after_paise))]
        if allocation.rebate_paise:
            parts.append(self.tr("Rebate given: %1").replace("%1", format_inr(allocation.rebate_paise)))
        if allocation.advance_created_paise:
            parts.append(
                self.tr("Kept as advance credit: %1").replace("%1", format_inr(allocation.advance_created_paise))
            )
        if not allocation.full_settlement and self._dues is not None and self._dues.rebate is not None:
            parts.append(self.tr("Part payment: no rebate"))
        self.balance_value.setText("\n".join(parts))
        color = "#0b6b2f" if allocation.balance_after_paise == 0 else "#8a4b00"
        self.balance_value.setStyleSheet(f"color: {color};")

    def show_bill_allocation(self, allocation: BillAllocation | None) -> None:
        """The billing service's answer for a combined bill: each line the amount goes to, by service."""
        if allocation is None:
            self.show_allocation(None)
            return
        self.allocation_model.set_lines(allocation.lines)
        parts = [self.tr("Stays due after this payment: %1").replace("%1", format_inr(allocation.balance_after_paise))]
        property_allocation = allocation.property_allocation
        if property_allocation is not None:
            if property_allocation.rebate_paise:
                parts.append(self.tr("Rebate given: %1").replace("%1", format_inr(property_allocation.rebate_paise)))
            if property_allocation.advance_created_paise:
                parts.append(
                    self.tr("Kept as advance credit: %1").replace(
                        "%1", format_inr(property_allocation.advance_created_paise)
                    )
                )
            if not property_allocation.full_settlement and self._dues is not None and self._dues.rebate is not None:
                parts.append(self.tr("Part payment: no rebate"))
        if not allocation.full_settlement:
            parts.append(self.tr("Part payment of the ticked lines"))
        self.balance_value.setText("\n".join(parts))
        color = "#0b6b2f" if allocation.balance_after_paise == 0 else "#8a4b00"
        self.balance_value.setStyleSheet(f"color: {color};")

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    # -- validation ---------------------------------------------------------------------------------

    def check(self) -> PaymentCheck:
        """Validate everything for a collection. The service re-checks; this says it while typing."""
        amount = self.amount_paise()
        if self._payable is None:
            return PaymentCheck(None, None, self.tr("Select a property first."))
        if self._choosing and self._payable <= 0:
            return PaymentCheck(None, None, self.tr("Tick at least one line to pay."))
        if amount is None or amount <= 0:
            return PaymentCheck(None, None, self.tr("Type the amount received."))
        mode = self.mode
        if mode == Mode.CASH:
            text = self.tendered_edit.text().strip()
            if not text:
                return PaymentCheck(amount, Payment(Mode.CASH, tendered_paise=amount))
            try:
                tendered = parse_rupees(text)
            except MoneyFormatError:
                return PaymentCheck(amount, None, self.tr("Tendered is not an amount."), self.tendered_edit)
            if tendered < amount:
                return PaymentCheck(
                    amount, None, self.tr("Tendered is less than the amount received."), self.tendered_edit
                )
            return PaymentCheck(amount, Payment(Mode.CASH, tendered_paise=tendered))
        if mode in (Mode.CHEQUE, Mode.DD):
            number = self.cheque_no_edit.text().strip()
            if len(number) != 6:
                return PaymentCheck(amount, None, self.tr("The cheque/DD number has 6 digits."), self.cheque_no_edit)
            dated = parse_ddmmyyyy(self.cheque_date_edit.text())
            if dated is None:
                return PaymentCheck(
                    amount, None, self.tr("Type the cheque/DD date as DD-MM-YYYY."), self.cheque_date_edit
                )
            if dated > self._today:
                return PaymentCheck(
                    amount,
                    None,
                    self.tr("Post-dated cheque/DD (%1) cannot be accepted before that date.").replace(
                        "%1", format_date(dated)
                    ),
                    self.cheque_date_edit,
                )
            if dated < self._today - timedelta(days=CHEQUE_MAX_AGE_DAYS):
                return PaymentCheck(
                    amount,
                    None,
                    self.tr("Cheque/DD dated %1 is older than 90 days (stale) and cannot be accepted.").replace(
                        "%1", format_date(dated)
                    ),
                    self.cheque_date_edit,
                )
            bank = self.bank_edit.text().strip()
            if not bank:
                return PaymentCheck(amount, None, self.tr("Type the bank."), self.bank_edit)
            branch = self.branch_edit.text().strip()
            if not branch:
                return PaymentCheck(amount, None, self.tr("Type the branch."), self.branch_edit)
            payment = Payment(
                mode,
                instrument_no=number,
                instrument_date=dated,
                bank=bank,
                branch=branch,
            )
            return PaymentCheck(amount, payment)
        reference = self.upi_ref_edit.text().strip()
        if len(reference) < 6:
            return PaymentCheck(amount, None, self.tr("Type the UPI reference (UTR)."), self.upi_ref_edit)
        return PaymentCheck(amount, Payment(Mode.UPI, instrument_no=reference))

    # -- live feedback ------------------------------------------------------------------------------

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if watched is getattr(self, "amount_edit", None) and event.type() == QEvent.Type.FocusIn:
            # Typing replaces the default (selected once the focus event has settled).
            QTimer.singleShot(0, self.amount_edit, self.amount_edit.selectAll)
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _on_amount_edited(self, _text: str) -> None:
        self._refresh_live()
        self.amount_changed.emit(self.amount_paise())

    def _refresh_hint(self) -> None:
        if self._payable is None:
            self.payable_hint.setText(self.tr("Select a property to collect."))
            return
        if self._choosing:
            self.payable_hint.setText(self.tr("Ticked lines: %1").replace("%1", format_inr(self._payable)))
            return
        self.payable_hint.setText(self.tr("Full payable: %1").replace("%1", format_inr(self._payable)))

    def _refresh_live(self, *_args: object) -> None:
        """Change, and the message of the first field that is wrong (as the clerk types)."""
        amount = self.amount_paise()
        if self._mode == Mode.CASH:
            text = self.tendered_edit.text().strip()
            change = None
            if amount is not None:
                try:
                    tendered = parse_rupees(text) if text else amount
                    change = tendered - amount
                except MoneyFormatError:
                    change = None
            if change is None or change < 0:
                self.change_value.setText("—")
                self.change_value.setStyleSheet("color: #b00020;")
            else:
                self.change_value.setText(format_inr(change))
                self.change_value.setStyleSheet("color: #0b6b2f;")
        if self._payable is None:
            self.message.clear()
            return
        result = self.check()
        # While the clerk types, say only what is certainly wrong in a field that already has text.
        show = bool(result.error) and (result.field is None or self._field_is_complete(result.field))
        self.message.setText(result.error if show else "")

    def _field_is_complete(self, field: QLineEdit) -> bool:
        text = field.text().strip()
        if field is self.cheque_date_edit:
            return parse_ddmmyyyy(text) is not None or len(text) >= 10
        return bool(text)
