"""/approve?token=…: the approval e-mail's link; approve with a click or reject with a comment."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import app_page
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import notice, tr
from customer_center.domain import routes
from customer_center.state.approval_link import DECIDE, ApprovalLinkState

S = ApprovalLinkState


def _choice(value: str, label_key: str, checked: bool) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="decision",
            value=value,
            default_checked=checked,
            id=f"decision-{value}",
        ),
        rx.text(tr(label_key), as_="span", size="2"),
        class_name="cc-check",
    )


def _error(name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(S.errors[name], id=f"link-{name or 'form'}-error", size="2", color_scheme="red",
                role="alert"),
    )  # fmt: skip


def _lines() -> rx.Component:
    cell = rx.table.cell
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
                        cell(
                            rx.text(line["name"], weight="medium"),
                            rx.text(line["sku"], size="1", color_scheme="gray"),
                        ),
                        cell(line["quantity"]),
                        cell(line["unit_price"], text_align="right", class_name="cc-hide-narrow"),
                        cell(rx.text(line["total"], class_name="cc-nowrap"), text_align="right"),
                        class_name="link-line",
                    ),
                ),
                rx.table.row(
                    cell(rx.text(tr("approvals.field.total"), weight="bold")),
                    cell(S.total_quantity),
                    cell(class_name="cc-hide-narrow"),
                    cell(
                        rx.text(S.total, weight="bold", class_name="cc-nowrap", id="link-total"),
                        text_align="right",
                    ),
                ),
            ),
            variant="surface",
            width="100%",
            id="link-lines",
            aria_label=tr("approval_link.section.lines"),
        ),
        class_name="cc-table-wrap",
        width="100%",
    )


def _item(label: rx.Var, value: rx.Component | rx.Var) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label, min_width="9rem"), rx.data_list.value(value))


def _address(lines: rx.Var) -> rx.Component:
    return rx.vstack(rx.foreach(lines, lambda line: rx.text(line)), spacing="0")


def _details() -> rx.Component:
    return rx.data_list.root(
        rx.cond(S.reference != "", _item(S.reference_label, S.reference)),
        _item(tr("approvals.field.shipping"), S.shipping),
        _item(tr("approvals.field.payment"), S.payment),
        _item(tr("approvals.field.delivery"), _address(S.delivery_lines)),
        _item(tr("approvals.field.billing"), _address(S.billing_lines)),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        size="2",
        id="link-details",
    )


def _conversation() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("approval_link.section.conversation"), size="3", as_="h2"),
        rx.cond(
            S.conversation.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.conversation,
                    lambda e: rx.vstack(
                        rx.text(rx.text.strong(e["who"]), " ", e["text"], size="2"),
                        rx.blockquote(e["body"], size="2"),
                        rx.text(e["when"], size="1", color_scheme="gray"),
                        spacing="1",
                        width="100%",
                        class_name="link-message",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            rx.text(tr("approval_link.no_messages"), size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
        id="link-conversation",
    )


def order_overview() -> rx.Component:
    """What the approver needs to decide without opening the order."""
    return rx.vstack(
        rx.text(S.summary, weight="medium", id="link-summary"),
        rx.cond(
            S.reasons.length() > 0,
            rx.vstack(
                rx.text(tr("approval_link.reasons"), size="2", color_scheme="gray"),
                rx.foreach(S.reasons, lambda r: rx.text("• ", r, size="2")),
                spacing="1",
            ),
        ),
        rx.heading(tr("approval_link.section.lines"), size="3", as_="h2"),
        _lines(),
        rx.heading(tr("approval_link.section.addresses"), size="3", as_="h2"),
        _details(),
        _conversation(),
        rx.separator(size="4"),
        spacing="3",
        width="100%",
    )


def decision_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            order_overview(),
            rx.hstack(
                _choice("approve", "approval_link.approve", True),
                _choice("reject", "approval_link.reject", False),
                spacing="5",
                wrap="wrap",
            ),
            rx.el.label(
                tr("approval_link.comment"), html_for="link-comment", class_name="cc-label"
            ),
            rx.text_area(name="comment", id="link-comment", rows="3", width="100%"),
            _error("comment"),
            _error(""),
            rx.hstack(
                rx.button(tr("approval_link.confirm"), type="submit", id="confirm-decision"),
                rx.link(tr("approval_link.open_order"), href=S.order_href, size="2"),
                spacing="4",
                align="center",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.decide,
        reset_on_submit=False,
        width="100%",
    )


def _finished() -> rx.Component:
    return rx.vstack(
        notice(S.done_text, icon="check"),
        rx.link(tr("approval_link.open_order"), href=S.order_href, id="link-open-order"),
        spacing="3",
    )


def _problem() -> rx.Component:
    return rx.vstack(
        notice(S.problem, color="amber", icon="info"),
        rx.link(tr("approval_link.to_inbox"), href=routes.APPROVALS),
        spacing="3",
    )


@portal_page(routes.APPROVE, S.load, title_key="page.approve")
def approval_link_page() -> rx.Component:
    return app_page(
        rx.card(
            rx.cond(
                S.done_text != "",
                _finished(),
                rx.cond(S.problem != "", _problem(), rx.cond(S.summary != "", decision_form())),
            ),
            size=rx.breakpoints(initial="2", sm="3"),
            max_width="56rem",
            width="100%",
        ),
        title_key="approval_link.title",
        permission=DECIDE,
    )
