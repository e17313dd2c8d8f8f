"""Acting on a customer's behalf in the browser (production build).

Policy "always": the main contact allows it on the company's page; an agent of the account
team starts acting for Ben from the console, sees the banner on every customer page, places an
order over Ben's budget that goes to Ben's approver; the order and the company's audit log name
both the agent and Ben; "End" returns to the console. Policy "consent": nothing happens until
Ben accepts. The idle timeout (shortened by CC_ACTING_IDLE_MINUTES) ends the acting session.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from customer_center.db import get_engine
from customer_center.domain.staff import ActingPolicy, StaffPermission, TeamRole
from customer_center.models.acting import ActingSession
from customer_center.models.company import Company
from customer_center.models.order import ApprovalStep, Order
from customer_center.models.staff import StaffMember
from customer_center.models.user import User
from customer_center.services.seller.teams import set_account_team
from tests.e2e.helpers import (
    approval_company,
    open_latest_mail_link,
    open_page,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD
from tests.staff_factories import agent_for, make_staff

# The portal of this browser run ends an acting session after 30 seconds without activity.
os.environ.setdefault("CC_ACTING_IDLE_MINUTES", "0.5")

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
EVA = "eva.ernst@seller-act.example"
BOSS = "boss@seller-act.example"


def _shoot(page: Page, name: str) -> None:
    """Both widths, nothing scrolls sideways, and axe finds nothing."""
    SHOTS.mkdir(exist_ok=True)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"acting-{name}-{width_name}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    # The new content: the page's main part and the banner (the shell's header and navigation
    # are checked with the shell).
    parts = [["main"]] + (
        [["#acting-banner"]] if page.locator("#acting-banner-text").count() else []
    )
    results = Axe().run(page, context={"include": parts})
    assert results.violations_count == 0, results.generate_report()


def _staff() -> None:
    """Eva, an agent who may act for customers, and a supervisor (made once)."""
    with Session(get_engine()) as session:
        if session.exec(select(StaffMember).where(StaffMember.email == EVA)).first():
            return
        make_staff(session, BOSS, name="Sabine Supervisor")
        make_staff(
            session, EVA, [StaffPermission.VIEW, StaffPermission.ACT_ON_BEHALF], name="Eva Ernst"
        )
        session.commit()


def _team(company_id: int) -> None:
    with Session(get_engine(), expire_on_commit=False) as session:
        members = {m.email: m.id for m in session.exec(select(StaffMember)).all()}
        boss = agent_for(session, session.get(StaffMember, members[BOSS]))
        set_account_team(
            session,
            boss,
            company_id=company_id,
            members={members[BOSS]: TeamRole.KEY_ACCOUNT_MANAGER, members[EVA]: TeamRole.AGENT},
        )
        session.commit()


def _set_policy(company_id: int, policy: ActingPolicy | None = None) -> None:
    """The company's policy (None: as it is), and its own address for the invoices."""
    with Session(get_engine()) as session:
        company = session.get(Company, company_id)
        assert company is not None
        if policy is not None:
            company.acting_policy = policy
        company.street, company.postal_code = "Werkstraße 1", "70173"
        company.city, company.country = "Stuttgart", "DE"
        session.add(company)
        session.commit()


def _user_id(email: str) -> int:
    with Session(get_engine()) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        assert user.id is not None
        return user.id


