"""One shopping list: its lines with today's prices, into the cart (all or the chosen ones);
its owner adds, changes and removes lines, shares and deletes it."""

from __future__ import annotations

import reflex as rx

from customer_center.components import strong
from customer_center.components.forms import field_error
from customer_center.components.layout import app_page
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.domain.inputs import MAX_LINE_QUANTITY
from customer_center.domain.permissions import Permission
from customer_center.state.shopping_list import ShoppingListState as S

ORDER = Permission.ORDERS_CREATE.value


def label(key: str, for_id: str) -> rx.Component:
    return rx.el.label(tr(key), html_for=for_id, class_name="cc-label")


def hidden_label(key: str) -> rx.Component:
    """A column's name for screen readers only (a column of checkboxes or buttons)."""
    return rx.el.span(tr(key), class_name="cc-sr-only")


def header() -> rx.Component:
    return rx.flex(
        rx.heading(S.name, size="6", as_="h2", id="list-name"),
        strong.badge(S.sharing, variant="soft", color_scheme="blue", size="2", id="list-sharing"),
        rx.spacer(),
        rx.text(tr("lists.owned_by").replace("{name}", S.owner), size="2", color_scheme="gray"),
        spacing="3",
        align="center",
        wrap="wrap",
        width="100%",
    )


def quantity_cell(row: Texts) -> rx.Component:
    return rx.cond(
        S.is_own,
        rx.form(
            rx.hstack(
                rx.el.input(type="hidden", name="sku", value=row["sku"]),
                rx.input(
                    name="quantity",
                    type="number",
                    default_value=row["quantity"],
                    min=1,
                    max=MAX_LINE_QUANTITY,
                    aria_label=tr("shop.quantity"),
                    width="5.5rem",
                ),
                strong.button(tr("shop.cart.update"), type="submit", variant="soft", size="2"),
                spacing="2",
            ),
            on_submit=S.update,
            reset_on_submit=False,
            key=row["sku"] + "-" + S.round.to_string(),
        ),
        rx.text(row["quantity"]),
    )


def line_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=S.chosen.contains(row["sku"]),
                on_change=lambda _checked: S.choose(row["sku"]),
                aria_label=tr("lists.choose").replace("{sku}", row["sku"]),
            )
        ),
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["name"], weight="medium"),
                rx.text(row["sku"], size="1", color_scheme="gray"),
                rx.cond(
                    row["unavailable"] != "",
                    rx.text(tr("shop.cart.unavailable"), size="1", color_scheme="red"),
                ),
                spacing="0",
            )
        ),
        rx.table.cell(quantity_cell(row)),
        rx.table.cell(
            rx.vstack(
                rx.text(row["price"], class_name="cc-nowrap"),
                rx.text(row["unit"], size="1", color_scheme="gray"),
                spacing="0",
            ),
            class_name="cc-hide-narrow",
        ),
        rx.table.cell(
            rx.cond(
                S.is_own,
                strong.icon_button(
                    rx.icon("trash_2", size=16),
                    variant="ghost",
                    color_scheme="red",
                    aria_label=tr("shop.remove"),
                    title=tr("shop.remove"),
                    on_click=S.remove(row["sku"]),
                ),
            )
        ),
        class_name="cc-list-line",
        data_sku=row["sku"],
    )


def lines_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(
                        rx.el.span(tr("lists.chosen"), class_name="cc-sr-only")
                    ),
                    rx.table.column_header_cell(tr("quick_order.column.product")),
                    rx.table.column_header_cell(tr("shop.quantity")),
                    rx.table.column_header_cell(
                        tr("quick_order.column.price"), class_name="cc-hide-narrow"
                    ),
                    rx.table.column_header_cell(
                        rx.el.span(tr("shop.remove"), class_name="cc-sr-only")
                    ),
                )
            ),
            rx.table.body(rx.foreach(S.rows, line_row)),
            variant="surface",
            width="100%",
        ),
        class_name="cc-table-wrap",
        width="100%",
    )


