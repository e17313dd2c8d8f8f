"""The catalogue of rights, grouped by area, and the built-in roles that bundle them."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    ORDERS_CREATE = "orders.create"
    ORDERS_VIEW_OWN = "orders.view_own"
    ORDERS_VIEW_ALL = "orders.view_all"
    APPROVALS_DECIDE = "approvals.decide"
    USERS_MANAGE = "users.manage"
    ROLES_MANAGE = "roles.manage"
    BUDGETS_MANAGE = "budgets.manage"
    CHAINS_MANAGE = "chains.manage"
    REPORTS_VIEW = "reports.view"
    DOCUMENTS_VIEW = "documents.view"
    COMPANY_MANAGE = "company.manage"
    AUDIT_VIEW = "audit.view"


ALL_PERMISSIONS: frozenset[Permission] = frozenset(Permission)

MAIN_CONTACT_ROLE = "main_contact"

BUILTIN_ROLES: dict[str, frozenset[Permission]] = {
    MAIN_CONTACT_ROLE: ALL_PERMISSIONS,
    "buyer": frozenset(
        {Permission.ORDERS_CREATE, Permission.ORDERS_VIEW_OWN, Permission.DOCUMENTS_VIEW}
    ),
    "approver": frozenset(
        {
            Permission.ORDERS_CREATE,
            Permission.ORDERS_VIEW_OWN,
            Permission.ORDERS_VIEW_ALL,
            Permission.APPROVALS_DECIDE,
            Permission.DOCUMENTS_VIEW,
        }
    ),
    "controller": frozenset(
        {
            Permission.ORDERS_VIEW_ALL,
            Permission.REPORTS_VIEW,
            Permission.AUDIT_VIEW,
            Permission.DOCUMENTS_VIEW,
        }
    ),
    "technician": frozenset({Permission.DOCUMENTS_VIEW}),
}

# The catalogue as the roles page shows it: areas in order, each with its rights.
PERMISSION_AREAS: dict[str, tuple[Permission, ...]] = {
    "orders": (Permission.ORDERS_CREATE, Permission.ORDERS_VIEW_OWN, Permission.ORDERS_VIEW_ALL),
    "approvals": (Permission.APPROVALS_DECIDE,),
    "administration": (
        Permission.USERS_MANAGE,
        Permission.ROLES_MANAGE,
        Permission.BUDGETS_MANAGE,
        Permission.CHAINS_MANAGE,
        Permission.COMPANY_MANAGE,
    ),
    "insight": (Permission.REPORTS_VIEW, Permission.AUDIT_VIEW),
    "documents": (Permission.DOCUMENTS_VIEW,),
}

BUILTIN_ROLE_ORDER: tuple[str, ...] = tuple(BUILTIN_ROLES)
