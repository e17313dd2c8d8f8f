"""The seller's staff in the browser (production build): the first supervisor, made by the
command line, chooses a password and signs in at /seller, adds an agent with seller.view; the
agent accepts the invitation and signs in. Neither side's sign-in opens the other side."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.domain.staff import TeamRole
from customer_center.models.staff import StaffMember
from customer_center.services.seller.teams import set_account_team
from tests.conftest import _TMP, TEST_DATABASE_URL
from tests.e2e.helpers import (
    approval_company,
    choose_language,
    choose_password,
    open_latest_mail_link,
    open_page,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD
from tests.staff_factories import agent_for

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
BOSS = "sabine.supervisor@seller-e2e.example"
AGENT = "alex.agent@seller-e2e.example"
BOSS_PASSWORD = "Supervisor-lantern-orbit-1"
AGENT_PASSWORD = "Agent-harbour-quietly-22"
WIDTHS = {"desktop": 1280, "phone": 390}


def _create_admin(portal: str) -> str:
    """``customer-center seller create-admin``, as an operator runs it; returns the link."""
    env = {
        **os.environ,
        "CC_ENV": "dev",
        "CC_DATABASE_URL": TEST_DATABASE_URL,
        "CC_DATA_DIR": str(_TMP),
        "CC_BASE_URL": portal,
        "CC_PASSWORD_HASHING": "fast",
    }
    result = subprocess.run(
        [sys.executable, "-m", "customer_center.cli", "seller", "create-admin", BOSS]
        + ["--name", "Sabine Supervisor"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    [link] = [line for line in result.stdout.splitlines() if line.startswith(portal)]
    return link


def _set_team(company_id: int) -> None:
    """The supervisor sets the company's account team (the console's page comes later)."""
    with Session(get_engine(), expire_on_commit=False) as session:
        members = {m.email: m.id for m in session.exec(select(StaffMember)).all()}
        agent = agent_for(session, session.get(StaffMember, members[BOSS]))
        set_account_team(
            session,
            agent,
            company_id=company_id,
            members={members[BOSS]: TeamRole.KEY_ACCOUNT_MANAGER, members[AGENT]: TeamRole.AGENT},
        )
        session.commit()


def _shoot(page: Page, name: str) -> None:
    """Both widths: nothing scrolls sideways; a screenshot to look at."""
    SHOTS.mkdir(exist_ok=True)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"seller-{name}-{width_name}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def test_supervisor_and_agent_sign_in_and_the_sides_stay_apart(
    page: Page, browser: Browser, portal: str
) -> None:
    link = _create_admin(portal)
    open_page(page, f"{portal}/seller")
    expect(page.get_by_role("heading", name="Sign in as staff")).to_be_visible()
    _shoot(page, "sign-in")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", name="Anmeldung für Mitarbeitende")).to_be_visible()
    _shoot(page, "sign-in-de")
    choose_language(page, "English", "Sprache")

    # The supervisor chooses a password through the printed link and lands on the company
    # search (she holds seller.view too); the staff page is in her navigation.
    open_page(page, link)
    expect(page.locator("#invitation-intro")).to_contain_text("customer-care staff")
    choose_password(page, BOSS_PASSWORD)
    page.get_by_role("button", name="Save password and sign in").click()
    page.wait_for_url(f"{portal}/seller/companies", timeout=30_000)
    wait_until_loaded(page)
    page.get_by_role("link", name="Staff").click()
    page.wait_for_url(f"{portal}/seller/staff", timeout=30_000)
    wait_until_loaded(page)
    expect(page.locator("#seller-side")).to_contain_text("Seller · Staff")
    expect(page.locator("#staff-table")).to_contain_text("Sabine Supervisor")

    # She signs out and in again with the password.
    page.locator("#user-menu").click()
    page.locator("#sign-out").click()
    page.wait_for_url(re.compile(r"/seller/?\?notice=signed_out$"), timeout=30_000)
    wait_until_loaded(page)
    page.get_by_label("E-mail address").fill(BOSS)
    page.get_by_label("Password").fill(BOSS_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal}/seller/companies", timeout=30_000)
    open_page(page, f"{portal}/seller/staff")

    # She adds an agent who may only look at companies.
    page.locator("#add-staff").click()
    page.get_by_label("Name").fill("Alex Agent")
    page.get_by_label("E-mail address").fill("alex@no-dot")
    page.locator('[id="add-seller.view"]').click()
    page.locator("#add-staff-submit").click()
    expect(page.locator("#email-error")).to_have_text("Please enter a valid e-mail address.")
    page.get_by_label("E-mail address").fill(AGENT)
    page.locator("#add-staff-submit").click()
    expect(page.get_by_text(f"Invitation sent to {AGENT}.")).to_be_visible()
    row = page.locator(".cc-staff-row", has_text="Alex Agent")
    expect(row).to_contain_text("See customer companies")
    expect(row).to_contain_text("Invited")
    _shoot(page, "staff")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", name="Mitarbeitende", level=1)).to_be_visible()
    expect(row).to_contain_text("Kundenfirmen ansehen")
    _shoot(page, "staff-de")
    choose_language(page, "English", "Sprache")

    # She lets the agent act for customer users too.
    row.get_by_role("button", name="Change rights").last.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Rights of Alex Agent")
    expect(dialog.locator('[id="edit-seller.view"]')).to_have_attribute("data-state", "checked")
    dialog.locator('[id="edit-seller.act_on_behalf"]').click()
    dialog.screenshot(path=str(SHOTS / "seller-rights-dialog.png"))
    page.locator("#save-rights").click()
    expect(page.get_by_text("Rights of Alex Agent saved.")).to_be_visible()
    expect(row).to_contain_text("Act for customer users")

    # The agent accepts the invitation in a browser of their own and signs in.
    agent_context = browser.new_context()
    agent = agent_context.new_page()
    invitation = open_latest_mail_link(agent, portal, AGENT, "Your staff access at Seller")
    open_page(agent, invitation)
    choose_password(agent, AGENT_PASSWORD)
    agent.get_by_role("button", name="Save password and sign in").click()
    agent.wait_for_url(f"{portal}/seller/companies", timeout=30_000)
    open_page(agent, f"{portal}/seller/account")
    expect(agent.locator("#agent-name")).to_have_text("Alex Agent")
    expect(agent.get_by_role("link", name="Staff")).to_have_count(0)
    _shoot(agent, "account")

    # The agent's staff cookie opens no customer page...
    agent.goto(f"{portal}/dashboard")
    agent.wait_for_url(f"{portal}/sign-in**", timeout=30_000)
    # ...and a customer's session opens no seller page.
    company_id = approval_company("SEL-1", "Seller Test Kunde GmbH", "seller-kunde.example")
    customer_context = browser.new_context()
    customer = customer_context.new_page()
    sign_in(customer, portal, "main@seller-kunde.example", PASSWORD)
    customer.wait_for_url(re.compile(r"/dashboard/?$"), timeout=30_000)
    customer.goto(f"{portal}/seller/staff")
    customer.wait_for_url(re.compile(r"/seller/?$"), timeout=30_000)
    wait_until_loaded(customer)
    expect(customer.get_by_role("heading", name="Sign in as staff")).to_be_visible()
    expect(customer.locator("#staff-table")).to_have_count(0)

    # The customer's dashboard names the company's team at the seller once it has one.
    _set_team(company_id)
    open_page(customer, f"{portal}/dashboard")
    team = customer.locator("#account-team")
    expect(team).to_contain_text("Your team at Seller")
    expect(team).to_contain_text("Sabine Supervisor")
    expect(team).to_contain_text("Key account manager")
    expect(team.get_by_role("link", name=AGENT)).to_have_attribute("href", f"mailto:{AGENT}")
    _shoot(customer, "dashboard-team")
    agent_context.close()
    customer_context.close()
