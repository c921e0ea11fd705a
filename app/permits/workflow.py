"""The building-permit workflow as a table: which action moves an application from which state to
which, and which permission it needs. Pure (no DB), so the rules are tested on their own.

DRAFT → SUBMITTED → (the risk class's path, data: e.g. SCRUTINY → DOC_VERIFICATION → SITE_INSPECTION)
→ DECISION → APPROVED (fees raised as PERMIT demands) → ISSUED (fees paid) → REVOKED; any state from
SUBMITTED to DECISION can end REJECTED (with reasons).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PermissionDenied, ValidationError
from app.security.roles import Actor, Permission

DRAFT = "DRAFT"
SUBMITTED = "SUBMITTED"
SCRUTINY = "SCRUTINY"
DOC_VERIFICATION = "DOC_VERIFICATION"
SITE_INSPECTION = "SITE_INSPECTION"
DECISION = "DECISION"  # every check done; waits for the approving officer
APPROVED = "APPROVED"  # fees raised; waits for payment at the counter
ISSUED = "ISSUED"
REJECTED = "REJECTED"
REVOKED = "REVOKED"

STATES = (DRAFT, SUBMITTED, SCRUTINY, DOC_VERIFICATION, SITE_INSPECTION, DECISION, APPROVED, ISSUED, REJECTED, REVOKED)
# The checking states a risk class's path picks from, in this order (a path may skip some, never reorder).
CHECK_STATES = (SCRUTINY, DOC_VERIFICATION, SITE_INSPECTION)
REJECTABLE = (SUBMITTED, SCRUTINY, DOC_VERIFICATION, SITE_INSPECTION, DECISION)
FINAL = (ISSUED, REJECTED, REVOKED)

# action -> (the state it starts from, or None when any of REJECTABLE; the permission it needs)
ACTIONS: dict[str, tuple[str | None, Permission]] = {
    "submit": (DRAFT, Permission.RECEIVE_PERMIT),
    "take_up": (SUBMITTED, Permission.SCRUTINISE_PLANS),
    "complete_scrutiny": (SCRUTINY, Permission.SCRUTINISE_PLANS),
    "verify_documents": (DOC_VERIFICATION, Permission.SCRUTINISE_PLANS),
    "record_inspection": (SITE_INSPECTION, Permission.INSPECT_SITE),
    "approve": (DECISION, Permission.APPROVE_PERMIT),
    "reject": (None, Permission.APPROVE_PERMIT),
    "issue": (APPROVED, Permission.APPROVE_PERMIT),
    "revoke": (ISSUED, Permission.APPROVE_PERMIT),
}

# Who must act next in each open state (the inbox of a role is the states whose permission it holds).
RESPONSIBLE: dict[str, Permission] = {
    SUBMITTED: Permission.SCRUTINISE_PLANS,
    SCRUTINY: Permission.SCRUTINISE_PLANS,
    DOC_VERIFICATION: Permission.SCRUTINISE_PLANS,
    SITE_INSPECTION: Permission.INSPECT_SITE,
    DECISION: Permission.APPROVE_PERMIT,
    APPROVED: Permission.APPROVE_PERMIT,  # issue once the fees are paid
}


@dataclass(frozen=True)
class Path:
    """The checking states an application of one risk class passes through, in order."""

    risk_class: str
    states: tuple[str, ...]

    def __post_init__(self) -> None:
        order = [CHECK_STATES.index(s) for s in self.states if s in CHECK_STATES]
        unknown = [s for s in self.states if s not in CHECK_STATES]
        if unknown or not self.states or order != sorted(set(order)):
            raise ValidationError(
                f"path of {self.risk_class}: {list(self.states)} must be one or more of "
                f"{', '.join(CHECK_STATES)}, in that order, each once"
            )


def check_permission(actor: Actor, action: str) -> None:
    permission = ACTIONS[action][1]
    if not actor.can(permission):
        raise PermissionDenied(f"{actor.username} ({actor.role.value}) may not {action.replace('_', ' ')} a permit")


def next_state(current: str, action: str, path: Path) -> str:
    """The state `action` leads to from `current` on this path; ValidationError if not allowed there."""
    if action not in ACTIONS:
        raise ValidationError(f"unknown permit action {action!r}")
    start = ACTIONS[action][0]
    allowed = REJECTABLE if start is None else (start,)
    if current not in allowed:
        raise ValidationError(
            f"an application that is {current} cannot {action.replace('_', ' ')} (only from {' or '.join(allowed)})"
        )
    if action == "submit":
        return SUBMITTED
    if action == "take_up":
        return path.states[0]
    if action in ("complete_scrutiny", "verify_documents", "record_inspection"):
        if current not in path.states:
            raise ValidationError(f"{current} is not on the {path.risk_class} path ({', '.join(path.states)})")
        i = path.states.index(current)
        return path.states[i + 1] if i + 1 < len(path.states) else DECISION
    return {"approve": APPROVED, "reject": REJECTED, "issue": ISSUED, "revoke": REVOKED}[action]
