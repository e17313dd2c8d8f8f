"""Approver chains: checking a chain, and routing an order through it (pure, no database).

A chain is an ordered list of levels. A level names users and/or roles and a rule: "any"
(one of them decides) or "all" (each of them). A level may apply only above an order value.
Absent approvers hand over to their substitutes; a decider who cannot decide (missing,
deactivated, invited but not yet signed up, or without the right ``approvals.decide``) hands
over to the main contact; nobody approves their own order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from customer_center.domain.refs import RoleRef

RULES = ("any", "all")
MAX_LEVELS = 10
MAX_APPROVERS_PER_LEVEL = 20


@dataclass(frozen=True)
class ApproverRef:
    user_id: int | None = None
    role_id: int | None = None


@dataclass(frozen=True)
class Level:
    rule: str
    approvers: tuple[ApproverRef, ...]
    min_order_value_cents: int | None = None


@dataclass(frozen=True)
class Away:
    starts_on: date
    ends_on: date
    substitute_id: int

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Directory:
    """One company as routing sees it."""

    names: dict[int, str]  # every user, also deactivated ones, for messages
    active: frozenset[int]
    role_names: dict[int, RoleRef]  # worded by the reader (a built-in in their language)
    role_members: dict[int, tuple[int, ...]]  # active members only
    main_contact_id: int | None
    deciders: frozenset[int]  # holders of approvals.decide (whatever their status)
    absences: dict[int, tuple[Away, ...]] = field(default_factory=dict)  # planned, any number
    invited: frozenset[int] = frozenset()  # invited, not signed up yet: may be named in chains

    def can_decide(self, user_id: int) -> bool:
        """Active and holding approvals.decide: anyone else's approvals go to the main contact."""
        return user_id in self.active and user_id in self.deciders

    def away_on(self, user_id: int, day: date) -> Away | None:
        return next((a for a in self.absences.get(user_id, ()) if a.covers(day)), None)


@dataclass(frozen=True)
class Problem:
    level: int  # 1-based; 0 concerns the chain as a whole
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Approver:
    user_id: int
    on_behalf_of: int | None = None  # the absent or missing approver this one stands in for


@dataclass(frozen=True)
class RouteStep:
    level: int  # the chain level, 0 for the main contact when no chain applies
    rule: str
    approvers: tuple[Approver, ...]
    roles: tuple[int, ...] = ()


def effective_approver(user_id: int, directory: Directory, today: date) -> Approver:
    """Who decides for ``user_id`` today: a substitute while away (following substitutes who
    are away too); the main contact for a decider who cannot decide (missing, deactivated,
    invited, without approvals.decide) and for a substitution loop."""
    current, seen = user_id, set()
    while True:
        if not directory.can_decide(current) or current in seen:
            fallback = directory.main_contact_id
            if fallback is None or fallback == user_id:
                return Approver(user_id)
            return Approver(fallback, on_behalf_of=user_id)
        away = directory.away_on(current, today)
        if away is None:
            return Approver(current, on_behalf_of=user_id if current != user_id else None)
        seen.add(current)
        current = away.substitute_id


def _level_members(level: Level, directory: Directory) -> list[int]:
    members: list[int] = []
    for ref in level.approvers:
        if ref.user_id is not None:
            members.append(ref.user_id)
        elif ref.role_id is not None:
            members.extend(directory.role_members.get(ref.role_id, ()))
    return list(dict.fromkeys(members))


def resolve_route(
    levels: list[Level],
    requester_id: int,
    order_value_cents: int,
    directory: Directory,
    today: date,
) -> list[RouteStep]:
    """The approvers an order goes to, level by level.

    Levels at or below their threshold are skipped; roles expand to their active members;
    absent approvers are replaced by their substitutes. The requester is removed from every
    level, and a level left empty passes to the next. If no level remains, the main contact
    decides. An empty list (see :func:`self_approval_only`) means nobody but the requester
    could decide: the requester is the main contact and the chain names no one else; the
    ordering flow treats such an order as approved by its requester, who holds every right.
    """
    steps = []
    for number, level in enumerate(levels, start=1):
        threshold = level.min_order_value_cents
        if threshold is not None and order_value_cents <= threshold:
            continue
        resolved: dict[int, Approver] = {}
        for member in _level_members(level, directory):
            approver = effective_approver(member, directory, today)
            if approver.user_id != requester_id:
                resolved.setdefault(approver.user_id, approver)
        if resolved:
            roles = tuple(r.role_id for r in level.approvers if r.role_id is not None)
            steps.append(RouteStep(number, level.rule, tuple(resolved.values()), roles))
    if steps:
        return steps
    main = directory.main_contact_id
    if main is None or main == requester_id:
        return []
    return [RouteStep(0, "any", (Approver(main),))]


def self_approval_only(route: list[RouteStep]) -> bool:
    """True for the empty route of a main contact's order that nobody else can decide."""
    return not route


@dataclass(frozen=True)
class PreviewLine:
    """One step of the route in names, ready for the sentence of the preview."""

    number: int
    rule: str
    roles: tuple[RoleRef | str, ...]  # "?": a role that is gone
    people: tuple[tuple[str, str | None], ...]  # (name, name of whom they stand in for)


