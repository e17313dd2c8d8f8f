"""What every signed-in user sees first: their open orders, their budget left, what waits for
their decision, unread conversation messages, and (for newcomers) whom to ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from customer_center.domain.order_states import OrderStatus
from customer_center.domain.orders import order_number
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.order import Order
from customer_center.models.user import User
from customer_center.services.orders.inbox import inbox
from customer_center.services.orders.unread import Unread, unread_of
from customer_center.services.people.budgets import BudgetSituation, local_today, situation_of

SHOWN_ORDERS = 5
# Orders whose journey is over, or that never started: not "open".
CLOSED_STATUSES = frozenset(
    {OrderStatus.DRAFT, OrderStatus.CANCELLED, OrderStatus.DELIVERED, OrderStatus.RETURNED}
)


@dataclass(frozen=True)
class OpenOrder:
    order_id: int
    number: str
    status: str
    total_cents: int
    currency: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class OldestWaiting:
    order_id: int
    number: str
    requester: str
    since: datetime


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class MyDay:
    open_orders: list[OpenOrder]  # the newest few
    open_count: int
    budget: BudgetSituation
    waiting_count: int  # orders waiting for my decision (0 without the right)
    oldest_waiting: OldestWaiting | None
    unread: Unread
    has_ordered: bool  # any order ever (a newcomer has none)
    main_contact: Contact | None  # whom to ask (None for the main contact themself)


def my_day(session: Session, principal: CustomerUser, *, today: date | None = None) -> MyDay:
    """The signed-in user's own facts, scoped to their company (a handful of small queries)."""
    orders, open_count, any_order = _my_orders(session, principal)
    waiting_count, oldest = _waiting(session, principal)
    return MyDay(
        open_orders=orders,
        open_count=open_count,
        budget=situation_of(
            session, principal.company_id, principal.user_id, today or local_today()
        ),
        waiting_count=waiting_count,
        oldest_waiting=oldest,
        unread=unread_of(session, principal),
        has_ordered=any_order,
        main_contact=_main_contact(session, principal),
    )


def _my_orders(session: Session, principal: CustomerUser) -> tuple[list[OpenOrder], int, bool]:
    mine = (
        col(Order.company_id) == principal.company_id,
        col(Order.requester_id) == principal.user_id,
    )
    is_open = ~col(Order.status).in_(CLOSED_STATUSES)
    open_count, total = session.exec(
        select(func.coalesce(func.sum(case((is_open, 1), else_=0)), 0), func.count()).where(*mine)
    ).one()
    rows = session.exec(
        select(Order)
        .where(*mine)
        .where(is_open)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .limit(SHOWN_ORDERS)
    ).all()
    shown = [
        OpenOrder(
            order_id=o.id or 0,
            number=order_number(o),
            status=o.status,
            total_cents=o.total_cents,
            currency=o.currency,
            submitted_at=o.submitted_at,
        )
        for o in rows
    ]
    return shown, int(open_count), int(total) > 0


def _waiting(session: Session, principal: CustomerUser) -> tuple[int, OldestWaiting | None]:
    if not principal.may(Permission.APPROVALS_DECIDE):
        return 0, None
    page = inbox(session, principal, page=0, page_size=1)
    if not page.rows:
        return page.total, None
    row = page.rows[0]
    return page.total, OldestWaiting(row.order_id, row.number, row.requester, row.waiting_since)


def _main_contact(session: Session, principal: CustomerUser) -> Contact | None:
    row = session.exec(
        select(User.id, User.name, User.email).where(
            User.company_id == principal.company_id,
            col(User.is_main_contact).is_(True),
            User.status == UserStatus.ACTIVE,
        )
    ).first()
    if row is None or row[0] == principal.user_id:
        return None
    return Contact(name=row[1], email=row[2])
