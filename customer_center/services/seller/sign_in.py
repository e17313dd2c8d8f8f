"""Signing in and out on the seller's side: password (the customers' policy and limits),
single-use tickets for the staff cookie, and the staff member's own account.

Staff sign in apart from customers: their own table, their own tickets (purpose
``staff_sign_in_ticket``, staff id in the payload) and their own cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from customer_center.auth import staff_sessions
from customer_center.auth.passwords import hash_password, verify_password
from customer_center.domain.email_address import normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.password_policy import new_password_errors
from customer_center.domain.principals import Attribution, PrincipalKind, SellerAgent
from customer_center.domain.staff import StaffStatus
from customer_center.models.base import utcnow
from customer_center.models.staff import StaffMember
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.accounts import MAX_PASSWORD_INPUT, SIGN_IN_IP_LIMIT
from customer_center.services.identity.rate_limit import (
    Limit,
    minutes_blocked,
    progressive_lock_minutes,
    record_attempt,
)

STAFF_SIGN_IN_LIMIT = Limit(kind="staff_sign_in", max_failures=5, window=timedelta(hours=1))
STAFF_SIGN_IN_TICKET = "staff_sign_in_ticket"
TICKET_TTL = timedelta(minutes=2)
STAFF_ID = "staff_id"  # the payload key of a staff token


def by_staff(staff_id: int | None, session_id: int | None = None) -> Attribution:
    """A staff member acting on their own account without a resolved principal."""
    return Attribution(PrincipalKind.SELLER_AGENT, staff_id, None, session_id)


def record_staff_event(
    session: Session,
    action: str,
    *,
    staff_id: int | None,
    by: Attribution,
    ip_address: str = "",
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
) -> None:
    """A change on the seller's side: no customer company, the staff member as the target."""
    audit.record(
        session,
        action,
        company_id=None,
        by=by,
        target_type="staff",
        target_id=staff_id or "",
        before=before,
        after=after,
        ip_address=ip_address,
    )


@dataclass(frozen=True)
class StaffSignInAttempt:
    email: str
    password: str
    ip_address: str
    browser: str = ""  # the binding of the asking browser's key (auth.browser_key)


def check_staff_sign_in(session: Session, attempt: StaffSignInAttempt) -> StaffMember:
    """The active staff member these credentials belong to; one message for every mismatch.
    Failures are recorded by :func:`record_staff_sign_in_failure` in their own transaction."""
    email = normalize_email(attempt.email)
    if not email or not attempt.password:
        fields = (("email", email), ("password", attempt.password))
        raise ValidationFailed({f: ("form.required", {}) for f, v in fields if not v})
    if len(attempt.password) > MAX_PASSWORD_INPUT:
        raise ServiceError("sign_in.invalid")
    wait = max(
        progressive_lock_minutes(session, STAFF_SIGN_IN_LIMIT, f"email:{email}", utcnow()),
        minutes_blocked(session, SIGN_IN_IP_LIMIT, [f"ip:{attempt.ip_address}"], utcnow()),
    )
    if wait:
        raise ServiceError("sign_in.locked", minutes=wait)
    member = session.exec(select(StaffMember).where(StaffMember.email == email)).first()
    password_ok = verify_password(attempt.password, member.password_hash if member else None)
    if member is None or not password_ok or member.status != StaffStatus.ACTIVE:
        raise ServiceError("sign_in.invalid")
    record_attempt(session, STAFF_SIGN_IN_LIMIT.kind, [f"email:{email}"], succeeded=True)
    return member


def record_staff_sign_in_failure(session: Session, attempt: StaffSignInAttempt) -> None:
    email = normalize_email(attempt.email)
    record_attempt(session, STAFF_SIGN_IN_LIMIT.kind, [f"email:{email}"], succeeded=False)
    record_attempt(session, SIGN_IN_IP_LIMIT.kind, [f"ip:{attempt.ip_address}"], succeeded=False)


def issue_staff_ticket(session: Session, member: StaffMember, browser: str) -> str:
    """A short-lived ticket this browser (and no other) exchanges for the staff cookie."""
    return one_time_tokens.issue_for_browser(
        session, STAFF_SIGN_IN_TICKET, TICKET_TTL, browser, payload={STAFF_ID: member.id}
    )


