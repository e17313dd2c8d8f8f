"""The catalogue: search, one page of products, prices, data sheets, add to cart."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import app_page
from customer_center.components.list_menu import add_to_list_menu
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.integrations.erp.protocol import PRODUCT_SORTS
from customer_center.services.shop.cart import MAX_LINE_QUANTITY
from customer_center.state.catalogue import ALL, CatalogueState
from customer_center.state.session import SessionState

DOCUMENTS = Permission.DOCUMENTS_VIEW.value
ORDER = Permission.ORDERS_CREATE.value


def may_open_catalogue() -> rx.Var:
    rights = SessionState.permissions
    return rights.contains(DOCUMENTS) | rights.contains(ORDER)


def no_access() -> rx.Component:
    return rx.cond(
        SessionState.user_name != "",
        rx.callout(
            tr("error.permission_denied"), icon="lock", color_scheme="amber", id="no-access"
        ),
    )


def datasheet_link(row: Texts) -> rx.Component:
    return rx.cond(
        row["datasheet"] != "",
        rx.link(
            rx.hstack(rx.icon("file_text", size=16), tr("shop.datasheet"), spacing="1"),
            href=row["datasheet"],
            is_external=True,
            size="2",
            class_name="cc-datasheet",
        ),
    )


def price_block(row: Texts) -> rx.Component:
    return rx.vstack(
        rx.text(row["price"], size="5", weight="bold", class_name="cc-price"),
        rx.hstack(
            rx.badge(
                row["price_kind"],
                color_scheme=rx.cond(row["own_price"] != "", "green", "gray"),
                variant="soft",
                size="1",
            ),
            rx.text(row["per_unit"], size="1", color_scheme="gray"),
            spacing="2",
            align="center",
        ),
        spacing="1",
        align=rx.breakpoints(initial="start", sm="end"),
    )


def add_form(row: Texts) -> rx.Component:
    """The product's own form: the SKU travels in a hidden field, so the handler knows it."""
    state = CatalogueState
    sku = row["sku"]
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.el.input(type="hidden", name="sku", value=sku),
                rx.input(
                    name="quantity",
                    type="number",
                    default_value="1",
                    min=1,
                    max=MAX_LINE_QUANTITY,
                    aria_label=tr("shop.quantity"),
                    width="5.5rem",
                    class_name="cc-add-quantity",
                ),
                rx.button(
                    rx.icon("shopping_cart", size=16),
                    tr("shop.add"),
                    type="submit",
                    disabled=~CatalogueState.is_hydrated,
                    class_name="cc-add",
                ),
                spacing="2",
                align="center",
            ),
            rx.cond(
                state.added.contains(sku),
                rx.text(state.added[sku], size="2", color_scheme="green", class_name="cc-added"),
            ),
            rx.cond(
                state.add_errors.contains(sku),
                rx.text(
                    state.add_errors[sku],
                    size="2",
                    color_scheme="red",
                    role="alert",
                    class_name="cc-add-error",
                ),
            ),
            spacing="1",
            align="end",
        ),
        on_submit=state.add,
        reset_on_submit=False,
    )


def product_image(row: Texts) -> rx.Component:
    return rx.cond(
        row["image"] != "",
        rx.image(
            src=row["image"],
            alt=tr("catalogue.image").replace("{name}", row["name"]),
            width="72px",
            height="72px",
            class_name="cc-product-image",
        ),
    )


def availability(row: Texts) -> rx.Component:
    return rx.cond(
        row["availability"] != "",
        rx.hstack(
            rx.icon(
                rx.cond(row["in_stock"] != "", "package_check", "clock"),
                size=14,
                aria_hidden="true",
            ),
            rx.text(row["availability"], size="1"),
            spacing="1",
            align="center",
            color=rx.cond(row["in_stock"] != "", "var(--green-11)", "var(--amber-11)"),
            class_name="cc-availability",
        ),
    )


