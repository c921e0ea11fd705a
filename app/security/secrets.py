"""Device secrets (the receipt verification key now; the device token in the sync issue).

DESIGN.md: secrets live in the OS keyring (Windows Credential Manager, macOS Keychain, the Secret
Service on a Linux desktop) through `keyring`, never in the database or logs. A Linux counter PC
without any keyring service gets a fallback: a file in the data folder readable only by its owner,
and a warning in the log saying so. Tests use `MemorySecretStore`.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

SERVICE = "nikay"


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...


class MemorySecretStore:
    """For tests (never the developer's real keyring)."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value


class KeyringSecretStore:
    """The OS keyring, one entry per data folder (two Nikay installs on one PC never share a key)."""

    def __init__(self, data_dir: Path) -> None:
        self._scope = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]

    def get(self, name: str) -> str | None:
        import keyring

        value: str | None = keyring.get_password(SERVICE, f"{self._scope}:{name}")
        return value

    def set(self, name: str, value: str) -> None:
        import keyring

        keyring.set_password(SERVICE, f"{self._scope}:{name}", value)


class OwnerOnlyFileSecretStore:
    """Fallback where no keyring service runs: `<data dir>/secrets/<name>`, mode 0600."""

    def __init__(self, data_dir: Path) -> None:
        self._dir = data_dir / "secrets"

    def get(self, name: str) -> str | None:
        path = self._dir / name
        return path.read_text(encoding="ascii").strip() if path.exists() else None

    def set(self, name: str, value: str) -> None:
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._dir / name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(value)
            handle.flush()
            os.fsync(handle.fileno())


def default_secret_store(data_dir: Path) -> SecretStore:
    """The OS keyring if one works here, else the owner-only file (with a warning).

    NIKAY_SECRET_STORE=file forces the file store (the test suite sets it, so tests never touch a
    developer's real keyring)."""
    if os.environ.get("NIKAY_SECRET_STORE") == "file":
        return OwnerOnlyFileSecretStore(data_dir)
    try:
        import keyring
        from keyring.backends.fail import Keyring as NoKeyring

        if not isinstance(keyring.get_keyring(), NoKeyring):
            return KeyringSecretStore(data_dir)
    except Exception as error:  # a broken keyring backend must not stop the counter
        log.warning("keyring unavailable (%s)", error)
    log.warning("no OS keyring service: device secrets are kept in %s (owner-only)", data_dir / "secrets")
    return OwnerOnlyFileSecretStore(data_dir)


def get_or_create_key(store: SecretStore, name: str) -> bytes:
    """A 256-bit key stored under `name`, made on first use."""
    existing = store.get(name)
    if existing:
        return base64.b64decode(existing)
    key = secrets.token_bytes(32)
    store.set(name, base64.b64encode(key).decode("ascii"))
    return key
