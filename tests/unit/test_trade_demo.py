"""The demo's trade licences: every state an office sees, made through the real services."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from app.composition import build_services
from app.core.clock import FixedClock
from app.demand.dto import Service
from app.property.demo import generate_demo
from app.security.passwords import fast_hasher
from app.trade.demo import seed_demo_licences
from tests.factories import set_up_device


def test_demo_has_licences_in_every_state(data_dir: Path) -> None:
    clock = FixedClock.on_ist_date(date(2026, 11, 28))
    db = set_up_device(data_dir, clock)
    generate_demo(db, 200)
    db.dispose()
    assert seed_demo_licences(data_dir, clock) == 41
    assert seed_demo_licences(data_dir, clock) == 0  # once only

    services = build_services(data_dir, clock=clock, password_hasher=fast_hasher())
    try:
        trade = services.trade
        views = trade.licences()
        states = Counter(v.display_status for v in views)
        assert set(states) == {"APPLIED", "DOCUMENT_CHECK", "INSPECTION", "APPROVED", "ISSUED", "EXPIRED", "REJECTED"}
        assert len(views) == 41
        # One application pending 20 days: deemed granted.
        deemed = [v for v in views if v.deemed_granted]
        assert len(deemed) == 1 and deemed[0].applied_on == date(2026, 11, 8)
        # Approved licences wait for their fee at the counter: it is on the licence's bill.
        due = [v for v in views if v.status == "APPROVED"]
        assert len(due) == 8 and all(v.fee_due_paise == v.fee_paise > 0 for v in due)
        bill = services.billing.bill_for(services.billing.account_ref(Service.TRADE, due[0].uuid))
        assert bill.payable_paise == due[0].fee_paise
        # Issued ones were paid by real receipts; expired ones (last year's) await renewal.
        issued = [trade.get(v.uuid) for v in views if v.status == "ISSUED"]
        assert issued and all(v.fee_paid and v.fee_receipt_no for v in issued)
        assert any(v.application_type == "RENEWAL" for v in issued)
        expired = [v for v in views if v.display_status == "EXPIRED"]
        assert all(v.status == "EXPIRED" and v.licence_year == "2025-26" for v in expired)  # swept
        assert {v.uuid for v in trade.renewal_due()} == {v.uuid for v in expired} - {
            v.previous_licence_uuid for v in issued
        }
        assert all(v.rejection_reason for v in views if v.status == "REJECTED")
        assert any(v.property_id for v in views)
    finally:
        services.close()