def preview_lines(route: list[RouteStep], directory: Directory) -> list[PreviewLine]:
    def name(user_id: int | None) -> str:
        return directory.names.get(user_id or 0, "?")

    return [
        PreviewLine(
            number,
            step.rule,
            tuple(directory.role_names.get(r, "?") for r in step.roles),
            tuple(
                (name(a.user_id), name(a.on_behalf_of) if a.on_behalf_of is not None else None)
                for a in step.approvers
            ),
        )
        for number, step in enumerate(route, start=1)
    ]


def stands_in_for(user_id: int, directory: Directory, today: date) -> frozenset[int]:
    """The people whose approvals ``user_id`` decides today, already waiting ones included:
    as their substitute, or as main contact for deactivated or unreachable approvers. Once
    an absent approver is back, their approvals return to them."""
    return frozenset(
        absent
        for absent in directory.names
        if absent != user_id and effective_approver(absent, directory, today).user_id == user_id
    )


def chain_problems(
    levels: list[Level], directory: Directory, owner_user_id: int | None = None
) -> list[Problem]:
    """Everything wrong with a chain before it is saved, each tied to its level."""
    problems: list[Problem] = []
    if len(levels) > MAX_LEVELS:
        problems.append(Problem(0, "chains.problem.too_many_levels", {"max": MAX_LEVELS}))
    seen: dict[ApproverRef, int] = {}
    for number, level in enumerate(levels, start=1):
        problems.extend(_level_problems(number, level, directory, owner_user_id))
        for ref in level.approvers:
            if ref in seen and seen[ref] != number:
                name = _ref_name(ref, directory)
                problems.append(
                    Problem(number, "chains.problem.twice", {"name": name, "other": seen[ref]})
                )
            seen.setdefault(ref, number)
    return problems


def _level_problems(
    number: int, level: Level, directory: Directory, owner: int | None
) -> list[Problem]:
    problems = []
    if level.rule not in RULES:
        problems.append(Problem(number, "chains.problem.rule"))
    if level.min_order_value_cents is not None and level.min_order_value_cents < 0:
        problems.append(Problem(number, "chains.problem.min_value"))
    if not level.approvers:
        return [*problems, Problem(number, "chains.problem.empty")]
    if len(level.approvers) > MAX_APPROVERS_PER_LEVEL:
        problems.append(
            Problem(number, "chains.problem.too_many", {"max": MAX_APPROVERS_PER_LEVEL})
        )
    for ref in level.approvers:
        problems.extend(_ref_problems(number, ref, directory))
    members = _level_members(level, directory)
    if owner is not None and members == [owner]:
        name = directory.names.get(owner, "?")
        problems.append(Problem(number, "chains.problem.only_owner", {"name": name}))
    return problems


def _ref_problems(number: int, ref: ApproverRef, directory: Directory) -> list[Problem]:
    if ref.user_id is not None:
        if ref.user_id not in directory.names:
            return [Problem(number, "chains.problem.unknown")]
        name = directory.names[ref.user_id]
        if ref.user_id not in directory.active and ref.user_id not in directory.invited:
            return [Problem(number, "chains.problem.inactive", {"name": name})]
        if ref.user_id not in directory.deciders:
            return [Problem(number, "chains.problem.cannot_decide", {"name": name})]
        return []
    if ref.role_id is None or ref.role_id not in directory.role_names:
        return [Problem(number, "chains.problem.unknown")]
    if not directory.role_members.get(ref.role_id):
        return [
            Problem(
                number, "chains.problem.role_empty", {"name": directory.role_names[ref.role_id]}
            )
        ]
    return []


def _ref_name(ref: ApproverRef, directory: Directory) -> RoleRef | str:
    if ref.user_id is not None:
        return directory.names.get(ref.user_id, "?")
    return directory.role_names.get(ref.role_id or 0, "?")


def absence_problems(
    user_id: int, substitute_id: int, starts_on: date, ends_on: date, directory: Directory
) -> list[Problem]:
    """A substitute must be someone else, active, allowed to decide approvals, and not lead
    back to the absent user; one person's absences must not overlap."""
    problems = []
    if ends_on < starts_on:
        problems.append(Problem(0, "chains.absence.dates"))
    else:
        problems.extend(_overlap_problems(user_id, starts_on, ends_on, directory))
    name = directory.names.get(substitute_id, "?")
    if substitute_id == user_id:
        problems.append(Problem(0, "chains.absence.self"))
    elif substitute_id not in directory.active:
        problems.append(Problem(0, "chains.absence.inactive"))
    elif substitute_id not in directory.deciders:
        problems.append(Problem(0, "chains.absence.cannot_decide", {"name": name}))
    elif _leads_back(user_id, substitute_id, starts_on, ends_on, directory):
        problems.append(Problem(0, "chains.absence.loop", {"name": name}))
    return problems


def _overlap_problems(
    user_id: int, starts_on: date, ends_on: date, directory: Directory
) -> list[Problem]:
    clash = next(
        (
            a
            for a in directory.absences.get(user_id, ())
            if a.starts_on <= ends_on and starts_on <= a.ends_on
        ),
        None,
    )
    if clash is None:
        return []
    return [Problem(0, "chains.absence.overlap", {"start": clash.starts_on, "end": clash.ends_on})]


def _leads_back(
    user_id: int, substitute_id: int, start: date, end: date, directory: Directory
) -> bool:
    """Does following substitutes who are away at the same time come back to ``user_id``?"""
    todo, seen = [substitute_id], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for away in directory.absences.get(current, ()):
            if away.ends_on < start or away.starts_on > end:
                continue
            if away.substitute_id == user_id:
                return True
            todo.append(away.substitute_id)
    return False
