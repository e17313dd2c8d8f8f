"""/controlling: spend per month, user and role, approvals waiting, budget use per user."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar

from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Text, Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.services.controlling import RANGES
from customer_center.state.controlling import ControllingState

VIEW = Permission.REPORTS_VIEW.value
BAR = "var(--accent-9)"
# A chart's data: one dict per bar (label, amount, text).
Chart = ArrayVar[list[dict[str, Any]]]
RESERVED = "var(--amber-9)"


def figure(label_key: str, value: Text, element_id: str, hint: Text | None = None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(tr(label_key), size="2", color_scheme="gray"),
            rx.heading(value, size="6", id=element_id, class_name="cc-nowrap"),
            rx.cond(hint is not None, rx.text(hint if hint is not None else "", size="1")),
            spacing="1",
        ),
        width="100%",
    )


def section(title_key: str, *children: rx.Component, element_id: str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), size="4", as_="h2"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        id=element_id,
        min_width="0",
    )


def _tooltip() -> rx.Component:
    return rx.recharts.graphing_tooltip(cursor={"fill": "var(--gray-a3)"})


def months_chart(data: Chart | None = None, name_key: str = "controlling.spent") -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key="label", tick_line=False, font_size=12),
        rx.recharts.y_axis(width=60, font_size=12),
        _tooltip(),
        rx.recharts.bar(
            rx.recharts.label_list(data_key="short", position="top", font_size=11),
            data_key="amount",
            name=tr(name_key),
            fill=BAR,
            radius=4,
        ),
        data=ControllingState.months if data is None else data,
        margin={"top": 20, "right": 8, "left": 0, "bottom": 0},
        height=260,
        width="100%",
    )


def ranking_chart(data: Chart, name_key: str) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.x_axis(type_="number", hide=True),
        rx.recharts.y_axis(
            data_key="label", type_="category", width=130, tick_line=False, font_size=12
        ),
        _tooltip(),
        rx.recharts.bar(
            rx.recharts.label_list(
                data_key="text", position="insideRight", fill="white", font_size=11
            ),
            data_key="amount",
            name=tr(name_key),
            fill=BAR,
            radius=4,
        ),
        data=data,
        layout="vertical",
        height=rx.cond(data.length() > 0, data.length() * 34 + 20, 60),
        width="100%",
    )


def ranking(title_key: str, data: Chart, element_id: str) -> rx.Component:
    return section(
        title_key,
        rx.cond(
            data.length() > 0,
            ranking_chart(data, "controlling.spent"),
            rx.text(tr("controlling.nothing_spent"), size="2", color_scheme="gray"),
        ),
        element_id=element_id,
    )


def range_select() -> rx.Component:
    return rx.hstack(
        rx.el.label(tr("controlling.range"), html_for="controlling-range", class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id="controlling-range"),
            rx.select.content(
                *[rx.select.item(tr(f"controlling.range.{code}"), value=code) for code in RANGES]
            ),
            value=ControllingState.range,
            on_change=ControllingState.set_range,
        ),
        align="center",
        spacing="2",
    )


def approvals_section() -> rx.Component:
    state = ControllingState
    return section(
        "controlling.approvals",
        rx.text(
            rx.cond(
                state.waiting != "0",
                tr("controlling.approvals_waiting").replace("{count}", state.waiting),
                tr("controlling.no_approvals_waiting"),
            ),
            size="2",
            color_scheme="gray",
            id="controlling-waiting-text",
        ),
        rx.cond(
            state.waiting != "0",
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                rx.recharts.x_axis(data_key="label", tick_line=False, font_size=12),
                rx.recharts.y_axis(allow_decimals=False, width=40, font_size=12),
                _tooltip(),
                rx.recharts.bar(
                    data_key="count", name=tr("controlling.steps"), fill=RESERVED, radius=4
                ),
                data=state.ages,
                height=200,
                width="100%",
            ),
        ),
        rx.cond(
            state.oldest.length() > 0,
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(tr("controlling.column.order")),
                            rx.table.column_header_cell(
                                tr("controlling.column.requester"), class_name="cc-hide-narrow"
                            ),
                            rx.table.column_header_cell(tr("controlling.column.approver")),
                            rx.table.column_header_cell(tr("controlling.column.since")),
                            rx.table.column_header_cell(
                                tr("controlling.column.total"),
                                text_align="right",
                                class_name="cc-hide-narrow",
                            ),
                        )
                    ),
                    rx.table.body(
                        rx.foreach(
                            state.oldest,
                            lambda w: rx.table.row(
                                rx.table.row_header_cell(
                                    rx.link(w["number"], href=w["href"], class_name="cc-nowrap")
                                ),
                                rx.table.cell(w["requester"], class_name="cc-hide-narrow"),
                                rx.table.cell(w["approver"]),
                                rx.table.cell(w["since"]),
                                rx.table.cell(
                                    w["total"],
                                    text_align="right",
                                    class_name="cc-hide-narrow cc-nowrap",
                                ),
                                class_name="cc-waiting-row",
                            ),
                        )
                    ),
                    variant="surface",
                    size="1",
                    width="100%",
                ),
                class_name="cc-table-wrap",
            ),
        ),
        element_id="controlling-approvals",
    )


def budget_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["name"], weight="medium"),
            rx.text(row["period"], size="1", color_scheme="gray", class_name="cc-show-narrow"),
        ),
        rx.table.cell(row["period"], class_name="cc-hide-narrow"),
        rx.table.cell(row["budget"], text_align="right", class_name="cc-hide-narrow cc-nowrap"),
        rx.table.cell(row["spent"], text_align="right", class_name="cc-nowrap"),
        rx.table.cell(row["reserved"], text_align="right", class_name="cc-hide-narrow cc-nowrap"),
        rx.table.cell(
            rx.text(
                row["remaining"],
                color_scheme=rx.cond(row["over"] != "", "red", "gray"),
                high_contrast=row["over"] == "",
                weight=rx.cond(row["over"] != "", "bold", "regular"),
            ),
            text_align="right",
            class_name="cc-nowrap",
        ),
        class_name="cc-budget-use-row",
    )


def budgets_section() -> rx.Component:
    state = ControllingState

    def head(key: str, narrow_hidden: bool = False, right: bool = True) -> rx.Component:
        return rx.table.column_header_cell(
            tr(key),
            text_align="right" if right else "left",
            class_name="cc-hide-narrow" if narrow_hidden else "",
        )

    return section(
        "controlling.budgets",
        rx.text(tr("controlling.budgets_intro"), size="2", color_scheme="gray"),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        head("controlling.column.user", right=False),
                        head("controlling.column.period", True, right=False),
                        head("controlling.column.budget", True),
                        head("controlling.column.spent"),
                        head("controlling.column.reserved", True),
                        head("controlling.column.remaining"),
                    )
                ),
                rx.table.body(rx.foreach(state.budgets, budget_row)),
                variant="surface",
                size="1",
                width="100%",
                id="controlling-budgets",
            ),
            class_name="cc-table-wrap",
        ),
        rx.cond(
            state.budget_page_count > 1,
            pager(
                page_text("controlling.page", state.budget_page, state.budget_page_count),
                on_previous=state.previous_budget_page,
                on_next=state.next_budget_page,
                has_previous=state.budget_page > 0,
                has_next=state.budget_page + 1 < state.budget_page_count,
                id_prefix="budget-use",
            ),
        ),
        element_id="controlling-budget-use",
    )


def dashboard() -> rx.Component:
    state = ControllingState
    return rx.vstack(
        rx.cond(state.problem != "", notice(state.problem, color="red", icon="triangle_alert")),
        rx.flex(
            rx.text(tr("controlling.intro"), size="2", color_scheme="gray"),
            rx.spacer(),
            range_select(),
            spacing="3",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        rx.grid(
            figure(
                "controlling.spent_in_range", state.spent, "controlling-spent", state.range_text
            ),
            figure("controlling.reserved", state.reserved, "controlling-reserved"),
            figure("controlling.orders_waiting", state.waiting, "controlling-waiting"),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        section(
            "controlling.per_month",
            rx.text(
                tr("controlling.amounts_in").replace("{currency}", state.currency),
                size="1",
                color_scheme="gray",
            ),
            months_chart(),
            element_id="controlling-months",
        ),
        section(
            "controlling.returned",
            months_chart(ControllingState.returned, "returns.value"),
            element_id="controlling-returned",
        ),
        rx.grid(
            ranking("controlling.per_user", state.users, "controlling-users"),
            ranking("controlling.per_role", state.roles, "controlling-roles"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        approvals_section(),
        budgets_section(),
        spacing="4",
        width="100%",
    )


@portal_page(
    routes.CONTROLLING,
    ControllingState.load,
    title_key="page.controlling",
    right=Permission.REPORTS_VIEW,
    nav=Nav("nav.controlling", "chart_column", NavGroup.REPORTS, 1),
)
def controlling_page() -> rx.Component:
    return app_page(dashboard(), title_key="controlling.title", permission=VIEW)
