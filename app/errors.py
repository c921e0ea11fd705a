"""Errors a person can act on. Every message says what is wrong and where; the UI shows it as is."""

from __future__ import annotations


class NikayError(Exception):
    """Base of every expected, user-facing error. Anything else is a bug (crash dialog + log)."""


class ValidationError(NikayError):
    """Input was wrong; nothing was saved."""


class NotFoundError(NikayError):
    pass


class PermissionDenied(NikayError):
    pass


class ConflictError(NikayError):
    """The state changed under the request (e.g. receipt already cancelled)."""
