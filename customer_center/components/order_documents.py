"""The order page's pieces from the ERP: its documents (each a PDF) and its invoice totals."""

from __future__ import annotations

import reflex as rx

from customer_center.components.invoice_totals import invoice_totals
from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.state.order_documents import OrderDocumentsState
from customer_center.state.order_totals import OrderTotalsState


def _document(row: Texts) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(row["kind_label"], weight="medium", size="2"),
            rx.text(row["number"], " · ", row["issued"], size="1", color_scheme="gray"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.el.a(
            rx.icon("file_down", size=16, aria_hidden="true"),
            rx.text("PDF", as_="span"),
            href=row["href"],
            download="",
            # A file, not a page of the app: the browser fetches it (no client-side routing).
            custom_attrs={"reloadDocument": True},
            aria_label=row["download_label"],
            class_name="cc-document-download",
        ),
        align="center",
        spacing="3",
        width="100%",
        class_name="cc-order-document",
    )


def order_documents_card() -> rx.Component:
    state = OrderDocumentsState
    return rx.cond(
        state.may_view,
        rx.card(
            rx.vstack(
                rx.heading(tr("documents.order.title"), size="3", as_="h2"),
                rx.cond(
                    state.rows.length() > 0,
                    rx.vstack(rx.foreach(state.rows, _document), spacing="2", width="100%"),
                    rx.text(tr("documents.order.none"), size="2", color_scheme="gray"),
                ),
                rx.link(tr("documents.order.all"), href=routes.DOCUMENTS, size="2"),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="order-documents",
        ),
    )


def order_totals_card() -> rx.Component:
    """The order's totals as its invoice shows them."""
    return rx.card(
        invoice_totals(OrderTotalsState.rows, element_id="order-invoice-totals"), width="100%"
    )
