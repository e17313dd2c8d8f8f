"""The rights of a role, and who in a company holds a right.

Built-in roles take their rights from the code (``BUILTIN_ROLES``), so a right added in a
release reaches every company at once; custom roles keep theirs in ``role_permission``. A
signed-in user's own rights are resolved once per event with the principal
(``auth.principals.rights_of``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from customer_center.domain.permissions import (
    BUILTIN_ROLES,
    PERMISSION_CODES,
    Permission,
    builtin_rights,
)
from customer_center.models.user import Role, RolePermission, UserRole


def role_permissions(session: Session, role: Role) -> frozenset[str]:
    """The rights of one role of the company (built-in from the code, custom as stored)."""
    if role.is_builtin:
        return builtin_rights(role.code)
    return frozenset(
        p
        for p in session.exec(
            select(RolePermission.permission).where(RolePermission.role_id == role.id)
        )
        if p in PERMISSION_CODES
    )


def holders_query(company_id: int, permission: Permission) -> Any:
    """SELECT of the users of the company whose roles grant ``permission``: to filter by in
    SQL, where a list of ids would run to thousands."""
    builtin = [code for code, rights in BUILTIN_ROLES.items() if permission in rights]
    custom = select(RolePermission.role_id).where(RolePermission.permission == permission)
    return (
        select(UserRole.user_id)
        .join(Role, col(Role.id) == UserRole.role_id)
        .where(
            Role.company_id == company_id,
            or_(
                and_(col(Role.is_builtin), col(Role.code).in_(builtin)),
                and_(~col(Role.is_builtin), col(Role.id).in_(custom)),
            ),
        )
    )


def holders_of(
    session: Session, company_id: int, permission: Permission, among: Iterable[int] | None = None
) -> frozenset[int]:
    """The users of the company whose roles grant ``permission`` (only those in ``among``
    when given), in one query."""
    query = holders_query(company_id, permission)
    if among is not None:
        query = query.where(col(UserRole.user_id).in_(sorted(set(among))))
    return frozenset(session.exec(query.distinct()).all())
