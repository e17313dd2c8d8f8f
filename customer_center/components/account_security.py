"""The account page's security and e-mail sections: change the password, the browsers signed
in (each can be signed out, or all others at once), and the e-mails the user wants."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form, new_password_fields
from customer_center.components.ui import Texts, tr
from customer_center.state.account import AccountState


def announced(text: rx.Var, element_id: str, color: str = "green") -> rx.Component:
    """A status line screen readers announce when it changes (it is always in the page)."""
    return rx.box(
        rx.cond(
            text != "",
            rx.callout(text, icon="check", color_scheme=color, width="100%"),
        ),
        role="status",
        aria_live="polite",
        id=element_id,
        width="100%",
    )


def refusal(text: rx.Var) -> rx.Component:
    return rx.callout(text, icon="triangle_alert", color_scheme="red", role="alert", width="100%")


def password_form() -> rx.Component:
    state = AccountState
    return rx.vstack(
        rx.text(tr("myaccount.password.intro"), size="2", color_scheme="gray"),
        announced(state.password_note, "password-note"),
        form(
            field(
                "current",
                "myaccount.password.current",
                state.password_errors,
                type_="password",
                autocomplete="current-password",
            ),
            *new_password_fields(state.password_errors),
            rx.button(tr("myaccount.password.submit"), type="submit", id="change-password"),
            on_submit=state.change_password,
            errors=state.password_errors,
            key=state.password_form_key.to_string(),
        ),
        spacing="3",
        width="100%",
    )


def _session_row(row: Texts) -> rx.Component:
    current = row["current"] != ""
    return rx.hstack(
        rx.icon(row["icon"], size=22, color=rx.color("gray", 11), aria_hidden="true"),
        rx.vstack(
            rx.hstack(
                rx.text(row["device"], weight="medium"),
                rx.cond(
                    current,
                    rx.badge(
                        tr("myaccount.sessions.this"), color_scheme="green", high_contrast=True
                    ),
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(row["address"], size="2", color_scheme="gray"),
            rx.text(row["last_used"], size="2", color_scheme="gray"),
            rx.text(row["signed_in"], size="1", color_scheme="gray"),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.cond(
            current,
            rx.fragment(),
            rx.button(
                tr("myaccount.sessions.sign_out"),
                variant="soft",
                color_scheme="red",
                on_click=AccountState.end_session(row["id"]),
                aria_label=tr("myaccount.sessions.sign_out_named").replace(
                    "{device}", row["device"]
                ),
                class_name="cc-end-session",
            ),
        ),
        class_name="cc-session-row",
        align="center",
        spacing="3",
        width="100%",
        custom_attrs={"data-current": row["current"]},
    )


def sessions_list() -> rx.Component:
    state = AccountState
    return rx.vstack(
        rx.text(tr("myaccount.sessions.intro"), size="2", color_scheme="gray"),
        announced(state.sessions_note, "sessions-note"),
        rx.cond(
            state.sessions_error != "",
            rx.callout(
                state.sessions_error, icon="triangle_alert", color_scheme="red", role="alert"
            ),
        ),
        rx.el.ul(
            rx.foreach(state.sessions, lambda row: rx.el.li(_session_row(row))),
            class_name="cc-session-list",
            id="my-sessions",
        ),
        rx.cond(
            state.sessions.length() > 1,
            rx.button(
                rx.icon("log_out", size=16, aria_hidden="true"),
                tr("myaccount.sessions.everywhere"),
                variant="outline",
                color_scheme="red",
                on_click=state.end_other_sessions,
                id="end-other-sessions",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _choice(row: Texts) -> rx.Component:
    return rx.el.label(
        rx.checkbox(
            name=row["kind"],
            default_checked=row["wanted"] != "",
            aria_label=row["label"],
            id="notify-" + row["kind"],
        ),
        rx.vstack(
            rx.text(row["label"], size="2", weight="medium"),
            rx.text(row["hint"], size="1", color_scheme="gray"),
            spacing="0",
        ),
        class_name="cc-check cc-choice",
    )


def choices_form() -> rx.Component:
    state = AccountState
    return rx.vstack(
        rx.text(tr("myaccount.notify.intro"), size="2", color_scheme="gray"),
        announced(state.choices_note, "choices-note"),
        rx.cond(
            state.choices_error != "",
            rx.callout(
                state.choices_error, icon="triangle_alert", color_scheme="red", role="alert"
            ),
        ),
        rx.form(
            rx.vstack(
                rx.foreach(state.choices, _choice),
                rx.button(tr("myaccount.notify.save"), type="submit", id="save-choices"),
                spacing="3",
                width="100%",
            ),
            on_submit=state.save_choices,
            reset_on_submit=False,
            key=state.choices.to_string(),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )
