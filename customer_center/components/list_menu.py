""" "Add to list" on a catalogue product: a menu of the user's own lists (read when it opens)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.ui import tr
from customer_center.domain import routes
from customer_center.state.shopping_lists import ListPickerState as S


def add_to_list_menu(sku: rx.Var) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("list_plus", size=16),
                tr("lists.add"),
                variant="soft",
                high_contrast=True,
                type="button",
                class_name="cc-add-to-list",
            ),
        ),
        rx.menu.content(
            rx.foreach(
                S.choices,
                lambda c: rx.menu.item(c["label"], on_select=S.add_one(c["value"], sku)),
            ),
            rx.cond(S.choices.length() > 0, rx.menu.separator()),
            rx.menu.item(tr("lists.manage_lists"), on_select=rx.redirect(routes.LISTS)),
        ),
        on_open_change=lambda _open: S.load_own(),
    )