def staff_sign_in(session: Session, attempt: StaffSignInAttempt) -> str:
    """Check the credentials and hand out a sign-in ticket for the staff cookie."""
    return issue_staff_ticket(session, check_staff_sign_in(session, attempt), attempt.browser)


def staff_of_token(session: Session, token_payload: dict[str, object]) -> StaffMember | None:
    staff_id = token_payload.get(STAFF_ID)
    return session.get(StaffMember, staff_id) if isinstance(staff_id, int) else None


def redeem_staff_ticket(
    session: Session,
    raw_ticket: str,
    *,
    browser_key: str | None,
    days: int,
    ip_address: str,
    user_agent: str,
) -> str:
    """Use up the ticket in the browser it was made for and open a staff session; returns
    the raw cookie value."""
    ticket = one_time_tokens.consume_in_browser(
        session, STAFF_SIGN_IN_TICKET, raw_ticket, browser_key
    )
    member = staff_of_token(session, ticket.payload)
    if member is None or member.status != StaffStatus.ACTIVE:
        raise ServiceError("link.invalid")
    return open_for(session, member, days=days, ip_address=ip_address, user_agent=user_agent)


def open_for(
    session: Session, member: StaffMember, *, days: int, ip_address: str, user_agent: str
) -> str:
    """Open a staff session for an active member (after a ticket or a single sign-on)."""
    member.last_sign_in_at = utcnow()
    session.add(member)
    raw = staff_sessions.open_staff_session(
        session, member, days=days, ip_address=ip_address, user_agent=user_agent
    )
    record_staff_event(
        session,
        "staff.signed_in",
        staff_id=member.id,
        by=by_staff(member.id),
        ip_address=ip_address,
    )
    return raw


def staff_sign_out(session: Session, raw_cookie: str, ip_address: str = "") -> None:
    staff_id = staff_sessions.revoke_staff_session(session, raw_cookie)
    if staff_id is not None:
        record_staff_event(
            session,
            "staff.signed_out",
            staff_id=staff_id,
            by=by_staff(staff_id),
            ip_address=ip_address,
        )


# --- the staff member's own account --------------------------------------------------------


@dataclass(frozen=True)
class OwnAccount:
    name: str
    email: str
    language: str
    rights: tuple[str, ...]
    password_set: bool


def own_account(session: Session, principal: SellerAgent) -> OwnAccount:
    member = _member(session, principal)
    return OwnAccount(
        name=member.name,
        email=member.email,
        language=member.language,
        rights=tuple(sorted(principal.rights)),
        password_set=member.password_hash is not None,
    )


def _member(session: Session, principal: SellerAgent) -> StaffMember:
    member = session.get(StaffMember, principal.agent_id)
    if member is None or member.status != StaffStatus.ACTIVE:
        raise ServiceError("error.not_signed_in")
    return member


def change_staff_language(session: Session, principal: SellerAgent, *, language: str) -> None:
    if language not in LANGUAGES:
        raise ServiceError("error.invalid_input")
    member = _member(session, principal)
    before = member.language
    if before == language:
        return
    member.language = language
    session.add(member)
    record_staff_event(
        session,
        "staff.language_changed",
        staff_id=member.id,
        by=principal.attribution,
        before={"language": before},
        after={"language": language},
    )


def change_own_password(
    session: Session,
    principal: SellerAgent,
    *,
    current: str,
    password: str,
    password_repeat: str,
) -> None:
    """A new password after the current one; every other staff session of the member ends."""
    member = _member(session, principal)
    if len(current) > MAX_PASSWORD_INPUT or not verify_password(current, member.password_hash):
        raise ValidationFailed({"current": ("seller.account.current_wrong", {})})
    errors = new_password_errors(password, password_repeat, member.email)
    if errors:
        raise ValidationFailed(errors)
    member.password_hash = hash_password(password)
    session.add(member)
    staff_sessions.revoke_all_staff_sessions(session, principal.agent_id, keep=principal.session_id)
    record_staff_event(
        session, "staff.password_changed", staff_id=member.id, by=principal.attribution
    )
