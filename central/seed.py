"""ULBs and admin users on the central (CLI, demo and tests share these)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.auth.tokens import new_admin_token, sha256_hex
from central.db.models import AdminUser, Ulb

ROLES = ("ulb_admin", "state_official")
ULB_CLASSES = ("NN", "NPP", "NP")
DEMO_TOML = Path(__file__).resolve().parent.parent / "resources" / "ulbs" / "DEMO.toml"


class SeedError(ValueError):
    """Bad input from an operator: the CLI prints it and exits with code 2."""


@dataclass(frozen=True)
class UlbSeed:
    code: str
    name_en: str
    name_hi: str
    ulb_class: str
    district: str = ""


def ulb_from_toml(path: Path) -> UlbSeed:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SeedError(f"cannot read {path}: {error}") from error
    missing = [key for key in ("code", "name_en", "name_hi", "ulb_class") if not str(data.get(key, "")).strip()]
    if missing:
        raise SeedError(f"{path} lacks {', '.join(missing)}")
    return UlbSeed(
        code=str(data["code"]).strip(),
        name_en=str(data["name_en"]),
        name_hi=str(data["name_hi"]),
        ulb_class=str(data["ulb_class"]),
        district=str(data.get("district", "")),
    )


def upsert_ulb(session: Session, seed: UlbSeed) -> bool:
    """Create the ULB, or refresh its names; never touches next_device_no. True when created."""
    if not seed.code or len(seed.code) > 16:
        raise SeedError("a ULB code has 1-16 characters")
    if seed.ulb_class not in ULB_CLASSES:
        raise SeedError(f"ulb_class must be one of {', '.join(ULB_CLASSES)}, not {seed.ulb_class!r}")
    ulb = session.get(Ulb, seed.code, with_for_update=True)
    if ulb is None:
        session.add(
            Ulb(
                code=seed.code,
                name_en=seed.name_en,
                name_hi=seed.name_hi,
                ulb_class=seed.ulb_class,
                district=seed.district,
                next_device_no=1,
                settings={},
            )
        )
        session.flush()
        return True
    ulb.name_en, ulb.name_hi, ulb.ulb_class, ulb.district = seed.name_en, seed.name_hi, seed.ulb_class, seed.district
    session.flush()
    return False


def add_admin(session: Session, *, username: str, role: str, ulb_code: str | None, full_name: str = "") -> str:
    """Create an admin user (or give an existing one a new token) and return the API token: the only
    time it is ever shown, since the central keeps its sha256 alone."""
    username = username.strip()
    if not username or len(username) > 60:
        raise SeedError("a username has 1-60 characters")
    if role not in ROLES:
        raise SeedError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == "ulb_admin":
        if not ulb_code:
            raise SeedError("a ulb_admin needs --ulb")
        if session.get(Ulb, ulb_code) is None:
            raise SeedError(f"no ULB {ulb_code!r} on this central (add-ulb first)")
    elif ulb_code:
        raise SeedError("a state_official belongs to no ULB (leave out --ulb)")
    token = new_admin_token()
    existing = session.execute(select(AdminUser).where(AdminUser.username == username)).scalar_one_or_none()
    if existing is None:
        session.add(
            AdminUser(
                username=username,
                full_name=full_name or username,
                role=role,
                ulb_code=ulb_code if role == "ulb_admin" else None,
                token_sha256=sha256_hex(token),
                active=True,
            )
        )
    else:
        existing.role = role
        existing.ulb_code = ulb_code if role == "ulb_admin" else None
        existing.token_sha256 = sha256_hex(token)
        existing.active = True
        if full_name:
            existing.full_name = full_name
    session.flush()
    return token
