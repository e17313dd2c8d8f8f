"""The signed-in user's own account security: their live sessions (list, end one, end all
others) and changing their password.

Every function takes the user's principal and touches only that user's sessions; the session
the request came through is ``principal.session_id``. Ending a session revokes its row: once
committed, the server pushes the end to the tabs it had open (``auth.revocation``), which
leave the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from customer_center.auth import sessions
from customer_center.auth.passwords import hash_password, verify_password
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import parse_id
from customer_center.domain.principals import CustomerUser
from customer_center.domain.user_agents import Device, describe
from customer_center.models.auth import AuthSession
from customer_center.models.base import utcnow
from customer_center.models.user import User
from customer_center.services import audit, emails
from customer_center.services.identity.accounts import MAX_PASSWORD_INPUT, validate_new_password
from customer_center.services.identity.rate_limit import Limit, minutes_blocked, record_attempt
from customer_center.services.identity.sso_sign_in import check_password_allowed
from customer_center.settings import Settings

# Guessing the current password through the account page is limited like signing in.
CHANGE_LIMIT = Limit(kind="password_change", max_failures=5, window=timedelta(minutes=15))


@dataclass(frozen=True)
class SessionInfo:
    session_id: int
    device: Device
    ip_address: str
    signed_in_at: datetime
    last_used_at: datetime | None
    current: bool  # the session this request came through


def my_sessions(session: Session, principal: CustomerUser) -> list[SessionInfo]:
    """The user's live sessions, this one first, then the most recently used."""
    rows = sessions.live_sessions(session, principal.user_id)
    found = [
        SessionInfo(
            session_id=row.id or 0,
            device=describe(row.user_agent),
            ip_address=row.ip_address,
            signed_in_at=row.created_at,
            last_used_at=row.last_used_at,
            current=row.id == principal.session_id,
        )
        for row in rows
    ]
    return sorted(found, key=lambda info: not info.current)


def end_session(session: Session, principal: CustomerUser, *, session_id: object) -> None:
    """End one of the user's own other sessions (this one ends by signing out)."""
    wanted = parse_id(session_id)
    row = session.get(AuthSession, wanted) if wanted else None
    if row is None or row.user_id != principal.user_id or row.revoked_at is not None:
        raise ServiceError("myaccount.sessions.gone")
    if row.id == principal.session_id:
        raise ServiceError("myaccount.sessions.is_current")
    row.revoked_at = utcnow()
    session.add(row)
    _audit(session, principal, "user.session_ended", {"session": row.id})


def end_other_sessions(session: Session, principal: CustomerUser) -> int:
    """Sign out everywhere else: every live session of the user but this one."""
    ended = sessions.revoke_all_sessions(session, principal.user_id, keep=principal.session_id)
    if ended:
        _audit(session, principal, "user.sessions_ended", {"count": ended})
    return ended


def _audit(session: Session, principal: CustomerUser, action: str, after: dict) -> None:
    audit.record(
        session,
        action,
        company_id=principal.company_id,
        by=principal.attribution,
        target_type="user",
        target_id=principal.user_id,
        after=after,
    )


def change_password(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    current: str,
    password: str,
    password_repeat: str,
    ip_address: str = "",
) -> int:
    """Set a new password after checking the current one; every other session of the user
    ends and the user is told by e-mail. Returns how many other sessions ended.

    A wrong current password raises ``ValidationFailed`` on ``current``; the caller records
    the failure (:func:`record_change_failure`) in its own transaction."""
    user = session.get(User, principal.user_id)
    if user is None or user.company_id != principal.company_id:
        raise ServiceError("error.not_signed_in")
    check_password_allowed(session, user.company_id)
    wait = minutes_blocked(session, CHANGE_LIMIT, [f"user:{user.id}"], utcnow())
    if wait:
        raise ServiceError("sign_in.locked", minutes=wait)
    if not current:
        raise ValidationFailed({"current": ("form.required", {})})
    if len(current) > MAX_PASSWORD_INPUT or not verify_password(current, user.password_hash):
        raise ValidationFailed({"current": ("myaccount.password.wrong_current", {})})
    validate_new_password(password, password_repeat, user.email)
    user.password_hash = hash_password(password)
    session.add(user)
    ended = sessions.revoke_all_sessions(session, user.id or 0, keep=principal.session_id)
    audit.record(
        session,
        "user.password_changed",
        company_id=principal.company_id,
        by=principal.attribution,
        target_type="user",
        target_id=user.id,
        after={"sessions_ended": ended},
        ip_address=ip_address,
    )
    emails.queue(
        session,
        to=user.email,
        lang=user.language,
        template="password_changed",
        link=routes.link(settings.base_url, routes.PROFILE),
        name=user.name or user.email,
    )
    return ended


def record_change_failure(session: Session, principal: CustomerUser) -> None:
    """Count a wrong current password against :data:`CHANGE_LIMIT`."""
    record_attempt(session, CHANGE_LIMIT.kind, [f"user:{principal.user_id}"], succeeded=False)
