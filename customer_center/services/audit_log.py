"""Reading the audit log: one filtered page for the screen, the whole filtered log in batches
for the CSV export.

Both read the same filter (:class:`AuditFilter`), always within one company (the principal's;
the seller's console reads any company's through :func:`company_audit_page`),
newest first. They return data: each entry as an :class:`AuditRecord` (action code, who acted
by kind and name, target, before/after) with the names of the users and roles it mentions
(:class:`AuditNames`); ``presenters.audit`` words them in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, func, or_
from sqlmodel import Session, col, select

from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern, parse_date, parse_id
from customer_center.domain.orders import number_of
from customer_center.domain.portal_time import start_of_local_day
from customer_center.domain.principals import CustomerUser, PrincipalKind
from customer_center.domain.refs import RoleRef
from customer_center.models.audit import AuditEntry
from customer_center.models.company import Company
from customer_center.models.staff import StaffMember
from customer_center.models.user import Role, User
from customer_center.services.audit import AUDIT_TOKEN_KEY
from customer_center.services.people.names import name_or_email_matches, users_to_pick
from customer_center.settings import get_settings

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
CSV_BATCH = 500
USER_CHOICES = 50
# The areas the filter offers: the first part of the dotted action codes.
AREAS = ("user", "role", "budget", "chain", "absence", "main_contact", "company", "seller")

USER_TARGETS = frozenset({"user", "budget_user", "chain_user"})
ROLE_TARGETS = frozenset({"role", "budget_role", "chain_role"})
# Keys of before/after that hold ids worth showing as names.
USER_ID_KEYS = frozenset({"substitute_id"})
ROLE_ID_KEYS = frozenset({"users_moved_to", "default_role_id"})

_AREA_OR_ACTION = re.compile(r"^[a-z_]{1,32}(\.[a-z_]{1,40})?$")
_TARGET_TYPE = re.compile(r"^[a-z_]{1,32}$")


# --- the filter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What to show; dates are days in the company's time zone, both ends included."""

    actor_user_id: int | None = None
    area: str = ""  # an area ("budget") or one action code ("budget.saved")
    target_type: str = ""
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None


def filter_from_params(params: Mapping[str, str]) -> AuditFilter:
    """The filter from untrusted strings (query string, browser): anything odd is dropped."""

    def value(name: str, limit: int) -> str:
        raw = params.get(name, "")
        return raw.strip()[:limit] if isinstance(raw, str) else ""

    who, area, target = value("who", 12), value("area", 73), value("target", 32)
    return AuditFilter(
        actor_user_id=parse_id(who),
        area=area if _AREA_OR_ACTION.match(area) else "",
        target_type=target if _TARGET_TYPE.match(target) else "",
        text=value("q", 100),
        date_from=parse_date(value("from", 10)),
        date_to=parse_date(value("to", 10)),
    )


def filter_to_params(audit_filter: AuditFilter) -> dict[str, str]:
    """The query-string form of a filter (only what is set), read back by filter_from_params."""
    f = audit_filter
    params = {
        "who": str(f.actor_user_id) if f.actor_user_id is not None else "",
        "area": f.area,
        "target": f.target_type,
        "q": f.text,
        "from": f.date_from.isoformat() if f.date_from else "",
        "to": f.date_to.isoformat() if f.date_to else "",
    }
    return {key: value for key, value in params.items() if value}


def _like(text: str) -> str:
    return like_pattern(text.lower())


def _filtered(statement, company_id: int, audit_filter: AuditFilter):
    f = audit_filter
    statement = statement.where(AuditEntry.company_id == company_id)
    if f.actor_user_id is not None:
        statement = statement.where(AuditEntry.actor_user_id == f.actor_user_id)
    if "." in f.area:
        statement = statement.where(AuditEntry.action == f.area)
    elif f.area:
        statement = statement.where(
            col(AuditEntry.action).startswith(f"{f.area}.", autoescape=True)
        )
    if f.target_type:
        statement = statement.where(AuditEntry.target_type == f.target_type)
    if f.date_from:
        statement = statement.where(col(AuditEntry.created_at) >= start_of_local_day(f.date_from))
    if f.date_to:
        end = start_of_local_day(f.date_to + timedelta(days=1))
        statement = statement.where(col(AuditEntry.created_at) < end)
    if f.text.strip():
        statement = statement.where(_text_matches(company_id, f.text))
    return statement


