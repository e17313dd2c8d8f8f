"""The company's roles: built-ins (read-only, rights from the code) and custom roles that
holders of ``roles.manage`` create, rename, give rights and delete."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from sqlalchemy import delete, false, func
from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import (
    BUILTIN_ROLE_ORDER,
    MAIN_CONTACT_ROLE,
    PERMISSION_CODES,
    Permission,
    builtin_rights,
    builtin_role_name_key,
)
from customer_center.domain.principals import Principal
from customer_center.i18n import translate
from customer_center.i18n.catalog import LANGUAGES
from customer_center.models.approval import ApprovalChain
from customer_center.models.budget import SCOPE_COMPANY, SCOPE_ROLE, SCOPE_USER, BudgetRule
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.services import audit
from customer_center.services.people.permissions import role_permissions

NAME_MAX = 100
ErrorMap = dict[str, tuple[str, dict[str, object]]]


@dataclass(frozen=True)
class RoleView:
    id: int
    code: str
    name: str
    is_builtin: bool
    permissions: frozenset[str]
    user_count: int


def role_name(lang: str, code: str, name: str, is_builtin: bool) -> str:
    """What people read: a built-in's name in their language, a custom role's own name."""
    return translate(lang, builtin_role_name_key(code)) if is_builtin else name


def list_roles(session: Session, actor: Principal) -> list[RoleView]:
    """Built-ins in their fixed order, then custom roles by name. Two queries: the roles with
    their user counts (grouped), and the stored rights of all custom roles."""
    rows = session.exec(
        select(Role, func.count(col(UserRole.user_id)))
        .outerjoin(UserRole, col(UserRole.role_id) == Role.id)
        .where(Role.company_id == actor.company_id)
        .group_by(col(Role.id))
    ).all()
    stored = _custom_rights(session, actor.company_id)
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


def create_role(session: Session, actor: Principal, name: str, permissions: Iterable[str]) -> int:
    """A custom role with a generated code (``custom-<id>``); returns its id."""
    own = _require_manager(session, actor)
    errors: ErrorMap = {}
    clean_name = _checked_name(session, actor, name, None, errors)
    wanted = _checked_rights(permissions, frozenset(), own, errors)
    if errors:
        raise ValidationFailed(errors)
    role_id = insert_custom_role(session, actor.company_id, clean_name)
    _store_rights(session, role_id, wanted)
    audit.record_admin(
        session,
        actor,
        "role.created",
        target_type="role",
        target_id=role_id,
        after={"name": clean_name, "permissions": sorted(wanted)},
    )
    return role_id


def insert_custom_role(session: Session, company_id: int, name: str) -> int:
    """A custom role with a generated code (``custom-<id>``) and no rights yet; its id."""
    # A unique placeholder until the id is known: two roles created at once never collide.
    role = Role(company_id=company_id, code=f"new-{uuid4().hex[:16]}", name=name)
    session.add(role)
    session.flush()
    role_id: int = role.id  # type: ignore[assignment]
    role.code = f"custom-{role_id}"
    session.add(role)
    session.flush()
    return role_id


def rename_role(session: Session, actor: Principal, role_id: int, name: str) -> None:
    _change_role(session, actor, role_id, name=name, permissions=None)


def set_role_permissions(
    session: Session, actor: Principal, role_id: int, permissions: Iterable[str]
) -> None:
    _change_role(session, actor, role_id, name=None, permissions=permissions)


def update_role(
    session: Session, actor: Principal, role_id: int, name: str, permissions: Iterable[str]
) -> None:
    """Name and rights in one step, as the role editor saves them: one audit entry."""
    _change_role(session, actor, role_id, name=name, permissions=permissions)


def _change_role(
    session: Session,
    actor: Principal,
    role_id: int,
    *,
    name: str | None,
    permissions: Iterable[str] | None,
) -> None:
    own = _require_manager(session, actor)
    role = _custom_role(session, actor, role_id)
    current = role_permissions(session, role)
    errors: ErrorMap = {}
    new_name = role.name if name is None else _checked_name(session, actor, name, role.id, errors)
    wanted = current if permissions is None else _checked_rights(permissions, current, own, errors)
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
    record_role_change(session, actor, role, before, after)


def record_role_change(
    session: Session, actor: Principal, role: Role, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """One audit entry for what changed of a role, if anything did."""
    if after:
        audit.record_admin(
            session,
            actor,
            "role.changed",
            target_type="role",
            target_id=role.id,
            before=before,
            after=after,
        )


def delete_role(
    session: Session, actor: Principal, role_id: int, move_users_to: int | None = None
) -> None:
    """A role in use goes only with its users moved to another role, in the same transaction;
    a role that approves in an approver chain does not go at all. Its own budget and chain
    defaults go with it."""
    _require_manager(session, actor)
    role = _custom_role(session, actor, role_id)
    gone_id: int = role.id  # type: ignore[assignment]
    check_not_in_chains(session, actor, gone_id)
    holders = list(session.exec(select(UserRole.user_id).where(UserRole.role_id == gone_id)))
    target = _move_target(session, actor, gone_id, move_users_to, len(holders)) if holders else None
    if target is not None:
        _move_users(session, holders, gone_id, target)
    drop_role(session, actor, role, target)


def check_not_in_chains(session: Session, actor: Principal, role_id: int) -> None:
    """A role that approves in an approver chain cannot go."""
    chains = _chains_naming(session, actor.company_id, role_id)
    if chains:
        names = ", ".join(_chain_labels(session, actor, chains))
        raise ServiceError("roles.error.used_in_chain", chains=names)


def drop_role(session: Session, actor: Principal, role: Role, moved_to: int | None) -> None:
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
                col(scoped.company_id) == actor.company_id,
                col(scoped.scope) == SCOPE_ROLE,
                col(scoped.subject_id) == gone_id,
            )
        )
    session.delete(role)
    session.flush()
    audit.record_admin(
        session, actor, "role.deleted", target_type="role", target_id=gone_id, before=before
    )


# --- checks -------------------------------------------------------------------------------


def _require_manager(session: Session, actor: Principal) -> frozenset[str]:
    """The state checks the right before the event; the service checks again, so no caller
    can forget it. Returns the actor's rights."""
    own = actor.rights
    if Permission.ROLES_MANAGE not in own:
        raise ServiceError("error.permission_denied")
    return own


