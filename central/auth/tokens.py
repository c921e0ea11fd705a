"""Secrets the central hands out: refresh tokens, enrolment codes and admin API tokens are random and
kept only as sha256; access tokens are short-lived HS256 JWTs every app process can check alone."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

# Unambiguous when read aloud or typed from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_refresh_token() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def new_admin_token() -> str:
    return "nka_" + secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    """12 characters in groups of four (XXXX-XXXX-XXXX); about 59 bits, single use and short-lived."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """What a person typed, as it was issued: case, spaces and dashes do not matter."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@dataclass(frozen=True)
class AccessClaims:
    device_id: str
    ulb_code: str
    office_code: str
    device_no: int
    expires_at: datetime


def issue_access_token(
    secret: str, *, device_id: str, ulb_code: str, office_code: str, device_no: int, ttl_s: int, now: datetime
) -> str:
    claims = {
        "sub": device_id,
        "ulb": ulb_code,
        "office": office_code,
        "dno": device_no,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
        "typ": "device",
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class InvalidToken(Exception):
    """Expired, badly signed or malformed: the device refreshes once and retries."""


def decode_access_token(secret: str, token: str) -> AccessClaims:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
        return AccessClaims(
            device_id=str(claims["sub"]),
            ulb_code=str(claims["ulb"]),
            office_code=str(claims["office"]),
            device_no=int(claims["dno"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
        raise InvalidToken(str(error)) from error
