"""Budget defaults: for the whole company and for each role."""

from __future__ import annotations

import reflex as rx

from customer_center.components.budget_editor import limit_fields
from customer_center.components.forms import form
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.budgets import BudgetDefaultsState

S = BudgetDefaultsState


def default_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row["label"], weight="medium")),
        rx.table.cell(rx.text(row["summary"], size="2")),
        rx.table.cell(
            rx.button(tr("budgets.edit"), variant="soft", size="1", on_click=S.edit(row["key"])),
            text_align="right",
        ),
        class_name="cc-budget-row",
    )


def editor() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.editing_label),
            form(
                *limit_fields(S.values, S.errors),
                rx.hstack(
                    rx.button(
                        tr("budgets.remove_default"),
                        type="button",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.clear,
                    ),
                    rx.spacer(),
                    rx.button(
                        tr("common.cancel"),
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.cancel,
                    ),
                    rx.button(tr("budgets.save"), type="submit", id="save-default-budget"),
                    width="100%",
                    spacing="2",
                ),
                on_submit=S.save,
                errors=S.errors,
                key=S.round.to_string(),
            ),
            max_width="40rem",
        ),
        open=S.editing_key != "",
        on_open_change=S.cancel,
    )


@portal_page(
    routes.BUDGETS,
    S.load,
    title_key="page.budgets",
    right=Permission.BUDGETS_MANAGE,
    nav=Nav("nav.budgets", "wallet", NavGroup.PEOPLE, 3),
)
def budgets_page() -> rx.Component:
    return app_page(
        rx.text(tr("budgets.intro"), size="2", color_scheme="gray"),
        rx.cond(S.saved != "", notice(S.saved, icon="check")),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("budgets.applies_to")),
                        rx.table.column_header_cell(tr("budgets.limits")),
                        rx.table.column_header_cell(
                            rx.el.span(tr("common.actions"), class_name="cc-sr-only")
                        ),
                    )
                ),
                rx.table.body(rx.foreach(S.rows, default_row)),
                variant="surface",
                width="100%",
            ),
            class_name="cc-table-wrap",
        ),
        editor(),
        title_key="budgets.title",
        permission=Permission.BUDGETS_MANAGE.value,
    )
