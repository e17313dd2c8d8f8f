"""Help an agent gives a company's users without acting as anyone: send an invitation again,
send a password-reset link, lift a sign-in or activation lockout (with a reason).

The right is ``seller.view``: the issue gives these to every agent, and none of them lets
the agent see or set a secret: the links go to the user's own address, a lifted lockout
only lets the user try again. Each follows the rules of the customer's own action (only an
invited user gets an invitation, only an active one a reset link, under the same limit per
address) and is recorded in the company's audit log with the agent as actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import SellerAgent
from customer_center.models.auth import Attempt
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.identity import accounts
from customer_center.services.identity.activation import (
    ACTIVATION_CUSTOMER_SLOWDOWN,
    ACTIVATION_LIMIT,
    customer_key,
)
from customer_center.services.identity.rate_limit import (
    Limit,
    minutes_blocked,
    progressive_lock_minutes,
    record_attempt,
)
from customer_center.services.identity.sso_sign_in import check_password_allowed
from customer_center.services.people.inviting import renew_invitation
from customer_center.services.seller.looks import company_to_view, row_id
from customer_center.settings import Settings

MAX_REASON = 500
INVITATION_RESENT = "seller.invitation_resent"
RESET_LINK_SENT = "seller.reset_link_sent"
SIGN_IN_LOCKOUT_LIFTED = "seller.sign_in_lockout_lifted"
ACTIVATION_LOCKOUT_LIFTED = "seller.activation_lockout_lifted"


@dataclass(frozen=True)
class Target:
    company: Company
    user: User


def _target(
    session: Session, principal: SellerAgent, company_id: object, user_id: object
) -> Target:
    company = company_to_view(session, principal, company_id=company_id)
    wanted = row_id(user_id)
    user = session.get(User, wanted) if wanted is not None else None
    if user is None or user.company_id != company.id or user.id is None:
        raise ServiceError("admin.not_found")
    return Target(company, user)


def _record(
    session: Session, principal: SellerAgent, action: str, target: Target, **after: object
) -> None:
    audit.record(
        session,
        action,
        company_id=target.company.id,
        by=principal.attribution,
        target_type="user",
        target_id=target.user.id,
        after=dict(after) or None,
    )


def resend_invitation(
    session: Session,
    principal: SellerAgent,
    *,
    settings: Settings,
    company_id: object,
    user_id: object,
) -> str:
    """A fresh invitation link to an invited user (the earlier ones stop working); returns
    the address it went to."""
    target = _target(session, principal, company_id, user_id)
    if target.user.status != UserStatus.INVITED:
        raise ServiceError("users.error.not_invited")
    renew_invitation(session, settings, target.company, target.user, inviter="")
    _record(session, principal, INVITATION_RESENT, target)
    return target.user.email


def send_password_reset(
    session: Session,
    principal: SellerAgent,
    *,
    settings: Settings,
    company_id: object,
    user_id: object,
) -> str:
    """A password-reset link to an active user of a company that signs in with passwords,
    under the limit a user's own requests have; returns the address it went to."""
    target = _target(session, principal, company_id, user_id)
    user = target.user
    if user.status != UserStatus.ACTIVE:
        raise ServiceError("seller.assist.not_active")
    assert target.company.id is not None
    check_password_allowed(session, target.company.id)
    wait = accounts.reset_wait_minutes(session, user.email, utcnow())
    if wait:
        raise ServiceError("forgot.rate_limited", minutes=wait)
    record_attempt(session, accounts.RESET_LIMIT.kind, [f"email:{user.email}"], succeeded=False)
    accounts.send_reset_link(session, settings, user, language=user.language)
    _record(session, principal, RESET_LINK_SENT, target)
    return user.email


def reason_given(reason: object) -> str:
    """The reason for lifting a lockout: required, at most :data:`MAX_REASON` characters."""
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationFailed({"reason": ("seller.assist.reason_required", {})})
    if len(text) > MAX_REASON:
        raise ValidationFailed({"reason": ("seller.assist.reason_too_long", {"max": MAX_REASON})})
    return text


def sign_in_lock_minutes(session: Session, email: str) -> int:
    """Minutes the address is still locked out of signing in (0: not locked)."""
    limit = accounts.SIGN_IN_LIMIT
    return progressive_lock_minutes(session, limit, f"email:{email}", utcnow())


def lift_sign_in_lockout(
    session: Session, principal: SellerAgent, *, company_id: object, user_id: object, reason: object
) -> None:
    """Let a locked-out user try again now (a success ends the count of failures)."""
    target = _target(session, principal, company_id, user_id)
    text = reason_given(reason)
    if not sign_in_lock_minutes(session, target.user.email):
        raise ServiceError("seller.assist.not_locked")
    record_attempt(session, accounts.SIGN_IN_LIMIT.kind, [f"email:{target.user.email}"], True)
    _record(session, principal, SIGN_IN_LOCKOUT_LIFTED, target, reason=text)


def _activation_keys_locked(session: Session, number: str) -> list[tuple[Limit, str]]:
    since = utcnow() - ACTIVATION_LIMIT.window
    prefix = like_pattern(customer_key(number) + "|", "starts")
    pair_keys: list[str] = session.exec(
        select(col(Attempt.key))
        .distinct()
        .where(
            Attempt.kind == ACTIVATION_LIMIT.kind,
            col(Attempt.key).like(prefix, escape=LIKE_ESCAPE),
            col(Attempt.created_at) > since,
        )
    ).all()  # type: ignore[assignment]
    keys = [(ACTIVATION_LIMIT, key) for key in pair_keys]
    keys.append((ACTIVATION_CUSTOMER_SLOWDOWN, customer_key(number)))
    now = utcnow()
    return [(limit, key) for limit, key in keys if minutes_blocked(session, limit, [key], now)]


def lift_activation_lockout(
    session: Session, principal: SellerAgent, *, company_id: object, reason: object
) -> None:
    """Let the company's customer number be tried again in the activation (from every
    address that is locked out, and without the slowdown)."""
    company = company_to_view(session, principal, company_id=company_id)
    text = reason_given(reason)
    locked = _activation_keys_locked(session, company.customer_number)
    if not locked:
        raise ServiceError("seller.assist.not_locked")
    for limit, key in locked:
        record_attempt(session, limit.kind, [key], succeeded=True)
    audit.record(
        session,
        ACTIVATION_LOCKOUT_LIFTED,
        company_id=company.id,
        by=principal.attribution,
        target_type="company",
        target_id=company.id,
        after={"reason": text},
    )
