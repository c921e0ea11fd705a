"""What a receipt shows (../shared/domain/printing.md, "What a municipal receipt shows").

Built once from a saved receipt; every renderer (thermal, PDF, screen) draws this and nothing else,
so a receipt says the same thing on every medium. Rows keep the arrear/current split per head and FY,
the rebate is a negative row, the advance used and created are visible, and a reprint says DUPLICATE.
A receipt that pays several services (issue 5) groups its rows in sections, one per account, each with
the account's number (property ID, consumer no., licence no., payer ID) and every row's period in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.billing.periods import period_sort_key, period_words
from app.collections.dto import Mode, ReceiptView
from app.core.clock import format_date, format_datetime_ist
from app.core.words import amount_in_words
from app.demand.dto import AllocatedLine, Head, Service
from app.receipts.labels import ACCOUNT_NUMBER_LABELS, HEAD_LABELS, MODE_LABELS, SERVICE_LABELS


@dataclass(frozen=True)
class ReceiptRow:
    fy: str
    head: Head
    label_en: str
    label_hi: str
    amount_paise: int
    is_arrear: bool  # a year before the receipt's own FY
    service: Service = Service.PROPERTY
    period_en: str = ""  # service rows: "Nov 2026", "Q3 2026-27", "FY 2026-27" ("" on property rows: fy says it)
    period_hi: str = ""  # "नवंबर 2026", "तिमाही 3, 2026-27", "वित्त वर्ष 2026-27"


@dataclass(frozen=True)
class ReceiptSection:
    """The rows of one account: the property's taxes, or one water connection / licence / payer."""

    service: Service
    title_en: str  # "Water"
    title_hi: str  # "जल"
    number_label_en: str  # "Consumer no."
    number_label_hi: str  # "उपभोक्ता क्र."
    account_no: str
    holder: str  # "" when it is the payer
    rows: tuple[ReceiptRow, ...]

    @property
    def total_paise(self) -> int:
        return sum(row.amount_paise for row in self.rows)

    @property
    def arrear_rows(self) -> tuple[ReceiptRow, ...]:
        return tuple(row for row in self.rows if row.is_arrear)

    @property
    def current_rows(self) -> tuple[ReceiptRow, ...]:
        return tuple(row for row in self.rows if not row.is_arrear)


@dataclass(frozen=True)
class InstrumentRow:
    """One row per instrument (cash, a cheque, a DD, a UPI payment)."""

    mode: Mode
    label_en: str
    label_hi: str
    number: str
    instrument_date: date | None
    bank: str
    branch: str
    amount_paise: int


@dataclass(frozen=True)
class ReceiptDocument:
    ulb_name_en: str
    ulb_name_hi: str
    office_code: str
    counter_code: str
    receipt_no: str
    uuid: str
    fy: str
    collected_at_text: str  # DD-MM-YYYY HH:MM, IST
    business_date: date
    payer_name: str
    property_id: str
    ward_no: int
    address_en: str
    address_hi: str
    period_text: str  # the FYs paid for, e.g. "2025-26 – 2026-27"
    rows: tuple[ReceiptRow, ...]  # tax heads, surcharge, penalty, rebate (negative), round-off, advance used
    total_paise: int  # money received
    words_en: str
    words_hi: str
    instruments: tuple[InstrumentRow, ...]
    tendered_paise: int | None
    change_paise: int | None
    balance_due_paise: int  # still due on the property after this receipt
    advance_credit_paise: int  # credit this receipt created (overpayment)
    collector_name: str
    duplicate: bool
    cancelled: str | None  # "CANCELLED" / "DISHONOURED" when it no longer counts
    cancel_reason: str
    verification: str  # what the verification QR carries ("" until a key is configured)
    # One section per account paid, property first; a property-only receipt has just its own.
    sections: tuple[ReceiptSection, ...] = ()
    title_en: str = "PROPERTY TAX RECEIPT"  # "PAYMENT RECEIPT" when it pays other services
    title_hi: str = "संपत्ति कर रसीद"
    footer_en: str = "Computer-generated receipt. Keep it safe; verify it by scanning the code."
    footer_hi: str = "यह कंप्यूटर से बनी रसीद है। इसे संभालकर रखें; कोड स्कैन कर सत्यापित करें।"

    @property
    def arrear_rows(self) -> tuple[ReceiptRow, ...]:
        return tuple(row for row in self.rows if row.is_arrear)

    @property
    def current_rows(self) -> tuple[ReceiptRow, ...]:
        return tuple(row for row in self.rows if not row.is_arrear)

    @property
    def combined(self) -> bool:
        """True when the receipt pays anything besides property tax: renderers then show sections."""
        return any(section.service != Service.PROPERTY for section in self.sections)


def _row(line: AllocatedLine, receipt_fy: str) -> ReceiptRow:
    label_en, label_hi = HEAD_LABELS[line.head]
    if line.head == Head.ADVANCE:
        label_en, label_hi = "Advance adjusted", "अग्रिम समायोजित"
    service_row = line.service != Service.PROPERTY
    return ReceiptRow(
        fy=line.fy,
        head=line.head,
        label_en=label_en,
        label_hi=label_hi,
        amount_paise=line.amount_paise,
        is_arrear=line.fy < receipt_fy,
        service=line.service,
        period_en=period_words(line.period, "en") if service_row else "",
        period_hi=period_words(line.period, "hi") if service_row else "",
    )


