"""The catalogue of rights, grouped by area, and the built-in roles that bundle them.

Every right and every built-in role has message ids for its label and description; the
functions below name them, so pages, services and the audit log never spell keys by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    LISTS_SHARE = "lists.share"  # share shopping lists with the company or a role
    CASES_VIEW_COMPANY = "cases.view_company"
    RETURNS_REQUEST = "returns.request"  # ask for returns and credits of visible orders


ALL_PERMISSIONS: frozenset[Permission] = frozenset(Permission)
PERMISSION_CODES: frozenset[str] = frozenset(p.value for p in Permission)

MAIN_CONTACT_ROLE = "main_contact"

# Built-in rights live here, not in the database: a right added in a release reaches every
# company at once, however long ago it was activated.
BUILTIN_ROLES: dict[str, frozenset[Permission]] = {
    MAIN_CONTACT_ROLE: ALL_PERMISSIONS,
    "buyer": frozenset(
        {
            Permission.ORDERS_CREATE,
            Permission.ORDERS_VIEW_OWN,
            Permission.DOCUMENTS_VIEW,
            Permission.RETURNS_REQUEST,
        }
    ),
    "approver": frozenset(
        {
            Permission.ORDERS_CREATE,
            Permission.ORDERS_VIEW_OWN,
            Permission.ORDERS_VIEW_ALL,
            Permission.APPROVALS_DECIDE,
            Permission.DOCUMENTS_VIEW,
            Permission.LISTS_SHARE,
            Permission.CASES_VIEW_COMPANY,
            Permission.RETURNS_REQUEST,
        }
    ),
    "controller": frozenset(
        {
            Permission.ORDERS_VIEW_ALL,
            Permission.REPORTS_VIEW,
            Permission.AUDIT_VIEW,
            Permission.DOCUMENTS_VIEW,
            Permission.CASES_VIEW_COMPANY,
        }
    ),
    "technician": frozenset({Permission.DOCUMENTS_VIEW}),
}

BUILTIN_ROLE_ORDER: tuple[str, ...] = (
    MAIN_CONTACT_ROLE,
    "buyer",
    "approver",
    "controller",
    "technician",
)

# The catalogue as pages show it: areas in order, each with its rights in order.
PERMISSION_AREAS: dict[str, tuple[Permission, ...]] = {
    "orders": (
        Permission.ORDERS_CREATE,
        Permission.ORDERS_VIEW_OWN,
        Permission.ORDERS_VIEW_ALL,
        Permission.LISTS_SHARE,
    ),
    "approvals": (Permission.APPROVALS_DECIDE,),
    "users_roles": (Permission.USERS_MANAGE, Permission.ROLES_MANAGE),
    "budgets_chains": (Permission.BUDGETS_MANAGE, Permission.CHAINS_MANAGE),
    "reporting": (Permission.REPORTS_VIEW,),
    "documents": (Permission.DOCUMENTS_VIEW,),
    "company": (Permission.COMPANY_MANAGE,),
    "audit": (Permission.AUDIT_VIEW,),
    "cases": (Permission.CASES_VIEW_COMPANY,),
    "returns": (Permission.RETURNS_REQUEST,),
}

AREA_OF: dict[Permission, str] = {
    permission: area for area, rights in PERMISSION_AREAS.items() for permission in rights
}


def area_label_key(area: str) -> str:
    return f"roles.area.{area}"


def permission_label_key(code: str) -> str:
    return f"roles.permission.{code}"


def permission_description_key(code: str) -> str:
    return f"roles.permission.{code}.description"


def builtin_role_name_key(code: str) -> str:
    return f"role.{code}"


def builtin_role_description_key(code: str) -> str:
    return f"roles.builtin.{code}.description"


def rights_by_area(codes: Iterable[str]) -> list[tuple[str, tuple[Permission, ...]]]:
    """The given rights in catalogue order, grouped by area; empty areas and unknown codes
    are left out."""
    held = set(codes)
    grouped = [
        (area, tuple(p for p in rights if p.value in held))
        for area, rights in PERMISSION_AREAS.items()
    ]
    return [(area, rights) for area, rights in grouped if rights]


def builtin_rights(code: str) -> frozenset[str]:
    """The rights of a built-in role by its code; nothing for a code the release lacks."""
    return frozenset(p.value for p in BUILTIN_ROLES.get(code, frozenset()))
