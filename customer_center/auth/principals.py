"""Resolving the principal of a request: cookie -> live session -> active user -> rights.

One place for it, used by the Reflex middleware (once per event) and by plain HTTP routes
(exports, data sheets), so neither reads roles again.
"""

from __future__ import annotations

from sqlalchemy import and_, false
from sqlmodel import Session, col, select

from customer_center.auth.sessions import cookie_value_from_header, live_session_of
from customer_center.auth.staff_sessions import STAFF_COOKIE, live_staff_session_of
from customer_center.db import session_scope
from customer_center.domain.permissions import PERMISSION_CODES, builtin_rights
from customer_center.domain.principals import CustomerUser, SellerAgent
from customer_center.models.user import Role, RolePermission, UserRole


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
