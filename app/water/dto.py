"""What crosses the water service's boundary: plain frozen dataclasses, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Category(StrEnum):
    DOMESTIC = "DOMESTIC"
    COMMERCIAL = "COMMERCIAL"
    INDUSTRIAL = "INDUSTRIAL"
    BULK = "BULK"


class BillingCycle(StrEnum):
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"


class Status(StrEnum):
    ACTIVE = "ACTIVE"
    DISCONNECTED = "DISCONNECTED"


class ReadingReason(StrEnum):
    """Why a reading may be lower than the last one (app.water.service.consumption_of says how)."""

    NONE = ""
    METER_REPLACED = "METER_REPLACED"
    ROLLED_OVER = "ROLLED_OVER"


class EventKind(StrEnum):
    CONNECTED = "CONNECTED"
    REGULARISED = "REGULARISED"
    DISCONNECTED = "DISCONNECTED"
    RECONNECTED = "RECONNECTED"


PIPE_SIZES_MM = (15, 20, 25, 32, 40, 50, 80, 100, 150)  # ½" ¾" 1" 1¼" 1½" 2" 3" 4" 6"


@dataclass(frozen=True)
class ConnectionInput:
    """What a person says about a connection. Text is cleaned by the service."""

    holder_name_en: str
    ward_no: int
    category: str
    connected_on: date
    holder_name_hi: str = ""
    mobile: str = ""
    address_en: str = ""
    address_hi: str = ""
    property_id: str = ""  # the linked property's ID (e.g. W01-000123); "" = none
    pipe_size_mm: int = 15
    metered: bool = False
    meter_no: str = ""
    billing_cycle: str = BillingCycle.MONTHLY.value
    initial_reading_litres: int = 0  # metered only: the meter's reading when connected (create only)


@dataclass(frozen=True)
class LastReading:
    reading_date: date
    reading_litres: int


@dataclass(frozen=True)
class ConnectionView:
    uuid: str
    consumer_no: str
    property_uuid: str | None
    property_id: str
    holder_name_en: str
    holder_name_hi: str
    mobile: str
    address_en: str
    address_hi: str
    ward_no: int
    category: str
    pipe_size_mm: int
    metered: bool
    meter_no: str
    billing_cycle: str
    status: str
    connected_on: date
    disconnected_on: date | None
    version: int
    last_reading: LastReading | None = None

    @property
    def holder_name(self) -> str:
        return self.holder_name_en or self.holder_name_hi


@dataclass(frozen=True)
class ReadingView:
    uuid: str
    connection_uuid: str
    consumer_no: str
    reading_date: date
    reading_litres: int
    consumption_litres: int
    reason: str
    note: str


@dataclass(frozen=True)
class ChargeView:
    """A charge or fee raised on a connection, with what receipts not cancelled paid against it."""

    period: str
    head: str
    amount_paise: int
    paid_paise: int
    due_date: date
    detail: str

    @property
    def due_paise(self) -> int:
        return self.amount_paise - self.paid_paise


@dataclass(frozen=True)
class FeeRaised:
    """A one-time fee raised as a service demand (connection, regularisation, reconnection)."""

    head: str
    period: str
    amount_paise: int


@dataclass(frozen=True)
class GenerationResult:
    """What one demand run did: rows raised now, rows that were there already (a re-run raises nothing)."""

    period: str
    raised: int
    already_raised: int
    not_chargeable: int  # connections with no chargeable month in the period (new, disconnected)
    total_paise: int  # of the rows raised now
