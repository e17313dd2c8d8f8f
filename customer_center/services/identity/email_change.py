"""Changing a sign-in address: the new address proves itself by a link before it counts.

Until the link is used the old address stays the sign-in name; the pending address lives in
the link's token, so a newer request simply retires the older token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from customer_center.auth.principals import rights_of
from customer_center.domain import routes
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from customer_center.models.user import User
from customer_center.services import audit, emails
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.rate_limit import Limit, minutes_blocked, record_attempt
from customer_center.services.people.users import company_user
from customer_center.settings import Settings

EMAIL_CHANGE = "email_change"
EMAIL_CHANGE_TTL = timedelta(hours=24)
# Every request sends an e-mail to an address nobody has proven yet: keep that rare.
REQUEST_LIMIT = Limit(kind="email_change", max_failures=5, window=timedelta(hours=1))


def editable_user(session: Session, principal: CustomerUser, *, user_id: object) -> User:
    """The user whose address ``principal`` may change: themselves, or with ``users.manage`` a user
    of their company whose rights they hold all of (so nobody takes over a stronger account by
    redirecting its address, and only the main contact changes the main contact's)."""
    user = company_user(session, principal, user_id=user_id)
    if user.id == principal.user_id:
        return user
    principal.require(Permission.USERS_MANAGE, refusal="admin.not_found")
    if not rights_of(session, user.id, principal.company_id) <= principal.rights:  # type: ignore[arg-type]
        raise ServiceError("account.email.error.beyond_own_rights")
    return user


def email_in_use(session: Session, email: str) -> bool:
    """Whether any user of any company signs in with ``email`` (already lower-case)."""
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def _checked_new_email(session: Session, user: User, raw_email: str) -> str:
    email = normalize_email(raw_email)
    if not email:
        problem = "form.required"
    elif not is_valid_email(email):
        problem = "form.email_invalid"
    elif email == user.email:
        problem = "account.email.error.unchanged"
    elif email_in_use(session, email):
        # Deliberately silent about whose address it is.
        problem = "account.email.error.in_use"
    else:
        return email
    raise ValidationFailed({"new_email": (problem, {})})


def _retire_pending(session: Session, user_id: int) -> None:
    session.execute(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.user_id) == user_id,
            col(OneTimeToken.purpose) == EMAIL_CHANGE,
            col(OneTimeToken.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )


def request_email_change(
    session: Session, principal: CustomerUser, *, settings: Settings, user_id: int, new_email: str
) -> str:
    """E-mail a confirmation link to the new address; returns the address it went to."""
    user = editable_user(session, principal, user_id=user_id)
    if user.status == UserStatus.INACTIVE:
        raise ServiceError("account.email.error.user_inactive")
    email = _checked_new_email(session, user, new_email)
    wait = minutes_blocked(session, REQUEST_LIMIT, [f"user:{principal.user_id}"], utcnow())
    if wait:
        raise ServiceError("account.email.error.rate_limited", field="new_email", minutes=wait)
    record_attempt(session, REQUEST_LIMIT.kind, [f"user:{principal.user_id}"], succeeded=False)
    _retire_pending(session, user.id)  # type: ignore[arg-type]
    one_time_tokens.send_link(
        session,
        purpose=EMAIL_CHANGE,
        ttl=EMAIL_CHANGE_TTL,
        base_url=settings.base_url,
        path=routes.VERIFY_EMAIL,
        user_id=user.id,
        payload={"new_email": email},
        to=email,
        lang=user.language,
        template="account_email_verify",
        name=user.name,
        new_email=email,
        old_email=user.email,
        hours=int(EMAIL_CHANGE_TTL.total_seconds() // 3600),
    )
    audit.record_admin(
        session,
        principal,
        action="user.email_change_requested",
        target_type="user",
        target_id=user.id,
        before={"email": user.email},
        after={"pending_email": email},
    )
    return email


@dataclass(frozen=True)
class EmailStatus:
    email: str
    pending: str | None


def email_status(session: Session, principal: CustomerUser, *, user_id: int) -> EmailStatus:
    """The sign-in address and the one waiting for confirmation, for the form."""
    user = editable_user(session, principal, user_id=user_id)
    return EmailStatus(user.email, _pending_of(session, user.id))  # type: ignore[arg-type]


def pending_email_of(session: Session, principal: CustomerUser, *, user_id: int) -> str | None:
    """The address waiting for confirmation, if a usable link for it is out."""
    return email_status(session, principal, user_id=user_id).pending


def _pending_of(session: Session, user_id: int) -> str | None:
    payload = session.exec(
        select(OneTimeToken.payload)
        .where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == EMAIL_CHANGE,
            col(OneTimeToken.used_at).is_(None),
            OneTimeToken.expires_at > utcnow(),
        )
        .order_by(col(OneTimeToken.id).desc())
    ).first()
    email = payload.get("new_email") if isinstance(payload, dict) else None
    return email if isinstance(email, str) else None


def confirm_email_change(session: Session, settings: Settings, raw_token: str) -> str:
    """Use up the link: the new address becomes the sign-in name; the old one is told.

    Returns the new address. The link proves control of the new address, so no sign-in is
    needed; it is refused once the user is deactivated or the address was taken meanwhile.
    """
    token = one_time_tokens.peek(session, EMAIL_CHANGE, raw_token)
    user = session.get(User, token.user_id)
    new_email = token.payload.get("new_email")
    if user is None or user.status == UserStatus.INACTIVE or not isinstance(new_email, str):
        raise ServiceError("link.invalid")
    if email_in_use(session, new_email):
        raise ServiceError("account.email.error.in_use")
    one_time_tokens.consume(session, EMAIL_CHANGE, raw_token)
    old_email = user.email
    user.email = new_email
    session.add(user)
    session.flush()
    emails.queue(
        session,
        to=old_email,
        lang=user.language,
        template="account_email_changed",
        link=routes.link(settings.base_url, routes.SIGN_IN),
        name=user.name,
        new_email=new_email,
        old_email=old_email,
    )
    audit.record_account_event(
        session,
        "user.email_changed",
        company_id=user.company_id,
        user_id=user.id,
        before={"email": old_email},
        after={"email": new_email},
    )
    return new_email
