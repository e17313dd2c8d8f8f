"""The absences of one person: the planned periods, and a form adding one more."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, field_error, form
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
            default_value="",
            class_name="cc-native-select",
        ),
        field_error(S.errors, "substitute"),
        spacing="1",
        width="100%",
    )


def planned_list() -> rx.Component:
    """The planned absences, each with its remove button; a line saying none otherwise."""
    return rx.cond(
        S.periods.length() > 0,
        rx.el.ul(
            rx.foreach(
                S.periods,
                lambda p: rx.el.li(
                    rx.hstack(
                        rx.text(p["text"], size="2", weight="medium"),
                        rx.button(
                            tr("absence.remove"),
                            type="button",
                            size="1",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.remove(p["id"]),
                            aria_label=tr("absence.remove"),
                        ),
                        align="center",
                        wrap="wrap",
                    ),
                    class_name="cc-absence",
                ),
            ),
            id="absence-list",
            class_name="cc-absences",
        ),
        rx.text(tr("absence.none"), size="2", weight="medium", id="absence-list"),
    )


def absence_section(hint_key: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("absence.title"), size="4", as_="h2"),
            rx.text(tr(hint_key), size="2", color_scheme="gray"),
            planned_list(),
            rx.cond(S.saved != "", notice(S.saved, icon="check")),
            rx.heading(tr("absence.add_title"), size="3", as_="h3"),
            form(
                rx.grid(
                    field("starts_on", "absence.from", S.errors, type_="date"),
                    field("ends_on", "absence.until", S.errors, type_="date"),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                substitute_picker(),
                rx.button(tr("absence.save"), type="submit", id="save-absence"),
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
