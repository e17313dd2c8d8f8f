"""Every page at desktop and phone width: nothing scrolls sideways, and a screenshot to look at.

Screenshots go to ``screenshots/`` (not committed); look at them after changing a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from customer_center.auth.passwords import hash_password
from customer_center.db import get_engine
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import MAIN_CONTACT_ROLE
from customer_center.models.budget import BudgetRule
from customer_center.models.company import Company
from customer_center.models.order import CartItem
from customer_center.models.user import User, UserRole
from customer_center.services.identity.activation import create_builtin_roles
from customer_center.services.orders.ordering import LineRequest, submit_order
from customer_center.settings import get_settings
from tests.e2e.helpers import choose_language, sign_in, wait_until_loaded
from tests.factories import actor_for
from tests.order_factories import CHECKOUT

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
EMAIL = "layout.check@layout-gmbh.example"
PASSWORD = "Layout-check-passphrase-1"
WIDTHS = {"desktop": 1280, "phone": 390}
BAD_LINK = "This link is not valid"
# page name -> (path, its heading, a text that shows once the page has loaded its data)
PUBLIC_PAGES = {
    "sign-in": ("/sign-in", "Sign in", "Is your company new"),
    "activate": ("/activate", "Activate your company", "Printed on every invoice"),
    "forgot-password": ("/forgot-password", "Forgot your password?", "Enter the e-mail address"),
    "reset-password-bad-link": ("/reset-password?token=nope", "Choose a new password", BAD_LINK),
    "activate-confirm-bad-link": (
        "/activate/confirm?token=nope",
        "Complete the activation",
        BAD_LINK,
    ),
    "dev-mailbox": ("/dev/mailbox", "Dev mailbox", "Every e-mail the portal sends"),
    "invitation-bad-link": ("/invitation?token=nope", "Welcome to the Customer Center", BAD_LINK),
    "verify-email-bad-link": (
        "/verify-email?token=nope",
        "Confirm your e-mail address",
        BAD_LINK,
    ),
    "handover-bad-link": (
        "/handover?token=nope",
        "Take over the main-contact role",
        BAD_LINK,
    ),
}
# Signed-in pages as the main contact sees them: path, heading, an element shown once loaded.
SIGNED_IN_PAGES = {
    "users": ("/users", "Users", ".cc-user-row"),
    "invite-user": ("/users/new", "Invite a user", "#role-1, [id^=role-]"),
    "user-detail": ("/users/{user_id}", "User", "#open-handover"),
    "profile": ("/profile", "My account", "#save-my-profile"),
    "roles": ("/roles", "Roles and rights", ".cc-role-card"),
    "budgets": ("/budgets", "Budgets", ".cc-budget-row"),
    "approval-chains": ("/approval-chains", "Approver chains", ".cc-add-level"),
    "audit": ("/audit", "Audit log", "#audit-table"),
    "users-import": ("/users/import", "Import users from CSV", ".cc-upload"),
    "users-erp": ("/users/erp", "Take over from the ERP", "#erp-empty"),
    "catalogue": ("/catalogue", "Catalogue", ".cc-product"),
    "cart": ("/cart", "Cart", ".cc-cart-row"),
    "checkout": ("/checkout", "Checkout", "#place-order"),
    "orders": ("/orders", "Orders", "#order-empty, #order-table"),
    "controlling": ("/controlling", "Controlling", "#controlling-budgets"),
    "approvals": ("/approvals", "Approvals", ".approval-row"),
    "order-view": ("/orders/{order_id}", "Order", "#order-actions"),
    "sso-settings": ("/company/sign-in", "Single sign-on", "#save-sso"),
    "provisioning": ("/company/provisioning", "Provisioning (SCIM)", "#no-tokens, #scim-tokens"),
}
# Set by the fixture: the colleague's order waiting for the main contact's approval.
WAITING_ORDER: dict[str, int] = {}


@pytest.fixture(scope="module")
def main_contact(portal: str) -> tuple[str, int]:
    """A company with its main contact and one colleague, made directly: the layout needs no
    activation. Returns the main contact's e-mail and the colleague's id (the user page)."""
    with Session(get_engine()) as session:
        company = Company(
            customer_number="L-1",
            name="Layout Prüfgesellschaft für sehr lange Firmennamen mbH",
            street="Sehr-lange-Straßenbezeichnung 123",
            postal_code="12345",
            city="Berlin",
            country="DE",
        )
        session.add(company)
        session.flush()
        user = User(
            company_id=company.id,
            email=EMAIL,
            name="Layout Check",
            password_hash=hash_password(PASSWORD),
            is_main_contact=True,
        )
        session.add(user)
        session.flush()
        roles = create_builtin_roles(session, company.id)
        main = next(r for r in roles if r.code == MAIN_CONTACT_ROLE)
        session.add(UserRole(user_id=user.id, role_id=main.id))
        colleague = User(
            company_id=company.id,
            email="bernadette.beispielhaft-langname@layout-gmbh.example",
            name="Bernadette Beispielhaft-Langname",
            password_hash=hash_password(PASSWORD),
        )
        session.add(colleague)
        session.flush()
        buyer = next(r for r in roles if r.code == "buyer")
        session.add(UserRole(user_id=colleague.id, role_id=buyer.id))
        # A filled cart, so the cart and checkout pages show their lines and forms.
        for sku, quantity in (("HYD-HOSE-12-2M", 4), ("MTR-IE3-4KW", 1)):
            session.add(
                CartItem(company_id=company.id, user_id=user.id, sku=sku, quantity=quantity)
            )
        session.add(
            BudgetRule(
                company_id=company.id,
                scope=RuleScope.USER,
                subject_id=colleague.id,
                max_order_value_cents=0,
            )
        )
        session.commit()
        outcome = submit_order(
            session,
            actor_for(session, colleague),
            settings=get_settings(),
            lines=[LineRequest("MTR-IE3-4KW", 2), LineRequest("HYD-HOSE-12-2M", 12)],
            checkout=CHECKOUT,
        )
        session.commit()
        WAITING_ORDER["order_id"] = outcome.order_id
        return EMAIL, colleague.id  # type: ignore[return-value]


def _check(page: Page, name: str, width_name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width_name}.png"), full_page=True)
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width_name} width"


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_fit_the_screen(page: Page, portal: str, name: str, width_name: str) -> None:
    path, heading, loaded = PUBLIC_PAGES[name]
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    page.goto(f"{portal}{path}")
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_text(loaded).first).to_be_visible()
    _check(page, name, width_name)


@pytest.mark.parametrize("width_name", WIDTHS)
def test_signed_in_pages_fit_the_screen(
    page: Page, portal: str, main_contact: tuple[str, int], width_name: str
) -> None:
    email, user_id = main_contact
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    page.goto(f"{portal}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#company-name")).to_contain_text("Layout Prüfgesellschaft")
    _check(page, "dashboard", width_name)
    for name, (path, heading, loaded) in SIGNED_IN_PAGES.items():
        page.goto(portal + path.format(user_id=user_id, **WAITING_ORDER))
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        expect(page.locator(loaded).first).to_be_visible()
        _check(page, name, width_name)


def test_the_tab_title_and_the_navigation_follow_the_language(
    page: Page, portal: str, main_contact: tuple[str, int]
) -> None:
    """Each page names itself in the tab, in the reader's language, as the navigation does."""
    email, _user_id = main_contact
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(f"{portal}/sign-in")
    expect(page).to_have_title("Sign in · Customer Center")
    sign_in(page, portal, email, PASSWORD)
    expect(page.locator("#company-name")).to_contain_text("Layout Prüfgesellschaft")
    expect(page).to_have_title("Overview · Customer Center")
    page.goto(f"{portal}/orders")
    wait_until_loaded(page)
    expect(page).to_have_title("Orders · Customer Center")
    nav = page.locator("nav.cc-nav")
    expect(nav.get_by_role("link", name="Orders")).to_have_attribute("aria-current", "page")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "navigation-en.png"))
    try:
        choose_language(page, "Deutsch")
        expect(page).to_have_title("Bestellungen · Customer Center")
        expect(nav.get_by_role("link", name="Bestellungen")).to_be_visible()
        expect(nav.get_by_role("link", name="Rollen und Rechte")).to_be_visible()
        page.screenshot(path=str(SHOTS / "navigation-de.png"))
        nav.get_by_role("link", name="Benutzer").click()
        expect(page).to_have_title("Benutzer · Customer Center")
    finally:  # the other layout checks read the English texts of the same user
        choose_language(page, "English", "Sprache")
    expect(page).to_have_title("Users · Customer Center")
