"""Pieces of the approvals pages shared with the shell: the count in the navigation."""

from __future__ import annotations

import reflex as rx

from customer_center.state.approvals import ApprovalsBadgeState


def approvals_count_badge(*, with_id: bool = True) -> rx.Component:
    """How many orders wait for the user; filled by every signed-in page's on_load."""
    return rx.el.span(
        rx.cond(
            ApprovalsBadgeState.waiting > 0,
            rx.badge(
                ApprovalsBadgeState.waiting.to_string(),
                variant="solid",
                color_scheme="amber",
                radius="full",
                size="1",
                **({"id": "approvals-count"} if with_id else {}),
            ),
        ),
    )
