"""The console's contract price check (``seller.view``): a product's price for the customer
(with its source, validity, the list price and every contract row), and a user's cart."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form
from customer_center.components.seller_company_nav import company_nav
from customer_center.components.seller_page import seller_app_page, seller_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.pages.seller_orders import company_back_link, header_cell, section, wrap_table
from customer_center.state.seller_prices import SellerPricesState

VIEW = StaffPermission.VIEW
TERM_COLORS = {"current": "green", "ended": "gray", "future": "blue"}


def product_form() -> rx.Component:
    state = SellerPricesState
    return form(
        rx.flex(
            rx.box(field("sku", "seller_orders.prices.sku", state.errors), flex="2 1 12rem"),
            rx.box(
                field(
                    "quantity",
                    "seller_orders.prices.quantity",
                    state.errors,
                    type_="number",
                    default_value="1",
                    min="1",
                    max="9999",
                ),
                flex="1 1 7rem",
            ),
            rx.box(
                field(
                    "day",
                    "seller_orders.prices.day",
                    state.errors,
                    type_="date",
                    hint_key="seller_orders.prices.day_hint",
                ),
                flex="1 1 10rem",
            ),
            wrap="wrap",
            width="100%",
            style={"gap": "0.75rem"},
        ),
        rx.button(tr("seller_orders.prices.check"), type="submit", size="3", id="check-price"),
        on_submit=state.check_price,
        errors=state.errors,
        no_validate=True,  # the portal's own message, in the reader's language
        id="price-form",
    )


def term_row(term: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.cell(term["text"]),
        rx.table.cell(
            rx.badge(
                term["state_text"],
                color_scheme=rx.match(term["state"], *TERM_COLORS.items(), "gray"),
                variant="soft",
                high_contrast=True,
            )
        ),
    )


def product_result() -> rx.Component:
    state = SellerPricesState
    result = state.result
    return rx.cond(
        result.contains("sku"),
        rx.vstack(
            rx.text(
                tr("seller_orders.prices.result_for")
                .replace("{quantity}", result["quantity"])
                .replace("{sku}", result["sku"])
                .replace("{name}", result["name"])
                .replace("{day}", result["day"]),
                weight="medium",
            ),
            rx.flex(
                rx.vstack(
                    rx.text(
                        tr("seller_orders.prices.customer_pays"), size="1", color_scheme="gray"
                    ),
                    rx.text(result["price"], size="6", weight="bold", id="price-amount"),
                    spacing="0",
                ),
                rx.vstack(
                    rx.text(tr("seller_orders.prices.source"), size="1", color_scheme="gray"),
                    rx.badge(
                        result["source_text"],
                        size="2",
                        variant="soft",
                        high_contrast=True,
                        id="price-source",
                    ),
                    spacing="1",
                ),
                wrap="wrap",
                align="end",
                style={"gap": "0.75rem 2rem"},
            ),
            rx.text(result["quote_text"], id="price-quote"),
            rx.text(result["list_price_text"], color_scheme="gray", id="price-list"),
            rx.heading(tr("seller_orders.prices.terms"), size="3", as_="h3"),
            rx.cond(
                state.terms.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.body(rx.foreach(state.terms, term_row)),
                        variant="surface",
                        width="100%",
                        id="price-terms",
                    ),
                    width="100%",
                    class_name="cc-table-wrap",
                ),
                rx.text(tr("seller_orders.prices.no_terms"), color_scheme="gray"),
            ),
            spacing="2",
            width="100%",
            id="price-result",
            role="status",
        ),
    )


def user_search_form() -> rx.Component:
    state = SellerPricesState
    return rx.form(
        rx.hstack(
            rx.box(
                field("user_search", "seller_orders.prices.user_search", state.cart_errors),
                flex="1",
                min_width="0",
            ),
            rx.button(
                rx.icon("search", size=14, aria_hidden="true"),
                tr("seller_orders.prices.find"),
                type="submit",
                variant="soft",
                size="3",
            ),
            align="end",
            width="100%",
            spacing="2",
        ),
        on_submit=state.find_users,
        reset_on_submit=False,
        width="100%",
    )


def cart_form() -> rx.Component:
    state = SellerPricesState
    has_error = state.cart_errors.contains("user")
    return form(
        rx.flex(
            rx.vstack(
                rx.el.label(
                    tr("seller_orders.prices.user"), html_for="user", class_name="cc-label"
                ),
                rx.el.select(
                    rx.el.option(tr("seller_orders.prices.pick_user"), value=""),
                    rx.foreach(
                        state.users, lambda user: rx.el.option(user["name"], value=user["id"])
                    ),
                    id="user",
                    name="user",
                    class_name="cc-native-select",
                    aria_invalid=rx.cond(has_error, "true", "false"),
                    aria_describedby="user-error",
                ),
                rx.cond(
                    state.users.length() == 0,
                    rx.text(tr("seller_orders.prices.no_users"), size="1", color_scheme="gray"),
                ),
                rx.cond(
                    has_error,
                    rx.text(
                        state.cart_errors["user"],
                        id="user-error",
                        size="2",
                        color_scheme="red",
                        role="alert",
                    ),
                ),
                spacing="1",
                flex="2 1 14rem",
            ),
            rx.box(
                field(
                    "cart_day",
                    "seller_orders.prices.day",
                    state.cart_errors,
                    type_="date",
                    hint_key="seller_orders.prices.day_hint",
                ),
                flex="1 1 10rem",
            ),
            wrap="wrap",
            width="100%",
            style={"gap": "0.75rem"},
        ),
        rx.button(tr("seller_orders.prices.check_cart"), type="submit", size="3", id="check-cart"),
        on_submit=state.check_cart,
        errors=state.cart_errors,
        no_validate=True,
        id="cart-form",
    )


def cart_line(line: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(line["name"], weight="medium"),
                rx.text(line["sku"] + " · " + line["quantity"] + " ×", size="1"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.text(line["price"], weight="bold"), class_name="cc-nowrap"),
        rx.table.cell(
            rx.vstack(
                rx.text(line["quote_text"], size="2"),
                rx.text(line["list_price_text"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
    )


def cart_result() -> rx.Component:
    state = SellerPricesState
    return rx.cond(
        state.cart_checked,
        rx.vstack(
            rx.text(
                tr("seller_orders.prices.cart_of")
                .replace("{name}", state.cart_user)
                .replace("{day}", state.cart_day),
                weight="medium",
            ),
            rx.cond(
                state.cart_lines.length() > 0,
                wrap_table(
                    rx.foreach(state.cart_lines, cart_line),
                    head=[
                        header_cell("seller_orders.lines.product"),
                        header_cell("seller_orders.prices.customer_pays"),
                        header_cell("seller_orders.prices.source"),
                    ],
                    id_="cart-prices",
                ),
                rx.text(tr("seller_orders.prices.cart_empty"), color_scheme="gray"),
            ),
            rx.cond(
                state.cart_unavailable != "",
                notice(state.cart_unavailable, "amber", "triangle_alert"),
            ),
            spacing="2",
            width="100%",
            role="status",
            id="cart-result",
        ),
    )


@seller_page(
    routes.SELLER_COMPANY_PRICES,
    SellerPricesState.load,
    title_key="page.seller_company_prices",
    right=VIEW,
)
def seller_company_prices_page() -> rx.Component:
    state = SellerPricesState
    return seller_app_page(
        rx.vstack(
            rx.cond(state.company_id != "", company_nav(state.company_id, "prices")),
            company_back_link(state.company_id, state.company_name),
            rx.cond(state.problem != "", notice(state.problem, "red", "triangle_alert")),
            rx.cond(
                state.company_id != "",
                rx.vstack(
                    rx.text(
                        tr("seller_orders.prices.intro").replace("{company}", state.company_name),
                        color_scheme="gray",
                    ),
                    section(
                        "seller_orders.prices.product_title",
                        product_form(),
                        product_result(),
                        id_="product-check",
                    ),
                    section(
                        "seller_orders.prices.cart_title",
                        user_search_form(),
                        cart_form(),
                        cart_result(),
                        id_="cart-check",
                    ),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        title_key="seller_orders.prices.title",
        right=VIEW,
    )
