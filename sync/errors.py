"""What can go wrong talking to the central, as the sync engine tells it apart."""

from __future__ import annotations


class SyncUnavailable(Exception):
    """The cycle could not finish; try again later (with backoff). The outbox keeps everything."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class CentralUnreachable(SyncUnavailable):
    """No answer: network down, DNS, TLS handshake, timeout (the outcome of a push is unknown)."""


class CentralError(SyncUnavailable):
    """The central answered with an error status."""

    def __init__(self, status: int, code: str, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(f"central replied {status} {code}: {message}", retry_after_s)
        self.status = status
        self.code = code
        self.detail = message


class TokenExpired(CentralError):
    pass


class CursorGone(CentralError):
    pass


class DeviceRevoked(CentralError):
    pass


class NotEnrolled(SyncUnavailable):
    pass


class SyncBusy(SyncUnavailable):
    """Another sync worker (another Nikay window on this PC) holds the device's sync lock."""