def _company_role(session: Session, actor: Principal, role_id: object, lock: bool = False) -> Role:
    """A role of the actor's company; any other id is simply not found."""
    valid = isinstance(role_id, int) and not isinstance(role_id, bool)
    role = session.get(Role, role_id, with_for_update=lock) if valid else None
    if role is None or role.company_id != actor.company_id:
        raise ServiceError("admin.not_found")
    return role


def _custom_role(session: Session, actor: Principal, role_id: object) -> Role:
    """Locked until the change commits: on PostgreSQL a user_role row that is being added
    for it (a foreign key check) waits, so no holder slips past a move or a deletion."""
    role = _company_role(session, actor, role_id, lock=True)
    if role.is_builtin:
        raise ServiceError("roles.error.builtin")
    return role


def _checked_name(
    session: Session, actor: Principal, name: object, role_id: int | None, errors: ErrorMap
) -> str:
    clean = " ".join(name.split()) if isinstance(name, str) else ""
    if not clean:
        errors["name"] = ("form.required", {})
    elif len(clean) > NAME_MAX:
        errors["name"] = ("form.too_long", {"max": NAME_MAX})
    elif clean.casefold() in _names_in_use(session, actor.company_id, role_id):
        errors["name"] = ("roles.error.name_taken", {})
    return clean


def _names_in_use(session: Session, company_id: int, role_id: int | None) -> set[str]:
    """The other roles' names, case-folded; built-ins count in every language and by code."""
    others = session.exec(
        select(Role.code, Role.name, Role.is_builtin).where(
            Role.company_id == company_id, col(Role.id) != (role_id or 0)
        )
    ).all()
    names: set[str] = set()
    for code, name, builtin in others:
        if builtin:
            names.add(code.replace("_", " ").casefold())
            names.update(role_name(lang, code, name, True).casefold() for lang in LANGUAGES)
        else:
            names.add(name.casefold())
    return names


def _checked_rights(
    permissions: Iterable[str], current: frozenset[str], own: frozenset[str], errors: ErrorMap
) -> frozenset[str]:
    """Rights from the catalogue, at least one; and only rights the actor holds may be
    granted or taken away (a role manager cannot hand out more than they have)."""
    wanted = frozenset(p for p in permissions if isinstance(p, str))
    if not wanted <= PERMISSION_CODES:
        errors["permissions"] = ("roles.error.unknown_permission", {})
    elif not wanted:
        errors["permissions"] = ("roles.error.no_permission", {})
    elif not (wanted ^ current) <= own:
        errors["permissions"] = ("roles.error.right_not_held", {})
    return wanted


def _move_target(
    session: Session, actor: Principal, role_id: int, move_users_to: object, count: int
) -> int:
    if move_users_to is None or move_users_to == role_id:
        raise ValidationFailed({"move_to": ("roles.error.move_users", {"count": count})})
    try:
        target = _company_role(session, actor, move_users_to)
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


# --- approver chains that name a role -----------------------------------------------------


def _chains_naming(session: Session, company_id: int, role_id: int) -> list[ApprovalChain]:
    """Chains with a level whose approvers include the role; the role's own default chain is
    not a reason to keep it (it goes with the role)."""
    chains = session.exec(select(ApprovalChain).where(ApprovalChain.company_id == company_id))
    return [
        chain
        for chain in chains
        if not (chain.scope == SCOPE_ROLE and chain.subject_id == role_id)
        and any(
            isinstance(approver, dict) and approver.get("role_id") == role_id
            for level in chain.levels or []
            if isinstance(level, dict)
            for approver in level.get("approvers") or []
        )
    ]


def _chain_labels(session: Session, actor: Principal, chains: list[ApprovalChain]) -> list[str]:
    """Which chain, in words: the company default, a role's default, or a user's chain."""
    lang = actor.language
    role_ids = [c.subject_id for c in chains if c.scope == SCOPE_ROLE]
    user_ids = [c.subject_id for c in chains if c.scope == SCOPE_USER]
    role_names = {
        rid: role_name(lang, code, name, builtin)
        for rid, code, name, builtin in session.exec(
            select(Role.id, Role.code, Role.name, Role.is_builtin).where(
                Role.company_id == actor.company_id, col(Role.id).in_(role_ids)
            )
        )
    }
    user_names = dict(
        session.exec(
            select(User.id, User.name).where(
                User.company_id == actor.company_id, col(User.id).in_(user_ids)
            )
        ).all()
    )
    labels = []
    for chain in chains:
        if chain.scope == SCOPE_COMPANY:
            labels.append(translate(lang, "roles.chain.company"))
        elif chain.scope == SCOPE_ROLE:
            name = role_names.get(chain.subject_id, f"#{chain.subject_id}")
            labels.append(translate(lang, "roles.chain.role", name=name))
        else:
            name = user_names.get(chain.subject_id, f"#{chain.subject_id}")
            labels.append(translate(lang, "roles.chain.user", name=name))
    return sorted(labels)
