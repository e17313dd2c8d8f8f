"""The console in the browser (production build): an agent signs in at /seller, lands on the
company search, finds a company by an SO number of one of its orders and by a user's e-mail,
opens it, reads users, budgets and chains (with the route preview), open approvals and the
audit log, and sends a user a password-reset link. Every page at 1280 and 390 px, axe-checked.
"""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session

from customer_center.db import get_engine
from customer_center.domain.staff import StaffPermission
from customer_center.models.order import Order
from tests.e2e.helpers import (
    approval_company,
    choose_language,
    open_latest_mail_link,
    open_page,
    place_motor_order,
    wait_until_loaded,
)
from tests.factories import PASSWORD
from tests.staff_factories import make_staff

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
DOMAIN = "console-e2e.example"
BEN = f"ben.buyer@{DOMAIN}"
AGENT = "eva.ernst@seller-console.example"
SO_NUMBER = "SO-E2E-360-4711"
WIDTHS = {"desktop": 1280, "phone": 390}
_axe = Axe()


def _seed() -> int:
    company_id = approval_company("E2E-360", "Consolia Maschinenbau GmbH", DOMAIN)
    order_id = place_motor_order(BEN, 40, "pending_approval")
    with Session(get_engine()) as session:
        order = session.get(Order, order_id)
        assert order is not None
        order.erp_order_number = SO_NUMBER
        session.add(order)
        make_staff(session, AGENT, [StaffPermission.VIEW], name="Eva Ernst", password=PASSWORD)
        session.commit()
    return company_id


def _check(page: Page, name: str) -> None:
    """Both widths: nothing scrolls sideways, a screenshot to look at, no axe violation."""
    SHOTS.mkdir(exist_ok=True)
    page.mouse.move(0, 0)  # a pointer resting on the last link clicked is no state of the page
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"console-{name}-{width_name}.png"), full_page=True)
        results = _axe.run(page)
        assert results.violations_count == 0, f"{name} at {width}px: {results.generate_report()}"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def _section(page: Page, key: str) -> None:
    page.locator(f"#company-nav-{key}").click()
    page.wait_for_url(f"**section={key}", timeout=15_000)
    wait_until_loaded(page)


def test_an_agent_finds_a_company_and_helps_a_user(page: Page, portal: str) -> None:
    _seed()
    open_page(page, f"{portal}/seller")
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal}/seller/companies", timeout=30_000)
    wait_until_loaded(page)
    expect(page.get_by_role("link", name="Companies")).to_be_visible()
    expect(page.get_by_role("link", name="Staff")).to_have_count(0)

    # By the ERP's order number, then by a user's address.
    search = page.locator("#company-search")
    search.fill(SO_NUMBER)
    hits = page.locator("#company-hits")
    expect(hits).to_contain_text("Consolia Maschinenbau GmbH")
    expect(hits).to_contain_text("ERP order number")
    _check(page, "search")
    search.fill(BEN)
    expect(hits).to_contain_text("A user's e-mail address")
    page.get_by_role("link", name="Consolia Maschinenbau GmbH").click()
    page.wait_for_url("**/seller/companies/*", timeout=15_000)
    wait_until_loaded(page)

    # Overview.
    expect(page.locator("#company-name")).to_have_text("Consolia Maschinenbau GmbH")
    expect(page.locator("#fact-main-contact")).to_contain_text("Mia Main")
    expect(page.locator("#company-nav-orders")).to_be_visible()
    expect(page.locator("#company-nav-act")).to_have_count(0)  # no seller.act_on_behalf
    _check(page, "overview")

    # Users, and a reset link for Ben.
    _section(page, "users")
    row = page.locator(".cc-user-row", has_text=BEN)
    expect(row).to_contain_text("Ben Buyer")
    _check(page, "users")
    row.locator(".cc-assist-reset").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Ben Buyer")
    dialog.screenshot(path=str(SHOTS / "console-reset-dialog.png"))
    in_dialog = _axe.run(page)
    assert in_dialog.violations_count == 0, in_dialog.generate_report()
    page.locator("#assist-confirm").click()
    expect(page.get_by_text("The password-reset link was sent.")).to_be_visible()
    expect(dialog).to_have_count(0)

    # Budgets, chains and the route preview.
    _section(page, "setup")
    expect(page.locator("#company-budgets")).to_contain_text("Ben Buyer")
    expect(page.locator("#company-chains")).to_contain_text("Anna Approver")
    page.locator("#user_id").select_option(label="Ben Buyer")
    page.locator("#amount").fill("5000")
    page.locator("#preview-go").click()
    expect(page.locator("#preview-result")).to_contain_text("Anna Approver")
    _check(page, "setup")

    # Open approvals with their age.
    _section(page, "approvals")
    expect(page.locator("#company-approvals")).to_contain_text("Ben Buyer")
    expect(page.locator("#company-approvals")).to_contain_text("Anna Approver")
    _check(page, "approvals")

    # The audit log names the agent's help.
    _section(page, "audit")
    expect(page.locator("#company-audit")).to_contain_text("password-reset link")
    _check(page, "audit")

    # In German, every text of the section follows.
    choose_language(page, "Deutsch")
    expect(page.locator("#company-nav-overview")).to_have_text("Überblick")
    expect(page.get_by_label("Protokoll durchsuchen")).to_be_visible()
    page.screenshot(path=str(SHOTS / "console-audit-de.png"), full_page=True)
    _section(page, "users")
    expect(page.locator(".cc-assist-reset").first).to_have_text("Link zum Zurücksetzen senden")
    _check(page, "users-de")
    choose_language(page, "English", "Sprache")

    # Ben has the link in his mailbox.
    link = open_latest_mail_link(page, portal, BEN, "Choose a new password")
    assert "/reset-password" in link
