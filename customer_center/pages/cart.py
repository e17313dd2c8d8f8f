"""The cart: lines with today's prices, quantities, totals and the budget situation."""

from __future__ import annotations

import reflex as rx

from customer_center.components.budget_editor import situation
from customer_center.components.invoice_totals import invoice_totals
from customer_center.components.layout import app_page
from customer_center.components.list_picker import list_picker
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.shop import cart_count_badge
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.services.shop.cart import MAX_LINE_QUANTITY
from customer_center.state.cart import CartState
from customer_center.state.shopping_lists import ListPickerState

ORDER = Permission.ORDERS_CREATE.value


def quantity_form(row: Texts) -> rx.Component:
    """The line's own form: the SKU travels in a hidden field; Enter or "Update" saves."""
    state = CartState
    sku = row["sku"]
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.el.input(type="hidden", name="sku", value=sku),
                rx.input(
                    name="quantity",
                    type="number",
                    default_value=row["quantity"],
                    min=1,
                    max=MAX_LINE_QUANTITY,
                    aria_label=tr("shop.quantity"),
                    width="5.5rem",
                    class_name="cc-cart-quantity",
                ),
                rx.button(
                    tr("shop.cart.update"),
                    type="submit",
                    variant="soft",
                    size="2",
                    class_name="cc-cart-update",
                ),
                spacing="2",
                align="center",
            ),
            rx.cond(
                state.errors.contains(sku),
                rx.text(state.errors[sku], size="1", color_scheme="red", role="alert"),
            ),
            spacing="1",
        ),
        on_submit=state.update,
        reset_on_submit=False,
        # A new key after each reload: the field shows the stored quantity again.
        key=sku + "-" + state.round.to_string(),
    )


def cart_row(row: Texts) -> rx.Component:
    """One line: the product on the left; quantity, line total and removal on the right
    (below the product on a phone)."""
    return rx.flex(
        rx.vstack(
            rx.text(row["name"], weight="medium"),
            rx.text(row["sku_label"], size="1", color_scheme="gray"),
            rx.text(
                row["unit_price"],
                " ",
                row["per_unit"],
                rx.cond(row["price_kind"] != "", " · ", ""),
                row["price_kind"],
                size="1",
                color_scheme="gray",
            ),
            rx.cond(
                row["price_origin"] != "",
                rx.text(
                    row["price_origin"], size="1", color_scheme="gray", class_name="cc-price-origin"
                ),
            ),
            rx.cond(
                row["unavailable"] != "",
                rx.text(tr("shop.cart.unavailable"), size="1", color_scheme="red"),
            ),
            spacing="0",
            flex="1",
            min_width="12rem",
        ),
        rx.hstack(
            quantity_form(row),
            rx.text(
                row["line_total"],
                weight="medium",
                min_width="5.5rem",
                text_align="right",
                class_name="cc-line-total cc-nowrap",
            ),
            rx.icon_button(
                rx.icon("trash_2", size=16),
                variant="ghost",
                color_scheme="red",
                aria_label=tr("shop.remove"),
                title=tr("shop.remove"),
                on_click=CartState.remove(row["sku"]),
                class_name="cc-cart-remove",
            ),
            spacing="3",
            align="start",
            margin_left="auto",
        ),
        spacing="3",
        wrap="wrap",
        align="start",
        width="100%",
        padding_y="0.75rem",
        border_bottom="1px solid var(--gray-4)",
        class_name="cc-cart-row",
        data_sku=row["sku"],
    )


def lines_table() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.foreach(CartState.rows, cart_row),
            direction="column",
            width="100%",
        ),
        width="100%",
        id="cart-table",
    )


