"""Handing the main-contact role to another user: the main contact asks with their password,
the new one accepts through an e-mailed link while signed in, and the role moves at once.

A company has exactly one main contact at every moment: the flag and the built-in role move
together in the accepting transaction, and at most one handover is pending per company.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from customer_center.auth.passwords import verify_password
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import MAIN_CONTACT_ROLE
from customer_center.domain.principals import CustomerUser
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.user import Role, User, UserRole
from customer_center.services import audit, emails
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.rate_limit import (
    Limit,
    progressive_lock_minutes,
    record_attempt,
)
from customer_center.services.people.users import company_user, role_codes_of
from customer_center.settings import Settings

HANDOVER = "main_contact_handover"
HANDOVER_TTL = timedelta(hours=72)
FALLBACK_ROLE = "approver"
PASSWORD_LIMIT = Limit(kind="handover_password", max_failures=5, window=timedelta(hours=1))
MAX_PASSWORD_INPUT = 1024


@dataclass(frozen=True)
class PendingHandover:
    target_id: int
    target_name: str
    target_email: str
    expires_at: datetime


@dataclass(frozen=True)
class HandoverOffer:
    """What the link's page shows: who hands over which company to whom."""

    company_name: str
    from_name: str
    to_name: str
    to_email: str
    expires_at: datetime
    for_this_actor: bool


def _main_contact(session: Session, principal: CustomerUser) -> User:
    user = session.get(User, principal.user_id)
    if user is None or user.company_id != principal.company_id or not user.is_main_contact:
        raise ServiceError("account.handover.error.not_main_contact")
    return user


def _role_id(session: Session, company_id: int, code: str) -> int:
    role_id = session.exec(
        select(Role.id).where(Role.company_id == company_id, Role.code == code)
    ).first()
    assert role_id is not None, f"built-in role {code} missing for company {company_id}"
    return role_id


