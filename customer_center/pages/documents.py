"""/documents: the company's documents from the ERP, filtered by kind, date and order, one
page at a time; each downloads as a PDF."""

from __future__ import annotations

from typing import Any

import reflex as rx

from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.documents import ALL, DocumentsState


def _labelled(label_key: str, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=html_for, class_name="cc-label"),
        control,
        spacing="1",
        width="100%",
        min_width="0",
    )


def _input(element_id: str, **props: Any) -> rx.Component:
    return rx.input(id=element_id, width="100%", **props)


def filter_bar() -> rx.Component:
    state = DocumentsState
    return rx.vstack(
        rx.grid(
            _labelled(
                "documents.filter.kind",
                rx.select.root(
                    rx.select.trigger(id="document-kind", width="100%"),
                    rx.select.content(
                        rx.select.item(tr("documents.filter.kind_all"), value=ALL),
                        rx.foreach(
                            state.kinds, lambda k: rx.select.item(k["label"], value=k["value"])
                        ),
                    ),
                    value=state.kind,
                    on_change=state.set_kind,
                ),
                "document-kind",
            ),
            _labelled(
                "documents.filter.from",
                _input(
                    "document-from",
                    type="date",
                    value=state.date_from,
                    on_change=state.set_date_from,
                ),
                "document-from",
            ),
            _labelled(
                "documents.filter.to",
                _input(
                    "document-to", type="date", value=state.date_to, on_change=state.set_date_to
                ),
                "document-to",
            ),
            _labelled(
                "documents.filter.order",
                _input(
                    "document-order",
                    value=state.order,
                    on_change=state.set_order,
                    debounce_timeout=400,
                    placeholder=tr("documents.filter.order_hint"),
                ),
                "document-order",
            ),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            state.error != "",
            rx.text(state.error, size="1", color_scheme="red", role="alert", id="document-error"),
        ),
        rx.flex(
            rx.text(
                state.count_text,
                size="2",
                color_scheme="gray",
                id="document-count",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("filter_x", size=16),
                tr("documents.filter.reset"),
                variant="soft",
                color_scheme="gray",
                on_click=state.reset_filters,
                id="document-reset",
            ),
            align="center",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def download_link(row: Texts) -> rx.Component:
    return rx.el.a(
        rx.icon("file_down", size=16, aria_hidden="true"),
        rx.text("PDF", as_="span"),
        href=row["href"],
        download="",
        # A file, not a page of the app: the browser fetches it (no client-side routing).
        custom_attrs={"reloadDocument": True},
        aria_label=row["download_label"],
        class_name="cc-document-download",
    )


def document_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["number"], weight="medium", class_name="cc-nowrap"),
                rx.cond(row["title"] != "", rx.text(row["title"], size="1", color_scheme="gray")),
                rx.text(
                    row["issued"],
                    rx.cond(row["order"] != "", " · ", ""),
                    row["order"],
                    size="1",
                    color_scheme="gray",
                    class_name="cc-show-narrow",
                ),
                spacing="0",
            )
        ),
        rx.table.cell(rx.badge(row["kind_label"], variant="soft", color_scheme="gray")),
        rx.table.cell(row["issued"], class_name="cc-hide-narrow cc-nowrap"),
        rx.table.cell(
            rx.cond(
                row["order_href"] != "",
                rx.link(row["order"], href=row["order_href"], class_name="cc-nowrap"),
                rx.text(row["order"], class_name="cc-nowrap"),
            ),
            class_name="cc-hide-narrow",
        ),
        rx.table.cell(download_link(row), text_align="right"),
        class_name="cc-document-row",
    )


def documents_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("documents.column.number")),
                    rx.table.column_header_cell(tr("documents.column.kind")),
                    rx.table.column_header_cell(
                        tr("documents.column.issued"), class_name="cc-hide-narrow"
                    ),
                    rx.table.column_header_cell(
                        tr("documents.column.order"), class_name="cc-hide-narrow"
                    ),
                    rx.table.column_header_cell(
                        tr("documents.column.download"), text_align="right"
                    ),
                )
            ),
            rx.table.body(rx.foreach(DocumentsState.rows, document_row)),
            variant="surface",
            width="100%",
            id="document-table",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def document_list() -> rx.Component:
    state = DocumentsState
    return rx.vstack(
        rx.text(tr("documents.intro"), size="2", color_scheme="gray"),
        filter_bar(),
        rx.cond(
            state.erp_down,
            rx.callout(tr("documents.erp_down"), icon="cloud_off", color_scheme="amber"),
        ),
        rx.cond(
            state.rows.length() > 0,
            documents_table(),
            once_loaded(rx.text(tr("documents.empty"), color_scheme="gray", id="document-empty")),
        ),
        rx.cond(
            state.page_count > 1,
            state_pager(
                state,
                page_text("documents.page", state.page, state.page_count),
                id_prefix="document",
            ),
        ),
        spacing="4",
        width="100%",
    )


@portal_page(
    routes.DOCUMENTS,
    DocumentsState.load,
    title_key="page.documents",
    right=Permission.DOCUMENTS_VIEW,
    nav=Nav("nav.documents", "file_text", NavGroup.SHOP, 5),
)
def documents_page() -> rx.Component:
    return app_page(
        document_list(), title_key="documents.title", permission=Permission.DOCUMENTS_VIEW.value
    )
