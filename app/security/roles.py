"""Roles and what each may do. Checked in the services (`require`), not only by hiding buttons."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import PermissionDenied


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"  # cashier-supervisor
    ENGINEER = "engineer"
    HR = "hr"
    ACCOUNTS = "accounts"
    COMMISSIONER = "commissioner"
    ADMIN = "admin"


class Permission(StrEnum):
    COLLECT = "collect"
    CANCEL_RECEIPT = "cancel_receipt"
    DISHONOUR_CHEQUE = "dishonour_cheque"
    REPRINT_RECEIPT = "reprint_receipt"
    VIEW_RECEIPTS = "view_receipts"
    VIEW_PROPERTY = "view_property"
    EDIT_PROPERTY = "edit_property"
    IMPORT_PROPERTY = "import_property"
    GENERATE_DEMAND = "generate_demand"
    DAY_END = "day_end"
    MANAGE_USERS = "manage_users"
    BACKUP = "backup"
    VIEW_AUDIT = "view_audit"
    CONFIGURE_PRINTERS = "configure_printers"
    RESOLVE_SYNC_CONFLICTS = "resolve_sync_conflicts"  # decide master-data conflicts from sync
    # Issue 5: water, trade licence, user charges, DCB.
    MANAGE_WATER = "manage_water"  # connections, readings, disconnection/reconnection
    MANAGE_SWM = "manage_swm"  # user-charge payers
    PROCESS_TRADE_LICENCE = "process_trade_licence"  # receive applications, document check, inspection
    APPROVE_TRADE_LICENCE = "approve_trade_licence"  # approve, reject, issue
    VIEW_DCB = "view_dcb"
    # Issue 6: building permits.
    RECEIVE_PERMIT = "receive_permit"  # draft, edit, attach documents, submit
    SCRUTINISE_PLANS = "scrutinise_plans"  # take up, plan scrutiny, document verification
    INSPECT_SITE = "inspect_site"  # site inspection report and photos
    APPROVE_PERMIT = "approve_permit"  # approve, reject, issue, revoke


_COUNTER = {
    Permission.COLLECT,
    Permission.REPRINT_RECEIPT,
    Permission.VIEW_RECEIPTS,
    Permission.VIEW_PROPERTY,
    Permission.DAY_END,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_COUNTER),
    Role.SUPERVISOR: frozenset(
        _COUNTER
        | {
            Permission.CANCEL_RECEIPT,
            Permission.DISHONOUR_CHEQUE,
            Permission.EDIT_PROPERTY,
            Permission.BACKUP,
            Permission.CONFIGURE_PRINTERS,
            Permission.RESOLVE_SYNC_CONFLICTS,
            Permission.MANAGE_WATER,
            Permission.MANAGE_SWM,
            Permission.PROCESS_TRADE_LICENCE,
            Permission.VIEW_DCB,
        }
    ),
    Role.ENGINEER: frozenset(
        {
            Permission.VIEW_PROPERTY,
            Permission.RECEIVE_PERMIT,
            Permission.SCRUTINISE_PLANS,
            Permission.INSPECT_SITE,
        }
    ),
    Role.HR: frozenset(),
    Role.ACCOUNTS: frozenset(
        {Permission.VIEW_RECEIPTS, Permission.VIEW_PROPERTY, Permission.DISHONOUR_CHEQUE, Permission.BACKUP}
    ),
    Role.COMMISSIONER: frozenset(
        {
            Permission.VIEW_RECEIPTS,
            Permission.VIEW_PROPERTY,
            Permission.VIEW_AUDIT,
            Permission.GENERATE_DEMAND,
            Permission.APPROVE_TRADE_LICENCE,
            Permission.VIEW_DCB,
            Permission.APPROVE_PERMIT,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Permission.VIEW_RECEIPTS,
            Permission.VIEW_PROPERTY,
            Permission.EDIT_PROPERTY,
            Permission.IMPORT_PROPERTY,
            Permission.GENERATE_DEMAND,
            Permission.MANAGE_USERS,
            Permission.BACKUP,
            Permission.VIEW_AUDIT,
            Permission.CONFIGURE_PRINTERS,
            Permission.RESOLVE_SYNC_CONFLICTS,
            Permission.MANAGE_WATER,
            Permission.MANAGE_SWM,
            Permission.PROCESS_TRADE_LICENCE,
            Permission.APPROVE_TRADE_LICENCE,
            Permission.VIEW_DCB,
            Permission.RECEIVE_PERMIT,
            Permission.SCRUTINISE_PLANS,
            Permission.INSPECT_SITE,
            Permission.APPROVE_PERMIT,
        }
    ),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, from which device. Passed into every service call that changes state."""

    user_id: int
    username: str
    full_name: str
    role: Role
    device_no: int

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(f"{actor.username} ({actor.role.value}) may not {permission.value.replace('_', ' ')}")
