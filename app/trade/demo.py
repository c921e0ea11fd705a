"""Demo trade licences (~40) in every state, made through the real services as the office would:

- issued last year and now expired (one of them renewed this year), issued this year;
- approved with the fee still due, so the counter has licence fees to collect;
- at inspection, at document check, just applied; one pending 20 days (deemed granted);
- rejected with a reason.

Every step runs at its own past date on a fixed clock (events, audit, outbox and the fee receipts of
clerk2's counter days, each day closed at day-end). Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.billing.dto import BillChoice, BillCollectRequest
from app.collections.dto import COIN_DENOMINATIONS, NOTE_DENOMINATIONS, Mode, Payment
from app.core.clock import Clock, FixedClock, SystemClock, business_date
from app.core.fy import FinancialYear
from app.core.ids import new_uuid
from app.demand.dto import Service
from app.errors import NikayError
from app.property.models import Owner, Property
from app.trade.dto import LicenceInput
from app.trade.models import TradeLicence

if TYPE_CHECKING:
    from app.composition import Services

_TRADES = (
    ("Sahu General Store", "साहू जनरल स्टोर", "SHOP"),
    ("Verma Kirana", "वर्मा किराना", "SHOP"),
    ("Chhattisgarh Medical Hall", "छत्तीसगढ़ मेडिकल हॉल", "SHOP"),
    ("Shree Ganesh Hardware", "श्री गणेश हार्डवेयर", "SHOP"),
    ("Durga Cloth Centre", "दुर्गा क्लॉथ सेंटर", "SHOP"),
    ("Jai Maa Sweets", "जय माँ स्वीट्स", "SHOP"),
    ("New Fashion Tailors", "न्यू फैशन टेलर्स", "SHOP"),
    ("Raipur Mobile Point", "रायपुर मोबाइल पॉइंट", "SHOP"),
    ("Bharat Electricals", "भारत इलेक्ट्रिकल्स", "SHOP"),
    ("Annapurna Bhojnalaya", "अन्नपूर्णा भोजनालय", "SHOP"),
    ("Pan Gumti", "पान गुमटी", "GUMTI"),
    ("Tea Gumti", "चाय गुमटी", "GUMTI"),
    ("Fruit Thela", "फल ठेला", "THELA"),
    ("Chaat Thela", "चाट ठेला", "THELA"),
    ("Food Van", "फूड वैन", "VEHICLE"),
)
_OWNERS = (
    ("Ramesh Sahu", "रमेश साहू"),
    ("Sunita Verma", "सुनीता वर्मा"),
    ("Anil Tiwari", "अनिल तिवारी"),
    ("Kavita Agrawal", "कविता अग्रवाल"),
    ("Manoj Dewangan", "मनोज देवांगन"),
    ("Priya Chandrakar", "प्रिया चंद्राकर"),
    ("Deepak Yadav", "दीपक यादव"),
    ("Lakshmi Patel", "लक्ष्मी पटेल"),
    ("Santosh Sinha", "संतोष सिन्हा"),
    ("Rekha Nishad", "रेखा निषाद"),
)
_ROAD_WIDTHS = ("5", "6.5", "7.5", "9", "12", "15", "18", "24")  # metres: every band and both edges
_REJECTIONS = (
    "Rent agreement of the shop not attached",
    "Trade carried on in a residential lane without permission",
    "Applicant did not appear for inspection",
)

# (kind of story, how many): the licences the demo makes, ~40 in all.
_PLAN = (
    ("expired", 4),
    ("issued", 14),
    ("approved", 8),
    ("inspection", 4),
    ("document_check", 3),
    ("applied", 3),
    ("deemed", 1),
    ("rejected", 3),
)


@dataclass(order=True)
class _Step:
    day: date
    order: int
    run: Callable[[], None] = field(compare=False)
    pays: bool = field(default=False, compare=False)


def _cash_breakdown(paise: int) -> tuple[dict[int, int], dict[int, int]]:
    """Notes and coins adding up to whole rupees (day-end counts the demo's cash exactly)."""
    rupees = paise // 100
    notes: dict[int, int] = {}
    coins: dict[int, int] = {}
    for value in NOTE_DENOMINATIONS:
        count, rupees = divmod(rupees, value)
        if count:
            notes[value] = count
    for value in COIN_DENOMINATIONS:
        count, rupees = divmod(rupees, value)
        if count:
            coins[value] = count
    return notes, coins


def seed_demo_licences(data_dir: Path, clock: Clock | None = None, seed: int = 5) -> int:
    """Make the demo licences unless the ULB has some already. Returns how many were made."""
    from app.composition import build_services

    today = business_date((clock or SystemClock()).now_utc())
    demo_clock = FixedClock.on_ist_date(today, at=_at(0))
    services = build_services(data_dir, clock=demo_clock)
    try:
        with services.db.read() as session:
            if session.scalar(select(func.count()).select_from(TradeLicence)):
                return 0
            linkable = [
                (uuid, ward, address_en, address_hi)
                for uuid, ward, address_en, address_hi in session.execute(
                    select(Property.uuid, Property.ward_no, Property.address_en, Property.address_hi)
                    .join(Owner, Owner.property_uuid == Property.uuid)
                    .where(Owner.ordinal == 0)
                    .order_by(Property.property_id)
                    .limit(200)
                )
            ]
        return _Seeder(services, demo_clock, today, random.Random(seed), linkable).run()
    finally:
        services.close()


def _at(minutes: int) -> time:
    """A time of the office day (10:00 onwards), so steps of one day keep their order."""
    return time(10 + minutes // 60 % 8, minutes % 60)


class _Seeder:
    def __init__(
        self,
        services: Services,
        clock: FixedClock,
        today: date,
        rng: random.Random,
        linkable: list[tuple[str, int, str, str]],
    ) -> None:
        self.s = services
        self.clock = clock
        self.today = today
        self.rng = rng
        self.linkable = linkable
        users = services.users
        self.supervisor = users.actor_for("supervisor1", 1)
        self.commissioner = users.actor_for("commissioner1", 1)
        self.clerk = users.actor_for("clerk2", 1)
        self.fy = FinancialYear.of(today)
        self.steps: list[_Step] = []
        self.uuids: dict[int, str] = {}  # story number -> licence uuid
        self.counter_day: date | None = None
        self.cash_today = 0
        self.made = 0

    # --- dates

    def back(self, days: int, not_before: date | None = None) -> date:
        day = self.today - timedelta(days=days)
        return max(day, not_before) if not_before else day

    # --- the plan

    def run(self) -> int:
        number = 0
        for story, count in _PLAN:
            for index in range(count):
                self._plan(number, story, index)
                number += 1
        for order, step in enumerate(sorted(self.steps)):
            self.clock.current = FixedClock.on_ist_date(step.day, at=_at(order % 400)).current
            if step.pays:
                self._counter_for(step.day)
            try:
                step.run()
            except NikayError:
                # A year without a tariff file (the demo run years later): that story stops here.
                continue
        self._close_counter()
        self.clock.current = FixedClock.on_ist_date(self.today, at=_at(420)).current
        self.s.trade.expire_due(None, self.today)
        return self.made

    def _plan(self, number: int, story: str, index: int) -> None:
        start = self.fy.first_day
        if story == "expired":
            previous = self.fy.previous().first_day
            applied = previous + timedelta(days=20 + 9 * index)
            self._through(number, applied, until="issued")
            if index == 0:  # renewed this year
                renewal_day = self.back(40, not_before=start + timedelta(days=5))
                self.steps.append(_Step(renewal_day, number, lambda: self._renew(number, 100 + number)))
                self._through(100 + number, renewal_day, until="issued", apply=False)
        elif story == "issued":
            applied = self.back(150 - 8 * index, not_before=start)
            self._through(number, applied, until="issued")
        elif story == "approved":
            self._through(number, self.back(24 + index), until="approved", approved_on=self.back(1 + index))
        elif story == "inspection":
            self._through(number, self.back(8 + index), until="inspection")
        elif story == "document_check":
            self._through(number, self.back(4 + index), until="document_check")
        elif story == "applied":
            self._through(number, self.back(index * 2), until="applied")
        elif story == "deemed":
            self._through(number, self.back(20), until="applied")
        elif story == "rejected":
            applied = self.back(45 - 5 * index)
            self._through(number, applied, until="document_check")
            reason = _REJECTIONS[index % len(_REJECTIONS)]
            self.steps.append(_Step(applied + timedelta(days=6), number, lambda: self._reject(number, reason)))

    def _through(
        self, number: int, applied: date, until: str, approved_on: date | None = None, apply: bool = True
    ) -> None:
        """Steps that take story `number` from application to `until`, a few days apart."""
        stages = ("applied", "document_check", "inspection", "approved", "issued")
        last = stages.index(until)
        days = [applied, applied + timedelta(days=2), applied + timedelta(days=5), applied + timedelta(days=9)]
        if approved_on is not None:
            days[3] = max(approved_on, days[2])
        days.append(days[3] + timedelta(days=3))
        actions: list[Callable[[], None]] = [
            lambda: self._apply(number),
            lambda: self._act(number, "document_check"),
            lambda: self._act(number, "inspection"),
            lambda: self._act(number, "approve"),
            lambda: self._pay_and_issue(number),
        ]
        for stage in range(0 if apply else 1, last + 1):
            self.steps.append(_Step(min(days[stage], self.today), number, actions[stage], pays=stage == 4))

    # --- the steps

    def _input(self) -> LicenceInput:
        rng = self.rng
        trade_en, trade_hi, kind = rng.choice(_TRADES)
        owner_en, owner_hi = rng.choice(_OWNERS)
        ward = rng.randint(1, 40)
        address_en = f"{rng.randint(1, 90)}, Sadar Bazar"
        address_hi = address_en.replace("Sadar Bazar", "सदर बाज़ार")
        property_uuid = None
        if kind == "SHOP" and self.linkable and rng.random() < 0.6:
            property_uuid, ward, address_en, address_hi = self.linkable.pop(rng.randrange(len(self.linkable)))
        return LicenceInput(
            trade_name=trade_en,
            trade_name_hi=trade_hi,
            owner_name_en=owner_en,
            owner_name_hi=owner_hi,
            mobile=f"9{rng.randint(100000000, 999999999)}",
            address_en=address_en,
            address_hi=address_hi,
            ward_no=ward,
            trade_kind=kind,
            area_sqft=Decimal(rng.choice((80, 120, 150, 200, 240, 300, 450))) if kind == "SHOP" else None,
            road_width_m=Decimal(rng.choice(_ROAD_WIDTHS)) if kind == "SHOP" else None,
            property_uuid=property_uuid,
        )

    def _apply(self, number: int) -> None:
        self.uuids[number] = self.s.trade.apply(self.supervisor, self._input()).uuid
        self.made += 1

    def _renew(self, previous: int, number: int) -> None:
        if previous not in self.uuids:
            return
        data = self.s.trade.renewal_input(self.uuids[previous])
        self.uuids[number] = self.s.trade.apply(self.supervisor, data).uuid
        self.made += 1

    def _act(self, number: int, action: str) -> None:
        uuid = self.uuids.get(number)
        if uuid is None:
            return
        trade = self.s.trade
        if action == "document_check":
            trade.start_document_check(self.supervisor, uuid, "documents complete")
        elif action == "inspection":
            trade.start_inspection(self.supervisor, uuid, "site visited")
        else:
            trade.approve(self.commissioner, uuid, "as inspected")

    def _reject(self, number: int, reason: str) -> None:
        if number in self.uuids:
            self.s.trade.reject(self.commissioner, self.uuids[number], reason)

    def _pay_and_issue(self, number: int) -> None:
        uuid = self.uuids.get(number)
        if uuid is None:
            return
        billing = self.s.billing
        account = billing.account_ref(Service.TRADE, uuid)
        bill = billing.bill_for(account)
        lines = [line for section in bill.sections for line in section.lines if line.account_uuid == uuid]
        amount = sum(line.due_paise for line in lines)
        if amount > 0:
            self.s.collections.collect_bill(
                self.clerk,
                BillCollectRequest(
                    request_uuid=new_uuid(),
                    primary=account,
                    choice=BillChoice(keys=frozenset(line.key for line in lines), property_included=False),
                    amount_paise=amount,
                    payment=Payment(mode=Mode.CASH),
                ),
            )
            self.cash_today += amount
        self.s.trade.issue(self.commissioner, uuid, "fee paid")

    # --- clerk2's counter days

    def _counter_for(self, day: date) -> None:
        if self.counter_day == day:
            return
        self._close_counter()
        self.s.collections.open_session(self.clerk, 0)
        self.counter_day = day

    def _close_counter(self) -> None:
        if self.counter_day is None:
            return
        notes, coins = _cash_breakdown(self.cash_today)
        self.s.collections.close_session(self.clerk, notes, coins)
        self.counter_day = None
        self.cash_today = 0
