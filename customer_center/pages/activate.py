"""Activating a company: the ERP evidence form and the confirmation link."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import public_page
from customer_center.components.ui import field, form_error, notice, submit_button, tr
from customer_center.state.activation import ActivationConfirmState, ActivationState
from customer_center.state.base import PortalState


@rx.page(
    route="/activate",
    title="Customer Center",
    on_load=[PortalState.detect_language, ActivationState.load],
)
def activate_page() -> rx.Component:
    errors = ActivationState.errors
    return public_page(
        rx.cond(
            ActivationState.sent_to != "",
            rx.vstack(
                notice(tr("activation.sent"), icon="mail_check"),
                rx.text(ActivationState.sent_to, weight="bold", id="activation-sent-to"),
                rx.text(tr("activation.sent_hint"), size="2", color_scheme="gray"),
                width="100%",
            ),
            rx.form(
                rx.vstack(
                    rx.text(tr("activation.intro"), size="2", color_scheme="gray"),
                    form_error(errors),
                    field(
                        "customer_number",
                        "field.customer_number",
                        errors,
                        autofocus=True,
                        hint_key="activation.customer_number_hint",
                    ),
                    field(
                        "invoice_number",
                        "field.invoice_number",
                        errors,
                        hint_key="activation.invoice_number_hint",
                    ),
                    field("email", "field.email", errors, type_="email", autocomplete="email"),
                    submit_button("activation.submit", ActivationState.busy),
                    spacing="3",
                    width="100%",
                ),
                on_submit=ActivationState.submit,
                reset_on_submit=False,
                width="100%",
            ),
        ),
        rx.link(tr("common.back_to_sign_in"), href="/sign-in", size="2"),
        title_key="activation.title",
    )


@rx.page(
    route="/activate/confirm",
    title="Customer Center",
    on_load=[PortalState.detect_language, ActivationConfirmState.load],
)
def activate_confirm_page() -> rx.Component:
    state = ActivationConfirmState
    return public_page(
        rx.cond(
            state.link_error != "",
            rx.vstack(
                notice(state.link_error, color="red", icon="link_2_off"),
                rx.link(tr("common.back_to_sign_in"), href="/sign-in", size="2"),
                width="100%",
            ),
            rx.form(
                rx.vstack(
                    rx.data_list.root(
                        rx.data_list.item(
                            rx.data_list.label(tr("field.company")),
                            rx.data_list.value(state.company_name),
                        ),
                        rx.data_list.item(
                            rx.data_list.label(tr("field.email")),
                            rx.data_list.value(state.email),
                        ),
                    ),
                    form_error(state.errors),
                    field(
                        "name",
                        "field.your_name",
                        state.errors,
                        autocomplete="name",
                        default_value=state.suggested_name,
                        autofocus=True,
                    ),
                    field(
                        "password",
                        "field.new_password",
                        state.errors,
                        type_="password",
                        autocomplete="new-password",
                        hint_key="password.hint",
                    ),
                    field(
                        "password_repeat",
                        "field.password_repeat",
                        state.errors,
                        type_="password",
                        autocomplete="new-password",
                    ),
                    submit_button("activation.confirm_submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=state.submit,
                reset_on_submit=False,
                width="100%",
                key=state.email,
            ),
        ),
        title_key="activation.confirm_title",
    )
