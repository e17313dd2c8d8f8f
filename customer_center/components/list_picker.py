""" "Add to a list": one of the user's own lists and a button, under the cart and on an order.

The pages it sits on load the lists with their other on_load handlers
(``ListPickerState.load_own``: opening the page stays one event). Shown to those who may
order only.
"""

from __future__ import annotations

import reflex as rx

from customer_center.components import strong
from customer_center.components.forms import OnSubmit
from customer_center.components.ui import tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.session import SessionState
from customer_center.state.shopping_lists import ListPickerState as S


def list_picker(on_submit: OnSubmit, picker_id: str) -> rx.Component:
    """``on_submit``: ``ListPickerState.add_cart`` or ``add_order``."""
    select_id = f"{picker_id}-select"
    form = rx.form(
        rx.vstack(
            rx.el.label(tr("lists.add_to"), html_for=select_id, class_name="cc-label"),
            rx.cond(
                S.choices.length() > 0,
                rx.flex(
                    rx.el.select(
                        rx.foreach(S.choices, lambda c: rx.el.option(c["label"], value=c["value"])),
                        name="list_id",
                        id=select_id,
                        class_name="cc-native-select",
                    ),
                    strong.button(rx.icon("list_plus", size=16), tr("lists.add"), type="submit"),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.link(tr("lists.make_one"), href=routes.LISTS, size="2", id=select_id),
            ),
            rx.cond(S.done != "", rx.text(S.done, size="2", color_scheme="green")),
            rx.cond(
                S.problem != "", rx.text(S.problem, size="2", color_scheme="red", role="alert")
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        id=picker_id,
    )
    return rx.cond(SessionState.permissions.contains(Permission.ORDERS_CREATE.value), form)
