"""Consent to acting, under the company policy "consent": an agent asks, the user answers in
the portal (a notice on the dashboard, a page to accept or decline, and an e-mail with its
link). An accepted request lets that agent start acting for that user for a limited time;
a declined or unanswered one lets nothing happen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import ActingAgent, CustomerUser, SellerAgent
from customer_center.domain.staff import ActingPolicy
from customer_center.models.acting import ActingConsent
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.staff import StaffMember
from customer_center.services import audit, emails
from customer_center.services.seller.acting import (
    ACCEPTED,
    CONSENT_ANSWER_WITHIN,
    CONSENT_VALID_FOR,
    DECLINED,
    NOT_ALLOWED,
    acting_company,
    company_user,
)
from customer_center.settings import get_settings

REQUESTED_ACTION = "seller.acting_consent_requested"
ANSWERED_ACTION = "seller.acting_consent_answered"
NOT_FOUND = "acting.error.request_not_found"


def request_consent(
    session: Session, principal: SellerAgent, *, company_id: object, user_id: object
) -> int:
    """Ask the user's consent to act for them (policy "consent" only); mails the user."""
    company = acting_company(session, principal, company_id=company_id)
    assert company.id is not None
    if company.acting_policy != ActingPolicy.CONSENT:
        raise ServiceError(NOT_ALLOWED)
    user = company_user(session, company.id, user_id)
    assert user.id is not None
    row = ActingConsent(staff_id=principal.agent_id, company_id=company.id, user_id=user.id)
    session.add(row)
    session.flush()
    assert row.id is not None
    member = session.get(StaffMember, principal.agent_id)
    audit.record(
        session,
        REQUESTED_ACTION,
        company_id=company.id,
        by=principal.attribution,
        target_type="user",
        target_id=user.id,
    )
    emails.queue(
        session,
        to=user.email,
        lang=user.language,
        template="acting_consent",
        link=routes.link(get_settings().base_url, routes.ACTING_CONSENT),
        name=user.name,
        agent=member.name if member else "",
        seller=get_settings().seller_name,
        minutes=int(CONSENT_VALID_FOR.total_seconds() // 60),
    )
    return row.id


@dataclass(frozen=True)
class ConsentRequest:
    request_id: int
    agent_name: str
    requested_at: datetime
    state: str  # requested (waiting for the answer), accepted (valid until ...)
    valid_until: datetime | None


def open_requests(session: Session, principal: CustomerUser) -> list[ConsentRequest]:
    """The user's own requests still to answer, and consents still valid (newest first)."""
    if isinstance(principal, ActingAgent):
        return []
    now = utcnow()
    rows = session.exec(
        select(ActingConsent, StaffMember.name)
        .join(StaffMember, col(StaffMember.id) == ActingConsent.staff_id)
        .where(ActingConsent.user_id == principal.user_id)
        .order_by(col(ActingConsent.id).desc())
        .limit(20)
    ).all()
    found = []
    for row, name in rows:
        assert row.id is not None
        if row.decision == "" and row.requested_at + CONSENT_ANSWER_WITHIN > now:
            found.append(ConsentRequest(row.id, name, row.requested_at, "requested", None))
        elif row.decision == ACCEPTED and row.valid_until and row.valid_until > now:
            found.append(ConsentRequest(row.id, name, row.requested_at, ACCEPTED, row.valid_until))
    return found


def answer_request(
    session: Session, principal: CustomerUser, *, request_id: object, accept: bool
) -> None:
    """The user accepts (for ``CONSENT_VALID_FOR``) or declines an agent's request; or takes
    back a consent given. Only the user themself, never an agent acting for them."""
    if isinstance(principal, ActingAgent):
        raise ServiceError("error.permission_denied")
    row = session.get(ActingConsent, request_id) if isinstance(request_id, int) else None
    if row is None or row.user_id != principal.user_id:
        raise ServiceError(NOT_FOUND)
    now = utcnow()
    if row.decision == "" and row.requested_at + CONSENT_ANSWER_WITHIN <= now:
        raise ServiceError(NOT_FOUND)
    row.decided_at, row.decision = now, ACCEPTED if accept else DECLINED
    row.valid_until = now + CONSENT_VALID_FOR if accept else None
    session.add(row)
    audit.record(
        session,
        ANSWERED_ACTION,
        company_id=principal.company_id,
        by=principal.attribution,
        target_type="staff",
        target_id=row.staff_id,
        after={"decision": row.decision},
    )


def pending_count(session: Session, principal: CustomerUser) -> int:
    return sum(1 for r in open_requests(session, principal) if r.state == "requested")


def company_name(session: Session, company_id: int) -> str:
    company = session.get(Company, company_id)
    return company.name if company else ""
