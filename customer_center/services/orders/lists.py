"""Order lists: "my orders" and "all company orders", one filtered page or the whole list as CSV.

Both read the same filter (:class:`OrderFilter`, parsed from plain strings by
:func:`filter_from_params`, so the screen and its CSV export show the same orders), always
within the principal's company. Who sees what:

- ``orders.view_own``: the orders they placed themselves (scope ``mine``);
- ``orders.view_all``: every order of the company (scope ``all``), and their own as well.

A request for more than the principal may see is narrowed, never widened: scope ``all`` without
``orders.view_all`` shows the principal's own orders. Filtering, sorting and paging happen in SQL
(indexes ``ix_order_company_*`` on customer_order); drafts (never submitted) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.domain.budgets import MAX_CENTS
from customer_center.domain.csv_cells import csv_line
from customer_center.domain.inputs import parse_date, parse_id, parse_whole
from customer_center.domain.order_states import OrderStatus
from customer_center.domain.orders import ALL_STATUSES, order_number
from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import PORTAL_TIMEZONE, start_of_local_day
from customer_center.domain.principals import CustomerUser
from customer_center.models.order import Order
from customer_center.models.user import User
from customer_center.services.people.names import users_to_pick

SCOPE_MINE, SCOPE_ALL = "mine", "all"
SCOPES = (SCOPE_MINE, SCOPE_ALL)
LISTED_STATUSES = tuple(s for s in ALL_STATUSES if s != OrderStatus.DRAFT)
SORTS = ("submitted", "total", "status", "requester")
PAGE_SIZE = 25
# Counting every match of a company with 100,000 orders costs more than the page itself;
# beyond this many the list says "more than" and asks for a filter.
COUNT_CAP = 10_000
CSV_BATCH = 500
CSV_COLUMNS = (
    "number",
    "submitted",
    "requester",
    "requester_email",
    "reference",
    "status",
    "total",
    "currency",
    "erp_order_number",
)


@dataclass(frozen=True)
class OrderFilter:
    """What to list; dates are days in the portal's time zone, both ends included; values
    are order totals in cents, both ends included."""

    scope: str = SCOPE_MINE
    status: str = ""
    requester_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    min_cents: int | None = None
    max_cents: int | None = None
    sort: str = "submitted"
    descending: bool = True


def filter_from_params(params: Mapping[str, str]) -> OrderFilter:
    """The filter from untrusted strings (query string, browser): anything odd is dropped."""

    def value(name: str, limit: int = 20) -> str:
        raw = params.get(name, "")
        return raw.strip()[:limit] if isinstance(raw, str) else ""

    sort, direction = value("sort"), value("dir")
    requester = value("requester", 12)
    return OrderFilter(
        scope=value("scope") if value("scope") in SCOPES else SCOPE_MINE,
        status=value("status", 24) if value("status", 24) in LISTED_STATUSES else "",
        requester_id=parse_id(requester),
        date_from=parse_date(value("from", 10)),
        date_to=parse_date(value("to", 10)),
        min_cents=parse_whole(value("min"), MAX_CENTS),
        max_cents=parse_whole(value("max"), MAX_CENTS),
        sort=sort if sort in SORTS else "submitted",
        descending=direction != "asc",
    )


def filter_to_params(order_filter: OrderFilter) -> dict[str, str]:
    """The query-string form of a filter (only what differs from the default)."""
    f = order_filter
    params = {
        "scope": f.scope if f.scope != SCOPE_MINE else "",
        "status": f.status,
        "requester": str(f.requester_id) if f.requester_id is not None else "",
        "from": f.date_from.isoformat() if f.date_from else "",
        "to": f.date_to.isoformat() if f.date_to else "",
        "min": str(f.min_cents) if f.min_cents is not None else "",
        "max": str(f.max_cents) if f.max_cents is not None else "",
        "sort": f.sort if f.sort != "submitted" else "",
        "dir": "asc" if not f.descending else "",
    }
    return {key: text for key, text in params.items() if text}


# --- who sees what ---------------------------------------------------------------------------


def visible_scope(principal: CustomerUser, requested: str) -> str:
    """The scope the principal gets: ``all`` only with orders.view_all; refused without either
    right."""
    principal.require(Permission.ORDERS_VIEW_ALL, Permission.ORDERS_VIEW_OWN)
    if principal.may(Permission.ORDERS_VIEW_ALL) and requested == SCOPE_ALL:
        return SCOPE_ALL
    return SCOPE_MINE


def _filtered(statement: Any, company_id: int, f: OrderFilter, mine: int | None) -> Any:
    """The company's submitted orders matching ``f``; only those of user ``mine`` if given."""
    statement = statement.where(
        Order.company_id == company_id,
        col(Order.submitted_at).is_not(None),
        Order.status != OrderStatus.DRAFT,
    )
    if mine is not None:
        statement = statement.where(Order.requester_id == mine)
    elif f.requester_id is not None:
        statement = statement.where(Order.requester_id == f.requester_id)
    if f.status:
        statement = statement.where(Order.status == f.status)
    if f.date_from:
        statement = statement.where(col(Order.submitted_at) >= start_of_local_day(f.date_from))
    if f.date_to:
        end = start_of_local_day(f.date_to + timedelta(days=1))
        statement = statement.where(col(Order.submitted_at) < end)
    if f.min_cents is not None:
        statement = statement.where(col(Order.total_cents) >= f.min_cents)
    if f.max_cents is not None:
        statement = statement.where(col(Order.total_cents) <= f.max_cents)
    return statement


