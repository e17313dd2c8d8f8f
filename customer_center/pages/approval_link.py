"""/approve?token=…: the approval e-mail's link; approve with a click or reject with a comment."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import app_page
from customer_center.components.ui import notice, tr
from customer_center.domain import routes
from customer_center.state.approval_link import DECIDE, ApprovalLinkState
from customer_center.state.session import SessionState

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


def decision_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(S.summary, weight="medium", id="link-summary"),
            rx.cond(
                S.reasons.length() > 0,
                rx.vstack(
                    rx.text(tr("approval_link.reasons"), size="2", color_scheme="gray"),
                    rx.foreach(S.reasons, lambda r: rx.text("• ", r, size="2")),
                    spacing="1",
                ),
            ),
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


@rx.page(route="/approve", title="Customer Center", on_load=[SessionState.load, S.load])
def approval_link_page() -> rx.Component:
    return app_page(
        rx.card(
            rx.cond(
                S.done_text != "",
                _finished(),
                rx.cond(S.problem != "", _problem(), rx.cond(S.summary != "", decision_form())),
            ),
            size="3",
            max_width="40rem",
            width="100%",
        ),
        title_key="approval_link.title",
        permission=DECIDE,
    )
