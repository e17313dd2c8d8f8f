"""My profile: name and language, e-mail address, my budget, my absence."""

from __future__ import annotations

import reflex as rx

from customer_center.components.absence_editor import absence_section
from customer_center.components.account_forms import email_change_form
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


def profile_sections() -> list[rx.Component]:
    return [
        my_details(),
        section("account.email.title", email_change_form()),
        my_budget_card(),
        absence_section("absence.hint"),
    ]


@portal_page(
    routes.PROFILE,
    ProfileState.load,
    EmailChangeState.load,
    MyBudgetState.load,
    AbsenceState.load_mine,
    title_key="page.profile",
    nav=Nav("nav.profile", "user_cog", NavGroup.ACCOUNT),
)
def profile_page() -> rx.Component:
    return app_page(
        rx.grid(
            *profile_sections(),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        title_key="profile.title",
    )
