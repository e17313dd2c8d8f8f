"""Resolving the principal of a request: cookie -> live session -> active user -> rights.

One place for it, used by the Reflex middleware (once per event) and by plain HTTP routes
(exports, data sheets), so neither reads roles again.
"""

from __future__ import annotations

from sqlalchemy import and_, false
from sqlmodel import Session, col, select

from customer_center.auth.acting import live_acting
from customer_center.auth.sessions import cookie_value_from_header, live_session_of
from customer_center.auth.staff_sessions import STAFF_COOKIE, live_staff_session_of
from customer_center.db import session_scope
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


def resolve_principal(session: Session, raw_token: str | None) -> CustomerUser | None:
    """The user behind a cookie value with their rights; None if the cookie is unknown,
    expired or revoked, or the user is deactivated."""
    live = live_session_of(session, raw_token)
    if live is None:
        return None
    return CustomerUser(
        user_id=live.user_id,
        company_id=live.company_id,
        rights=rights_of(session, live.user_id, live.company_id),
        session_id=live.session_id,
        language=live.language,
    )


def load_principal(cookie_header: str) -> CustomerUser | None:
    """The principal behind a request's Cookie header, in a transaction of its own;
    anonymous visitors cost no database round trip."""
    raw_token = cookie_value_from_header(cookie_header)
    if raw_token is None:
        return None
    with session_scope() as session:
        return resolve_principal(session, raw_token)


def resolve_agent(session: Session, raw_token: str | None) -> SellerAgent | None:
    """The staff member behind a staff cookie with their rights (one query); None if the
    cookie is unknown, expired or revoked, or the member is not active."""
    live = live_staff_session_of(session, raw_token)
    if live is None:
        return None
    return SellerAgent(
        agent_id=live.staff_id,
        rights=live.rights,
        session_id=live.session_id,
        language=live.language,
    )


def load_agent(cookie_header: str) -> SellerAgent | None:
    """The staff member behind a request's Cookie header (the staff cookie only: a
    customer's session cookie never makes a staff member)."""
    raw_token = cookie_value_from_header(cookie_header, STAFF_COOKIE)
    if raw_token is None:
        return None
    with session_scope() as session:
        return resolve_agent(session, raw_token)


def resolve_acting(
    session: Session, raw_staff_token: str | None, *, refresh: bool = True
) -> ActingAgent | None:
    """An agent acting for a customer user: a live staff session with a live acting session
    for an active user; the user's rights minus what an agent never does while acting.
    ``refresh``: the event counts as the agent's activity (the idle timeout starts again)."""
    agent = resolve_agent(session, raw_staff_token)
    if agent is None:
        return None
    acting = live_acting(
        session,
        agent.session_id,
        idle_minutes=get_settings().acting_idle_minutes,
        refresh=refresh,
    )
    if acting is None:
        return None
    user = session.get(User, acting.user_id)
    if user is None or user.status != UserStatus.ACTIVE or user.company_id != acting.company_id:
        return None
    as_user = CustomerUser(
        user_id=acting.user_id,
        company_id=acting.company_id,
        rights=rights_of(session, acting.user_id, acting.company_id),
        language=agent.language,
    )
    return acting_for(as_user, agent_id=agent.agent_id, acting_session_id=acting.acting_session_id)


def load_customer_side(cookie_header: str, *, refresh: bool = True) -> CustomerUser | None:
    """The principal of a customer-side event: the customer user of the session cookie, or,
    without one, the agent of the staff cookie acting for a user (never a plain agent)."""
    principal = load_principal(cookie_header)
    if principal is not None:
        return principal
    raw_staff = cookie_value_from_header(cookie_header, STAFF_COOKIE)
    if raw_staff is None:
        return None
    with session_scope() as session:
        return resolve_acting(session, raw_staff, refresh=refresh)
