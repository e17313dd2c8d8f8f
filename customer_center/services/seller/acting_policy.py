"""The customer's side of acting: the company's policy (set by whoever manages the company,
its main contact) and the users' answers to agents' requests for consent."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.domain.errors import ValidationFailed
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.staff import ActingPolicy
from customer_center.models.company import Company
from customer_center.services import audit

POLICY_CHANGED = "company.acting_policy_changed"


def company_policy(session: Session, principal: CustomerUser) -> str:
    """The company's policy (its manager reads it on the company's settings)."""
    principal.require(Permission.COMPANY_MANAGE)
    company = session.get(Company, principal.company_id)
    assert company is not None
    return company.acting_policy


def set_company_policy(session: Session, principal: CustomerUser, *, policy: object) -> bool:
    """Set whether the seller's agents may act for the company's users; audited. False when
    nothing changed."""
    principal.require(Permission.COMPANY_MANAGE)
    if not isinstance(policy, str) or policy not in set(ActingPolicy):
        raise ValidationFailed({"policy": ("acting.error.policy", {})})
    company = session.get(Company, principal.company_id)
    assert company is not None
    if company.acting_policy == policy:
        return False
    before = company.acting_policy
    company.acting_policy = policy
    session.add(company)
    audit.record_admin(
        session,
        principal,
        action=POLICY_CHANGED,
        target_type="company",
        target_id=company.id,
        before={"policy": before},
        after={"policy": policy},
    )
    return True
