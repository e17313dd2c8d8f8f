"""One user's page for administrators: profile, roles, status, budget, approvals."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventCallback

from customer_center.components.absence_editor import absence_section
from customer_center.components.account_forms import email_change_form, handover_dialog
from customer_center.components.budget_editor import user_budget_section
from customer_center.components.chain_editor import user_chain_section
from customer_center.components.forms import field, form
from customer_center.components.layout import app_page
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import notice, once_loaded, tr
from customer_center.domain import routes
from customer_center.pages.users import MANAGE, language_field, role_checkboxes, status_badge
from customer_center.state.absences import AbsenceState
from customer_center.state.budgets import UserBudgetState
from customer_center.state.chains import UserChainState
from customer_center.state.email_change import EmailChangeState
from customer_center.state.handover import HandoverState
from customer_center.state.users import UserDetailState

S = UserDetailState


def section(title_key: str, *children: rx.Component, **props: Any) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), size="4", as_="h2"), *children, spacing="3", width="100%"
        ),
        size="3",
        width="100%",
        **props,
    )


def confirm_button(
    label_key: str,
    question_key: str,
    on_confirm: EventCallback[()],
    element_id: str,
    color: str = "red",
) -> rx.Component:
    """A button that asks before it does something that affects the user at once."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(tr(label_key), variant="soft", color_scheme=color, id=element_id)
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr(label_key)),
            rx.alert_dialog.description(tr(question_key)),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(tr("common.cancel"), variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        tr(label_key),
                        color_scheme=color,
                        on_click=on_confirm,
                        id=f"{element_id}-confirm",
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def status_actions() -> rx.Component:
    return rx.flex(
        rx.match(
            S.status,
            (
                "active",
                rx.cond(
                    S.is_main_contact | S.is_self,
                    rx.fragment(),
                    confirm_button(
                        "users.deactivate",
                        "users.deactivate_question",
                        S.deactivate,
                        "deactivate-user",
                    ),
                ),
            ),
            (
                "inactive",
                rx.button(
                    tr("users.activate"), variant="soft", on_click=S.activate, id="activate-user"
                ),
            ),
            (
                "invited",
                rx.fragment(
                    rx.button(
                        tr("users.resend"),
                        variant="soft",
                        on_click=S.resend_invitation,
                        id="resend-invitation",
                    ),
                    confirm_button(
                        "users.revoke",
                        "users.revoke_question",
                        S.revoke_invitation,
                        "revoke-invitation",
                    ),
                ),
            ),
            rx.fragment(),
        ),
        spacing="2",
        wrap="wrap",
    )


def summary_card() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.heading(S.name, size="5", as_="h2", id="detail-name"),
                    status_badge(S.status, S.t["users.status." + S.status].to(str)),
                    rx.cond(
                        S.is_main_contact, rx.badge(tr("role.main_contact"), color_scheme="blue")
                    ),
                    align="center",
                    wrap="wrap",
                ),
                rx.text(S.email, color_scheme="gray", id="detail-email"),
                rx.text(
                    tr("users.created_at"),
                    " ",
                    S.created,
                    rx.cond(
                        S.last_sign_in != "",
                        rx.fragment(" · ", tr("users.last_sign_in"), " ", S.last_sign_in),
                    ),
                    size="1",
                    color_scheme="gray",
                ),
                rx.cond(
                    S.invitation_expires != "",
                    rx.text(
                        tr("users.invitation_expires"),
                        " ",
                        S.invitation_expires,
                        size="1",
                        color_scheme="amber",
                    ),
                ),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            status_actions(),
            spacing="4",
            wrap="wrap",
            width="100%",
            align="start",
        ),
        size="3",
        width="100%",
    )


def profile_section() -> rx.Component:
    return section(
        "users.profile",
        form(
            field("name", "field.name", S.errors, default_value=S.name),
            language_field(S.language, S.errors),
            rx.button(tr("common.save"), type="submit", id="save-profile"),
            on_submit=S.save_profile,
            errors=S.errors,
            key=S.detail_id.to_string() + S.name,
        ),
    )


def roles_section() -> rx.Component:
    return section(
        "users.roles",
        rx.cond(
            S.is_self,
            rx.text(tr("users.own_roles_hint"), size="2", color_scheme="gray"),
        ),
        form(
            role_checkboxes(S.role_options, S.role_ids, S.role_errors),
            rx.button(tr("users.save_roles"), type="submit", id="save-roles", disabled=S.is_self),
            on_submit=S.save_roles,
            errors=S.role_errors,
            key=S.detail_id.to_string() + S.role_ids.join(","),
        ),
    )


def messages() -> rx.Component:
    return rx.fragment(
        rx.cond(S.notice != "", notice(S.notice, icon="check")),
        rx.cond(S.problem != "", notice(S.problem, color="red", icon="triangle_alert")),
    )


def detail_sections() -> list[rx.Component]:
    """The sections below the summary; budget and approval sections plug in here."""
    return [
        profile_section(),
        section("account.email.title", email_change_form()),
        roles_section(),
        user_budget_section(),
        absence_section("absence.admin_hint"),
        user_chain_section(),
    ]


@portal_page(
    routes.USER,
    UserDetailState.load,
    EmailChangeState.load,
    HandoverState.load,
    UserBudgetState.load,
    UserChainState.load,
    AbsenceState.load_for_user,
    title_key="page.user",
    title=rx.cond(S.found & (S.name != ""), S.name + " · " + tr("page.users"), tr("page.user")),
)
def user_detail_page() -> rx.Component:
    return app_page(
        rx.link(
            rx.hstack(rx.icon("arrow_left", size=14), tr("users.back_to_list")),
            href=routes.USERS,
            size="2",
        ),
        rx.cond(
            S.found,
            rx.vstack(
                messages(),
                summary_card(),
                handover_dialog(),
                rx.grid(
                    *detail_sections(),
                    columns=rx.breakpoints(initial="1", lg="2"),
                    spacing="4",
                    width="100%",
                ),
                spacing="4",
                width="100%",
                margin_top="1rem",
            ),
            once_loaded(rx.text(tr("admin.not_found"), color_scheme="gray", margin_top="1rem")),
        ),
        title_key="users.detail_title",
        permission=MANAGE,
    )
