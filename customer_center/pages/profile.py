"""My account: name and language, e-mail address, password, where I am signed in, the
e-mails I want, my budget, my absence."""

from __future__ import annotations

import reflex as rx

from customer_center.components.absence_editor import absence_section
from customer_center.components.account_forms import email_change_form
from customer_center.components.account_security import (
    choices_form,
    password_form,
    sessions_list,
)
from customer_center.components.budget_editor import situation
from customer_center.components.forms import field, form
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import notice, tr
from customer_center.domain import routes
from customer_center.pages.user_detail import section
from customer_center.pages.users import language_field
from customer_center.state.absences import AbsenceState
from customer_center.state.account import AccountState
from customer_center.state.budgets import MyBudgetState
from customer_center.state.email_change import EmailChangeState
from customer_center.state.profile import ProfileState


def my_details() -> rx.Component:
    state = ProfileState
    return section(
        "profile.details",
        rx.cond(state.saved, notice(tr("users.saved"), icon="check")),
        form(
            field("name", "field.name", state.errors, default_value=state.name),
            language_field(state.language, state.errors),
            rx.button(tr("common.save"), type="submit", id="save-my-profile"),
            on_submit=state.save,
            errors=state.errors,
            key=state.name + state.language,
        ),
    )


def my_budget_card() -> rx.Component:
    return section("profile.budget", situation(MyBudgetState))


def own_only(title_key: str, content: rx.Component, element_id: str) -> rx.Component:
    """A section of the user's own security: an agent acting for them sees only a note."""
    return section(
        title_key,
        rx.cond(AccountState.own, content, notice(tr("myaccount.acting"), icon="lock")),
        id=element_id,
    )


def profile_sections() -> list[rx.Component]:
    return [
        my_details(),
        section("account.email.title", email_change_form()),
        own_only("myaccount.password.title", password_form(), "password-section"),
        own_only("myaccount.sessions.title", sessions_list(), "sessions-section"),
        own_only("myaccount.notify.title", choices_form(), "choices-section"),
        my_budget_card(),
        absence_section("absence.hint"),
    ]


@portal_page(
    routes.PROFILE,
    ProfileState.load,
    EmailChangeState.load,
    MyBudgetState.load,
    AbsenceState.load_mine,
    AccountState.load,
    title_key="page.myaccount",
    nav=Nav("myaccount.nav", "user_cog", NavGroup.ACCOUNT),
)
def profile_page() -> rx.Component:
    return app_page(
        rx.grid(
            *profile_sections(),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        title_key="myaccount.title",
    )