def cart_buttons() -> rx.Component:
    return rx.flex(
        strong.button(
            rx.icon("shopping_cart", size=16),
            tr("lists.all_to_cart"),
            on_click=S.all_to_cart,
            disabled=S.rows.length() == 0,
            id="list-all-to-cart",
            class_name="cc-wrap-button",
        ),
        strong.button(
            tr("lists.chosen_to_cart").replace("{count}", S.chosen.length().to_string()),
            on_click=S.chosen_to_cart,
            disabled=S.chosen.length() == 0,
            variant="soft",
            id="list-chosen-to-cart",
            class_name="cc-wrap-button",
        ),
        rx.link(tr("quick_order.to_cart"), href=routes.CART, size="2"),
        spacing="3",
        align="center",
        wrap="wrap",
    )


def problems() -> rx.Component:
    return rx.cond(
        S.problems.length() > 0,
        strong.callout_root(
            rx.callout.icon(rx.icon("triangle_alert")),
            rx.vstack(
                rx.callout.text(tr("lists.not_added"), weight="medium"),
                rx.el.ul(
                    rx.foreach(
                        S.problems,
                        lambda p: rx.el.li(rx.text(p["sku"], ": ", p["problem"], size="2")),
                    ),
                    style={"margin": 0, "padding_left": "1.25rem"},
                ),
                spacing="1",
            ),
            color_scheme="amber",
            width="100%",
            id="list-problems",
        ),
    )


def add_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.vstack(
                label("lists.add_sku", "list-add-sku"),
                rx.input(
                    name="sku",
                    id="list-add-sku",
                    max_length=64,
                    width="100%",
                    aria_describedby="sku-error",
                ),
                field_error(S.errors, "sku"),
                spacing="1",
                flex="1",
                min_width="12rem",
            ),
            rx.vstack(
                rx.el.label(
                    tr("shop.quantity"), html_for="list-add-quantity", class_name="cc-label"
                ),
                rx.input(
                    name="quantity",
                    id="list-add-quantity",
                    type="number",
                    default_value="1",
                    min=1,
                    max=MAX_LINE_QUANTITY,
                    width="6rem",
                ),
                field_error(S.errors, "quantity"),
                spacing="1",
            ),
            strong.button(rx.icon("plus", size=16), tr("lists.add"), type="submit"),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        on_submit=S.add,
        reset_on_submit=False,
        key="add-" + S.round.to_string(),
    )


def owner_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("lists.manage"), size="4", as_="h2"),
            add_form(),
            rx.cond(
                S.can_share,
                rx.vstack(
                    rx.el.label(
                        tr("lists.sharing"), html_for="list-sharing-select", class_name="cc-label"
                    ),
                    rx.el.select(
                        rx.foreach(
                            S.sharing_choices,
                            lambda c: rx.el.option(c["label"], value=c["value"]),
                        ),
                        value=S.sharing_value,
                        on_change=S.share,
                        id="list-sharing-select",
                        class_name="cc-native-select",
                    ),
                    field_error(S.errors, "sharing"),
                    spacing="1",
                ),
            ),
            field_error(S.errors, ""),
            strong.button(
                rx.icon("trash", size=14),
                tr("lists.delete"),
                variant="ghost",
                color_scheme="red",
                on_click=S.delete_list,
                id="list-delete",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def list_content() -> rx.Component:
    return rx.vstack(
        rx.link(tr("lists.back"), href=routes.LISTS, size="2"),
        header(),
        rx.cond(S.notice != "", strong.notice(S.notice, icon="check")),
        rx.cond(S.problem != "", strong.notice(S.problem, color="red", icon="triangle_alert")),
        problems(),
        rx.cond(
            S.rows.length() > 0,
            rx.vstack(lines_table(), cart_buttons(), spacing="3", width="100%"),
            rx.text(tr("lists.empty"), color_scheme="gray", id="list-empty"),
        ),
        rx.cond(S.is_own, owner_card()),
        spacing="4",
        width="100%",
        max_width="60rem",
    )


@portal_page(routes.LIST, S.load, title_key="page.list")
def shopping_list_page() -> rx.Component:
    return app_page(
        rx.cond(
            S.found,
            list_content(),
            rx.cond(S.loaded, strong.notice(S.problem, color="red", icon="search_x"), rx.spinner()),
        ),
        title_key="lists.list_title",
        permission=ORDER,
    )
