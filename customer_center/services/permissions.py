"""What a user may do: the union of the rights of all their roles.

Built-in roles take their rights from the code (``BUILTIN_ROLES``), so a right added in a
release reaches every company at once; custom roles keep theirs in ``role_permission``.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from customer_center.domain.permissions import BUILTIN_ROLES
from customer_center.models.user import Role, RolePermission, UserRole


def permissions_of(session: Session, user_id: int, company_id: int) -> frozenset[str]:
    """Two indexed queries: the user's roles, then the stored rights of the custom ones."""
    roles = session.exec(
        select(Role.id, Role.code, Role.is_builtin)
        .join(UserRole, col(UserRole.role_id) == Role.id)
        .where(UserRole.user_id == user_id, Role.company_id == company_id)
    ).all()
    rights: set[str] = set()
    custom = [role_id for role_id, code, builtin in roles if not builtin]
    for _role_id, code, builtin in roles:
        if builtin:
            rights.update(BUILTIN_ROLES.get(code, frozenset()))
    if custom:
        rights.update(
            session.exec(
                select(RolePermission.permission).where(col(RolePermission.role_id).in_(custom))
            ).all()
        )
    return frozenset(rights)


def role_permissions(session: Session, role: Role) -> frozenset[str]:
    if role.is_builtin:
        return frozenset(BUILTIN_ROLES.get(role.code, frozenset()))
    return frozenset(
        session.exec(select(RolePermission.permission).where(RolePermission.role_id == role.id))
    )
