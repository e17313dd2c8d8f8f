"""Single sign-on settings: the company's identity provider, domains, roles from groups, and
password sign-in for the company."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field, form
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.pages.user_detail import section
from customer_center.state.company_sso import MAP_PREFIX, CompanySsoState

S = CompanySsoState


def _hint(key: str) -> rx.Component:
    return rx.text(tr(key), size="1", color_scheme="gray")


def _error(name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(S.errors[name], id=f"{name}-error", size="2", color_scheme="red", role="alert"),
    )


def _provider_fields() -> rx.Component:
    return section(
        "sso.provider",
        _hint("sso.provider_intro"),
        rx.vstack(
            rx.text(tr("sso.redirect_uri"), class_name="cc-label"),
            rx.code(S.redirect_uri, id="sso-redirect-uri", word_break="break-all"),
            spacing="1",
            width="100%",
        ),
        field(
            "issuer",
            "sso.field.issuer",
            S.errors,
            default_value=S.issuer,
            hint_key="sso.hint.issuer",
        ),
        field("client_id", "sso.field.client_id", S.errors, default_value=S.client_id),
        field(
            "client_secret",
            "sso.field.client_secret",
            S.errors,
            type_="password",
            autocomplete="new-password",
        ),
        rx.cond(
            S.secret_stored,
            rx.hstack(
                rx.badge(tr("sso.secret_stored"), color_scheme="green", id="sso-secret-stored"),
                _hint("sso.hint.secret_replace"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        ),
    )


_DOMAIN_BADGE_COLORS = {"erp": "green", "dns": "green", "waiting": "amber", "taken": "red"}


def _txt_record(row: Texts) -> rx.Component:
    """What the company's DNS must publish to prove a waiting domain."""
    return rx.vstack(
        rx.text(tr("sso.domain_publish"), size="2"),
        rx.grid(
            rx.text(tr("sso.txt_name"), size="1", color_scheme="gray"),
            rx.code(row["txt_name"], word_break="break-all", class_name="cc-txt-name"),
            rx.text(tr("sso.txt_value"), size="1", color_scheme="gray"),
            rx.code(row["txt_value"], word_break="break-all", class_name="cc-txt-value"),
            columns="auto 1fr",
            spacing="2",
            align="center",
            width="100%",
        ),
        spacing="1",
        width="100%",
    )


def _domain_row(row: Texts) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(row["domain"], weight="medium", class_name="cc-domain-name"),
            rx.match(
                row["state"],
                *[
                    (state, rx.badge(row["label"], color_scheme=color))
                    for state, color in _DOMAIN_BADGE_COLORS.items()
                ],
                rx.badge(row["label"]),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(row["state"] == "waiting", _txt_record(row)),
        rx.cond(row["state"] == "taken", _hint("sso.domain_taken_hint")),
        spacing="1",
        width="100%",
        class_name="cc-domain-state",
        data_domain=row["domain"],
        data_state=row["state"],
    )


def _domain_states() -> rx.Component:
    return rx.cond(
        S.domain_rows.length() > 0,
        rx.vstack(
            rx.foreach(S.domain_rows, _domain_row),
            rx.cond(
                S.has_waiting,
                rx.button(
                    tr("sso.check_domains"),
                    on_click=S.check_domains,
                    type="button",
                    variant="soft",
                    id="sso-check-domains",
                ),
            ),
            rx.cond(
                S.domain_notice != "",
                rx.text(S.domain_notice, size="2", role="status", id="sso-domain-notice"),
            ),
            spacing="3",
            width="100%",
            id="sso-domain-states",
        ),
    )


def _domain_fields() -> rx.Component:
    return section(
        "sso.domains",
        field(
            "domains",
            "sso.field.domains",
            S.errors,
            default_value=S.domains,
            hint_key="sso.hint.domains",
        ),
        _domain_states(),
    )


def _mapping_row(row: Texts) -> rx.Component:
    name = MAP_PREFIX + row["id"]
    return rx.table.row(
        rx.table.cell(rx.el.label(row["label"], html_for=name), class_name="cc-nowrap"),
        rx.table.cell(
            rx.input(name=name, id=name, default_value=row["groups"], width="100%"),
            rx.cond(
                S.errors.contains(name),
                rx.text(S.errors[name], size="2", color_scheme="red", role="alert"),
            ),
            width="100%",
        ),
    )