def totals_card() -> rx.Component:
    state = CartState
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(tr("shop.total"), size="3", weight="medium"),
                rx.spacer(),
                rx.vstack(
                    rx.cond(
                        state.prices_known,
                        rx.text(state.total, size="5", weight="bold", id="cart-total"),
                        rx.text(tr("shop.prices_unknown"), size="2", color_scheme="amber"),
                    ),
                    rx.text(state.total_quantity, size="1", color_scheme="gray"),
                    spacing="0",
                    align="end",
                ),
                width="100%",
                align="center",
            ),
            rx.cond(
                state.prices_known,
                invoice_totals(
                    state.invoice_rows,
                    element_id="cart-invoice-totals",
                    note_key="invoice.shipping_assumed",
                ),
            ),
            rx.flex(
                rx.cond(state.punchout, transfer_form(), checkout_link()),
                rx.link(tr("shop.cart.continue"), href=routes.CATALOGUE, size="2"),
                rx.spacer(),
                rx.button(
                    rx.icon("trash", size=14),
                    tr("shop.cart.clear"),
                    variant="ghost",
                    color_scheme="gray",
                    on_click=state.clear,
                    id="cart-clear",
                ),
                spacing="4",
                align="center",
                wrap="wrap",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def checkout_link() -> rx.Component:
    return rx.link(
        rx.button(
            tr("shop.cart.to_checkout"),
            rx.icon("arrow_right", size=16),
            size="3",
            disabled=CartState.has_unavailable,
        ),
        href=routes.CHECKOUT,
        id="to-checkout",
        underline="none",
    )


def transfer_form() -> rx.Component:
    """In a punchout: a plain form to the transfer route, which answers with the form that
    takes the cart to the procurement system."""
    return rx.el.form(
        rx.button(
            tr("punchout.cart.transfer"),
            rx.icon("send", size=16),
            size="3",
            type="submit",
            disabled=CartState.has_unavailable,
            # The label wraps on a phone: the button grows with it.
            style={"height": "auto", "min_height": "var(--base-button-height)"},
            padding_y="0.5rem",
        ),
        action=routes.PUNCHOUT_TRANSFER,
        method="post",
        id="punchout-transfer",
        # Reflex keeps a form's submit in the page; this one must leave it (the route
        # answers with the form to the procurement system): submit() skips that handler.
        on_submit=rx.call_script("document.getElementById('punchout-transfer').submit()"),
    )


def punchout_card() -> rx.Component:
    return rx.callout(
        rx.cond(
            CartState.punchout_inspect,
            tr("punchout.cart.inspect"),
            tr("punchout.cart.approval_elsewhere"),
        ),
        icon="building_2",
        color_scheme="blue",
        high_contrast=True,
        width="100%",
        id="punchout-notice",
    )


def budget_card() -> rx.Component:
    state = CartState
    return rx.card(
        rx.vstack(
            rx.heading(tr("shop.budget.title"), size="4", as_="h2"),
            rx.cond(
                state.breach_lines.length() > 0,
                rx.callout.root(
                    rx.callout.icon(rx.icon("hourglass")),
                    rx.vstack(
                        rx.callout.text(tr("shop.budget.needs_approval"), weight="medium"),
                        rx.el.ul(
                            rx.foreach(
                                state.breach_lines,
                                lambda line: rx.el.li(rx.text(line, size="2")),
                            ),
                            style={"margin": 0, "padding_left": "1.25rem"},
                        ),
                        spacing="1",
                    ),
                    color_scheme="amber",
                    width="100%",
                    id="cart-needs-approval",
                ),
                rx.cond(
                    state.prices_known & ~state.unlimited,
                    rx.callout(
                        tr("shop.budget.fits"),
                        icon="circle_check",
                        color_scheme="green",
                        width="100%",
                        id="cart-within-budget",
                    ),
                ),
            ),
            situation(state),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def cart_content() -> rx.Component:
    state = CartState
    return rx.vstack(
        rx.cond(state.notice != "", notice(state.notice, icon="check")),
        rx.cond(state.problem != "", notice(state.problem, color="red", icon="triangle_alert")),
        rx.cond(
            state.rows.length() > 0,
            rx.vstack(
                lines_table(),
                totals_card(),
                rx.cond(state.punchout, punchout_card(), budget_card()),
                rx.card(list_picker(ListPickerState.add_cart, "cart-to-list"), width="100%"),
                spacing="4",
                width="100%",
            ),
            rx.cond(
                state.loaded,
                rx.vstack(
                    rx.text(tr("shop.cart.empty"), color_scheme="gray", id="cart-empty"),
                    rx.link(tr("shop.cart.continue"), href=routes.CATALOGUE),
                    spacing="2",
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )


@portal_page(
    routes.CART,
    CartState.load,
    ListPickerState.load_own,
    title_key="page.cart",
    right=Permission.ORDERS_CREATE,
    nav=Nav("nav.cart", "shopping_cart", NavGroup.SHOP, 2, badge=cart_count_badge),
)
def cart_page() -> rx.Component:
    return app_page(cart_content(), title_key="shop.cart.title", permission=ORDER)
