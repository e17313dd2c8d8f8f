"""One company as the seller's customer care sees it: who it is, since when, its main
contact, its users, and how its people sign in (SSO domains, password sign-in, SCIM tokens).

Read-only; every call records the look in the company's audit log (:mod:`looks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.domain.principals import SellerAgent
from customer_center.models.company import Company
from customer_center.models.identity import SsoConfig
from customer_center.models.user import User
from customer_center.services.identity.scim_tokens import TokenView, company_tokens
from customer_center.services.identity.sso_domains import (
    TAKEN,
    WAITING,
    DomainState,
    domain_states,
)
from customer_center.services.people.user_list import (
    RoleChoice,
    UserPage,
    UserQuery,
    company_role_choices,
    company_users_page,
)
from customer_center.services.seller.looks import (
    VIEWED_COMPANY,
    VIEWED_USERS,
    company_to_view,
    record_look,
)


@dataclass(frozen=True)
class MainContact:
    user_id: int
    name: str
    email: str
    status: str
    last_sign_in_at: datetime | None


@dataclass(frozen=True)
class SignInState:
    """How the company's people sign in; never a secret (no client secret, no token)."""

    password_sign_in: bool
    sso_configured: bool
    sso_enabled: bool
    sso_issuer: str
    domains: list[DomainState]  # proven (erp/dns), waiting, or taken by another company
    scim_tokens: list[TokenView]  # labels, when created, last used, revoked

    @property
    def proven_domains(self) -> list[str]:
        return [d.domain for d in self.domains if d.state not in (WAITING, TAKEN)]

    @property
    def waiting_domains(self) -> list[str]:
        return [d.domain for d in self.domains if d.state in (WAITING, TAKEN)]


@dataclass(frozen=True)
class CompanyOverview:
    company_id: int
    customer_number: str
    name: str
    city: str
    country: str
    currency: str
    language: str
    activated_at: datetime  # a company is in the portal once its main contact activated it
    main_contact: MainContact | None
    users_by_status: dict[str, int]
    sign_in: SignInState


def company_overview(
    session: Session, principal: SellerAgent, *, company_id: object
) -> CompanyOverview:
    """The head of the company page: activation, main contact, users by status, sign-in."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    record_look(session, principal, company_id=company.id, action=VIEWED_COMPANY)
    main = _main_contact(session, company.id)
    return CompanyOverview(
        company_id=company.id,
        customer_number=company.customer_number,
        name=company.name,
        city=company.city,
        country=company.country,
        currency=company.currency,
        language=company.language,
        activated_at=company.activated_at,
        main_contact=main,
        users_by_status=_users_by_status(session, company.id),
        sign_in=_sign_in(session, company),
    )


@dataclass(frozen=True)
class CompanyUsers:
    page: UserPage
    roles: list[RoleChoice]  # the company's roles (the filter's choices, the rows' labels)


def company_users(
    session: Session, principal: SellerAgent, *, company_id: object, query: UserQuery
) -> CompanyUsers:
    """One page of the company's users with their roles, status and last sign-in, as the
    customer's users page filters, sorts and cuts it."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    record_look(session, principal, company_id=company.id, action=VIEWED_USERS)
    return CompanyUsers(
        page=company_users_page(session, company.id, query=query),
        roles=company_role_choices(session, company.id),
    )


def _main_contact(session: Session, company_id: int) -> MainContact | None:
    user = session.exec(
        select(User)
        .where(User.company_id == company_id, col(User.is_main_contact).is_(True))
        .order_by(col(User.id))
    ).first()
    if user is None or user.id is None:
        return None
    return MainContact(user.id, user.name, user.email, user.status, user.last_sign_in_at)


def _users_by_status(session: Session, company_id: int) -> dict[str, int]:
    rows = session.exec(
        select(User.status, func.count())
        .where(User.company_id == company_id)
        .group_by(col(User.status))
    ).all()
    return {status: int(count) for status, count in rows}


def _sign_in(session: Session, company: Company) -> SignInState:
    assert company.id is not None
    config = session.exec(select(SsoConfig).where(SsoConfig.company_id == company.id)).first()
    domains = [
        DomainState(state.domain, state.state) for state in domain_states(session, company.id)
    ]
    return SignInState(
        password_sign_in=company.password_sign_in_enabled,
        sso_configured=config is not None,
        sso_enabled=bool(config and config.enabled),
        sso_issuer=config.issuer if config else "",
        domains=domains,
        scim_tokens=company_tokens(session, company.id),
    )