def _staff_sign_in(page: Page, portal: str) -> None:
    open_page(page, f"{portal}/seller")
    page.get_by_label("E-mail address").fill(EVA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/seller/companies/?$"), timeout=30_000)  # agents start there
    wait_until_loaded(page)


def _add_motors(page: Page, portal: str, quantity: str) -> None:
    page.goto(f"{portal}/catalogue")
    wait_until_loaded(page)
    page.locator("#catalogue-search").fill("MTR-IE3")
    card = page.locator(".cc-product[data-sku='MTR-IE3-4KW']")
    expect(page.locator(".cc-product")).to_have_count(1)
    card.get_by_label("Quantity").fill(quantity)
    card.get_by_role("button", name="Add to cart").click()
    expect(card.locator(".cc-added")).to_have_text(f"{quantity} in the cart")


@pytest.fixture
def agent_page(browser: Browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_always_an_agent_orders_for_ben_and_both_are_named(
    page: Page, agent_page: Page, portal: str
) -> None:
    cid = approval_company("C-ACT-1", "Müller Maschinenbau", "mueller-act.example")
    _staff()
    _team(cid)
    _set_policy(cid)
    ben_id = _user_id("ben.buyer@mueller-act.example")
    anna_id = _user_id("anna.approver@mueller-act.example")

    # The main contact allows acting, on the company's page.
    sign_in(page, portal, "main@mueller-act.example", PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/?$"), timeout=30_000)
    open_page(page, f"{portal}/company/seller-access")
    expect(page.locator("#policy-never")).to_be_checked()
    page.get_by_label("Always").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    _shoot(page, "policy")

    # The agent opens the company's act page and acts as Ben.
    agent = agent_page
    _staff_sign_in(agent, portal)
    open_page(agent, f"{portal}/seller/companies/{cid}/act")
    expect(agent.locator("#act-company")).to_have_text("Müller Maschinenbau")
    expect(agent.locator("#acting-policy")).to_have_text("Always")
    expect(agent.locator("#act-users")).to_contain_text("Ben Buyer")
    _shoot(agent, "act-page")
    agent.locator(f"#act-as-{ben_id}").click()
    agent.wait_for_url(re.compile(r"/dashboard/?$"), timeout=30_000)
    wait_until_loaded(agent)
    banner = agent.locator("#acting-banner")
    expect(banner).to_have_attribute("role", "status")
    expect(agent.locator("#acting-banner-text")).to_have_text(
        "You are acting for Ben Buyer of Müller Maschinenbau."
    )
    expect(agent.locator("#user-name")).to_have_text("Ben Buyer")
    _shoot(agent, "banner")

    # An order over Ben's budget: it waits for Ben's approver, Anna.
    _add_motors(agent, portal, "2")
    expect(agent.locator("#acting-banner-text")).to_be_visible()
    agent.goto(f"{portal}/cart")
    wait_until_loaded(agent)
    agent.locator("#to-checkout").click()
    agent.get_by_label("Name / company").fill("Müller Maschinenbau")
    agent.get_by_label("Street").fill("Werkstraße 1")
    agent.get_by_label("Postal code").fill("70173")
    agent.get_by_label("City").fill("Stuttgart")
    agent.get_by_label("Country (e.g. DE)").fill("DE")
    agent.locator("#place-order").click()
    expect(agent.locator("#placed-status")).to_have_text("Waiting for approval")
    with Session(get_engine()) as session:
        order = session.exec(select(Order).where(Order.company_id == cid)).one()
        steps = session.exec(select(ApprovalStep).where(ApprovalStep.order_id == order.id)).all()
        assert order.requester_id == ben_id
        assert [s.approver_id for s in steps] == [anna_id]
    agent.locator("#open-order").click()
    wait_until_loaded(agent)
    placed_by = "Seller's agent Eva Ernst for Ben Buyer"
    expect(agent.get_by_text(placed_by).first).to_be_visible()

    # An own-account handler is refused while acting: the profile keeps Ben's name.
    open_page(agent, f"{portal}/profile")
    agent.get_by_label("Name").fill("Eva was here")
    agent.get_by_role("button", name="Save").click()
    agent.wait_for_timeout(1000)
    with Session(get_engine()) as session:
        assert session.get(User, ben_id).name == "Ben Buyer"  # type: ignore[union-attr]

    # End: back to the company in the console; the customer pages no longer take the agent.
    agent.locator("#acting-end").click()
    agent.wait_for_url(re.compile(rf"/seller/companies/{cid}/?$"), timeout=30_000)
    # A customer page opened now shows nothing of Ben: to sign-in, or back to the console.
    agent.goto(f"{portal}/dashboard")
    agent.wait_for_url(re.compile(rf"/sign-in|/seller/companies/{cid}/?$"), timeout=30_000)
    expect(agent.locator("#acting-banner-text")).to_have_count(0)

    # The company's audit log names both.
    open_page(page, f"{portal}/audit")
    row = page.locator("tr", has_text="Placed an order")
    expect(row.first).to_contain_text(placed_by)


def test_consent_nothing_happens_until_ben_accepts(
    page: Page, agent_page: Page, portal: str
) -> None:
    cid = approval_company("C-ACT-2", "Müller Consent GmbH", "consent-act.example")
    _staff()
    _team(cid)
    _set_policy(cid, ActingPolicy.CONSENT)
    ben_id = _user_id("ben.buyer@consent-act.example")

    agent = agent_page
    _staff_sign_in(agent, portal)
    open_page(agent, f"{portal}/seller/companies/{cid}/act")
    expect(agent.locator("#acting-policy")).to_have_text("With the user's consent each time")
    expect(agent.locator(f"#act-as-{ben_id}")).to_have_count(0)
    agent.locator(f"#request-consent-{ben_id}").click()
    expect(agent.locator(f"#consent-waiting-{ben_id}")).to_be_visible()
    expect(agent.locator(f"#act-as-{ben_id}")).to_have_count(0)

    # Ben gets an e-mail and answers on the consent page.
    link = open_latest_mail_link(
        page, portal, "ben.buyer@consent-act.example", "customer care asks to act for you"
    )
    sign_in(page, portal, "ben.buyer@consent-act.example", PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/?$"), timeout=30_000)
    expect(page.locator("#consent-notice")).to_contain_text("asks to act for you")
    assert link.endswith("/seller-access/consent")
    page.locator("#consent-link").click()
    page.wait_for_url(re.compile(r"/seller-access/consent/?$"), timeout=30_000)
    wait_until_loaded(page)
    expect(page.locator(".cc-consent-request")).to_contain_text("Eva Ernst")
    _shoot(page, "consent")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You accepted.")).to_be_visible()

    open_page(agent, f"{portal}/seller/companies/{cid}/act")
    agent.locator(f"#act-as-{ben_id}").click()
    agent.wait_for_url(re.compile(r"/dashboard/?$"), timeout=30_000)
    expect(agent.locator("#acting-banner-text")).to_contain_text("Ben Buyer")
    agent.locator("#acting-end").click()
    agent.wait_for_url(re.compile(rf"/seller/companies/{cid}/?$"), timeout=30_000)


def test_the_idle_timeout_ends_acting(agent_page: Page, portal: str) -> None:
    cid = approval_company("C-ACT-1", "Müller Maschinenbau", "mueller-act.example")
    _staff()
    _team(cid)
    _set_policy(cid, ActingPolicy.ALWAYS)
    ben_id = _user_id("ben.buyer@mueller-act.example")
    agent = agent_page
    _staff_sign_in(agent, portal)
    open_page(agent, f"{portal}/seller/companies/{cid}/act")
    agent.locator(f"#act-as-{ben_id}").click()
    agent.wait_for_url(re.compile(r"/dashboard/?$"), timeout=30_000)
    expect(agent.locator("#acting-ends-at")).not_to_be_empty()
    # Nothing happens for longer than the idle time: the page returns to the console.
    agent.wait_for_url(re.compile(rf"/seller/companies/{cid}/?$"), timeout=70_000)
    with Session(get_engine()) as session:
        last = session.exec(
            select(ActingSession)
            .where(ActingSession.user_id == ben_id)
            .order_by(col(ActingSession.id).desc())
        ).first()
        assert last is not None and last.end_reason == "idle"
