"""The login window: user name, password, language, clear messages. Enter signs in.

The argon2 check is slow by design (about 0.4 s), and a failed attempt is written to the database, so
`authenticate` runs on the writer thread (ops.write); the window only shows "Signing in…".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import NikayError
from ui.common.errors import login_error_message
from ui.common.widgets import MessageBanner
from ui.i18n import LANGUAGE_NAMES

if TYPE_CHECKING:
    from app.composition import Services
    from app.security.roles import Actor
    from ui.application import Runtime
    from ui.workers import Operations


def device_no_of(services: Services) -> int:
    device = getattr(services, "device", None)
    return int(getattr(device, "device_no", 1) or 1)


class LoginWindow(QWidget):
    """Emits `logged_in(actor)` once the user is in (and has changed a one-time password)."""

    logged_in = Signal(object)  # app.security.roles.Actor

    def __init__(self, ops: Operations, runtime: Runtime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginWindow")
        self.ops = ops
        self.runtime = runtime
        self.services: Services | None = None
        self._busy = False
        self._startup_error = ""
        self._first_run_password = ""
        self._password_dialog: QWidget | None = None

        self.title = QLabel()
        title_font = QFont(self.font())
        title_font.setPointSizeF(max(title_font.pointSizeF(), 10) * 1.8)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ulb_label = QLabel()
        self.ulb_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ulb_label.setWordWrap(True)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(60)
        self.username.setText(runtime.settings.last_username)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(128)
        self.username_label = QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password)

        self.sign_in = QPushButton()
        self.sign_in.setObjectName("signIn")
        self.sign_in.setDefault(True)
        self.sign_in.setAutoDefault(True)
        self.sign_in.clicked.connect(self.submit)
        self.username.returnPressed.connect(self._username_entered)
        self.password.returnPressed.connect(self.submit)

        self.language_label = QLabel()
        self.language_buttons: dict[str, QToolButton] = {}
        self._language_group = QButtonGroup(self)
        self._language_group.setExclusive(True)
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_label)
        for code in ("en", "hi"):
            button = QToolButton()
            button.setObjectName(f"language_{code}")
            button.setText(LANGUAGE_NAMES[code])  # each language is named in itself, never translated
            button.setCheckable(True)
            button.setChecked(code == runtime.language)
            button.clicked.connect(lambda _checked=False, c=code: self.set_language(c))
            self._language_group.addButton(button)
            self.language_buttons[code] = button
            language_row.addWidget(button)
        language_row.addStretch(1)

        self.banner = MessageBanner()
        self.banner.setObjectName("loginMessage")
        self.status = QLabel()
        self.status.setObjectName("loginStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color:#555;")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)

        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(12)
        inner.addWidget(self.title)
        inner.addWidget(self.ulb_label)
        inner.addSpacing(8)
        inner.addLayout(form)
        inner.addWidget(self.banner)
        inner.addWidget(self.sign_in)
        inner.addLayout(language_row)
        inner.addWidget(self.status)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        card.setMinimumWidth(440)

        # Alt+H / Alt+E switch language from the keyboard.
        QShortcut(QKeySequence("Alt+H"), self, lambda: self.set_language("hi"))
        QShortcut(QKeySequence("Alt+E"), self, lambda: self.set_language("en"))

        self.resize(720, 520)
        self.retranslateUi()
        self._update_enabled()
        (self.password if self.username.text() else self.username).setFocus()

    # ---- language --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Nikay — sign in"))
        self.title.setText(self.tr("Nikay"))
        self.username_label.setText(self.tr("&User name"))
        self.password_label.setText(self.tr("&Password"))
        self.username.setPlaceholderText(self.tr("e.g. clerk1"))
        self.sign_in.setText(self.tr("Sign in") if not self._busy else self.tr("Signing in…"))
        self.language_label.setText(self.tr("Language:"))
        self.language_buttons["en"].setToolTip(self.tr("Switch to English (Alt+E)"))
        self.language_buttons["hi"].setToolTip(self.tr("Switch to Hindi (Alt+H)"))
        self._show_ulb()
        self._show_status()

    @Slot(str)
    def set_language(self, language: str) -> None:
        self.runtime.set_language(language)
        self.language_buttons[language].setChecked(True)

    # ---- services --------------------------------------------------------------------------------

    @Slot(object)
    def set_services(self, services: Services) -> None:
        self.services = services
        self._show_ulb()
        self._show_status()
        self._update_enabled()

    @Slot(str)
    def set_startup_failed(self, message: str) -> None:
        self._startup_error = message
        self.banner.show_message(self.tr("The data folder could not be opened: {error}").format(error=message), "error")
        self._show_status()
        self._update_enabled()

    def show_first_run_password(self, password: str) -> None:
        """First run: the administrator account was just created with a one-time password."""
        self._first_run_password = password
        self.username.setText("admin")
        self.banner.show_message(
            self.tr(
                "First run: sign in as admin with the one-time password {password} and choose a new "
                "password. Write it down now; it is shown only once."
            ).format(password=password),
            "info",
        )

    def _show_ulb(self) -> None:
        device = getattr(self.services, "device", None) if self.services is not None else None
        if device is None:
            self.ulb_label.setText(self.tr("Property tax and user-charge counter"))
            return
        name = device.ulb_name_hi if self.runtime.language == "hi" else device.ulb_name_en
        other = device.ulb_name_en if self.runtime.language == "hi" else device.ulb_name_hi
        self.ulb_label.setText(
            self.tr("{name} ({other})\nOffice {office} · counter {device}").format(
                name=name, other=other, office=device.office_code, device=device.counter_code
            )
        )

    def _show_status(self) -> None:
        if self._startup_error:
            self.status.setText("")
        elif self.services is None:
            self.status.setText(self.tr("Opening the data folder…"))
        else:
            self.status.setText("")

    # ---- signing in ------------------------------------------------------------------------------

    def _update_enabled(self) -> None:
        ready = self.services is not None and not self._busy
        self.sign_in.setEnabled(ready)
        self.username.setEnabled(not self._busy)
        self.password.setEnabled(not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.sign_in.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        self._update_enabled()

    @Slot()
    def _username_entered(self) -> None:
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    @Slot()
    def submit(self) -> None:
        if self._busy:
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self.banner.show_message(self.tr("Enter your user name."), "error")
            self.username.setFocus()
            return
        if not password:
            self.banner.show_message(self.tr("Enter your password."), "error")
            self.password.setFocus()
            return
        services = self.services
        if services is None:
            self.banner.show_message(self.tr("Please wait: the data folder is still being opened."), "info")
            return
        self.banner.clear_message()
        self._set_busy(True)
        device_no = device_no_of(services)
        self.ops.write(
            lambda: services.users.authenticate(username, password, device_no),
            self._login_succeeded,
            self._login_failed,
        )

    def _login_succeeded(self, result: object) -> None:
        self._set_busy(False)
        actor: Actor = result.actor  # type: ignore[attr-defined]
        must_change = bool(result.must_change_password)  # type: ignore[attr-defined]
        self.runtime.settings.last_username = actor.username
        old_password = self.password.text()
        self.password.clear()
        if must_change:
            self._ask_new_password(actor, old_password)
            return
        self.logged_in.emit(actor)

    def _login_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.banner.show_message(login_error_message(error), "error")
        self.password.clear()
        self.password.setFocus()

    def _ask_new_password(self, actor: Actor, old_password: str) -> None:
        from ui.login.password import ChangePasswordDialog

        assert self.services is not None
        dialog = ChangePasswordDialog(self.ops, self.services, actor, old_password, forced=True, parent=self)
        self._password_dialog = dialog

        def finished(result: int) -> None:
            self._password_dialog = None
            if result == ChangePasswordDialog.DialogCode.Accepted:
                self.banner.clear_message()
                self.logged_in.emit(actor)
            else:
                self.banner.show_message(
                    self.tr("You must choose a new password before you can continue. Sign in again."), "warning"
                )
                self.password.setFocus()

        dialog.finished.connect(finished)
        dialog.open()

    @property
    def password_dialog(self) -> QWidget | None:
        """The forced password-change dialog while it is open (tests and the headless demo use it)."""
        return self._password_dialog

    def is_ready(self) -> bool:
        return self.services is not None and not self._busy

    def report_error(self, error: NikayError) -> None:
        self.banner.show_message(login_error_message(error), "error")
