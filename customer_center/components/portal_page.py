"""Registering a page: its address, its tab title in the reader's language, who it is for and
its place in the navigation, in one decorator.

``@portal_page`` is for signed-in pages (the shell's facts load first), ``@public_route`` for
anonymous ones (the language is detected first). The tab title is a Var: it follows the
language switch like every other text ("Orders · Customer Center", "Bestellungen · Customer
Center").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.vars import StringVar

from customer_center.components.navigation import Nav, Right, register
from customer_center.components.ui import BRAND, tr
from customer_center.state.base import PortalState
from customer_center.state.page_open import PageOpenState, register_page_loads
from customer_center.state.session import SessionState

Decorator = Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]

# route -> the message id of its tab title, as registered (the tests read it)
TITLE_KEYS: dict[str, str] = {}
TITLE_SUFFIX = f" · {BRAND}"
# Every registered page by kind, so the browser tests visit each (axe) without a list by hand.
SIGNED_IN_ROUTES: list[str] = []  # the customers' signed-in pages
PUBLIC_ROUTES: list[str] = []  # anonymous pages of either side


def page_title(route: str, title_key: str | None) -> rx.Var | str:
    """The browser tab's title: the page's name in the reader's language, then the brand."""
    if title_key is None:
        return BRAND
    TITLE_KEYS[route] = title_key
    return tr(title_key) + TITLE_SUFFIX


def tab_title(name: str) -> str:
    """What the tab shows for a page named ``name`` (for the tests and server-side texts)."""
    return name + TITLE_SUFFIX


def portal_page(
    route: str,
    *loads: Any,
    title_key: str,
    right: Right = None,
    nav: Nav | None = None,
    title: StringVar | None = None,
) -> Decorator:
    """A signed-in page at ``route``: the shell's facts load first, then ``loads`` (the page
    states' on_load handlers), all in one event (``state.page_open``). ``right`` decides who
    sees the navigation entry ``nav``; the handlers check their own rights anyway.
    ``title``: a detail page's own tab title (a Var naming what it shows,
    "PO-000004 · Orders"), before the brand."""
    if nav is not None:
        register(route, nav, right)
    SIGNED_IN_ROUTES.append(route)
    tab = page_title(route, title_key) if title is None else title + TITLE_SUFFIX
    if title is not None:
        TITLE_KEYS[route] = title_key
    # One event opens the page: PageOpenState.open runs the shell's and the page's handlers.
    register_page_loads(route, [SessionState.load, *loads])
    return rx.page(route=route, title=tab, on_load=PageOpenState.open)


def public_route(route: str, *loads: Any, title_key: str | None) -> Decorator:
    """An anonymous page: the language is detected first, then the page loads."""
    PUBLIC_ROUTES.append(route)
    return rx.page(
        route=route,
        title=page_title(route, title_key),
        on_load=[PortalState.detect_language, *loads],
    )
