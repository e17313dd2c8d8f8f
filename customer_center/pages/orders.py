"""/orders: my orders, or all of the company's, filtered, sorted, one page at a time; CSV."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventCallback

from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Text, Texts, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.services.orders.lists import LISTED_STATUSES, SCOPE_ALL, SCOPE_MINE
from customer_center.state.orders import ALL, OrderListState
from customer_center.state.session import SessionState

STATUS_COLORS = {
    "pending_approval": "amber",
    "rejected": "red",
    "approved": "blue",
    "sent_to_erp": "blue",
    "confirmed": "blue",
    "picked": "cyan",
    "partially_shipped": "cyan",
    "shipped": "cyan",
    "in_transit": "cyan",
    "delivered": "green",
    "cancelled": "gray",
    "returned": "gray",
}


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"),
        variant="soft",
        class_name="cc-nowrap",
    )


def may_list_orders() -> rx.Var:
    rights = SessionState.permissions
    return rights.contains(Permission.ORDERS_VIEW_OWN.value) | rights.contains(
        Permission.ORDERS_VIEW_ALL.value
    )


def _labelled(
    label_key: str, control: rx.Component, html_for: str, error: str = ""
) -> rx.Component:
    state = OrderListState
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=html_for, class_name="cc-label"),
        control,
        rx.cond(
            state.errors.contains(error) if error else False,
            rx.text(
                state.errors[error], size="1", color_scheme="red", role="alert", id=f"{error}-error"
            ),
        ),
        spacing="1",
        width="100%",
        min_width="0",
    )


def scope_switch() -> rx.Component:
    return rx.cond(
        OrderListState.can_view_all,
        rx.segmented_control.root(
            rx.segmented_control.item(tr("order_list.scope.mine"), value=SCOPE_MINE),
            rx.segmented_control.item(tr("order_list.scope.all"), value=SCOPE_ALL),
            value=OrderListState.scope,
            on_change=OrderListState.set_scope,
            id="order-scope",
        ),
    )


def status_filter() -> rx.Component:
    return _labelled(
        "order_list.filter.status",
        rx.select.root(
            rx.select.trigger(id="order-status", width="100%"),
            rx.select.content(
                rx.select.item(tr("order_list.filter.status_all"), value=ALL),
                *[rx.select.item(tr(f"orders.status.{s}"), value=s) for s in LISTED_STATUSES],
            ),
            value=OrderListState.status,
            on_change=OrderListState.set_status,
        ),
        "order-status",
    )


def requester_filter() -> rx.Component:
    state = OrderListState
    return _labelled(
        "order_list.filter.requester",
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                placeholder=tr("order_list.filter.requester_search"),
                value=state.requester_search,
                on_change=state.search_requester,
                aria_label=tr("order_list.filter.requester_search"),
                id="order-requester-search",
                flex="1",
                min_width="0",
            ),
            rx.select.root(
                rx.select.trigger(id="order-requester", flex="1", min_width="0"),
                rx.select.content(
                    rx.select.item(tr("order_list.filter.requester_all"), value=ALL),
                    rx.foreach(
                        state.requester_options,
                        lambda o: rx.select.item(o["label"], value=o["id"]),
                    ),
                ),
                value=state.requester,
                on_change=state.set_requester,
            ),
            spacing="2",
            width="100%",
        ),
        "order-requester-search",
    )


def _input(
    element_id: str, value: Text, on_change: EventCallback[str], **props: Any
) -> rx.Component:
    return rx.input(value=value, on_change=on_change, id=element_id, width="100%", **props)


def filter_bar() -> rx.Component:
    state = OrderListState
    return rx.vstack(
        rx.grid(
            status_filter(),
            _labelled(
                "order_list.filter.from",
                _input("order-from", state.date_from, state.set_date_from, type="date"),
                "order-from",
            ),
            _labelled(
                "order_list.filter.to",
                _input("order-to", state.date_to, state.set_date_to, type="date"),
                "order-to",
                "date_to",
            ),
            _labelled(
                "order_list.filter.min",
                _input(
                    "order-min",
                    state.min_value,
                    state.set_min_value,
                    debounce_timeout=500,
                    input_mode="decimal",
                    placeholder=tr("order_list.filter.any"),
                ),
                "order-min",
                "min_value",
            ),
            _labelled(
                "order_list.filter.max",
                _input(
                    "order-max",
                    state.max_value,
                    state.set_max_value,
                    debounce_timeout=500,
                    input_mode="decimal",
                    placeholder=tr("order_list.filter.any"),
                ),
                "order-max",
                "max_value",
            ),
            columns=rx.breakpoints(initial="2", md="3", lg="5"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            state.scope == SCOPE_ALL, rx.box(requester_filter(), width="100%", max_width="36rem")
        ),
        rx.flex(
            rx.text(state.total_text, size="2", color_scheme="gray", id="order-count"),
            rx.spacer(),
            rx.button(
                rx.icon("filter_x", size=16),
                tr("order_list.filter.reset"),
                variant="soft",
                color_scheme="gray",
                on_click=state.reset_filters,
                id="order-reset",
            ),
            rx.el.a(
                rx.button(rx.icon("download", size=16), tr("order_list.export"), variant="soft"),
                href=state.export_href,
                id="order-export",
            ),
            spacing="2",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def sort_header(
    key: str, column: str, narrow_hidden: bool = False, align: str = "left"
) -> rx.Component:
    state = OrderListState
    arrow = rx.cond(
        state.sort == column,
        rx.icon(rx.cond(state.descending, "arrow_down", "arrow_up"), size=14),
    )
    return rx.table.column_header_cell(
        rx.button(
            tr(key),
            arrow,
            variant="ghost",
            size="1",
            color_scheme="gray",
            high_contrast=True,
            on_click=state.sort_by(column),
            class_name="cc-sort",
        ),
        class_name="cc-hide-narrow" if narrow_hidden else "",
        text_align=align,
    )


def order_row(row: Texts) -> rx.Component:
    all_scope = OrderListState.scope == SCOPE_ALL
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(row["number"], href=row["href"], weight="medium", class_name="cc-nowrap"),
                rx.cond(
                    row["reference"] != "",
                    rx.text(row["reference"], size="1", color_scheme="gray"),
                ),
                rx.text(
                    row["submitted"], size="1", color_scheme="gray", class_name="cc-show-narrow"
                ),
                rx.cond(
                    all_scope,
                    rx.text(
                        row["requester"], size="1", color_scheme="gray", class_name="cc-show-narrow"
                    ),
                ),
                spacing="0",
            )
        ),
        rx.table.cell(row["submitted"], class_name="cc-hide-narrow"),
        rx.cond(all_scope, rx.table.cell(row["requester"], class_name="cc-hide-narrow")),
        rx.table.cell(
            status_badge(row["status"], row["status_label"]),
            rx.cond(
                row["erp_number"] != "",
                rx.text(
                    row["erp_number"], size="1", color_scheme="gray", class_name="cc-hide-narrow"
                ),
            ),
        ),
        rx.table.cell(row["total"], text_align="right", class_name="cc-nowrap"),
        class_name="cc-order-row",
    )


def orders_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("order_list.column.number")),
                    sort_header("order_list.column.submitted", "submitted", narrow_hidden=True),
                    rx.cond(
                        OrderListState.scope == SCOPE_ALL,
                        sort_header("order_list.column.requester", "requester", True),
                    ),
                    sort_header("order_list.column.status", "status"),
                    sort_header("order_list.column.total", "total", align="right"),
                )
            ),
            rx.table.body(rx.foreach(OrderListState.rows, order_row)),
            variant="surface",
            width="100%",
            id="order-table",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def orders_pager() -> rx.Component:
    state = OrderListState
    return state_pager(
        state, page_text("order_list.page", state.page, state.page_count), id_prefix="order"
    )


def order_list() -> rx.Component:
    state = OrderListState
    return rx.vstack(
        rx.flex(
            rx.text(
                rx.cond(
                    state.scope == SCOPE_ALL,
                    tr("order_list.intro_all"),
                    tr("order_list.intro_mine"),
                ),
                size="2",
                color_scheme="gray",
            ),
            rx.spacer(),
            scope_switch(),
            spacing="3",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        filter_bar(),
        rx.cond(
            state.rows.length() > 0,
            orders_table(),
            rx.cond(
                state.errors.length() == 0,
                once_loaded(rx.text(tr("order_list.empty"), color_scheme="gray", id="order-empty")),
            ),
        ),
        rx.cond(state.page_count > 1, orders_pager()),
        spacing="4",
        width="100%",
    )


@portal_page(
    routes.ORDERS,
    OrderListState.load,
    title_key="page.orders",
    right=(Permission.ORDERS_VIEW_OWN, Permission.ORDERS_VIEW_ALL),
    nav=Nav("nav.orders", "package", NavGroup.SHOP, 4),
)
def orders_page() -> rx.Component:
    return app_page(
        rx.cond(
            may_list_orders(),
            order_list(),
            rx.cond(
                SessionState.user_name != "",
                rx.callout(
                    tr("error.permission_denied"),
                    icon="lock",
                    color_scheme="amber",
                    id="no-access",
                ),
            ),
        ),
        title_key="order_list.title",
    )
