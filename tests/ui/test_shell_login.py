"""Login window: success, wrong password, lockout message, forced password change, language toggle."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.composition import Services
from app.security.service import LOCKOUT_THRESHOLD
from tests.ui.conftest import login_actor
from ui.login.password import ChangePasswordDialog
from ui.login.window import LoginWindow


def make_login(qtbot: Any, services: Services, ops: Any, runtime: Any) -> LoginWindow:
    window = LoginWindow(ops, runtime)
    qtbot.addWidget(window)
    window.set_services(services)
    window.show()
    qtbot.waitExposed(window)
    return window


def type_and_enter(qtbot: Any, window: LoginWindow, username: str, password: str) -> None:
    window.username.clear()
    window.password.clear()
    qtbot.keyClicks(window.username, username)
    qtbot.keyClick(window.username, Qt.Key.Key_Return)  # Enter in the user name moves to the password
    assert window.password.hasFocus() or not window.isActiveWindow()
    qtbot.keyClicks(window.password, password)
    qtbot.keyClick(window.password, Qt.Key.Key_Return)


def test_login_success_by_keyboard(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    window = make_login(qtbot, services, ops, runtime)
    with qtbot.waitSignal(window.logged_in, timeout=10000) as signal:
        type_and_enter(qtbot, window, "clerk1", "Clerk@123")
    actor = signal.args[0]
    assert actor.username == "clerk1"
    assert actor.role.value == "clerk"
    assert runtime.settings.last_username == "clerk1"


def test_wrong_password_says_so_and_clears_the_password(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    window = make_login(qtbot, services, ops, runtime)
    with qtbot.assertNotEmitted(window.logged_in, wait=100):
        type_and_enter(qtbot, window, "clerk1", "not-the-password")
        assert ops.wait_idle(10000)
    assert window.banner.isVisible()
    assert window.banner.text() == "Wrong user name or password."
    assert window.password.text() == ""
    assert window.sign_in.isEnabled()


def test_unknown_user_gets_the_same_message(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    window = make_login(qtbot, services, ops, runtime)
    type_and_enter(qtbot, window, "nobody", "whatever1")
    assert ops.wait_idle(10000)
    assert window.banner.text() == "Wrong user name or password."


def test_lockout_message_says_until_when(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    window = make_login(qtbot, services, ops, runtime)
    for _ in range(LOCKOUT_THRESHOLD):
        type_and_enter(qtbot, window, "clerk1", "wrong-password")
        assert ops.wait_idle(10000)
    # The fixed clock says 15-06-2026 11:00 IST; locked for 15 minutes.
    assert "locked until 15-06-2026 11:15 IST" in window.banner.text()
    assert window.banner.text().startswith("Wrong user name or password.")
    # Even the right password is refused while locked, with the lock message.
    with qtbot.assertNotEmitted(window.logged_in, wait=100):
        type_and_enter(qtbot, window, "clerk1", "Clerk@123")
        assert ops.wait_idle(10000)
    assert window.banner.text().startswith("Too many failed attempts")
    assert "15-06-2026 11:15" in window.banner.text()


def test_lockout_message_in_hindi(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    window = make_login(qtbot, services, ops, runtime)
    window.set_language("hi")
    for _ in range(LOCKOUT_THRESHOLD + 1):
        type_and_enter(qtbot, window, "clerk1", "wrong-password")
        assert ops.wait_idle(10000)
    assert "15-06-2026 11:15 IST तक लॉक है" in window.banner.text()


def test_forced_password_change_then_in(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    admin = login_actor(services, "admin1")
    one_time = services.users.reset_password(admin, "clerk1", "OneTime123")
    window = make_login(qtbot, services, ops, runtime)
    type_and_enter(qtbot, window, "clerk1", one_time)
    qtbot.waitUntil(lambda: window.password_dialog is not None, timeout=10000)
    dialog = window.password_dialog
    assert isinstance(dialog, ChangePasswordDialog)
    assert dialog.current.isHidden(), "the password just typed at the login is not asked again"
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.keyClicks(dialog.new, "12345678")
    qtbot.keyClicks(dialog.confirm, "12345678")
    assert not ok.isEnabled()
    assert "only digits" in dialog.banner.text()
    dialog.new.clear()
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.new, "Counter#2026")
    qtbot.keyClicks(dialog.confirm, "Counter#2025")
    assert not ok.isEnabled()
    assert dialog.banner.text() == "The two new passwords are not the same."
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, "Counter#2026")
    assert ok.isEnabled()
    with qtbot.waitSignal(window.logged_in, timeout=10000) as signal:
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert signal.args[0].username == "clerk1"
    result = services.users.authenticate("clerk1", "Counter#2026", services.device.device_no)
    assert result.must_change_password is False


def test_forced_password_change_cancelled_stays_out(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    admin = login_actor(services, "admin1")
    services.users.reset_password(admin, "clerk1", "OneTime123")
    window = make_login(qtbot, services, ops, runtime)
    with qtbot.assertNotEmitted(window.logged_in, wait=200):
        type_and_enter(qtbot, window, "clerk1", "OneTime123")
        qtbot.waitUntil(lambda: window.password_dialog is not None, timeout=10000)
        window.password_dialog.reject()  # type: ignore[union-attr]
    assert "must choose a new password" in window.banner.text()


def test_language_toggle_on_the_login_window(qtbot: Any, services: Services, ops: Any, runtime: Any) -> None:
    window = make_login(qtbot, services, ops, runtime)
    assert window.sign_in.text() == "Sign in"
    qtbot.mouseClick(window.language_buttons["hi"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sign_in.text() == "लॉग इन करें", timeout=2000)
    assert window.username_label.text() == "उपयोगकर्ता नाम (&U)"
    assert runtime.settings.language == "hi"
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.sign_in.text() == "Sign in", timeout=2000)
