"""/seller/cases and /seller/cases/[case_id]: the queue of the agent's account teams, and one
case with assignment, status, internal notes and replies to the customer."""

from __future__ import annotations

import reflex as rx

from customer_center.components.case_parts import (
    attach_zone,
    card,
    cases_table,
    done,
    error_below,
    facts,
    labelled_select,
    queue_view_select,
    record_page,
    text_box,
    timeline,
)
from customer_center.components.pager import paged_rows
from customer_center.components.seller_page import SellerNav, seller_app_page, seller_page
from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.domain.cases import TIME_PERIODS
from customer_center.domain.staff import StaffPermission
from customer_center.state.seller_cases import VIEWS, SellerCasesState, SellerCaseState

VIEW = StaffPermission.VIEW


def _stat(label_key: str, median: rx.Var, mean: rx.Var, count: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(tr(label_key), size="1", color_scheme="gray", weight="medium"),
        rx.text(tr("cases.times.median"), " ", rx.text.strong(median), size="2"),
        rx.text(tr("cases.times.mean"), " ", rx.text.strong(mean), size="2"),
        rx.text(count, size="1", color_scheme="gray"),
        spacing="1",
        min_width="11rem",
    )


def _teams_table() -> rx.Component:
    """Per account team: cases, and median / mean of first answer and solution."""

    def head(key: str, narrow_hidden: bool = False) -> rx.Component:
        return rx.table.column_header_cell(
            tr(key), class_name="cc-hide-narrow" if narrow_hidden else ""
        )

    def row(t: Texts) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(t["company"]),
            rx.table.cell(t["cases"]),
            rx.table.cell(t["first_median"], class_name="cc-nowrap"),
            rx.table.cell(t["first_mean"], class_name="cc-hide-narrow cc-nowrap"),
            rx.table.cell(t["solve_median"], class_name="cc-nowrap"),
            rx.table.cell(t["solve_mean"], class_name="cc-hide-narrow cc-nowrap"),
        )

    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    head("cases.times.team"),
                    head("cases.times.opened"),
                    head("cases.times.first_median"),
                    head("cases.times.first_mean", True),
                    head("cases.times.solve_median"),
                    head("cases.times.solve_mean", True),
                )
            ),
            rx.table.body(rx.foreach(SellerCasesState.teams, row)),
            size="1",
            variant="surface",
            width="100%",
            id="team-times-table",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def _times_card() -> rx.Component:
    """The account teams' response times over the chosen period."""
    state = SellerCasesState
    times = state.times
    period = rx.vstack(
        rx.el.label(tr("cases.times.period"), html_for="times-period", class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id="times-period"),
            rx.select.content(
                *[rx.select.item(tr(f"cases.times.days_{d}"), value=str(d)) for d in TIME_PERIODS],
            ),
            value=state.period,
            on_change=state.set_period,
        ),
        spacing="1",
    )
    return rx.card(
        rx.vstack(
            rx.heading(tr("cases.times.title"), size="3", as_="h2"),
            rx.flex(
                period,
                rx.vstack(
                    rx.text(
                        tr("cases.times.opened"), size="1", color_scheme="gray", weight="medium"
                    ),
                    rx.text(times["cases"], size="2", weight="bold"),
                    spacing="1",
                    min_width="8rem",
                ),
                _stat(
                    "cases.first_answer",
                    times["first_median"],
                    times["first_mean"],
                    times["first_count"],
                ),
                _stat(
                    "cases.times.resolution",
                    times["solve_median"],
                    times["solve_mean"],
                    times["solve_count"],
                ),
                spacing="6",
                wrap="wrap",
                align="start",
            ),
            rx.cond(state.teams.length() > 1, _teams_table()),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="team-times",
    )


@seller_page(
    routes.SELLER_CASES,
    SellerCasesState.load,
    title_key="page.seller_cases",
    right=VIEW,
    nav=SellerNav("page.seller_cases", "life_buoy", 1),
)
def seller_cases_page() -> rx.Component:
    state = SellerCasesState
    return seller_app_page(
        rx.vstack(
            rx.cond(state.times.contains("cases"), _times_card()),
            queue_view_select(
                "cases",
                VIEWS,
                SellerCasesState.view,
                SellerCasesState.set_view,
                select_id="case-view",
            ),
            rx.text(state.summary, size="2", color_scheme="gray"),
            paged_rows(state, cases_table(state.rows, seller=True), "cases.queue_empty", "cases"),
            spacing="4",
            width="100%",
        ),
        title_key="page.seller_cases",
        right=VIEW,
    )


def _handling() -> rx.Component:
    """Assignment and status, side by side."""
    state = SellerCaseState
    assign = rx.form(
        rx.flex(
            rx.box(
                labelled_select(
                    "assignee",
                    "cases.field.assignee",
                    rx.foreach(state.agents, lambda a: rx.select.item(a["name"], value=a["id"])),
                    default_value=state.assignee_id,
                    # Radix reads default_value on mount only: a new key remounts the select
                    # when the loaded case's assignee arrives or changes.
                    key=f"assignee-{state.assignee_id}",
                    placeholder=tr("cases.nobody"),
                ),
                flex="1",
                min_width="12rem",
            ),
            rx.button(tr("cases.assign"), type="submit", variant="soft", id="assign"),
            spacing="2",
            align="end",
            width="100%",
        ),
        error_below(state.errors, "assignee"),
        on_submit=state.assign,
        width="100%",
    )
    status = rx.form(
        rx.flex(
            rx.box(
                labelled_select(
                    "status",
                    "cases.field.status",
                    rx.foreach(
                        state.statuses, lambda s: rx.select.item(s["label"], value=s["value"])
                    ),
                    default_value=state.status_choice,
                    key=f"status-{state.status_choice}",
                    placeholder=state.head["status_label"],
                ),
                flex="1",
                min_width="12rem",
            ),
            rx.button(tr("cases.set_status"), type="submit", variant="soft", id="set-status"),
            spacing="2",
            align="end",
            width="100%",
        ),
        error_below(state.errors, "status"),
        on_submit=state.set_status,
        width="100%",
    )
    return rx.grid(
        assign, status, columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"
    )


def _note_form() -> rx.Component:
    state = SellerCaseState
    return rx.form(
        rx.vstack(
            rx.text(tr("cases.internal_hint"), size="1", color_scheme="gray"),
            text_box("note", "cases.field.note", state.errors, rows="2"),
            rx.button(
                rx.icon("lock", size=16),
                tr("cases.add_note"),
                type="submit",
                variant="soft",
                color_scheme="amber",
                id="add-note",
            ),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=state.add_note,
        reset_on_submit=True,
        width="100%",
    )


def _reply_form() -> rx.Component:
    state = SellerCaseState
    return rx.form(
        rx.vstack(
            text_box("message", "cases.field.message", state.errors, rows="3"),
            rx.button(rx.icon("send", size=16), tr("cases.send"), type="submit", id="send-reply"),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=state.reply,
        reset_on_submit=True,
        width="100%",
    )


@seller_page(routes.SELLER_CASE, SellerCaseState.load, title_key="page.seller_case", right=VIEW)
def seller_case_page() -> rx.Component:
    state = SellerCaseState
    return seller_app_page(
        record_page(
            state,
            rx.link(tr("page.seller_cases"), href=routes.SELLER_CASES, size="2"),
            facts(state.head, seller=True),
            rx.cond(state.notice != "", done(state.notice)),
            card("cases.field.status", _handling(), id_="case-handling"),
            card(
                "cases.timeline",
                timeline(state.timeline, state.files),
                attach_zone(state, "seller-case-files"),
                rx.cond(state.head["open"] != "", _reply_form()),
                _note_form(),
                id_="case-conversation",
            ),
        ),
        title_key="page.seller_case",
        right=VIEW,
    )
