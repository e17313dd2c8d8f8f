"""The header's search: an order (the portal's number, the company's own reference or the
seller's order number), a product (SKU or name) or a user (name or e-mail), to jump to.

One small service for all three, each scoped by the principal's company and rights: orders
the principal may see (all of the company's with ``orders.view_all``, else their own), the
catalogue for those who may open it, users for those who manage them. At most
:data:`PER_KIND` hits of each kind; codes and keys only, the state makes the links.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern
from customer_center.domain.order_states import OrderStatus
from customer_center.domain.orders import order_number, parse_order_number
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import ErpClient, ErpUnavailable
from customer_center.models.order import Order
from customer_center.models.user import User
from customer_center.services.people.names import name_or_email_matches
from customer_center.services.shop.catalogue import CATALOGUE_RIGHTS, company_customer_number

PER_KIND = 5
TERM_MIN = 2
TERM_MAX = 100


class HitKind(StrEnum):
    ORDER = "order"
    PRODUCT = "product"
    USER = "user"


@dataclass(frozen=True)
class Hit:
    kind: HitKind
    key: str  # the order's or user's id, the product's SKU
    title: str  # PO-000042, the product's name, the user's name
    detail: str  # the reference / seller's number, the SKU, the e-mail


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    catalogue_unavailable: bool = False


def _order_hits(session: Session, principal: CustomerUser, term: str) -> list[Hit]:
    if not principal.may(
        Permission.ORDERS_VIEW_ALL, Permission.ORDERS_VIEW_OWN, Permission.ORDERS_CREATE
    ):
        return []
    starts = like_pattern(term.lower(), "starts")
    matches: list[ColumnElement[bool]] = [
        func.lower(Order.reference).like(starts, escape=LIKE_ESCAPE),
        func.lower(col(Order.erp_order_number)).like(starts, escape=LIKE_ESCAPE),
    ]
    if (order_id := parse_order_number(term)) is not None:
        matches.append(col(Order.id) == order_id)
    query = select(Order).where(
        Order.company_id == principal.company_id,
        Order.status != OrderStatus.DRAFT,
        or_(*matches),
    )
    if not principal.may(Permission.ORDERS_VIEW_ALL):
        query = query.where(Order.requester_id == principal.user_id)
    rows = session.exec(query.order_by(col(Order.id).desc()).limit(PER_KIND))
    return [
        Hit(
            HitKind.ORDER,
            str(order.id),
            order_number(order),
            " · ".join(part for part in (order.reference, order.erp_order_number or "") if part),
        )
        for order in rows
    ]


def _product_hits(
    session: Session, principal: CustomerUser, term: str, erp: ErpClient
) -> list[Hit]:
    if not principal.may(*CATALOGUE_RIGHTS):
        return []
    offers = erp.list_products(company_customer_number(session, principal), term, 0, PER_KIND)
    return [
        Hit(HitKind.PRODUCT, offer.product.sku, offer.product.name, offer.product.sku)
        for offer in offers
    ]


def _user_hits(session: Session, principal: CustomerUser, term: str) -> list[Hit]:
    if not principal.may(Permission.USERS_MANAGE):
        return []
    rows = session.exec(
        select(User.id, User.name, User.email)
        .where(User.company_id == principal.company_id, name_or_email_matches(term))
        .order_by(col(User.name), col(User.id))
        .limit(PER_KIND)
    )
    return [Hit(HitKind.USER, str(uid), name, email) for uid, name, email in rows]


def search(
    session: Session, principal: CustomerUser, *, term: object, erp: ErpClient
) -> SearchResult:
    """What ``term`` finds, orders first; nothing for fewer than :data:`TERM_MIN` characters."""
    text = " ".join(term.split())[:TERM_MAX] if isinstance(term, str) else ""
    if len(text) < TERM_MIN:
        return SearchResult([])
    hits = _order_hits(session, principal, text)
    unavailable = False
    try:
        hits += _product_hits(session, principal, text, erp)
    except ErpUnavailable:
        unavailable = True
    hits += _user_hits(session, principal, text)
    return SearchResult(hits, unavailable)
