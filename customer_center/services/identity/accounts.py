"""Signing in and out, sign-in tickets, forgotten passwords and the user's own settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.auth import sessions
from customer_center.auth.passwords import hash_password, verify_password
from customer_center.db import transaction_memo
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.password_policy import new_password_errors
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import CustomerUser
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.activation import normalize_email
from customer_center.services.identity.rate_limit import (
    Limit,
    minutes_blocked,
    progressive_lock_minutes,
    record_attempt,
)
from customer_center.services.identity.sso_sign_in import check_password_allowed
from customer_center.settings import Settings

SIGN_IN_LIMIT = Limit(kind="sign_in", max_failures=5, window=timedelta(hours=1))
SIGN_IN_IP_LIMIT = Limit(kind="sign_in_ip", max_failures=50, window=timedelta(minutes=15))
RESET_LIMIT = Limit(kind="password_reset", max_failures=3, window=timedelta(minutes=15))
TICKET_TTL = timedelta(minutes=2)
RESET_LINK_TTL = timedelta(hours=1)


@dataclass(frozen=True)
class SignInAttempt:
    email: str
    password: str
    ip_address: str
    browser: str = ""  # the binding of the asking browser's key (auth.browser_key)


def check_sign_in(session: Session, attempt: SignInAttempt) -> User:
    """The user whose credentials these are; one message for every kind of mismatch.

    Failures are recorded by :func:`record_sign_in_failure` in their own transaction.
    """
    email = normalize_email(attempt.email)
    if not email or not attempt.password:
        raise ValidationFailed(
            {
                f: ("form.required", {})
                for f, v in (("email", email), ("password", attempt.password))
                if not v
            }
        )
    wait = max(
        progressive_lock_minutes(session, SIGN_IN_LIMIT, f"email:{email}", utcnow()),
        minutes_blocked(session, SIGN_IN_IP_LIMIT, [f"ip:{attempt.ip_address}"], utcnow()),
    )
    if wait:
        raise ServiceError("sign_in.locked", minutes=wait)
    user = session.exec(select(User).where(User.email == email)).first()
    password_ok = verify_password(attempt.password, user.password_hash if user else None)
    if user is None or not password_ok or user.status != UserStatus.ACTIVE:
        raise ServiceError("sign_in.invalid")
    record_attempt(session, SIGN_IN_LIMIT.kind, [f"email:{email}"], succeeded=True)
    return user


def record_sign_in_failure(session: Session, attempt: SignInAttempt) -> None:
    email = normalize_email(attempt.email)
    record_attempt(session, SIGN_IN_LIMIT.kind, [f"email:{email}"], succeeded=False)
    record_attempt(session, SIGN_IN_IP_LIMIT.kind, [f"ip:{attempt.ip_address}"], succeeded=False)


def issue_sign_in_ticket(session: Session, user: User, browser: str) -> str:
    """A short-lived ticket the browser exchanges for the HttpOnly session cookie: only the
    browser that asked for it (``browser``: the binding of its browser key) can; never for a
    company that signs in through its identity provider only."""
    check_password_allowed(session, user.company_id)
    return one_time_tokens.issue_for_browser(
        session, one_time_tokens.SIGN_IN_TICKET, TICKET_TTL, browser, user_id=user.id
    )


def redeem_sign_in_ticket(
    session: Session,
    raw_ticket: str,
    *,
    browser_key: str | None,
    days: int,
    ip_address: str,
    user_agent: str,
) -> str:
    """Use up the ticket in the browser it was made for and open a session; returns the raw
    cookie value."""
    ticket = one_time_tokens.consume_in_browser(
        session, one_time_tokens.SIGN_IN_TICKET, raw_ticket, browser_key
    )
    user = session.get(User, ticket.user_id)
    if user is None or user.status != UserStatus.ACTIVE:
        raise ServiceError("link.invalid")
    user.last_sign_in_at = utcnow()
    session.add(user)
    raw = sessions.open_session(
        session, user, days=days, ip_address=ip_address, user_agent=user_agent
    )
    audit.record_account_event(
        session,
        "user.signed_in",
        company_id=user.company_id,
        user_id=user.id,
        ip_address=ip_address,
    )
    return raw


def sign_out(session: Session, raw_cookie: str, ip_address: str = "") -> None:
    actor = sessions.live_session_of(session, raw_cookie)
    if sessions.revoke_session(session, raw_cookie) and actor is not None:
        audit.record_account_event(
            session,
            "user.signed_out",
            company_id=actor.company_id,
            user_id=actor.user_id,
            ip_address=ip_address,
        )


def request_password_reset(
    session: Session, settings: Settings, *, email: str, ip_address: str, language: str
) -> None:
    """E-mail a reset link if the address belongs to an active user; silent otherwise.

    Past the limit the request is refused with ``forgot.rate_limited``. Every request counts,
    whether the address has an account or not, so the refusal (and its minutes) says nothing
    about the address.
    """
    email = normalize_email(email)
    if not email:
        raise ValidationFailed({"email": ("form.required", {})})
    keys = [f"email:{email}", f"ip:{ip_address}"]
    wait = minutes_blocked(session, RESET_LIMIT, keys, utcnow())
    if wait:
        raise ServiceError("forgot.rate_limited", minutes=wait)
    # Every request counts towards the limit, so nobody can flood a mailbox.
    record_attempt(session, RESET_LIMIT.kind, keys, succeeded=False)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or user.status != UserStatus.ACTIVE:
        return
    send_reset_link(session, settings, user, language=language)
    audit.record_account_event(
        session,
        "user.password_reset_requested",
        company_id=user.company_id,
        user_id=user.id,
        by_the_user=False,
        ip_address=ip_address,
    )


def reset_wait_minutes(session: Session, email: str, now: datetime) -> int:
    """Minutes until another reset link may go to ``email`` (0: now); every link sent to
    the address counts, whoever asked for it, so nobody can flood a mailbox."""
    return minutes_blocked(session, RESET_LIMIT, [f"email:{email}"], now)


def send_reset_link(session: Session, settings: Settings, user: User, *, language: str) -> None:
    """E-mail ``user`` a reset link (valid :data:`RESET_LINK_TTL`); the caller checked that
    the user is active and the limit allows it."""
    one_time_tokens.send_link(
        session,
        purpose=one_time_tokens.PASSWORD_RESET,
        ttl=RESET_LINK_TTL,
        base_url=settings.base_url,
        path=routes.RESET_PASSWORD,
        user_id=user.id,
        to=user.email,
        lang=user.language or language,
        template="password_reset",
        name=user.name,
    )


def check_reset_link(session: Session, raw_token: str) -> str:
    """The e-mail the link resets, if the link can still be used."""
    token = one_time_tokens.peek(session, one_time_tokens.PASSWORD_RESET, raw_token)
    user = session.get(User, token.user_id)
    if user is None or user.status != UserStatus.ACTIVE:
        raise ServiceError("link.invalid")
    return user.email


def reset_password(
    session: Session, *, raw_token: str, password: str, password_repeat: str, ip_address: str
) -> User:
    """Set the new password, end every session of the user, use up the link."""
    email = check_reset_link(session, raw_token)
    validate_new_password(password, password_repeat, email)
    token = one_time_tokens.consume(session, one_time_tokens.PASSWORD_RESET, raw_token)
    user = session.get(User, token.user_id)
    assert user is not None
    user.password_hash = hash_password(password)
    session.add(user)
    sessions.revoke_all_sessions(session, user.id)  # type: ignore[arg-type]
    audit.record_account_event(
        session,
        "user.password_reset",
        company_id=user.company_id,
        user_id=user.id,
        ip_address=ip_address,
    )
    return user


def validate_new_password(password: str, repeat: str, email: str) -> None:
    errors = new_password_errors(password, repeat, email)
    if errors:
        raise ValidationFailed(errors)


def change_language(session: Session, principal: CustomerUser, *, language: str) -> None:
    if language not in LANGUAGES:
        raise ServiceError("error.invalid_input")
    user = session.get(User, principal.user_id)
    assert user is not None
    before = user.language
    user.language = language
    session.add(user)
    audit.record_account_event(
        session,
        "user.language_changed",
        company_id=principal.company_id,
        user_id=principal.user_id,
        before={"language": before},
        after={"language": language},
    )


@dataclass(frozen=True)
class CompanyOverview:
    company_name: str
    customer_number: str
    street: str
    postal_code: str
    city: str
    country: str
    currency: str
    user_name: str
    user_email: str
    is_main_contact: bool


def company_overview(session: Session, principal: CustomerUser) -> CompanyOverview:
    """The dashboard's header facts, scoped to the principal's own company; read once per
    transaction (and page opening: the shell and the dashboard both ask)."""
    memo = transaction_memo(session, "accounts.overview")
    key = (principal.user_id, principal.company_id)
    if (known := memo.get(key)) is None:
        known = memo[key] = _company_overview(session, principal)
    return known


def _company_overview(session: Session, principal: CustomerUser) -> CompanyOverview:
    row = session.execute(  # the columns in the order of CompanyOverview's fields
        sa_select(
            *(col(c) for c in (Company.name, Company.customer_number, Company.street)),
            *(col(c) for c in (Company.postal_code, Company.city, Company.country)),
            *(col(c) for c in (Company.currency, User.name, User.email, User.is_main_contact)),
        )
        .select_from(User)
        .join(Company, col(Company.id) == User.company_id)
        .where(col(User.id) == principal.user_id, col(Company.id) == principal.company_id)
    ).first()
    if row is None:
        raise ServiceError("error.not_signed_in")
    return CompanyOverview(*row)


MAX_PASSWORD_INPUT = 1024


def sign_in(session: Session, attempt: SignInAttempt) -> str:
    """Check the credentials and hand out a sign-in ticket for the session cookie."""
    if len(attempt.password) > MAX_PASSWORD_INPUT:
        raise ServiceError("sign_in.invalid")
    return issue_sign_in_ticket(session, check_sign_in(session, attempt), attempt.browser)


def reset_password_and_sign_in(session: Session, *, browser: str, **kwargs: str) -> str:
    """Reset the password and hand out a sign-in ticket for this browser, in one
    transaction."""
    return issue_sign_in_ticket(session, reset_password(session, **kwargs), browser)
