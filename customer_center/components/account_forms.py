"""The e-mail change form (profile and user page) and the main-contact handover dialog."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form
from customer_center.components.ui import notice, tr
from customer_center.state.email_change import EmailChangeState
from customer_center.state.handover import HandoverState


def _with_email(key: str, email: rx.Var) -> rx.Var:
    return tr(key).replace("{email}", email)


def email_change_form(state: type[EmailChangeState] = EmailChangeState) -> rx.Component:
    """Current address, the pending one, and a form for a new one; a refusal in words instead
    when the viewer may not change this address."""
    return rx.cond(
        state.editable,
        rx.vstack(
            rx.vstack(
                rx.text(tr("account.email.current"), size="1", color_scheme="gray"),
                rx.text(state.email, weight="medium", id="current-email"),
                spacing="0",
            ),
            rx.cond(
                state.sent_to != "",
                notice(_with_email("account.email.sent", state.sent_to), icon="mail_check"),
                rx.cond(
                    state.pending != "",
                    notice(
                        _with_email("account.email.pending", state.pending),
                        color="amber",
                        icon="hourglass",
                    ),
                ),
            ),
            form(
                field(
                    "new_email",
                    "account.email.new",
                    state.errors,
                    type_="email",
                    autocomplete="email",
                    hint_key="account.email.hint",
                ),
                rx.button(tr("account.email.submit"), type="submit", id="request-email-change"),
                on_submit=state.submit,
                errors=state.errors,
                key=state.email + state.pending,
            ),
            spacing="3",
            width="100%",
            id="email-change",
        ),
        rx.cond(state.problem != "", rx.text(state.problem, size="2", color_scheme="gray")),
    )


def _pending_handover() -> rx.Component:
    s = HandoverState
    return rx.cond(
        s.pending_text != "",
        rx.callout(
            rx.flex(
                rx.text(s.pending_text, id="handover-pending"),
                rx.button(
                    tr("account.handover.cancel"),
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=s.cancel,
                    id="cancel-handover",
                ),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            icon="hourglass",
            color_scheme="amber",
            width="100%",
        ),
    )


def _handover_form() -> rx.Component:
    s = HandoverState
    return form(
        rx.text(tr("account.handover.explain").replace("{name}", s.target_name), size="2"),
        field(
            "password",
            "field.password",
            s.errors,
            type_="password",
            autocomplete="current-password",
            hint_key="account.handover.password_hint",
            autofocus=True,
        ),
        rx.flex(
            rx.dialog.close(
                rx.button(tr("common.cancel"), variant="soft", color_scheme="gray", type="button")
            ),
            rx.button(tr("account.handover.submit"), type="submit", id="request-handover"),
            spacing="3",
            justify="end",
        ),
        on_submit=s.request,
        errors=s.errors,
    )


def handover_dialog() -> rx.Component:
    """For the main contact on the page of another active user: hand over with the password."""
    s = HandoverState
    shown = s.can_hand_over | (s.pending_text != "") | (s.notice != "")
    return rx.cond(shown, _handover_area())


def _handover_area() -> rx.Component:
    s = HandoverState
    return rx.vstack(
        rx.cond(s.notice != "", notice(s.notice, icon="check")),
        _pending_handover(),
        rx.cond(
            s.can_hand_over,
            rx.dialog.root(
                rx.dialog.trigger(
                    rx.button(
                        rx.icon("crown", size=14),
                        tr("account.handover.open"),
                        variant="soft",
                        id="open-handover",
                    )
                ),
                rx.dialog.content(
                    rx.dialog.title(tr("account.handover.title")),
                    _handover_form(),
                    max_width="480px",
                ),
                open=s.dialog_open,
                on_open_change=s.set_dialog_open,
            ),
        ),
        spacing="2",
        width="100%",
    )
