"""The agent's help buttons on a user of Company 360 and the dialog that confirms them."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field_error, form
from customer_center.components.ui import Texts, tr
from customer_center.state.base import PortalState
from customer_center.state.seller_assist import SellerAssistState


def assist_buttons(row: Texts) -> rx.Component:
    """Invitation again for the invited, a reset link for the active, the lockout for all."""
    state = SellerAssistState
    return rx.flex(
        rx.cond(
            row["status_code"] == "invited",
            rx.button(
                tr("seller.assist.invitation"),
                size="1",
                variant="soft",
                high_contrast=True,
                on_click=state.ask("invitation", row["id"]),
                class_name="cc-assist-invitation",
            ),
        ),
        rx.cond(
            row["status_code"] == "active",
            rx.button(
                tr("seller.assist.reset"),
                size="1",
                variant="soft",
                high_contrast=True,
                on_click=state.ask("reset", row["id"]),
                class_name="cc-assist-reset",
            ),
        ),
        rx.button(
            tr("seller.assist.sign_in_lock"),
            size="1",
            variant="soft",
            color_scheme="gray",
            high_contrast=True,
            on_click=state.ask("sign_in_lock", row["id"]),
            class_name="cc-assist-lock",
        ),
        wrap="wrap",
        spacing="2",
    )


def assist_dialog() -> rx.Component:
    state = SellerAssistState
    errors = state.errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("seller.assist.title")),
            form(
                rx.text(state.question, size="2"),
                rx.cond(
                    state.needs_reason,
                    rx.vstack(
                        rx.el.label(
                            tr("seller.assist.reason"), html_for="reason", class_name="cc-label"
                        ),
                        rx.text_area(
                            id="reason",
                            name="reason",
                            max_length=500,
                            width="100%",
                            aria_invalid=rx.cond(errors.contains("reason"), "true", "false"),
                            aria_describedby="reason-error",
                        ),
                        field_error(errors, "reason"),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.hstack(
                    rx.button(
                        tr("seller.assist.confirm"),
                        type="submit",
                        high_contrast=True,
                        id="assist-confirm",
                    ),
                    rx.button(
                        tr("common.cancel"),
                        type="button",
                        variant="soft",
                        high_contrast=True,
                        on_click=state.cancel,
                    ),
                    spacing="3",
                ),
                on_submit=state.confirm,
                errors=errors,
                key=state.action,
            ),
        ),
        open=state.action != "",
        on_open_change=state.open_changed,
    )


def assist_done() -> rx.Component:
    state = SellerAssistState
    return rx.cond(
        state.message != "",
        rx.callout(
            PortalState.t[state.message],
            icon="check",
            color_scheme="green",
            high_contrast=True,
            width="100%",
            role="status",
        ),
    )
