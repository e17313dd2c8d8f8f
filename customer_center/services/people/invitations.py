"""The invited user's side: open the invitation link, choose a password, sign in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from customer_center.auth.passwords import hash_password
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.password_policy import new_password_errors
from customer_center.domain.people import UserStatus
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.accounts import issue_sign_in_ticket
from customer_center.services.people.inviting import INVITATION
from customer_center.services.people.users import name_errors


@dataclass(frozen=True)
class Invitation:
    company_name: str
    name: str
    email: str
    language: str


def _invited(session: Session, raw_token: str) -> tuple[User, Company]:
    token = one_time_tokens.peek(session, INVITATION, raw_token)
    user = session.get(User, token.user_id)
    if user is None or user.status != UserStatus.INVITED:
        raise ServiceError("link.invalid")
    company = session.get(Company, user.company_id)
    assert company is not None
    return user, company


def invitation_details(session: Session, raw_token: str) -> Invitation:
    user, company = _invited(session, raw_token)
    return Invitation(company.name, user.name, user.email, user.language)


def accept_invitation(
    session: Session,
    *,
    raw_token: str,
    name: str,
    password: str,
    password_repeat: str,
    ip_address: str,
    browser: str,
) -> str:
    """Activate the account with its first password; returns a sign-in ticket for the
    browser that accepted (``browser``: the binding of its key)."""
    user, _company = _invited(session, raw_token)
    errors = name_errors(name)
    errors.update(new_password_errors(password, password_repeat, user.email))
    if errors:
        raise ValidationFailed(errors)
    one_time_tokens.consume(session, INVITATION, raw_token)
    user.name, user.status = name.strip(), UserStatus.ACTIVE
    user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    session.add(user)
    audit.record_account_event(
        session,
        "user.invitation_accepted",
        company_id=user.company_id,
        user_id=user.id,
        ip_address=ip_address,
    )
    return issue_sign_in_ticket(session, user, browser)