def _retire_pending(session: Session, company_id: int) -> int:
    result = session.execute(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.purpose) == HANDOVER,
            col(OneTimeToken.used_at).is_(None),
            col(OneTimeToken.user_id).in_(select(User.id).where(User.company_id == company_id)),
        )
        .values(used_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _check_password(session: Session, principal: CustomerUser, user: User, password: str) -> None:
    key = f"user:{principal.user_id}"
    wait = progressive_lock_minutes(session, PASSWORD_LIMIT, key, utcnow())
    if wait:
        raise ServiceError("account.handover.error.locked", field="password", minutes=wait)
    if not password:
        raise ValidationFailed({"password": ("form.required", {})})
    if len(password) > MAX_PASSWORD_INPUT or not verify_password(password, user.password_hash):
        raise ValidationFailed({"password": ("account.handover.error.wrong_password", {})})
    record_attempt(session, PASSWORD_LIMIT.kind, [key], succeeded=True)


def record_password_failure(session: Session, principal: CustomerUser) -> None:
    """Count a wrong password; called in its own transaction, as the refusal rolls back."""
    record_attempt(session, PASSWORD_LIMIT.kind, [f"user:{principal.user_id}"], succeeded=False)


def _target(session: Session, principal: CustomerUser, target_user_id: object) -> User:
    target = company_user(session, principal, user_id=target_user_id)
    if target.id == principal.user_id:
        raise ServiceError("account.handover.error.self")
    if target.status != UserStatus.ACTIVE:
        raise ServiceError("account.handover.error.target_inactive")
    return target


def handover_candidate(
    session: Session, principal: CustomerUser, *, target_user_id: object
) -> str | None:
    """The target's name if ``principal`` may hand the role to them now; else ``None``."""
    try:
        _main_contact(session, principal)
        return _target(session, principal, target_user_id).name
    except ServiceError:
        return None


def request_handover(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    target_user_id: int,
    password: str,
) -> None:
    """Only the main contact, after re-entering their password; a newer request replaces an
    older pending one."""
    initiator = _main_contact(session, principal)
    target = _target(session, principal, target_user_id)
    _check_password(session, principal, initiator, password)
    _retire_pending(session, principal.company_id)
    company = session.get(Company, principal.company_id)
    assert company is not None
    one_time_tokens.send_link(
        session,
        purpose=HANDOVER,
        ttl=HANDOVER_TTL,
        base_url=settings.base_url,
        path=routes.HANDOVER,
        user_id=target.id,
        payload={"from_user_id": initiator.id},
        to=target.email,
        lang=target.language,
        template="account_handover_request",
        name=target.name,
        from_name=initiator.name,
        company=company.name,
        hours=int(HANDOVER_TTL.total_seconds() // 3600),
    )
    audit.record_admin(
        session,
        principal,
        action="main_contact.handover_requested",
        target_type="user",
        target_id=target.id,
        after={"from": initiator.email, "to": target.email},
    )


def pending_handover(session: Session, principal: CustomerUser) -> PendingHandover | None:
    """The handover waiting for its link, as the main contact sees it (others: nothing)."""
    user = session.get(User, principal.user_id)
    if user is None or not user.is_main_contact:
        return None
    row = session.exec(
        select(User, OneTimeToken.expires_at)
        .join(OneTimeToken, col(OneTimeToken.user_id) == User.id)
        .where(
            User.company_id == principal.company_id,
            OneTimeToken.purpose == HANDOVER,
            col(OneTimeToken.used_at).is_(None),
            OneTimeToken.expires_at > utcnow(),
        )
        .order_by(col(OneTimeToken.id).desc())
    ).first()
    if row is None:
        return None
    target, expires_at = row
    return PendingHandover(target.id, target.name, target.email, expires_at)  # type: ignore[arg-type]


def cancel_handover(session: Session, principal: CustomerUser) -> bool:
    """Withdraw the pending handover; its link stops working. False if none was pending."""
    _main_contact(session, principal)
    pending = pending_handover(session, principal)
    if not _retire_pending(session, principal.company_id):
        return False
    audit.record_admin(
        session,
        principal,
        action="main_contact.handover_cancelled",
        target_type="user",
        target_id=pending.target_id if pending else "",
    )
    return True


def _parties(session: Session, token: OneTimeToken, *, lock: bool = False) -> tuple[User, User]:
    """Initiator and target of a link, if the handover still makes sense."""
    statement = select(User).where(
        col(User.id).in_([token.payload.get("from_user_id"), token.user_id])
    )
    found = {u.id: u for u in session.exec(statement.with_for_update() if lock else statement)}
    initiator, target = found.get(token.payload.get("from_user_id")), found.get(token.user_id)
    if initiator is None or target is None or initiator.company_id != target.company_id:
        raise ServiceError("link.invalid")
    if not initiator.is_main_contact or initiator.status != UserStatus.ACTIVE:
        raise ServiceError("account.handover.error.initiator_changed")
    if target.status != UserStatus.ACTIVE:
        raise ServiceError("account.handover.error.target_inactive")
    return initiator, target


def handover_offer(
    session: Session, raw_token: str, principal: CustomerUser | None
) -> HandoverOffer:
    token = one_time_tokens.peek(session, HANDOVER, raw_token)
    initiator, target = _parties(session, token)
    company = session.get(Company, target.company_id)
    assert company is not None
    return HandoverOffer(
        company_name=company.name,
        from_name=initiator.name,
        to_name=target.name,
        to_email=target.email,
        expires_at=token.expires_at,
        for_this_actor=principal is not None and principal.user_id == target.id,
    )


def accept_handover(
    session: Session, settings: Settings, raw_token: str, accepting_actor: CustomerUser | None
) -> None:
    """The target, signed in, takes over: flag and role move in this one transaction."""
    if accepting_actor is None:
        raise ServiceError("account.handover.error.sign_in_required")
    token = one_time_tokens.peek(session, HANDOVER, raw_token)
    if token.user_id != accepting_actor.user_id:
        raise ServiceError("account.handover.error.wrong_user")
    previous, successor = _parties(session, token, lock=True)
    one_time_tokens.consume(session, HANDOVER, raw_token)
    before = {"main_contact": previous.email, "previous_roles": _roles(session, previous)}
    _move_role(session, previous, successor)
    _retire_pending(session, successor.company_id)
    audit.record_admin(
        session,
        accepting_actor,
        action="main_contact.handed_over",
        target_type="user",
        target_id=successor.id,
        before=before,
        after={"main_contact": successor.email, "previous_roles": _roles(session, previous)},
    )
    _tell_both(session, settings, previous, successor)


def _roles(session: Session, user: User) -> list[str]:
    return sorted(role_codes_of(session, user.id))  # type: ignore[arg-type]


def _move_role(session: Session, previous: User, successor: User) -> None:
    """The previous main contact keeps their other roles, or becomes an approver."""
    company_id = successor.company_id
    main_role = _role_id(session, company_id, MAIN_CONTACT_ROLE)
    session.execute(
        delete(UserRole).where(
            col(UserRole.user_id) == previous.id, col(UserRole.role_id) == main_role
        )
    )
    if session.get(UserRole, (successor.id, main_role)) is None:
        session.add(UserRole(user_id=successor.id, role_id=main_role))  # type: ignore[arg-type]
    if not role_codes_of(session, previous.id):  # type: ignore[arg-type]
        fallback = _role_id(session, company_id, FALLBACK_ROLE)
        session.add(UserRole(user_id=previous.id, role_id=fallback))  # type: ignore[arg-type]
    previous.is_main_contact, successor.is_main_contact = False, True
    session.add_all([previous, successor])
    session.flush()


def _tell_both(session: Session, settings: Settings, previous: User, successor: User) -> None:
    company = session.get(Company, successor.company_id)
    assert company is not None
    for user, template in ((successor, "new"), (previous, "old")):
        emails.queue(
            session,
            to=user.email,
            lang=user.language,
            template=f"account_handover_done_{template}",
            link=routes.link(settings.base_url, routes.DASHBOARD),
            name=user.name,
            from_name=previous.name,
            to_name=successor.name,
            company=company.name,
        )
