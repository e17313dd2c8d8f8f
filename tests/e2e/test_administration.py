"""The main contact administers the company in Chromium against the production build."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services.identity.activation import create_builtin_roles
from customer_center.services.people.users import role_codes_of
from tests.e2e.helpers import (
    PUSHED_WITHIN_MS,
    choose_password,
    open_latest_mail_link,
    open_page,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD, make_user

FRIEDA = "frieda.fabrikat@fabrikat-werkzeugbau.example"
INVITATION_SUBJECT = "Your invitation to the Customer Center"


@pytest.fixture(scope="module")
def company(portal: str) -> int:
    """Fabrikat Werkzeugbau (ERP customer 10004) with Frieda as its main contact."""
    with Session(get_engine()) as session:
        existing = session.exec(select(Company).where(Company.customer_number == "10004")).first()
        if existing is not None:
            return existing.id  # type: ignore[return-value]
        company = Company(customer_number="10004", name="Fabrikat Werkzeugbau GmbH", city="Bremen")
        session.add(company)
        session.flush()
        create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        frieda = make_user(session, company.id, FRIEDA, ["main_contact"], name="Frieda Fabrikat")  # type: ignore[arg-type]
        frieda.is_main_contact = True
        session.add(frieda)
        session.commit()
        return company.id  # type: ignore[return-value]


def add_user(company_id: int, email: str, roles: list[str], name: str) -> None:
    with Session(get_engine()) as session:
        make_user(session, company_id, email, roles, name=name)
        session.commit()


def nav_labels(page: Page) -> list[str]:
    return [label.strip() for label in page.locator("nav.cc-nav .cc-nav-link").all_inner_texts()]


def roles_of(email: str) -> list[str]:
    with Session(get_engine()) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return sorted(role_codes_of(session, user.id))  # type: ignore[arg-type]


def open_user(page: Page, portal: str, name: str) -> None:
    open_page(page, f"{portal}/users")
    page.locator("#user-search").fill(name)
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("#detail-name")).to_have_text(name)
    wait_until_loaded(page)  # the sections below the name load after it


class HeldAnswers:
    """Once armed, holds back the server's websocket messages to the page from the first one
    about ``state_part`` until released, then delivers them in order: an on_load handler that
    is slow, as on a busy server, on demand."""

    def __init__(self, page: Page, state_part: str) -> None:
        self.state_part = state_part
        self.armed = self.released = self.seen = False
        self.held: list[tuple[WebSocketRoute, str | bytes]] = []
        page.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, page_side: WebSocketRoute) -> None:
        server = page_side.connect_to_server()
        server.on_message(lambda message: self._from_server(page_side, message))

    def _from_server(self, page_side: WebSocketRoute, message: str | bytes) -> None:
        about_it = self.armed and self.state_part in str(message)
        self.seen = self.seen or about_it
        if self.held or (about_it and not self.released):
            self.held.append((page_side, message))
        else:
            page_side.send(message)

    def release(self) -> None:
        self.released = True
        while self.held:
            page_side, message = self.held.pop(0)
            page_side.send(message)


def test_a_form_takes_input_only_once_its_page_has_loaded(
    page: Page, portal: str, company: int
) -> None:
    """The user page opens in one answer that carries the user and the budget section's stored
    limits. Until it arrives the page says neither "not found" nor shows a form to type into
    (typing before the budget form is re-keyed with the stored limits would be dropped
    silently: the lost "abc" of a loaded run); once it has, the form takes input."""
    add_user(company, "hanna.halt@fabrikat-werkzeugbau.example", ["buyer"], "Hanna Halt")
    budget_answer = HeldAnswers(page, "user_budget_state")
    sign_in(page, portal, FRIEDA, PASSWORD)
    expect(page.locator("#company-name")).to_be_visible()
    open_page(page, f"{portal}/users")
    page.locator("#user-search").fill("Hanna Halt")
    budget_answer.armed = True
    page.get_by_role("link", name="Hanna Halt", exact=True).click()
    expect(page).to_have_url(re.compile(r"/users/\d+$"))
    expect(page.locator("#content .rt-Spinner").first).to_be_visible()
    expect(page.get_by_text("This entry does not exist")).to_have_count(0)
    maximum = page.locator("#budget-form").get_by_label("Maximum order value")
    expect(maximum).to_have_count(0)

    budget_answer.release()
    expect(page.locator("#detail-name")).to_have_text("Hanna Halt")
    expect(maximum).to_be_enabled()
    maximum.fill("abc")
    page.locator("#save-budget").click()
    expect(page.locator("#max_order_value-error")).to_have_text(
        "Please enter an amount such as 10,000.00."
    )
    expect(maximum).to_have_value("abc")
    assert budget_answer.seen, "the budget section's answer passed the holding route"


def test_an_invited_technician_sees_only_what_the_role_allows(
    page: Page, browser: Browser, portal: str, company: int
) -> None:
    sign_in(page, portal, FRIEDA, PASSWORD)
    expect(page.locator("#company-name")).to_have_text("Fabrikat Werkzeugbau GmbH")
    open_page(page, f"{portal}/users/new")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#name-error")).to_have_text("Please fill in this field.")
    expect(page.locator("#roles-error")).to_have_text("Choose at least one role.")

    page.get_by_label("Name").fill("Theo Technik")
    page.get_by_label("E-mail address").fill("theo.technik@fabrikat-werkzeugbau.example")
    page.get_by_label("Technician").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_url(re.compile(r"/users/\d+"))
    expect(page.locator("#detail-name")).to_have_text("Theo Technik")
    expect(page.get_by_text("Invited", exact=True)).to_be_visible()

    theo = browser.new_context().new_page()
    link = open_latest_mail_link(theo, portal, "theo.technik@", INVITATION_SUBJECT)
    open_page(theo, link)
    expect(theo.locator("#invitation-intro")).to_contain_text("Fabrikat Werkzeugbau GmbH")
    choose_password(theo, "Theo-techniker-passphrase-7")
    theo.get_by_role("button", name="Save and sign in").click()
    expect(theo.locator("#user-name")).to_have_text("Theo Technik")
    assert nav_labels(theo) == [
        "Overview",
        "Catalogue",
        "Documents",
        "Support cases",
        "My account",
    ]
    open_page(theo, f"{portal}/users")
    expect(theo.locator("#no-access")).to_be_visible()
    expect(theo.locator(".cc-user-row")).to_have_count(0)
    theo.context.close()

    page.reload()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()


def test_a_deactivated_user_is_signed_out_at_once(
    page: Page, browser: Browser, portal: str, company: int
) -> None:
    add_user(company, "dora.deakt@fabrikat-werkzeugbau.example", ["buyer"], "Dora Deakt")
    dora = browser.new_context().new_page()
    sign_in(dora, portal, "dora.deakt@fabrikat-werkzeugbau.example", PASSWORD)
    expect(dora.locator("#user-name")).to_have_text("Dora Deakt")

    sign_in(page, portal, FRIEDA, PASSWORD)
    expect(page.locator("#company-name")).to_be_visible()
    open_user(page, portal, "Dora Deakt")
    page.locator("#deactivate-user").click()
    page.locator("#deactivate-user-confirm").click()
    expect(page.get_by_text("The user is deactivated and was signed out.")).to_be_visible()

    # No click needed: the server pushes the end of the session to the open page.
    expect(dora).to_have_url(re.compile(r"/sign-in"), timeout=PUSHED_WITHIN_MS)
    sign_in(dora, portal, "dora.deakt@fabrikat-werkzeugbau.example", PASSWORD)
    expect(dora.get_by_role("alert")).to_be_visible()
    expect(dora.locator("#user-name")).to_have_count(0)
    dora.context.close()


def test_the_list_finds_users_in_a_large_company(page: Page, portal: str, company: int) -> None:
    with Session(get_engine()) as session:
        for n in range(60):
            make_user(
                session,
                company,
                f"staff{n:02d}@fabrikat-werkzeugbau.example",
                ["buyer"],
                name=f"Staff {n:02d}",
            )
        session.commit()
    sign_in(page, portal, FRIEDA, PASSWORD)
    expect(page.locator("#company-name")).to_be_visible()
    open_page(page, f"{portal}/users")
    expect(page.locator(".cc-user-row")).to_have_count(25)
    expect(page.locator("#users-page-info")).to_contain_text("Page 1 of")
    page.locator("#users-next").click()
    expect(page.locator("#users-page-info")).to_contain_text("Page 2 of")
    page.locator("#user-search").fill("staff 4")
    expect(page.locator(".cc-user-row")).to_have_count(10)
    expect(page.locator("#users-page-info")).to_contain_text("Page 1 of 1")
    page.locator("#user-search").fill("nobody-like-this")
    expect(page.locator("#users-empty")).to_be_visible()


def test_erp_takeover_budget_two_level_chain_and_the_new_users_navigation(
    page: Page, browser: Browser, portal: str, company: int
) -> None:
    add_user(company, "oskar.obermann@fabrikat-werkzeugbau.example", ["approver"], "Oskar Obermann")
    add_user(company, "petra.pruef@fabrikat-werkzeugbau.example", ["controller"], "Petra Prüf")
    sign_in(page, portal, FRIEDA, PASSWORD)
    expect(page.locator("#company-name")).to_be_visible()
    open_page(page, f"{portal}/users")
    page.locator("#users-from-erp").click()
    expect(page.locator(".cc-contact-row").first).to_be_visible()
    page.locator("#invite-contacts").click()
    expect(page.locator("#contacts-error")).to_have_text("Select at least one person.")
    page.get_by_label("Gregor Gans", exact=True).check()
    page.get_by_label("Jana Jung", exact=True).check()
    page.get_by_label("Approver · Jana Jung", exact=True).check()  # her own roles, in her row
    page.locator("#default-roles").get_by_label("Buyer").check()  # for whoever has none
    page.locator("#invite-contacts").click()
    expect(page.get_by_text("2 invitations are on their way.")).to_be_visible()
    assert roles_of("jana.jung@fabrikat-werkzeugbau.example") == ["approver"]
    assert roles_of("gregor.gans@fabrikat-werkzeugbau.example") == ["buyer"]

    open_user(page, portal, "Gregor Gans")
    budget = page.locator("#budget-form")
    budget.get_by_label("Maximum order value").fill("abc")
    page.locator("#save-budget").click()
    expect(page.locator("#max_order_value-error")).to_have_text(
        "Please enter an amount such as 10,000.00."
    )
    budget = page.locator("#budget-form")
    budget.get_by_label("Maximum order value").fill("1,000")
    budget.locator("#period").select_option("month")
    budget.get_by_label("Budget per period").fill("5000")
    page.locator("#save-budget").click()
    expect(page.get_by_text("At most €1,000.00 per order")).to_be_visible()
    expect(page.get_by_text("€5,000.00 per month")).to_be_visible()
    expect(page.locator(".cc-remaining")).to_have_text("€5,000.00")

    chain = page.locator("#chain-section")
    chain.locator(".cc-add-level").click()
    chain.locator(".cc-add-level").click()
    levels = chain.locator(".cc-level")
    expect(levels).to_have_count(2)
    levels.nth(0).locator("select").select_option(label="Oskar Obermann")
    expect(levels.nth(0).locator(".cc-approver")).to_have_text("Oskar Obermann")
    levels.nth(1).locator("select").select_option(label="Controller (role)")
    expect(levels.nth(1).locator(".cc-approver")).to_have_text("Controller (role)")
    levels.nth(1).get_by_role("combobox", name="Who decides").click()
    page.get_by_role("option", name="All of them").click()
    expect(levels.nth(1).get_by_role("combobox", name="Who decides")).to_have_text("All of them")
    levels.nth(1).get_by_label("Only for orders above").fill("10,000")
    levels.nth(1).get_by_label("Only for orders above").press("Tab")
    chain.locator(".cc-save-chain").click()
    expect(chain.get_by_text("The approver chain is saved.")).to_be_visible()
    page.locator("#preview-amount").fill("12,000")
    page.locator("#show-preview").click()
    expect(page.locator("#route-preview")).to_contain_text(
        "An order of €12,000.00 by Gregor Gans would go to:"
    )
    expect(page.locator("#route-preview")).to_contain_text("1) Oskar Obermann (any of)")
    # Petra, a Controller, cannot approve: the main contact decides for her.
    expect(page.locator("#route-preview")).to_contain_text("for Petra Prüf (all of)")
    page.locator("#preview-amount").fill("500")
    page.locator("#show-preview").click()
    expect(page.locator("#route-preview")).not_to_contain_text("Petra")

    gregor = browser.new_context().new_page()
    open_page(gregor, open_latest_mail_link(gregor, portal, "gregor.gans@", INVITATION_SUBJECT))
    choose_password(gregor, "Gregor-gans-passphrase-3")
    gregor.get_by_role("button", name="Save and sign in").click()
    expect(gregor.locator("#user-name")).to_have_text("Gregor Gans")
    assert nav_labels(gregor) == [
        "Overview",
        "Catalogue",
        "Cart",
        "Quick order",
        "Shopping lists",
        "Orders",
        "Documents",
        "Support cases",
        "Returns",
        "My account",
    ]
    open_page(gregor, f"{portal}/profile")
    expect(gregor.get_by_text("At most €1,000.00 per order")).to_be_visible()
    gregor.context.close()


def test_signing_in_returns_to_the_page_that_asked_for_it(
    page: Page, portal: str, company: int
) -> None:
    open_page(page, f"{portal}/users?status=active")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fusers(%2F)?%3Fstatus%3Dactive$"))
    page.get_by_label("E-mail address").fill(FRIEDA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/users/?\?status=active$"))
    expect(page.locator(".cc-user-row").first).to_be_visible()
