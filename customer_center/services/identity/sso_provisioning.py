"""The end of a single sign-on: whom the verified ID token names, in which company, with which
roles; the user is created at the first sign-in (just in time) and their roles re-synced at
every one. Then a session opens exactly like after a password sign-in."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from customer_center.auth import sessions
from customer_center.db import session_scope
from customer_center.domain import sso
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.people import UserStatus
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.identity import SsoConfig, SsoDomain, UserIdentity
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.identity import jit_users
from customer_center.services.identity.sso_settings import company_config
from customer_center.services.identity.sso_sign_in import LoginTransaction, SsoRefused
from customer_center.settings import Settings


def _verified_email(claims: dict[str, Any], tx: LoginTransaction) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or not is_valid_email(email):
        raise SsoRefused("email", tx.company_id)
    if claims.get("email_verified") is False:
        raise SsoRefused("email", tx.company_id)
    return normalize_email(email)


def _check_domain(session: Session, email: str, tx: LoginTransaction) -> None:
    """The address must be in a domain of THIS company: company A's provider can never name
    someone of company B (or of nobody's domain)."""
    owner = session.get(SsoDomain, sso.email_domain(email))
    if owner is None or owner.company_id != tx.company_id:
        raise SsoRefused("domain", tx.company_id)


def _find_user(
    session: Session, tx: LoginTransaction, subject: str, email: str
) -> tuple[User | None, UserIdentity | None]:
    identity = session.exec(
        select(UserIdentity).where(
            UserIdentity.issuer == tx.issuer, UserIdentity.subject == subject
        )
    ).first()
    user = session.get(User, identity.user_id) if identity else None
    if user is None:
        user = session.exec(select(User).where(User.email == email)).first()
    if user is not None and user.company_id != tx.company_id:
        raise SsoRefused("other_company", tx.company_id)
    return user, identity


def _sync_roles(
    session: Session, config: SsoConfig, user: User, claims: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The roles the claim maps to (``jit_users.sync_roles``). Returns (before, after)."""
    return jit_users.sync_roles(
        session,
        company_id=config.company_id,
        user=user,
        values=sso.claim_values(claims, config.role_claim),
        role_mapping=config.role_mapping,
        default_role_id=config.default_role_id,
    )


def _remember_identity(
    session: Session, identity: UserIdentity | None, user: User, tx: LoginTransaction, sub: str
) -> None:
    now = utcnow()
    identity = identity or UserIdentity(
        user_id=user.id,  # type: ignore[arg-type]
        company_id=tx.company_id,
        issuer=tx.issuer,
        subject=sub,
    )
    identity.last_sign_in_at = now
    user.last_sign_in_at = now
    session.add_all([identity, user])


def complete_login(
    session: Session,
    settings: Settings,
    tx: LoginTransaction,
    claims: dict[str, Any],
    *,
    ip_address: str = "",
    user_agent: str = "",
) -> str:
    """Sign the person the verified claims name into the transaction's company; returns the
    raw session cookie value."""
    config = company_config(session, tx.company_id)
    company = session.get(Company, tx.company_id)
    if config is None or company is None or not config.enabled or config.issuer != tx.issuer:
        raise SsoRefused("not_configured", tx.company_id)
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise SsoRefused("token", tx.company_id)
    email = _verified_email(claims, tx)
    _check_domain(session, email, tx)
    user, identity = _find_user(session, tx, subject, email)
    if user is not None and user.status == UserStatus.INACTIVE:
        raise SsoRefused("inactive", tx.company_id)
    created = user is None
    user = user or jit_users.create_user(
        session, company, email, jit_users.display_name(claims.get("name"), email)
    )
    user.status = UserStatus.ACTIVE  # an invited user has now proven who they are
    before, after = _sync_roles(session, config, user, claims)
    _remember_identity(session, identity, user, tx, subject)
    _audit_sign_in(session, user, created, before, after, ip_address)
    return sessions.open_session(
        session, user, days=settings.session_days, ip_address=ip_address, user_agent=user_agent
    )


def complete_login_in_own_transaction(
    settings: Settings,
    tx: LoginTransaction,
    claims: dict[str, Any],
    *,
    ip_address: str = "",
    user_agent: str = "",
    engine: Engine | None = None,
) -> str:
    """``complete_login`` in a transaction of its own. When two first sign-ins of one new
    employee meet (two tabs, a double click), the later one's new user clashes with the
    earlier one's on the unique e-mail or identity: it runs once more and finds that user."""
    for attempt in (1, 2):
        try:
            with session_scope(engine) as session:
                return complete_login(
                    session, settings, tx, claims, ip_address=ip_address, user_agent=user_agent
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _audit_sign_in(
    session: Session, user: User, created: bool, before: list[str], after: list[str], ip: str
) -> None:
    if created:
        audit.record_account_event(
            session,
            "sso.user_created",
            company_id=user.company_id,
            user_id=user.id,
            ip_address=ip,
            after={"email": user.email, "name": user.name, "roles": after},
        )
    elif before != after:
        audit.record_account_event(
            session,
            "sso.roles_synced",
            company_id=user.company_id,
            user_id=user.id,
            ip_address=ip,
            before={"roles": before},
            after={"roles": after},
        )
    audit.record_account_event(
        session, "sso.signed_in", company_id=user.company_id, user_id=user.id, ip_address=ip
    )
