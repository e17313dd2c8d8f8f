"""Checkout: where it goes, who pays, how it travels, the reference; then the outcome."""

from __future__ import annotations

from typing import Any

import reflex as rx

from customer_center.components.forms import field
from customer_center.components.invoice_totals import invoice_totals
from customer_center.components.layout import app_page
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.orders import ADDRESS_FIELDS, PAYMENT_METHODS, SHIPPING_METHODS
from customer_center.domain.permissions import Permission
from customer_center.state.checkout import DEFAULT_PAYMENT, DEFAULT_SHIPPING, CheckoutState

ORDER = Permission.ORDERS_CREATE.value


def error_below(name: str) -> rx.Component:
    errors = CheckoutState.errors
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", size="2", color_scheme="red", role="alert"),
    )


def address_card(option: Texts) -> rx.Component:
    return rx.radio_cards.item(
        rx.vstack(
            rx.hstack(
                rx.text(option["name"], weight="medium", size="2"),
                rx.cond(
                    option["default"] != "",
                    rx.badge(tr("shop.checkout.default"), size="1", variant="soft"),
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(option["line"], size="1", color_scheme="gray"),
            spacing="1",
            align="start",
            width="100%",
        ),
        value=option["key"],
        class_name="cc-address-card",
    )


def section(title_key: str, *children: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), size="4", as_="h2"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def delivery_section() -> rx.Component:
    state = CheckoutState
    return section(
        "shop.checkout.delivery",
        rx.radio_cards.root(
            rx.foreach(state.delivery_options, address_card),
            rx.radio_cards.item(
                rx.vstack(
                    rx.text(tr("shop.checkout.new_address"), weight="medium", size="2"),
                    rx.text(tr("shop.checkout.new_address_hint"), size="1", color_scheme="gray"),
                    spacing="1",
                    align="start",
                    width="100%",
                ),
                value="new",
                id="delivery-new",
            ),
            value=state.delivery_choice,
            on_value_change=state.choose_delivery,
            columns=rx.breakpoints(initial="1", sm="2"),
            size="1",
            width="100%",
            aria_label=tr("shop.checkout.delivery"),
            id="delivery-choice",
        ),
        error_below("delivery_choice"),
        rx.cond(
            state.delivery_choice == "new",
            rx.grid(
                *[
                    rx.box(
                        field(
                            f"delivery_{name}",
                            f"orders.address.{name}",
                            state.errors,
                            autocomplete="off",
                        ),
                        grid_column=rx.breakpoints(initial="span 1", sm="span 2")
                        if name in ("name", "street")
                        else "span 1",
                    )
                    for name in ADDRESS_FIELDS
                ],
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
                id="new-delivery-address",
            ),
        ),
    )


def billing_section() -> rx.Component:
    state = CheckoutState
    return section(
        "shop.checkout.billing",
        rx.cond(
            state.billing_options.length() > 0,
            rx.radio_cards.root(
                rx.foreach(state.billing_options, address_card),
                value=state.billing_choice,
                on_value_change=state.choose_billing,
                columns=rx.breakpoints(initial="1", sm="2"),
                size="1",
                width="100%",
                aria_label=tr("shop.checkout.billing"),
                id="billing-choice",
            ),
            rx.cond(
                state.addresses_reachable,
                notice(tr("shop.checkout.no_billing"), color="amber", icon="triangle_alert"),
            ),
        ),
        error_below("billing_choice"),
    )


def method_select(
    name: str,
    label_key: str,
    codes: tuple[str, ...],
    prefix: str,
    default: str,
    on_change: Any = None,
) -> rx.Component:
    changes = {"on_change": on_change} if on_change is not None else {}
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id=name, width="100%"),
            rx.select.content(
                *[rx.select.item(tr(f"{prefix}.{code}"), value=code) for code in codes]
            ),
            name=name,
            default_value=default,
            size="3",
            **changes,
        ),
        error_below(name),
        spacing="1",
        width="100%",
        align="start",
    )


