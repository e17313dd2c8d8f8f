"""Every registered page builds and renders: a broken var or prop fails here, before a build."""

from __future__ import annotations

import pytest
from reflex.vars import Var

import customer_center.customer_center as portal
from customer_center.components.frame import client_path
from customer_center.components.navigation import nav_items, nav_links
from customer_center.components.portal_page import TITLE_KEYS, tab_title
from customer_center.components.seller_page import seller_nav_items
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.domain.staff import StaffPermission
from customer_center.i18n import translate
from customer_center.state.base import PortalState
from customer_center.state.page_open import page_loads
from customer_center.state.seller import SellerShellState
from customer_center.state.session import SessionState


def _decorated_pages() -> list[tuple[str, object]]:
    return [
        (kwargs.get("route", render.__name__), render)
        for render, kwargs in portal.app._registration_context.decorated_pages
    ]


def test_the_administration_pages_are_registered() -> None:
    routes = {route for route, _render in _decorated_pages()}
    assert {"/users", "/users/new", "/users/[user_id]", "/invitation"} <= routes


@pytest.mark.parametrize(("route", "render"), _decorated_pages(), ids=lambda v: str(v))
def test_page_renders(route: str, render) -> None:
    rendered = render().render()
    assert rendered, route


def test_every_page_has_a_tab_title_of_its_own_in_both_languages() -> None:
    pages = dict(_decorated_pages())
    assert set(TITLE_KEYS) == set(pages) - {routes.START}
    for route, key in TITLE_KEYS.items():
        title = dict(portal.app._registration_context.decorated_pages)[pages[route]]["title"]
        assert isinstance(title, Var), route
        assert f'["{key}"]' in str(title) and "Customer Center" in str(title), route
        assert translate("en", key) != key and translate("de", key) != key, route
    names = {route: (translate("en", k), translate("de", k)) for route, k in TITLE_KEYS.items()}
    assert names[routes.ORDERS] == ("Orders", "Bestellungen")
    assert tab_title(names[routes.ORDERS][1]) == "Bestellungen · Customer Center"
    assert len(set(TITLE_KEYS.values())) == len(TITLE_KEYS)


def test_signed_in_pages_load_the_shell_first_and_public_pages_the_language() -> None:
    for render, kwargs in portal.app._registration_context.decorated_pages:
        if kwargs["route"] == routes.START:
            continue
        on_load = kwargs["on_load"]
        first = (page_loads(kwargs["route"]) or on_load)[0]
        # The seller's pages load the seller's shell (staff only), never the customers'.
        shell = SellerShellState if routes.is_seller_path(kwargs["route"]) else SessionState
        assert first in (shell.load, PortalState.detect_language), kwargs["route"]


def test_the_seller_pages_have_their_own_navigation() -> None:
    listed = [(item.route, item.nav.label_key, item.right) for item in seller_nav_items()]
    assert listed == [
        (routes.SELLER_COMPANIES, "seller.console.companies", StaffPermission.VIEW),
        (routes.SELLER_CASES, "page.seller_cases", StaffPermission.VIEW),
        (routes.SELLER_RETURNS, "page.seller_returns", StaffPermission.VIEW),
        (routes.SELLER_STAFF, "seller.nav.staff", StaffPermission.MANAGE_STAFF),
        (routes.SELLER_PUNCHOUT, "punchout.nav", StaffPermission.VIEW),
        (routes.SELLER_ACCOUNT, "seller.nav.account", None),
    ]
    assert not any(routes.is_seller_path(item.route) for item in nav_items())


def test_the_navigation_lists_the_registered_pages_in_order_with_their_rights() -> None:
    listed = [(item.route, item.nav.label_key, item.rights) for item in nav_items()]
    assert listed == [
        (routes.DASHBOARD, "nav.dashboard", ()),
        (
            routes.CATALOGUE,
            "nav.catalogue",
            (Permission.DOCUMENTS_VIEW, Permission.ORDERS_CREATE),
        ),
        (routes.CART, "nav.cart", (Permission.ORDERS_CREATE,)),
        (routes.QUICK_ORDER, "nav.quick_order", (Permission.ORDERS_CREATE,)),
        (routes.LISTS, "nav.lists", (Permission.ORDERS_CREATE,)),
        (routes.APPROVALS, "nav.approvals", (Permission.APPROVALS_DECIDE,)),
        (routes.ORDERS, "nav.orders", (Permission.ORDERS_VIEW_OWN, Permission.ORDERS_VIEW_ALL)),
        (routes.DOCUMENTS, "nav.documents", (Permission.DOCUMENTS_VIEW,)),
        (routes.CASES, "nav.cases", ()),
        (
            routes.RETURNS,
            "nav.returns",
            (Permission.RETURNS_REQUEST, Permission.ORDERS_VIEW_ALL),
        ),
        (routes.USERS, "nav.users", (Permission.USERS_MANAGE,)),
        (routes.ROLES, "nav.roles", (Permission.ROLES_MANAGE,)),
        (routes.BUDGETS, "nav.budgets", (Permission.BUDGETS_MANAGE,)),
        (routes.APPROVAL_CHAINS, "nav.approval_chains", (Permission.CHAINS_MANAGE,)),
        (routes.CONTROLLING, "nav.controlling", (Permission.REPORTS_VIEW,)),
        (routes.AUDIT, "nav.audit", (Permission.AUDIT_VIEW,)),
        (routes.COMPANY_SIGN_IN, "nav.sso", (Permission.COMPANY_MANAGE,)),
        (routes.COMPANY_PROVISIONING, "nav.provisioning", (Permission.COMPANY_MANAGE,)),
        (routes.COMPANY_PUNCHOUT, "nav.punchout", (Permission.COMPANY_MANAGE,)),
        (routes.COMPANY_SELLER_ACCESS, "nav.seller_access", (Permission.COMPANY_MANAGE,)),
        (routes.PROFILE, "myaccount.nav", ()),
    ]
    assert all(isinstance(r, Permission) for item in nav_items() for r in item.rights)
    shown = str(nav_links(client_path()).render())
    assert (
        shown.index("nav.dashboard") < shown.index("nav.catalogue") < shown.index("myaccount.nav")
    )
