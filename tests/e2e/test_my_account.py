"""My account, the dashboard per role and the phone menu in the browser (production build).

- Changing the password ends the user's other sessions: their open tab leaves by itself.
- One browser is signed out from the list of sessions; the other stays.
- Each role's dashboard shows its own facts: the main contact the setup checklist and the
  invitations, the buyer the open order and unread messages, the approver what waits, the
  controller the month's spend and why orders went over budget, a newcomer whom to ask.
- On a phone, one menu lists every navigation entry and marks the current page.
Screenshots of the changed pages at 1280 and 390 px in English and German.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.models.user import User
from customer_center.services.orders.conversation import add_comment
from customer_center.settings import get_settings
from tests.e2e.helpers import (
    PUSHED_WITHIN_MS,
    approval_company,
    choose_password,
    open_page,
    place_motor_order,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD, actor_for, make_user

DOMAIN = "konto-e2e.example"
MAIN, BEN, ANNA = f"main@{DOMAIN}", f"ben.buyer@{DOMAIN}", f"anna.approver@{DOMAIN}"
CONTROLLER, NEWBIE = f"carla.controller@{DOMAIN}", f"tim.technik@{DOMAIN}"
SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "account"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def company(portal: str) -> int:
    """Mia (main contact), Ben (buyer, 1,000 EUR per order), Anna (approver), Carla
    (controller), Tim (technician, new); Ben's order waits for Anna, who asked about it."""
    company_id = approval_company("KONTO-1", "Kontor Maschinenbau GmbH", DOMAIN)
    order_id = place_motor_order(BEN, 40, "pending_approval")
    with Session(get_engine()) as session:
        make_user(session, company_id, CONTROLLER, ["controller"], name="Carla Controller")
        make_user(session, company_id, NEWBIE, ["technician"], name="Tim Technik")
        make_user(
            session, company_id, f"ida.invited@{DOMAIN}", [], name="Ida Invited", status="invited"
        )
        anna = session.exec(select(User).where(User.email == ANNA)).one()
        add_comment(
            session,
            actor_for(session, anna),
            settings=get_settings(),
            order_id=order_id,
            text="Why 40?",
        )
        session.commit()
    return company_id


def _shots(page: Page, name: str) -> None:
    """English and German, desktop and phone: nothing scrolls sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for language, switch in (("English", "Sprache"), ("Deutsch", "Language")):
        if language == "Deutsch":
            _language(page, "Deutsch", switch)
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.mouse.move(0, 0)
            page.wait_for_timeout(300)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways at {width}px"
            shot = SHOTS / f"{name}-{language[:2].lower()}-{width_name}.png"
            page.screenshot(path=str(shot), full_page=True)
    _language(page, "English", "Sprache")
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def _language(page: Page, language: str, switch: str) -> None:
    """The header's language switch (a page may have a language field of its own)."""
    page.get_by_role("banner").get_by_role("combobox", name=switch).click()
    page.get_by_role("option", name=language).click()
    # What the server worded (statuses, figures) follows at the next load of the page.
    page.reload()
    wait_until_loaded(page)


def _signed_in(browser: Browser, portal: str, email: str, password: str = PASSWORD) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, portal, email, password)
    page.wait_for_url("**/dashboard**", timeout=30_000)
    wait_until_loaded(page)
    return page


def test_changing_the_password_signs_out_the_other_browser(
    browser: Browser, portal: str, company: int
) -> None:
    with Session(get_engine()) as session:
        make_user(session, company, f"paul.passwort@{DOMAIN}", ["buyer"], name="Paul Passwort")
        session.commit()
    other = _signed_in(browser, portal, f"paul.passwort@{DOMAIN}")
    here = _signed_in(browser, portal, f"paul.passwort@{DOMAIN}")
    open_page(here, f"{portal}/profile")
    sessions = here.locator("#my-sessions li")
    expect(sessions).to_have_count(2)
    expect(here.locator("#my-sessions")).to_contain_text("This browser")

    here.get_by_label("Current password").fill("not the password")
    choose_password(here, "Neues-Passwort-fuer-Paul-7")
    here.get_by_role("button", name="Change password").click()
    expect(here.locator("#current-error")).to_have_text("This is not your current password.")

    here.get_by_label("Current password").fill(PASSWORD)
    choose_password(here, "Neues-Passwort-fuer-Paul-7")
    here.get_by_role("button", name="Change password").click()
    expect(
        here.get_by_role("status").filter(has_text="Your password has been changed.")
    ).to_be_visible()
    expect(sessions).to_have_count(1)
    # The server pushes the end of the session to the other browser's open tab.
    expect(other).to_have_url(re.compile(r"/sign-in"), timeout=PUSHED_WITHIN_MS)
    # And the new password is the one that works.
    sign_in(other, portal, f"paul.passwort@{DOMAIN}", "Neues-Passwort-fuer-Paul-7")
    other.wait_for_url("**/dashboard**", timeout=30_000)
    other.context.close()
    here.context.close()


