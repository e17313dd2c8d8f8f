"""Take over employees the ERP already knows: select, give roles, invite in one step."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field_error, form
from customer_center.components.layout import app_page
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, once_loaded, tr
from customer_center.domain import routes
from customer_center.pages.users import MANAGE, language_field, role_checkboxes
from customer_center.state.erp_contacts import ErpContactsState
from customer_center.state.session import SessionState

S = ErpContactsState


# Ticks every box of the page, or clears them when all are ticked; each click reaches the
# state through the box's own on_change, so the count stays right.
TOGGLE_PAGE = (
    "const boxes = [...document.querySelectorAll('.cc-contact-row [role=checkbox]')];"
    "const all = boxes.every(b => b.dataset.state === 'checked');"
    "boxes.filter(b => (b.dataset.state === 'checked') === all).forEach(b => b.click());"
)


def contact_row(contact: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                name="contact:" + contact["id"],
                id="contact-" + contact["id"],
                aria_label=contact["name"],
                on_change=lambda checked: S.mark(contact["id"], checked),
            )
        ),
        rx.table.row_header_cell(
            rx.el.label(contact["name"], html_for="contact-" + contact["id"], class_name="cc-label")
        ),
        rx.table.cell(contact["email"], class_name="cc-hide-narrow"),
        rx.table.cell(contact["role"], class_name="cc-hide-narrow"),
        rx.table.cell(person_roles(contact)),
        key=contact["id"],
        class_name="cc-contact-row",
    )


def person_roles(contact: Texts) -> rx.Component:
    """The roles of this one person, chosen in the same step as the invitation."""
    return rx.flex(
        rx.foreach(
            S.role_options,
            lambda role: rx.el.label(
                rx.checkbox(
                    name="roles:" + contact["id"] + ":" + role["id"],
                    aria_label=role["label"] + " · " + contact["name"],
                    class_name="cc-person-role",
                ),
                rx.text(role["label"], size="1"),
                class_name="cc-check",
            ),
        ),
        spacing="2",
        wrap="wrap",
        class_name="cc-person-roles",
    )


def select_page_box() -> rx.Component:
    all_ticked = (S.contacts.length() > 0) & (S.selected.length() == S.contacts.length())
    return rx.checkbox(
        checked=all_ticked,
        on_click=rx.call_script(TOGGLE_PAGE),
        aria_label=tr("erp_contacts.select_page"),
        title=tr("erp_contacts.select_page"),
        class_name="cc-select-page",
    )


def contacts_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(select_page_box()),
                    rx.table.column_header_cell(tr("users.column.name")),
                    rx.table.column_header_cell(
                        tr("users.column.email"), class_name="cc-hide-narrow"
                    ),
                    rx.table.column_header_cell(
                        tr("erp_contacts.position"), class_name="cc-hide-narrow"
                    ),
                    rx.table.column_header_cell(tr("erp_contacts.roles_of_person")),
                )
            ),
            rx.table.body(rx.foreach(S.contacts, contact_row)),
            variant="surface",
            width="100%",
        ),
        class_name="cc-table-wrap",
    )


def contacts_pager() -> rx.Component:
    return state_pager(
        S, page_text("erp_contacts.page_of", S.page, S.page_count, S.total), id_prefix="erp"
    )


def invite_button() -> rx.Component:
    count = S.selected.length()
    return rx.button(
        rx.icon("send", size=16),
        rx.cond(
            count > 0,
            tr("erp_contacts.invite_count").replace("{count}", count.to_string()),
            tr("erp_contacts.invite"),
        ),
        type="submit",
        size="3",
        id="invite-contacts",
    )


def invite_form() -> rx.Component:
    return form(
        contacts_table(),
        contacts_pager(),
        field_error(S.errors, "contacts"),
        rx.vstack(
            rx.text(tr("erp_contacts.roles_default_hint"), size="2", color_scheme="gray"),
            role_checkboxes(S.role_options, None, S.errors),
            spacing="2",
            id="default-roles",
            width="100%",
        ),
        rx.box(language_field(SessionState.lang, S.errors), max_width="20rem", width="100%"),
        invite_button(),
        on_submit=S.invite,
        errors=S.errors,
    )


@portal_page(routes.USERS_ERP, S.load, title_key="page.users_erp")
def users_erp_page() -> rx.Component:
    return app_page(
        rx.text(tr("erp_contacts.intro"), size="2", color_scheme="gray"),
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=tr("users.search_placeholder"),
            on_change=S.set_search.debounce(300),
            aria_label=tr("users.search_placeholder"),
            max_width="24rem",
        ),
        rx.cond(
            S.contacts.length() == 0,
            once_loaded(
                rx.text(
                    rx.cond(S.search == "", tr("erp_contacts.none"), tr("erp_contacts.no_match")),
                    color_scheme="gray",
                    id="erp-empty",
                )
            ),
            invite_form(),
        ),
        title_key="erp_contacts.title",
        permission=MANAGE,
    )
