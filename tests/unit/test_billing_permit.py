"""Building-permit fees are collected at the counter like any other service: the application number
finds the account, its bill holds the three approved fees, one receipt pays them, and the permit can
then be issued. A permit's fees are paid whole."""

from __future__ import annotations

import pytest

from app.demand.dto import Service
from app.errors import ValidationError
from tests.factories import bill_request
from tests.unit.test_permits_service import PermitOffice, office, to_decision  # noqa: F401  (fixture)


def test_the_counter_collects_the_permit_fees_on_one_receipt_and_the_permit_can_be_issued(
    office: PermitOffice,  # noqa: F811
) -> None:
    services = office.services
    approved = services.permits.approve(office.commissioner, to_decision(office).uuid, "complies")
    (hit,) = services.billing.account_search(approved.application_no.lower())
    assert hit.account.service == Service.PERMIT and hit.account.number == approved.application_no
    assert hit.due_paise == 37_198_00  # scrutiny ₹2,000 + permit ₹2,708 + labour cess ₹32,490

    bill = services.billing.bill_for(hit.account)
    (section,) = bill.sections
    assert [line.head.value for line in section.lines] == ["PERMIT_SCRUTINY_FEE", "PERMIT_FEE", "LABOUR_CESS"]
    keys = [line.key for line in section.lines]
    services.collections.open_session(office.clerk, 0)
    with pytest.raises(ValidationError):  # paid whole: a part payment is refused, nothing saved
        services.collections.collect_bill(
            office.clerk, bill_request(bill.primary, keys, 10_000_00, property_included=False)
        )
    receipt = services.collections.collect_bill(
        office.clerk, bill_request(bill.primary, keys, bill.payable_paise, property_included=False)
    )
    assert receipt.amount_paise == 37_198_00 and receipt.property_uuid is None
    assert {line.service for line in receipt.lines} == {Service.PERMIT}
    assert [a.number for a in receipt.accounts] == [approved.application_no]

    assert services.permits.get(approved.uuid).fee_paid
    issued = services.permits.issue(office.commissioner, approved.uuid)
    assert issued.status == "ISSUED"
    assert services.billing.bill_for(services.billing.account_ref(Service.PERMIT, approved.uuid)).payable_paise == 0
