"""The audit log: filters, one page of entries with their changes, and the CSV export."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventCallback

from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Text, Texts, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.services.audit_log import AREAS
from customer_center.state.audit import ALL, AuditState

VIEW = Permission.AUDIT_VIEW.value


def _labelled(label_key: str, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=html_for, class_name="cc-label"),
        control,
        spacing="1",
        class_name="cc-audit-filter",
    )


def who_filter() -> rx.Component:
    state = AuditState
    return _labelled(
        "audit.filter.who",
        rx.vstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                placeholder=tr("audit.filter.who_search"),
                value=state.who_search,
                on_change=state.search_who,
                aria_label=tr("audit.filter.who_search"),
                id="audit-who-search",
                width="100%",
            ),
            rx.select.root(
                rx.select.trigger(id="audit-who", width="100%", aria_label=tr("audit.filter.who")),
                rx.select.content(
                    rx.select.item(tr("audit.filter.who_all"), value=ALL),
                    rx.foreach(
                        state.who_options, lambda o: rx.select.item(o["label"], value=o["id"])
                    ),
                ),
                value=state.who,
                on_change=state.set_who,
            ),
            rx.cond(
                state.who_more, rx.text(tr("audit.filter.who_more"), size="1", color_scheme="gray")
            ),
            spacing="1",
            width="100%",
        ),
        "audit-who-search",
    )


def area_filter() -> rx.Component:
    return _labelled(
        "audit.filter.area",
        rx.select.root(
            rx.select.trigger(id="audit-area", width="100%"),
            rx.select.content(
                rx.select.item(tr("audit.filter.area_all"), value=ALL),
                *[rx.select.item(tr(f"audit.area.{area}"), value=area) for area in AREAS],
            ),
            value=AuditState.area,
            on_change=AuditState.set_area,
        ),
        "audit-area",
    )


def date_filter(
    key: str, element_id: str, value: Text, on_change: EventCallback[str]
) -> rx.Component:
    return _labelled(
        key,
        rx.input(type="date", value=value, on_change=on_change, id=element_id, width="100%"),
        element_id,
    )


def filter_bar() -> rx.Component:
    state = AuditState
    return rx.vstack(
        rx.grid(
            who_filter(),
            area_filter(),
            date_filter("audit.filter.from", "audit-from", state.date_from, state.set_date_from),
            date_filter("audit.filter.to", "audit-to", state.date_to, state.set_date_to),
            class_name="cc-audit-filters",
            width="100%",
        ),
        rx.cond(
            state.errors.contains("date_to"),
            rx.text(state.errors["date_to"], size="2", color_scheme="red", role="alert"),
        ),
        rx.flex(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                placeholder=tr("audit.filter.text"),
                value=state.text,
                on_change=state.set_text,
                aria_label=tr("audit.filter.text"),
                id="audit-text",
                flex="1",
                min_width="14rem",
            ),
            rx.button(
                rx.icon("filter_x", size=16),
                tr("audit.filter.reset"),
                variant="soft",
                color_scheme="gray",
                on_click=state.reset_filters,
                id="audit-reset",
            ),
            rx.el.a(
                rx.button(rx.icon("download", size=16), tr("audit.export"), variant="soft"),
                href=state.export_href,
                id="audit-export",
            ),
            spacing="2",
            wrap="wrap",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def changes(row: Texts) -> rx.Component:
    """The changed values in a few lines; everything recorded behind "Details"."""
    return rx.vstack(
        rx.cond(
            row["changes"] != "", rx.text(row["changes"], size="2", class_name="cc-audit-changes")
        ),
        rx.el.details(
            rx.el.summary(tr("audit.details"), class_name="cc-audit-summary"),
            rx.vstack(
                rx.cond(
                    row["more_changes"] != "",
                    rx.text(row["more_changes"], size="2", class_name="cc-audit-changes"),
                ),
                rx.cond(
                    row["before"] != "",
                    rx.box(
                        rx.text(tr("audit.before"), size="1", weight="medium"),
                        rx.el.pre(row["before"], class_name="cc-audit-json"),
                    ),
                ),
                rx.cond(
                    row["after"] != "",
                    rx.box(
                        rx.text(tr("audit.after"), size="1", weight="medium"),
                        rx.el.pre(row["after"], class_name="cc-audit-json"),
                    ),
                ),
                rx.cond(
                    row["session"] != "",
                    rx.text(tr("audit.session").replace("{session}", row["session"]), size="1"),
                ),
                rx.cond(
                    row["ip"] != "",
                    rx.text(tr("audit.ip").replace("{ip}", row["ip"]), size="1"),
                ),
                spacing="2",
                width="100%",
            ),
            class_name="cc-audit-details",
        ),
        spacing="1",
        width="100%",
    )


def audit_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.text(row["when"], size="2", class_name="cc-audit-when"),
            rx.text(row["who"], size="1", color_scheme="gray", class_name="cc-show-narrow"),
        ),
        rx.table.cell(row["who"], class_name="cc-hide-narrow"),
        rx.table.row_header_cell(
            rx.text(row["action"], weight="medium", size="2", title=row["action_code"]),
            rx.text(row["target"], size="1", color_scheme="gray", class_name="cc-show-narrow"),
            rx.box(changes(row), class_name="cc-show-narrow"),
        ),
        rx.table.cell(row["target"], class_name="cc-hide-narrow"),
        rx.table.cell(changes(row), class_name="cc-hide-narrow cc-audit-change-cell"),
        class_name="cc-audit-row",
    )


def audit_table() -> rx.Component:
    def head(key: str, narrow_hidden: bool = False) -> rx.Component:
        return rx.table.column_header_cell(
            tr(key), class_name="cc-hide-narrow" if narrow_hidden else ""
        )

    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    head("audit.column.when"),
                    head("audit.column.who", True),
                    head("audit.column.action"),
                    head("audit.column.target", True),
                    head("audit.column.changes", True),
                )
            ),
            rx.table.body(rx.foreach(AuditState.rows, audit_row)),
            variant="surface",
            width="100%",
            id="audit-table",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def audit_pager() -> rx.Component:
    state = AuditState
    return pager(
        page_text("audit.page", state.page),
        on_previous=state.previous_page,
        on_next=state.next_page,
        has_previous=state.page > 0,
        has_next=state.has_next,
        id_prefix="audit",
    )


@portal_page(
    routes.AUDIT,
    AuditState.load,
    title_key="page.audit",
    right=Permission.AUDIT_VIEW,
    nav=Nav("nav.audit", "scroll_text", NavGroup.REPORTS, 2),
)
def audit_page() -> rx.Component:
    return app_page(
        rx.vstack(
            rx.text(tr("audit.intro"), size="2", color_scheme="gray"),
            filter_bar(),
            rx.cond(
                AuditState.rows.length() > 0,
                audit_table(),
                once_loaded(rx.text(tr("audit.empty"), color_scheme="gray", id="audit-empty")),
            ),
            audit_pager(),
            spacing="4",
            width="100%",
        ),
        title_key="audit.title",
        permission=VIEW,
    )
