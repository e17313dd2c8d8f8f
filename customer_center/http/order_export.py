"""GET /export/orders.csv: the order list as filtered on screen (same query parameters).

Holders of orders.view_own get their own orders, holders of orders.view_all any of the
company's (``scope=all``); the service narrows the scope to what the principal may see.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sqlmodel import Session

from customer_center.domain.csv_cells import csv_line
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.routes import EXPORT_ORDERS
from customer_center.http.exports import csv_download_route
from customer_center.presenters.orders import csv_header
from customer_center.services.orders.lists import (
    CSV_COLUMNS,
    OrderFilter,
    filter_from_params,
    iter_orders_csv,
)

PATH = EXPORT_ORDERS


def orders_csv_lines(
    session: Session, principal: CustomerUser, *, order_filter: OrderFilter
) -> Iterator[str]:
    """The header in the principal's language, then the listed orders."""
    yield csv_line(csv_header(CSV_COLUMNS, principal.language))
    yield from iter_orders_csv(session, principal, order_filter=order_filter)


def orders_csv(
    session: Session, principal: CustomerUser, params: Mapping[str, str]
) -> Iterator[str]:
    return orders_csv_lines(session, principal, order_filter=filter_from_params(params))


routes = [
    csv_download_route(PATH, (Permission.ORDERS_VIEW_OWN, Permission.ORDERS_VIEW_ALL), orders_csv)
]
