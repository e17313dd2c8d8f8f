"""The foundation's user journeys in Chromium against the production build."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text, update

from customer_center.db import get_engine
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from tests.e2e.helpers import choose_password, open_latest_mail_link, sign_in

ANNA = "anna.mueller@mueller-maschinenbau.example"
JANE = "jane.doe@acme-industrial.example"
GOOD_PASSWORD = "Kettle-moon-arrives-late"
MISMATCH = "These details do not match our records"
ACTIVATION_SUBJECT = "Confirm the activation of"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Each journey starts with no failed attempts on record (all come from 127.0.0.1)."""
    with get_engine().begin() as connection:
        connection.execute(text("DELETE FROM attempt"))


def request_activation(page: Page, portal: str, customer: str, invoice: str, email: str) -> None:
    page.goto(f"{portal}/activate")
    page.get_by_label("Customer number").fill(customer)
    page.get_by_label("Invoice number").fill(invoice)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send confirmation link").click()


def test_empty_fields_are_named_next_to_each_field(page: Page, portal: str) -> None:
    page.goto(f"{portal}/activate")
    page.get_by_role("button", name="Send confirmation link").click()
    for field in ("customer_number", "invoice_number", "email"):
        expect(page.locator(f"#{field}-error")).to_have_text("Please fill in this field.")


@pytest.mark.parametrize(
    ("customer", "invoice", "email"),
    [
        ("10001", "2026-10002-001", ANNA),  # invoice of another customer
        ("10003", "2026-10003-001", "max.meier@northwind.example"),  # not allowed
        ("10001", "2026-10001-001", "someone@elsewhere.example"),  # foreign e-mail
        ("99999", "2026-10001-001", ANNA),  # unknown customer
    ],
)
def test_every_mismatch_gets_the_same_message(
    page: Page, portal: str, customer: str, invoice: str, email: str
) -> None:
    request_activation(page, portal, customer, invoice, email)
    expect(page.get_by_role("alert")).to_contain_text(MISMATCH)


def test_five_failures_lock_out_further_attempts(page: Page, portal: str) -> None:
    for _ in range(5):
        request_activation(page, portal, "10002", "2026-10002-999", JANE)
        expect(page.get_by_role("alert")).to_contain_text(MISMATCH)
    request_activation(page, portal, "10002", "2026-10002-001", JANE)
    expect(page.get_by_role("alert")).to_contain_text("Too many attempts")
    expect(page.get_by_role("alert")).to_contain_text("15 minutes")


def test_activation_sign_out_sign_in_reload_and_second_tab(page: Page, portal: str) -> None:
    request_activation(page, portal, "10001", "2026-10001-001", ANNA)
    expect(page.locator("#activation-sent-to")).to_have_text(ANNA)

    link = open_latest_mail_link(page, portal, ANNA, ACTIVATION_SUBJECT)
    page.goto(link)
    expect(page.get_by_text("Müller Maschinenbau GmbH")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Anna Müller")
    choose_password(page, "password1234")
    page.get_by_role("button", name="Activate and sign in").click()
    expect(page.locator("#password-error")).to_contain_text("too common")

    choose_password(page, GOOD_PASSWORD)
    page.get_by_role("button", name="Activate and sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    expect(page.locator("#company-name")).to_have_text("Müller Maschinenbau GmbH")
    expect(page.locator("#customer-number")).to_have_text("10001")
    expect(page.locator("#company-address")).to_contain_text("70565 Stuttgart")
    expect(page.locator("#main-badge")).to_be_visible()
    expect(page.get_by_role("navigation")).to_contain_text("Overview")

    page.reload()
    expect(page.locator("#company-name")).to_have_text("Müller Maschinenbau GmbH")
    second = page.context.new_page()
    second.goto(f"{portal}/dashboard")
    expect(second.locator("#user-name")).to_have_text("Anna Müller")
    second.close()

    page.locator("#user-menu").click()
    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    page.goto(f"{portal}/dashboard")
    expect(page).to_have_url(re.compile(r"/sign-in"))

    sign_in(page, portal, ANNA, "wrong-password-here")
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    sign_in(page, portal, ANNA, GOOD_PASSWORD)
    expect(page.locator("#company-name")).to_have_text("Müller Maschinenbau GmbH")

    page.goto(link)
    expect(page.get_by_text("already been used")).to_be_visible()


def test_an_activated_company_cannot_be_activated_again(page: Page, portal: str) -> None:
    request_activation(
        page, portal, "10001", "2026-10001-002", "ben.schmidt@mueller-maschinenbau.example"
    )
    expect(page.get_by_role("alert")).to_contain_text("already uses the Customer Center")


def test_forgot_password_link_works_once(page: Page, portal: str) -> None:
    page.goto(f"{portal}/forgot-password")
    page.get_by_label("E-mail address").fill(ANNA)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("is on its way")).to_be_visible()

    link = open_latest_mail_link(page, portal, ANNA, "Choose a new password")
    assert "/reset-password" in link
    page.goto(link)
    choose_password(page, "Another-long-passphrase-42", "different-passphrase-42")
    page.get_by_role("button", name="Save password and sign in").click()
    expect(page.locator("#password_repeat-error")).to_contain_text("do not match")
    choose_password(page, "Another-long-passphrase-42")
    page.get_by_role("button", name="Save password and sign in").click()
    expect(page.locator("#company-name")).to_have_text("Müller Maschinenbau GmbH")

    page.goto(link)
    expect(page.get_by_text("already been used")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, portal, ANNA, GOOD_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("not correct")


def test_an_expired_activation_link_changes_nothing(page: Page, portal: str) -> None:
    request_activation(page, portal, "10002", "2026-10002-001", JANE)
    expect(page.locator("#activation-sent-to")).to_have_text(JANE)
    with get_engine().begin() as connection:
        connection.execute(
            update(OneTimeToken)
            .where(OneTimeToken.purpose == "activation")
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    page.goto(open_latest_mail_link(page, portal, JANE, ACTIVATION_SUBJECT))
    expect(page.get_by_text("This link has expired")).to_be_visible()
    expect(page.get_by_label("New password")).to_have_count(0)


def test_language_switch_translates_the_page(page: Page, portal: str) -> None:
    page.goto(f"{portal}/sign-in")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="Deutsch").click()
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    expect(page.get_by_label("E-Mail-Adresse")).to_be_visible()
