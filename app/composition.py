"""The composition root: every service is built once here and passed in. No globals, no locators.

The desktop (ui/), the CLI and the tests all start from `build_services(data_dir)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher

from app.audit.service import AuditLog
from app.billing.service import BillingService
from app.collections.service import CollectionService
from app.core.clock import Clock, SystemClock
from app.db import Database, open_database
from app.db.backup import BackupService, default_backup_dir
from app.demand.service import DuesService
from app.masters.service import DeviceInfo, MastersService
from app.masters.tariffs import TariffBook, downloaded_tariffs_dir, load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.permits.fees import load_permit_schedules  # issue 6: building permits
from app.permits.service import PermitService
from app.property.search import PropertySearch
from app.property.service import PropertyRegister
from app.receipts.service import ReceiptDocuments
from app.receipts.verification import RECEIPT_KEY_NAME
from app.reports.dcb import DcbService  # issue 5: demand, collection, balance
from app.security.passwords import DEFAULT_HASHER
from app.security.secrets import SecretStore, default_secret_store, get_or_create_key
from app.security.service import UserService
from app.swm.service import SwmService  # issue 5: solid-waste user charges
from app.trade.service import TradeLicenceService  # issue 5: trade licences
from app.trade.verification import LICENCE_KEY_NAME
from app.water.service import WaterService


@dataclass
class Services:
    data_dir: Path
    resources_dir: Path
    clock: Clock
    db: Database
    device: DeviceInfo
    audit: AuditLog
    outbox: Outbox
    tariffs: TariffBook
    masters: MastersService
    users: UserService
    properties: PropertyRegister
    search: PropertySearch
    dues: DuesService
    collections: CollectionService
    billing: BillingService  # combined bills of property tax, water, user charges, licence fees (issue 5)
    backups: BackupService
    receipts: ReceiptDocuments
    water: WaterService
    trade: TradeLicenceService
    swm: SwmService
    dcb: DcbService
    permits: PermitService  # building-permit applications (issue 6)

    def close(self) -> None:
        self.db.dispose()


def build_services(
    data_dir: Path,
    clock: Clock | None = None,
    resources_dir: Path = RESOURCES_DIR,
    password_hasher: PasswordHasher = DEFAULT_HASHER,
    secret_store: SecretStore | None = None,
) -> Services:
    """Open the device database (migrating it) and build every service on it.

    The device must be set up (its identity row seeded: `nikay run-demo`, or enrolment with the
    central in the sync issue); otherwise MastersService raises NotSetUpError with what to do."""
    clock = clock or SystemClock()
    db = open_database(data_dir)
    masters = MastersService(db)
    device = masters.device()
    audit = AuditLog(clock, device.device_no)
    outbox = Outbox(clock)
    # Tariffs that came down from the central (sync) replace the bundled ones of the same ULB and FY.
    tariffs = load_tariff_book(resources_dir / "tariffs", downloaded_tariffs_dir(data_dir))
    dues = DuesService(db, tariffs, clock, audit)
    billing = BillingService(db, dues, tariffs, device, clock)
    collections = CollectionService(db, dues, device, audit, outbox, clock, billing)
    secrets = secret_store or default_secret_store(data_dir)
    return Services(
        data_dir=data_dir,
        resources_dir=resources_dir,
        clock=clock,
        db=db,
        device=device,
        audit=audit,
        outbox=outbox,
        tariffs=tariffs,
        masters=masters,
        users=UserService(db, audit, clock, hasher=password_hasher),
        properties=PropertyRegister(db, audit, clock, ulb_code=device.ulb_code),
        search=PropertySearch(db),
        dues=dues,
        collections=collections,
        billing=billing,
        backups=BackupService(db, default_backup_dir(data_dir), clock, audit=audit),
        receipts=ReceiptDocuments(collections, device, get_or_create_key(secrets, RECEIPT_KEY_NAME)),
        water=WaterService(db, tariffs, clock, audit, outbox, device.ulb_code, device_no=device.device_no),
        trade=TradeLicenceService(
            db,
            tariffs,
            clock,
            audit,
            outbox,
            device.ulb_code,
            get_or_create_key(secrets, LICENCE_KEY_NAME),
            device_no=device.device_no,
        ),
        swm=SwmService(db, tariffs, audit, outbox, clock, device.ulb_code, device_no=device.device_no),
        dcb=DcbService(db, tariffs, clock, device.ulb_code),
        permits=PermitService(
            db,
            load_permit_schedules(resources_dir / "permits"),
            clock,
            audit,
            outbox,
            device.ulb_code,
            data_dir / "documents",
            device_no=device.device_no,
        ),
    )
