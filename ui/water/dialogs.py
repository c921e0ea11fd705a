"""The water screen's dialogs: a connection (new or edit), a meter reading, disconnect/reconnect, a demand run.

Each dialog only gathers input; the screen runs the service call on the writer thread and either closes
the dialog (done) or shows the service's message in the dialog's banner (the input stays as typed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import format_date
from app.water.demand import month_code, month_of, quarter_of
from app.water.dto import PIPE_SIZES_MM, BillingCycle, Category, ConnectionInput, ConnectionView, ReadingReason
from app.water.service import METER_ROLLOVER_LITRES
from ui.common.widgets import MessageBanner

CONTEXT = "WaterScreen"

CATEGORY_TEXT: dict[str, str] = {
    Category.DOMESTIC.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Domestic")),
    Category.COMMERCIAL.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Commercial")),
    Category.INDUSTRIAL.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Industrial")),
    Category.BULK.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Bulk")),
}
CYCLE_TEXT: dict[str, str] = {
    BillingCycle.MONTHLY.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Monthly")),
    BillingCycle.QUARTERLY.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Quarterly")),
}
REASON_TEXT: dict[str, str] = {
    ReadingReason.NONE.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Normal reading")),
    ReadingReason.METER_REPLACED.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Meter replaced (new meter from 0)")),
    ReadingReason.ROLLED_OVER.value: str(QT_TRANSLATE_NOOP("WaterScreen", "Meter rolled over (passed its maximum)")),
}
PIPE_TEXT = {15: '½"', 20: '¾"', 25: '1"', 32: '1¼"', 40: '1½"', 50: '2"', 80: '3"', 100: '4"', 150: '6"'}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def litres(value: int) -> str:
    from app.core.money import group_indian

    return f"{group_indian(value)} L"


class _Dialog(QDialog):
    """A form with a banner for the service's message and OK/Cancel. `submit` runs on OK."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.banner = MessageBanner()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.submit: Callable[[], None] | None = None
        self.busy = False

    def _ok(self) -> None:
        if self.busy or self.submit is None:
            return
        self.busy = True
        self.buttons.setEnabled(False)
        self.submit()

    def failed(self, message: str) -> None:
        """The service refused: show why, keep what was typed."""
        self.busy = False
        self.buttons.setEnabled(True)
        self.banner.show_message(message, "error")

    def done_ok(self) -> None:
        self.busy = False
        self.accept()


