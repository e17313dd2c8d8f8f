"""/approvals: the orders waiting for the signed-in approver, oldest first, one page at a time."""

from __future__ import annotations

import reflex as rx

from customer_center.components.approvals import approvals_count_badge
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.approvals import ApprovalsInboxState

DECIDE = Permission.APPROVALS_DECIDE.value


def _row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.link(
                    row["number"],
                    href=row["href"],
                    weight="medium",
                    class_name="cc-nowrap",
                ),
                rx.cond(
                    row["behalf"] != "",
                    rx.badge(row["behalf"], color_scheme="violet", variant="soft"),
                ),
                rx.cond(
                    row["escalated"] != "",
                    rx.badge(row["escalated"], color_scheme="red", variant="soft"),
                ),
                spacing="1",
                align="start",
            )
        ),
        rx.table.cell(row["requester"]),
        rx.table.cell(rx.text(row["total"], class_name="cc-nowrap"), text_align="right"),
        rx.table.cell(
            rx.text(row["age"], title=row["since"], class_name="cc-nowrap"),
        ),
        rx.table.cell(
            rx.text(row["reasons"], size="2", color_scheme="gray"), class_name="cc-hide-narrow"
        ),
        class_name="approval-row",
    )


def inbox_table() -> rx.Component:
    state = ApprovalsInboxState
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("approvals.column.order")),
                    rx.table.column_header_cell(tr("approvals.column.requester")),
                    rx.table.column_header_cell(tr("approvals.column.total"), text_align="right"),
                    rx.table.column_header_cell(tr("approvals.column.waiting")),
                    rx.table.column_header_cell(
                        tr("approvals.column.reasons"), class_name="cc-hide-narrow"
                    ),
                )
            ),
            rx.table.body(rx.foreach(state.rows, _row)),
            variant="surface",
            width="100%",
            id="approvals-table",
        ),
        class_name="cc-table-wrap",
        width="100%",
    )


def inbox_pager() -> rx.Component:
    state = ApprovalsInboxState
    return state_pager(
        state,
        page_text("approvals.page_of", state.page, state.page_count, state.total),
        id_prefix="approvals",
    )


@portal_page(
    routes.APPROVALS,
    ApprovalsInboxState.load,
    title_key="page.approvals",
    right=Permission.APPROVALS_DECIDE,
    nav=Nav("nav.approvals", "stamp", NavGroup.SHOP, 3, badge=approvals_count_badge),
)
def approvals_page() -> rx.Component:
    state = ApprovalsInboxState
    return app_page(
        rx.vstack(
            rx.text(tr("approvals.intro"), color_scheme="gray"),
            rx.cond(state.problem != "", notice(state.problem, color="red")),
            rx.cond(
                state.total > 0,
                rx.vstack(inbox_table(), inbox_pager(), spacing="3", width="100%"),
                once_loaded(
                    rx.callout(
                        tr("approvals.empty"), icon="circle_check", color_scheme="green", id="empty"
                    )
                ),
            ),
            spacing="4",
            width="100%",
        ),
        title_key="approvals.title",
        permission=DECIDE,
    )
