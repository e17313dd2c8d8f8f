"""Provisioning (SCIM): where the company's identity provider sends its users and groups, and
the bearer tokens it authenticates with (created, rotated, revoked here)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.provisioning import MANAGE, ProvisioningState

S = ProvisioningState


def copyable(value: rx.Var, copy_id: str, label_key: str) -> rx.Component:
    """A value in a monospace box with a button that copies it."""
    return rx.flex(
        rx.code(value, id=f"{copy_id}-value", style={"wordBreak": "break-all"}, size="3"),
        rx.button(
            rx.icon("copy", size=14),
            tr(label_key),
            variant="soft",
            size="2",
            id=f"{copy_id}-copy",
            on_click=[rx.set_clipboard(value), rx.toast.success(tr("scim.copied"))],
        ),
        spacing="2",
        align="center",
        wrap="wrap",
        width="100%",
    )


def endpoint_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("scim.endpoint"), size="4", as_="h2"),
            rx.text(tr("scim.endpoint_hint"), size="2", color_scheme="gray"),
            copyable(S.endpoint, "endpoint", "scim.copy"),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def new_token_card() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("key_round")),
        rx.vstack(
            rx.text(
                tr("scim.new_token").replace("{label}", S.new_token_label),
                weight="bold",
                size="2",
            ),
            rx.text(tr("scim.new_token_once"), size="2"),
            copyable(S.new_token, "new-token", "scim.copy"),
            rx.button(tr("scim.done"), size="2", variant="outline", on_click=S.dismiss_new_token),
            spacing="2",
            width="100%",
        ),
        color_scheme="amber",
        width="100%",
        id="new-token",
    )


def token_actions(token: Texts) -> rx.Component:
    return rx.cond(
        token["revoked"] == "",
        rx.flex(
            rx.button(
                rx.icon("refresh_cw", size=14),
                tr("scim.rotate"),
                variant="soft",
                size="1",
                on_click=S.rotate(token["id"]),
                id="rotate-" + token["id"],
            ),
            rx.button(
                rx.icon("ban", size=14),
                tr("scim.revoke"),
                variant="soft",
                size="1",
                color_scheme="red",
                on_click=S.revoke(token["id"]),
                id="revoke-" + token["id"],
            ),
            spacing="2",
            wrap="wrap",
        ),
    )


def token_status(token: Texts) -> rx.Component:
    return rx.cond(
        token["revoked"] == "",
        rx.badge(tr("scim.status.active"), color_scheme="green"),
        rx.tooltip(
            rx.badge(tr("scim.status.revoked"), color_scheme="gray"),
            content=token["revoked"],
        ),
    )


def token_row(token: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(token["label"]),
        rx.table.cell(token["created"], class_name="cc-hide-narrow"),
        rx.table.cell(rx.cond(token["last_used"] == "", tr("scim.never"), token["last_used"])),
        rx.table.cell(rx.flex(token_status(token), token_actions(token), spacing="2", wrap="wrap")),
        key=token["id"],
    )


def tokens_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("scim.column.label")),
                    rx.table.column_header_cell(
                        tr("scim.column.created"), class_name="cc-hide-narrow"
                    ),
                    rx.table.column_header_cell(tr("scim.column.last_used")),
                    rx.table.column_header_cell(tr("scim.column.status")),
                )
            ),
            rx.table.body(rx.foreach(S.tokens, token_row)),
            variant="surface",
            width="100%",
        ),
        class_name="cc-table-wrap",
        id="scim-tokens",
    )


def create_form() -> rx.Component:
    return form(
        rx.flex(
            rx.box(
                field("label", "scim.label", S.errors, hint_key="scim.label_hint"),
                flex="1",
                min_width="14rem",
            ),
            rx.button(rx.icon("plus", size=16), tr("scim.create"), type="submit", size="3"),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        on_submit=S.create,
        errors=S.errors,
        id="create-token",
    )


def tokens_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("scim.tokens"), size="4", as_="h2"),
            rx.text(tr("scim.tokens_hint"), size="2", color_scheme="gray"),
            rx.cond(S.new_token != "", new_token_card()),
            rx.cond(
                S.errors.contains("tokens"),
                notice(S.errors["tokens"], color="red", icon="triangle_alert"),
            ),
            rx.cond(
                S.tokens.length() == 0,
                once_loaded(rx.text(tr("scim.no_tokens"), color_scheme="gray", id="no-tokens")),
                tokens_table(),
            ),
            create_form(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@portal_page(
    routes.COMPANY_PROVISIONING,
    S.load,
    title_key="page.company_provisioning",
    right=Permission.COMPANY_MANAGE,
    nav=Nav("nav.provisioning", "key_round", NavGroup.COMPANY, 2),
)
def provisioning_page() -> rx.Component:
    return app_page(
        rx.vstack(
            rx.text(tr("scim.intro"), size="2", color_scheme="gray"),
            endpoint_card(),
            tokens_card(),
            spacing="4",
            width="100%",
            max_width="60rem",
        ),
        title_key="scim.title",
        permission=MANAGE,
    )