class ConnectionDialog(_Dialog):
    """A new connection (with "regularise" for an illegal one) or an edit of `existing`."""

    def __init__(self, today: date, existing: ConnectionView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterConnectionDialog")
        self.existing = existing
        self.setWindowTitle(
            tr("New water connection")
            if existing is None
            else tr("Edit water connection %1").replace("%1", existing.consumer_no)
        )
        self.name_en = QLineEdit()
        self.name_hi = QLineEdit()
        self.mobile = QLineEdit()
        self.address_en = QLineEdit()
        self.address_hi = QLineEdit()
        self.ward = QSpinBox()
        self.ward.setRange(1, 999)
        self.property_id = QLineEdit()
        self.property_id.setPlaceholderText(tr("e.g. W01-000123 (optional)"))
        self.category = QComboBox()
        for category, text in CATEGORY_TEXT.items():
            self.category.addItem(tr(text), category)
        self.pipe = QComboBox()
        for size in PIPE_SIZES_MM:
            self.pipe.addItem(f"{size} mm ({PIPE_TEXT.get(size, '')})", size)
        self.metered = QCheckBox(tr("Metered"))
        self.meter_no = QLineEdit()
        self.initial = QSpinBox()
        self.initial.setRange(0, METER_ROLLOVER_LITRES - 1)
        self.initial.setGroupSeparatorShown(True)
        self.initial.setSuffix(" L")
        self.cycle = QComboBox()
        for cycle, text in CYCLE_TEXT.items():
            self.cycle.addItem(tr(text), cycle)
        self.connected_on = QDateEdit()
        self.connected_on.setDisplayFormat("dd-MM-yyyy")
        self.connected_on.setCalendarPopup(True)
        self.connected_on.setMaximumDate(qdate(today))
        self.connected_on.setDate(qdate(today))
        self.regularise = QCheckBox(
            tr("Regularising an illegal connection (regularisation fee instead of the connection fee)")
        )

        self.form.addRow(tr("Holder's name (English)"), self.name_en)
        self.form.addRow(tr("Holder's name (Hindi)"), self.name_hi)
        self.form.addRow(tr("Mobile"), self.mobile)
        self.form.addRow(tr("Address (English)"), self.address_en)
        self.form.addRow(tr("Address (Hindi)"), self.address_hi)
        self.form.addRow(tr("Ward"), self.ward)
        self.form.addRow(tr("Property ID"), self.property_id)
        self.form.addRow(tr("Category"), self.category)
        self.form.addRow(tr("Pipe size"), self.pipe)
        self.form.addRow("", self.metered)
        self.form.addRow(tr("Meter No."), self.meter_no)
        self.form.addRow(tr("Meter reading when connected"), self.initial)
        self.form.addRow(tr("Billing cycle"), self.cycle)
        self.form.addRow(tr("Connected on"), self.connected_on)
        self.form.addRow("", self.regularise)
        self.metered.toggled.connect(self._metered_changed)
        if existing is not None:
            self._fill(existing)
            self.initial.setEnabled(False)
            self.regularise.hide()
        self._metered_changed(self.metered.isChecked())
        self.resize(620, self.sizeHint().height())

    def _fill(self, view: ConnectionView) -> None:
        self.name_en.setText(view.holder_name_en)
        self.name_hi.setText(view.holder_name_hi)
        self.mobile.setText(view.mobile)
        self.address_en.setText(view.address_en)
        self.address_hi.setText(view.address_hi)
        self.ward.setValue(view.ward_no)
        self.property_id.setText(view.property_id)
        self.category.setCurrentIndex(max(self.category.findData(view.category), 0))
        self.pipe.setCurrentIndex(max(self.pipe.findData(view.pipe_size_mm), 0))
        self.metered.setChecked(view.metered)
        self.meter_no.setText(view.meter_no)
        self.cycle.setCurrentIndex(max(self.cycle.findData(view.billing_cycle), 0))
        self.connected_on.setDate(qdate(view.connected_on))

    def _metered_changed(self, metered: bool) -> None:
        self.meter_no.setEnabled(metered)
        self.initial.setEnabled(metered and self.existing is None)

    def value(self) -> ConnectionInput:
        metered = self.metered.isChecked()
        return ConnectionInput(
            holder_name_en=self.name_en.text(),
            holder_name_hi=self.name_hi.text(),
            mobile=self.mobile.text(),
            address_en=self.address_en.text(),
            address_hi=self.address_hi.text(),
            ward_no=self.ward.value(),
            property_id=self.property_id.text(),
            category=str(self.category.currentData()),
            pipe_size_mm=int(self.pipe.currentData()),
            metered=metered,
            meter_no=self.meter_no.text() if metered else "",
            initial_reading_litres=self.initial.value() if metered and self.existing is None else 0,
            billing_cycle=str(self.cycle.currentData()),
            connected_on=pydate(self.connected_on.date()),
        )


class ReadingDialog(_Dialog):
    """A meter reading: shows the last one and refuses a lower one (OK disabled) unless a reason is chosen."""

    def __init__(self, view: ConnectionView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterReadingDialog")
        self.view = view
        self.setWindowTitle(tr("Meter reading of %1").replace("%1", view.consumer_no))
        last = view.last_reading
        self.last_label = QLabel(
            tr("%1 on %2").replace("%1", litres(last.reading_litres)).replace("%2", format_date(last.reading_date))
            if last
            else tr("none yet")
        )
        self.last_label.setObjectName("lastReading")
        self.reading_date = QDateEdit()
        self.reading_date.setDisplayFormat("dd-MM-yyyy")
        self.reading_date.setCalendarPopup(True)
        self.reading_date.setMaximumDate(qdate(today))
        self.reading_date.setDate(qdate(today))
        self.reading = QSpinBox()
        self.reading.setRange(0, METER_ROLLOVER_LITRES - 1)
        self.reading.setGroupSeparatorShown(True)
        self.reading.setSuffix(" L")
        if last:
            self.reading.setValue(last.reading_litres)
        self.reason = QComboBox()
        for reason, text in REASON_TEXT.items():
            self.reason.addItem(tr(text), reason)
        self.note = QLineEdit()
        self.hint = QLabel()
        self.hint.setObjectName("readingHint")
        self.hint.setWordWrap(True)
        self.form.addRow(tr("Meter No."), QLabel(view.meter_no))
        self.form.addRow(tr("Last reading"), self.last_label)
        self.form.addRow(tr("Reading date"), self.reading_date)
        self.form.addRow(tr("Reading"), self.reading)
        self.form.addRow(tr("Reason"), self.reason)
        self.form.addRow(tr("Note"), self.note)
        self.form.addRow("", self.hint)
        self.reading.valueChanged.connect(self._check)
        self.reason.currentIndexChanged.connect(self._check)
        self._check()
        self.resize(520, self.sizeHint().height())

    def lower_than_last(self) -> bool:
        last = self.view.last_reading
        return last is not None and self.reading.value() < last.reading_litres

    def _check(self) -> None:
        last = self.view.last_reading
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if self.lower_than_last() and self.reason.currentData() == ReadingReason.NONE.value:
            self.hint.setStyleSheet("color:#b00020;")
            self.hint.setText(
                tr("Lower than the last reading: choose why (meter replaced or rolled over) to record it.")
            )
            ok_button.setEnabled(False)
            return
        ok_button.setEnabled(True)
        if last is None:
            self.hint.setStyleSheet("")
            self.hint.setText(tr("The meter's first reading: its start (nothing is billed for it)."))
            return
        from app.water.service import consumption_of

        drawn = consumption_of(last.reading_litres, self.reading.value(), str(self.reason.currentData()))
        self.hint.setStyleSheet("")
        self.hint.setText(tr("Consumption since the last reading: %1").replace("%1", litres(drawn)))

    def values(self) -> tuple[date, int, str, str]:
        return pydate(self.reading_date.date()), self.reading.value(), str(self.reason.currentData()), self.note.text()


class StatusDialog(_Dialog):
    """Disconnect (reason required) or reconnect a connection, from a date."""

    def __init__(self, view: ConnectionView, today: date, reconnect: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterReconnectDialog" if reconnect else "waterDisconnectDialog")
        self.setWindowTitle((tr("Reconnect %1") if reconnect else tr("Disconnect %1")).replace("%1", view.consumer_no))
        self.on = QDateEdit()
        self.on.setDisplayFormat("dd-MM-yyyy")
        self.on.setCalendarPopup(True)
        self.on.setMaximumDate(qdate(today))
        self.on.setDate(qdate(today))
        self.reason = QLineEdit()
        explain = QLabel(
            tr("The reconnection fee is raised; charges start again from the next month.")
            if reconnect
            else tr("Charged up to and including the month of disconnection; nothing after.")
        )
        explain.setWordWrap(True)
        self.form.addRow(tr("Date"), self.on)
        self.form.addRow(tr("Reason"), self.reason)
        self.form.addRow("", explain)
        self.resize(480, self.sizeHint().height())

    def values(self) -> tuple[date, str]:
        return pydate(self.on.date()), self.reason.text()


class GenerateDialog(_Dialog):
    """A demand run: a month or an FY quarter (the choices: recent months and quarters)."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterGenerateDialog")
        self.setWindowTitle(tr("Generate water demand"))
        self.period = QComboBox()
        self.period.setEditable(True)
        month = month_of(today)
        previous = (month[0] - 1, 12) if month[1] == 1 else (month[0], month[1] - 1)
        before = (previous[0] - 1, 12) if previous[1] == 1 else (previous[0], previous[1] - 1)
        choices = [month_code(previous), month_code(month), month_code(before), quarter_of(previous)]
        for code in dict.fromkeys(choices):
            self.period.addItem(code)
        explain = QLabel(
            tr(
                "A month (e.g. 2026-11) charges the monthly connections; an FY quarter (e.g. 2026-27-Q3) "
                "charges the quarterly ones and the quarter's three months of the monthly ones. "
                "Charges already raised are left as they are."
            )
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        self.form.addRow(tr("Period"), self.period)
        self.form.addRow("", explain)
        self.resize(520, self.sizeHint().height())

    def value(self) -> str:
        return self.period.currentText()
