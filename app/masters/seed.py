"""Loading a ULB's masters (names, zones, wards, FYs, this device) from resources/ulbs/<CODE>.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from app.core.fy import FinancialYear
from app.db import Database
from app.masters.models import DeviceIdentity, FinancialYearRow, Ulb, Ward, Zone


def seed_ulb(db: Database, ulb_file: Path) -> str:
    """Insert the ULB described by `ulb_file` if it is not there yet. Returns its code. Idempotent."""
    data = tomllib.loads(ulb_file.read_text(encoding="utf-8"))
    code = str(data["code"])
    with db.write() as session:
        if session.get(Ulb, code) is not None:
            return code
        session.add(
            Ulb(
                code=code,
                name_en=data["name_en"],
                name_hi=data["name_hi"],
                ulb_class=data["ulb_class"],
                district=data.get("district", ""),
            )
        )
        session.flush()
        for zone in data["zones"]:
            session.add(Zone(ulb_code=code, code=zone["code"], name_en=zone["name_en"], name_hi=zone["name_hi"]))
        for number in range(1, int(data["ward_count"]) + 1):
            session.add(Ward(ulb_code=code, number=number, name_en=f"Ward {number}", name_hi=f"वार्ड {number}"))
        for fy_code in data["financial_years"]:
            if session.get(FinancialYearRow, fy_code) is None:
                fy = FinancialYear.parse(fy_code)
                session.add(
                    FinancialYearRow(code=fy.code, first_day=fy.first_day.isoformat(), last_day=fy.last_day.isoformat())
                )
        device = data.get("device")
        if device and session.scalars(select(DeviceIdentity)).first() is None:
            session.add(
                DeviceIdentity(
                    id=1,
                    ulb_code=code,
                    office_code=device["office_code"],
                    device_no=int(device["device_no"]),
                    label=device.get("label", ""),
                )
            )
    return code


def seed_demo_masters(db: Database, resources_dir: Path | None = None) -> str:
    from app.paths import RESOURCES_DIR

    return seed_ulb(db, (resources_dir or RESOURCES_DIR) / "ulbs" / "DEMO.toml")
