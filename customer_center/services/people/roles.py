"""The company's roles: built-ins (read-only, rights from the code) and custom roles that
holders of ``roles.manage`` create, rename, give rights and delete. The rules they follow
are in :mod:`role_rules`; the names of built-ins are worded by the caller (presenters)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from sqlalchemy import delete, false, func
from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import (
    BUILTIN_ROLE_ORDER,
    MAIN_CONTACT_ROLE,
    PERMISSION_CODES,
    Permission,
    builtin_rights,
)
from customer_center.domain.principals import Principal
from customer_center.models.approval import ApprovalChain
from customer_center.models.budget import BudgetRule
from customer_center.models.user import Role, RolePermission, UserRole
from customer_center.services import audit
from customer_center.services.people.permissions import role_permissions
from customer_center.services.people.role_rules import (
    BuiltinNames,
    ErrorMap,
    check_not_in_chains,
    checked_name,
    checked_rights,
    company_role,
    custom_role,
)


@dataclass(frozen=True)
class RoleView:
    id: int
    code: str
    name: str
    is_builtin: bool
    permissions: frozenset[str]
    user_count: int


def list_roles(session: Session, principal: Principal) -> list[RoleView]:
    """Built-ins in their fixed order, then custom roles by name. Two queries: the roles with
    their user counts (grouped), and the stored rights of all custom roles."""
    rows = session.exec(
        select(Role, func.count(col(UserRole.user_id)))
        .outerjoin(UserRole, col(UserRole.role_id) == Role.id)
        .where(Role.company_id == principal.company_id)
        .group_by(col(Role.id))
    ).all()
    stored = _custom_rights(session, principal.company_id)
    views = [
        RoleView(
            id=role.id or 0,
            code=role.code,
            name=role.name,
            is_builtin=role.is_builtin,
            permissions=role_permissions_from(role, stored),
            user_count=count,
        )
        for role, count in rows
    ]
    order = {code: n for n, code in enumerate(BUILTIN_ROLE_ORDER)}
    return sorted(
        views,
        key=lambda v: (not v.is_builtin, order.get(v.code, len(order)), v.name.casefold()),
    )


def _custom_rights(session: Session, company_id: int) -> dict[int, set[str]]:
    rows = session.exec(
        select(RolePermission.role_id, RolePermission.permission)
        .join(Role, col(Role.id) == RolePermission.role_id)
        .where(Role.company_id == company_id, col(Role.is_builtin) == false())
    ).all()
    rights: dict[int, set[str]] = {}
    for role_id, permission in rows:
        rights.setdefault(role_id, set()).add(permission)
    return rights


def role_permissions_from(role: Role, stored: dict[int, set[str]]) -> frozenset[str]:
    if role.is_builtin:
        return builtin_rights(role.code)
    return frozenset(stored.get(role.id or 0, set()) & PERMISSION_CODES)


def create_role(
    session: Session,
    principal: Principal,
    *,
    name: str,
    permissions: Iterable[str],
    builtin_names: BuiltinNames,
) -> int:
    """A custom role with a generated code (``custom-<id>``); returns its id."""
    principal.require(Permission.ROLES_MANAGE)
    own = principal.rights
    errors: ErrorMap = {}
    clean_name = checked_name(
        session, principal, name=name, role_id=None, builtin_names=builtin_names, errors=errors
    )
    wanted = checked_rights(permissions, frozenset(), own, errors)
    if errors:
        raise ValidationFailed(errors)
    role_id = insert_custom_role(session, principal, name=clean_name)
    _store_rights(session, role_id, wanted)
    audit.record_admin(
        session,
        principal,
        action="role.created",
        target_type="role",
        target_id=role_id,
        after={"name": clean_name, "permissions": sorted(wanted)},
    )
    return role_id


def insert_custom_role(session: Session, principal: Principal, *, name: str) -> int:
    """A custom role with a generated code (``custom-<id>``) and no rights yet; its id."""
    # A unique placeholder until the id is known: two roles created at once never collide.
    role = Role(company_id=principal.company_id, code=f"new-{uuid4().hex[:16]}", name=name)
    session.add(role)
    session.flush()
    role_id: int = role.id  # type: ignore[assignment]
    role.code = f"custom-{role_id}"
    session.add(role)
    session.flush()
    return role_id


def rename_role(
    session: Session, principal: Principal, *, role_id: int, name: str, builtin_names: BuiltinNames
) -> None:
    _change_role(session, principal, role_id, name, None, builtin_names)


def set_role_permissions(
    session: Session, principal: Principal, *, role_id: int, permissions: Iterable[str]
) -> None:
    _change_role(session, principal, role_id, None, permissions, lambda _code: ())


def update_role(
    session: Session,
    principal: Principal,
    *,
    role_id: int,
    name: str,
    permissions: Iterable[str],
    builtin_names: BuiltinNames,
) -> None:
    """Name and rights in one step, as the role editor saves them: one audit entry."""
    _change_role(session, principal, role_id, name, permissions, builtin_names)


def _change_role(
    session: Session,
    principal: Principal,
    role_id: int,
    name: str | None,
    permissions: Iterable[str] | None,
    builtin_names: BuiltinNames,
) -> None:
    principal.require(Permission.ROLES_MANAGE)
    own = principal.rights
    role = custom_role(session, principal, role_id=role_id)
    current = role_permissions(session, role)
    errors: ErrorMap = {}
    new_name = (
        role.name
        if name is None
        else checked_name(
            session,
            principal,
            name=name,
            role_id=role.id,
            builtin_names=builtin_names,
            errors=errors,
        )
    )
    wanted = current if permissions is None else checked_rights(permissions, current, own, errors)
    if errors:
        raise ValidationFailed(errors)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if new_name != role.name:
        before["name"], after["name"] = role.name, new_name
        role.name = new_name
        session.add(role)
    if wanted != current:
        before["permissions"], after["permissions"] = sorted(current), sorted(wanted)
        _store_rights(session, role.id, wanted)  # type: ignore[arg-type]
    record_role_change(session, principal, role=role, before=before, after=after)


def record_role_change(
    session: Session,
    principal: Principal,
    *,
    role: Role,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """One audit entry for what changed of a role, if anything did."""
    if after:
        audit.record_admin(
            session,
            principal,
            action="role.changed",
            target_type="role",
            target_id=role.id,
            before=before,
            after=after,
        )


def delete_role(
    session: Session, principal: Principal, *, role_id: int, move_users_to: int | None = None
) -> None:
    """A role in use goes only with its users moved to another role, in the same transaction;
    a role that approves in an approver chain does not go at all. Its own budget and chain
    defaults go with it."""
    principal.require(Permission.ROLES_MANAGE)
    role = custom_role(session, principal, role_id=role_id)
    gone_id: int = role.id  # type: ignore[assignment]
    check_not_in_chains(session, principal, role_id=gone_id)
    holders = list(session.exec(select(UserRole.user_id).where(UserRole.role_id == gone_id)))
    target = (
        _move_target(session, principal, gone_id, move_users_to, len(holders)) if holders else None
    )
    if target is not None:
        _move_users(session, holders, gone_id, target)
    drop_role(session, principal, role=role, moved_to=target)


def drop_role(session: Session, principal: Principal, *, role: Role, moved_to: int | None) -> None:
    """Delete a custom role nobody holds any more, with its rights and its own budget and
    chain defaults."""
    gone_id: int = role.id  # type: ignore[assignment]
    before = {
        "name": role.name,
        "permissions": sorted(role_permissions(session, role)),
        "users_moved_to": moved_to,
    }
    session.execute(delete(RolePermission).where(col(RolePermission.role_id) == gone_id))
    for scoped in (BudgetRule, ApprovalChain):
        session.execute(
            delete(scoped).where(
                col(scoped.company_id) == principal.company_id,
                col(scoped.scope) == RuleScope.ROLE,
                col(scoped.subject_id) == gone_id,
            )
        )
    session.delete(role)
    session.flush()
    audit.record_admin(
        session,
        principal,
        action="role.deleted",
        target_type="role",
        target_id=gone_id,
        before=before,
    )


def _move_target(
    session: Session, principal: Principal, role_id: int, move_users_to: object, count: int
) -> int:
    if move_users_to is None or move_users_to == role_id:
        raise ValidationFailed({"move_to": ("roles.error.move_users", {"count": count})})
    try:
        target = company_role(session, principal, role_id=move_users_to)
    except ServiceError:
        raise ServiceError("admin.not_found", field="move_to") from None
    if target.code == MAIN_CONTACT_ROLE and target.is_builtin:
        # There is exactly one main contact; the role moves only by handover.
        raise ServiceError("roles.error.move_to_main_contact", field="move_to")
    return target.id  # type: ignore[return-value]


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


def _store_rights(session: Session, role_id: int, permissions: frozenset[str]) -> None:
    session.execute(delete(RolePermission).where(col(RolePermission.role_id) == role_id))
    session.add_all(RolePermission(role_id=role_id, permission=p) for p in sorted(permissions))
    session.flush()
