"""The verification code printed as a QR on every receipt, and checking one.

Text: `NKY1|<receipt no>|<uuid>|<amount paise>|<YYYYMMDD>|<tag>` where tag is the first 10 base32
characters of HMAC-SHA256(device receipt key, everything before it). Anyone can read the number,
amount and date; only this device (and, after the sync issue, the central, which will hold the
device's key) can tell whether the tag is genuine. Local verification also looks the receipt up:
a genuine tag on a cancelled or unknown receipt is reported as such.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.collections.dto import ReceiptView
from app.errors import NotFoundError

PREFIX = "NKY1"
RECEIPT_KEY_NAME = "receipt-verification-key"


def _tag(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:10]


def verification_text(key: bytes, receipt_no: str, uuid: str, amount_paise: int, day: date) -> str:
    body = f"{PREFIX}|{receipt_no}|{uuid}|{amount_paise}|{day:%Y%m%d}"
    return f"{body}|{_tag(key, body)}"


@dataclass(frozen=True)
class Verification:
    genuine: bool  # the tag was made with this device's key
    status: str  # GENUINE, CANCELLED, DISHONOURED, NOT_ON_THIS_DEVICE, MISMATCH, FORGED, MALFORMED
    message: str
    receipt_no: str = ""
    amount_paise: int = 0
    day: date | None = None


def parse(text: str) -> tuple[str, str, int, date, str] | None:
    parts = text.strip().split("|")
    if len(parts) != 6 or parts[0] != PREFIX:
        return None
    _prefix, receipt_no, uuid, amount, day, tag = parts
    try:
        return receipt_no, uuid, int(amount), date(int(day[:4]), int(day[4:6]), int(day[6:8])), tag
    except ValueError:
        return None


def check_tag(key: bytes, text: str) -> bool:
    body, _, tag = text.strip().rpartition("|")
    return bool(body) and hmac.compare_digest(_tag(key, body), tag)


def verify(key: bytes, text: str, lookup: Callable[[str], ReceiptView] | None = None) -> Verification:
    """Check a scanned code. `lookup(receipt_no)` returns the saved ReceiptView or raises NotFoundError."""
    parsed = parse(text)
    if parsed is None:
        return Verification(False, "MALFORMED", "not a Nikay receipt code (expected NKY1|…|…|…|…|…)")
    receipt_no, uuid, amount, day, _tag_text = parsed
    if not check_tag(key, text):
        return Verification(
            False,
            "FORGED",
            f"the code of {receipt_no} was not made by this device (or was altered)",
            receipt_no,
            amount,
            day,
        )
    if lookup is None:
        return Verification(True, "GENUINE", f"{receipt_no}: genuine code", receipt_no, amount, day)
    try:
        saved = lookup(receipt_no)
    except NotFoundError:
        return Verification(
            True,
            "NOT_ON_THIS_DEVICE",
            f"{receipt_no}: genuine code, but the receipt is not in this database",
            receipt_no,
            amount,
            day,
        )
    if saved.uuid != uuid or saved.amount_paise != amount or saved.business_date != day:
        return Verification(
            True, "MISMATCH", f"{receipt_no}: the code does not match the saved receipt", receipt_no, amount, day
        )
    if saved.cancelled:
        return Verification(
            True,
            saved.cancelled,
            f"{receipt_no}: genuine, but {saved.cancelled.lower()} ({saved.cancel_reason})",
            receipt_no,
            amount,
            day,
        )
    return Verification(True, "GENUINE", f"{receipt_no}: genuine and in force", receipt_no, amount, day)
