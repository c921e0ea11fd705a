"""Identities made on the device. The printed number is never the identity: every record has a UUIDv7."""

from __future__ import annotations

import uuid6


def new_uuid() -> str:
    """A time-ordered UUIDv7 as text (sorts by creation time, unique across devices)."""
    return str(uuid6.uuid7())