def _default_role() -> rx.Component:
    return rx.vstack(
        rx.el.label(tr("sso.field.default_role"), html_for="default_role", class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id="default_role", width="100%", placeholder=tr("sso.choose_role")),
            rx.select.content(
                rx.foreach(S.role_rows, lambda r: rx.select.item(r["label"], value=r["id"]))
            ),
            name="default_role",
            default_value=S.default_role,
            size="3",
        ),
        _hint("sso.hint.default_role"),
        _error("default_role"),
        spacing="1",
        width="100%",
        align="start",
    )


def _role_fields() -> rx.Component:
    return section(
        "sso.roles",
        field(
            "role_claim",
            "sso.field.role_claim",
            S.errors,
            default_value=S.role_claim,
            hint_key="sso.hint.role_claim",
        ),
        _hint("sso.hint.mapping"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("sso.col.role"), class_name="cc-nowrap"),
                    rx.table.column_header_cell(tr("sso.col.groups")),
                )
            ),
            rx.table.body(rx.foreach(S.role_rows, _mapping_row)),
            width="100%",
            id="sso-mapping",
        ),
        _error("mapping"),
        _default_role(),
    )


def _settings_form() -> rx.Component:
    return form(
        _provider_fields(),
        _domain_fields(),
        _role_fields(),
        rx.card(
            rx.vstack(
                rx.el.label(
                    rx.checkbox(
                        name="enabled",
                        default_checked=S.enabled,
                        id="sso-enabled",
                        aria_label=tr("sso.field.enabled"),
                    ),
                    rx.text(tr("sso.field.enabled"), size="2", weight="medium"),
                    class_name="cc-check",
                ),
                _error("enabled"),
                rx.button(tr("common.save"), type="submit", size="3", id="save-sso"),
                spacing="3",
                align="start",
            ),
            size="3",
            width="100%",
        ),
        on_submit=S.save,
        errors=S.errors,
        key=S.form_round.to_string(),
    )


def _password_section() -> rx.Component:
    return section(
        "sso.password",
        rx.cond(
            S.password_on,
            rx.text(tr("sso.password_is_on"), size="2", id="password-sign-in-state"),
            rx.text(tr("sso.password_is_off"), size="2", id="password-sign-in-state"),
        ),
        rx.cond(
            ~S.actor_proven, rx.text(tr("sso.password_prove_hint"), size="2", color_scheme="gray")
        ),
        rx.cond(
            S.password_error != "",
            rx.callout(
                S.password_error,
                icon="triangle_alert",
                color_scheme="red",
                role="alert",
                id="password-sign-in-error",
            ),
        ),
        rx.cond(
            S.password_on,
            rx.button(
                tr("sso.password_switch_off"),
                on_click=S.switch_password_sign_in(False),
                variant="outline",
                color_scheme="red",
                id="password-sign-in-off",
            ),
            rx.button(
                tr("sso.password_switch_on"),
                on_click=S.switch_password_sign_in(True),
                variant="outline",
                id="password-sign-in-on",
            ),
        ),
    )


def _test_section() -> rx.Component:
    return section(
        "sso.test",
        rx.text(tr("sso.test_intro"), size="2"),
        rx.cond(
            S.actor_proven,
            rx.badge(tr("sso.test_proven"), color_scheme="green", id="sso-proven"),
        ),
        rx.button(
            tr("sso.test_button"),
            on_click=S.test_sign_in,
            variant="soft",
            white_space="normal",
            height="auto",
            min_height="var(--space-6)",
            id="sso-test-sign-in",
        ),
        rx.cond(
            S.test_error != "",
            rx.text(S.test_error, size="2", color_scheme="red", role="alert", id="sso-test-error"),
        ),
    )


@portal_page(
    routes.COMPANY_SIGN_IN,
    S.load,
    title_key="page.company_sign_in",
    right=Permission.COMPANY_MANAGE,
    nav=Nav("nav.sso", "fingerprint", NavGroup.COMPANY, 1),
)
def company_sso_page() -> rx.Component:
    return app_page(
        rx.cond(S.notice != "", notice(S.notice, icon="check")),
        rx.grid(
            rx.box(_settings_form(), grid_row=rx.breakpoints(lg="span 2")),
            rx.vstack(_test_section(), _password_section(), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
            align="start",
        ),
        title_key="sso.title",
        permission=Permission.COMPANY_MANAGE.value,
    )
