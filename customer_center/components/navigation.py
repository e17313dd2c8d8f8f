"""The navigation: one entry per page, shown only to users holding the page's right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx

from customer_center.components.approvals import approvals_count_badge
from customer_center.components.shop import cart_count_badge
from customer_center.components.ui import tr
from customer_center.state.session import SessionState


@dataclass(frozen=True)
class NavItem:
    route: str
    label_key: str
    icon: str
    permission: str | tuple[str, ...] | None = None  # None: every signed-in user; a tuple: any of
    badge: Callable[[], rx.Component] | None = None  # shown after the label (a count)


NAV_ITEMS: list[NavItem] = [
    NavItem("/dashboard", "nav.dashboard", "layout_dashboard"),
    NavItem("/catalogue", "nav.catalogue", "package_search", ("documents.view", "orders.create")),
    NavItem("/cart", "nav.cart", "shopping_cart", "orders.create", cart_count_badge),
    NavItem("/approvals", "nav.approvals", "stamp", "approvals.decide", approvals_count_badge),
    NavItem("/orders", "nav.orders", "package", ("orders.view_own", "orders.view_all")),
    NavItem("/users", "nav.users", "users", "users.manage"),
    NavItem("/roles", "nav.roles", "shield_check", "roles.manage"),
    NavItem("/budgets", "nav.budgets", "wallet", "budgets.manage"),
    NavItem("/approval-chains", "nav.approval_chains", "git_branch", "chains.manage"),
    NavItem("/controlling", "nav.controlling", "chart_column", "reports.view"),
    NavItem("/audit", "nav.audit", "scroll_text", "audit.view"),
    NavItem("/company/sign-in", "nav.sso", "fingerprint", "company.manage"),
    NavItem("/company/provisioning", "nav.provisioning", "key_round", "company.manage"),
    NavItem("/profile", "nav.profile", "user_cog"),
]


def _link(item: NavItem) -> rx.Component:
    active = SessionState.router.page.path == item.route
    link = rx.link(
        rx.hstack(
            rx.icon(item.icon, size=18),
            rx.text(tr(item.label_key)),
            *([item.badge()] if item.badge else []),
            spacing="3",
            align="center",
        ),
        href=item.route,
        class_name=rx.cond(active, "cc-nav-link cc-nav-active", "cc-nav-link"),
        aria_current=rx.cond(active, "page", "false"),
        underline="none",
    )
    if item.permission is None:
        return link
    rights = (item.permission,) if isinstance(item.permission, str) else item.permission
    allowed = SessionState.permissions.contains(rights[0])
    for right in rights[1:]:
        allowed = allowed | SessionState.permissions.contains(right)
    return rx.cond(allowed, link)


def nav_links() -> rx.Component:
    return rx.vstack(*[_link(item) for item in NAV_ITEMS], spacing="1", width="100%")
