"""DCB over receipts made by the combined bill (CollectionService.collect_bill): one receipt paying
property tax, water and the user charge; a part payment across services; totals equal the receipts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.audit.service import AuditLog
from app.billing.service import BillingService
from app.collections.service import CollectionService
from app.core.clock import FixedClock
from app.demand.dto import Service
from app.demand.service import DuesService
from app.masters.service import MastersService
from app.masters.tariffs import load_tariff_book
from app.outbox.service import Outbox
from app.paths import RESOURCES_DIR
from app.reports.dcb import DcbService, GroupBy
from app.security.passwords import fast_hasher
from app.security.service import UserService
from tests.factories import bill_request, make_combined_accounts, set_up_device

DAY = date(2026, 6, 15)


def test_combined_receipts_in_the_dcb(data_dir: Path, clock: FixedClock) -> None:
    db = set_up_device(data_dir, clock)
    device = MastersService(db).device()
    audit = AuditLog(clock, device.device_no)
    tariffs = load_tariff_book(RESOURCES_DIR / "tariffs")
    dues = DuesService(db, tariffs, clock, audit)
    billing = BillingService(db, dues, tariffs, device, clock)
    collections = CollectionService(db, dues, device, audit, Outbox(clock), clock, billing)
    clerk = UserService(db, audit, clock, hasher=fast_hasher()).actor_for("clerk1", 1)
    collections.open_session(clerk, 0)
    one = make_combined_accounts(db, 1)
    two = make_combined_accounts(db, 2)

    # Account 1: the property (₹2,119 with rebate) + water + user charge, all of it.
    bill = billing.bill_for(billing.account_ref(Service.PROPERTY, one.property_uuid), DAY)
    chosen = {line.key for s in bill.sections if s.service in (Service.WATER, Service.SWM) for line in s.lines}
    first = collections.collect_bill(clerk, bill_request(bill.primary, chosen, 211900 + 140000 + 6000))
    # Account 2: only the user charge and water, ₹500 of the ₹1,460 chosen (a part payment).
    bill = billing.bill_for(billing.account_ref(Service.PROPERTY, two.property_uuid), DAY)
    chosen = {line.key for s in bill.sections if s.service in (Service.WATER, Service.SWM) for line in s.lines}
    second = collections.collect_bill(clerk, bill_request(bill.primary, chosen, 50000, property_included=False))

    dcb = DcbService(db, tariffs, clock, "DEMO")
    by_service = dcb.statement("2026-27", GroupBy.SERVICE)
    assert by_service.total.collected_paise == first.amount_paise + second.amount_paise == by_service.receipts_paise
    rows = {r.key: r for r in by_service.rows}
    # Demand raised: water 1,400 + SWM 60 + licence 1,000 per account; property 2,220 each.
    assert rows["WATER"].current_paise == 2 * 140000 and rows["SWM"].current_paise == 2 * 6000
    assert rows["TRADE"].current_paise == 2 * 100000 and rows["TRADE"].collected_paise == 0
    assert rows["PROPERTY"].collected_paise == 211900 and rows["PROPERTY"].rebate_paise == 10125
    assert rows["WATER"].collected_paise + rows["SWM"].collected_paise == 146000 + 50000
    for key in ("WATER", "SWM", "PROPERTY", "TRADE"):
        r = rows[key]
        assert r.balance_paise == r.opening_paise + r.current_paise - r.collected_paise - r.rebate_paise
    # Everything unpaid: account 2's property year (2,220), both licences, account 2's services less ₹500.
    assert by_service.total.balance_paise == 222000 + 200000 + (146000 - 50000)
    by_ward = dcb.statement("2026-27", GroupBy.WARD)
    assert [r.key for r in by_ward.rows] == ["1"] and by_ward.total == by_service.total
