"""Enrolment, token exchange and device administration, over a SQLAlchemy Session.

Every "only once" here is one conditional UPDATE ... RETURNING, never "look up, then write": two
requests racing for one enrolment code or one refresh token cannot both win.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.core.clock import as_utc
from central.auth.tokens import (
    issue_access_token,
    new_enrolment_code,
    new_refresh_token,
    normalise_code,
    sha256_hex,
)
from central.config import CentralSettings
from central.db.engine import server_epoch
from central.db.models import Device, EnrolmentCode, RefreshToken, Ulb
from sync.protocol import EnrolRequest, EnrolResponse, TokenRequest, TokenResponse, token_signing_message

ERROR_ENROLMENT_CODE = "enrolment_code_invalid"
ERROR_REFRESH_REJECTED = "refresh_rejected"
ERROR_BAD_KEY = "bad_public_key"


class AuthError(Exception):
    """A refusal the router turns into {code, message} with this HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def decode_key(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode())


def load_public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = decode_key(text)
        if len(raw) != 32:
            raise ValueError(f"{len(raw)} bytes, an Ed25519 public key has 32")
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, binascii.Error) as error:
        raise AuthError(
            422, ERROR_BAD_KEY, f"public_key is not a raw Ed25519 key in urlsafe base64: {error}"
        ) from error


def _new_refresh(session: Session, device_id: str, settings: CentralSettings, now: datetime) -> tuple[str, str]:
    token = new_refresh_token()
    digest = sha256_hex(token)
    session.execute(
        insert(RefreshToken).values(
            token_sha256=digest,
            device_id=device_id,
            issued_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_ttl_days),
            spent_at=None,
            successor_sha256=None,
            revoked=False,
        )
    )
    return token, digest


def enrol(session: Session, settings: CentralSettings, request: EnrolRequest, now: datetime) -> EnrolResponse:
    key_text = request.public_key
    load_public_key(key_text)
    device_id = str(uuid.uuid4())
    claimed = session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.code_sha256 == sha256_hex(normalise_code(request.code)))
        .where(EnrolmentCode.used_at.is_(None))
        .where(EnrolmentCode.expires_at > now)
        .values(used_at=now, used_by_device_id=device_id)
        .returning(EnrolmentCode.ulb_code, EnrolmentCode.office_code)
    ).one_or_none()
    if claimed is None:
        raise AuthError(403, ERROR_ENROLMENT_CODE, "this enrolment code is unknown, already used or expired")
    ulb_code, office_code = claimed.ulb_code, claimed.office_code
    # The number comes from the ULB row and only ever goes up: a revoked device's number is never reused.
    next_no = session.execute(
        update(Ulb)
        .where(Ulb.code == ulb_code)
        .values(next_device_no=Ulb.next_device_no + 1)
        .returning(Ulb.next_device_no)
    ).scalar_one()
    device_no = int(next_no) - 1
    session.execute(
        insert(Device).values(
            device_id=device_id,
            ulb_code=ulb_code,
            office_code=office_code,
            device_no=device_no,
            public_key=key_text,
            hostname=request.hostname,
            app_version=request.app_version,
            status="active",
            enrolled_at=now,
            revoked_at=None,
            last_device_seq=0,
            last_seen_at=now,
            reported_backlog=0,
            last_clock_skew_s=None,
        )
    )
    refresh, _ = _new_refresh(session, device_id, settings, now)
    access = issue_access_token(
        settings.token_secret,
        device_id=device_id,
        ulb_code=ulb_code,
        office_code=office_code,
        device_no=device_no,
        ttl_s=settings.access_token_ttl_s,
        now=now,
    )
    return EnrolResponse(
        device_id=device_id,
        device_no=device_no,
        ulb_code=ulb_code,
        office_code=office_code,
        refresh_token=refresh,
        access_token=access,
        access_expires_in_s=settings.access_token_ttl_s,
        server_epoch=server_epoch(session),
        server_time=now,
    )


