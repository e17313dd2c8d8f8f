"""The start page of signed-in users: their company as the ERP knows it."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import BRAND, tr
from customer_center.domain import routes
from customer_center.state.session import SessionState


def company_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("building_2", size=20, color=rx.color("blue", 9), flex_shrink="0"),
                rx.heading(SessionState.company_name, size="5", as_="h2", id="company-name"),
                align="center",
            ),
            rx.data_list.root(
                rx.data_list.item(
                    rx.data_list.label(tr("field.customer_number")),
                    rx.data_list.value(SessionState.customer_number, id="customer-number"),
                ),
                rx.data_list.item(
                    rx.data_list.label(tr("field.address")),
                    rx.data_list.value(
                        rx.vstack(
                            rx.text(SessionState.company_street),
                            rx.text(SessionState.company_city_line),
                            rx.text(SessionState.company_country),
                            spacing="0",
                        ),
                        id="company-address",
                    ),
                ),
                rx.data_list.item(
                    rx.data_list.label(tr("field.currency")),
                    rx.data_list.value(SessionState.company_currency),
                ),
            ),
            spacing="3",
        ),
        size="3",
    )


def you_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("dashboard.you"), size="4", as_="h2"),
            rx.text(SessionState.user_name, weight="medium", id="user-name"),
            rx.text(SessionState.user_email, color_scheme="gray", size="2"),
            rx.cond(
                SessionState.is_main_contact,
                rx.badge(tr("role.main_contact"), color_scheme="blue", size="2", id="main-badge"),
            ),
            spacing="2",
        ),
        size="3",
    )


@portal_page(
    routes.DASHBOARD,
    title_key="page.dashboard",
    nav=Nav("nav.dashboard", "layout_dashboard", NavGroup.START),
)
def dashboard_page() -> rx.Component:
    return app_page(
        rx.text(tr("dashboard.intro"), color_scheme="gray", margin_bottom="1rem"),
        rx.grid(
            company_card(),
            you_card(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        title_key="dashboard.title",
    )


@rx.page(route=routes.START, title=BRAND, on_load=SessionState.open_start_page)
def index_page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), height="100vh")
