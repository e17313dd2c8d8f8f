"""Sign-in, forgotten password and password reset."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import public_page
from customer_center.components.ui import field, form_error, notice, submit_button, tr
from customer_center.state.base import PortalState
from customer_center.state.sign_in import ForgotPasswordState, ResetPasswordState, SignInState


@rx.page(
    route="/sign-in",
    title="Customer Center",
    on_load=[PortalState.detect_language, SignInState.load],
)
def sign_in_page() -> rx.Component:
    errors = SignInState.errors
    return public_page(
        rx.cond(SignInState.notice != "", notice(PortalState.t[SignInState.notice].to(str))),
        rx.form(
            rx.vstack(
                form_error(errors),
                field(
                    "email",
                    "field.email",
                    errors,
                    type_="email",
                    autocomplete="username",
                    autofocus=True,
                ),
                field(
                    "password",
                    "field.password",
                    errors,
                    type_="password",
                    autocomplete="current-password",
                ),
                rx.link(tr("sign_in.forgot"), href="/forgot-password", size="2"),
                submit_button("sign_in.submit", SignInState.busy),
                spacing="3",
                width="100%",
            ),
            on_submit=SignInState.submit,
            reset_on_submit=False,
            width="100%",
        ),
        rx.divider(),
        rx.vstack(
            rx.text(tr("sign_in.new_company"), size="2", color_scheme="gray"),
            rx.button(
                tr("activation.cta"),
                on_click=rx.redirect("/activate"),
                variant="outline",
                size="3",
                width="100%",
                id="activate-company",
            ),
            width="100%",
            spacing="2",
        ),
        title_key="sign_in.title",
    )


@rx.page(
    route="/forgot-password",
    title="Customer Center",
    on_load=[PortalState.detect_language, ForgotPasswordState.load],
)
def forgot_password_page() -> rx.Component:
    errors = ForgotPasswordState.errors
    return public_page(
        rx.cond(
            ForgotPasswordState.sent,
            notice(tr("forgot.sent"), icon="mail_check"),
            rx.form(
                rx.vstack(
                    rx.text(tr("forgot.intro"), size="2", color_scheme="gray"),
                    form_error(errors),
                    field(
                        "email",
                        "field.email",
                        errors,
                        type_="email",
                        autocomplete="email",
                        autofocus=True,
                    ),
                    submit_button("forgot.submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=ForgotPasswordState.submit,
                reset_on_submit=False,
                width="100%",
            ),
        ),
        rx.link(tr("common.back_to_sign_in"), href="/sign-in", size="2"),
        title_key="forgot.title",
    )


@rx.page(
    route="/reset-password",
    title="Customer Center",
    on_load=[PortalState.detect_language, ResetPasswordState.load],
)
def reset_password_page() -> rx.Component:
    errors = ResetPasswordState.errors
    return public_page(
        rx.cond(
            ResetPasswordState.link_error != "",
            rx.vstack(
                notice(ResetPasswordState.link_error, color="red", icon="link_2_off"),
                rx.link(tr("forgot.again"), href="/forgot-password", size="2"),
                width="100%",
            ),
            rx.form(
                rx.vstack(
                    rx.text(ResetPasswordState.email, weight="medium"),
                    form_error(errors),
                    field(
                        "password",
                        "field.new_password",
                        errors,
                        type_="password",
                        autocomplete="new-password",
                        hint_key="password.hint",
                        autofocus=True,
                    ),
                    field(
                        "password_repeat",
                        "field.password_repeat",
                        errors,
                        type_="password",
                        autocomplete="new-password",
                    ),
                    submit_button("reset.submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=ResetPasswordState.submit,
                reset_on_submit=False,
                width="100%",
            ),
        ),
        title_key="reset.title",
    )
