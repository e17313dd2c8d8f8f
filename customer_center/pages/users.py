"""User administration: the list, inviting a user, and one user's page."""

from __future__ import annotations

from typing import Literal

import reflex as rx
from reflex.event import EventCallback
from reflex.vars import ArrayVar

from customer_center.components.forms import field, field_error, form
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Text, Texts, notice, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.i18n.catalog import LANGUAGES
from customer_center.state.session import SessionState
from customer_center.state.users import InviteUserState, UsersListState

MANAGE = Permission.USERS_MANAGE.value
STATUS_COLORS = {"active": "green", "invited": "amber", "inactive": "gray"}


def status_badge(status: Text, label: Text) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"),
        variant="soft",
    )


# A select's choices: from a state (roles) or fixed here (statuses, in the reader's language).
Options = ArrayVar[list[dict[str, str]]] | list[dict[str, str | Text]]


def filter_select(
    value: Text, on_change: EventCallback[str], options: Options, all_key: str, label_key: str
) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=tr(label_key), min_width="10rem"),
        rx.select.content(
            rx.select.item(tr(all_key), value="all"),
            rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["id"])),
        ),
        value=value,
        on_change=on_change,
    )


def _status_options() -> list[dict[str, str | Text]]:
    return [{"id": s, "label": tr(f"users.status.{s}")} for s in STATUS_COLORS]


def list_toolbar() -> rx.Component:
    state = UsersListState
    return rx.flex(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=tr("users.search_placeholder"),
            value=state.search,
            on_change=state.set_search,
            aria_label=tr("users.search_placeholder"),
            id="user-search",
            min_width="16rem",
            flex="1",
        ),
        filter_select(
            state.role_filter,
            state.set_role_filter,
            state.role_options,
            "users.all_roles",
            "users.filter_role",
        ),
        rx.select.root(
            rx.select.trigger(aria_label=tr("users.filter_status"), min_width="10rem"),
            rx.select.content(
                rx.select.item(tr("users.all_statuses"), value="all"),
                *[rx.select.item(o["label"], value=o["id"]) for o in _status_options()],
            ),
            value=state.status_filter,
            on_change=state.set_status_filter,
        ),
        spacing="3",
        wrap="wrap",
        width="100%",
    )


def list_actions() -> rx.Component:
    def action(
        icon: str,
        key: str,
        href: str,
        element_id: str,
        variant: Literal["soft", "solid"] = "soft",
    ) -> rx.Component:
        return rx.link(
            rx.button(rx.icon(icon, size=16), tr(key), variant=variant),
            href=href,
            id=element_id,
            underline="none",
        )

    return rx.flex(
        action("user_plus", "users.invite", routes.USER_NEW, "invite-user", "solid"),
        action("building", "users.from_erp", routes.USERS_ERP, "users-from-erp"),
        action("upload", "users.import_csv", routes.USERS_IMPORT, "users-import"),
        rx.el.a(
            rx.button(rx.icon("download", size=16), tr("users.export_csv"), variant="soft"),
            href=routes.EXPORT_USERS,
            id="users-export",
        ),
        spacing="2",
        wrap="wrap",
    )


def sort_header(key: str, column: str, narrow_hidden: bool = False) -> rx.Component:
    state = UsersListState
    arrow = rx.cond(
        state.sort == column,
        rx.icon(rx.cond(state.descending, "arrow_down", "arrow_up"), size=14),
    )
    return rx.table.column_header_cell(
        rx.button(
            tr(key),
            arrow,
            variant="ghost",
            size="1",
            color_scheme="gray",
            high_contrast=True,
            on_click=state.sort_by(column),
            class_name="cc-sort",
        ),
        class_name="cc-hide-narrow" if narrow_hidden else "",
    )


def user_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.hstack(
                    rx.link(row["name"], href=f"{routes.USERS}/" + row["id"], weight="medium"),
                    rx.cond(
                        row["main"] != "",
                        rx.badge(tr("role.main_contact"), color_scheme="blue", size="1"),
                    ),
                    align="center",
                    wrap="wrap",
                ),
                rx.text(row["email"], size="1", color_scheme="gray", class_name="cc-show-narrow"),
                spacing="0",
            )
        ),
        rx.table.cell(row["email"], class_name="cc-hide-narrow"),
        rx.table.cell(row["roles"], class_name="cc-hide-narrow"),
        rx.table.cell(status_badge(row["status"], row["status_label"])),
        rx.table.cell(row["last_sign_in"], class_name="cc-hide-narrow"),
        class_name="cc-user-row",
    )


