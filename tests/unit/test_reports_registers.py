"""Day-end registers: totals equal the receipts; the cancelled register lists exactly the cancelled ones."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from app.collections.dto import CollectRequest, Mode, Payment
from app.core.ids import new_uuid
from app.core.money import format_inr
from app.reports.registers import day_report, render_day_pdf
from app.security.models import AppUser
from tests.factories import add_property, cash
from tests.unit.test_reports_receipt_pdf import Office, office, pdf_text, png_dir, render_pages

__all__ = ["office"]  # the fixture, shared with the receipt PDF tests

DAY = date(2026, 6, 15)


def _upi(property_uuid: str, amount_paise: int) -> CollectRequest:
    return CollectRequest(property_uuid, amount_paise, Payment(Mode.UPI, instrument_no="UTR123456789"), new_uuid())


def _cheque(property_uuid: str, amount_paise: int) -> CollectRequest:
    payment = Payment(
        Mode.CHEQUE, instrument_no="654321", instrument_date=DAY - timedelta(days=2), bank="SBI", branch="Pandri"
    )
    return CollectRequest(property_uuid, amount_paise, payment, new_uuid())


def _a_day(office: Office) -> tuple[list[str], list[str]]:
    """Receipts of all modes on arrears and current dues; two taken back. Returns (all, cancelled) numbers."""
    services = office.services
    db = services.db
    full = add_property(db, "W01-000001")
    arrears = add_property(
        db, "W01-000002", years=("2025-26", "2026-27"), unfiled=("2025-26",), owner_en="", owner_hi="सुनीता देवी वर्मा"
    )
    other = add_property(db, "W01-000003")
    collect = services.collections.collect
    receipts = [
        collect(office.clerk, cash(full, 211900, tendered_paise=250000)),  # full, with rebate and round-off
        collect(office.clerk, cash(arrears, 150000)),  # part: arrears first
        collect(office.clerk, _upi(arrears, 100000)),
        collect(office.clerk, _cheque(other, 50000)),
        collect(office.clerk, cash(other, 20000)),
        collect(office.clerk, _upi(other, 5000)),
    ]
    services.collections.cancel(office.clerk, office.supervisor, receipts[4].uuid, "entered twice by mistake")
    services.collections.dishonour(office.supervisor, receipts[3].uuid, "cheque returned: funds insufficient")
    return [r.receipt_no for r in receipts], [receipts[4].receipt_no, receipts[3].receipt_no]


def test_register_totals_equal_the_receipts(office: Office) -> None:
    numbers, _cancelled = _a_day(office)
    services = office.services
    report = day_report(services.db, DAY)
    listed = services.collections.list_receipts(DAY)
    standing = sum(r.amount_paise for r in listed if r.cancelled is None)

    register = report.register
    assert [row.receipt_no for row in register.rows] == numbers
    assert sum(row.amount_paise for row in register.rows if row.cancelled is None) == standing
    assert register.total_paise == standing
    assert register.cancelled_paise == sum(r.amount_paise for r in listed if r.cancelled is not None)
    assert register.receipts == 6 and register.cancelled == 2

    summary = report.summary
    assert summary.total_paise == standing
    assert sum(h.total_paise for h in summary.by_head) == standing
    assert sum(m.amount_paise for m in summary.by_mode) == standing
    assert {m.mode: m.amount_paise for m in summary.by_mode} == {"CASH": 211900 + 150000, "UPI": 105000}
    heads = {h.head: h for h in summary.by_head}
    assert heads["REBATE"].total_paise < 0  # the rebate given is a negative head
    assert heads["PENALTY"].arrear_paise > 0 and heads["PENALTY"].current_paise == 0
    assert (summary.first_receipt_no, summary.last_receipt_no) == (numbers[0], numbers[-1])

    # The counter's own day-end agrees with the register.
    day_end = services.collections.day_end_summary(office.clerk)
    assert sum(day_end.by_mode.values()) == standing
    assert {h.head: h.total_paise for h in summary.by_head} == day_end.by_head


def test_cancelled_register_lists_exactly_the_cancelled(office: Office) -> None:
    _, cancelled = _a_day(office)
    report = day_report(office.services.db, DAY)
    rows = report.cancelled.rows
    assert sorted(row.receipt_no for row in rows) == sorted(cancelled)
    by_no = {row.receipt_no: row for row in rows}
    assert by_no[cancelled[0]].kind == "CANCELLED"
    assert by_no[cancelled[0]].reason == "entered twice by mistake"
    with office.services.db.read() as session:
        supervisor = session.scalars(select(AppUser.full_name).where(AppUser.username == "supervisor1")).one()
    assert by_no[cancelled[0]].approved_by == supervisor
    assert by_no[cancelled[1]].kind == "DISHONOURED"
    assert report.cancelled.total_paise == 20000 + 50000


def test_session_scope_and_an_empty_day(office: Office) -> None:
    _a_day(office)
    services = office.services
    session = services.collections.current_session(office.clerk)
    assert session is not None
    by_session = day_report(services.db, DAY, session_uuid=session.uuid)
    assert by_session.register.total_paise == day_report(services.db, DAY).register.total_paise
    empty = day_report(services.db, DAY + timedelta(days=1))
    assert empty.register.rows == () and empty.summary.total_paise == 0 and empty.cancelled.rows == ()
    render_day_pdf(empty)


def test_day_pdf_prints_the_totals(office: Office, tmp_path: Path) -> None:
    numbers, _cancelled = _a_day(office)
    services = office.services
    report = day_report(
        services.db, DAY, ulb_name_en=services.device.ulb_name_en, ulb_name_hi=services.device.ulb_name_hi
    )
    pdf = render_day_pdf(report)
    text = pdf_text(pdf)
    for number in numbers:
        assert number in text
    assert format_inr(report.register.total_paise) in text
    assert format_inr(report.cancelled.total_paise) in text
    assert "entered twice by mistake" in text and "DISHONOURED" in text
    for hindi in ("नकद", "योग", "रसीद", "सुनीता देवी"):
        assert hindi in text, hindi
    assert render_pages(pdf, png_dir(tmp_path), "day-registers") == 3


def test_registers_list_service_only_receipts_and_total_by_service(office: Office, tmp_path: Path) -> None:
    """Property + water + user charge on one receipt, a licence fee alone (no property), and a cancelled
    water-only receipt: listed with their account numbers, totals by service equal the receipts."""
    from app.billing.dto import AccountRef
    from app.demand.dto import Service
    from tests.factories import bill_request, make_combined_accounts

    services = office.services
    accounts = make_combined_accounts(services.db)
    billing, collections = services.billing, services.collections

    def keys(service: Service, uuid: str) -> tuple[AccountRef, set[str]]:
        bill = billing.bill_for(billing.account_ref(service, uuid), DAY)
        return bill.primary, {line.key for s in bill.sections if s.service != Service.PROPERTY for line in s.lines}

    primary, _ = keys(Service.PROPERTY, accounts.property_uuid)
    bill = billing.bill_for(primary, DAY)
    chosen = {line.key for s in bill.sections if s.service in (Service.WATER, Service.SWM) for line in s.lines}
    combined = collections.collect_bill(office.clerk, bill_request(bill.primary, chosen, 211900 + 146000))
    licence, licence_keys = keys(Service.TRADE, accounts.licence_uuid)
    alone = collections.collect_bill(
        office.clerk,
        bill_request(licence, licence_keys, 100000, property_included=False),
    )
    water = make_combined_accounts(services.db, 2).water_uuid
    water_ref, water_keys = keys(Service.WATER, water)
    wrong = collections.collect_bill(
        office.clerk,
        bill_request(water_ref, water_keys, 140000, property_included=False),
    )
    collections.cancel(office.clerk, office.supervisor, wrong.uuid, "collected on the wrong connection")

    report = day_report(services.db, DAY)
    rows = {row.receipt_no: row for row in report.register.rows}
    assert (rows[combined.receipt_no].property_id, rows[combined.receipt_no].accounts) == (
        "W01-000001",
        "W-01-000001, UC-01-000001",
    )
    assert rows[alone.receipt_no].property_id == "TL/2026-27/00001"
    assert rows[wrong.receipt_no].property_id == "W-01-000002" and rows[wrong.receipt_no].cancelled == "CANCELLED"
    assert [c.property_id for c in report.cancelled.rows] == ["W-01-000002"]

    summary = report.summary
    by_service = {t.service: (t.receipts, t.amount_paise) for t in summary.by_service}
    assert by_service == {"PROPERTY": (1, 211900), "WATER": (1, 140000), "SWM": (1, 6000), "TRADE": (1, 100000)}
    assert summary.total_paise == report.register.total_paise == 211900 + 146000 + 100000
    assert sum(t.amount_paise for t in summary.by_service) == sum(h.total_paise for h in summary.by_head)
    assert sum(h.total_paise for h in summary.by_head) == summary.total_paise

    pdf = render_day_pdf(report)
    text = pdf_text(pdf)
    for needle in ("By service", "W-01-000001, UC-01-000001", "TL/2026-27/00001", "Water", "₹4,579.00"):
        assert needle in text, needle
    assert render_pages(pdf, png_dir(tmp_path), "registers-services") >= 3
