from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db import Database
from app.errors import NikayError
from app.masters.models import DeviceIdentity, Ulb, Ward, Zone


class NotSetUpError(NikayError):
    pass


@dataclass(frozen=True)
class DeviceInfo:
    ulb_code: str
    ulb_name_en: str
    ulb_name_hi: str
    ulb_class: str
    office_code: str
    device_no: int
    label: str

    @property
    def counter_code(self) -> str:
        return f"C{self.device_no:02d}"


@dataclass(frozen=True)
class ZoneInfo:
    code: str
    name_en: str
    name_hi: str


class MastersService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def device(self) -> DeviceInfo:
        with self._db.read() as session:
            identity = session.scalars(select(DeviceIdentity)).first()
            if identity is None:
                raise NotSetUpError("this PC is not set up yet: run `nikay run-demo` or enrol it with the central")
            ulb = session.get(Ulb, identity.ulb_code)
            assert ulb is not None
            return DeviceInfo(
                ulb_code=ulb.code,
                ulb_name_en=ulb.name_en,
                ulb_name_hi=ulb.name_hi,
                ulb_class=ulb.ulb_class,
                office_code=identity.office_code,
                device_no=identity.device_no,
                label=identity.label,
            )

    def is_set_up(self) -> bool:
        with self._db.read() as session:
            return session.scalars(select(DeviceIdentity)).first() is not None

    def zones(self, ulb_code: str) -> list[ZoneInfo]:
        with self._db.read() as session:
            rows = session.scalars(select(Zone).where(Zone.ulb_code == ulb_code).order_by(Zone.code))
            return [ZoneInfo(z.code, z.name_en, z.name_hi) for z in rows]

    def ward_numbers(self, ulb_code: str) -> list[int]:
        with self._db.read() as session:
            return list(session.scalars(select(Ward.number).where(Ward.ulb_code == ulb_code).order_by(Ward.number)))