def product_card(row: Texts) -> rx.Component:
    state = CatalogueState
    return rx.card(
        rx.flex(
            product_image(row),
            rx.vstack(
                rx.text(row["name"], size="3", weight="bold", as_="div"),
                rx.text(
                    row["sku_label"],
                    rx.cond(row["category"] != "", " · ", ""),
                    row["category"],
                    size="1",
                    color_scheme="gray",
                ),
                rx.text(row["description"], size="2"),
                availability(row),
                datasheet_link(row),
                spacing="1",
                flex="1",
                min_width="14rem",
            ),
            rx.flex(
                rx.cond(state.show_prices, price_block(row)),
                rx.cond(state.can_order, add_form(row)),
                rx.cond(state.can_order, add_to_list_menu(row["sku"])),
                direction=rx.breakpoints(initial="row", sm="column"),
                justify="between",
                align=rx.breakpoints(initial="center", sm="end"),
                spacing="3",
                wrap="wrap",
                width=rx.breakpoints(initial="100%", sm="auto"),
            ),
            spacing="4",
            wrap="wrap",
            justify="between",
            width="100%",
        ),
        width="100%",
        class_name="cc-product",
        data_sku=row["sku"],
    )


def catalogue_pager() -> rx.Component:
    state = CatalogueState
    return state_pager(
        state,
        page_text("shop.page_of", state.page, state.page_count, state.total),
        id_prefix="catalogue",
    )


def _labelled(label_key: str, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=html_for, class_name="cc-label"),
        control,
        spacing="1",
        width="100%",
        min_width="0",
    )


def filters() -> rx.Component:
    state = CatalogueState
    return rx.grid(
        _labelled(
            "catalogue.category",
            rx.select.root(
                rx.select.trigger(id="catalogue-category", width="100%"),
                rx.select.content(
                    rx.select.item(tr("catalogue.category_all"), value=ALL),
                    rx.foreach(state.categories, lambda c: rx.select.item(c, value=c)),
                ),
                value=state.category,
                on_change=state.set_category,
            ),
            "catalogue-category",
        ),
        _labelled(
            "catalogue.sort",
            rx.select.root(
                rx.select.trigger(id="catalogue-sort", width="100%"),
                rx.select.content(
                    *[rx.select.item(tr(f"catalogue.sort.{s}"), value=s) for s in PRODUCT_SORTS]
                ),
                value=state.sort,
                on_change=state.set_sort,
            ),
            "catalogue-sort",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )


def catalogue_content() -> rx.Component:
    state = CatalogueState
    return rx.vstack(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=tr("shop.catalogue.search"),
            value=state.search,
            on_change=state.set_search,
            aria_label=tr("shop.catalogue.search"),
            id="catalogue-search",
            width="100%",
            size="3",
        ),
        filters(),
        rx.cond(
            state.loaded & ~state.show_prices & (state.problem == ""),
            rx.text(tr("shop.catalogue.prices_hidden"), size="1", color_scheme="gray"),
        ),
        rx.cond(
            state.problem != "",
            rx.box(notice(state.problem, color="amber", icon="cloud_off"), id="catalogue-problem"),
        ),
        rx.cond(
            state.cached_notice != "",
            rx.box(
                notice(state.cached_notice, color="amber", icon="cloud_off"),
                id="catalogue-from-cache",
            ),
        ),
        rx.vstack(
            rx.foreach(state.rows, product_card),
            spacing="3",
            width="100%",
            id="catalogue-products",
        ),
        rx.cond(
            state.loaded & (state.total == 0) & (state.problem == ""),
            rx.text(tr("shop.catalogue.none_found"), color_scheme="gray", id="catalogue-empty"),
        ),
        rx.cond(state.page_count > 1, catalogue_pager()),
        spacing="4",
        width="100%",
    )


@portal_page(
    routes.CATALOGUE,
    CatalogueState.load,
    title_key="page.catalogue",
    right=(Permission.DOCUMENTS_VIEW, Permission.ORDERS_CREATE),
    nav=Nav("nav.catalogue", "package_search", NavGroup.SHOP, 1),
)
def catalogue_page() -> rx.Component:
    return app_page(
        rx.cond(may_open_catalogue(), catalogue_content(), no_access()),
        title_key="shop.catalogue.title",
    )
