"""The start page of signed-in users: what waits for them (per role), then their company as
the ERP knows it and its account team at the seller."""

from __future__ import annotations

import reflex as rx

from customer_center.components.dashboard_cards import (
    controller_cards,
    everyone_cards,
    main_contact_cards,
    start_card,
)
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import BRAND, Texts, tr
from customer_center.domain import routes
from customer_center.state.base import PortalState
from customer_center.state.dashboard import DashboardState
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


def team_member(member: Texts) -> rx.Component:
    return rx.hstack(
        rx.icon("user_round", size=18, color=rx.color("blue", 9), flex_shrink="0"),
        rx.vstack(
            rx.text(member["name"], weight="medium"),
            rx.text(PortalState.t[member["role_key"]], size="1", color_scheme="gray"),
            rx.link(member["email"], href=member["mailto"], size="2", overflow_wrap="anywhere"),
            spacing="0",
            min_width="0",
        ),
        align="start",
        spacing="3",
        min_width="0",
    )


def team_card() -> rx.Component:
    """The company's account team at the seller: shown only when it has one."""
    state = DashboardState
    return rx.cond(
        state.team.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading(
                    tr("dashboard.team").replace("{seller}", state.seller_name), size="4", as_="h2"
                ),
                rx.text(
                    tr("dashboard.team_intro").replace("{seller}", state.seller_name),
                    size="2",
                    color_scheme="gray",
                ),
                rx.grid(
                    rx.foreach(state.team, team_member),
                    columns=rx.breakpoints(initial="1", sm="2", md="3"),
                    spacing="4",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            size="3",
            id="account-team",
            margin_top="1rem",
        ),
    )


def consent_notice() -> rx.Component:
    """The seller's customer care asks to act for the user: a link to answer."""
    return rx.cond(
        DashboardState.consent_requests > 0,
        rx.callout(
            rx.hstack(
                rx.text(tr("acting.consent.dashboard")),
                rx.link(tr("acting.consent.answer"), href=routes.ACTING_CONSENT, id="consent-link"),
                spacing="2",
                wrap="wrap",
            ),
            icon="headset",
            color_scheme="amber",
            margin_bottom="1rem",
            id="consent-notice",
        ),
    )


@portal_page(
    routes.DASHBOARD,
    DashboardState.load,
    title_key="page.dashboard",
    nav=Nav("nav.dashboard", "layout_dashboard", NavGroup.START),
)
def dashboard_page() -> rx.Component:
    return app_page(
        rx.text(tr("home.intro"), color_scheme="gray"),
        consent_notice(),
        start_card(),
        main_contact_cards(),
        everyone_cards(),
        controller_cards(),
        rx.heading(tr("home.company.title"), size="5", as_="h2", margin_top="0.5rem"),
        rx.grid(
            company_card(),
            you_card(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        team_card(),
        title_key="dashboard.title",
    )


@rx.page(route=routes.START, title=BRAND, on_load=SessionState.open_start_page)
def index_page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), height="100vh")