def users_pager() -> rx.Component:
    state = UsersListState
    return state_pager(
        state,
        page_text("users.page_of", state.page, state.page_count, state.total),
        id_prefix="users",
    )


@portal_page(
    routes.USERS,
    UsersListState.load,
    title_key="page.users",
    right=Permission.USERS_MANAGE,
    nav=Nav("nav.users", "users", NavGroup.PEOPLE, 1),
)
def users_page() -> rx.Component:
    return app_page(
        rx.vstack(
            rx.cond(UsersListState.notice != "", notice(UsersListState.notice, icon="check")),
            list_actions(),
            list_toolbar(),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            sort_header("users.column.name", "name"),
                            sort_header("users.column.email", "email", narrow_hidden=True),
                            rx.table.column_header_cell(
                                tr("users.column.roles"), class_name="cc-hide-narrow"
                            ),
                            sort_header("users.column.status", "status"),
                            sort_header("users.column.last_sign_in", "last_sign_in", True),
                        )
                    ),
                    rx.table.body(rx.foreach(UsersListState.rows, user_row)),
                    variant="surface",
                    width="100%",
                    id="users-table",
                ),
                width="100%",
                class_name="cc-table-wrap",
            ),
            rx.cond(
                UsersListState.total == 0,
                once_loaded(rx.text(tr("users.none_found"), color_scheme="gray", id="users-empty")),
            ),
            users_pager(),
            spacing="4",
            width="100%",
        ),
        title_key="users.title",
        permission=MANAGE,
    )


def language_field(default: Text | str, errors: Texts) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr("field.language"), html_for="language", class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id="language", width="100%"),
            rx.select.content(
                *[rx.select.item(label, value=code) for code, label in LANGUAGES.items()]
            ),
            name="language",
            default_value=default,
            size="3",
        ),
        rx.cond(
            errors.contains("language"),
            rx.text(errors["language"], size="2", color_scheme="red", role="alert"),
        ),
        spacing="1",
        width="100%",
        align="start",
    )


def role_checkboxes(
    options: ArrayVar[list[dict[str, str]]], checked: ArrayVar[list[str]] | None, errors: Texts
) -> rx.Component:
    def box(option: Texts) -> rx.Component:
        return rx.el.label(
            rx.checkbox(
                name="role_" + option["id"],
                default_checked=checked.contains(option["id"]) if checked is not None else False,
                id="role-" + option["id"],
                aria_label=option["label"],
            ),
            rx.text(option["label"], size="2"),
            class_name="cc-check",
        )

    return rx.vstack(
        rx.text(tr("users.roles"), class_name="cc-label"),
        rx.flex(rx.foreach(options, box), spacing="3", wrap="wrap"),
        field_error(errors, "roles"),
        spacing="2",
        width="100%",
        align="start",
    )


@portal_page(routes.USER_NEW, InviteUserState.load, title_key="page.user_new")
def invite_user_page() -> rx.Component:
    state = InviteUserState
    return app_page(
        rx.card(
            form(
                rx.text(tr("users.invite_intro"), size="2", color_scheme="gray"),
                field("name", "field.name", state.errors, autocomplete="off", autofocus=True),
                field("email", "field.email", state.errors, type_="email"),
                language_field(SessionState.lang, state.errors),
                role_checkboxes(state.role_options, None, state.errors),
                rx.hstack(
                    rx.button(
                        tr("users.send_invitation"), type="submit", size="3", id="send-invitation"
                    ),
                    rx.link(tr("common.cancel"), href=routes.USERS, size="2"),
                    align="center",
                    spacing="4",
                ),
                on_submit=state.submit,
                errors=state.errors,
            ),
            size="3",
            class_name="cc-form-card",
        ),
        title_key="users.invite_title",
        permission=MANAGE,
    )