def _sorted(statement: Any, f: OrderFilter) -> Any:
    column = {
        "submitted": col(Order.submitted_at),
        "total": col(Order.total_cents),
        "status": col(Order.status),
        "requester": col(User.name),
    }[f.sort]
    tie = col(Order.id)
    if f.descending:
        return statement.order_by(column.desc(), tie.desc())
    return statement.order_by(column.asc(), tie.asc())


def _rows_statement() -> Any:
    columns = [
        col(Order.id),
        col(Order.status),
        col(Order.submitted_at),
        col(Order.total_cents),
        col(Order.currency),
        col(Order.reference),
        col(Order.erp_order_number),
        col(Order.requester_id),
        col(User.name),
        col(User.email),
    ]
    return sa_select(*columns).join(User, col(User.id) == Order.requester_id)


# --- one page for the screen -----------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    status: str
    submitted_at: datetime
    total_cents: int
    currency: str
    reference: str
    erp_order_number: str
    requester_id: int
    requester_name: str


@dataclass(frozen=True)
class OrderPage:
    rows: list[OrderRow]
    total: int
    page: int
    page_count: int
    scope: str
    more: bool = False  # more than ``total`` (= COUNT_CAP) orders match


def _row(found: Any) -> OrderRow:
    order_id, status, submitted, total, currency, reference, erp, requester_id, name, _ = found
    return OrderRow(
        id=order_id,
        number=order_number(_Id(order_id)),
        status=status,
        submitted_at=submitted,
        total_cents=total,
        currency=currency,
        reference=reference,
        erp_order_number=erp or "",
        requester_id=requester_id,
        requester_name=name,
    )


@dataclass
class _Id:
    id: int | None


def orders_page(
    session: Session, principal: CustomerUser, *, order_filter: OrderFilter, page: int
) -> OrderPage:
    """One page of the list, newest first by default; ``page`` is clamped to what exists."""
    scope = visible_scope(principal, order_filter.scope)
    mine = principal.user_id if scope == SCOPE_MINE else None
    return company_orders_page(
        session, principal.company_id, order_filter=order_filter, page=page, mine=mine
    )


def company_orders_page(
    session: Session,
    company_id: int,
    *,
    order_filter: OrderFilter,
    page: int,
    mine: int | None = None,
) -> OrderPage:
    """The page of :func:`orders_page` for any company (all its orders, or only those of
    user ``mine``): also read by the seller's console."""
    matches = _filtered(sa_select(col(Order.id)), company_id, order_filter, mine).limit(
        COUNT_CAP + 1
    )
    count = int(session.exec(select(func.count()).select_from(matches.subquery())).one())
    total, more = min(count, COUNT_CAP), count > COUNT_CAP
    page_count = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), page_count - 1)
    statement = _sorted(_filtered(_rows_statement(), company_id, order_filter, mine), order_filter)
    found = session.execute(statement.offset(page * PAGE_SIZE).limit(PAGE_SIZE)).all()
    scope = SCOPE_MINE if mine is not None else SCOPE_ALL
    return OrderPage([_row(r) for r in found], total, page, page_count, scope, more)


def requester_choices(
    session: Session, principal: CustomerUser, *, search: str = "", limit: int = 50
) -> list[tuple[int, str]]:
    """Users of the company for the requester filter (holders of orders.view_all only)."""
    if not principal.may(Permission.ORDERS_VIEW_ALL):
        return []
    return users_to_pick(session, principal.company_id, search=search, limit=limit)


# --- the CSV export --------------------------------------------------------------------------


def iter_orders_csv(
    session: Session, principal: CustomerUser, *, order_filter: OrderFilter
) -> Iterator[str]:
    """Every listed order in the list's order as CSV lines of :data:`CSV_COLUMNS` (the
    header is the caller's, in the reader's words), streamed in batches: neutral values (ISO
    times with offset, amounts with a point)."""
    scope = visible_scope(principal, order_filter.scope)
    mine = principal.user_id if scope == SCOPE_MINE else None
    filtered = _filtered(_rows_statement(), principal.company_id, order_filter, mine)
    statement = _sorted(filtered, order_filter)
    result = session.execute(statement.execution_options(yield_per=CSV_BATCH))
    for found in result:
        row = _row(tuple(found))
        yield csv_line(
            [
                row.number,
                _local_iso(row.submitted_at),
                row.requester_name,
                found[-1],
                row.reference,
                row.status,
                _decimal(row.total_cents),
                row.currency,
                row.erp_order_number,
            ]
        )


def _decimal(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _local_iso(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(PORTAL_TIMEZONE).isoformat(timespec="seconds")
