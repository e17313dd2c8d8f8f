"""Activating a company: the ERP evidence form and the confirmation link."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form, new_password_fields, submit_button
from customer_center.components.layout import public_page
from customer_center.components.portal_page import public_route
from customer_center.components.ui import link_problem, notice, tr
from customer_center.domain import routes
from customer_center.state.activation import ActivationConfirmState, ActivationState


def _link_sent() -> rx.Component:
    return rx.vstack(
        notice(tr("activation.sent"), icon="mail_check"),
        rx.text(ActivationState.sent_to, weight="bold", id="activation-sent-to"),
        rx.text(tr("activation.sent_hint"), size="2", color_scheme="gray"),
        width="100%",
    )


@public_route(routes.ACTIVATE, ActivationState.load, title_key="page.activate")
def activate_page() -> rx.Component:
    errors = ActivationState.errors
    return public_page(
        rx.cond(
            ActivationState.sent_to != "",
            _link_sent(),
            form(
                rx.text(tr("activation.intro"), size="2", color_scheme="gray"),
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
                on_submit=ActivationState.submit,
                errors=errors,
            ),
        ),
        rx.link(tr("common.back_to_sign_in"), href=routes.SIGN_IN, size="2"),
        title_key="activation.title",
    )


def _what_is_activated() -> rx.Component:
    state = ActivationConfirmState
    return rx.data_list.root(
        rx.data_list.item(
            rx.data_list.label(tr("field.company")),
            rx.data_list.value(state.company_name),
        ),
        rx.data_list.item(
            rx.data_list.label(tr("field.email")),
            rx.data_list.value(state.email),
        ),
    )


@public_route(
    routes.ACTIVATE_CONFIRM, ActivationConfirmState.load, title_key="page.activate_confirm"
)
def activate_confirm_page() -> rx.Component:
    state = ActivationConfirmState
    return public_page(
        rx.cond(
            state.link_error != "",
            link_problem(state.link_error, "common.back_to_sign_in", routes.SIGN_IN),
            form(
                _what_is_activated(),
                field(
                    "name",
                    "field.your_name",
                    state.errors,
                    autocomplete="name",
                    default_value=state.suggested_name,
                    autofocus=True,
                ),
                *new_password_fields(state.errors),
                submit_button("activation.confirm_submit"),
                on_submit=state.submit,
                errors=state.errors,
                # A new key re-renders the inputs once the ERP name has loaded as default.
                key=state.email,
            ),
        ),
        title_key="activation.confirm_title",
    )
