"""Printer settings: kind, address/device, capability profile, paper width, image method, fragment
height, copies, cut, default for this counter, and a Test Print. Reads and saves off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import IST
from app.errors import ValidationError
from app.printing import MonoRaster
from app.printing.config import IMAGE_METHODS, MAX_COPIES, PAPER_WIDTHS, PROFILE_DOTS, PrinterConfig, PrinterKind
from app.printing.config import PrinterSettings as SettingsStore
from app.printing.service import Send, default_send, escpos_settings
from ui.context import UiContext

PROFILES = ("POS-5890", "TM-T20II", "TM-T88V")
PROFILE_FOR_PAPER = {58: "POS-5890", 80: "TM-T20II"}


def sample_page_raster(printer: PrinterConfig, when: datetime) -> MonoRaster:
    """A small bilingual test page at the printer's dot width (drawn by Qt, shaped Devanagari)."""
    dots = PROFILE_DOTS.get(printer.profile, printer.dots)
    image = QImage(dots, 260, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setPen(QColor("black"))
        lines = [
            ("Nikay — test print", 22, True),
            ("परीक्षण प्रिंट — निकाय", 22, True),
            (f"{printer.name} · {printer.kind.value} {printer.address}", 14, False),
            (f"{printer.profile} · {printer.paper_mm} mm · {dots} dots · {printer.image_method}", 14, False),
            (when.astimezone(IST).strftime("%d-%m-%Y %H:%M"), 14, False),
        ]
        y = 8
        for text, size, bold in lines:
            font = QFont("Noto Sans")
            font.setFamilies(["Noto Sans", "Noto Sans Devanagari"])
            font.setPixelSize(size)
            font.setBold(bold)
            painter.setFont(font)
            height = int(size * 1.8)
            painter.drawText(
                4, y, dots - 8, height, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
            )
            y += height
        painter.drawRect(1, 1, dots - 3, y + 6)
    finally:
        painter.end()
    from PIL import Image

    grey = Image.frombuffer("L", (dots, 260), bytes(image.constBits()), "raw", "L", image.bytesPerLine(), 1)
    return MonoRaster.from_pil(grey.crop((0, 0, dots, min(260, y + 10))))


def send_test_print(printer: PrinterConfig, when: datetime, send: Send | None = None) -> str:
    """Render the test page, make its ESC/POS bytes for this printer and send them. Returns a summary."""
    from app.printing.escpos_out import raster_to_escpos

    data = raster_to_escpos(sample_page_raster(printer, when), escpos_settings(printer))
    (send or default_send)(printer, data)
    return f"{len(data)}"


class PrinterSettingsDialog(QDialog):
    """Add or change a printer; make it this counter's default; print a test page."""

    def __init__(self, ctx: UiContext, *, send: Send | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrinterSettingsDialog")
        self.ctx = ctx
        self._send = send
        self.store = SettingsStore(ctx.services.db, ctx.services.clock, ctx.services.audit)
        self.counter_code = ctx.services.device.counter_code
        self.printers: dict[str, PrinterConfig] = {}
        self.default_name: str | None = None
        self.busy = False
        #: called after a save finished (tests and the shell)
        self.on_saved: Callable[[PrinterConfig], None] | None = None

        self.name_combo = QComboBox()
        self.name_combo.setObjectName("printerName")
        self.name_combo.setEditable(True)
        self.name_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name_combo.currentTextChanged.connect(self._name_changed)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("printerKind")
        for kind in PrinterKind:
            self.kind_combo.addItem("", kind.value)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("printerAddress")
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("printerProfile")
        self.profile_combo.setEditable(True)
        self.profile_combo.addItems(PROFILES)
        self.paper_combo = QComboBox()
        self.paper_combo.setObjectName("printerPaper")
        for width in PAPER_WIDTHS:
            self.paper_combo.addItem(f"{width} mm", width)
        self.paper_combo.currentIndexChanged.connect(self._paper_changed)
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("printerImageMethod")
        for method in IMAGE_METHODS:
            self.method_combo.addItem(method, method)
        self.fragment_spin = QSpinBox()
        self.fragment_spin.setObjectName("printerFragment")
        self.fragment_spin.setRange(24, 4096)
        self.fragment_spin.setSingleStep(24)
        self.fragment_spin.setValue(960)
        self.copies_spin = QSpinBox()
        self.copies_spin.setObjectName("printerCopies")
        self.copies_spin.setRange(1, MAX_COPIES)
        self.cut_check = QCheckBox()
        self.cut_check.setObjectName("printerCut")
        self.cut_check.setChecked(True)
        self.default_check = QCheckBox()
        self.default_check.setObjectName("printerDefault")
        self.default_check.setChecked(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels = [QLabel() for _ in range(10)]
        fields = (
            self.name_combo,
            self.kind_combo,
            self.address_edit,
            self.profile_combo,
            self.paper_combo,
            self.method_combo,
            self.fragment_spin,
            self.copies_spin,
            self.cut_check,
            self.default_check,
        )
        for label, field in zip(self.labels, fields, strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)

        self.message = QLabel()
        self.message.setObjectName("printerSettingsMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton()
        self.test_button.setObjectName("printerTest")
        self.test_button.clicked.connect(self.test_print)
        self.save_button = QPushButton()
        self.save_button.setObjectName("printerSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton()
        self.close_button.setObjectName("printerClose")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.retranslateUi()
        self.load()

    # -- text --------------------------------------------------------------------------------------

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Printer settings"))
        texts = (
            self.tr("&Printer name"),
            self.tr("&Connection"),
            self.tr("&Address / device"),
            self.tr("Capability p&rofile"),
            self.tr("Paper &width"),
            self.tr("&Image method"),
            self.tr("&Fragment height (dots)"),
            self.tr("C&opies"),
            self.tr("C&ut"),
            self.tr("&Default"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        kind_names = {
            PrinterKind.USB: self.tr("USB"),
            PrinterKind.SERIAL: self.tr("Serial port"),
            PrinterKind.NETWORK: self.tr("Network (port 9100)"),
            PrinterKind.CUPS: self.tr("CUPS / LP queue (Linux)"),
            PrinterKind.WIN32: self.tr("Windows printer (spooler, raw)"),
            PrinterKind.FILE: self.tr("File"),
        }
        for row in range(self.kind_combo.count()):
            self.kind_combo.setItemText(row, kind_names[PrinterKind(self.kind_combo.itemData(row))])
        self.cut_check.setText(self.tr("Cut the paper after each receipt (if the printer has a cutter)"))
        self.default_check.setText(
            self.tr("Default printer for this counter ({counter})").format(counter=self.counter_code)
        )
        self.fragment_spin.setToolTip(
            self.tr("Height of each image piece sent to the printer. Lower it if long receipts come out garbled.")
        )
        self.method_combo.setToolTip(self.tr("Try another method if the printer prints garbage or nothing."))
        self.test_button.setText(self.tr("&Test print"))
        self.save_button.setText(self.tr("&Save"))
        self.close_button.setText(self.tr("Close"))
        self._kind_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _address_hint(self, kind: PrinterKind) -> str:
        return {
            PrinterKind.USB: self.tr("VID:PID in hex, e.g. 0416:5011 (empty: the first printer found)"),
            PrinterKind.SERIAL: self.tr("e.g. COM3 or /dev/ttyUSB0"),
            PrinterKind.NETWORK: self.tr("IP address, optionally :port, e.g. 192.168.1.50"),
            PrinterKind.CUPS: self.tr("CUPS queue name (empty: the default queue)"),
            PrinterKind.WIN32: self.tr("Windows printer name, e.g. POS-58"),
            PrinterKind.FILE: self.tr("file or device path, e.g. /dev/usb/lp0"),
        }[kind]

    # -- form <-> config ---------------------------------------------------------------------------

    def config(self) -> PrinterConfig:
        return PrinterConfig(
            name=self.name_combo.currentText(),
            kind=PrinterKind(self.kind_combo.currentData()),
            address=self.address_edit.text(),
            profile=self.profile_combo.currentText(),
            paper_mm=int(self.paper_combo.currentData()),
            image_method=str(self.method_combo.currentData()),
            fragment_height=self.fragment_spin.value(),
            copies=self.copies_spin.value(),
            cut=self.cut_check.isChecked(),
        )

    def set_config(self, config: PrinterConfig) -> None:
        self.name_combo.blockSignals(True)
        self.name_combo.setEditText(config.name)
        self.name_combo.blockSignals(False)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(config.kind.value)))
        self.address_edit.setText(config.address)
        self.paper_combo.blockSignals(True)
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(config.paper_mm)))
        self.paper_combo.blockSignals(False)
        self.profile_combo.setEditText(config.profile)
        self.method_combo.setCurrentIndex(max(0, self.method_combo.findData(config.image_method)))
        self.fragment_spin.setValue(config.fragment_height)
        self.copies_spin.setValue(config.copies)
        self.cut_check.setChecked(config.cut)
        self.default_check.setChecked(self.default_name in (None, config.name))

    @Slot()
    def _kind_changed(self) -> None:
        data = self.kind_combo.currentData()
        if data is not None:
            self.address_edit.setPlaceholderText(self._address_hint(PrinterKind(data)))

    @Slot()
    def _paper_changed(self) -> None:
        paper = int(self.paper_combo.currentData())
        dots = PROFILE_DOTS.get(self.profile_combo.currentText())
        if dots is None or (paper == 58) != (dots == 384):
            self.profile_combo.setEditText(PROFILE_FOR_PAPER[paper])

    @Slot(str)
    def _name_changed(self, name: str) -> None:
        config = self.printers.get(name.strip())
        if config is not None:
            self.set_config(config)

    # -- load / save / test (off the GUI thread) ---------------------------------------------------

    def load(self) -> None:
        store, counter = self.store, self.counter_code
        self._set_busy(True)
        self.ctx.ops.read(lambda: (store.list_printers(), store.default_name(counter)), self._loaded, self._failed)

    def _loaded(self, result: tuple[list[PrinterConfig], str | None]) -> None:
        printers, default = result
        self._set_busy(False)
        self.printers = {p.name: p for p in printers}
        self.default_name = default
        self.name_combo.blockSignals(True)
        self.name_combo.clear()
        self.name_combo.addItems(list(self.printers))
        self.name_combo.blockSignals(False)
        chosen = self.printers.get(default or "") or (printers[0] if printers else None)
        if chosen is not None:
            self.set_config(chosen)
        else:
            self.set_config(PrinterConfig(name=self.tr("Receipt printer"), kind=PrinterKind.USB))
            self.default_check.setChecked(True)

    @Slot()
    def save(self) -> None:
        if self.busy:
            return
        try:
            config = self.config().validated()
        except ValidationError as error:
            self._show(str(error), error=True)
            return
        default_for = self.counter_code if self.default_check.isChecked() else None
        store, actor = self.store, self.ctx.actor
        self._set_busy(True)
        self.ctx.ops.write(lambda: store.save(config, default_for=default_for, actor=actor), self._saved, self._failed)

    def _saved(self, config: PrinterConfig) -> None:
        self._set_busy(False)
        self.printers[config.name] = config
        if self.name_combo.findText(config.name) < 0:
            self.name_combo.blockSignals(True)
            self.name_combo.addItem(config.name)
            self.name_combo.setEditText(config.name)
            self.name_combo.blockSignals(False)
        if self.default_check.isChecked():
            self.default_name = config.name
        self._show(self.tr("Saved printer “{name}”.").format(name=config.name))
        if self.on_saved is not None:
            self.on_saved(config)

    @Slot()
    def test_print(self) -> None:
        if self.busy:
            return
        try:
            config = self.config().validated()
        except ValidationError as error:
            self._show(str(error), error=True)
            return
        send, when = self._send, self.ctx.services.clock.now_utc()
        self._set_busy(True)
        self._show(self.tr("Sending a test page to “{name}”…").format(name=config.name))
        self.ctx.ops.read(lambda: send_test_print(config, when, send), self._tested, self._failed)

    def _tested(self, _summary: str) -> None:
        self._set_busy(False)
        self._show(self.tr("Test page sent. If nothing came out, check paper, cover and cable, then the settings."))

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self._show(str(error), error=True)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.test_button, self.save_button):
            button.setEnabled(not busy)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #a00000;" if error else "color: #1b5e20;")
        self.message.setText(text)
