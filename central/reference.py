"""Reference data the central publishes to the devices of a ULB: tariffs, users, settings.

Each publish writes the current state (tariff_file, ulb_user, ulb_setting) and, in the same
transaction, a change_log row (seq NULL: the stamper gives it its place in commit order) that every
device of the ULB pulls. Versions go up only when something changed, so re-publishing the same
folder is a no-op.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.masters.tariffs import TariffError, parse_any_tariff, tariff_kind
from app.security.passwords import check_password_policy, hash_password
from app.security.roles import Role
from central.db.models import ChangeLog, Ulb
from central.payments.models import SettingValue, TariffFile, UlbUser
from sync.protocol import ChangeEntity


class ReferenceError(ValueError):
    """A publish that cannot be done (unknown ULB, invalid tariff, unknown user): said to the admin."""


@dataclass(frozen=True)
class Published:
    entity: str
    key: str
    version: int
    changed: bool


def _feed(
    session: Session,
    ulb_code: str,
    entity: ChangeEntity,
    key: str,
    version: int,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    session.add(
        ChangeLog(
            seq=None,
            ulb_code=ulb_code,
            entity=entity.value,
            entity_uuid=key,
            op="upsert",
            version=version,
            payload=payload,
            origin_device_id=None,
            created_at=now,
        )
    )


def _ulb(session: Session, ulb_code: str) -> Ulb:
    ulb = session.get(Ulb, ulb_code)
    if ulb is None:
        raise ReferenceError(f"no ULB {ulb_code!r} at the central")
    return ulb


# --- tariffs -------------------------------------------------------------------------------------


def publish_tariff(
    session: Session, ulb_code: str, name: str, toml: str, *, validate: bool = True, now: datetime | None = None
) -> Published:
    """Publish one tariff file (by name) to the ULB's devices; a new version only if the text changed.

    The name says the kind: property-tax-, water-, trade-licence- or swm-<FY>[-n].toml; the text is
    validated with that kind's model (a refusal names the file and the field).
    `validate=False` exists for tests of the devices' own check (a device refuses a bad tariff)."""
    _ulb(session, ulb_code)
    now = now or datetime.now(UTC)
    if "/" in name or "\\" in name or not name.endswith(".toml"):
        raise ReferenceError(f"{name!r} is not a tariff file name")
    if validate:
        if tariff_kind(name) is None:
            raise ReferenceError(
                f"{name!r} is not a tariff file name (property-tax, water, trade-licence or swm-<FY>[-n].toml)"
            )
        try:
            parse_any_tariff(name, toml, name, ulb_code)
        except TariffError as error:
            raise ReferenceError(str(error)) from None
    digest = hashlib.sha256(toml.encode()).hexdigest()
    row = session.scalars(
        select(TariffFile).where(TariffFile.ulb_code == ulb_code, TariffFile.name == name).with_for_update()
    ).first()
    if row is not None and row.sha256 == digest:
        return Published(ChangeEntity.TARIFF.value, name, row.version, changed=False)
    if row is None:
        row = TariffFile(ulb_code=ulb_code, name=name, toml=toml, sha256=digest, version=1, published_at=now)
        session.add(row)
    else:
        row.toml, row.sha256, row.version, row.published_at = toml, digest, row.version + 1, now
    session.flush()
    _feed(session, ulb_code, ChangeEntity.TARIFF, name, row.version, {"name": name, "toml": toml}, now)
    return Published(ChangeEntity.TARIFF.value, name, row.version, changed=True)


def publish_tariff_dir(session: Session, ulb_code: str, folder: Path, *, validate: bool = True) -> list[Published]:
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ReferenceError(f"no .toml files in {folder}")
    now = datetime.now(UTC)
    return [
        publish_tariff(session, ulb_code, path.name, path.read_text(encoding="utf-8"), validate=validate, now=now)
        for path in files
    ]


# --- users ---------------------------------------------------------------------------------------


def _user_payload(user: UlbUser) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "password_hash": user.password_hash,
        "active": user.active,
    }


def _role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise ReferenceError(f"unknown role {role!r} (one of {', '.join(r.value for r in Role)})") from None


def add_user(
    session: Session,
    ulb_code: str,
    username: str,
    full_name: str,
    role: str,
    password: str,
    *,
    password_hash: str | None = None,
    now: datetime | None = None,
) -> Published:
    """A new user for every device of the ULB. The password is hashed here (argon2id); only the hash
    travels. `password_hash` (already hashed) is for tests that need a cheap hash."""
    _ulb(session, ulb_code)
    now = now or datetime.now(UTC)
    name = username.strip().lower()
    if session.get(UlbUser, (ulb_code, name)) is not None:
        raise ReferenceError(f"{name} already exists in {ulb_code} (use set-password, enable or disable)")
    if password_hash is None:
        check_password_policy(password, name)
        password_hash = hash_password(password)
    user = UlbUser(
        ulb_code=ulb_code,
        username=name,
        full_name=full_name.strip() or name,
        role=_role(role).value,
        password_hash=password_hash,
        active=True,
        version=1,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    _feed(session, ulb_code, ChangeEntity.USER, name, 1, _user_payload(user), now)
    return Published(ChangeEntity.USER.value, name, 1, changed=True)


def update_user(
    session: Session,
    ulb_code: str,
    username: str,
    *,
    active: bool | None = None,
    role: str | None = None,
    password: str | None = None,
    now: datetime | None = None,
) -> Published:
    now = now or datetime.now(UTC)
    name = username.strip().lower()
    user = session.scalars(
        select(UlbUser).where(UlbUser.ulb_code == ulb_code, UlbUser.username == name).with_for_update()
    ).first()
    if user is None:
        raise ReferenceError(f"no user {name} in {ulb_code}")
    before = _user_payload(user)
    if active is not None:
        user.active = active
    if role is not None:
        user.role = _role(role).value
    if password is not None:
        check_password_policy(password, name)
        user.password_hash = hash_password(password)
    if _user_payload(user) == before:
        return Published(ChangeEntity.USER.value, name, user.version, changed=False)
    user.version += 1
    user.updated_at = now
    session.flush()
    _feed(session, ulb_code, ChangeEntity.USER, name, user.version, _user_payload(user), now)
    return Published(ChangeEntity.USER.value, name, user.version, changed=True)


# --- settings ------------------------------------------------------------------------------------


def set_setting(session: Session, ulb_code: str, key: str, value: str, now: datetime | None = None) -> Published:
    ulb = _ulb(session, ulb_code)
    now = now or datetime.now(UTC)
    key = key.strip()
    if not key or len(key) > 80 or " " in key:
        raise ReferenceError(f"{key!r} is not a setting key (e.g. payments.upi_vpa)")
    if key == "payments.upi_vpa" and "@" not in value:
        raise ReferenceError(f"{value!r} is not a UPI VPA (name@bank)")
    row = session.scalars(
        select(SettingValue).where(SettingValue.ulb_code == ulb_code, SettingValue.key == key).with_for_update()
    ).first()
    if row is not None and row.value == value:
        return Published(ChangeEntity.SETTING.value, key, row.version, changed=False)
    if row is None:
        row = SettingValue(ulb_code=ulb_code, key=key, value=value, version=1, updated_at=now)
        session.add(row)
    else:
        row.value, row.version, row.updated_at = value, row.version + 1, now
    ulb.settings = {**(ulb.settings or {}), key: value}  # the ULB row mirrors the current values
    session.flush()
    _feed(session, ulb_code, ChangeEntity.SETTING, key, row.version, {"key": key, "value": value}, now)
    return Published(ChangeEntity.SETTING.value, key, row.version, changed=True)
