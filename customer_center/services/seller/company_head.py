"""What every company page of the console shows above its content: the company's name and
customer number (for the "← <company>" link), and the company's users to pick by name (the
cart price check). Checks ``seller.view``; records no look (the page's own read does)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from customer_center.domain.principals import SellerAgent
from customer_center.services.people.names import users_to_pick
from customer_center.services.seller.looks import company_to_view

MAX_USERS_TO_PICK = 200


@dataclass(frozen=True)
class CompanyHead:
    company_id: int
    name: str
    customer_number: str


def company_head(session: Session, principal: SellerAgent, *, company_id: object) -> CompanyHead:
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    return CompanyHead(company.id, company.name, company.customer_number)


def company_users_to_pick(
    session: Session, principal: SellerAgent, *, company_id: object, search: str = ""
) -> list[tuple[int, str]]:
    """The company's users (any status) by name, narrowed by ``search`` (name or e-mail)."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    return users_to_pick(session, company.id, search=search[:100], limit=MAX_USERS_TO_PICK)
