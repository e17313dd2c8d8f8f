"""Shop pieces used outside the shop pages: the cart's count in the navigation."""

from __future__ import annotations

import reflex as rx

from customer_center.state.cart import CartBadgeState


def cart_count_badge(*, with_id: bool = True) -> rx.Component:
    """The number of products in the cart; filled by every signed-in page's on_load."""
    return rx.el.span(
        rx.cond(
            CartBadgeState.count > 0,
            rx.badge(
                CartBadgeState.count.to_string(),
                variant="solid",
                radius="full",
                size="1",
                **({"id": "cart-count"} if with_id else {}),
            ),
        ),
    )