def _text_matches(company_id: int, text: str):
    """The text in the action code, the target's type or id, or the target user's or role's
    name (so "ben" finds what was done to Ben)."""
    pattern = _like(text.strip())
    users = select(cast(User.id, String)).where(
        User.company_id == company_id, name_or_email_matches(text)
    )
    roles = select(cast(Role.id, String)).where(
        Role.company_id == company_id,
        func.lower(Role.name).like(pattern, escape=LIKE_ESCAPE),
    )
    return or_(
        func.lower(AuditEntry.action).like(pattern, escape=LIKE_ESCAPE),
        func.lower(AuditEntry.target_type).like(pattern, escape=LIKE_ESCAPE),
        col(AuditEntry.target_id).like(pattern, escape=LIKE_ESCAPE),
        and_(col(AuditEntry.target_type).in_(USER_TARGETS), col(AuditEntry.target_id).in_(users)),
        and_(col(AuditEntry.target_type).in_(ROLE_TARGETS), col(AuditEntry.target_id).in_(roles)),
    )


def _newest_first(statement):
    return statement.order_by(col(AuditEntry.created_at).desc(), col(AuditEntry.id).desc())


# --- names of users and roles, one query each per batch --------------------------------------


@dataclass(frozen=True)
class AuditNames:
    """The names a batch of entries mentions: users by id, the company's roles, its currency."""

    users: dict[int, str]
    roles: dict[int, RoleRef]
    currency: str
    agents: dict[int, str] = field(default_factory=dict)  # the seller's agents acting for users

    def user(self, user_id: object) -> str | None:
        found = as_int(user_id)
        return self.users.get(found) if found is not None else None

    def role(self, role_id: object) -> RoleRef | None:
        found = as_int(role_id)
        return self.roles.get(found) if found is not None else None

    def role_by_code(self, code: str) -> RoleRef | None:
        return next((role for role in self.roles.values() if role.code == code), None)


def as_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return parse_id(value)


def _user_ids(entries: Iterable[AuditEntry]) -> set[int]:
    ids: set[int] = set()
    for entry in entries:
        if entry.actor_user_id is not None:
            ids.add(entry.actor_user_id)
        if entry.target_type in USER_TARGETS and (target := as_int(entry.target_id)) is not None:
            ids.add(target)
        for values in (entry.before or {}, entry.after or {}):
            ids.update(v for k in USER_ID_KEYS if (v := as_int(values.get(k))) is not None)
    return ids


def _names(session: Session, company_id: int, entries: list[AuditEntry]) -> AuditNames:
    """User names of the batch (one query) and the company's roles (a few dozen rows)."""
    wanted = _user_ids(entries)
    users = (
        session.exec(
            select(User.id, User.name).where(
                User.company_id == company_id, col(User.id).in_(wanted)
            )
        ).all()
        if wanted
        else []
    )
    roles = session.exec(
        select(Role.id, Role.code, Role.name, Role.is_builtin).where(Role.company_id == company_id)
    ).all()
    currency = session.exec(select(Company.currency).where(Company.id == company_id)).first()
    acting = {e.actor_ref for e in entries if _is_acting(e) and e.actor_ref is not None}
    agents = (
        session.exec(
            select(StaffMember.id, StaffMember.name).where(col(StaffMember.id).in_(acting))
        ).all()
        if acting
        else []
    )
    return AuditNames(
        agents={agent_id: name for agent_id, name in agents},  # type: ignore[misc]
        users={user_id: name for user_id, name in users},  # type: ignore[misc]
        roles={role_id: RoleRef(code, name, b) for role_id, code, name, b in roles},  # type: ignore[misc]
        currency=currency or "EUR",
    )


# --- the read model --------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRecord:
    """One entry as data: who acted (kind; the user's name, or the SCIM token's label), what
    (the action code), on what (target type, id and name) and the values before and after."""

    id: int
    created_at: datetime
    action: str
    actor_kind: PrincipalKind
    actor_user_id: int | None
    actor_name: str | None  # the user's name, or the SCIM token's label
    target_type: str
    target_id: str
    target: str | None  # the user's name or a custom role's name, or a token's label
    target_role: RoleRef | None  # a role still there, worded by the presenter
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    session_id: int | None
    ip_address: str
    # An agent of the seller acting for the user ``actor_name``: the agent's and seller's name.
    agent_name: str | None = None
    seller_name: str = ""


def _is_acting(entry: AuditEntry) -> bool:
    """Written by an agent of the seller acting for a customer user."""
    return entry.actor_kind == PrincipalKind.SELLER_AGENT and entry.actor_user_id is not None


def _actor_kind(entry: AuditEntry) -> PrincipalKind:
    """The kind written with the entry; a token label in ``after`` marks a SCIM change
    written before the kind was recorded. The seller's agent looking at the company (no
    user) is the seller's customer care."""
    if entry.actor_kind == PrincipalKind.SELLER_AGENT and entry.actor_user_id is None:
        return PrincipalKind.SELLER_AGENT
    if entry.actor_user_id is not None:
        return PrincipalKind.CUSTOMER_USER
    if entry.actor_kind == PrincipalKind.SCIM_TOKEN or isinstance(_token_label(entry), str):
        return PrincipalKind.SCIM_TOKEN
    return PrincipalKind.SYSTEM