def details_section() -> rx.Component:
    state = CheckoutState
    return section(
        "shop.checkout.details",
        rx.grid(
            method_select(
                "payment_method",
                "shop.checkout.payment",
                PAYMENT_METHODS,
                "orders.payment",
                DEFAULT_PAYMENT,
            ),
            method_select(
                "shipping_method",
                "shop.checkout.shipping",
                SHIPPING_METHODS,
                "orders.shipping",
                DEFAULT_SHIPPING,
                on_change=CheckoutState.choose_shipping,
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        field(
            "reference",
            "shop.checkout.reference",
            state.errors,
            hint_key="shop.checkout.reference_hint",
        ),
        rx.vstack(
            rx.el.label(tr("shop.checkout.comment"), html_for="comment", class_name="cc-label"),
            rx.text_area(id="comment", name="comment", rows="3", width="100%", size="3"),
            rx.text(tr("shop.checkout.comment_hint"), size="1", color_scheme="gray"),
            error_below("comment"),
            spacing="1",
            width="100%",
            align="start",
        ),
    )


def summary_line(row: Texts) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row["name"], size="2", weight="medium"),
            rx.text(row["quantity"], " × ", row["unit_price"], size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.text(row["line_total"], size="2", class_name="cc-nowrap"),
        width="100%",
        align="start",
        class_name="cc-summary-line",
    )


def summary() -> rx.Component:
    state = CheckoutState
    return rx.card(
        rx.vstack(
            rx.heading(tr("shop.checkout.summary"), size="4", as_="h2"),
            rx.foreach(state.rows, summary_line),
            rx.divider(),
            rx.hstack(
                rx.text(tr("shop.total"), weight="medium"),
                rx.spacer(),
                rx.text(state.total, size="4", weight="bold", id="checkout-total"),
                width="100%",
                align="center",
            ),
            invoice_totals(state.invoice_rows, element_id="checkout-invoice-totals"),
            rx.cond(
                state.breach_lines.length() > 0,
                rx.callout.root(
                    rx.callout.icon(rx.icon("hourglass")),
                    rx.vstack(
                        rx.callout.text(tr("shop.budget.needs_approval"), weight="medium"),
                        rx.foreach(state.breach_lines, lambda line: rx.text(line, size="2")),
                        spacing="1",
                    ),
                    color_scheme="amber",
                    size="1",
                    width="100%",
                    id="checkout-needs-approval",
                ),
                rx.callout(
                    tr("shop.budget.fits"),
                    icon="circle_check",
                    color_scheme="green",
                    size="1",
                    width="100%",
                ),
            ),
            error_below("lines"),
            rx.button(
                tr("shop.checkout.submit"),
                type="submit",
                size="3",
                width="100%",
                loading=state.busy,
                disabled=~CheckoutState.is_hydrated | (state.billing_options.length() == 0),
                id="place-order",
            ),
            rx.link(tr("shop.checkout.edit_cart"), href=routes.CART, size="2"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="cc-checkout-summary",
    )


def checkout_form() -> rx.Component:
    state = CheckoutState
    return rx.form(
        rx.vstack(
            rx.cond(
                state.errors.contains(""),
                rx.callout(
                    state.errors[""],
                    icon="triangle_alert",
                    color_scheme="red",
                    role="alert",
                    width="100%",
                    id="checkout-error",
                ),
            ),
            rx.flex(
                rx.vstack(
                    delivery_section(),
                    billing_section(),
                    details_section(),
                    spacing="4",
                    flex="2",
                    min_width="0",
                    width="100%",
                ),
                rx.box(summary(), flex="1", min_width="0", width="100%"),
                direction=rx.breakpoints(initial="column", md="row"),
                spacing="4",
                width="100%",
                align="start",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=state.submit,
        reset_on_submit=False,
        width="100%",
    )


def placed() -> rx.Component:
    state = CheckoutState
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(
                    rx.cond(state.placed_approved, "circle_check", "hourglass"),
                    color=rx.cond(
                        state.placed_approved, rx.color("green", 9), rx.color("amber", 9)
                    ),
                    size=28,
                ),
                rx.heading(
                    tr("shop.checkout.placed").replace("{number}", state.placed_number),
                    size="5",
                    as_="h2",
                ),
                spacing="3",
                align="center",
            ),
            rx.hstack(
                rx.text(tr("shop.checkout.status"), size="2", color_scheme="gray"),
                rx.badge(
                    state.placed_status,
                    color_scheme=rx.cond(state.placed_approved, "green", "amber"),
                    size="2",
                    id="placed-status",
                ),
                align="center",
            ),
            rx.cond(
                state.placed_approved,
                rx.text(tr("shop.checkout.approved"), size="2"),
                rx.vstack(
                    rx.text(tr("shop.checkout.pending"), size="2"),
                    rx.el.ul(
                        rx.foreach(
                            state.placed_reasons,
                            lambda reason: rx.el.li(rx.text(reason, size="2")),
                        ),
                        style={"margin": 0, "padding_left": "1.25rem"},
                        id="placed-reasons",
                    ),
                    spacing="1",
                ),
            ),
            rx.hstack(
                rx.link(
                    rx.button(tr("shop.checkout.open_order"), size="3"),
                    href=state.placed_href,
                    id="open-order",
                    underline="none",
                ),
                rx.link(tr("shop.cart.continue"), href=routes.CATALOGUE, size="2"),
                spacing="4",
                align="center",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        max_width="44rem",
        id="order-placed",
    )


def checkout_content() -> rx.Component:
    state = CheckoutState
    return rx.vstack(
        rx.cond(state.problem != "", notice(state.problem, color="amber", icon="cloud_off")),
        rx.cond(
            state.placed,
            placed(),
            rx.cond(
                state.has_lines,
                checkout_form(),
                rx.cond(
                    state.loaded,
                    rx.vstack(
                        rx.text(tr("shop.cart.empty"), color_scheme="gray", id="checkout-empty"),
                        rx.link(tr("shop.cart.continue"), href=routes.CATALOGUE),
                        spacing="2",
                    ),
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )


@portal_page(routes.CHECKOUT, CheckoutState.load, title_key="page.checkout")
def checkout_page() -> rx.Component:
    return app_page(checkout_content(), title_key="shop.checkout.title", permission=ORDER)
