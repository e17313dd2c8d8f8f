"""``/seller/companies``: the console's company search, the home of agents (``seller.view``)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.pager import pager
from customer_center.components.seller_page import SellerNav, seller_app_page, seller_page
from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.state.seller_companies import SellerCompaniesState

VIEW = StaffPermission.VIEW


def company_link(row: Texts) -> rx.Component:
    return rx.link(
        row["name"],
        href=rx.Var.create(routes.SELLER_COMPANY).to(str).replace("[company_id]", row["id"]),
        weight="medium",
        class_name="cc-company-link",
    )


def hit_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                company_link(row),
                rx.text(row["customer_number"], size="1", color_scheme="gray"),
                rx.box(
                    rx.text(row["main_contact"], " · ", row["main_contact_email"], size="1"),
                    rx.badge(
                        row["matched_by"],
                        variant="soft",
                        size="1",
                        color_scheme="blue",
                        high_contrast=True,
                    ),
                    class_name="cc-show-narrow",
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row["main_contact"], size="2"),
                rx.text(row["main_contact_email"], size="1", color_scheme="gray"),
                spacing="0",
            ),
            class_name="cc-hide-narrow",
        ),
        rx.table.cell(
            rx.badge(row["matched_by"], variant="soft", color_scheme="blue", high_contrast=True),
            class_name="cc-hide-narrow",
        ),
        rx.table.cell(row["activated"], class_name="cc-hide-narrow"),
        class_name="cc-company-hit",
    )


def search_box() -> rx.Component:
    state = SellerCompaniesState
    return rx.vstack(
        rx.el.label(
            tr("seller.console.search_label"), html_for="company-search", class_name="cc-label"
        ),
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=tr("seller.console.search_placeholder"),
            value=state.query,
            on_change=state.set_query,
            debounce_timeout=400,
            id="company-search",
            size="3",
            width="100%",
            max_length=100,
            auto_focus=True,
            type="search",
        ),
        spacing="1",
        width="100%",
        max_width="40rem",
    )


@seller_page(
    routes.SELLER_COMPANIES,
    SellerCompaniesState.load,
    title_key="seller.console.companies",
    right=VIEW,
    nav=SellerNav("seller.console.companies", "building_2", 0),
)
def seller_companies_page() -> rx.Component:
    state = SellerCompaniesState
    return seller_app_page(
        rx.vstack(
            search_box(),
            rx.text(
                state.summary, size="2", color_scheme="gray", id="search-summary", role="status"
            ),
            rx.cond(
                state.rows.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(tr("seller.console.company")),
                                rx.table.column_header_cell(
                                    tr("seller.console.main_contact"), class_name="cc-hide-narrow"
                                ),
                                rx.table.column_header_cell(
                                    tr("seller.console.matched_by"), class_name="cc-hide-narrow"
                                ),
                                rx.table.column_header_cell(
                                    tr("seller.console.activated"), class_name="cc-hide-narrow"
                                ),
                            )
                        ),
                        rx.table.body(rx.foreach(state.rows, hit_row)),
                        variant="surface",
                        width="100%",
                        id="company-hits",
                    ),
                    width="100%",
                    class_name="cc-table-wrap",
                ),
            ),
            rx.cond(
                (state.page > 0) | state.has_next,
                pager(
                    tr("seller.console.page").replace("{page}", (state.page + 1).to_string()),
                    on_previous=state.previous_page,
                    on_next=state.next_page,
                    has_previous=state.page > 0,
                    has_next=state.has_next,
                    id_prefix="companies",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        title_key="seller.console.companies",
        right=VIEW,
    )
