"""Totals as the invoice shows them: goods, shipping, net, VAT per rate, gross; one block for
the cart, the checkout and the order page (rows from ``presenters/invoice_totals.py``)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.ui import Texts, tr


def _row(row: Texts) -> rx.Component:
    strong = (row["kind"] == "gross") | (row["kind"] == "net")
    return rx.hstack(
        rx.vstack(
            rx.text(row["label"], size="2", weight=rx.cond(strong, "bold", "regular")),
            rx.cond(row["note"] != "", rx.text(row["note"], size="1", color_scheme="gray")),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.text(
            row["amount"],
            size=rx.cond(row["kind"] == "gross", "3", "2"),
            weight=rx.cond(strong, "bold", "regular"),
            class_name="cc-nowrap",
            data_kind=row["kind"],
        ),
        width="100%",
        align="start",
        class_name="cc-invoice-row",
    )


def invoice_totals(rows: rx.Var, *, element_id: str, note_key: str = "") -> rx.Component:
    """The rows, or a note that tax and shipping follow once the ERP answers."""
    return rx.vstack(
        rx.text(tr("invoice.title"), size="1", weight="medium", color_scheme="gray"),
        rx.cond(
            rx.Var.create(rows).to(list).length() > 0,
            rx.vstack(rx.foreach(rows, _row), spacing="1", width="100%"),
            rx.text(tr("invoice.unknown"), size="1", color_scheme="gray"),
        ),
        rx.text(tr("invoice.budget_net"), size="1", color_scheme="gray"),
        *([rx.text(tr(note_key), size="1", color_scheme="gray")] if note_key else []),
        spacing="2",
        width="100%",
        id=element_id,
    )
