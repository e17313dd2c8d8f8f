"""The seller's side's way in: signing in at ``/seller`` (password or the seller's single
sign-on), and the invitation page where new staff choose their password."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form, new_password_fields, submit_button
from customer_center.components.seller_page import seller_public_page, seller_public_route
from customer_center.components.ui import link_problem, notice, tr
from customer_center.domain import routes
from customer_center.state.base import PortalState
from customer_center.state.seller import SellerInvitationState, SellerSignInState


def _sso_choice() -> rx.Component:
    return rx.vstack(
        rx.button(
            rx.icon("fingerprint", size=18),
            tr("seller.sign_in.sso"),
            type="button",
            on_click=SellerSignInState.continue_with_sso,
            size="3",
            width="100%",
            variant="outline",
            height="auto",
            min_height="var(--space-7)",
            padding_y="var(--space-2)",
            white_space="normal",
            id="seller-sso",
        ),
        rx.divider(),
        spacing="3",
        width="100%",
    )


@seller_public_route(routes.SELLER, SellerSignInState.load, title_key="page.seller_sign_in")
def seller_sign_in_page() -> rx.Component:
    state = SellerSignInState
    return seller_public_page(
        rx.text(tr("seller.sign_in.intro"), size="2", color_scheme="gray"),
        rx.cond(state.notice != "", notice(PortalState.t[state.notice].to(str))),
        rx.cond(
            state.sso_problem != "",
            notice(PortalState.t[state.sso_problem].to(str), "red", "shield_alert"),
        ),
        rx.cond(state.sso_available, _sso_choice()),
        form(
            field(
                "email",
                "field.email",
                state.errors,
                type_="email",
                autocomplete="username",
                autofocus=True,
            ),
            field(
                "password",
                "field.password",
                state.errors,
                type_="password",
                autocomplete="current-password",
            ),
            submit_button("sign_in.submit", state.busy),
            on_submit=state.submit,
            errors=state.errors,
            id="seller-sign-in",
        ),
        rx.text(tr("seller.sign_in.customers"), size="1", color_scheme="gray"),
        rx.link(tr("seller.sign_in.to_customers"), href=routes.SIGN_IN, size="2"),
        title_key="seller.sign_in.title",
    )


@seller_public_route(
    routes.SELLER_INVITATION, SellerInvitationState.load, title_key="page.seller_invitation"
)
def seller_invitation_page() -> rx.Component:
    state = SellerInvitationState
    return seller_public_page(
        rx.cond(
            state.link_error != "",
            link_problem(state.link_error, "seller.invitation.ask_again", routes.SELLER),
            rx.cond(
                state.email == "",
                rx.center(rx.spinner(size="3"), padding="2rem"),
                form(
                    rx.text(
                        tr("seller.invitation.intro").replace("{seller}", state.seller_name),
                        size="2",
                        id="invitation-intro",
                    ),
                    rx.text(state.name, weight="medium"),
                    rx.text(state.email, size="2", color_scheme="gray"),
                    *new_password_fields(state.errors, autofocus=True),
                    submit_button("seller.invitation.submit"),
                    on_submit=state.submit,
                    errors=state.errors,
                    key=state.email,
                ),
            ),
        ),
        title_key="seller.invitation.title",
    )
