"""Stored approver chains: load a company snapshot, save checked chains, route, preview."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.domain.chains import (
    RULES,
    Approver,
    ApproverRef,
    Away,
    Directory,
    Level,
    PreviewLine,
    Problem,
    RouteStep,
    chain_problems,
    effective_approver,
    preview_lines,
    resolve_route,
    self_approval_only,
    stands_in_for,
)
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern
from customer_center.domain.order_states import StepStatus
from customer_center.domain.people import RuleScope, UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.refs import RoleRef
from customer_center.models.approval import Absence, ApprovalChain
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.order import ApprovalStep
from customer_center.models.user import Role, User, UserRole
from customer_center.services import audit
from customer_center.services.people.budgets import check_subject
from customer_center.services.people.permissions import holders_of, holders_query


def load_directory(session: Session, company_id: int) -> Directory:
    """The company's users, roles, memberships, rights to decide and absences in six small
    queries."""
    users = session.exec(
        select(User.id, User.name, User.status, User.is_main_contact).where(
            User.company_id == company_id
        )
    ).all()
    active = frozenset(uid for uid, _n, status, _m in users if status == UserStatus.ACTIVE)
    roles = session.exec(
        select(Role.id, Role.code, Role.name, Role.is_builtin).where(Role.company_id == company_id)
    ).all()
    members: dict[int, list[int]] = {}
    for role_id, user_id in session.exec(
        select(UserRole.role_id, UserRole.user_id).where(
            col(UserRole.role_id).in_([r[0] for r in roles])
        )
    ).all():
        if user_id in active:
            members.setdefault(role_id, []).append(user_id)
    return Directory(
        names={uid: name for uid, name, _s, _m in users},  # type: ignore[misc]
        active=active,  # type: ignore[arg-type]
        role_names={rid or 0: RoleRef(code, name, builtin) for rid, code, name, builtin in roles},
        role_members={rid: tuple(sorted(m)) for rid, m in members.items()},
        main_contact_id=next((uid for uid, _n, _s, main in users if main), None),
        deciders=holders_of(session, company_id, Permission.APPROVALS_DECIDE),
        absences=_absences(session, company_id),
        invited=frozenset(uid for uid, _n, status, _m in users if status == UserStatus.INVITED),  # type: ignore[misc]
    )


def _absences(
    session: Session, company_id: int, on: date | None = None
) -> dict[int, tuple[Away, ...]]:
    """Everyone's planned absences (only those covering ``on`` when given), by person, in
    order."""
    query = select(Absence).where(Absence.company_id == company_id)
    if on is not None:
        query = query.where(col(Absence.starts_on) <= on, col(Absence.ends_on) >= on)
    found: dict[int, list[Away]] = {}
    for a in session.exec(query.order_by(col(Absence.starts_on))).all():
        found.setdefault(a.user_id, []).append(Away(a.starts_on, a.ends_on, a.substitute_id))
    return {user_id: tuple(periods) for user_id, periods in found.items()}


def deputy_directory(session: Session, company_id: int, also: Iterable[int] = ()) -> Directory:
    """Enough of the company to tell whose approvals fall to the main contact today.

    Loaded: absent people and their substitutes, users who are not active, designated
    approvers of waiting steps who lack approvals.decide, the main contact and ``also``.
    Anyone else is an active decider who is not away: they decide for themselves, so they
    are left out (thousands in a large company), and ``stands_in_for`` of the main contact
    is complete. Roles are not loaded; for anyone but the main contact ``routing_directory``
    is enough.
    """
    absences = _absences(session, company_id)
    wanted = set(also) | set(absences) | {a.substitute_id for p in absences.values() for a in p}
    waiting = select(ApprovalStep.approver_id).where(
        ApprovalStep.company_id == company_id, ApprovalStep.status == StepStatus.WAITING
    )
    deciders = holders_query(company_id, Permission.APPROVALS_DECIDE)
    unreachable = and_(col(User.id).in_(waiting), col(User.id).not_in(deciders))
    inactive = col(User.status) != UserStatus.ACTIVE
    return _directory(session, company_id, wanted, absences, inactive, unreachable)


def routing_directory(
    session: Session, company_id: int, people: Iterable[int], today: date
) -> Directory:
    """Enough to tell who decides today for each of ``people``, and whose approvals one of
    them decides today unless they are the main contact: the people away today (their
    substitutes, and the substitutes' own absences, follow), ``people`` and the main contact.
    A handful of rows where ``deputy_directory`` reads every waiting approver of the company
    (thousands in a large one: the order page and the approvals badge read it per event)."""
    absences = _absences(session, company_id, on=today)
    wanted = set(people) | set(absences) | {a.substitute_id for p in absences.values() for a in p}
    return _directory(session, company_id, wanted, absences)


def _directory(
    session: Session,
    company_id: int,
    wanted: set[int],
    absences: dict[int, tuple[Away, ...]],
    *also_where: Any,
) -> Directory:
    """The ``wanted`` users of the company, the main contact and whoever ``also_where``
    selects: names, status and whether they may decide approvals, in one query."""
    holds_right = col(User.id).in_(holders_query(company_id, Permission.APPROVALS_DECIDE))
    rows = session.execute(
        sa_select(
            col(User.id), col(User.name), col(User.status), col(User.is_main_contact), holds_right
        ).where(
            col(User.company_id) == company_id,
            or_(col(User.id).in_(wanted), col(User.is_main_contact), *also_where),
        )
    ).all()
    users = [_Person(int(r[0]), r[1], r[2], bool(r[3]), bool(r[4])) for r in rows]
    return Directory(
        names={p.id: p.name for p in users},
        active=frozenset(p.id for p in users if p.status == UserStatus.ACTIVE),
        role_names={},
        role_members={},
        main_contact_id=next((p.id for p in users if p.is_main_contact), None),
        deciders=frozenset(p.id for p in users if p.holds_right),
        absences=absences,
        invited=frozenset(p.id for p in users if p.status == UserStatus.INVITED),
    )


@dataclass(frozen=True)
class _Person:
    """A row of ``_directory``'s query."""

    id: int
    name: str
    status: str
    is_main_contact: bool
    holds_right: bool


def levels_from_json(stored: list[dict[str, Any]]) -> list[Level]:
    return [
        Level(
            rule=level.get("rule", "any"),
            approvers=tuple(
                ApproverRef(user_id=a.get("user_id"), role_id=a.get("role_id"))
                for a in level.get("approvers", [])
            ),
            min_order_value_cents=level.get("min_order_value_cents"),
        )
        for level in stored
    ]


def levels_to_json(levels: list[Level]) -> list[dict[str, Any]]:
    return [
        {
            "rule": level.rule,
            "min_order_value_cents": level.min_order_value_cents,
            "approvers": [
                {"user_id": a.user_id} if a.user_id is not None else {"role_id": a.role_id}
                for a in level.approvers
            ],
        }
        for level in levels
    ]


def parse_levels(payload: object) -> list[Level]:
    """Levels as the browser sends them; anything malformed is refused, not repaired."""
    if not isinstance(payload, list) or len(payload) > 20:
        raise ServiceError("error.invalid_input")
    levels = []
    for raw in payload:
        if not isinstance(raw, dict) or raw.get("rule") not in RULES:
            raise ServiceError("error.invalid_input")
        threshold = raw.get("min_order_value_cents")
        approvers = raw.get("approvers")
        if (threshold is not None and type(threshold) is not int) or not isinstance(
            approvers, list
        ):
            raise ServiceError("error.invalid_input")
        levels.append(Level(raw["rule"], tuple(_parse_ref(a) for a in approvers[:50]), threshold))
    return levels


def _parse_ref(raw: object) -> ApproverRef:
    if isinstance(raw, dict) and set(raw) == {"user_id"} and type(raw["user_id"]) is int:
        return ApproverRef(user_id=raw["user_id"])
    if isinstance(raw, dict) and set(raw) == {"role_id"} and type(raw["role_id"]) is int:
        return ApproverRef(role_id=raw["role_id"])
    raise ServiceError("error.invalid_input")


def _stored(session: Session, company_id: int, scope: str, subject: int) -> ApprovalChain | None:
    return session.exec(
        select(ApprovalChain).where(
            ApprovalChain.company_id == company_id,
            ApprovalChain.scope == scope,
            ApprovalChain.subject_id == subject,
        )
    ).first()


def chain_of(
    session: Session, principal: CustomerUser, *, scope: str, subject_id: int
) -> list[Level] | None:
    subject = check_subject(session, principal, scope=scope, subject_id=subject_id)
    stored = _stored(session, principal.company_id, scope, subject)
    return levels_from_json(stored.levels) if stored else None


def problems_by_key(problems: list[Problem]) -> dict[str, tuple[Problem, ...]]:
    """Problems keyed ``level-<n>`` (``chain`` for the whole chain)."""
    found: dict[str, tuple[Problem, ...]] = {}
    for problem in problems:
        key = f"level-{problem.level}" if problem.level else "chain"
        found[key] = (*found.get(key, ()), problem)
    return found


def save_chain(
    session: Session,
    principal: CustomerUser,
    *,
    scope: str,
    subject_id: int,
    levels_payload: object,
) -> None:
    """Store the levels the browser sent (``levels_to_json`` shape) once they are well-formed,
    name only people and roles of the principal's company, and have no problem."""
    subject = check_subject(session, principal, scope=scope, subject_id=subject_id)
    levels = parse_levels(levels_payload)
    if not levels:  # an empty own chain would hide the defaults instead of using them
        clear_chain(session, principal, scope=scope, subject_id=subject)
        return
    directory = load_directory(session, principal.company_id)
    owner = subject if scope == RuleScope.USER else None
    problems = chain_problems(levels, directory, owner)
    if problems:
        raise ValidationFailed(
            {
                key: ("chains.problem.text", {"text": found})
                for key, found in problems_by_key(problems).items()
            }
        )
    stored = _stored(session, principal.company_id, scope, subject)
    before = stored.levels if stored else None
    stored = stored or ApprovalChain(
        company_id=principal.company_id, scope=scope, subject_id=subject
    )
    stored.levels, stored.updated_at = levels_to_json(levels), utcnow()
    session.add(stored)
    audit.record_admin(
        session,
        principal,
        action="chain.saved",
        target_type=f"chain_{scope}",
        target_id=subject,
        before={"levels": before} if before is not None else None,
        after={"levels": stored.levels},
    )


def clear_chain(session: Session, principal: CustomerUser, *, scope: str, subject_id: int) -> None:
    subject = check_subject(session, principal, scope=scope, subject_id=subject_id)
    stored = _stored(session, principal.company_id, scope, subject)
    if stored is None:
        return
    before = {"levels": stored.levels}
    session.delete(stored)
    audit.record_admin(
        session,
        principal,
        action="chain.cleared",
        target_type=f"chain_{scope}",
        target_id=subject,
        before=before,
    )


def chain_for_user(
    session: Session, company_id: int, user_id: int
) -> tuple[list[Level], str | None]:
    """The user's own chain, else the default of their first role that has one, else the
    company default; no chain at all means the main contact approves."""
    chains = {
        (c.scope, c.subject_id): c
        for c in session.exec(select(ApprovalChain).where(ApprovalChain.company_id == company_id))
    }
    role_ids = sorted(session.exec(select(UserRole.role_id).where(UserRole.user_id == user_id)))
    for key, source in (
        [((RuleScope.USER, user_id), RuleScope.USER)]
        + [((RuleScope.ROLE, r), RuleScope.ROLE) for r in role_ids]
        + [((RuleScope.COMPANY, 0), RuleScope.COMPANY)]
    ):
        if key in chains:
            return levels_from_json(chains[key].levels), source
    return [], None


def route_for_order(
    session: Session, company_id: int, requester_id: int, order_value_cents: int, today: date
) -> list[RouteStep]:
    """What the ordering flow asks when an order needs approval."""
    levels, _source = chain_for_user(session, company_id, requester_id)
    return resolve_route(
        levels, requester_id, order_value_cents, load_directory(session, company_id), today
    )


@dataclass(frozen=True)
class Preview:
    """Where an order of ``order_value_cents`` by ``requester`` would go: the steps in names
    (none: the main contact's own order that nobody else can decide)."""

    order_value_cents: int
    currency: str
    requester: str
    self_only: bool
    lines: list[PreviewLine]


def preview(
    session: Session,
    principal: CustomerUser,
    *,
    user_id: int,
    order_value_cents: int,
    today: date,
    levels: list[Level] | None = None,
) -> Preview:
    """The route an order of ``order_value_cents`` by the user would take today."""
    check_subject(session, principal, scope=RuleScope.USER, subject_id=user_id)
    return company_preview(
        session,
        principal.company_id,
        user_id=user_id,
        order_value_cents=order_value_cents,
        today=today,
        levels=levels,
    )


def company_preview(
    session: Session,
    company_id: int,
    *,
    user_id: int,
    order_value_cents: int,
    today: date,
    levels: list[Level] | None = None,
) -> Preview:
    """:func:`preview` for a user already known to be of ``company_id`` (also read by the
    seller's console)."""
    directory = load_directory(session, company_id)
    if levels is None:
        levels, _source = chain_for_user(session, company_id, user_id)
    route = resolve_route(levels, user_id, order_value_cents, directory, today)
    company = session.get(Company, company_id)
    return Preview(
        order_value_cents=order_value_cents,
        currency=company.currency if company else "EUR",
        requester=directory.names.get(user_id, "?"),
        self_only=self_approval_only(route),
        lines=preview_lines(route, directory),
    )


def deciders_today(
    session: Session, company_id: int, user_ids: list[int], today: date
) -> list[Approver]:
    """Who decides today what is assigned to each of ``user_ids`` (approvals already
    waiting), from one routing directory however many they are."""
    directory = routing_directory(session, company_id, user_ids, today)
    return [effective_approver(user_id, directory, today) for user_id in user_ids]


def standing_in_for(session: Session, company_id: int, user_id: int, today: date) -> frozenset[int]:
    """Whose waiting approvals ``user_id`` decides today (as substitute or main contact)."""
    return stands_in_for(user_id, deputy_directory(session, company_id), today)


def find_people(
    session: Session, principal: CustomerUser, *, text: str, limit: int = 30, invited: bool = False
) -> list[tuple[int, str]]:
    """Active users of the company (and invited ones if ``invited``) whose name or address
    matches, for pickers."""
    pattern = like_pattern(text.strip().lower()[:60])
    statuses = [UserStatus.ACTIVE, UserStatus.INVITED] if invited else [UserStatus.ACTIVE]
    return list(
        session.exec(
            select(User.id, User.name)
            .where(
                User.company_id == principal.company_id,
                col(User.status).in_(statuses),
                col(User.name).ilike(pattern, escape=LIKE_ESCAPE)
                | col(User.email).like(pattern, escape=LIKE_ESCAPE),
            )
            .order_by(col(User.name))
            .limit(limit)
        ).all()  # type: ignore[arg-type]
    )
