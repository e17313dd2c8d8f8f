"""/orders/[order_id]: one order with its lines, approval, revisions, timeline and actions."""

from __future__ import annotations

from typing import Any

import reflex as rx

from customer_center.components.forms import OnSubmit
from customer_center.components.layout import app_page
from customer_center.components.order_documents import order_documents_card, order_totals_card
from customer_center.components.order_stepper import journey_card
from customer_center.components.portal_page import portal_page
from customer_center.components.reorder import reorder_box
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.orders import ADDRESS_FIELDS
from customer_center.state.order_documents import OrderDocumentsState
from customer_center.state.order_totals import OrderTotalsState
from customer_center.state.order_view import OrderViewState
from customer_center.state.reorder import ReorderState
from customer_center.state.shopping_lists import ListPickerState

S = OrderViewState


def section(title_key: str, *children: rx.Component, **props: Any) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), size="3", as_="h2"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        **props,
    )


def error_of(key: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(key),
        rx.text(S.errors[key], size="2", color_scheme="red", role="alert"),
    )


# --- header and summary --------------------------------------------------------------------


def order_header() -> rx.Component:
    return rx.flex(
        rx.heading(S.number, size="6", as_="h2", id="order-number"),
        rx.badge(
            S.status_label, color_scheme=S.status_color, size="3", variant="soft", id="order-status"
        ),
        rx.spacer(),
        rx.link(
            rx.hstack(rx.icon("life_buoy", size=16), tr("cases.ask_about_order"), spacing="1"),
            href=S.ask_href,
            id="ask-about-order",
            size="2",
        ),
        rx.cond(
            S.return_href != "",
            rx.link(
                rx.hstack(rx.icon("undo_2", size=16), tr("returns.return_items"), spacing="1"),
                href=S.return_href,
                id="return-items",
                size="2",
            ),
        ),
        rx.cond(
            S.credit_href != "",
            rx.link(
                rx.hstack(rx.icon("receipt", size=16), tr("returns.request_credit"), spacing="1"),
                href=S.credit_href,
                id="request-credit",
                size="2",
            ),
        ),
        rx.text(
            tr("approvals.placed_by").replace("{name}", S.requester).replace("{when}", S.submitted),
            color_scheme="gray",
            size="2",
        ),
        align="center",
        spacing="3",
        wrap="wrap",
        width="100%",
    )


def summary_item(label_key: str, value: rx.Component | rx.Var) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(tr(label_key), min_width="9rem"),
        rx.data_list.value(value),
    )


def address_block(lines: rx.Var) -> rx.Component:
    return rx.vstack(rx.foreach(lines, lambda line: rx.text(line)), spacing="0")


def summary_card() -> rx.Component:
    return section(
        "approvals.section.details",
        rx.data_list.root(
            summary_item(
                "approvals.field.total", rx.text(S.total, weight="bold", id="order-total")
            ),
            rx.data_list.item(
                rx.data_list.label(S.reference_label, min_width="9rem"),
                rx.data_list.value(S.reference),
            ),
            summary_item("approvals.field.payment", S.payment),
            summary_item("approvals.field.shipping", rx.text(S.shipping, id="order-shipping")),
            summary_item("approvals.field.delivery", address_block(S.delivery_lines)),
            summary_item("approvals.field.billing", address_block(S.billing_lines)),
            rx.cond(S.erp_number != "", summary_item("approvals.field.erp_number", S.erp_number)),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            size="2",
        ),
    )


def reasons_card() -> rx.Component:
    """Why the order waits while it waits; what became of it otherwise."""
    return rx.cond(
        S.state_note != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.callout.text(S.state_note),
            color_scheme=S.status_color,
            width="100%",
            id="order-state-note",
        ),
        rx.cond(S.reasons.length() > 0, waiting_reasons()),
    )


def waiting_reasons() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle_alert")),
        rx.vstack(
            rx.text(tr("approvals.reasons"), weight="bold"),
            rx.foreach(S.reasons, lambda r: rx.text("• ", r)),
            spacing="1",
        ),
        color_scheme="amber",
        width="100%",
        id="order-reasons",
    )


def budget_card() -> rx.Component:
    return rx.cond(
        S.budget_lines.length() > 0,
        section(
            "approvals.section.budget",
            rx.vstack(
                rx.foreach(S.budget_lines, lambda line: rx.text(line, size="2")), spacing="1"
            ),
            rx.cond(S.budget_period != "", rx.text(S.budget_period, size="2", color_scheme="gray")),
            id="order-budget",
        ),
    )


