"""The company's roles: built-ins (read-only) and custom roles the main contact defines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from customer_center.auth.sessions import Actor
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import ALL_PERMISSIONS, BUILTIN_ROLE_ORDER
from customer_center.models.approval import ApprovalChain
from customer_center.models.budget import SCOPE_ROLE, BudgetRule
from customer_center.models.user import Role, RolePermission, UserRole
from customer_center.services import audit
from customer_center.services.permissions import role_permissions

NAME_MAX = 100


@dataclass(frozen=True)
class RoleView:
    id: int
    code: str
    name: str
    is_builtin: bool
    permissions: frozenset[str]
    user_count: int


def list_roles(session: Session, actor: Actor) -> list[RoleView]:
    """Built-ins in their fixed order, then custom roles by name; user counts in one query."""
    roles = session.exec(select(Role).where(Role.company_id == actor.company_id)).all()
    counts = dict(
        session.exec(
            select(UserRole.role_id, func.count())
            .where(col(UserRole.role_id).in_([r.id for r in roles]))
            .group_by(col(UserRole.role_id))
        ).all()
    )
    views = [
        RoleView(
            r.id or 0,
            r.code,
            r.name,
            r.is_builtin,
            role_permissions(session, r),
            counts.get(r.id or 0, 0),
        )
        for r in roles
    ]
    order = {code: n for n, code in enumerate(BUILTIN_ROLE_ORDER)}
    return sorted(views, key=lambda v: (not v.is_builtin, order.get(v.code, 0), v.name.lower()))


def company_role(session: Session, actor: Actor, role_id: object) -> Role:
    role = session.get(Role, role_id) if isinstance(role_id, int) else None
    if role is None or role.company_id != actor.company_id:
        raise ServiceError("admin.not_found")
    return role


def _custom_role(session: Session, actor: Actor, role_id: object) -> Role:
    role = company_role(session, actor, role_id)
    if role.is_builtin:
        raise ServiceError("roles.error.builtin")
    return role


def _checked(
    session: Session, actor: Actor, name: str, permissions: Iterable[str], role_id: int | None
) -> tuple[str, set[str]]:
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = ("form.required", {})
    elif len(name) > NAME_MAX:
        errors["name"] = ("form.too_long", {"max": NAME_MAX})
    elif _name_taken(session, actor, name, role_id):
        errors["name"] = ("roles.error.name_taken", {})
    wanted = set(permissions)
    if not wanted <= {p.value for p in ALL_PERMISSIONS}:
        errors["permissions"] = ("roles.error.unknown_permission", {})
    elif not wanted:
        errors["permissions"] = ("roles.error.no_permission", {})
    if errors:
        raise ValidationFailed(errors)
    return name, wanted


def _name_taken(session: Session, actor: Actor, name: str, role_id: int | None) -> bool:
    """Custom names must differ from each other and from the built-ins' codes."""
    others = session.exec(
        select(Role.name, Role.code, Role.is_builtin).where(
            Role.company_id == actor.company_id, col(Role.id) != (role_id or 0)
        )
    ).all()
    taken = {(code if builtin else other).lower() for other, code, builtin in others}
    return name.lower() in taken or name.lower().replace(" ", "_") in taken


def _set_permissions(session: Session, role_id: int, permissions: set[str]) -> None:
    session.execute(delete(RolePermission).where(col(RolePermission.role_id) == role_id))
    session.add_all(RolePermission(role_id=role_id, permission=p) for p in sorted(permissions))


def create_role(session: Session, actor: Actor, name: str, permissions: Iterable[str]) -> int:
    name, wanted = _checked(session, actor, name, permissions, None)
    role = Role(company_id=actor.company_id, code="custom", name=name)
    session.add(role)
    session.flush()
    role.code = f"custom-{role.id}"
    _set_permissions(session, role.id, wanted)  # type: ignore[arg-type]
    audit.record_admin(
        session,
        actor,
        "role.created",
        target_type="role",
        target_id=role.id,
        after={"name": name, "permissions": sorted(wanted)},
    )
    return role.id  # type: ignore[return-value]


def update_role(
    session: Session, actor: Actor, role_id: int, name: str, permissions: Iterable[str]
) -> None:
    role = _custom_role(session, actor, role_id)
    name, wanted = _checked(session, actor, name, permissions, role.id)
    before = {"name": role.name, "permissions": sorted(role_permissions(session, role))}
    role.name = name
    session.add(role)
    _set_permissions(session, role.id, wanted)  # type: ignore[arg-type]
    audit.record_admin(
        session,
        actor,
        "role.changed",
        target_type="role",
        target_id=role.id,
        before=before,
        after={"name": name, "permissions": sorted(wanted)},
    )


def chains_using_role(session: Session, company_id: int, role_id: int) -> list[ApprovalChain]:
    chains = session.exec(select(ApprovalChain).where(ApprovalChain.company_id == company_id)).all()
    return [
        chain
        for chain in chains
        if any(
            approver.get("role_id") == role_id
            for level in chain.levels
            for approver in level.get("approvers", [])
        )
    ]


def delete_role(
    session: Session, actor: Actor, role_id: int, move_users_to: int | None = None
) -> None:
    """A role in use goes only with its users moved to another role, in the same step."""
    role = _custom_role(session, actor, role_id)
    if chains_using_role(session, actor.company_id, role.id):  # type: ignore[arg-type]
        raise ServiceError("roles.error.used_in_chain")
    users = session.exec(select(UserRole.user_id).where(UserRole.role_id == role.id)).all()
    if users:
        if move_users_to is None or move_users_to == role.id:
            raise ValidationFailed({"move_to": ("roles.error.move_users", {"count": len(users)})})
        target = company_role(session, actor, move_users_to)
        if target.code == "main_contact":
            raise ValidationFailed({"move_to": ("roles.error.move_users", {"count": len(users)})})
        _move_users(session, users, role.id, target.id)  # type: ignore[arg-type]
    before = {"name": role.name, "permissions": sorted(role_permissions(session, role))}
    session.execute(delete(RolePermission).where(col(RolePermission.role_id) == role.id))
    for scoped in (BudgetRule, ApprovalChain):
        session.execute(
            delete(scoped).where(
                col(scoped.company_id) == actor.company_id,
                col(scoped.scope) == SCOPE_ROLE,
                col(scoped.subject_id) == role.id,
            )
        )
    session.delete(role)
    audit.record_admin(
        session,
        actor,
        "role.deleted",
        target_type="role",
        target_id=role_id,
        before={**before, "users_moved_to": move_users_to if users else None},
    )


def _move_users(session: Session, user_ids: list[int], from_role: int, to_role: int) -> None:
    holding = set(
        session.exec(
            select(UserRole.user_id).where(
                UserRole.role_id == to_role, col(UserRole.user_id).in_(user_ids)
            )
        ).all()
    )
    session.execute(delete(UserRole).where(col(UserRole.role_id) == from_role))
    session.add_all(UserRole(user_id=u, role_id=to_role) for u in user_ids if u not in holding)
    session.flush()
