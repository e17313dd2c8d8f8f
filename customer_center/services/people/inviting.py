"""Inviting users: invitations e-mailed with a link, sent again, or revoked.

Every function takes the principal and works inside its company only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from customer_center.domain import routes
from customer_center.domain.email_address import normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import RuleScope, UserStatus
from customer_center.domain.principals import Principal
from customer_center.models.approval import Absence, ApprovalChain
from customer_center.models.auth import OneTimeToken
from customer_center.models.budget import BudgetRule
from customer_center.models.company import Company
from customer_center.models.order import ApprovalStep
from customer_center.models.user import User, UserRole
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.people.users import (
    Errors,
    NewUser,
    check_grantable,
    company_user,
    user_snapshot,
    validate_new_user,
)
from customer_center.settings import Settings

INVITATION = "invitation"
INVITATION_TTL = timedelta(days=7)


def invite_users(
    session: Session, principal: Principal, *, settings: Settings, users: Sequence[NewUser]
) -> list[int]:
    """Create invited users with their roles and e-mail each an invitation; all or nothing.

    Errors are keyed ``"<index>.<field>"`` by the position of the user in ``users``.
    """
    errors: Errors = {}
    taken: set[str] = set()
    for index, new in enumerate(users):
        for field, problem in validate_new_user(session, principal.company_id, new, taken).items():
            errors[f"{index}.{field}"] = problem
        taken.add(normalize_email(new.email))
    if errors:
        raise ValidationFailed(errors)
    check_grantable(session, principal, role_ids={r for new in users for r in new.role_ids})
    company = session.get(Company, principal.company_id)
    assert company is not None
    return [_create_invited_user(session, principal, settings, company, new) for new in users]


def invite_user(session: Session, principal: Principal, *, settings: Settings, new: NewUser) -> int:
    """One invitation, with errors keyed by field for the invitation form."""
    try:
        return invite_users(session, principal, settings=settings, users=[new])[0]
    except ValidationFailed as failure:
        raise ValidationFailed(
            {key.split(".", 1)[-1]: value for key, value in failure.errors.items()}
        ) from failure


def _create_invited_user(
    session: Session, principal: Principal, settings: Settings, company: Company, new: NewUser
) -> int:
    user = User(
        company_id=principal.company_id,
        email=normalize_email(new.email),
        name=new.name.strip(),
        language=new.language,
        status=UserStatus.INVITED,
    )
    session.add(user)
    session.flush()
    session.add_all(UserRole(user_id=user.id, role_id=r) for r in sorted(set(new.role_ids)))  # type: ignore[arg-type]
    session.flush()
    _send_invitation(session, principal, settings, company, user)
    audit.record_admin(
        session,
        principal,
        action="user.invited",
        target_type="user",
        target_id=user.id,
        after=user_snapshot(session, user),
    )
    return user.id  # type: ignore[return-value]


def renew_invitation(
    session: Session, settings: Settings, company: Company, user: User, *, inviter: str
) -> None:
    """A fresh invitation link for an invited ``user``; the earlier ones stop working.
    The caller checked who may, and that the user is still invited."""
    assert user.id is not None
    _retire_invitations(session, user.id)
    _send_link(session, settings, company, user, inviter)


def _send_invitation(
    session: Session, principal: Principal, settings: Settings, company: Company, user: User
) -> None:
    inviter = session.get(User, principal.user_id) if principal.user_id is not None else None
    _send_link(session, settings, company, user, inviter.name if inviter else "")


def _send_link(
    session: Session, settings: Settings, company: Company, user: User, inviter: str
) -> None:
    one_time_tokens.send_link(
        session,
        purpose=INVITATION,
        ttl=INVITATION_TTL,
        base_url=settings.base_url,
        path=routes.INVITATION,
        user_id=user.id,
        to=user.email,
        lang=user.language,
        template="invitation",
        name=user.name,
        company=company.name,
        inviter=inviter,
        days=INVITATION_TTL.days,
    )


def _named_in_approvals(session: Session, user_id: int) -> bool:
    """Invited people may be named in chains, so an order may already wait for them (decided
    by the main contact until they sign up)."""
    step = select(ApprovalStep.id).where(ApprovalStep.approver_id == user_id).limit(1)
    return session.exec(step).first() is not None


def _invited_user(session: Session, principal: Principal, user_id: int) -> User:
    user = company_user(session, principal, user_id=user_id)
    if user.status != UserStatus.INVITED:
        raise ServiceError("users.error.not_invited")
    return user


def _retire_invitations(session: Session, user_id: int) -> None:
    session.execute(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.user_id) == user_id,
            col(OneTimeToken.purpose) == INVITATION,
            col(OneTimeToken.used_at).is_(None),
        )
        .values(used_at=func.now())
    )


def resend_invitation(
    session: Session, principal: Principal, *, settings: Settings, user_id: int
) -> None:
    """A fresh link; the earlier ones stop working."""
    user = _invited_user(session, principal, user_id)
    company = session.get(Company, principal.company_id)
    assert company is not None
    inviter = session.get(User, principal.user_id) if principal.user_id is not None else None
    renew_invitation(session, settings, company, user, inviter=inviter.name if inviter else "")
    audit.record_admin(
        session, principal, action="user.invitation_resent", target_type="user", target_id=user_id
    )


def revoke_invitation(session: Session, principal: Principal, *, user_id: int) -> None:
    """An invited user never signed in and has no history: the invitation goes entirely."""
    user = _invited_user(session, principal, user_id)
    before = user_snapshot(session, user)
    session.execute(delete(OneTimeToken).where(col(OneTimeToken.user_id) == user_id))
    session.execute(delete(UserRole).where(col(UserRole.user_id) == user_id))
    session.execute(delete(Absence).where(col(Absence.user_id) == user_id))
    for scoped in (BudgetRule, ApprovalChain):
        session.execute(
            delete(scoped).where(
                col(scoped.company_id) == principal.company_id,
                col(scoped.scope) == RuleScope.USER,
                col(scoped.subject_id) == user_id,
            )
        )
    if _named_in_approvals(session, user_id):
        user.status = UserStatus.INACTIVE  # orders name them as approver: the row stays for them
        session.add(user)
    else:
        session.delete(user)
    audit.record_admin(
        session,
        principal,
        action="user.invitation_revoked",
        target_type="user",
        target_id=user_id,
        before=before,
    )
