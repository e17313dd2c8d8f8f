"""The order's journey as a stepper (placed … delivered, with the times the seller reports)
and its shipments with their lines and tracking links. Reads the rows the presenters
(presenters.journey) made; laid out in a row on wide screens, as a list on phones."""

from __future__ import annotations

import reflex as rx

from customer_center.components.ui import Texts, tr


def _marker(step: Texts) -> rx.Component:
    return rx.box(
        rx.match(
            step["state"],
            ("done", rx.icon("check", size=14)),
            ("end", rx.icon("ban", size=14)),
            rx.text(step["number"], size="1", weight="bold"),
        ),
        class_name="cc-step-marker",
        aria_hidden="true",
    )


def _step(step: Texts) -> rx.Component:
    return rx.el.li(
        _marker(step),
        rx.box(
            rx.text(step["label"], size="2", weight="medium", class_name="cc-step-label"),
            rx.cond(
                step["when"] != "",
                rx.text(step["when"], size="1", color_scheme="gray", class_name="cc-step-when"),
            ),
            rx.el.span(
                " (",
                rx.match(
                    step["state"],
                    ("done", tr("journey_steps.state.done")),
                    ("current", tr("journey_steps.state.current")),
                    ("end", tr("journey_steps.state.end")),
                    tr("journey_steps.state.upcoming"),
                ),
                ")",
                class_name="rt-reset cc-sr-only",
            ),
            class_name="cc-step-text",
        ),
        class_name="cc-step cc-step-" + step["state"].to(str),
        aria_current=rx.cond(step["state"] == "current", "step", None),
    )


def stepper(steps: rx.Var) -> rx.Component:
    return rx.el.ol(
        rx.foreach(steps, _step),
        class_name="cc-stepper",
        aria_label=tr("journey_steps.title"),
        id="order-stepper",
    )


def _shipment(shipment: Texts, lines: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(shipment["title"], weight="bold", size="2"),
            rx.text(shipment["when"], size="1", color_scheme="gray"),
            spacing="2",
            wrap="wrap",
            align="baseline",
        ),
        rx.cond(
            shipment["tracking"] != "",
            rx.text(
                rx.cond(shipment["carrier"] != "", shipment["carrier"] + " · ", ""),
                rx.cond(
                    shipment["href"] != "",
                    rx.link(
                        shipment["tracking"],
                        href=shipment["href"],
                        is_external=True,
                        class_name="cc-tracking-link",
                    ),
                    rx.text(shipment["tracking"], as_="span"),
                ),
                size="2",
            ),
        ),
        rx.el.ul(
            rx.foreach(
                lines,
                lambda line: rx.cond(
                    line["shipment"] == shipment["index"],
                    rx.el.li(rx.text(line["text"], size="2")),
                ),
            ),
            rx.cond(
                shipment["all_lines"] != "", rx.el.li(rx.text(shipment["all_lines"], size="2"))
            ),
            class_name="cc-shipment-lines",
        ),
        spacing="1",
        width="100%",
        class_name="cc-shipment",
    )


def journey_card(steps: rx.Var, shipments: rx.Var, lines: rx.Var) -> rx.Component:
    """The stepper, the note on whose times they are, and the shipments (if any)."""
    return rx.card(
        rx.vstack(
            rx.heading(tr("journey_steps.title"), size="3", as_="h2"),
            stepper(steps),
            rx.text(tr("journey_steps.times_note"), size="1", color_scheme="gray"),
            rx.cond(
                shipments.length() > 0,  # type: ignore[attr-defined]
                rx.vstack(
                    rx.heading(tr("journey_steps.shipments"), size="2", as_="h3"),
                    rx.foreach(shipments, lambda s: _shipment(s, lines)),
                    spacing="3",
                    width="100%",
                    id="order-shipments",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="order-journey",
    )
