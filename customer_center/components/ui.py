"""Small building blocks every page uses: translated text, labelled fields, cards, notices."""

from __future__ import annotations

import reflex as rx

from customer_center.i18n.catalog import LANGUAGES
from customer_center.state.base import PortalState


def tr(key: str) -> rx.Var:
    """The text of message ``key`` in the user's current language."""
    return PortalState.t[key].to(str)


def field(
    name: str,
    label_key: str,
    errors: rx.Var,
    *,
    type_: str = "text",
    autocomplete: str = "off",
    default_value: rx.Var | str = "",
    hint_key: str | None = None,
    autofocus: bool = False,
) -> rx.Component:
    """A labelled input with its hint and the error message right below it."""
    error_id = f"{name}-error"
    has_error = errors.contains(name)
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, class_name="cc-label"),
        rx.input(
            id=name,
            name=name,
            type=type_,
            auto_complete=autocomplete,
            default_value=default_value,
            auto_focus=autofocus,
            size="3",
            width="100%",
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=error_id,
            color_scheme=rx.cond(has_error, "red", "blue"),
        ),
        rx.cond(
            hint_key is not None,
            rx.text(tr(hint_key or ""), size="1", color_scheme="gray"),
        ),
        rx.cond(
            has_error,
            rx.text(errors[name], id=error_id, size="2", color_scheme="red", role="alert"),
        ),
        spacing="1",
        width="100%",
        align="start",
    )


def form_error(errors: rx.Var) -> rx.Component:
    """The message that concerns the whole form rather than one field."""
    return rx.cond(
        errors.contains(""),
        rx.callout(
            errors[""], icon="triangle_alert", color_scheme="red", role="alert", width="100%"
        ),
    )


def notice(text: rx.Var | str, color: str = "green", icon: str = "info") -> rx.Component:
    return rx.callout(text, icon=icon, color_scheme=color, width="100%")  # type: ignore[arg-type]


def submit_button(label_key: str, busy: rx.Var | bool = False) -> rx.Component:
    """Enabled once the page is connected to the server, so no click is ever lost."""
    return rx.button(
        tr(label_key),
        type="submit",
        size="3",
        width="100%",
        loading=busy,
        disabled=~PortalState.is_hydrated,
    )


def language_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=tr("shell.language"), variant="ghost"),
        rx.select.content(
            *[rx.select.item(label, value=code) for code, label in LANGUAGES.items()]
        ),
        value=PortalState.lang,
        on_change=PortalState.set_language,
        size="2",
    )


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("building_2", size=22, color=rx.color("blue", 9)),
            rx.text("Customer Center", weight="bold", size="4"),
            spacing="2",
            align="center",
        ),
        href="/",
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def dev_mailbox_link() -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("mail", size=16), rx.text(tr("shell.dev_mailbox")), spacing="1"),
        href="/dev/mailbox",
        size="2",
        id="dev-mailbox-link",
    )
