"""The verification code printed as a QR on a licence certificate, and checking one.

Text: `NKYL1|<licence no>|<ULB>|<valid to YYYYMMDD>|<tag>`, tag = the first 10 base32 characters of
HMAC-SHA256(device licence key, everything before it) — the receipts' scheme
(app.receipts.verification) with its own key, so a licence code can never pass for a receipt's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

PREFIX = "NKYL1"
LICENCE_KEY_NAME = "licence-verification-key"


def _tag(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:10]


def licence_verification_text(key: bytes, licence_no: str, ulb_code: str, valid_to: date) -> str:
    body = f"{PREFIX}|{licence_no}|{ulb_code}|{valid_to:%Y%m%d}"
    return f"{body}|{_tag(key, body)}"


@dataclass(frozen=True)
class LicenceCheck:
    genuine: bool
    licence_no: str = ""
    ulb_code: str = ""
    valid_to: date | None = None


def check_licence_code(key: bytes, text: str) -> LicenceCheck:
    """Whether a scanned code was made with this key, and what it says."""
    parts = text.strip().split("|")
    if len(parts) != 5 or parts[0] != PREFIX:
        return LicenceCheck(False)
    _prefix, licence_no, ulb_code, day, tag = parts
    try:
        valid_to = date(int(day[:4]), int(day[4:6]), int(day[6:8]))
    except ValueError:
        return LicenceCheck(False)
    body = text.strip().rpartition("|")[0]
    genuine = hmac.compare_digest(_tag(key, body), tag)
    return LicenceCheck(genuine, licence_no, ulb_code, valid_to)
