"""Shopping lists: the lists one sees (own and shared), one page at a time; a new list."""

from __future__ import annotations

import reflex as rx

from customer_center.components import strong
from customer_center.components.forms import field_error
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.domain.shopping_lists import NAME_MAX
from customer_center.state.shopping_lists import ShoppingListsState as S

ORDER = Permission.ORDERS_CREATE.value


def sharing_select() -> rx.Component:
    return rx.vstack(
        rx.el.label(tr("lists.sharing"), html_for="new-list-sharing", class_name="cc-label"),
        rx.el.select(
            rx.foreach(
                S.sharing_choices,
                lambda c: rx.el.option(c["label"], value=c["value"]),
            ),
            name="sharing",
            id="new-list-sharing",
            default_value="private",
            class_name="cc-native-select",
        ),
        field_error(S.errors, "sharing"),
        spacing="1",
        width=rx.breakpoints(initial="100%", sm="16rem"),
    )


def new_list_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.flex(
                rx.vstack(
                    rx.el.label(tr("lists.name"), html_for="new-list-name", class_name="cc-label"),
                    rx.input(
                        name="name",
                        id="new-list-name",
                        aria_describedby="name-error",
                        max_length=NAME_MAX,
                        placeholder=tr("lists.name_example"),
                        width="100%",
                    ),
                    field_error(S.errors, "name"),
                    spacing="1",
                    flex="1",
                    min_width="14rem",
                ),
                rx.cond(S.can_share, sharing_select()),
                strong.button(rx.icon("plus", size=16), tr("lists.create"), type="submit"),
                spacing="3",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            on_submit=S.create,
            reset_on_submit=True,
            key=S.form_round.to_string(),
        ),
        width="100%",
    )


def list_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(row["name"], href=routes.LIST.replace("[list_id]", "") + row["id"]),
        ),
        rx.table.cell(
            strong.badge(
                row["sharing"],
                color_scheme=rx.cond(row["shared"] != "", "blue", "gray"),
                variant="soft",
            )
        ),
        rx.table.cell(row["owner"], class_name="cc-hide-narrow"),
        rx.table.cell(row["lines"], class_name="cc-nowrap"),
        rx.table.cell(row["updated"], class_name="cc-hide-narrow"),
        class_name="cc-list-row",
        data_list=row["name"],
    )


def lists_table() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("lists.name")),
                        rx.table.column_header_cell(tr("lists.sharing")),
                        rx.table.column_header_cell(tr("lists.owner"), class_name="cc-hide-narrow"),
                        rx.table.column_header_cell(tr("lists.lines")),
                        rx.table.column_header_cell(
                            tr("lists.updated"), class_name="cc-hide-narrow"
                        ),
                    )
                ),
                rx.table.body(rx.foreach(S.rows, list_row)),
                variant="surface",
                width="100%",
            ),
            class_name="cc-table-wrap",
            width="100%",
        ),
        state_pager(
            S, page_text("lists.page_of", S.page, S.page_count, S.total), id_prefix="lists"
        ),
        spacing="3",
        width="100%",
    )


def lists_content() -> rx.Component:
    return rx.vstack(
        rx.text(tr("lists.intro"), size="2", color_scheme="gray"),
        rx.cond(S.notice != "", strong.notice(S.notice, icon="check")),
        new_list_form(),
        rx.cond(
            S.rows.length() > 0,
            lists_table(),
            once_loaded(rx.text(tr("lists.none"), color_scheme="gray", id="lists-none")),
        ),
        spacing="4",
        width="100%",
        max_width="60rem",
    )


@portal_page(
    routes.LISTS,
    S.load,
    title_key="page.lists",
    right=Permission.ORDERS_CREATE,
    nav=Nav("nav.lists", "list_todo", NavGroup.SHOP, 2),
)
def shopping_lists_page() -> rx.Component:
    return app_page(lists_content(), title_key="lists.title", permission=ORDER)
