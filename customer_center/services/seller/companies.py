"""Finding a customer company: one search box for a customer number, a company name, a
user's e-mail address or an order number (the portal's ``PO-000123`` or the ERP's).

One query: each key gives the companies it matches with a rank (how exact the key is),
each company is listed once under its best match, sorted by rank and name, cut in SQL.
A search looks into no company (it lists numbers and names, nothing of a company's
content), so it records no look in any company's audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, func, literal, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.domain.inputs import LIKE_ESCAPE, MAX_ID, like_pattern
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.models.user import User
from customer_center.services.people.names import SEARCH_MAX

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000


class MatchedBy:
    """Which key found a company, best first (the rank of each)."""

    CUSTOMER_NUMBER = "customer_number"
    PO_NUMBER = "po_number"
    SO_NUMBER = "so_number"
    EMAIL = "email"
    NAME = "name"


# What each rank means, best first: the whole customer number, an order number, a user's
# whole address, part of a customer number (agents type "10001" for "C-10001"), part of an
# address, part of the name.
_RANKS = (
    MatchedBy.CUSTOMER_NUMBER,
    MatchedBy.PO_NUMBER,
    MatchedBy.SO_NUMBER,
    MatchedBy.EMAIL,
    MatchedBy.CUSTOMER_NUMBER,
    MatchedBy.EMAIL,
    MatchedBy.NAME,
)
_EXACT_NUMBER, _PO, _SO, _EXACT_EMAIL, _PART_OF_NUMBER, _PART_OF_EMAIL, _NAME = range(len(_RANKS))
# The portal's order number as users quote it: "PO-000123", "po 123", "#123" or just "123".
_PO_NUMBER = re.compile(r"(?:po[\s-]?|#)?0*([0-9]{1,10})", re.IGNORECASE)


@dataclass(frozen=True)
class CompanyHit:
    company_id: int
    customer_number: str
    name: str
    activated_at: datetime
    main_contact_name: str  # "" when the company has none (it always has, once activated)
    main_contact_email: str
    main_contact_status: str
    matched_by: str  # a MatchedBy value
    matched_order_id: int | None  # the order a PO or SO number named


@dataclass(frozen=True)
class CompanySearchPage:
    hits: list[CompanyHit]
    query: str  # the search as it was used (trimmed, cut)
    page: int
    page_size: int
    total: int

    @property
    def has_next(self) -> bool:
        return (self.page + 1) * self.page_size < self.total


def search_term(text: object) -> str:
    """The search as used: a string, trimmed, at most ``SEARCH_MAX`` characters."""
    return text.strip()[:SEARCH_MAX].strip() if isinstance(text, str) else ""


def po_number_id(term: str) -> int | None:
    """The order id a portal order number names (``PO-000123`` -> 123), if it is one."""
    match = _PO_NUMBER.fullmatch(term.strip())
    if match is None:
        return None
    order_id = int(match[1])
    return order_id if 0 < order_id <= MAX_ID else None


def _matches(term: str) -> Any:
    """(company id, rank, order id) for every key the term matches."""
    lower = term.lower()
    contains = like_pattern(lower)
    number = func.lower(Company.customer_number)

    def hit(company: Any, rank: int, order_id: Any = None) -> list[Any]:
        order = literal(None, Integer) if order_id is None else order_id
        return [
            company.label("company_id"),
            literal(rank, Integer).label("rank"),
            order.label("order_id"),
        ]

    queries = [
        sa_select(*hit(col(Company.id), _EXACT_NUMBER)).where(number == lower),
        sa_select(*hit(col(Company.id), _PART_OF_NUMBER)).where(
            number.like(contains, escape=LIKE_ESCAPE)
        ),
        sa_select(*hit(col(Company.id), _NAME)).where(
            func.lower(Company.name).like(contains, escape=LIKE_ESCAPE)
        ),
        sa_select(*hit(col(User.company_id), _EXACT_EMAIL)).where(col(User.email) == lower),
        sa_select(*hit(col(User.company_id), _PART_OF_EMAIL)).where(
            col(User.email).like(contains, escape=LIKE_ESCAPE)
        ),
        sa_select(*hit(col(Order.company_id), _SO, col(Order.id))).where(
            col(Order.erp_order_number) == term.upper()
        ),
    ]
    order_id = po_number_id(term)
    if order_id is not None:
        queries.append(
            sa_select(*hit(col(Order.company_id), _PO, col(Order.id))).where(
                col(Order.id) == order_id, col(Order.submitted_at).is_not(None)
            )
        )
    return union_all(*queries).subquery("matches")


def _best_match(term: str) -> Any:
    """Each company once, with its best (lowest) rank and the order that rank named."""
    matches = _matches(term)
    numbered = sa_select(
        matches.c.company_id,
        matches.c.rank,
        matches.c.order_id,
        func.row_number()
        .over(
            partition_by=matches.c.company_id,
            order_by=(matches.c.rank, matches.c.order_id),
        )
        .label("n"),
    ).subquery("numbered")
    return (
        sa_select(numbered.c.company_id, numbered.c.rank, numbered.c.order_id)
        .where(numbered.c.n == 1)
        .subquery("best")
    )


def find_companies(
    session: Session,
    principal: SellerAgent,
    *,
    query: object,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> CompanySearchPage:
    """One page of the companies the search matches, best match first, then by name."""
    principal.require(StaffPermission.VIEW)
    term = search_term(query)
    size = min(max(page_size, 1), MAX_PAGE_SIZE) if type(page_size) is int else PAGE_SIZE
    page = min(max(page, 0), MAX_PAGE) if type(page) is int else 0
    if not term:
        return CompanySearchPage([], term, page, size, 0)
    best = _best_match(term)
    total = int(session.exec(select(func.count()).select_from(best)).one())
    main = (
        sa_select(col(User.company_id), col(User.name), col(User.email), col(User.status))
        .where(col(User.is_main_contact).is_(True))
        .subquery("main")
    )
    statement = (
        sa_select(
            col(Company.id),
            col(Company.customer_number),
            col(Company.name),
            col(Company.activated_at),
            main.c.name,
            main.c.email,
            main.c.status,
            best.c.rank,
            best.c.order_id,
        )
        .join(best, best.c.company_id == col(Company.id))
        .outerjoin(main, main.c.company_id == col(Company.id))
        .order_by(best.c.rank, func.lower(Company.name), col(Company.id))
        .offset(page * size)
        .limit(size)
    )
    hits = [_hit(row) for row in session.execute(statement).all()]
    return CompanySearchPage(hits, term, page, size, total)


def _hit(row: Any) -> CompanyHit:
    company_id, number, name, activated, main_name, main_email, main_status, rank, order = row
    return CompanyHit(
        company_id=company_id,
        customer_number=number,
        name=name,
        activated_at=activated,
        main_contact_name=main_name or "",
        main_contact_email=main_email or "",
        main_contact_status=main_status or "",
        matched_by=_RANKS[rank],
        matched_order_id=order,
    )
