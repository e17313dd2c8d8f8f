"""What a user may do: the union of the rights of all their roles.

Built-in roles take their rights from the code (``BUILTIN_ROLES``), so a right added in a
release reaches every company at once; custom roles keep theirs in ``role_permission``.
Called for every event: one indexed query (user_role by user, role by id, role_permission by
role only for custom roles).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, false, or_
from sqlmodel import Session, col, select

from customer_center.domain.permissions import (
    BUILTIN_ROLES,
    PERMISSION_CODES,
    Permission,
    builtin_rights,
)
from customer_center.models.user import Role, RolePermission, UserRole


def rights_of(session: Session, user_id: int, company_id: int) -> frozenset[str]:
    rows = session.exec(
        select(Role.code, Role.is_builtin, RolePermission.permission)
        .join(UserRole, col(UserRole.role_id) == Role.id)
        .outerjoin(
            RolePermission,
            and_(col(RolePermission.role_id) == Role.id, col(Role.is_builtin) == false()),
        )
        .where(UserRole.user_id == user_id, Role.company_id == company_id)
    ).all()
    rights: set[str] = set()
    for code, builtin, permission in rows:
        if builtin:
            rights |= builtin_rights(code)
        elif permission in PERMISSION_CODES:
            rights.add(permission)
    return frozenset(rights)


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


def holders_of(
    session: Session, company_id: int, permission: Permission, among: Iterable[int] | None = None
) -> frozenset[int]:
    """The users of the company whose roles grant ``permission`` (only those in ``among``
    when given), in one query."""
    builtin = [code for code, rights in BUILTIN_ROLES.items() if permission in rights]
    custom = select(RolePermission.role_id).where(RolePermission.permission == permission)
    query = (
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
    if among is not None:
        query = query.where(col(UserRole.user_id).in_(sorted(set(among))))
    return frozenset(session.exec(query.distinct()).all())
