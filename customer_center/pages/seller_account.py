"""``/seller/account``: the staff member's own account: name, rights, language, password,
signing out. The start page of staff without the staff administration."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form, new_password_fields, submit_button
from customer_center.components.seller_page import SellerNav, seller_app_page, seller_page
from customer_center.components.ui import notice, tr
from customer_center.domain import routes
from customer_center.domain.languages import LANGUAGES
from customer_center.state.base import PortalState
from customer_center.state.seller import SellerAccountState, SellerShellState


def _facts() -> rx.Component:
    shell = SellerShellState
    return rx.card(
        rx.vstack(
            rx.text(shell.agent_name, weight="bold", size="4", id="agent-name"),
            rx.text(shell.agent_email, size="2", color_scheme="gray"),
            rx.hstack(
                rx.foreach(
                    shell.rights,
                    lambda right: rx.badge(PortalState.t["seller.right." + right], size="2"),
                ),
                wrap="wrap",
                spacing="2",
            ),
            rx.hstack(
                rx.text(tr("field.language"), size="2"),
                rx.select.root(
                    rx.select.trigger(id="account-language", aria_label=tr("field.language")),
                    rx.select.content(
                        *[rx.select.item(label, value=code) for code, label in LANGUAGES.items()]
                    ),
                    value=PortalState.lang,
                    on_change=PortalState.set_language,
                ),
                align="center",
                spacing="3",
            ),
            rx.button(
                rx.icon("log_out", size=16),
                tr("shell.sign_out"),
                variant="soft",
                on_click=SellerShellState.sign_out,
                id="account-sign-out",
            ),
            spacing="3",
            align="start",
        ),
        size="3",
        class_name="cc-form-card",
    )


def _password() -> rx.Component:
    state = SellerAccountState
    return rx.card(
        rx.vstack(
            rx.heading(tr("seller.account.password"), size="4", as_="h2"),
            rx.cond(state.saved, notice(tr("seller.account.password_saved"), icon="check")),
            form(
                field(
                    "current",
                    "seller.account.current",
                    state.errors,
                    type_="password",
                    autocomplete="current-password",
                ),
                *new_password_fields(state.errors),
                submit_button("seller.account.save_password"),
                on_submit=state.change_password,
                errors=state.errors,
                key=state.form_key.to_string(),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        class_name="cc-form-card",
    )


@seller_page(
    routes.SELLER_ACCOUNT,
    SellerAccountState.load,
    title_key="page.seller_account",
    nav=SellerNav("seller.nav.account", "circle_user", 9),
)
def seller_account_page() -> rx.Component:
    return seller_app_page(
        rx.vstack(_facts(), _password(), spacing="4", width="100%"),
        title_key="seller.account.title",
    )