def _token_label(entry: AuditEntry) -> object:
    return (entry.after or {}).get(AUDIT_TOKEN_KEY)


def _actor_name(entry: AuditEntry, kind: PrincipalKind, names: AuditNames) -> str | None:
    """The user's name; a SCIM token's label; the seller's name for its customer care."""
    if kind == PrincipalKind.CUSTOMER_USER:
        return names.user(entry.actor_user_id)
    if kind == PrincipalKind.SELLER_AGENT:
        return get_settings().seller_name
    label = _token_label(entry)
    return label if kind == PrincipalKind.SCIM_TOKEN and isinstance(label, str) else None


def _target_name(entry: AuditEntry, names: AuditNames) -> tuple[str | None, RoleRef | None]:
    """The name of the user or role an entry is about; a deleted role keeps its old name."""
    if entry.target_type in USER_TARGETS:
        return names.user(entry.target_id), None
    if entry.target_type in ROLE_TARGETS:
        role = names.role(entry.target_id)
        return (None, role) if role else (_str((entry.before or {}).get("name")), None)
    if entry.target_type == "order" and (order_id := as_int(entry.target_id)) is not None:
        return number_of(order_id), None
    if entry.target_type == "scim_token":  # tokens are named by the label they were given
        return _str((entry.after or entry.before or {}).get("label")), None
    return None, None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def to_record(entry: AuditEntry, names: AuditNames) -> AuditRecord:
    kind = _actor_kind(entry)
    target, target_role = _target_name(entry, names)
    return AuditRecord(
        id=entry.id or 0,
        created_at=entry.created_at,
        action=entry.action,
        actor_kind=kind,
        actor_user_id=entry.actor_user_id,
        actor_name=_actor_name(entry, kind, names),
        target_type=entry.target_type,
        target_id=entry.target_id,
        target=target,
        target_role=target_role,
        before=entry.before,
        after=entry.after,
        session_id=entry.session_id,
        ip_address=entry.ip_address,
        agent_name=names.agents.get(entry.actor_ref or 0, "?") if _is_acting(entry) else None,
        seller_name=get_settings().seller_name if _is_acting(entry) else "",
    )


# --- the screen ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditPage:
    records: list[AuditRecord]
    names: AuditNames
    page: int
    has_next: bool


def audit_page(
    session: Session,
    principal: CustomerUser,
    *,
    audit_filter: AuditFilter,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """One page of the company's log, newest first, cut in SQL (one row more tells whether a
    next page exists, without counting the whole log)."""
    return company_audit_page(
        session, principal.company_id, audit_filter=audit_filter, page=page, page_size=page_size
    )


def company_audit_page(
    session: Session,
    company_id: int,
    *,
    audit_filter: AuditFilter,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """The page of :func:`audit_page` for any company: also read by the seller's console."""
    size = min(max(page_size, 1), MAX_PAGE_SIZE)
    page = max(page, 0)
    entries = list(
        session.exec(
            _newest_first(_filtered(select(AuditEntry), company_id, audit_filter))
            .offset(page * size)
            .limit(size + 1)
        ).all()
    )
    shown = entries[:size]
    names = _names(session, company_id, shown)
    records = [to_record(entry, names) for entry in shown]
    return AuditPage(records=records, names=names, page=page, has_next=len(entries) > size)


def user_choices(
    session: Session, principal: CustomerUser, *, search: str = "", limit: int = USER_CHOICES
) -> list[tuple[int, str]]:
    """Users of the company (any status: former staff made changes too) for the "who" filter;
    at most ``limit``, narrowed by name or address."""
    return users_to_pick(session, principal.company_id, search=search, limit=limit)


# --- the whole log, for the CSV export -------------------------------------------------------


def iter_audit_batches(
    session: Session, principal: CustomerUser, *, audit_filter: AuditFilter
) -> Iterator[tuple[list[AuditRecord], AuditNames]]:
    """The filtered log in batches of CSV_BATCH (keyset on the sort order, so a long log costs
    the same per batch at its end as at its start)."""
    base = _newest_first(_filtered(select(AuditEntry), principal.company_id, audit_filter))
    last: AuditEntry | None = None
    while True:
        statement = base if last is None else base.where(_older_than(last))
        batch = list(session.exec(statement.limit(CSV_BATCH)).all())
        if not batch:
            return
        names = _names(session, principal.company_id, batch)
        yield [to_record(entry, names) for entry in batch], names
        if len(batch) < CSV_BATCH:
            return
        last = batch[-1]


def _older_than(entry: AuditEntry):
    return or_(
        col(AuditEntry.created_at) < entry.created_at,
        and_(col(AuditEntry.created_at) == entry.created_at, col(AuditEntry.id) < entry.id),
    )
