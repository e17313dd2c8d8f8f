"""``/seller/companies/[company_id]/act``: act as one of a company's users, as its policy
allows (always, or with the user's consent each time)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.pager import page_text, state_pager
from customer_center.components.seller_company_nav import company_nav
from customer_center.components.seller_page import seller_app_page, seller_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.staff import ActingPolicy, StaffPermission
from customer_center.state.acting import ActingConsoleState
from customer_center.state.base import PortalState

S = ActingConsoleState


def _policy() -> rx.Component:
    return rx.hstack(
        rx.text(tr("acting.console.policy"), size="2"),
        rx.badge(
            PortalState.t["acting.policy." + S.policy],
            color_scheme=rx.match(
                S.policy,
                (ActingPolicy.ALWAYS.value, "green"),
                (ActingPolicy.CONSENT.value, "amber"),
                "gray",
            ),
            size="2",
            high_contrast=True,
            id="acting-policy",
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def _action(user: Texts) -> rx.Component:
    uid = user["id"].to(str)
    return rx.cond(
        user["may_start"] != "",
        rx.button(
            rx.icon("user_round_cog", size=16),
            tr("acting.console.act_as"),
            on_click=S.act_as(user["id"]),
            high_contrast=True,
            class_name="cc-nowrap",
            id="act-as-" + uid,
            aria_label=tr("acting.console.act_as") + " " + user["name"].to(str),
        ),
        rx.cond(
            S.policy == ActingPolicy.CONSENT.value,
            rx.cond(
                user["consent"] == "requested",
                rx.text(
                    tr("acting.console.waiting"),
                    size="2",
                    color_scheme="gray",
                    id="consent-waiting-" + uid,
                ),
                rx.vstack(
                    rx.cond(
                        user["consent"] == "declined",
                        rx.text(tr("acting.console.declined"), size="2", color_scheme="red"),
                    ),
                    rx.button(
                        tr("acting.console.request"),
                        variant="soft",
                        on_click=S.request_consent(user["id"]),
                        high_contrast=True,
                        id="request-consent-" + uid,
                        aria_label=tr("acting.console.request") + " " + user["name"].to(str),
                    ),
                    spacing="1",
                ),
            ),
            rx.text(tr("acting.console.not_allowed"), size="2", color_scheme="gray"),
        ),
    )


def _row(user: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(user["name"], weight="medium"),
                rx.text(user["email"], size="1", color_scheme="gray", class_name="cc-break"),
                spacing="0",
            )
        ),
        rx.table.cell(_action(user)),
        class_name="cc-act-row",
    )


def _users() -> rx.Component:
    return rx.vstack(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("acting.console.user")),
                    rx.table.column_header_cell(tr("acting.console.action")),
                )
            ),
            rx.table.body(rx.foreach(S.users, _row)),
            width="100%",
            id="act-users",
        ),
        state_pager(
            S,
            page_text("acting.console.page_of", S.page, S.page_count, S.total),
            id_prefix="act-users",
        ),
        width="100%",
        spacing="3",
    )


@seller_page(routes.SELLER_COMPANY_ACT, S.load, title_key="page.seller_act")
def seller_act_page() -> rx.Component:
    return seller_app_page(
        rx.vstack(
            rx.cond(S.company_id != 0, company_nav(S.company_id.to_string(), "act")),
            rx.link(
                rx.hstack(rx.icon("arrow_left", size=16), tr("acting.console.back"), spacing="1"),
                href=routes.SELLER_COMPANIES + "/" + S.company_id.to_string(),
                id="act-back",
            ),
            rx.heading(S.company_name, size="5", as_="h2", id="act-company"),
            rx.cond(S.company_name != "", _policy()),
            rx.text(tr("acting.console.intro"), size="2"),
            rx.cond(S.notice != "", notice(S.notice, icon="check")),
            rx.cond(
                S.error != "",
                rx.callout(
                    S.error, icon="triangle_alert", color_scheme="red", role="alert", id="act-error"
                ),
            ),
            rx.cond(S.company_name != "", _users()),
            spacing="4",
            width="100%",
        ),
        title_key="acting.console.title",
        right=StaffPermission.ACT_ON_BEHALF,
    )