def chain_card() -> rx.Component:
    def member(level: Texts) -> rx.Component:
        return rx.foreach(
            S.chain_members,
            lambda m: rx.cond(
                m["level"] == level["number"],
                rx.hstack(
                    rx.icon(
                        rx.match(
                            m["status"],
                            ("approved", "circle_check"),
                            ("rejected", "circle_x"),
                            ("waiting", "clock"),
                            "circle",
                        ),
                        size=16,
                        color=rx.match(
                            m["status"],
                            ("approved", rx.color("green", 9)),
                            ("rejected", rx.color("red", 9)),
                            ("waiting", rx.color("amber", 9)),
                            rx.color("gray", 9),
                        ),
                        flex_shrink="0",
                    ),
                    rx.text(rx.text.strong(m["name"]), " · ", m["state"], size="2"),
                    spacing="2",
                    align="start",
                ),
            ),
        )

    return rx.cond(
        S.chain.length() > 0,
        section(
            "approvals.section.chain",
            rx.foreach(
                S.chain,
                lambda level: rx.vstack(
                    rx.text(
                        level["label"],
                        weight=rx.cond(level["current"] != "", "bold", "regular"),
                        size="2",
                    ),
                    member(level),
                    spacing="1",
                    padding_left="0.5rem",
                    border_left=rx.cond(
                        level["current"] != "",
                        f"3px solid {rx.color('amber', 9)}",
                        f"3px solid {rx.color('gray', 5)}",
                    ),
                    width="100%",
                ),
            ),
            id="order-chain",
        ),
    )


# --- lines, with the editor of a change ----------------------------------------------------


def quantity_cell(line: Texts) -> rx.Component:
    sku = line["sku"].to(str)
    removed = S.edit_removed.contains(sku)
    return rx.cond(
        S.editing != "",
        rx.vstack(
            rx.hstack(
                rx.input(
                    value=S.edit_quantities[sku],
                    on_change=lambda value: S.set_quantity(sku, value),
                    type="number",
                    min=1,
                    width="5.5rem",
                    disabled=removed,
                    aria_label=tr("approvals.column.quantity"),
                    class_name="edit-quantity",
                ),
                rx.icon_button(
                    rx.icon(rx.cond(removed, "undo_2", "trash_2"), size=16),
                    variant="soft",
                    color_scheme=rx.cond(removed, "gray", "red"),
                    on_click=lambda: S.toggle_remove(sku),
                    type="button",
                    aria_label=rx.cond(
                        removed, tr("approvals.keep_line"), tr("approvals.remove_line")
                    ),
                    title=rx.cond(removed, tr("approvals.keep_line"), tr("approvals.remove_line")),
                    class_name="remove-line",
                ),
                spacing="2",
                align="center",
            ),
            rx.cond(
                S.errors.contains("quantity." + sku),
                rx.text(S.errors["quantity." + sku], size="1", color_scheme="red"),
            ),
            spacing="1",
        ),
        rx.text(line["quantity"]),
    )


def lines_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("approvals.column.product")),
                    rx.table.column_header_cell(tr("approvals.column.quantity")),
                    rx.table.column_header_cell(
                        tr("approvals.column.unit_price"),
                        text_align="right",
                        class_name="cc-hide-narrow",
                    ),
                    rx.table.column_header_cell(tr("approvals.column.total"), text_align="right"),
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.lines,
                    lambda line: rx.table.row(
                        rx.table.cell(
                            rx.vstack(
                                rx.text(line["name"], weight="medium"),
                                rx.text(line["sku"], size="1", color_scheme="gray"),
                                spacing="0",
                            )
                        ),
                        rx.table.cell(quantity_cell(line)),
                        rx.table.cell(
                            rx.text(line["unit_price"], class_name="cc-nowrap"),
                            text_align="right",
                            class_name="cc-hide-narrow",
                        ),
                        rx.table.cell(
                            rx.text(line["total"], class_name="cc-nowrap"), text_align="right"
                        ),
                        class_name="order-line",
                        opacity=rx.cond(S.edit_removed.contains(line["sku"].to(str)), "0.5", "1"),
                    ),
                ),
                rx.table.row(
                    rx.table.cell(rx.text(tr("approvals.field.total"), weight="bold")),
                    rx.table.cell(S.total_quantity),
                    rx.table.cell(class_name="cc-hide-narrow"),
                    rx.table.cell(
                        rx.text(S.total, weight="bold", class_name="cc-nowrap"),
                        text_align="right",
                    ),
                ),
            ),
            variant="surface",
            width="100%",
            id="order-lines",
        ),
        class_name="cc-table-wrap",
        width="100%",
    )