def _sections(receipt: ReceiptView, rows_of: dict[str, list[ReceiptRow]]) -> tuple[ReceiptSection, ...]:
    sections: list[ReceiptSection] = []
    if "" in rows_of:
        title_en, title_hi = SERVICE_LABELS[Service.PROPERTY]
        number_en, number_hi = ACCOUNT_NUMBER_LABELS[Service.PROPERTY]
        sections.append(
            ReceiptSection(
                Service.PROPERTY, title_en, title_hi, number_en, number_hi, receipt.property_id, "", tuple(rows_of[""])
            )
        )
    refs = {ref.account_uuid: ref for ref in receipt.accounts}
    for account, rows in rows_of.items():
        if account == "":
            continue
        service = rows[0].service
        ref = refs.get(account)
        title_en, title_hi = SERVICE_LABELS[service]
        number_en, number_hi = ACCOUNT_NUMBER_LABELS[service]
        holder = ""
        if ref is not None and ref.holder_en and ref.holder_en != receipt.payer_name:
            holder = ref.holder_en
        sections.append(
            ReceiptSection(
                service,
                title_en,
                title_hi,
                number_en,
                number_hi,
                ref.number if ref is not None else account[:8],
                holder,
                tuple(rows),
            )
        )
    return tuple(sections)


def build_document(
    receipt: ReceiptView, *, office_code: str, counter_code: str, verification: str = ""
) -> ReceiptDocument:
    """The document of a saved receipt (ReceiptView from CollectionService)."""
    rows: list[ReceiptRow] = []
    rows_of: dict[str, list[ReceiptRow]] = {}  # account ("" = the property) -> its rows, in line order
    advance_created = 0
    for line in receipt.lines:
        if line.head == Head.ADVANCE and line.amount_paise > 0:
            advance_created += line.amount_paise  # shown as "advance credit", not as a paid head
            continue
        row = _row(line, receipt.fy)
        rows.append(row)
        rows_of.setdefault(line.account if line.service != Service.PROPERTY else "", []).append(row)
    property_years = sorted(
        {r.fy for r in rows if r.service == Service.PROPERTY and r.head not in (Head.ROUND_OFF, Head.ADVANCE)}
    )
    service_periods = sorted(
        {line.period for line in receipt.lines if line.service != Service.PROPERTY}, key=period_sort_key
    )
    if property_years:
        years = property_years
        period = years[0] if len(years) == 1 else f"{years[0]} – {years[-1]}"
    elif service_periods:
        first, last = period_words(service_periods[0]), period_words(service_periods[-1])
        period = first if first == last else f"{first} – {last}"
    else:
        period = receipt.fy
    sections = _sections(receipt, rows_of)
    combined = any(section.service != Service.PROPERTY for section in sections)
    mode_en, mode_hi = MODE_LABELS[receipt.mode]
    instrument = InstrumentRow(
        mode=receipt.mode,
        label_en=mode_en,
        label_hi=mode_hi,
        number=receipt.instrument_no,
        instrument_date=receipt.instrument_date,
        bank=receipt.bank,
        branch=receipt.branch,
        amount_paise=receipt.amount_paise,
    )
    return ReceiptDocument(
        ulb_name_en=receipt.ulb_name_en,
        ulb_name_hi=receipt.ulb_name_hi,
        office_code=office_code,
        counter_code=counter_code,
        receipt_no=receipt.receipt_no,
        uuid=receipt.uuid,
        fy=receipt.fy,
        collected_at_text=format_datetime_ist(receipt.collected_at),
        business_date=receipt.business_date,
        payer_name=receipt.payer_name,
        property_id=receipt.property_id,
        ward_no=receipt.ward_no,
        address_en=receipt.address_en,
        address_hi=receipt.address_hi,
        period_text=period,
        rows=tuple(rows),
        total_paise=receipt.amount_paise,
        words_en=amount_in_words(receipt.amount_paise, "en"),
        words_hi=amount_in_words(receipt.amount_paise, "hi"),
        instruments=(instrument,),
        tendered_paise=receipt.tendered_paise,
        change_paise=receipt.change_paise,
        balance_due_paise=receipt.balance_after_paise,
        advance_credit_paise=advance_created,
        collector_name=receipt.collector_name,
        duplicate=receipt.duplicate,
        cancelled=receipt.cancelled,
        cancel_reason=receipt.cancel_reason,
        verification=verification,
        sections=sections,
        title_en="PAYMENT RECEIPT" if combined else "PROPERTY TAX RECEIPT",
        title_hi="भुगतान रसीद" if combined else "संपत्ति कर रसीद",
    )


def instrument_date_text(row: InstrumentRow) -> str:
    return format_date(row.instrument_date) if row.instrument_date else ""
