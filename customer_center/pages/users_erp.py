"""Take over employees the ERP already knows: select, give roles, invite in one step."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import form
from customer_center.components.layout import app_page
from customer_center.components.ui import tr
from customer_center.pages.users import MANAGE, language_field, role_checkboxes
from customer_center.state.erp_contacts import ErpContactsState
from customer_center.state.session import SessionState

S = ErpContactsState


def contact_row(contact: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                name="contact:" + contact["id"],
                id="contact-" + contact["id"],
                aria_label=contact["name"],
            )
        ),
        rx.table.row_header_cell(
            rx.el.label(contact["name"], html_for="contact-" + contact["id"], class_name="cc-label")
        ),
        rx.table.cell(contact["email"], class_name="cc-hide-narrow"),
        rx.table.cell(contact["role"], class_name="cc-hide-narrow"),
        class_name="cc-contact-row",
    )


@rx.page(route="/users/erp", title="Customer Center", on_load=[SessionState.load, S.load])
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
        form(
            rx.cond(
                S.contacts.length() == 0,
                rx.text(tr("erp_contacts.none"), color_scheme="gray", id="erp-empty"),
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(""),
                                rx.table.column_header_cell(tr("users.column.name")),
                                rx.table.column_header_cell(
                                    tr("users.column.email"), class_name="cc-hide-narrow"
                                ),
                                rx.table.column_header_cell(
                                    tr("erp_contacts.position"), class_name="cc-hide-narrow"
                                ),
                            )
                        ),
                        rx.table.body(rx.foreach(S.contacts, contact_row)),
                        variant="surface",
                        width="100%",
                    ),
                    class_name="cc-table-wrap",
                ),
            ),
            rx.cond(
                S.errors.contains("contacts"),
                rx.text(
                    S.errors["contacts"],
                    id="contacts-error",
                    size="2",
                    color_scheme="red",
                    role="alert",
                ),
            ),
            role_checkboxes(S.role_options, None, S.errors),
            rx.box(language_field(SessionState.lang, S.errors), max_width="20rem", width="100%"),
            rx.button(
                rx.icon("send", size=16),
                tr("erp_contacts.invite"),
                type="submit",
                size="3",
                id="invite-contacts",
            ),
            on_submit=S.invite,
            errors=S.errors,
        ),
        title_key="erp_contacts.title",
        permission=MANAGE,
    )