def change_header_fields() -> rx.Component:
    """Delivery address and shipping: only an approver's change touches them."""
    return rx.cond(
        S.editing == "change",
        rx.vstack(
            rx.text(tr("approvals.field.delivery"), weight="bold", size="2"),
            rx.grid(
                *[
                    rx.vstack(
                        rx.el.label(
                            tr(f"orders.address.{name}"),
                            html_for=f"address_{name}",
                            class_name="cc-label",
                        ),
                        rx.input(
                            id=f"address_{name}",
                            name=f"address_{name}",
                            default_value=S.edit_address[name],
                            width="100%",
                        ),
                        error_of(f"delivery_address.{name}"),
                        spacing="1",
                        width="100%",
                    )
                    for name in ADDRESS_FIELDS
                ],
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                rx.el.label(tr("approvals.field.shipping"), class_name="cc-label"),
                rx.select.root(
                    rx.select.trigger(
                        aria_label=tr("approvals.field.shipping"), id="edit-shipping"
                    ),
                    rx.select.content(
                        rx.foreach(
                            S.shipping_options,
                            lambda o: rx.select.item(o["label"], value=o["value"]),
                        )
                    ),
                    value=S.edit_shipping,
                    on_change=S.set_shipping,
                ),
                error_of("shipping_method"),
                spacing="1",
            ),
            spacing="3",
            width="100%",
        ),
    )


def _edit_form(on_submit: OnSubmit) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.callout(
                rx.cond(
                    S.editing == "change",
                    tr("approvals.edit.change_hint"),
                    tr("approvals.edit.resubmit_hint"),
                ),
                icon="pencil",
                color_scheme="blue",
                width="100%",
            ),
            error_of("lines"),
            error_of(""),
            change_header_fields(),
            rx.el.label(
                rx.cond(
                    S.editing == "change",
                    tr("approvals.edit.comment_optional"),
                    tr("approvals.edit.comment_required"),
                ),
                html_for="edit-comment",
                class_name="cc-label",
            ),
            rx.text_area(name="comment", id="edit-comment", width="100%", rows="3"),
            error_of("comment"),
            rx.hstack(
                rx.button(
                    rx.cond(
                        S.editing == "change",
                        tr("approvals.edit.save_change"),
                        tr("approvals.edit.resubmit"),
                    ),
                    type="submit",
                    id="edit-submit",
                    disabled=~S.is_hydrated,
                ),
                rx.button(
                    tr("approvals.edit.discard"),
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.stop_edit,
                ),
                spacing="2",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
        id="edit-form",
    )


def edit_form() -> rx.Component:
    return rx.match(
        S.editing,
        ("change", _edit_form(S.save_change)),
        ("resubmit", _edit_form(S.resubmit)),
        rx.fragment(),
    )


def lines_card() -> rx.Component:
    return section("approvals.section.lines", lines_table(), edit_form())


# --- actions -------------------------------------------------------------------------------


def decision_box() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            tr("approvals.decision.comment"), html_for="decision-comment", class_name="cc-label"
        ),
        rx.text_area(
            id="decision-comment",
            default_value=S.decision_comment,
            on_blur=S.set_decision_comment,
            rows="3",
            width="100%",
        ),
        error_of("comment"),
        spacing="1",
        width="100%",
    )


