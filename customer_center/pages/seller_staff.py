"""``/seller/staff``: the seller's staff for supervisors (``seller.manage_staff``)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ArrayVar

from customer_center.components.forms import field, field_error, form
from customer_center.components.pager import page_text, state_pager
from customer_center.components.seller_page import SellerNav, seller_app_page, seller_page
from customer_center.components.ui import Texts, notice, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.state.base import PortalState
from customer_center.state.seller_staff import SellerStaffState

MANAGE = StaffPermission.MANAGE_STAFF
STATUS_COLORS = {"active": "green", "invited": "amber", "inactive": "gray"}


def rights_boxes(checked: ArrayVar[list[str]] | None, errors: Texts, prefix: str) -> rx.Component:
    def box(right: StaffPermission) -> rx.Component:
        code = right.value
        return rx.el.label(
            rx.checkbox(
                name=f"right:{code}",
                default_checked=checked.contains(code) if checked is not None else False,
                id=f"{prefix}-{code}",
            ),
            rx.vstack(
                rx.text(tr(f"seller.right.{code}"), size="2", weight="medium"),
                rx.text(tr(f"seller.right_hint.{code}"), size="1", color_scheme="gray"),
                spacing="0",
            ),
            class_name="cc-check",
        )

    return rx.vstack(
        rx.text(tr("seller.staff.rights"), class_name="cc-label"),
        rx.vstack(*[box(right) for right in StaffPermission], spacing="2"),
        field_error(errors, "rights"),
        spacing="2",
        width="100%",
        align="start",
    )


def add_form() -> rx.Component:
    state = SellerStaffState
    return rx.card(
        form(
            rx.heading(tr("seller.staff.add_title"), size="4", as_="h2"),
            rx.text(tr("seller.staff.add_intro"), size="2", color_scheme="gray"),
            field("name", "field.name", state.errors, autofocus=True),
            field("email", "field.email", state.errors, type_="email"),
            rights_boxes(None, state.errors, "add"),
            rx.hstack(
                rx.button(
                    tr("seller.staff.send_invitation"),
                    type="submit",
                    size="3",
                    id="add-staff-submit",
                ),
                rx.button(
                    tr("common.cancel"), type="button", variant="soft", on_click=state.close_add
                ),
                spacing="3",
                wrap="wrap",
            ),
            on_submit=state.add,
            errors=state.errors,
            key=state.add_key.to_string(),
            id="add-staff-form",
        ),
        size="3",
        class_name="cc-form-card",
    )


def row_actions(row: Texts) -> rx.Component:
    state = SellerStaffState
    return rx.cond(
        row["own"] == "",
        rx.hstack(
            rx.button(
                tr("seller.staff.change_rights"),
                size="1",
                variant="soft",
                on_click=state.start_edit(row["id"]),
            ),
            rx.cond(
                row["status"] == "inactive",
                rx.button(
                    tr("seller.staff.reactivate"),
                    size="1",
                    variant="soft",
                    on_click=state.reactivate(row["id"]),
                ),
                rx.button(
                    tr("seller.staff.deactivate"),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=state.deactivate(row["id"]),
                ),
            ),
            rx.cond(
                row["status"] == "invited",
                rx.button(
                    tr("seller.staff.resend"),
                    size="1",
                    variant="ghost",
                    on_click=state.resend(row["id"]),
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.text(tr("seller.staff.you"), size="1", color_scheme="gray"),
    )


def rights_text(row: Texts) -> rx.Component:
    """The member's rights in the reader's current language (it may switch on the page)."""
    return rx.cond(
        row["rights_codes"] == "",
        rx.text(tr("seller.staff.no_rights"), size="1", color_scheme="gray"),
        rx.flex(
            rx.foreach(
                row["rights_codes"].split(","),
                lambda code: rx.badge(
                    PortalState.t["seller.right." + code], variant="outline", size="1"
                ),
            ),
            wrap="wrap",
            gap="1",
        ),
    )


def status_badge(row: Texts) -> rx.Component:
    return rx.badge(
        PortalState.t["seller.status." + row["status"]],
        color_scheme=rx.match(row["status"], *STATUS_COLORS.items(), "gray"),
        variant="soft",
        width="fit-content",
    )


def staff_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["name"], weight="medium"),
                rx.text(row["email"], size="1", color_scheme="gray"),
                rx.box(
                    rx.vstack(rights_text(row), status_badge(row), row_actions(row), spacing="2"),
                    class_name="cc-show-narrow",
                ),
                spacing="1",
            )
        ),
        rx.table.cell(rights_text(row), class_name="cc-hide-narrow"),
        rx.table.cell(status_badge(row), class_name="cc-hide-narrow"),
        rx.table.cell(
            rx.cond(row["last_sign_in"] == "", tr("seller.staff.never"), row["last_sign_in"]),
            class_name="cc-hide-narrow",
        ),
        rx.table.cell(row_actions(row), class_name="cc-hide-narrow"),
        class_name="cc-staff-row",
    )


def edit_dialog() -> rx.Component:
    state = SellerStaffState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("seller.staff.rights_of").replace("{name}", state.editing_name)),
            form(
                rights_boxes(state.editing_rights, state.edit_errors, "edit"),
                rx.hstack(
                    rx.button(tr("common.save"), type="submit", id="save-rights"),
                    rx.button(
                        tr("common.cancel"),
                        type="button",
                        variant="soft",
                        on_click=state.cancel_edit,
                    ),
                    spacing="3",
                ),
                on_submit=state.save_rights,
                errors=state.edit_errors,
                key=state.editing_id,
            ),
        ),
        open=state.editing_id != "",
        on_open_change=state.edit_open_changed,
    )


def done_text() -> rx.Var:
    """What was just done, in the language on screen (``{name}`` or ``{email}`` filled in)."""
    state = SellerStaffState
    worded = PortalState.t[state.message].to(str)
    return worded.replace("{name}", state.message_subject).replace("{email}", state.message_subject)


@seller_page(
    routes.SELLER_STAFF,
    SellerStaffState.load,
    title_key="page.seller_staff",
    right=MANAGE,
    nav=SellerNav("seller.nav.staff", "users", 1),
)
def seller_staff_page() -> rx.Component:
    state = SellerStaffState
    return seller_app_page(
        rx.vstack(
            rx.cond(state.message != "", notice(done_text(), icon="check")),
            rx.cond(
                state.errors.contains("") & ~state.adding,
                notice(state.errors[""], "red", "triangle_alert"),
            ),
            rx.cond(
                state.adding,
                add_form(),
                rx.button(
                    rx.icon("user_plus", size=16),
                    tr("seller.staff.add"),
                    on_click=state.open_add,
                    id="add-staff",
                ),
            ),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(tr("seller.staff.column.name")),
                            rx.table.column_header_cell(
                                tr("seller.staff.rights"), class_name="cc-hide-narrow"
                            ),
                            rx.table.column_header_cell(
                                tr("seller.staff.column.status"), class_name="cc-hide-narrow"
                            ),
                            rx.table.column_header_cell(
                                tr("seller.staff.column.last_sign_in"), class_name="cc-hide-narrow"
                            ),
                            rx.table.column_header_cell(
                                tr("seller.staff.column.actions"), class_name="cc-hide-narrow"
                            ),
                        )
                    ),
                    rx.table.body(rx.foreach(state.rows, staff_row)),
                    variant="surface",
                    width="100%",
                    id="staff-table",
                ),
                width="100%",
                class_name="cc-table-wrap",
            ),
            rx.cond(
                state.loaded & (state.total == 0),
                once_loaded(rx.text(tr("seller.staff.none"), color_scheme="gray")),
            ),
            state_pager(
                state,
                page_text("seller.staff.page_of", state.page, state.page_count, state.total),
                id_prefix="staff",
            ),
            edit_dialog(),
            spacing="4",
            width="100%",
        ),
        title_key="seller.staff.title",
        right=MANAGE,
    )