def exchange(session: Session, settings: CentralSettings, request: TokenRequest, now: datetime) -> TokenResponse:
    """Trade a refresh token (plus proof of the device key) for an access token and the next refresh
    token. A spent token is honoured again while its successor was never used: the reply with the
    successor was lost (a flaky office line can lose it several times running), and every exchange is
    signed with the device key, so it is the device retrying. Each retry voids the unused successor.
    Reuse after the successor was used (a copy of the device moved on) revokes every refresh token
    of the device (theft).

    The theft branch commits its revocation before raising, so the refusal sticks."""
    device = session.execute(
        select(
            Device.device_id, Device.ulb_code, Device.office_code, Device.device_no, Device.status, Device.public_key
        ).where(Device.device_id == request.device_id)
    ).one_or_none()
    if device is None:
        raise AuthError(401, ERROR_REFRESH_REJECTED, "unknown device")
    if device.status != "active":
        raise AuthError(403, "device_revoked", "this device has been revoked; ask the ULB admin")
    message = token_signing_message(request.device_id, request.refresh_token, request.signed_at)
    try:
        load_public_key(device.public_key).verify(decode_key(request.signature), message)
    except (InvalidSignature, ValueError, binascii.Error) as error:
        raise AuthError(401, ERROR_REFRESH_REJECTED, "the signature does not match the device key") from error

    presented = session.execute(
        select(RefreshToken)
        .where(RefreshToken.token_sha256 == sha256_hex(request.refresh_token))
        .where(RefreshToken.device_id == request.device_id)
        .with_for_update()
    ).scalar_one_or_none()
    if presented is None or presented.revoked:
        raise AuthError(401, ERROR_REFRESH_REJECTED, "refresh token unknown or revoked; enrol this device again")
    if presented.spent_at is None:
        if as_utc(presented.expires_at) <= now:
            raise AuthError(401, ERROR_REFRESH_REJECTED, "refresh token expired; enrol this device again")
        refresh, digest = _new_refresh(session, request.device_id, settings, now)
        presented.spent_at = now
        presented.successor_sha256 = digest
    else:
        successor = None
        if presented.successor_sha256 is not None:
            successor = session.execute(
                select(RefreshToken).where(RefreshToken.token_sha256 == presented.successor_sha256).with_for_update()
            ).scalar_one_or_none()
        grace_open = as_utc(presented.expires_at) > now
        if successor is None or successor.revoked or successor.spent_at is not None or not grace_open:
            session.execute(
                update(RefreshToken).where(RefreshToken.device_id == request.device_id).values(revoked=True)
            )
            session.commit()
            raise AuthError(401, ERROR_REFRESH_REJECTED, "refresh token reused: every token of this device is revoked")
        # The reply with the successor was lost: void that successor and issue another.
        successor.revoked = True
        refresh, digest = _new_refresh(session, request.device_id, settings, now)
        presented.successor_sha256 = digest
    access = issue_access_token(
        settings.token_secret,
        device_id=device.device_id,
        ulb_code=device.ulb_code,
        office_code=device.office_code,
        device_no=device.device_no,
        ttl_s=settings.access_token_ttl_s,
        now=now,
    )
    return TokenResponse(access_token=access, access_expires_in_s=settings.access_token_ttl_s, refresh_token=refresh)


# --- administration (admin API and CLI) ------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    code: str
    ulb_code: str
    office_code: str
    expires_at: datetime


def issue_code(
    session: Session, *, ulb_code: str, office_code: str, issued_by: str, ttl_h: int, now: datetime
) -> IssuedCode:
    if session.get(Ulb, ulb_code) is None:
        raise AuthError(404, "not_found", f"no ULB {ulb_code!r}")
    office = office_code.strip().upper()
    if not office or len(office) > 16:
        raise AuthError(422, "bad_request", "office_code must be 1-16 characters")
    code = new_enrolment_code()
    expires_at = now + timedelta(hours=ttl_h)
    session.execute(
        insert(EnrolmentCode).values(
            code_sha256=sha256_hex(code),
            ulb_code=ulb_code,
            office_code=office,
            issued_by=issued_by,
            issued_at=now,
            expires_at=expires_at,
            used_at=None,
            used_by_device_id=None,
        )
    )
    return IssuedCode(code=code, ulb_code=ulb_code, office_code=office, expires_at=expires_at)


@dataclass(frozen=True)
class DeviceView:
    device_id: str
    ulb_code: str
    office_code: str
    device_no: int
    hostname: str
    app_version: str
    status: str
    enrolled_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    last_device_seq: int
    reported_backlog: int


def _view(device: Device) -> DeviceView:
    return DeviceView(
        device_id=device.device_id,
        ulb_code=device.ulb_code,
        office_code=device.office_code,
        device_no=device.device_no,
        hostname=device.hostname,
        app_version=device.app_version,
        status=device.status,
        enrolled_at=as_utc(device.enrolled_at),
        revoked_at=as_utc(device.revoked_at) if device.revoked_at else None,
        last_seen_at=as_utc(device.last_seen_at) if device.last_seen_at else None,
        last_device_seq=device.last_device_seq,
        reported_backlog=device.reported_backlog,
    )


def list_devices(session: Session, ulb_code: str | None) -> list[DeviceView]:
    """`ulb_code` None: every ULB (a state official)."""
    query = select(Device).order_by(Device.ulb_code, Device.device_no)
    if ulb_code is not None:
        query = query.where(Device.ulb_code == ulb_code)
    return [_view(device) for device in session.execute(query).scalars()]


def revoke_device(session: Session, device_id: str, *, ulb_code: str | None, now: datetime) -> DeviceView:
    """`ulb_code` set: only a device of that ULB (anything else is "not found", never "forbidden", so
    an admin cannot even learn that another ULB's device exists)."""
    query = select(Device).where(Device.device_id == device_id).with_for_update()
    if ulb_code is not None:
        query = query.where(Device.ulb_code == ulb_code)
    device = session.execute(query).scalar_one_or_none()
    if device is None:
        raise AuthError(404, "not_found", "no such device")
    if device.status != "revoked":
        device.status = "revoked"
        device.revoked_at = now
    session.execute(update(RefreshToken).where(RefreshToken.device_id == device_id).values(revoked=True))
    session.flush()
    return _view(device)
