"""The approver chain editor: levels, their rule and threshold, approvers, problems."""

from __future__ import annotations

import reflex as rx

from customer_center.components.ui import Texts, notice, tr
from customer_center.state.chains import ChainEditorState, UserChainState


def approver_badge(state: type[ChainEditorState], approver: Texts) -> rx.Component:
    return rx.badge(
        approver["label"],
        rx.cond(
            state.can_edit,
            rx.icon(
                "x",
                size=12,
                cursor="pointer",
                aria_label=tr("chains.remove_approver"),
                on_click=state.remove_approver(approver["level"].to(int), approver["key"]),
            ),
        ),
        size="2",
        variant="surface",
        class_name="cc-approver",
    )


def add_approver_select(state: type[ChainEditorState], index: rx.Var) -> rx.Component:
    """Choosing someone adds them at once; the select then shows its prompt again.

    A select rather than a form with a button: a form's submit handler is compiled outside
    the loop over levels and cannot see which level it belongs to.
    """
    return rx.el.select(
        rx.el.option(tr("chains.add_approver"), value="", disabled=True),
        rx.foreach(state.candidates, lambda c: rx.el.option(c["label"], value=c["key"])),
        value="",
        on_change=lambda key: state.add_approver(index, key),
        class_name="cc-native-select cc-add-approver",
        aria_label=tr("chains.approver"),
    )


def level_card(state: type[ChainEditorState], level: Texts) -> rx.Component:
    index = level["index"].to(int)
    problem_key = "level-" + level["number"]
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(tr("chains.level"), " ", level["number"], size="3", as_="h3"),
                rx.select.root(
                    rx.select.trigger(aria_label=tr("chains.rule")),
                    rx.select.content(
                        rx.select.item(tr("chains.rule.any_long"), value="any"),
                        rx.select.item(tr("chains.rule.all_long"), value="all"),
                    ),
                    value=level["rule"],
                    on_change=lambda rule: state.set_rule(index, rule),
                    disabled=~state.can_edit,
                    size="2",
                ),
                rx.spacer(),
                rx.cond(
                    state.can_edit,
                    rx.icon_button(
                        rx.icon("trash_2", size=14),
                        variant="ghost",
                        color_scheme="red",
                        aria_label=tr("chains.remove_level"),
                        on_click=state.remove_level(index),
                    ),
                ),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.flex(
                rx.foreach(
                    state.approvers,
                    lambda a: rx.cond(a["level"] == level["index"], approver_badge(state, a)),
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(state.can_edit, add_approver_select(state, index)),
            rx.hstack(
                rx.text(tr("chains.only_above"), size="2", class_name="cc-nowrap"),
                rx.input(
                    default_value=level["min_value"],
                    read_only=~state.can_edit,
                    on_blur=lambda v: state.set_min_value(index, v),
                    placeholder=tr("chains.any_value"),
                    aria_label=tr("chains.only_above"),
                    size="2",
                    width="10rem",
                ),
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                state.problems.contains(problem_key),
                rx.text(
                    state.problems[problem_key],
                    size="2",
                    color_scheme="red",
                    role="alert",
                    class_name="cc-level-problem",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        class_name="cc-level",
    )


def first_pick(state: type[ChainEditorState]) -> rx.Component:
    """Before any level exists the search still leads somewhere: the first pick starts
    level 1."""
    return rx.vstack(
        rx.text(tr("chains.start_hint"), size="2"),
        add_approver_select(state, rx.Var.create(0)),
        spacing="1",
        width="100%",
        class_name="cc-first-pick",
    )


def chain_editor(state: type[ChainEditorState]) -> rx.Component:
    return rx.vstack(
        rx.cond(state.saved != "", notice(state.saved, icon="check")),
        rx.cond(state.problems.contains(""), notice(state.problems[""], color="red")),
        rx.cond(state.problems.contains("chain"), notice(state.problems["chain"], color="red")),
        rx.cond(
            state.levels.length() == 0,
            rx.text(tr("chains.empty_hint"), size="2", color_scheme="gray"),
        ),
        rx.cond(
            state.can_edit,
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                placeholder=tr("chains.find_approvers"),
                on_change=state.search_candidates.debounce(300),
                aria_label=tr("chains.find_approvers"),
                width="100%",
            ),
        ),
        rx.cond(state.can_edit & (state.levels.length() == 0), first_pick(state)),
        rx.foreach(state.levels, lambda level: level_card(state, level)),
        rx.cond(state.can_edit, edit_buttons(state)),
        spacing="3",
        width="100%",
    )


def edit_buttons(state: type[ChainEditorState]) -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("plus", size=14),
            tr("chains.add_level"),
            variant="soft",
            on_click=state.add_level,
            class_name="cc-add-level",
        ),
        rx.button(tr("chains.save"), on_click=state.save, class_name="cc-save-chain"),
        rx.cond(
            state.has_chain,
            rx.button(
                tr("chains.use_defaults"),
                variant="soft",
                color_scheme="gray",
                on_click=state.clear,
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def route_preview() -> rx.Component:
    state = UserChainState
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.input(
                    name="amount",
                    placeholder=tr("chains.preview_amount"),
                    aria_label=tr("chains.preview_amount"),
                    id="preview-amount",
                ),
                rx.button(tr("chains.preview"), type="submit", variant="soft", id="show-preview"),
                wrap="wrap",
            ),
            on_submit=state.preview,
            reset_on_submit=False,
        ),
        rx.cond(
            state.problems.contains("amount"),
            rx.text(state.problems["amount"], size="2", color_scheme="red", role="alert"),
        ),
        rx.cond(
            state.preview_sentence != "",
            rx.box(
                rx.text(state.preview_sentence, size="2", weight="medium"),
                rx.foreach(state.preview_steps, lambda step: rx.text(step, size="2")),
                id="route-preview",
                class_name="cc-preview",
            ),
        ),
        spacing="2",
        width="100%",
    )


def user_chain_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("chains.section"), size="4", as_="h2"),
            rx.text(tr("chains.user_hint"), size="2", color_scheme="gray"),
            chain_editor(UserChainState),
            rx.divider(),
            route_preview(),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        id="chain-section",
    )
