"""Error messages for people, in the UI language.

Services raise NikayError with an English message meant to be shown as is. For the errors a clerk
meets every day (login) the UI has its own translated wording; anything else is shown as the service
wrote it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.clock import format_datetime_ist
from app.errors import NikayError

translate = QCoreApplication.translate


def login_error_message(error: Exception) -> str:
    """The text the login window shows for an AuthenticationError (or any NikayError)."""
    from app.security.service import BAD_CREDENTIALS, AccountLockedError

    message = str(error)
    if isinstance(error, AccountLockedError):
        until = format_datetime_ist(error.locked_until)
        locked = translate(
            "Errors",
            "Too many failed attempts: this user is locked until {until} IST. "
            "Try again then, or ask the administrator to reset the password.",
        ).format(until=until)
        if message.startswith(BAD_CREDENTIALS):
            wrong = translate("Errors", "Wrong user name or password.")
            return f"{wrong} {locked}"
        return locked
    if message == BAD_CREDENTIALS:
        return translate("Errors", "Wrong user name or password.")
    if message == "The current password is wrong.":
        return translate("Errors", "The current password is wrong.")
    if message.endswith("is disabled; ask the administrator."):
        return translate("Errors", "This user is disabled; ask the administrator.")
    return message if isinstance(error, NikayError) else translate("Errors", "Something went wrong; see the log.")


def password_problem_message(problem: str) -> str:
    """The password policy's English message (app.security.passwords) in the UI language."""
    import re

    if m := re.match(r"The password must have at least (\d+) characters \(it has (\d+)\)\.", problem):
        return translate("Errors", "The password must have at least {min} characters (it has {n}).").format(
            min=m.group(1), n=m.group(2)
        )
    if m := re.match(r"The password may have at most (\d+) characters\.", problem):
        return translate("Errors", "The password may have at most {max} characters.").format(max=m.group(1))
    known = {
        "The password must not be only digits; add letters or symbols.": translate(
            "Errors", "The password must not be only digits; add letters or symbols."
        ),
        "The password must not start or end with a space.": translate(
            "Errors", "The password must not start or end with a space."
        ),
        "The password must not be the same as the user name.": translate(
            "Errors", "The password must not be the same as the user name."
        ),
        "The new password must be different from the current one.": translate(
            "Errors", "The new password must be different from the current one."
        ),
    }
    return known.get(problem, problem)
