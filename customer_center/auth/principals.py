"""Resolving the principal of a request: cookie -> live session -> active user -> rights.

One place for it, used by the Reflex middleware (once per event) and by plain HTTP routes
(exports, data sheets), so neither reads roles again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false
from sqlmodel import Session, col, select

from customer_center.auth.acting import live_acting
from customer_center.auth.revocation import Subject
from customer_center.auth.sessions import cookie_value_from_header, live_session_of, note_use
from customer_center.auth.staff_sessions import STAFF_COOKIE, live_staff_session_of
from customer_center.db import get_engine, session_scope
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import PERMISSION_CODES, builtin_rights
from customer_center.domain.principals import ActingAgent, CustomerUser, SellerAgent, acting_for
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.settings import get_settings


def rights_of(session: Session, user_id: int, company_id: int) -> frozenset[str]:
    """The union of the rights of all the user's roles, in one indexed query: built-in roles
    take theirs from the code, custom roles from ``role_permission``."""
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


@dataclass(frozen=True)
class Resolution:
    """A principal as resolved, with what it depends on: the sessions and people whose end
    ends it (``subjects``, see ``auth.revocation``) and when it ends by itself (``ends_at``:
    the session's expiry, an acting session's idle end)."""

    principal: CustomerUser | SellerAgent | None
    subjects: frozenset[Subject] = frozenset()
    ends_at: datetime | None = None
    # A customer user's sign-in session: when its use was last noted (``note_use_of``).
    last_used_at: datetime | None = None


NOBODY = Resolution(None)


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def customer_resolution(session: Session, raw_token: str | None) -> Resolution:
    """The customer user behind a session cookie value, with their rights."""
    live = live_session_of(session, raw_token)
    if live is None:
        return NOBODY
    principal = CustomerUser(
        user_id=live.user_id,
        company_id=live.company_id,
        rights=rights_of(session, live.user_id, live.company_id),
        session_id=live.session_id,
        language=live.language,
    )
    subjects = frozenset({("session", live.session_id), ("user", live.user_id)})
    return Resolution(principal, subjects, live.expires_at, live.last_used_at)


def note_use_of(found: Resolution) -> Resolution:
    """Note the use of a customer user's session found by a transaction that has ended."""
    principal = found.principal
    if isinstance(principal, CustomerUser) and not isinstance(principal, ActingAgent):
        note_use(get_engine(), principal.session_id, found.last_used_at)
    return found


def resolve_principal(session: Session, raw_token: str | None) -> CustomerUser | None:
    """The user behind a cookie value with their rights; None if the cookie is unknown,
    expired or revoked, or the user is deactivated."""
    principal = customer_resolution(session, raw_token).principal
    assert principal is None or isinstance(principal, CustomerUser)
    return principal


def load_principal(cookie_header: str) -> CustomerUser | None:
    """The principal behind a request's Cookie header, in a transaction of its own;
    anonymous visitors cost no database round trip."""
    raw_token = cookie_value_from_header(cookie_header)
    if raw_token is None:
        return None
    with session_scope() as session:
        found = customer_resolution(session, raw_token)
    principal = note_use_of(found).principal
    assert principal is None or isinstance(principal, CustomerUser)
    return principal


def agent_resolution(session: Session, raw_token: str | None) -> Resolution:
    """The staff member behind a staff cookie with their rights (one query)."""
    live = live_staff_session_of(session, raw_token)
    if live is None:
        return NOBODY
    agent = SellerAgent(
        agent_id=live.staff_id,
        rights=live.rights,
        session_id=live.session_id,
        language=live.language,
    )
    subjects = frozenset({("staff_session", live.session_id), ("staff", live.staff_id)})
    return Resolution(agent, subjects, live.expires_at)


def resolve_agent(session: Session, raw_token: str | None) -> SellerAgent | None:
    """The staff member behind a staff cookie with their rights (one query); None if the
    cookie is unknown, expired or revoked, or the member is not active."""
    agent = agent_resolution(session, raw_token).principal
    assert agent is None or isinstance(agent, SellerAgent)
    return agent


def load_agent(cookie_header: str) -> SellerAgent | None:
    """The staff member behind a request's Cookie header (the staff cookie only: a
    customer's session cookie never makes a staff member)."""
    raw_token = cookie_value_from_header(cookie_header, STAFF_COOKIE)
    if raw_token is None:
        return None
    with session_scope() as session:
        return resolve_agent(session, raw_token)


def acting_resolution(
    session: Session, raw_staff_token: str | None, *, refresh: bool = True
) -> Resolution:
    """An agent acting for a customer user: a live staff session with a live acting session
    for an active user; the user's rights minus what an agent never does while acting.
    ``refresh``: the event counts as the agent's activity (the idle timeout starts again)."""
    staff = agent_resolution(session, raw_staff_token)
    agent = staff.principal
    if not isinstance(agent, SellerAgent):
        return NOBODY
    acting = live_acting(
        session,
        agent.session_id,
        idle_minutes=get_settings().acting_idle_minutes,
        refresh=refresh,
    )
    if acting is None:
        return NOBODY
    user = session.get(User, acting.user_id)
    if user is None or user.status != UserStatus.ACTIVE or user.company_id != acting.company_id:
        return NOBODY
    as_user = CustomerUser(
        user_id=acting.user_id,
        company_id=acting.company_id,
        rights=rights_of(session, acting.user_id, acting.company_id),
        language=agent.language,
    )
    principal = acting_for(
        as_user, agent_id=agent.agent_id, acting_session_id=acting.acting_session_id
    )
    subjects = staff.subjects | {("acting", acting.acting_session_id), ("user", acting.user_id)}
    return Resolution(principal, subjects, _earliest(staff.ends_at, acting.ends_at))


def resolve_acting(
    session: Session, raw_staff_token: str | None, *, refresh: bool = True
) -> ActingAgent | None:
    """The acting agent of :func:`acting_resolution`, or None."""
    principal = acting_resolution(session, raw_staff_token, refresh=refresh).principal
    assert principal is None or isinstance(principal, ActingAgent)
    return principal


def resolve_customer_side(cookie_header: str, *, refresh: bool = True) -> Resolution:
    """The principal of a customer-side event: the customer user of the session cookie, or,
    without one, the agent of the staff cookie acting for a user (never a plain agent)."""
    raw_token = cookie_value_from_header(cookie_header)
    raw_staff = cookie_value_from_header(cookie_header, STAFF_COOKIE)
    if raw_token is None and raw_staff is None:
        return NOBODY
    with session_scope() as session:
        found = customer_resolution(session, raw_token) if raw_token is not None else NOBODY
        if found.principal is None and raw_staff is not None:
            return acting_resolution(session, raw_staff, refresh=refresh)
    return note_use_of(found)


def resolve_seller_side(cookie_header: str) -> Resolution:
    """The principal of a seller-side event: the staff member of the staff cookie."""
    raw_staff = cookie_value_from_header(cookie_header, STAFF_COOKIE)
    if raw_staff is None:
        return NOBODY
    with session_scope() as session:
        return agent_resolution(session, raw_staff)


def load_customer_side(cookie_header: str, *, refresh: bool = True) -> CustomerUser | None:
    """The principal of a customer-side event (for plain HTTP routes)."""
    principal = resolve_customer_side(cookie_header, refresh=refresh).principal
    assert principal is None or isinstance(principal, CustomerUser)
    return principal
