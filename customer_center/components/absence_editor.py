"""The absence form: a period and the substitute who decides meanwhile."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form
from customer_center.components.ui import notice, tr
from customer_center.state.absences import AbsenceState

S = AbsenceState


def substitute_picker() -> rx.Component:
    return rx.vstack(
        rx.el.label(tr("absence.substitute"), html_for="substitute", class_name="cc-label"),
        rx.input(
            placeholder=tr("absence.find"),
            on_change=S.find.debounce(300),
            aria_label=tr("absence.find"),
            size="2",
            width="100%",
        ),
        rx.el.select(
            rx.el.option(tr("absence.choose"), value=""),
            rx.foreach(S.candidates, lambda c: rx.el.option(c["name"], value=c["id"])),
            name="substitute",
            id="substitute",
            default_value=S.substitute,
            class_name="cc-native-select",
        ),
        rx.cond(
            S.errors.contains("substitute"),
            rx.text(
                S.errors["substitute"],
                id="substitute-error",
                size="2",
                color_scheme="red",
                role="alert",
            ),
        ),
        spacing="1",
        width="100%",
    )


def absence_section(hint_key: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("absence.title"), size="4", as_="h2"),
            rx.text(tr(hint_key), size="2", color_scheme="gray"),
            rx.text(S.current, size="2", weight="medium", id="absence-current"),
            rx.cond(S.saved != "", notice(S.saved, icon="check")),
            form(
                rx.grid(
                    field(
                        "starts_on",
                        "absence.from",
                        S.errors,
                        type_="date",
                        default_value=S.starts_on,
                    ),
                    field(
                        "ends_on", "absence.until", S.errors, type_="date", default_value=S.ends_on
                    ),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                substitute_picker(),
                rx.hstack(
                    rx.button(tr("absence.save"), type="submit", id="save-absence"),
                    rx.cond(
                        S.has_absence,
                        rx.button(
                            tr("absence.clear"), type="button", variant="soft", on_click=S.clear
                        ),
                    ),
                    spacing="2",
                ),
                on_submit=S.save,
                errors=S.errors,
                key=S.round.to_string(),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )
