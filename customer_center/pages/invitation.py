"""The page behind the invitation e-mail: confirm the name, choose a password, start."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form, new_password_fields, submit_button
from customer_center.components.layout import public_page
from customer_center.components.portal_page import public_route
from customer_center.components.ui import link_problem, tr
from customer_center.domain import routes
from customer_center.state.users import InvitationState


@public_route(routes.INVITATION, InvitationState.load, title_key="page.invitation")
def invitation_page() -> rx.Component:
    state = InvitationState
    return public_page(
        rx.cond(
            state.link_error != "",
            link_problem(state.link_error, "invitation.ask_again", routes.SIGN_IN),
            rx.cond(
                state.email == "",
                rx.center(rx.spinner(size="3"), padding="2rem"),
                invitation_form(),
            ),
        ),
        title_key="invitation.title",
    )


def invitation_form() -> rx.Component:
    """Shown once the invitation is read, so nothing typed is lost to a late re-render."""
    state = InvitationState
    return form(
        rx.text(
            tr("invitation.intro").replace("{company}", state.company_name),
            size="2",
            id="invitation-intro",
        ),
        rx.text(state.email, weight="medium"),
        field("name", "field.name", state.errors, default_value=state.name),
        *new_password_fields(state.errors),
        submit_button("invitation.submit"),
        on_submit=state.submit,
        errors=state.errors,
        key=state.email,
    )
