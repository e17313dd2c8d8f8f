"""The navigation: one entry per page, shown only to users holding the page's right.

Pages register their entries with the page decorator (``components.portal_page``); this module
keeps them and lays them out by group and position, so no page is listed twice by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from customer_center.components.ui import tr
from customer_center.domain.permissions import Permission
from customer_center.state.session import SessionState

# A page's right: one right, any one of several, or None for every signed-in user.
Right = Permission | tuple[Permission, ...] | None


class NavGroup(IntEnum):
    """The navigation's sections, top to bottom."""

    START = 1
    SHOP = 2
    PEOPLE = 3
    REPORTS = 4
    COMPANY = 5
    ACCOUNT = 6


@dataclass(frozen=True)
class Nav:
    """How a page appears in the navigation: its label, icon and place (group, position)."""

    label_key: str
    icon: str
    group: NavGroup
    position: int = 0
    # shown after the label (a count); called with with_id=False for the phone menu's copy
    # of the links, so the page holds each badge's id once
    badge: Callable[..., rx.Component] | None = None


@dataclass(frozen=True)
class NavItem:
    route: str
    nav: Nav
    rights: tuple[Permission, ...]  # empty: every signed-in user; several: any one of them


_REGISTERED: dict[str, NavItem] = {}


def rights_of(right: Right) -> tuple[Permission, ...]:
    if right is None:
        return ()
    return (right,) if isinstance(right, Permission) else tuple(right)


def register(route: str, nav: Nav, right: Right) -> None:
    """Called by the page decorator when a page module is imported."""
    _REGISTERED[route] = NavItem(route, nav, rights_of(right))


def nav_items() -> list[NavItem]:
    """The registered entries in their order (every page module is imported by then: the
    app module imports all pages before any page renders)."""
    return sorted(_REGISTERED.values(), key=lambda item: (item.nav.group, item.nav.position))


def holds_any(rights: tuple[Permission, ...]) -> rx.Var[bool]:
    """Whether the signed-in user holds at least one of ``rights`` (as the shell knows them)."""
    allowed: rx.Var[bool] = SessionState.permissions.contains(rights[0].value)
    for right in rights[1:]:
        allowed = allowed | SessionState.permissions.contains(right.value)
    return allowed


def prefetched_link(child: rx.Component, *, route: str) -> rx.Component:
    """A link inside the app whose page code the browser loads as soon as the link shows
    (React Router's ``prefetch="render"``: ``<link rel="modulepreload">`` of the route's
    modules), so a first visit from the navigation does not wait for its chunk."""
    return ReactRouterLink.create(child, to=route, custom_attrs={"prefetch": "render"})


def _link(item: NavItem, path: rx.Var[str], *, badge_ids: bool) -> rx.Component:
    active = path == item.route
    nav = item.nav
    link = rx.link(
        prefetched_link(
            rx.hstack(
                rx.icon(nav.icon, size=18),
                rx.text(tr(nav.label_key)),
                *([nav.badge(with_id=badge_ids)] if nav.badge else []),
                spacing="3",
                align="center",
            ),
            route=item.route,
        ),
        href=item.route,
        as_child=True,
        class_name=rx.cond(active, "cc-nav-link cc-nav-active", "cc-nav-link"),
        aria_current=rx.cond(active, "page", "false"),
        underline="none",
    )
    return rx.cond(holds_any(item.rights), link) if item.rights else link


def nav_links(path: rx.Var[str], *, badge_ids: bool = True) -> rx.Component:
    """The entries the user may see, the one of ``path`` marked current; ``badge_ids=False``
    for a second copy on the page."""
    links = [_link(item, path, badge_ids=badge_ids) for item in nav_items()]
    return rx.vstack(*links, spacing="1", width="100%")


def current_label(path: rx.Var, entries: list[tuple[str, str]]) -> rx.Var:
    """The navigation label of the page at ``path`` (route, label key pairs), else "Menu"."""
    if not entries:
        return tr("shell.menu")
    return rx.match(path, *[(route, tr(key)) for route, key in entries], tr("shell.menu"))


def phone_menu(
    links: rx.Component, path: rx.Var, entries: list[tuple[str, str]] | None = None
) -> rx.Component:
    """On a phone, the navigation folds into one menu button that names the current page;
    opened, it lists every entry the user may see, the current one marked (aria-current and
    a bar). Hidden on wider screens, where the side navigation shows. Following a link closes
    it: the menu is keyed by ``path``, so a new address mounts it anew (closed)."""
    if entries is None:
        entries = [(item.route, item.nav.label_key) for item in nav_items()]
    return rx.el.nav(
        rx.el.details(
            rx.el.summary(
                rx.icon("menu", size=18, aria_hidden="true"),
                rx.text(tr("shell.menu"), weight="medium", as_="span"),
                rx.text("·", as_="span", aria_hidden="true", color_scheme="gray"),
                rx.text(current_label(path, entries), as_="span", class_name="cc-phone-current"),
                class_name="cc-phone-summary",
            ),
            links,
            class_name="cc-phone-details",
            key=path,
        ),
        aria_label=tr("shell.menu"),
        class_name="cc-phone-nav",
    )
