"""The seller's side's pages: registration (address, tab title, who it is for, navigation
entry) in one decorator like ``components.portal_page``, and the seller's shell: a header
naming the seller's side, navigation by staff right, language switch and sign-out.

Its navigation is its own: seller pages never appear in the customers' navigation, and the
customers' pages never in the seller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from customer_center.components.layout import (
    account_menu,
    content_main,
    loaded_marker,
    shell_content,
    skip_link,
)
from customer_center.components.navigation import phone_menu
from customer_center.components.portal_page import PUBLIC_ROUTES, Decorator, page_title
from customer_center.components.ui import BRAND, dev_mailbox_link, language_select, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.settings import get_settings
from customer_center.state.base import PortalState
from customer_center.state.page_open import PageOpenState, register_page_loads
from customer_center.state.seller import SellerShellState


@dataclass(frozen=True)
class SellerNav:
    label_key: str
    icon: str
    position: int = 0


@dataclass(frozen=True)
class SellerNavItem:
    route: str
    nav: SellerNav
    right: StaffPermission | None


_REGISTERED: dict[str, SellerNavItem] = {}
SELLER_ROUTES: list[str] = []  # every signed-in seller page (the browser tests visit each)


def seller_nav_items() -> list[SellerNavItem]:
    return sorted(_REGISTERED.values(), key=lambda item: item.nav.position)


def seller_page(
    route: str,
    *loads: Any,
    title_key: str,
    right: StaffPermission | None = None,
    nav: SellerNav | None = None,
) -> Decorator:
    """A signed-in seller page at ``route``: the shell's facts load first (staff only; others
    go to the seller's sign-in), then ``loads``. ``right`` decides who sees its navigation
    entry; the handlers check their own rules anyway."""
    if nav is not None:
        _REGISTERED[route] = SellerNavItem(route, nav, right)
    SELLER_ROUTES.append(route)
    register_page_loads(route, [SellerShellState.load, *loads])  # opened by one event
    return rx.page(route=route, title=page_title(route, title_key), on_load=PageOpenState.open)


def seller_public_route(route: str, *loads: Any, title_key: str) -> Decorator:
    """An anonymous seller page (sign-in, invitation): language first, then the page."""
    PUBLIC_ROUTES.append(route)
    return rx.page(
        route=route,
        title=page_title(route, title_key),
        on_load=[PortalState.detect_language, SellerShellState.load_name, *loads],
    )


def _nav_link(item: SellerNavItem, path: rx.Var[str]) -> rx.Component:
    active = path == item.route
    link = rx.link(
        rx.hstack(
            rx.icon(item.nav.icon, size=18),
            rx.text(tr(item.nav.label_key)),
            spacing="3",
            align="center",
        ),
        href=item.route,
        class_name=rx.cond(active, "cc-nav-link cc-nav-active", "cc-nav-link"),
        aria_current=rx.cond(active, "page", "false"),
        underline="none",
    )
    if item.right is None:
        return link
    return rx.cond(SellerShellState.rights.contains(item.right.value), link)


def seller_nav(path: rx.Var[str]) -> rx.Component:
    links = [_nav_link(item, path) for item in seller_nav_items()]
    return rx.vstack(*links, spacing="1", width="100%")


def side_label() -> rx.Component:
    """Which side this is: the seller's name and "Staff", so nobody mistakes it for a
    customer's portal."""
    return rx.badge(
        rx.icon("briefcase", size=14),
        seller_name_text(),
        color_scheme="orange",
        variant="soft",
        high_contrast=True,
        size="2",
        id="seller-side",
    )


def seller_name_text() -> rx.Component:
    return rx.text(
        tr("seller.side").replace("{seller}", SellerShellState.seller_name), class_name="cc-nowrap"
    )


def _agent_menu() -> rx.Component:
    return account_menu(
        SellerShellState.agent_name,
        SellerShellState.agent_email,
        SellerShellState.sign_out,
        routes.SELLER_ACCOUNT,
    )


def seller_brand() -> rx.Component:
    """The product's mark; on a phone only its icon, so the side's name keeps its room."""
    return rx.link(
        rx.hstack(
            rx.icon("building_2", size=22, color=rx.color("blue", 9)),
            rx.text(BRAND, weight="bold", size="4", class_name="cc-nowrap cc-hide-narrow"),
            spacing="2",
            align="center",
        ),
        href=routes.SELLER,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        aria_label=BRAND,
    )


def seller_header(signed_in: bool = True) -> rx.Component:
    # Signed in, the dev mailbox is in the account menu.
    dev = [dev_mailbox_link()] if get_settings().is_dev and not signed_in else []
    # A banner landmark, so everything on the page sits in one (axe: region); a role, not a
    # <header> around the bar, so the bar stays sticky to the page.
    return rx.hstack(
        seller_brand(),
        side_label(),
        rx.spacer(),
        *dev,
        language_select(),
        *([_agent_menu()] if signed_in else []),
        class_name="cc-header",
        align="center",
        spacing="4",
        width="100%",
        role="banner",
        custom_attrs={} if signed_in else loaded_marker(),
    )


def _allowed(right: StaffPermission | None, *children: rx.Component) -> rx.Component:
    content = rx.fragment(*children)
    if right is None:
        return content
    return rx.cond(
        SellerShellState.rights.contains(right.value),
        content,
        rx.cond(
            SellerShellState.agent_name != "",
            rx.callout(
                tr("error.permission_denied"), icon="lock", color_scheme="amber", id="no-access"
            ),
        ),
    )


def seller_shell(path: rx.Var[str]) -> rx.Component:
    """The seller's shell around its signed-in pages: skip link, header, the phone menu and
    the side navigation (``path``: the address shown). Mounted once, in the frame
    (components/frame.py)."""
    entries = [(item.route, item.nav.label_key) for item in seller_nav_items()]
    return rx.fragment(
        skip_link(),
        seller_header(),
        phone_menu(seller_nav(path), path, entries),
        rx.el.nav(seller_nav(path), aria_label=tr("shell.navigation"), class_name="cc-nav"),
    )


def seller_app_page(
    *children: rx.Component, title_key: str, right: StaffPermission | None = None
) -> rx.Component:
    """A signed-in seller page (the shell around it is the frame's): its heading and its
    content for staff holding ``right``."""
    return shell_content(_allowed(right, *children), title_key=title_key)


def seller_public_page(*children: rx.Component, title_key: str) -> rx.Component:
    """A centred card under the seller's header: its sign-in and invitation pages."""
    return rx.box(
        skip_link(),
        seller_header(signed_in=False),
        content_main(
            rx.center(
                rx.card(
                    rx.vstack(
                        rx.heading(tr(title_key), size="6", as_="h1"),
                        *children,
                        spacing="4",
                        width="100%",
                    ),
                    size="4",
                    class_name="cc-auth-card",
                ),
                class_name="cc-auth-main",
            ),
        ),
        class_name="cc-page",
    )
