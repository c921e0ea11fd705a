"""Change password: forced after a one-time password, or chosen from the menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.security.passwords import password_problem
from ui.common.errors import login_error_message, password_problem_message
from ui.common.widgets import MessageBanner

if TYPE_CHECKING:
    from app.composition import Services
    from app.security.roles import Actor
    from ui.workers import Operations


class ChangePasswordDialog(QDialog):
    def __init__(
        self,
        ops: Operations,
        services: Services,
        actor: Actor,
        current_password: str = "",
        *,
        forced: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ChangePasswordDialog")
        self.setModal(True)
        self.ops = ops
        self.services = services
        self.actor = actor
        self.forced = forced
        self._busy = False

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.current = QLineEdit(current_password)
        self.current.setObjectName("currentPassword")
        self.new = QLineEdit()
        self.new.setObjectName("newPassword")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassword")
        for field in (self.current, self.new, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(128)
            field.textChanged.connect(self._validate)
        self.current_label = QLabel()
        self.new_label = QLabel()
        self.confirm_label = QLabel()
        self.banner = MessageBanner()
        self.banner.setObjectName("passwordMessage")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555;")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.current_label, self.current)
        form.addRow(self.new_label, self.new)
        form.addRow(self.confirm_label, self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.banner)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

        if current_password and forced:
            # The user has just typed it at the login: do not ask twice.
            self.current.hide()
            self.current_label.hide()
        self.retranslateUi()
        self._validate()
        (self.new if self.current.isHidden() else self.current).setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Change password"))
        if self.forced:
            self.intro.setText(
                self.tr("{name}, you signed in with a one-time password. Choose your own password to continue.").format(
                    name=self.actor.full_name
                )
            )
        else:
            self.intro.setText(self.tr("Choose a new password for {user}.").format(user=self.actor.username))
        self.current_label.setText(self.tr("Current password"))
        self.new_label.setText(self.tr("New password"))
        self.confirm_label.setText(self.tr("New password again"))
        self.hint.setText(self.tr("At least 8 characters, not only digits, not your user name."))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Change password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self._validate()

    def problem(self) -> str | None:
        """Why the entered passwords cannot be used yet (None when they can)."""
        if not self.current.text():
            return self.tr("Enter your current password.")
        new = self.new.text()
        if not new:
            return ""
        policy = password_problem(new, self.actor.username)
        if policy:
            return password_problem_message(policy)
        if new == self.current.text():
            return password_problem_message("The new password must be different from the current one.")
        if new != self.confirm.text():
            return self.tr("The two new passwords are not the same.") if self.confirm.text() else ""
        return None

    @Slot()
    def _validate(self) -> None:
        problem = self.problem()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None and not self._busy)
        if problem:
            self.banner.show_message(problem, "warning")
        else:
            self.banner.clear_message()

    @Slot()
    def submit(self) -> None:
        if self._busy or self.problem() is not None:
            return
        self._busy = True
        self._validate()
        services, actor = self.services, self.actor
        old, new = self.current.text(), self.new.text()
        self.ops.write(lambda: services.users.change_password(actor, old, new), self._changed, self._failed)

    def _changed(self, _result: object) -> None:
        self._busy = False
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self._validate()
        self.banner.show_message(login_error_message(error), "error")
