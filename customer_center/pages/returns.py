"""/returns, /returns/new, /returns/[return_id]: the customer's returns and credit requests,
the form of one about a delivered order ("Return items", "Request a credit" on the order's
page), and one request with its lines, timeline and withdrawal."""

from __future__ import annotations

import reflex as rx

from customer_center.components.case_parts import (
    card,
    done,
    error_below,
    labelled_select,
    record_page,
    text_box,
    timeline,
)
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import paged_rows
from customer_center.components.portal_page import portal_page
from customer_center.components.return_parts import (
    lines_table,
    return_facts,
    returns_table,
)
from customer_center.components.ui import Texts, notice, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.returns import ReturnNewState, ReturnsState, ReturnViewState


@portal_page(
    routes.RETURNS,
    ReturnsState.load,
    title_key="page.returns",
    right=(Permission.RETURNS_REQUEST, Permission.ORDERS_VIEW_ALL),
    nav=Nav("nav.returns", "undo_2", NavGroup.SHOP, 7),
)
def returns_page() -> rx.Component:
    state = ReturnsState
    return app_page(
        rx.vstack(
            rx.text(state.summary, size="2", color_scheme="gray"),
            paged_rows(state, returns_table(state.rows), "returns.empty", "returns"),
            spacing="4",
            width="100%",
        ),
        title_key="page.returns",
    )


def _select(name: str, label_key: str, options: rx.Var) -> rx.Component:
    return rx.box(
        labelled_select(
            name,
            label_key,
            rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"])),
            placeholder=tr("returns.pick"),
        ),
        error_below(ReturnNewState.errors, name),
        flex="1",
        min_width="12rem",
    )


def _number_input(name: rx.Var, label: rx.Var, **props: object) -> rx.Component:
    errors = ReturnNewState.errors
    return rx.vstack(
        rx.input(
            name=name,
            id=name,
            aria_label=label,
            input_mode="numeric",
            width="5rem",
            aria_invalid=rx.cond(errors.contains(name), "true", "false"),
            **props,
        ),
        rx.cond(
            errors.contains(name),
            rx.text(errors[name], size="1", color_scheme="red", role="alert"),
        ),
        spacing="1",
    )


def _form_line(line: Texts) -> rx.Component:
    state = ReturnNewState
    credit = state.kind == "credit"
    return rx.table.row(
        rx.table.cell(line["position"], class_name="cc-hide-narrow"),
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(line["name"], size="2", weight="medium"),
                rx.text(line["sku"], " · ", line["unit"], size="1", color_scheme="gray"),
                rx.text(
                    line["returnable"], size="1", color_scheme="gray", class_name="cc-show-narrow"
                ),
                spacing="0",
            )
        ),
        rx.table.cell(line["delivered"], class_name="cc-hide-narrow"),
        rx.table.cell(line["available"], class_name="cc-hide-narrow"),
        rx.table.cell(
            rx.flex(
                _number_input(
                    "qty_" + line["id"],
                    line["name"],
                    placeholder="0",
                    disabled=line["available"] == "0",
                ),
                rx.cond(
                    credit,
                    _number_input("amount_" + line["id"], line["name"], placeholder="0.00"),
                ),
                spacing="2",
                wrap="wrap",
            )
        ),
    )


def _form_lines() -> rx.Component:
    state = ReturnNewState
    heads = [
        ("returns.col.position", True),
        ("returns.col.name", False),
        ("returns.col.delivered", True),
        ("returns.col.available", True),
    ]
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(
                            tr(key), class_name="cc-hide-narrow" if hidden else ""
                        )
                        for key, hidden in heads
                    ],
                    rx.table.column_header_cell(
                        rx.cond(
                            state.kind == "credit",
                            rx.text(
                                tr("returns.field.credit_quantity"),
                                " / ",
                                tr("returns.field.amount"),
                            ),
                            tr("returns.field.quantity"),
                        )
                    ),
                )
            ),
            rx.table.body(rx.foreach(state.lines, _form_line)),
            variant="surface",
            width="100%",
            id="return-lines",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def _return_form() -> rx.Component:
    state = ReturnNewState
    goods = state.kind == "goods"
    return rx.form(
        rx.vstack(
            rx.heading(
                rx.cond(goods, tr("returns.return_items"), tr("returns.request_credit")),
                size="4",
                as_="h2",
            ),
            rx.link(state.head["order_label"], href=state.head["order_href"], size="2"),
            rx.text(state.head["until"], size="2", color_scheme="gray"),
            rx.text(tr("returns.lines_hint"), size="2"),
            rx.cond(~goods, rx.text(tr("returns.amount_hint"), size="2", color_scheme="gray")),
            _form_lines(),
            error_below(state.errors, "lines"),
            rx.flex(
                _select("reason", "returns.field.reason", state.reasons),
                rx.cond(goods, _select("condition", "returns.field.condition", state.conditions)),
                rx.cond(goods, _select("outcome", "returns.field.outcome", state.outcomes)),
                spacing="4",
                wrap="wrap",
                width="100%",
            ),
            text_box("comment", "returns.field.comment", state.errors, rows="3"),
            error_below(state.errors, "form"),
            rx.button(
                rx.cond(goods, tr("returns.submit_return"), tr("returns.submit_credit")),
                type="submit",
                size="3",
                id="submit-return",
                disabled=~state.is_hydrated,
            ),
            spacing="4",
            width="100%",
            align="start",
        ),
        on_submit=state.submit,
        width="100%",
    )


@portal_page(
    routes.RETURN_NEW,
    ReturnNewState.load,
    title_key="page.return_new",
    right=Permission.RETURNS_REQUEST,
)
def return_new_page() -> rx.Component:
    state = ReturnNewState
    return app_page(
        rx.cond(
            state.problem != "",
            notice(state.problem, color="amber", icon="lock"),
            rx.cond(
                state.head["open"] != "",
                rx.card(_return_form(), size="3", width="100%", max_width="60rem"),
                once_loaded(
                    rx.cond(
                        state.head.contains("open"),
                        notice(tr("returns.window_closed_hint"), color="amber", icon="clock"),
                    )
                ),
            ),
        ),
        title_key="page.return_new",
    )


@portal_page(routes.RETURN, ReturnViewState.load, title_key="page.return")
def return_page() -> rx.Component:
    state = ReturnViewState
    return app_page(
        record_page(
            state,
            rx.hstack(
                rx.link(tr("page.returns"), href=routes.RETURNS, size="2"),
                rx.link(
                    rx.hstack(
                        rx.icon("life_buoy", size=16),
                        tr("cases.ask_about_return"),
                        spacing="1",
                    ),
                    href=state.head["ask_href"],
                    id="ask-about-return",
                    size="2",
                ),
                spacing="4",
                wrap="wrap",
            ),
            return_facts(state.head),
            rx.cond(state.notice != "", done(state.notice)),
            card("returns.lines", lines_table(state.lines), id_="return-lines-card"),
            card("returns.timeline", timeline(state.timeline), id_="return-timeline"),
            rx.cond(
                state.head["may_withdraw"] != "",
                rx.button(
                    rx.icon("undo_2", size=16),
                    tr("returns.withdraw"),
                    variant="soft",
                    color_scheme="red",
                    on_click=state.withdraw,
                    id="withdraw-return",
                ),
            ),
        ),
        title_key="page.return",
    )
