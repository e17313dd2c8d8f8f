"""The frame around every page: which shell it shows is decided by the address alone."""

from __future__ import annotations

import re

import customer_center.customer_center as portal
from customer_center.components.frame import on_routes, portal_frame, route_pattern
from customer_center.components.portal_page import PUBLIC_ROUTES, SIGNED_IN_ROUTES
from customer_center.components.seller_page import SELLER_ROUTES
from customer_center.domain import routes


def _matches(route_list: list[str], path: str) -> bool:
    return re.fullmatch(route_pattern(route_list), path) is not None


def test_the_customers_shell_shows_on_their_signed_in_pages_only() -> None:
    for path in ("/dashboard", "/users", "/users/", routes.order_path(42), routes.user_path(7)):
        assert _matches(SIGNED_IN_ROUTES, path), path
    for path in ("/sign-in", "/seller/companies", "/orders/42/x", "/dashboardx", "/", "/xyz"):
        assert not _matches(SIGNED_IN_ROUTES, path), path


def test_the_sellers_shell_shows_on_the_sellers_signed_in_pages_only() -> None:
    assert _matches(SELLER_ROUTES, routes.seller_company_path(3, routes.SELLER_COMPANY_ORDERS))
    assert not _matches(SELLER_ROUTES, "/seller/sign-in")
    assert not _matches(SELLER_ROUTES, "/orders")


def test_no_address_gets_two_shells_and_public_pages_get_none() -> None:
    assert not set(SIGNED_IN_ROUTES) & set(SELLER_ROUTES)
    for route in PUBLIC_ROUTES:
        path = re.sub(r"\[\w+\]", "1", route)
        assert not _matches(SIGNED_IN_ROUTES, path) and not _matches(SELLER_ROUTES, path), route


def test_the_address_is_tested_in_the_browser_as_a_regular_expression() -> None:
    shown = str(on_routes(["/orders/[order_id]", "/dashboard"]))
    path = r'(ccLocation.pathname.replace(/\/+$/, "") || "/")'
    assert shown == r"/^(?:\/dashboard|\/orders\/[^\/]+)\/?$/.test(" + path + ")"


def test_the_frame_wraps_the_whole_app_and_renders() -> None:
    wraps = portal.app.extra_app_wraps
    assert [key for key in wraps] == [(1, "PortalFrame")]
    assert portal_frame().render()["name"] == '"div"'


def test_the_frames_components_keep_their_default_styles() -> None:
    """Reflex styles a page's components when it compiles the page, not an app wrap's: the
    headers' spacers would not push the menus to the right."""
    assert str(portal_frame()).count('["flex"] : 1, ["justifySelf"] : "stretch"') >= 2
