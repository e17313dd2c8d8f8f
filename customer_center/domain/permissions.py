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
        {Permission.ORDERS_VIEW_ALL, Permission.REPORTS_VIEW, Permission.DOCUMENTS_VIEW}
    ),
    "technician": frozenset({Permission.DOCUMENTS_VIEW}),
}
