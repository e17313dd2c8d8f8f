"""The dashboard's cards: what waits for the reader (everyone), the company's setup and
waiting work (the main contact), spend and over-budget reasons (controllers)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.dashboard import DashboardState as S
from customer_center.state.session import SessionState


def card(title_key: str, *children: rx.Component, element_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), size="4", as_="h2"), *children, spacing="3", width="100%"
        ),
        size="3",
        width="100%",
        id=element_id,
    )


def muted(text: rx.Var | str) -> rx.Component:
    return rx.text(text, size="2", color_scheme="gray")


def _order_item(row: Texts) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.link(row["number"], href=row["href"], weight="medium"),
            rx.badge(row["status"], color_scheme=row["color"]),
            rx.spacer(),
            rx.text(row["total"], size="2", class_name="cc-nowrap"),
            align="center",
            spacing="2",
            wrap="wrap",
            width="100%",
        )
    )


def my_orders_card() -> rx.Component:
    return card(
        "home.orders.title",
        rx.cond(
            S.open_orders.length() > 0,
            rx.el.ul(rx.foreach(S.open_orders, _order_item), class_name="cc-dash-list"),
            muted(tr("home.orders.none")),
        ),
        rx.hstack(
            rx.cond(
                S.open_count > 0,
                muted(tr("home.orders.count").replace("{count}", S.open_count.to_string())),
            ),
            rx.spacer(),
            rx.link(tr("home.orders.all"), href=routes.ORDERS, size="2"),
            width="100%",
            align="center",
        ),
        element_id="my-open-orders",
    )


def budget_card() -> rx.Component:
    budget = S.budget
    return card(
        "home.budget.title",
        rx.cond(
            budget["left"] != "",
            rx.vstack(
                rx.text(
                    budget["left"],
                    class_name="cc-dash-figure",
                    color_scheme=rx.cond(budget["over"] != "", "red", "gray"),
                    high_contrast=True,
                    id="budget-left",
                ),
                muted(budget["period"]),
                rx.progress(
                    value=budget["percent"].to(int),
                    max=100,
                    aria_label=tr("home.budget.title"),
                    width="100%",
                ),
                muted(budget["note"]),
                spacing="2",
                width="100%",
            ),
            muted(budget["note"]),
        ),
        rx.link(tr("home.budget.details"), href=routes.PROFILE, size="2"),
        element_id="my-budget",
    )


def waiting_card() -> rx.Component:
    waiting = S.waiting
    return card(
        "home.waiting.title",
        rx.cond(
            waiting["count"] != "0",
            rx.vstack(
                rx.text(waiting["count"], class_name="cc-dash-figure", id="waiting-count"),
                rx.cond(
                    waiting["href"] != "",
                    rx.link(waiting["oldest"], href=waiting["href"], size="2", id="oldest-waiting"),
                ),
                rx.link(tr("home.waiting.open"), href=routes.APPROVALS, size="2"),
                spacing="2",
            ),
            muted(tr("home.waiting.none")),
        ),
        element_id="waiting-for-me",
    )


def unread_card() -> rx.Component:
    unread = S.unread
    return card(
        "home.unread.title",
        rx.text(unread["text"], size="2", id="unread-text"),
        rx.cond(
            unread["href"] != "",
            rx.link(tr("home.unread.open"), href=unread["href"], size="2", id="unread-link"),
        ),
        element_id="unread-messages",
    )


def start_card() -> rx.Component:
    return rx.cond(
        S.start_show,
        card(
            "home.start.title",
            rx.text(tr("home.start.may"), size="2"),
            rx.el.ul(
                rx.foreach(S.start_may, lambda right: rx.el.li(rx.text(right, size="2"))),
                class_name="cc-start-list",
            ),
            rx.text(S.start_ask, size="2"),
            rx.link(S.start_ask_email, href="mailto:" + S.start_ask_email, size="2"),
            element_id="getting-started",
        ),
    )


def _setup_item(step: Texts) -> rx.Component:
    done = step["done"] != ""
    return rx.el.li(
        rx.hstack(
            rx.icon(
                rx.cond(done, "circle_check", "circle"),
                size=18,
                color=rx.cond(done, rx.color("green", 11), rx.color("gray", 11)),
                aria_hidden="true",
                flex_shrink="0",
            ),
            rx.cond(
                done,
                rx.text(step["label"], size="2"),
                rx.link(step["label"], href=step["href"], size="2"),
            ),
            rx.spacer(),
            rx.badge(step["state"], color_scheme=rx.cond(done, "green", "amber")),
            align="center",
            spacing="2",
            width="100%",
        ),
        custom_attrs={"data-step": step["code"]},
    )


def setup_card() -> rx.Component:
    return rx.cond(
        S.is_main & (S.setup_open > 0),
        card(
            "home.setup.title",
            muted(tr("home.setup.intro")),
            rx.el.ul(rx.foreach(S.setup, _setup_item), class_name="cc-dash-list"),
            element_id="setup-checklist",
        ),
    )


def _invited_item(row: Texts) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.link(row["name"], href=row["href"], size="2", weight="medium"),
            muted(tr("home.invited.since").replace("{since}", row["since"])),
            spacing="0",
        )
    )


def invited_card() -> rx.Component:
    return card(
        "home.invited.title",
        rx.cond(
            S.invited_count > 0,
            rx.vstack(
                muted(tr("home.invited.count").replace("{count}", S.invited_count.to_string())),
                rx.el.ul(rx.foreach(S.invited, _invited_item), class_name="cc-dash-list"),
                spacing="2",
                width="100%",
            ),
            muted(tr("home.invited.none")),
        ),
        element_id="invited-users",
    )


def _company_waiting_item(row: Texts) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.hstack(
                rx.link(row["number"], href=row["href"], weight="medium", size="2"),
                rx.spacer(),
                rx.text(row["total"], size="2"),
                width="100%",
            ),
            muted(row["text"]),
            spacing="0",
            width="100%",
        )
    )


def company_waiting_card() -> rx.Component:
    return card(
        "home.company.waiting_title",
        rx.cond(
            S.company_waiting.length() > 0,
            rx.el.ul(
                rx.foreach(S.company_waiting, _company_waiting_item), class_name="cc-dash-list"
            ),
            muted(tr("home.company.waiting_none")),
        ),
        element_id="company-waiting",
    )


def _bar(label_key: str, amount: rx.Var, percent: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(tr(label_key), size="2"),
            rx.spacer(),
            rx.text(amount, size="2", weight="medium"),
            width="100%",
        ),
        rx.box(rx.box(class_name="cc-bar", width=percent.to(str) + "%"), class_name="cc-bar-track"),
        spacing="1",
        width="100%",
        aria_hidden="true",
    )


def spend_card() -> rx.Component:
    """Two bars for the eye, and the same figures as a table for screen readers."""
    spend = S.spend
    return card(
        "home.spend.title",
        _bar("home.spend.this", spend["this"], spend["this_percent"]),
        _bar("home.spend.last", spend["last"], spend["last_percent"]),
        rx.text(spend["trend"], size="2", weight="medium", id="spend-trend"),
        rx.el.table(
            rx.el.caption(tr("home.spend.table")),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(tr("home.spend.month"), scope="col"),
                    rx.el.th(tr("home.spend.amount"), scope="col"),
                )
            ),
            rx.el.tbody(
                rx.el.tr(rx.el.th(tr("home.spend.this"), scope="row"), rx.el.td(spend["this"])),
                rx.el.tr(rx.el.th(tr("home.spend.last"), scope="row"), rx.el.td(spend["last"])),
            ),
            class_name="cc-sr-only",
            id="spend-table",
        ),
        element_id="spend-month",
    )


def reasons_card() -> rx.Component:
    return card(
        "home.reasons.title",
        rx.cond(
            S.reasons.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("home.reasons.reason")),
                        rx.table.column_header_cell(tr("home.reasons.orders"), justify="end"),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.reasons,
                        lambda r: rx.table.row(
                            rx.table.cell(r["label"]),
                            rx.table.cell(r["orders"], justify="end"),
                        ),
                    )
                ),
                size="1",
                width="100%",
            ),
            muted(tr("home.reasons.none")),
        ),
        element_id="over-budget-reasons",
    )


def main_contact_cards() -> rx.Component:
    return rx.cond(
        S.is_main,
        rx.vstack(
            setup_card(),
            rx.box(invited_card(), company_waiting_card(), class_name="cc-dash-grid"),
            spacing="4",
            width="100%",
        ),
    )


def controller_cards() -> rx.Component:
    return rx.cond(
        S.reports,
        rx.box(spend_card(), reasons_card(), class_name="cc-dash-grid"),
    )


def everyone_cards() -> rx.Component:
    orders = SessionState.permissions.contains(Permission.ORDERS_CREATE.value)
    return rx.box(
        rx.cond(orders, my_orders_card()),
        rx.cond(orders, budget_card()),
        rx.cond(
            SessionState.permissions.contains(Permission.APPROVALS_DECIDE.value), waiting_card()
        ),
        unread_card(),
        class_name="cc-dash-grid",
    )
