"""`nikay assess`, `nikay demand generate`, `nikay collect`, `nikay receipts list`."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.cli.context import fail, state
from app.core.clock import FixedClock, format_date, parse_date
from app.core.fy import FinancialYear
from app.core.ids import new_uuid
from app.core.money import MoneyFormatError, format_inr, parse_rupees
from app.db import Database
from app.demand.assessment import PropertyFacts, UnitFacts, yearly_demand
from app.demand.dto import TAX_HEADS, Head
from app.demand.dues import Ledger, allocate, compute_dues
from app.errors import NikayError, NotFoundError
from app.errors import ValidationError as InputError
from app.masters.tariffs import load_tariff_book
from app.paths import RESOURCES_DIR


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssessUnit(_Strict):
    floor: int = 0
    area_sqft: Decimal = Field(gt=0)
    construction: str
    usage: str


class AssessYear(_Strict):
    fy: str
    return_filed: bool = True

    @field_validator("fy")
    @classmethod
    def _valid_fy(cls, value: str) -> str:
        return FinancialYear.parse(value).code


class AssessInput(_Strict):
    ulb: str
    zone: str
    on: date
    units: list[AssessUnit] = []
    open_land_sqft: Decimal = Field(default=Decimal(0), ge=0)
    years: list[AssessYear] = Field(min_length=1)


def assess_bill(request: AssessInput, tariffs_dir: Path = RESOURCES_DIR / "tariffs") -> dict[str, Any]:
    """The bill for a described property if paid in full on `on`, through the counter's own code."""
    book = load_tariff_book(tariffs_dir)
    facts = PropertyFacts(
        zone=request.zone,
        units=tuple(UnitFacts(u.floor, u.area_sqft, u.construction, u.usage) for u in request.units),
        open_land_sqft=request.open_land_sqft,
    )
    demands: dict[tuple[str, Head], int] = {}
    for year in request.years:
        for head, amount in yearly_demand(book.property_tax(request.ulb, year.fy, request.on), facts).items():
            demands[(year.fy, head)] = amount
    ledger = Ledger("assess", request.ulb, demands, (), {y.fy: y.return_filed for y in request.years})
    dues = compute_dues(book, ledger, request.on)
    lines: list[dict[str, Any]] = []
    if dues.payable_paise > 0:
        allocation = allocate(dues, dues.payable_paise)
        paid = {(line.fy, line.head): line.amount_paise for line in allocation.lines}
        # Tax heads of every year are listed even at ₹0 (the education cess exists at rate 0 in DEMO).
        for fy_code in sorted({y.fy for y in request.years}):
            for head in TAX_HEADS:
                paid.setdefault((fy_code, head), 0)
        order = {line.fy + line.head: i for i, line in enumerate(allocation.lines)}
        lines = [
            {"fy": fy, "head": head.value, "amount_paise": amount}
            for (fy, head), amount in sorted(paid.items(), key=lambda kv: (order.get(kv[0][0] + kv[0][1], 999), kv[0]))
        ]
    return {
        "lines": lines,
        "gross_paise": dues.gross_due_paise,
        "round_off_paise": dues.round_off_paise,
        "payable_paise": dues.payable_paise,
    }


def _property_uuid(db: Database, ulb_code: str, property_id: str) -> str:
    from sqlalchemy import or_, select

    from app.property.models import Property

    wanted = property_id.strip()
    with db.read() as session:
        found = list(
            session.scalars(
                select(Property.uuid).where(
                    Property.ulb_code == ulb_code, or_(Property.property_id == wanted, Property.old_id == wanted)
                )
            )
        )
    if not found:
        raise NotFoundError(f"no property with ID or old ID {wanted!r}")
    if len(found) > 1:
        raise InputError(f"{wanted!r} matches {len(found)} properties: use the new property ID")
    return found[0]


def _account(services: Any, text: str) -> Any:
    """The AccountRef of a property ID (or old ID), water consumer no., licence (or application) no.
    or SWM payer ID, typed with or without dashes."""
    from app.billing.service import number_variants
    from app.demand.dto import Service

    try:
        return services.billing.account_ref(
            Service.PROPERTY, _property_uuid(services.db, services.device.ulb_code, text)
        )
    except NotFoundError:
        pass
    variants = number_variants(text)
    exact = [hit.account for hit in services.billing.account_search(text, 50) if hit.account.number.upper() in variants]
    if not exact:
        raise NotFoundError(f"no property, water connection, licence or user-charge payer numbered {text.strip()!r}")
    if len(exact) > 1:
        raise InputError(f"{text.strip()!r} matches {len(exact)} accounts: type the full number")
    return exact[0]


def _choose(bill: Any, wanted: str) -> Any:
    """The clerk's choice from --services ("property,water"; empty: everything on the bill)."""
    from app.billing.dto import BillChoice
    from app.demand.dto import Service

    on_bill = {section.service for section in bill.sections}
    if wanted.strip():
        try:
            chosen = {Service(name.strip().upper()) for name in wanted.split(",") if name.strip()}
        except ValueError:
            raise InputError(f"--services {wanted!r}: use property, water, swm or trade, comma-separated") from None
        missing = chosen - on_bill
        if missing:
            names = ", ".join(sorted(s.value.lower() for s in missing))
            raise InputError(f"{names}: not on the bill of {bill.primary.number}")
    else:
        chosen = on_bill
    keys = frozenset(
        line.key
        for section in bill.sections
        if section.service in chosen and section.service != Service.PROPERTY
        for line in section.lines
    )
    return BillChoice(keys=keys, property_included=Service.PROPERTY in chosen)


