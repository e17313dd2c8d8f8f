"""/seller/returns and /seller/returns/[return_id]: the returns of the agent's account teams,
and one return with its decisions (approve, reject, receipt, credit note, replacement, close)
and the company's return window."""

from __future__ import annotations

from typing import Any

import reflex as rx

from customer_center.components.case_parts import (
    card,
    done,
    error_below,
    queue_view_select,
    record_page,
    text_box,
    timeline,
)
from customer_center.components.pager import paged_rows
from customer_center.components.return_parts import lines_table, return_facts, returns_table
from customer_center.components.seller_page import SellerNav, seller_app_page, seller_page
from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.state.seller_returns import VIEWS, SellerReturnsState, SellerReturnState

VIEW = StaffPermission.VIEW


@seller_page(
    routes.SELLER_RETURNS,
    SellerReturnsState.load,
    title_key="page.seller_returns",
    right=VIEW,
    nav=SellerNav("page.seller_returns", "undo_2", 1),
)
def seller_returns_page() -> rx.Component:
    state = SellerReturnsState
    return seller_app_page(
        rx.vstack(
            queue_view_select(
                "returns",
                VIEWS,
                SellerReturnsState.view,
                SellerReturnsState.set_view,
                select_id="return-view",
            ),
            rx.text(state.summary, size="2", color_scheme="gray"),
            paged_rows(
                state, returns_table(state.rows, seller=True), "returns.queue_empty", "returns"
            ),
            spacing="4",
            width="100%",
        ),
        title_key="page.seller_returns",
        right=VIEW,
    )


def _action(label_key: str, handler: Any, id_: str, **props: Any) -> rx.Component:
    return rx.button(tr(label_key), on_click=handler, id=id_, **props)


def _accepted_input(line: Texts) -> rx.Component:
    state = SellerReturnState
    name = "accepted_" + line["id"]
    return rx.vstack(
        rx.input(
            name=name,
            id=name,
            default_value=line["quantity"],
            aria_label=line["name"],
            input_mode="numeric",
            width="5rem",
        ),
        rx.cond(
            state.errors.contains(name),
            rx.text(state.errors[name], size="1", color_scheme="red", role="alert"),
        ),
        spacing="1",
    )


def _decisions() -> rx.Component:
    state = SellerReturnState
    head = state.head
    reject = rx.form(
        rx.vstack(
            text_box("rejection", "returns.field.rejection", state.errors, rows="2"),
            rx.button(
                tr("returns.reject"), type="submit", color_scheme="red", variant="soft", id="reject"
            ),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=state.reject,
        width="100%",
    )
    return rx.vstack(
        rx.cond(
            head["may_approve"] != "",
            _action("returns.approve", state.approve, "approve", high_contrast=True),
        ),
        rx.cond(head["may_reject"] != "", reject),
        rx.cond(
            head["may_credit"] != "",
            _action("returns.credit", state.request_credit, "request-credit", high_contrast=True),
        ),
        rx.cond(
            head["credit_given_up"] != "",
            rx.vstack(
                rx.callout(
                    tr("returns.credit_given_up"),
                    icon="triangle_alert",
                    color_scheme="amber",
                    width="100%",
                    id="credit-given-up",
                ),
                _action(
                    "returns.credit_again",
                    state.request_credit_again,
                    "request-credit-again",
                    high_contrast=True,
                ),
                spacing="2",
                width="100%",
                align="start",
            ),
        ),
        rx.cond(head["may_replace"] != "", _action("returns.replace", state.replace, "replaced")),
        rx.cond(
            head["may_close"] != "",
            _action("returns.close", state.close, "close-return", variant="soft"),
        ),
        error_below(state.errors, "form"),
        spacing="3",
        width="100%",
        align="start",
    )


def _receipt() -> rx.Component:
    state = SellerReturnState
    return rx.form(
        rx.vstack(
            lines_table(state.lines, accepted_cell=_accepted_input),
            rx.button(tr("returns.receive"), type="submit", id="record-receipt"),
            spacing="3",
            width="100%",
            align="start",
        ),
        on_submit=state.receive,
        width="100%",
    )


def _window() -> rx.Component:
    state = SellerReturnState
    return rx.form(
        rx.flex(
            rx.vstack(
                rx.el.label(tr("returns.field.window"), html_for="window", class_name="cc-label"),
                rx.input(
                    name="window", id="window", default_value=state.window, input_mode="numeric"
                ),
                spacing="1",
            ),
            rx.button(tr("returns.save_window"), type="submit", variant="soft", id="set-window"),
            spacing="2",
            align="end",
            wrap="wrap",
        ),
        error_below(state.errors, "window"),
        on_submit=state.set_window,
        width="100%",
    )


@seller_page(
    routes.SELLER_RETURN, SellerReturnState.load, title_key="page.seller_return", right=VIEW
)
def seller_return_page() -> rx.Component:
    state = SellerReturnState
    return seller_app_page(
        record_page(
            state,
            rx.link(tr("page.seller_returns"), href=routes.SELLER_RETURNS, size="2"),
            return_facts(state.head, seller=True),
            rx.cond(state.notice != "", done(state.notice)),
            card("returns.col.state", _decisions(), id_="return-decisions"),
            card(
                "returns.lines",
                rx.cond(
                    state.head["may_receive"] != "",
                    _receipt(),
                    lines_table(state.lines),
                ),
                id_="return-lines-card",
            ),
            card("returns.timeline", timeline(state.timeline), id_="return-timeline"),
            rx.cond(
                state.may_set_window,
                card("returns.window", _window(), id_="return-window"),
            ),
        ),
        title_key="page.seller_return",
        right=VIEW,
    )