def actions_card() -> rx.Component:
    approver = rx.cond(
        S.can_decide,
        rx.vstack(
            rx.text(tr("approvals.decision.hint"), size="2", color_scheme="gray"),
            decision_box(),
            rx.flex(
                rx.button(
                    rx.icon("check", size=16),
                    tr("approvals.decision.approve"),
                    color_scheme="green",
                    on_click=S.approve,
                    id="approve",
                    disabled=~S.is_hydrated | (S.editing != ""),
                ),
                rx.button(
                    rx.icon("x", size=16),
                    tr("approvals.decision.reject"),
                    color_scheme="red",
                    variant="soft",
                    on_click=S.reject,
                    id="reject",
                    disabled=~S.is_hydrated | (S.editing != ""),
                ),
                rx.button(
                    rx.icon("pencil", size=16),
                    tr("approvals.decision.change"),
                    variant="soft",
                    on_click=S.start_edit("change"),
                    id="start-change",
                    disabled=S.editing != "",
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(
                S.editing == "change",
                rx.text(
                    tr("order_fields.decide_after_change"),
                    size="2",
                    color_scheme="amber",
                    id="decide-after-change",
                ),
            ),
            spacing="3",
            width="100%",
        ),
    )
    requester = rx.cond(
        S.can_resubmit | S.can_cancel,
        rx.vstack(
            rx.cond(
                S.can_resubmit,
                rx.text(tr("approvals.requester.rejected_hint"), size="2", color_scheme="gray"),
            ),
            rx.flex(
                rx.cond(
                    S.can_resubmit,
                    rx.button(
                        rx.icon("send", size=16),
                        tr("approvals.requester.change_resubmit"),
                        on_click=S.start_edit("resubmit"),
                        id="start-resubmit",
                        disabled=S.editing != "",
                    ),
                ),
                rx.cond(
                    S.can_cancel,
                    rx.button(
                        rx.icon("ban", size=16),
                        tr("approvals.requester.cancel"),
                        color_scheme="gray",
                        variant="soft",
                        on_click=S.cancel_order,
                        id="cancel-order",
                    ),
                ),
                spacing="2",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
    )
    return rx.cond(
        S.can_decide | S.can_resubmit | S.can_cancel,
        section("approvals.section.actions", approver, requester, id="order-actions"),
    )


# --- revisions and the timeline --------------------------------------------------------------


def revisions_card() -> rx.Component:
    def revision(rev: Texts) -> rx.Component:
        return rx.vstack(
            rx.hstack(
                rx.text(rev["title"], weight="bold", size="2"),
                rx.text(rev["author"], " · ", rev["when"], size="1", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
                align="baseline",
            ),
            rx.foreach(
                S.revision_changes,
                lambda change: rx.cond(
                    change["revision"] == rev["number"],
                    rx.text("• ", change["text"], size="2", class_name="revision-change"),
                ),
            ),
            rx.cond(
                rev["comment"] != "",
                rx.text("“", rev["comment"], "”", size="2", style={"font_style": "italic"}),
            ),
            spacing="1",
            width="100%",
            class_name="revision",
        )

    return rx.cond(
        S.revisions.length() > 1,
        section(
            "approvals.section.revisions",
            rx.vstack(rx.foreach(S.revisions, revision), spacing="3", width="100%"),
            id="order-revisions",
        ),
    )


def timeline_card() -> rx.Component:
    def entry(event: Texts) -> rx.Component:
        return rx.hstack(
            rx.box(
                width="10px",
                height="10px",
                border_radius="50%",
                background=rx.match(
                    event["kind"],
                    ("approved", rx.color("green", 9)),
                    ("rejected", rx.color("red", 9)),
                    ("comment", rx.color("blue", 9)),
                    rx.color("gray", 8),
                ),
                margin_top="0.4rem",
                flex_shrink="0",
            ),
            rx.vstack(
                rx.text(
                    rx.text.strong(event["who"]),
                    " ",
                    event["text"],
                    size="2",
                ),
                rx.cond(
                    event["body"] != "",
                    rx.blockquote(event["body"], size="2", class_name="timeline-body"),
                ),
                rx.text(event["when"], size="1", color_scheme="gray"),
                spacing="1",
                width="100%",
            ),
            spacing="3",
            align="start",
            width="100%",
            class_name="timeline-entry",
        )

    return section(
        "approvals.section.timeline",
        rx.vstack(rx.foreach(S.timeline, entry), spacing="3", width="100%", id="order-timeline"),
        rx.cond(
            S.can_comment,
            rx.form(
                rx.vstack(
                    rx.el.label(
                        tr("approvals.comment.label"), html_for="message", class_name="cc-label"
                    ),
                    rx.text_area(name="message", id="message", rows="2", width="100%"),
                    error_of("message"),
                    rx.button(
                        rx.icon("message_square", size=16),
                        tr("approvals.comment.send"),
                        type="submit",
                        variant="soft",
                        id="send-comment",
                        disabled=~S.is_hydrated,
                    ),
                    spacing="2",
                    width="100%",
                    align="start",
                ),
                on_submit=S.add_comment,
                reset_on_submit=True,
                width="100%",
            ),
        ),
    )


def order_content() -> rx.Component:
    return rx.vstack(
        order_header(),
        rx.cond(S.conflict != "", notice(S.conflict, color="amber", icon="refresh_cw")),
        rx.cond(S.notice != "", rx.box(notice(S.notice), id="order-notice", width="100%")),
        reasons_card(),
        rx.cond(S.steps.length() > 0, journey_card(S.steps, S.shipments, S.shipment_lines)),
        rx.grid(
            rx.vstack(
                lines_card(),
                order_totals_card(),
                revisions_card(),
                timeline_card(),
                spacing="4",
                width="100%",
            ),
            rx.vstack(
                actions_card(),
                reorder_box(),
                summary_card(),
                order_documents_card(),
                chain_card(),
                budget_card(),
                spacing="4",
                width="100%",
            ),
            grid_template_columns=rx.breakpoints(
                initial="minmax(0, 1fr)", lg="minmax(0, 3fr) minmax(0, 2fr)"
            ),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


@portal_page(
    routes.ORDER,
    OrderViewState.load,
    ReorderState.load,
    OrderDocumentsState.load,
    OrderTotalsState.load,
    ListPickerState.load_own,
    title_key="page.order",
    # "PO-000004 · Orders · Customer Center" once the order is shown
    title=rx.cond(S.number != "", S.number + " · " + tr("page.orders"), tr("page.order")),
)
def order_view_page() -> rx.Component:
    return app_page(
        rx.cond(
            S.found,
            order_content(),
            rx.cond(S.loaded, notice(S.problem, color="red", icon="search_x"), rx.spinner()),
        ),
        title_key="approvals.order_title",
    )