def _bill_json(bill: Any) -> dict[str, Any]:
    return {
        "account": bill.primary.number,
        "as_of": bill.as_of.isoformat(),
        "payable_paise": bill.payable_paise,
        "sections": [
            {
                "service": section.service.value,
                "number": section.account.number,
                "holder": section.account.holder_en or section.account.holder_hi,
                "payable_paise": section.payable_paise,
                "lines": [
                    {
                        "period": line.period,
                        "head": line.head.value,
                        "due_paise": line.due_paise,
                        "arrear": line.is_arrear,
                    }
                    for line in section.lines
                ],
            }
            for section in bill.sections
        ],
    }


def _line_json(line: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"fy": line.fy, "head": line.head.value, "amount_paise": line.amount_paise}
    if line.service.value != "PROPERTY":
        out.update(service=line.service.value, account=line.account, period=line.period)
    return out


def register(cli: typer.Typer) -> None:
    @cli.command()
    def assess(json_file: Path = typer.Option(..., "--json", help="Property described in JSON (see README).")) -> None:
        """Compute the bill for a property described in JSON, as the counter would, and print it as JSON."""
        try:
            raw = json.loads(json_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            fail(f"{json_file}: no such file")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            fail(f"{json_file}: not valid JSON: {error}")
        try:
            request = AssessInput.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in issue['loc']) or '(top level)'}: {issue['msg']}" for issue in error.errors()
            )
            fail(f"{json_file}: {problems}")
        try:
            print(json.dumps(assess_bill(request), ensure_ascii=False))
        except NikayError as error:
            fail(f"{json_file}: {error}")

    demand = typer.Typer(help="Yearly demands.", no_args_is_help=True)
    cli.add_typer(demand, name="demand")

    @demand.command("generate")
    def demand_generate(
        ctx: typer.Context,
        fy: str = typer.Option(..., help="Financial year, e.g. 2026-27."),
        user: str = typer.Option("commissioner1", help="Acting user (needs the generate-demand permission)."),
    ) -> None:
        """Raise the year's property-tax demand for every property that has none for that year."""
        services = state(ctx).services()
        try:
            code = FinancialYear.parse(fy).code
            actor = services.users.actor_for(user, services.device.device_no)
            created = services.dues.generate(actor, services.device.ulb_code, code)
        except (NikayError, ValueError) as error:
            fail(str(error))
        print(f"Raised the {code} demand for {created:,} properties.")

    @cli.command()
    def bill(
        ctx: typer.Context,
        account: str = typer.Option(..., help="Property ID, water consumer no., licence no. or SWM payer ID."),
        on: str = typer.Option("", help="As on this date (YYYY-MM-DD); default today."),
        as_json: bool = typer.Option(False, "--json", help="Print the bill as JSON."),
    ) -> None:
        """Show what is due on an account: a property with its water, user charges and licences, or one
        standalone account."""
        try:
            clock = FixedClock.on_ist_date(parse_date(on)) if on else None
        except ValueError as error:
            fail(str(error))
        services = state(ctx).services(clock)
        try:
            the_bill = services.billing.bill_for(_account(services, account))
        except NikayError as error:
            fail(str(error))
        if as_json:
            print(json.dumps(_bill_json(the_bill), ensure_ascii=False))
            return
        print(f"Bill of {the_bill.primary.number} as on {format_date(the_bill.as_of)}")
        for section in the_bill.sections:
            print(f"  {section.service.value:<8} {section.account.number:<20} {format_inr(section.payable_paise):>14}")
            for line in section.lines:
                mark = " (arrear)" if line.is_arrear else ""
                print(f"      {line.period:<11} {line.head.value:<26} {format_inr(line.due_paise):>14}{mark}")
        print(f"  Total payable {format_inr(the_bill.payable_paise)}")

    @cli.command()
    def collect(
        ctx: typer.Context,
        property_id: str = typer.Option("", "--property", help="Property ID (or old ID)."),
        account: str = typer.Option(
            "", help="Or any account: property ID, water consumer no., licence no. or SWM payer ID (one bill)."
        ),
        services_wanted: str = typer.Option(
            "",
            "--services",
            help="Pay only these services of the bill, comma-separated: property,water,swm,trade (default: all).",
        ),
        amount: str = typer.Option(..., help="Amount in rupees, e.g. 1500.00."),
        mode: str = typer.Option("cash", help="cash, cheque, dd or upi."),
        user: str = typer.Option("clerk1", help="Collect as this user (trusted local scripting)."),
        on: str = typer.Option("", help="Collect as on this date (YYYY-MM-DD); default today."),
        tendered: str = typer.Option("", help="Cash tendered, for the change."),
        instrument_no: str = typer.Option("", "--instrument-no", help="Cheque/DD number, or UPI reference (UTR)."),
        instrument_date: str = typer.Option("", "--instrument-date", help="Cheque/DD date."),
        bank: str = typer.Option(""),
        branch: str = typer.Option(""),
        request_id: str = typer.Option("", "--request-id", help="Idempotency key: the same id never pays twice."),
        as_json: bool = typer.Option(False, "--json", help="Print the receipt as JSON."),
    ) -> None:
        """Collect a payment headless (for scripting): commit the receipt and print it.

        --property pays property tax alone (as before); --account (or --services) pays the combined bill
        of the account, or the chosen services of it, on one receipt."""
        from app.billing.dto import BillCollectRequest
        from app.collections.dto import CollectRequest, Mode, Payment
        from app.collections.service import check_payment
        from app.security.roles import Permission, require

        try:
            clock = FixedClock.on_ist_date(parse_date(on)) if on else None
        except ValueError as error:
            fail(str(error))
        services = state(ctx).services(clock)
        try:
            mode_value = Mode(mode.strip().upper())
        except ValueError:
            fail(f"unknown mode {mode!r}: use cash, cheque, dd or upi")
        try:
            amount_paise = parse_rupees(amount)
            payment = Payment(
                mode=mode_value,
                tendered_paise=parse_rupees(tendered) if tendered else None,
                instrument_no=instrument_no,
                instrument_date=parse_date(instrument_date) if instrument_date else None,
                bank=bank,
                branch=branch,
            )
            if bool(property_id.strip()) == bool(account.strip()):
                raise InputError("give either --property or --account")
            actor = services.users.actor_for(user, services.device.device_no)
            require(actor, Permission.COLLECT)
            if account.strip() or services_wanted.strip():
                primary = _account(services, account or property_id)
                choice = _choose(services.billing.bill_for(primary), services_wanted)
                check_payment(payment, amount_paise, services.collections.today())  # before opening a session
                if services.collections.current_session(actor) is None:
                    services.collections.open_session(actor, 0)
                receipt = services.collections.collect_bill(
                    actor, BillCollectRequest(request_id or new_uuid(), primary, choice, amount_paise, payment)
                )
            else:
                property_uuid = _property_uuid(services.db, services.device.ulb_code, property_id)
                check_payment(payment, amount_paise, services.collections.today())  # before opening a session
                if services.collections.current_session(actor) is None:
                    services.collections.open_session(actor, 0)
                receipt = services.collections.collect(
                    actor,
                    CollectRequest(
                        property_uuid=property_uuid,
                        amount_paise=amount_paise,
                        payment=payment,
                        request_uuid=request_id or new_uuid(),
                    ),
                )
        except (NikayError, MoneyFormatError, ValueError) as error:
            fail(str(error))
        advance = sum(
            line.amount_paise for line in receipt.lines if line.head == Head.ADVANCE and line.amount_paise > 0
        )
        if as_json:
            out: dict[str, Any] = {
                "receipt_no": receipt.receipt_no,
                "uuid": receipt.uuid,
                "paid_paise": receipt.amount_paise,
                "lines": [_line_json(line) for line in receipt.lines],
                "advance_paise": advance,
                "balance_paise": receipt.balance_after_paise,
            }
            if receipt.accounts:  # the other services' account numbers (water, licence, user charge)
                out["accounts"] = [ref.number for ref in receipt.accounts]
            print(json.dumps(out, ensure_ascii=False))
        else:
            balance = format_inr(receipt.balance_after_paise)
            print(f"{receipt.receipt_no}  {format_inr(receipt.amount_paise)}  balance {balance}")

    receipts = typer.Typer(help="Receipts.", no_args_is_help=True)
    cli.add_typer(receipts, name="receipts")

    @receipts.command("list")
    def receipts_list(
        ctx: typer.Context,
        day: str = typer.Option("", "--date", help="Business date (YYYY-MM-DD or DD-MM-YYYY); default today."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """List the receipts of a day, cancelled ones marked."""
        services = state(ctx).services()
        try:
            business_day = parse_date(day) if day else services.collections.today()
        except ValueError as error:
            fail(str(error))
        rows = services.collections.list_receipts(business_day)
        if as_json:
            print(
                json.dumps(
                    [
                        {
                            "receipt_no": r.receipt_no,
                            "uuid": r.uuid,
                            "property_id": r.property_id,
                            "payer": r.payer_name,
                            "mode": r.mode.value,
                            "amount_paise": r.amount_paise,
                            "cancelled": r.cancelled,
                        }
                        for r in rows
                    ],
                    ensure_ascii=False,
                )
            )
            return
        print(f"Receipts of {format_date(business_day)}: {len(rows)}")
        for r in rows:
            mark = f"  [{r.cancelled}]" if r.cancelled else ""
            print(f"{r.receipt_no:<32} {r.property_id:<14} {r.mode.value:<6} {format_inr(r.amount_paise):>14}{mark}")
        live = sum(r.amount_paise for r in rows if not r.cancelled)
        print(f"Total (not cancelled): {format_inr(live)}")
