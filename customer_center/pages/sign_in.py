"""Sign-in, forgotten password and password reset."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form, new_password_fields, submit_button
from customer_center.components.layout import public_page
from customer_center.components.portal_page import public_route
from customer_center.components.ui import link_problem, notice, tr
from customer_center.domain import routes
from customer_center.state.base import PortalState
from customer_center.state.sign_in import ForgotPasswordState, ResetPasswordState, SignInState


def _activation_invite() -> rx.Component:
    return rx.vstack(
        rx.text(tr("sign_in.new_company"), size="2", color_scheme="gray"),
        rx.button(
            tr("activation.cta"),
            on_click=rx.redirect(routes.ACTIVATE),
            variant="outline",
            size="3",
            width="100%",
            id="activate-company",
        ),
        width="100%",
        spacing="2",
    )


def _company_account() -> rx.Component:
    """The way in for addresses of a company with single sign-on."""
    return rx.vstack(
        rx.text(tr("sign_in.sso_hint"), size="2", color_scheme="gray"),
        rx.button(
            rx.icon("fingerprint", size=18),
            tr("sign_in.sso_continue"),
            type="button",
            on_click=SignInState.continue_with_sso,
            size="3",
            width="100%",
            # Long translations wrap inside the button on a phone instead of spilling out.
            height="auto",
            min_height="var(--space-7)",
            padding_y="var(--space-2)",
            white_space="normal",
            id="sso-continue",
        ),
        rx.cond(SignInState.password_allowed, rx.divider()),
        spacing="2",
        width="100%",
        id="sso-choice",
    )


@public_route(routes.SIGN_IN, SignInState.load, title_key="page.sign_in")
def sign_in_page() -> rx.Component:
    errors = SignInState.errors
    return public_page(
        rx.cond(SignInState.notice != "", notice(PortalState.t[SignInState.notice].to(str))),
        rx.cond(
            SignInState.sso_problem != "",
            notice(PortalState.t[SignInState.sso_problem].to(str), "red", "shield_alert"),
        ),
        form(
            field(
                "email",
                "field.email",
                errors,
                type_="email",
                autocomplete="username",
                autofocus=True,
                on_blur=SignInState.check_email,
            ),
            rx.cond(SignInState.sso_offer, _company_account()),
            rx.cond(
                SignInState.password_allowed,
                rx.vstack(
                    field(
                        "password",
                        "field.password",
                        errors,
                        type_="password",
                        autocomplete="current-password",
                    ),
                    rx.link(tr("sign_in.forgot"), href=routes.FORGOT_PASSWORD, size="2"),
                    submit_button("sign_in.submit", SignInState.busy),
                    spacing="3",
                    width="100%",
                ),
            ),
            on_submit=SignInState.submit,
            errors=errors,
        ),
        rx.divider(),
        _activation_invite(),
        title_key="sign_in.title",
    )


@public_route(routes.FORGOT_PASSWORD, ForgotPasswordState.load, title_key="page.forgot_password")
def forgot_password_page() -> rx.Component:
    errors = ForgotPasswordState.errors
    return public_page(
        rx.cond(
            ForgotPasswordState.sent,
            notice(tr("forgot.sent"), icon="mail_check"),
            form(
                rx.text(tr("forgot.intro"), size="2", color_scheme="gray"),
                field(
                    "email",
                    "field.email",
                    errors,
                    type_="email",
                    autocomplete="email",
                    autofocus=True,
                ),
                submit_button("forgot.submit"),
                on_submit=ForgotPasswordState.submit,
                errors=errors,
            ),
        ),
        rx.link(tr("common.back_to_sign_in"), href=routes.SIGN_IN, size="2"),
        title_key="forgot.title",
    )


@public_route(routes.RESET_PASSWORD, ResetPasswordState.load, title_key="page.reset_password")
def reset_password_page() -> rx.Component:
    state = ResetPasswordState
    return public_page(
        rx.cond(
            state.link_error != "",
            link_problem(state.link_error, "forgot.again", routes.FORGOT_PASSWORD),
            form(
                rx.text(state.email, weight="medium"),
                *new_password_fields(state.errors, autofocus=True),
                submit_button("reset.submit"),
                on_submit=state.submit,
                errors=state.errors,
            ),
        ),
        title_key="reset.title",
    )