def test_one_session_is_signed_out_from_the_list(
    browser: Browser, portal: str, company: int
) -> None:
    with Session(get_engine()) as session:
        make_user(session, company, f"sina.sitzung@{DOMAIN}", ["buyer"], name="Sina Sitzung")
        session.commit()
    other = _signed_in(browser, portal, f"sina.sitzung@{DOMAIN}")
    here = _signed_in(browser, portal, f"sina.sitzung@{DOMAIN}")
    open_page(here, f"{portal}/profile")
    rows = here.locator("#my-sessions li")
    expect(rows).to_have_count(2)
    _shots(here, "my-account")

    here.get_by_role("button", name="Sign out Chrome on Linux").click()
    expect(here.locator("#sessions-note")).to_have_text("That browser has been signed out.")
    expect(rows).to_have_count(1)
    expect(other).to_have_url(re.compile(r"/sign-in"), timeout=PUSHED_WITHIN_MS)
    # This browser is still signed in.
    open_page(here, f"{portal}/orders")
    expect(here.get_by_role("heading", name="Orders", level=1)).to_be_visible()
    other.context.close()
    here.context.close()


def test_each_role_sees_its_own_dashboard(browser: Browser, portal: str, company: int) -> None:
    mia = _signed_in(browser, portal, MAIN)
    setup = mia.locator("#setup-checklist")
    expect(setup).to_contain_text("Set the company's default budget")
    expect(setup.locator("[data-step=approver]")).to_contain_text("Done")
    expect(mia.locator("#invited-users")).to_contain_text("Ida Invited")
    expect(mia.locator("#company-waiting")).to_contain_text(
        "From Ben Buyer, waiting for Anna Approver"
    )
    _shots(mia, "dashboard-main-contact")
    mia.context.close()

    ben = _signed_in(browser, portal, BEN)
    expect(ben.locator("#my-open-orders")).to_contain_text("Waiting for approval")
    expect(ben.locator("#unread-text")).to_have_text("Unread messages: 1 (orders: 1)")
    expect(ben.locator("#setup-checklist")).to_have_count(0)
    expect(ben.locator("#spend-month")).to_have_count(0)
    ben.locator("#unread-link").click()
    ben.wait_for_url(re.compile(r"/orders/\d+"))
    wait_until_loaded(ben)
    open_page(ben, f"{portal}/dashboard")
    expect(ben.locator("#unread-text")).to_have_text("No unread messages.")
    _shots(ben, "dashboard-buyer")
    ben.context.close()

    anna = _signed_in(browser, portal, ANNA)
    expect(anna.locator("#waiting-count")).to_have_text("1")
    expect(anna.locator("#oldest-waiting")).to_contain_text("by Ben Buyer")
    expect(anna.locator("#setup-checklist")).to_have_count(0)
    anna.context.close()

    carla = _signed_in(browser, portal, CONTROLLER)
    expect(carla.locator("#spend-month")).to_contain_text("This month")
    expect(carla.get_by_role("table", name="Spend this month and last month")).to_be_attached()
    expect(carla.locator("#over-budget-reasons")).to_contain_text(
        "Order value above the per-order limit"
    )
    expect(carla.locator("#waiting-for-me")).to_have_count(0)
    _shots(carla, "dashboard-controller")
    carla.context.close()

    tim = _signed_in(browser, portal, NEWBIE)
    start = tim.locator("#getting-started")
    expect(start).to_contain_text("Ask Mia Main")
    expect(start).to_contain_text(f"main@{DOMAIN}")
    _shots(tim, "dashboard-newcomer")
    tim.context.close()


def test_the_phone_menu_lists_every_entry_and_marks_the_current_page(
    browser: Browser, portal: str, company: int
) -> None:
    page = _signed_in(browser, portal, MAIN)
    desktop_entries = page.locator("nav.cc-nav a").all_inner_texts()
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"{portal}/orders")
    expect(page.locator("nav.cc-nav")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu).to_contain_text("Orders")  # the current page named on the button
    page.get_by_text("Menu", exact=True).click()
    links = menu.get_by_role("link")
    expect(links).to_have_count(len(desktop_entries))
    expect(menu.get_by_role("link", name="Orders")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("link", name="Budgets")).to_have_attribute("aria-current", "false")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "phone-menu-open.png"), full_page=True)
    menu.get_by_role("link", name="Budgets").click()
    page.wait_for_url("**/budgets**")
    wait_until_loaded(page)
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text("Budgets")
    page.context.close()


def test_the_account_menu_holds_the_account_page_mailbox_and_sign_out(
    page: Page, portal: str, company: int
) -> None:
    sign_in(page, portal, ANNA, PASSWORD)
    page.wait_for_url("**/dashboard**", timeout=30_000)
    wait_until_loaded(page)
    page.get_by_role("button", name="Your account").click()
    items = page.get_by_role("menuitem")
    expect(items).to_have_text(["My account", "Dev mailbox", "Sign out"])
    page.get_by_role("menuitem", name="My account").click()
    page.wait_for_url("**/profile**")
    expect(page.get_by_role("heading", name="My account", level=1)).to_be_visible()
    # Moved to another page by the navigation, the keyboard is at the new page's content,
    # not on the link of the shell (which stays).
    page.locator("nav.cc-nav").get_by_role("link", name="Overview").click()
    page.wait_for_url("**/dashboard**")
    content = page.locator("main#content")
    expect(content).to_be_focused()
    # On a page loaded anew, the skip link is the first stop of the keyboard and leads there.
    page.reload()
    wait_until_loaded(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(content).to_be_focused()
