"""Forms: labelled fields with their errors beside them, one layout for every form."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventCallback

from customer_center.components.ui import Texts, tr
from customer_center.state.base import PortalState


def field(
    name: str,
    label_key: str,
    errors: Texts,
    *,
    type_: str = "text",
    autocomplete: str = "off",
    default_value: rx.Var | str = "",
    hint_key: str | None = None,
    autofocus: bool = False,
    **input_props: object,
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
            **input_props,
        ),
        rx.cond(
            hint_key is not None,
            rx.text(tr(hint_key or ""), size="1", color_scheme="gray"),
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
        align="start",
    )


def field_error(errors: Texts, name: str) -> rx.Component:
    """The message of a refused field right below it (``<name>-error``, read by the field's
    ``aria-describedby``)."""
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", size="2", color_scheme="red", role="alert"),
    )


def _form_error(errors: Texts) -> rx.Component:
    """The message that concerns the whole form rather than one field."""
    return rx.cond(
        errors.contains(""),
        rx.callout(
            errors[""], icon="triangle_alert", color_scheme="red", role="alert", width="100%"
        ),
    )


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


def until_loaded(*children: rx.Component) -> rx.Component:
    """Fields that take no input until the page's on_load handlers have all finished: what
    they load re-keys forms with the stored values (the budget form, the absence form), which
    would silently drop anything typed earlier, and a click before the page is wired would
    submit nothing."""
    return rx.el.fieldset(*children, disabled=~PortalState.is_hydrated, class_name="cc-fieldset")


# A form's submit handler: it receives the form's fields by name.
OnSubmit = EventCallback[dict[Any, Any]]


def form(*children: rx.Component, on_submit: OnSubmit, errors: Texts, **props: Any) -> rx.Component:
    """A form that keeps its input on a refusal and shows form-wide errors at its top; its
    fields take input once the page has loaded (:func:`until_loaded`)."""
    return rx.form(
        until_loaded(rx.vstack(_form_error(errors), *children, spacing="3", width="100%")),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
        **props,
    )


def new_password_fields(errors: Texts, *, autofocus: bool = False) -> list[rx.Component]:
    """The new password with the policy hint, and its repetition."""
    return [
        field(
            "password",
            "field.new_password",
            errors,
            type_="password",
            autocomplete="new-password",
            hint_key="password.hint",
            autofocus=autofocus,
        ),
        field(
            "password_repeat",
            "field.password_repeat",
            errors,
            type_="password",
            autocomplete="new-password",
        ),
    ]
