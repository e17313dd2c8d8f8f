"""/cases, /cases/new, /cases/[case_id]: the customer's support cases, opening one (about an
order from "Ask about this order"), and one case with its conversation and followers."""

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
    record_page,
    text_box,
    timeline,
)
from customer_center.components.forms import field
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import paged_rows
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.cases import CaseCategory
from customer_center.state.cases import CaseNewState, CasesState, CaseViewState


@portal_page(
    routes.CASES,
    CasesState.load,
    title_key="page.cases",
    nav=Nav("nav.cases", "life_buoy", NavGroup.SHOP, 6),
)
def cases_page() -> rx.Component:
    state = CasesState
    return app_page(
        rx.vstack(
            rx.hstack(
                rx.text(state.summary, size="2", color_scheme="gray"),
                rx.spacer(),
                rx.link(
                    rx.button(rx.icon("plus", size=16), tr("cases.new"), high_contrast=True),
                    href=routes.CASE_NEW,
                    id="new-case",
                ),
                width="100%",
                align="center",
            ),
            paged_rows(state, cases_table(state.rows), "cases.empty", "cases"),
            spacing="4",
            width="100%",
        ),
        title_key="page.cases",
    )


@portal_page(routes.CASE_NEW, CaseNewState.load, title_key="page.case_new")
def case_new_page() -> rx.Component:
    state = CaseNewState
    return app_page(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.cond(
                        state.order_label != "",
                        notice(state.order_label, icon="package", color="blue"),
                    ),
                    field("subject", "cases.field.subject", state.errors, max_length=200),
                    labelled_select(
                        "category",
                        "cases.field.category",
                        [rx.select.item(tr(f"cases.category.{c}"), value=c) for c in CaseCategory],
                        default_value=rx.cond(state.order_label != "", "order", ""),
                    ),
                    error_below(state.errors, "category"),
                    text_box("description", "cases.field.description", state.errors, rows="6"),
                    attach_zone(state, "case-new-files"),
                    error_below(state.errors, "order"),
                    rx.button(
                        tr("cases.submit"),
                        type="submit",
                        size="3",
                        id="open-case",
                        disabled=~state.is_hydrated,
                    ),
                    spacing="4",
                    width="100%",
                    align="start",
                ),
                on_submit=state.submit,
                width="100%",
            ),
            size="3",
            max_width="44rem",
            width="100%",
        ),
        title_key="page.case_new",
    )


def _reply_form() -> rx.Component:
    state = CaseViewState
    return rx.form(
        rx.vstack(
            text_box("message", "cases.field.message", state.errors, rows="3"),
            attach_zone(state, "case-reply-files"),
            rx.button(
                rx.icon("send", size=16),
                tr("cases.send"),
                type="submit",
                id="send-reply",
                disabled=~state.is_hydrated,
            ),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=state.reply,
        reset_on_submit=True,
        width="100%",
    )


def _colleague(c: Texts) -> rx.Component:
    state = CaseViewState
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(c["name"], size="2", weight="medium"),
                rx.text(c["email"], size="1", color_scheme="gray", class_name="cc-colleague-email"),
                spacing="0",
                min_width="0",
            ),
            rx.button(
                rx.icon("user_plus", size=14),
                tr("cases.add_follower"),
                type="button",
                variant="soft",
                size="1",
                on_click=state.follow(c["id"]),
                aria_label=tr("cases.add_follower") + ": " + c["name"],
            ),
            justify="between",
            align="center",
            spacing="3",
            width="100%",
        ),
        class_name="cc-colleague",
    )


def _follower_form() -> rx.Component:
    """Type part of a colleague's name or e-mail; the matches come a page at a time."""
    state = CaseViewState
    return rx.vstack(
        rx.el.label(tr("cases.field.follower"), html_for="follower-search", class_name="cc-label"),
        rx.input(
            id="follower-search",
            type="search",
            value=state.follower_query,
            on_change=state.search_colleagues,
            debounce_timeout=300,
            placeholder=tr("cases.follower_search_hint"),
            autocomplete="off",
            aria_describedby="follower-error",
            width="100%",
        ),
        error_below(state.errors, "follower"),
        rx.cond(
            state.colleagues.length() > 0,
            rx.el.ul(rx.foreach(state.colleagues, _colleague), class_name="cc-colleagues"),
            rx.cond(
                state.follower_query != "",
                rx.text(tr("cases.no_colleague_found"), size="2", color_scheme="gray"),
            ),
        ),
        rx.cond(
            state.colleagues_more | (state.colleague_page > 0),
            rx.hstack(
                rx.button(
                    tr("common.previous"),
                    type="button",
                    variant="soft",
                    size="1",
                    disabled=state.colleague_page == 0,
                    on_click=state.previous_colleagues,
                ),
                rx.button(
                    tr("common.next"),
                    type="button",
                    variant="soft",
                    size="1",
                    disabled=~state.colleagues_more,
                    on_click=state.next_colleagues,
                ),
                spacing="2",
            ),
        ),
        spacing="2",
        width="100%",
    )


@portal_page(routes.CASE, CaseViewState.load, title_key="page.case")
def case_page() -> rx.Component:
    state = CaseViewState
    return app_page(
        record_page(
            state,
            rx.link(tr("page.cases"), href=routes.CASES, size="2"),
            facts(state.head),
            rx.cond(state.notice != "", done(state.notice)),
            card(
                "cases.timeline",
                timeline(state.timeline, state.files),
                rx.cond(
                    state.head["open"] != "",
                    _reply_form(),
                    rx.text(tr("cases.closed_hint"), size="2", color_scheme="gray"),
                ),
                id_="case-conversation",
            ),
            card("cases.followers", _follower_form(), id_="case-followers"),
            max_width="52rem",
        ),
        title_key="page.case",
    )
