"""The application form (new or renewal) and the rejection-reason dialog of the trade-licence screen.

The form shows the year's fee as the clerk types (app.trade.fees with the tariff and ULB class the
screen read once); the service computes it again at approval. Saving runs on the writer thread
through the screen; the form stays open with the service's message if anything is wrong.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_inr
from app.errors import NikayError
from app.masters.tariffs import TradeLicenceTariff
from app.trade.dto import LicenceInput
from app.trade.fees import TRADE_KINDS, licence_fee_paise
from ui.common.widgets import MessageBanner
from ui.trade.texts import KINDS, tr


def _decimal(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


class ApplicationDialog(QDialog):
    """New application, or a renewal pre-filled from the licence renewed. Emits `submitted(LicenceInput,
    property ID text)`; the screen saves it and calls `accept()` or `show_error()`."""

    submitted = Signal(object, str)

    def __init__(
        self,
        parent: QWidget | None,
        fee_basis: tuple[TradeLicenceTariff, str] | None,
        ward_count: int,
        prefill: LicenceInput | None = None,
        property_id: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tradeApplicationDialog")
        self.fee_basis = fee_basis
        self.prefill = prefill
        self.banner = MessageBanner()
        self.trade_name = QLineEdit()
        self.trade_name_hi = QLineEdit()
        self.owner_en = QLineEdit()
        self.owner_hi = QLineEdit()
        self.mobile = QLineEdit()
        self.mobile.setMaxLength(10)
        self.address_en = QLineEdit()
        self.address_hi = QLineEdit()
        self.ward = QSpinBox()
        self.ward.setRange(1, max(ward_count, 1))
        self.kind = QComboBox()
        for kind in TRADE_KINDS:
            self.kind.addItem(kind, kind)
        self.area = QLineEdit()
        self.area.setObjectName("tradeArea")
        self.road = QLineEdit()
        self.road.setObjectName("tradeRoad")
        self.property_id = QLineEdit(property_id)
        self.fee = QLabel()
        self.fee.setObjectName("tradeFeePreview")
        font = self.fee.font()
        font.setBold(True)
        self.fee.setFont(font)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: list[tuple[QLabel, str]] = []
        for source, widget in (
            ("Trade name (English)", self.trade_name),
            ("Trade name (Hindi)", self.trade_name_hi),
            ("Owner (English)", self.owner_en),
            ("Owner (Hindi)", self.owner_hi),
            ("Mobile", self.mobile),
            ("Address (English)", self.address_en),
            ("Address (Hindi)", self.address_hi),
            ("Ward", self.ward),
            ("Kind of trade", self.kind),
            ("Trade area (sq ft)", self.area),
            ("Road width in front (m)", self.road),
            ("Property ID (optional)", self.property_id),
            ("Fee for the year", self.fee),
        ):
            label = QLabel()
            label.setBuddy(widget)
            self.labels.append((label, source))
            self.form.addRow(label, widget)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 10) * 1.15)
        self.title.setFont(title_font)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        for line in (self.area, self.road):
            line.textChanged.connect(self._update_fee)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if prefill is not None:
            self._fill(prefill)
        self.retranslateUi()
        self._kind_changed()
        self.setMinimumWidth(520)

    def _fill(self, data: LicenceInput) -> None:
        self.trade_name.setText(data.trade_name)
        self.trade_name_hi.setText(data.trade_name_hi)
        self.owner_en.setText(data.owner_name_en)
        self.owner_hi.setText(data.owner_name_hi)
        self.mobile.setText(data.mobile)
        self.address_en.setText(data.address_en)
        self.address_hi.setText(data.address_hi)
        self.ward.setValue(data.ward_no)
        self.kind.setCurrentIndex(max(self.kind.findData(data.trade_kind), 0))
        self.area.setText("" if data.area_sqft is None else str(data.area_sqft))
        self.road.setText("" if data.road_width_m is None else str(data.road_width_m))

    def _kind_changed(self) -> None:
        shop = self.kind.currentData() == "SHOP"
        self.area.setEnabled(shop)
        self.road.setEnabled(shop)
        self._update_fee()

    def _update_fee(self) -> None:
        if self.fee_basis is None:
            self.fee.setText("—")
            return
        tariff, ulb_class = self.fee_basis
        kind = str(self.kind.currentData())
        try:
            fee = licence_fee_paise(tariff, ulb_class, kind, _decimal(self.area.text()), _decimal(self.road.text()))
        except NikayError:
            self.fee.setText(tr("enter the area and the road width"))
            return
        self.fee.setText(format_inr(fee))

    def value(self) -> LicenceInput:
        shop = self.kind.currentData() == "SHOP"
        renewal = self.prefill is not None and self.prefill.application_type == "RENEWAL"
        return LicenceInput(
            trade_name=self.trade_name.text(),
            trade_name_hi=self.trade_name_hi.text(),
            owner_name_en=self.owner_en.text(),
            owner_name_hi=self.owner_hi.text(),
            mobile=self.mobile.text(),
            address_en=self.address_en.text(),
            address_hi=self.address_hi.text(),
            ward_no=self.ward.value(),
            trade_kind=str(self.kind.currentData()),
            area_sqft=_decimal(self.area.text()) if shop else None,
            road_width_m=_decimal(self.road.text()) if shop else None,
            application_type="RENEWAL" if renewal else "NEW",
            previous_licence_uuid=self.prefill.previous_licence_uuid if renewal and self.prefill else None,
        )

    def submit(self) -> None:
        shop = self.kind.currentData() == "SHOP"
        for line, name in ((self.area, tr("Trade area (sq ft)")), (self.road, tr("Road width in front (m)"))):
            if shop and line.text().strip() and _decimal(line.text()) is None:
                self.show_error(tr("{field}: {value} is not a number").format(field=name, value=line.text()))
                line.setFocus()
                return
        self.buttons.setEnabled(False)
        self.submitted.emit(self.value(), self.property_id.text().strip())

    def show_error(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.banner.show_message(message, "error")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        renewal = self.prefill is not None and self.prefill.application_type == "RENEWAL"
        self.setWindowTitle(tr("Renewal application") if renewal else tr("New trade licence application"))
        self.title.setText(self.windowTitle())
        for label, source in self.labels:
            label.setText(tr(source))
        for index in range(self.kind.count()):
            self.kind.setItemText(index, tr(KINDS[str(self.kind.itemData(index))]))
        self.area.setPlaceholderText(tr("shops only"))
        self.road.setPlaceholderText(tr("shops only"))
        self.mobile.setPlaceholderText(tr("10 digits"))
        self._update_fee()


class ReasonDialog(QDialog):
    """Asks for the reason of a rejection (told to the applicant)."""

    def __init__(self, parent: QWidget | None, application_no: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Reject application {number}").format(number=application_no))
        self.text = QPlainTextEdit()
        self.text.setObjectName("tradeRejectReason")
        label = QLabel(tr("Reason (it is told to the applicant):"))
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def reason(self) -> str:
        return self.text.toPlainText().strip()
