"""The "Order again" box of an order's page, for those who may order."""

from __future__ import annotations

import reflex as rx

from customer_center.components import strong
from customer_center.components.list_picker import list_picker
from customer_center.components.ui import tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.reorder import ReorderState as S
from customer_center.state.session import SessionState
from customer_center.state.shopping_lists import ListPickerState


def _result() -> rx.Component:
    return rx.vstack(
        strong.callout(S.done, icon="shopping_cart", color_scheme="green", width="100%"),
        rx.cond(
            S.changes.length() > 0,
            rx.vstack(
                rx.text(tr("reorder.changes"), size="2", weight="medium"),
                rx.el.ul(
                    rx.foreach(S.changes, lambda line: rx.el.li(rx.text(line, size="2"))),
                    style={"margin": 0, "padding_left": "1.25rem"},
                    id="reorder-changes",
                ),
                spacing="1",
                width="100%",
            ),
        ),
        rx.link(tr("reorder.to_cart"), href=routes.CART, size="2"),
        spacing="2",
        width="100%",
        id="reorder-result",
    )


def reorder_box() -> rx.Component:
    box = rx.card(
        rx.vstack(
            strong.button(
                rx.icon("repeat", size=16),
                tr("reorder.button"),
                on_click=S.order_again,
                variant="soft",
                width="100%",
                id="order-again",
            ),
            rx.cond(
                S.problem != "",
                rx.text(S.problem, size="2", color_scheme="red", role="alert"),
            ),
            rx.cond(S.done != "", _result()),
            rx.separator(size="4"),
            list_picker(ListPickerState.add_order, "order-to-list"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="reorder-box",
    )
    return rx.cond(SessionState.permissions.contains(Permission.ORDERS_CREATE.value), box)
