"""Roles and rights: what each role may do, and the company's own roles."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, field_error, form
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import (
    PERMISSION_AREAS,
    Permission,
    area_label_key,
    permission_description_key,
    permission_label_key,
)
from customer_center.state.roles import RolesState

S = RolesState


def role_card(row: Texts) -> rx.Component:
    custom_actions = rx.hstack(
        rx.button(
            rx.icon("pencil", size=14),
            tr("roles.edit"),
            variant="soft",
            size="1",
            on_click=S.open_edit(row["id"].to(int)),
        ),
        rx.button(
            rx.icon("trash_2", size=14),
            tr("roles.delete"),
            variant="soft",
            size="1",
            color_scheme="red",
            on_click=S.ask_delete(row["id"].to(int)),
        ),
        spacing="2",
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(row["label"], size="4", as_="h2"),
                rx.cond(
                    row["builtin"] != "",
                    rx.badge(tr("roles.builtin"), color_scheme="gray"),
                    rx.badge(tr("roles.custom"), color_scheme="blue"),
                ),
                rx.spacer(),
                rx.text(tr("roles.users_count"), ": ", row["users"], size="2", color_scheme="gray"),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.cond(row["description"] != "", rx.text(row["description"], size="2")),
            rx.cond(
                row["empty"] != "", rx.text(tr("roles.no_rights"), size="2", color_scheme="gray")
            ),
            rx.foreach(
                S.area_lines,
                lambda line: rx.cond(
                    line["role_id"] == row["id"],
                    rx.hstack(
                        rx.text(
                            line["area"],
                            weight="medium",
                            size="2",
                            min_width="9rem",
                            flex_shrink="0",
                        ),
                        rx.text(line["rights"], size="2", color_scheme="gray", flex="1"),
                        align="start",
                        width="100%",
                    ),
                ),
            ),
            rx.cond(row["builtin"] == "", custom_actions),
            spacing="2",
            width="100%",
        ),
        size="2",
        width="100%",
        class_name="cc-role-card",
    )


def right_checkbox(permission: Permission) -> rx.Component:
    """One right of the catalogue with what it allows; checked if the edited role has it."""
    return rx.el.label(
        rx.checkbox(
            name=f"perm:{permission.value}",
            default_checked=S.editor_rights.contains(permission.value),
            margin_top="0.2rem",
        ),
        rx.vstack(
            rx.text(tr(permission_label_key(permission.value)), size="2", weight="medium"),
            rx.text(
                tr(permission_description_key(permission.value)), size="1", color_scheme="gray"
            ),
            spacing="0",
            align="start",
        ),
        class_name="cc-check cc-right-check",
    )


def rights_checkboxes() -> rx.Component:
    """The whole catalogue by area; the boxes of the edited role start checked."""
    areas = [
        rx.el.fieldset(
            rx.el.legend(tr(area_label_key(area)), class_name="cc-label"),
            rx.vstack(*[right_checkbox(p) for p in rights], spacing="2", align="start"),
            class_name="cc-rights-area",
        )
        for area, rights in PERMISSION_AREAS.items()
    ]
    return rx.vstack(
        rx.text(tr("roles.rights"), class_name="cc-label"),
        rx.grid(*areas, columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        field_error(S.editor_errors, "permissions"),
        spacing="2",
        width="100%",
    )


def editor() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.editor_id == 0, tr("roles.new"), tr("roles.edit_title"))),
            form(
                field("name", "field.name", S.editor_errors, default_value=S.editor_name),
                rights_checkboxes(),
                rx.hstack(
                    rx.button(
                        tr("common.cancel"),
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.close_editor,
                    ),
                    rx.button(tr("common.save"), type="submit", id="save-role"),
                    justify="end",
                    width="100%",
                ),
                on_submit=S.save,
                errors=S.editor_errors,
                key=S.editor_round.to_string(),
            ),
            max_width="48rem",
        ),
        open=S.editor_open,
    )


def delete_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.delete_title),
            form(
                rx.cond(
                    S.delete_users > 0,
                    rx.vstack(
                        rx.el.label(
                            tr("roles.move_users_hint").replace(
                                "{count}", S.delete_users.to_string()
                            ),
                            html_for="move_to",
                            class_name="cc-label",
                        ),
                        rx.el.select(
                            rx.el.option(tr("roles.choose_role"), value=""),
                            rx.foreach(
                                S.move_options, lambda o: rx.el.option(o["label"], value=o["id"])
                            ),
                            name="move_to",
                            id="move_to",
                            aria_describedby="move_to-error",
                            class_name="cc-native-select",
                        ),
                        field_error(S.delete_errors, "move_to"),
                        width="100%",
                    ),
                    rx.text(tr("roles.delete_question"), size="2"),
                ),
                rx.hstack(
                    rx.button(
                        tr("common.cancel"),
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.cancel_delete,
                    ),
                    rx.button(
                        tr("roles.delete"),
                        type="submit",
                        color_scheme="red",
                        id="confirm-delete-role",
                    ),
                    justify="end",
                    width="100%",
                ),
                on_submit=S.delete,
                errors=S.delete_errors,
            ),
        ),
        open=S.delete_id > 0,
    )


@portal_page(
    routes.ROLES,
    RolesState.load,
    title_key="page.roles",
    right=Permission.ROLES_MANAGE,
    nav=Nav("nav.roles", "shield_check", NavGroup.PEOPLE, 2),
)
def roles_page() -> rx.Component:
    return app_page(
        rx.hstack(
            rx.text(tr("roles.intro"), size="2", color_scheme="gray", flex="1"),
            rx.button(
                rx.icon("plus", size=16), tr("roles.new"), on_click=S.open_new, id="new-role"
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(S.notice != "", notice(S.notice, icon="check")),
        rx.grid(
            rx.foreach(S.rows, role_card),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        editor(),
        delete_dialog(),
        title_key="roles.title",
        permission=Permission.ROLES_MANAGE.value,
    )
