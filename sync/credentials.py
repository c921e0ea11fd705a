"""The device's key and refresh token (in the SecretStore: the OS keyring, never the DB or logs),
and the short-lived access token (in memory only)."""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.core.clock import Clock
from app.security.secrets import SecretStore
from sync.protocol import TokenRequest, token_signing_message

DEVICE_KEY = "sync-device-key"
REFRESH_TOKEN = "sync-refresh-token"
# Refresh a little before the access token runs out, so a push never starts with a dying token.
EXPIRY_MARGIN = timedelta(seconds=30)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def new_device_key() -> tuple[str, str]:
    """(private key, public key), both raw Ed25519 in urlsafe base64."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(private), _b64(public)


@dataclass
class _Access:
    token: str
    expires_at: datetime


class Credentials:
    def __init__(self, secrets: SecretStore, clock: Clock) -> None:
        self._secrets = secrets
        self._clock = clock
        self._access: _Access | None = None
        self._lock = threading.Lock()

    def has_device_key(self) -> bool:
        return bool(self._secrets.get(DEVICE_KEY)) and bool(self._secrets.get(REFRESH_TOKEN))

    def store_enrolment(self, private_key: str, refresh_token: str, access_token: str, expires_in_s: int) -> None:
        self._secrets.set(DEVICE_KEY, private_key)
        self._secrets.set(REFRESH_TOKEN, refresh_token)
        self.set_access(access_token, expires_in_s)

    def set_access(self, token: str, expires_in_s: int) -> None:
        with self._lock:
            self._access = _Access(token, self._clock.now_utc() + timedelta(seconds=expires_in_s))

    def forget_access(self) -> None:
        with self._lock:
            self._access = None

    def access_token(self) -> str | None:
        """The current access token if it is still good for a while, else None (refresh first)."""
        with self._lock:
            if self._access is None or self._clock.now_utc() + EXPIRY_MARGIN >= self._access.expires_at:
                return None
            return self._access.token

    def token_request(self, device_id: str) -> TokenRequest:
        """A signed refresh-token exchange: proof that this PC holds the enrolled device key."""
        private = self._secrets.get(DEVICE_KEY)
        refresh = self._secrets.get(REFRESH_TOKEN)
        if not private or not refresh:
            raise LookupError("the device key or refresh token is missing from the secret store; enrol again")
        key = Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(private))
        signed_at = self._clock.now_utc()
        signature = key.sign(token_signing_message(device_id, refresh, signed_at))
        return TokenRequest(device_id=device_id, refresh_token=refresh, signed_at=signed_at, signature=_b64(signature))

    def rotate(self, refresh_token: str, access_token: str, expires_in_s: int) -> None:
        # The new refresh token is stored before the access token is used: if we crash now, the
        # central still accepts the old one once (its reply to us may have been the lost one).
        self._secrets.set(REFRESH_TOKEN, refresh_token)
        self.set_access(access_token, expires_in_s)
