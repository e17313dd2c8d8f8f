"""What a user may do: the union of the rights of all their roles."""

from __future__ import annotations

from sqlmodel import Session, select

from customer_center.models.user import Role, RolePermission, UserRole


def permissions_of(session: Session, user_id: int, company_id: int) -> frozenset[str]:
    rows = session.exec(
        select(RolePermission.permission)
        .join(Role, Role.id == RolePermission.role_id)  # type: ignore[arg-type]
        .join(UserRole, UserRole.role_id == Role.id)  # type: ignore[arg-type]
        .where(UserRole.user_id == user_id, Role.company_id == company_id)
    ).all()
    return frozenset(rows)
