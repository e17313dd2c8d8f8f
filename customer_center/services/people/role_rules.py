"""What a role change must respect: roles of the principal's company only, custom roles only
(built-ins are read-only), a name no other role has (built-ins count by code and by their
names in every language), only rights the principal holds, and no role that approves in an
approver chain goes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import PERMISSION_CODES
from customer_center.domain.principals import Principal
from customer_center.domain.refs import ChainRef, RoleRef
from customer_center.models.approval import ApprovalChain
from customer_center.models.user import Role, User

NAME_MAX = 100
ErrorMap = dict[str, tuple[str, dict[str, object]]]
# A built-in role's names in every language the portal speaks, case-folded (the caller words
# them: ``presenters.people.builtin_role_names``).
BuiltinNames = Callable[[str], Iterable[str]]


def company_role(
    session: Session, principal: Principal, *, role_id: object, lock: bool = False
) -> Role:
    """A role of the principal's company; any other id is simply not found."""
    valid = isinstance(role_id, int) and not isinstance(role_id, bool)
    role = session.get(Role, role_id, with_for_update=lock) if valid else None
    if role is None or not principal.may_touch(role.company_id):
        raise ServiceError("admin.not_found")
    return role


def custom_role(session: Session, principal: Principal, *, role_id: object) -> Role:
    """Locked until the change commits: on PostgreSQL a user_role row that is being added
    for it (a foreign key check) waits, so no holder slips past a move or a deletion."""
    role = company_role(session, principal, role_id=role_id, lock=True)
    if role.is_builtin:
        raise ServiceError("roles.error.builtin")
    return role


def checked_name(
    session: Session,
    principal: Principal,
    *,
    name: object,
    role_id: int | None,
    builtin_names: BuiltinNames,
    errors: ErrorMap,
) -> str:
    """The name tidied (inner spaces collapsed); what is wrong with it goes into ``errors``."""
    clean = " ".join(name.split()) if isinstance(name, str) else ""
    if not clean:
        errors["name"] = ("form.required", {})
    elif len(clean) > NAME_MAX:
        errors["name"] = ("form.too_long", {"max": NAME_MAX})
    elif clean.casefold() in _names_in_use(session, principal.company_id, role_id, builtin_names):
        errors["name"] = ("roles.error.name_taken", {})
    return clean


def _names_in_use(
    session: Session, company_id: int, role_id: int | None, builtin_names: BuiltinNames
) -> set[str]:
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
            names.update(builtin_names(code))
        else:
            names.add(name.casefold())
    return names


def checked_rights(
    permissions: Iterable[str], current: frozenset[str], own: frozenset[str], errors: ErrorMap
) -> frozenset[str]:
    """Rights from the catalogue, at least one; and only rights the principal holds may be
    granted or taken away (a role manager cannot hand out more than they have)."""
    wanted = frozenset(p for p in permissions if isinstance(p, str))
    if not wanted <= PERMISSION_CODES:
        errors["permissions"] = ("roles.error.unknown_permission", {})
    elif not wanted:
        errors["permissions"] = ("roles.error.no_permission", {})
    elif not (wanted ^ current) <= own:
        errors["permissions"] = ("roles.error.right_not_held", {})
    return wanted


# --- approver chains that name a role -----------------------------------------------------


def check_not_in_chains(session: Session, principal: Principal, *, role_id: int) -> None:
    """A role that approves in an approver chain cannot go; the refusal names the chains."""
    chains = _chains_naming(session, principal.company_id, role_id)
    if chains:
        raise ServiceError(
            "roles.error.used_in_chain", chains=_chain_refs(session, principal, chains)
        )


def _chains_naming(session: Session, company_id: int, role_id: int) -> list[ApprovalChain]:
    """Chains with a level whose approvers include the role; the role's own default chain is
    not a reason to keep it (it goes with the role)."""
    chains = session.exec(select(ApprovalChain).where(ApprovalChain.company_id == company_id))
    return [
        chain
        for chain in chains
        if not (chain.scope == RuleScope.ROLE and chain.subject_id == role_id)
        and any(
            isinstance(approver, dict) and approver.get("role_id") == role_id
            for level in chain.levels or []
            if isinstance(level, dict)
            for approver in level.get("approvers") or []
        )
    ]


def _chain_refs(
    session: Session, principal: Principal, chains: list[ApprovalChain]
) -> tuple[ChainRef, ...]:
    """Which chains: the company default, a role's default (the role), a user's (the name)."""
    role_ids = [c.subject_id for c in chains if c.scope == RuleScope.ROLE]
    user_ids = [c.subject_id for c in chains if c.scope == RuleScope.USER]
    found_roles = {
        rid: RoleRef(code, name, builtin)
        for rid, code, name, builtin in session.exec(
            select(Role.id, Role.code, Role.name, Role.is_builtin).where(
                Role.company_id == principal.company_id, col(Role.id).in_(role_ids)
            )
        )
    }
    user_names = dict(
        session.exec(
            select(User.id, User.name).where(
                User.company_id == principal.company_id, col(User.id).in_(user_ids)
            )
        ).all()
    )
    return tuple(
        ChainRef(
            scope=chain.scope,
            user_name=user_names.get(chain.subject_id, "") if chain.scope == RuleScope.USER else "",
            role=found_roles.get(chain.subject_id) if chain.scope == RuleScope.ROLE else None,
            subject_id=chain.subject_id,
        )
        for chain in chains
    )
