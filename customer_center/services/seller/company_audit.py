"""A company's audit log as the seller's customer care reads it: the customer's own log
(the same filter, the same page), looks of the seller's agents included.

The look is recorded in the company's audit log (:mod:`looks`) before the page is read, so
the agent sees their own look at the top, as the main contact will.
"""

from __future__ import annotations

from sqlmodel import Session

from customer_center.domain.principals import SellerAgent
from customer_center.services.audit_log import AuditFilter, AuditPage, company_audit_page
from customer_center.services.seller.companies import MAX_PAGE
from customer_center.services.seller.looks import VIEWED_AUDIT_LOG, company_to_view, record_look


def company_audit_log(
    session: Session,
    principal: SellerAgent,
    *,
    company_id: object,
    audit_filter: AuditFilter | None = None,
    page: int = 0,
) -> AuditPage:
    """One page of the company's audit log, newest first, filtered as the customer's."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    record_look(session, principal, company_id=company.id, action=VIEWED_AUDIT_LOG)
    return company_audit_page(
        session,
        company.id,
        audit_filter=audit_filter or AuditFilter(),
        page=min(page, MAX_PAGE) if type(page) is int else 0,
    )
