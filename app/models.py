"""Every table of the device database, imported in one place for Alembic and create-time checks."""

from app.audit.models import AuditEntry
from app.collections.models import (
    CounterSession,
    Receipt,
    ReceiptCancellation,
    ReceiptLine,
    ReceiptReprint,
    ReceiptSeries,
)
from app.demand.models import Demand, ServiceDemand
from app.masters.models import DeviceIdentity, FinancialYearRow, Ulb, Ward, Zone
from app.outbox.models import OutboxOperation
from app.permits.models import PermitApplication, PermitDocument, PermitEvent  # issue 6: building permits
from app.printing.models import PrinterDefault, PrinterRow, PrintJob  # noqa: F401  (tables for Alembic)
from app.property.models import Owner, Property, ReturnFiling, Unit
from app.replica.models import (
    LocalSyncConflict,
    RemotePayment,
    RemotePaymentCancellation,
    RemotePaymentLine,
    SyncMeta,
)
from app.security.models import AppUser
from app.swm.models import SwmPayer
from app.trade.models import TradeLicence, TradeLicenceEvent
from app.water.models import MeterReading, WaterConnection, WaterConnectionEvent

__all__ = [
    "AppUser",
    "AuditEntry",
    "CounterSession",
    "Demand",
    "DeviceIdentity",
    "FinancialYearRow",
    "LocalSyncConflict",
    "MeterReading",
    "OutboxOperation",
    "Owner",
    "PermitApplication",
    "PermitDocument",
    "PermitEvent",
    "Property",
    "Receipt",
    "ReceiptCancellation",
    "ReceiptLine",
    "ReceiptReprint",
    "ReceiptSeries",
    "RemotePayment",
    "RemotePaymentCancellation",
    "RemotePaymentLine",
    "ReturnFiling",
    "ServiceDemand",
    "SwmPayer",
    "SyncMeta",
    "TradeLicence",
    "TradeLicenceEvent",
    "Ulb",
    "Unit",
    "Ward",
    "WaterConnection",
    "WaterConnectionEvent",
    "Zone",
]
