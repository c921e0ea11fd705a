"""Building-permit rules that need no database: the workflow table, risk classes, fees by hand, and
the fee schedule file checked at load."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.errors import PermissionDenied, ValidationError
from app.paths import RESOURCES_DIR
from app.permits.fees import compute_fees, load_permit_schedules
from app.permits.workflow import ACTIONS, check_permission, next_state
from app.permits.workflow import Path as WorkflowPath
from app.security.roles import Actor, Role

SCHEDULES = load_permit_schedules(RESOURCES_DIR / "permits")
DEMO = SCHEDULES.in_force("DEMO", date(2026, 6, 15))
LOW = WorkflowPath("LOW", ("SCRUTINY", "DOC_VERIFICATION"))
FULL = WorkflowPath("MEDIUM", ("SCRUTINY", "DOC_VERIFICATION", "SITE_INSPECTION"))


def actor(role: Role) -> Actor:
    return Actor(1, role.value + "1", role.value, role, 1)


def test_the_full_path_walks_every_state_in_order() -> None:
    state = "DRAFT"
    walked = [state]
    for action in ("submit", "take_up", "complete_scrutiny", "verify_documents", "record_inspection", "approve"):
        state = next_state(state, action, FULL)
        walked.append(state)
    for action in ("issue", "revoke"):
        state = next_state(state, action, FULL)
        walked.append(state)
    assert walked == [
        "DRAFT",
        "SUBMITTED",
        "SCRUTINY",
        "DOC_VERIFICATION",
        "SITE_INSPECTION",
        "DECISION",
        "APPROVED",
        "ISSUED",
        "REVOKED",
    ]


def test_a_low_risk_path_goes_from_document_verification_straight_to_the_decision() -> None:
    assert next_state("DOC_VERIFICATION", "verify_documents", LOW) == "DECISION"
    with pytest.raises(ValidationError, match="SITE_INSPECTION is not on the LOW path"):
        next_state("SITE_INSPECTION", "record_inspection", LOW)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("DRAFT", "approve"),
        ("DRAFT", "take_up"),
        ("SUBMITTED", "complete_scrutiny"),
        ("SCRUTINY", "approve"),
        ("DECISION", "issue"),
        ("APPROVED", "reject"),
        ("ISSUED", "reject"),
        ("REJECTED", "approve"),
        ("REVOKED", "issue"),
        ("APPROVED", "revoke"),
        ("DRAFT", "reject"),
    ],
)
def test_illegal_transitions_are_refused_with_the_states_allowed(state: str, action: str) -> None:
    with pytest.raises(ValidationError, match=f"that is {state} cannot"):
        next_state(state, action, FULL)


@pytest.mark.parametrize("state", ["SUBMITTED", "SCRUTINY", "DOC_VERIFICATION", "SITE_INSPECTION", "DECISION"])
def test_any_open_state_can_be_rejected(state: str) -> None:
    assert next_state(state, "reject", FULL) == "REJECTED"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CLERK, set()),
        (Role.ENGINEER, {"submit", "take_up", "complete_scrutiny", "verify_documents", "record_inspection"}),
        (Role.COMMISSIONER, {"approve", "reject", "issue", "revoke"}),
        (Role.ADMIN, set(ACTIONS)),
    ],
)
def test_each_step_needs_its_permission(role: Role, allowed: set[str]) -> None:
    permitted = set()
    for action in ACTIONS:
        try:
            check_permission(actor(role), action)
            permitted.add(action)
        except PermissionDenied:
            pass
    assert permitted == allowed


def test_a_path_out_of_order_or_with_unknown_states_is_refused() -> None:
    with pytest.raises(ValidationError, match="in that order"):
        WorkflowPath("X", ("DOC_VERIFICATION", "SCRUTINY"))
    with pytest.raises(ValidationError, match="in that order"):
        WorkflowPath("X", ("SCRUTINY", "APPROVED"))
    with pytest.raises(ValidationError, match="in that order"):
        WorkflowPath("X", ())


@pytest.mark.parametrize(
    ("height", "plot", "expected"),
    [
        ("9.99", "499.99", "LOW"),
        ("10", "100", "MEDIUM"),  # on the height limit: the class above
        ("5", "500", "MEDIUM"),  # on the plot-area limit: the class above
        ("14.99", "999.99", "MEDIUM"),
        ("15", "100", "HIGH"),
        ("5", "1000", "HIGH"),
        ("40", "5000", "HIGH"),
    ],
)
def test_risk_class_bands_from_the_schedule(height: str, plot: str, expected: str) -> None:
    assert DEMO.risk_class(Decimal(height), Decimal(plot)).name == expected


def test_low_risk_skips_site_inspection_in_the_demo_schedule() -> None:
    paths = {risk.name: risk.path.states for risk in DEMO.risk_classes}
    assert "SITE_INSPECTION" not in paths["LOW"]
    assert paths["HIGH"] == ("SCRUTINY", "DOC_VERIFICATION", "SITE_INSPECTION")


def test_fees_worked_by_hand() -> None:
    # 180.50 m²: scrutiny ₹2,000 flat; permit 180.50 × ₹15 = ₹2,707.50 → ₹2,708 (half up);
    # construction 180.50 × ₹18,000 = ₹32,49,000; labour cess 1% = ₹32,490. Total ₹37,198.
    fees = compute_fees(DEMO, Decimal("180.50"))
    assert fees.scrutiny_fee_paise == 2_000_00
    assert fees.permit_fee_paise == 2_708_00
    assert fees.construction_cost_paise == 32_49_000_00
    assert fees.labour_cess_paise == 32_490_00
    assert fees.total_paise == 37_198_00


def test_labour_cess_rounds_half_up_to_the_rupee() -> None:
    # 0.25 m² × ₹18,000 = ₹4,500; 1% = ₹45. 0.03 m² → ₹540 → ₹5.40 → ₹5; 0.05 m² → ₹900 → ₹9.
    assert compute_fees(DEMO, Decimal("0.25")).labour_cess_paise == 45_00
    assert compute_fees(DEMO, Decimal("0.03")).labour_cess_paise == 5_00
    # 0.10 m² × ₹15 = ₹1.50 → ₹2 (half up)
    assert compute_fees(DEMO, Decimal("0.10")).permit_fee_paise == 2_00


def test_no_fees_without_a_built_up_area() -> None:
    with pytest.raises(ValidationError, match="built_up_area_m2"):
        compute_fees(DEMO, Decimal(0))


def _write(folder: Path, body: str) -> Path:
    (folder / "fees-TEST.toml").write_text('ulb = "TEST"\n' + body, encoding="utf-8")
    return folder


GOOD = """
[[schedule]]
effective_from = "{day}"
scrutiny_fee_rupees = "{fee}"
permit_fee_per_m2_rupees = "10"
construction_rate_per_m2_rupees = "15000"
labour_cess_percent = "1"
[[schedule.risk]]
name = "LOW"
height_below_m = "10"
plot_below_m2 = "500"
path = ["SCRUTINY"]
[[schedule.risk]]
name = "HIGH"
path = ["SCRUTINY", "SITE_INSPECTION"]
[schedule.sla_days]
SUBMITTED = 1
SCRUTINY = 1
DOC_VERIFICATION = 1
SITE_INSPECTION = 1
DECISION = 1
APPROVED = 1
"""


def test_the_schedule_in_force_on_a_day_is_used(tmp_path: Path) -> None:
    _write(tmp_path, GOOD.format(day="2026-04-01", fee="1000") + GOOD.format(day="2027-01-01", fee="1500"))
    book = load_permit_schedules(tmp_path)
    assert book.in_force("TEST", date(2026, 12, 31)).scrutiny_fee_paise == 1000_00
    assert book.in_force("TEST", date(2027, 1, 1)).scrutiny_fee_paise == 1500_00
    with pytest.raises(ValidationError, match="no building-permit fee schedule of TEST in force on 2026-03-31"):
        book.in_force("TEST", date(2026, 3, 31))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('name = "HIGH"\n', 'name = "HIGH"\nheight_below_m = "20"\n'), "last risk class"),
        (("SITE_INSPECTION = 1\n", ""), "no figure for SITE_INSPECTION"),
        (('scrutiny_fee_rupees = "1000"', 'scrutiny_fee_rupees = "lots"'), "is not a number"),
        (('path = ["SCRUTINY"]', 'path = ["APPROVED"]'), "in that order"),
        (("DECISION = 1", "DECISION = 0"), "at least 1 day"),
    ],
)
def test_a_bad_schedule_is_refused_at_load_saying_where(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    _write(tmp_path, GOOD.format(day="2026-04-01", fee="1000").replace(*change))
    with pytest.raises(ValidationError, match=message) as caught:
        load_permit_schedules(tmp_path)
    assert "fees-TEST.toml" in str(caught.value)
