"""Identities made on the device. The printed number is never the identity: every record has a UUIDv7."""

from __future__ import annotations

import uuid6


def device_tag(device_no: int) -> str:
    """This counter's part of a number it gives out offline ("C03", as in receipt series): numbers made
    on two PCs that cannot talk to each other then never collide (consumer no., licence no., payer ID)."""
    return f"C{device_no:02d}"


def new_uuid() -> str:
    """A time-ordered UUIDv7 as text (sorts by creation time, unique across devices)."""
    return str(uuid6.uuid7())
