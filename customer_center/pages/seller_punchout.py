"""The console's punchout page of a company: its connections (a new one with its secret shown
once, ``seller.settings``), every punchout session with the setup request, what went back and
the order that followed, and the refused messages with their raw text (``seller.view``)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, field_error, form
from customer_center.components.punchout_views import (
    connections_table,
    refusals_list,
    sessions_list,
)
from customer_center.components.seller_company_nav import company_nav
from customer_center.components.seller_page import SellerNav, seller_app_page, seller_page
from customer_center.components.ui import notice, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.pages.seller_orders import company_back_link, section
from customer_center.state.punchout_admin import SellerAllPunchoutsState, SellerPunchoutState
from customer_center.state.seller import SellerShellState

VIEW = StaffPermission.VIEW
S = SellerPunchoutState


def _select(name: str, label_key: str, *options: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, class_name="cc-label"),
        rx.el.select(
            *options,
            id=name,
            name=name,
            class_name="cc-native-select",
            aria_describedby=f"{name}-error",
        ),
        field_error(S.errors, name),
        spacing="1",
        width="100%",
    )


def _textarea(name: str, label_key: str, hint_key: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, class_name="cc-label"),
        rx.text_area(id=name, name=name, rows="3", width="100%", aria_describedby=f"{name}-error"),
        rx.text(tr(hint_key), size="1", color_scheme="gray"),
        field_error(S.errors, name),
        spacing="1",
        width="100%",
    )


def _pair(*children: rx.Component) -> rx.Component:
    return rx.flex(
        *[rx.box(child, flex="1 1 14rem") for child in children],
        wrap="wrap",
        width="100%",
        style={"gap": "0.75rem"},
    )


def connection_form() -> rx.Component:
    return form(
        _pair(
            field("name", "punchout.field.name", S.errors),
            _select(
                "protocol",
                "punchout.field.protocol",
                rx.el.option("cXML (Ariba, Coupa, Jaggaer, Oracle)", value="cxml"),
                rx.el.option("OCI 4.0 / 5.0 (SAP SRM, SAP MM)", value="oci"),
            ),
        ),
        _pair(
            field(
                "identity_domain",
                "punchout.field.identity_domain",
                S.errors,
                default_value="NetworkID",
                hint_key="punchout.hint.identity_domain",
            ),
            field(
                "identity", "punchout.field.identity", S.errors, hint_key="punchout.hint.identity"
            ),
        ),
        _pair(
            _select(
                "default_role",
                "punchout.field.default_role",
                rx.foreach(S.roles, lambda r: rx.el.option(r["name"], value=r["code"])),
            ),
            field(
                "role_field",
                "punchout.field.role_field",
                S.errors,
                hint_key="punchout.hint.role_field",
            ),
        ),
        _textarea("role_mapping", "punchout.field.role_mapping", "punchout.hint.role_mapping"),
        _pair(
            field(
                "user_field",
                "punchout.field.user_field",
                S.errors,
                default_value="USER_EMAIL",
                hint_key="punchout.hint.user_field",
            ),
        ),
        _textarea("origins", "punchout.field.origins", "punchout.hint.origins"),
        rx.button(tr("punchout.create"), type="submit", size="3", id="create-connection"),
        on_submit=S.create,
        errors=S.errors,
        id="connection-form",
    )


def new_secret() -> rx.Component:
    return rx.cond(
        S.new_secret != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("key_round")),
            rx.vstack(
                rx.callout.text(
                    tr("punchout.secret_once").replace("{name}", S.new_secret_for),
                    weight="medium",
                ),
                rx.code(S.new_secret, id="new-secret", size="3", style={"word_break": "break-all"}),
                rx.button(tr("punchout.secret_done"), variant="soft", on_click=S.dismiss_secret),
                spacing="2",
            ),
            color_scheme="amber",
            width="100%",
            role="status",
        ),
    )


@seller_page(
    routes.SELLER_COMPANY_PUNCHOUT,
    S.load,
    title_key="page.seller_company_punchout",
    right=VIEW,
)
def seller_company_punchout_page() -> rx.Component:
    return seller_app_page(
        rx.vstack(
            rx.cond(S.company_id != "", company_nav(S.company_id, "punchout")),
            company_back_link(S.company_id, S.company_name),
            rx.cond(S.problem != "", notice(S.problem, "red", "triangle_alert")),
            rx.cond(
                S.company_id != "",
                rx.vstack(
                    section(
                        "punchout.connections",
                        new_secret(),
                        connections_table(S.connections),
                        id_="connections",
                    ),
                    rx.cond(
                        SellerShellState.rights.contains(StaffPermission.SETTINGS.value),
                        section("punchout.new_connection", connection_form(), id_="new-connection"),
                    ),
                    section("punchout.sessions", sessions_list(S), id_="sessions"),
                    section("punchout.refusals", refusals_list(S), id_="refusals"),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        title_key="punchout.title",
        right=VIEW,
    )


@seller_page(
    routes.SELLER_PUNCHOUT,
    SellerAllPunchoutsState.load,
    title_key="page.seller_punchout",
    right=VIEW,
    nav=SellerNav("punchout.nav", "building_2", 2),
)
def seller_punchout_page() -> rx.Component:
    state = SellerAllPunchoutsState
    return seller_app_page(
        rx.vstack(
            rx.text(tr("punchout.console_intro"), color_scheme="gray"),
            section("punchout.sessions", sessions_list(state), id_="sessions"),
            section("punchout.refusals", refusals_list(state), id_="refusals"),
            spacing="4",
            width="100%",
        ),
        title_key="punchout.title",
        right=VIEW,
    )
