"""Budget pieces: the four limit fields, and the spent / reserved / remaining figures."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, field_error, form
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain.permissions import Permission
from customer_center.state.budgets import MyBudgetState, SituationView, UserBudgetState
from customer_center.state.session import SessionState


def period_select(values: Texts, errors: Texts) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr("budgets.period"), html_for="period", class_name="cc-label"),
        rx.el.select(
            rx.el.option(tr("budgets.no_period"), value=""),
            *[rx.el.option(tr(f"budgets.per.{p}"), value=p) for p in ("month", "quarter", "year")],
            name="period",
            id="period",
            default_value=values["period"],
            class_name="cc-native-select",
        ),
        field_error(errors, "period"),
        spacing="1",
        width="100%",
        align="start",
    )


def limit_fields(values: Texts, errors: Texts) -> list[rx.Component]:
    """Blank means no limit; amounts are typed as the user's language writes them."""
    return [
        rx.grid(
            field(
                "max_quantity", "budgets.max_quantity", errors, default_value=values["max_quantity"]
            ),
            field(
                "max_order_value",
                "budgets.max_order_value",
                errors,
                default_value=values["max_order_value"],
            ),
            period_select(values, errors),
            field(
                "period_budget",
                "budgets.period_budget",
                errors,
                default_value=values["period_budget"],
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        rx.text(tr("budgets.blank_hint"), size="1", color_scheme="gray"),
    ]


def situation(state: type[SituationView]) -> rx.Component:
    """The effective limits, where they come from, and this period's figures."""
    return rx.vstack(
        rx.foreach(state.limit_lines, lambda line: rx.text(line, size="2", weight="medium")),
        rx.text(state.source, size="1", color_scheme="gray"),
        rx.cond(
            state.has_period,
            rx.vstack(
                rx.text(state.period_label, size="1", color_scheme="gray"),
                rx.progress(
                    value=state.used_percent,
                    color_scheme=rx.cond(state.over_budget, "red", "blue"),
                    width="100%",
                ),
                rx.data_list.root(
                    rx.data_list.item(
                        rx.data_list.label(tr("budgets.spent")),
                        rx.data_list.value(state.spent, class_name="cc-spent"),
                    ),
                    rx.data_list.item(
                        rx.data_list.label(tr("budgets.reserved")),
                        rx.data_list.value(state.reserved),
                    ),
                    rx.data_list.item(
                        rx.data_list.label(tr("budgets.remaining")),
                        rx.data_list.value(state.remaining, class_name="cc-remaining"),
                    ),
                    orientation="horizontal",
                    size="2",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="1",
        width="100%",
        class_name="cc-budget-situation",
    )


def user_budget_section() -> rx.Component:
    state = UserBudgetState
    can_edit = SessionState.permissions.contains(Permission.BUDGETS_MANAGE.value)
    return rx.card(
        rx.vstack(
            rx.heading(tr("budgets.section"), size="4", as_="h2"),
            situation(state),
            rx.cond(state.saved != "", notice(state.saved, icon="check")),
            rx.cond(
                can_edit,
                form(
                    rx.text(
                        rx.cond(state.has_own_rule, tr("budgets.own_rule"), tr("budgets.inherits")),
                        size="2",
                        color_scheme="gray",
                    ),
                    *limit_fields(state.values, state.errors),
                    rx.hstack(
                        rx.button(tr("budgets.save"), type="submit", id="save-budget"),
                        rx.cond(
                            state.has_own_rule,
                            rx.button(
                                tr("budgets.use_defaults"),
                                type="button",
                                variant="soft",
                                on_click=state.clear,
                                id="clear-budget",
                            ),
                        ),
                        spacing="3",
                    ),
                    on_submit=state.save,
                    errors=state.errors,
                    key=state.round.to_string(),
                    id="budget-form",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def my_budget_card() -> rx.Component:
    """The signed-in user's own limits and period figures (profile, dashboard); load it with
    ``MyBudgetState.load``."""
    return rx.card(
        rx.vstack(
            rx.heading(tr("profile.budget"), size="4", as_="h2"),
            situation(MyBudgetState),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        class_name="cc-my-budget",
    )
