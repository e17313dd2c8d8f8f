"""Approvals in Chromium against the production build: an approver changes an order and
approves it; a rejected order is changed and sent again by its requester, then approved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    approval_company,
    open_latest_mail_link,
    place_motor_order,
    sign_in,
)
from tests.factories import PASSWORD

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DOMAIN = "approvia.example"
BEN = f"ben.buyer@{DOMAIN}"
ANNA = f"anna.approver@{DOMAIN}"
APPROVED = re.compile("Approved|Sent to the seller")  # the relay may have handed it on


@pytest.fixture(scope="module")
def company(portal: str) -> int:
    """Approvia GmbH: Ben may order at most 1,000 EUR at once; Anna approves everything."""
    return approval_company("E2E-APR", "Approvia GmbH", DOMAIN)


def place_order(quantity: int) -> int:
    """Ben's order of motors, placed the way the checkout places it."""
    return place_motor_order(BEN, quantity, "pending_approval")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"approvals-{name}.png"), full_page=True)


def switch_user(page: Page, portal: str, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, portal, email, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()


def mail_subjects(page: Page, portal: str, to: str) -> list[str]:
    page.goto(f"{portal}/dev/mailbox")
    expect(page.locator("tr", has_text=to).first).to_be_visible(timeout=15_000)
    return [
        s.strip()
        for s in page.locator("tr", has_text=to).locator(".cc-mail-subject").all_inner_texts()
    ]


def test_an_approver_changes_the_quantity_and_approves(
    page: Page, portal: str, company: int
) -> None:
    order_id = place_order(2)
    number = f"PO-{order_id:06d}"
    switch_user(page, portal, ANNA)
    expect(page.locator("#approvals-count")).to_have_text("1")
    page.locator("nav").get_by_role("link", name=re.compile("Approvals")).click()
    row = page.locator(".approval-row", has_text=number)
    expect(row).to_contain_text("Ben Buyer")
    expect(row).to_contain_text("€1,224.00")
    shot(page, "inbox")
    row.get_by_role("link", name=number).click()

    expect(page.locator("#order-number")).to_have_text(number)
    expect(page.locator("#order-status")).to_have_text("Waiting for approval")
    expect(page.locator("#order-reasons")).to_contain_text("exceeds the per-order limit")
    expect(page.locator("#order-chain")).to_contain_text("Anna Approver")
    expect(page.locator("#order-budget")).to_be_visible()
    shot(page, "order-waiting")

    page.locator("#start-change").click()
    page.locator(".order-line input").fill("1")
    page.locator("#edit-comment").fill("One motor is enough for now.")
    page.locator("#edit-submit").click()
    expect(page.locator("#order-notice")).to_contain_text("saved as a new revision")
    expect(page.locator("#order-total")).to_have_text("€612.00")
    expect(page.locator("#order-revisions")).to_contain_text("quantity 2 → 1")
    page.locator("#approve").click()
    expect(page.locator("#order-status")).to_have_text(APPROVED)
    expect(page.locator("#order-timeline")).to_contain_text("approved the order")

    switch_user(page, portal, BEN)
    page.goto(f"{portal}/orders/{order_id}")
    expect(page.locator("#order-status")).to_have_text(APPROVED)
    expect(page.locator("#order-revisions")).to_contain_text("Three-phase motor IE3 4 kW")
    expect(page.locator("#order-revisions")).to_contain_text("quantity 2 → 1")
    expect(page.locator("#order-revisions")).to_contain_text("One motor is enough for now.")
    shot(page, "order-requester")
    subjects = mail_subjects(page, portal, BEN)
    assert f"Your order {number} was changed" in subjects
    assert f"Your order {number} is approved" in subjects


def test_a_rejected_order_is_changed_and_sent_again_then_approved(
    page: Page, portal: str, company: int
) -> None:
    order_id = place_order(3)
    number = f"PO-{order_id:06d}"
    switch_user(page, portal, ANNA)
    page.goto(f"{portal}/orders/{order_id}")
    page.locator("#reject").click()
    expect(page.get_by_text("Please say why, in a comment.")).to_be_visible()
    page.locator("#decision-comment").fill("Three motors are too many; we have one in stock.")
    page.locator("#reject").click()
    expect(page.locator("#order-status")).to_have_text("Rejected")
    expect(page.locator("#order-reasons")).to_have_count(0)
    expect(page.locator("#order-state-note")).to_contain_text("This order was rejected.")

    switch_user(page, portal, BEN)
    page.goto(f"{portal}/orders/{order_id}")
    expect(page.locator("#order-timeline")).to_contain_text("we have one in stock")
    page.locator("#start-resubmit").click()
    page.locator(".order-line input").fill("2")
    page.locator("#edit-submit").click()
    expect(page.get_by_text("Please say why, in a comment.")).to_be_visible()
    page.locator("#edit-comment").fill("Two, then: the second line starts next week.")
    page.locator("#edit-submit").click()
    expect(page.locator("#order-status")).to_have_text("Waiting for approval")
    expect(page.locator("#order-revisions")).to_contain_text("quantity 3 → 2")
    shot(page, "resubmitted")
    assert f"Your order {number} was rejected" in mail_subjects(page, portal, BEN)

    switch_user(page, portal, ANNA)
    page.goto(f"{portal}/orders/{order_id}")
    expect(page.locator("#order-timeline")).to_contain_text("the second line starts next week")
    page.locator("#approve").click()
    expect(page.locator("#order-status")).to_have_text(APPROVED)
    page.goto(f"{portal}/approvals")
    expect(page.locator("#empty")).to_be_visible()


def test_an_approver_decides_from_the_e_mail_after_signing_in(
    page: Page, portal: str, company: int
) -> None:
    order_id = place_order(2)
    number = f"PO-{order_id:06d}"
    page.context.clear_cookies()
    link = open_latest_mail_link(page, portal, ANNA, f"Approval needed: order {number}")
    # The order was placed in this process, whose links name the test's base address.
    link = portal + link[link.index("/approve?token=") :]
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fapprove"))
    page.get_by_label("E-mail address").fill(ANNA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#link-summary")).to_contain_text(f"Ben Buyer placed order {number}")
    page.locator("#decision-reject").check()
    page.locator("#confirm-decision").click()
    expect(page.locator("#link-comment-error")).to_be_visible()
    page.locator("#decision-approve").check()
    page.locator("#confirm-decision").click()
    expect(page.get_by_text("You approved the order.")).to_be_visible()
    expect(page.locator("#approvals-count")).to_have_count(0)
    shot(page, "from-e-mail")
    page.goto(link)
    expect(page.get_by_text("This link has already been used")).to_be_visible()


def test_planned_absences_and_the_first_pick_of_a_chain(
    page: Page, portal: str, company: int
) -> None:
    """Anna plans two absences; Ben, a buyer, is refused as substitute with the reason. The
    main contact starts Ben's own chain by picking Anna, before any level exists."""
    switch_user(page, portal, ANNA)
    page.goto(f"{portal}/profile")
    expect(page.locator("#absence-list")).to_have_text("No absence planned.")
    # Loaded: the substitutes are offered (the form is drawn anew when the page has loaded).
    expect(page.locator("#substitute option", has_text="Mia Main")).to_have_count(1)
    periods = (("2030-12-01", "2030-12-10"), ("2031-03-01", "2031-03-10"))
    for count, (first, last) in enumerate(periods, start=1):
        page.locator("#starts_on").fill(first)
        page.locator("#ends_on").fill(last)
        page.locator("#substitute").select_option(label="Mia Main")
        page.locator("#save-absence").click()
        expect(page.locator("#absence-list li")).to_have_count(count)
    expect(page.get_by_text("The absence is saved.")).to_be_visible()
    page.locator("#starts_on").fill("2031-06-01")
    page.locator("#ends_on").fill("2031-06-02")
    page.locator("#substitute").select_option(label="Ben Buyer")
    page.locator("#save-absence").click()
    expect(page.locator("#substitute-error")).to_contain_text("Ben Buyer cannot decide approvals")
    expect(page.locator("#absence-list li")).to_have_count(2)
    shot(page, "absences")

    switch_user(page, portal, f"main@{DOMAIN}")
    page.goto(f"{portal}/users")
    page.locator("#user-search").fill("Ben Buyer")
    page.get_by_role("link", name="Ben Buyer", exact=True).click()
    chain = page.locator("#chain-section")
    expect(chain.locator(".cc-level")).to_have_count(0)
    chain.get_by_placeholder("Find people or roles to add").fill("anna")
    chain.locator(".cc-first-pick select").select_option(label="Anna Approver")
    expect(chain.locator(".cc-level")).to_have_count(1)
    expect(chain.locator(".cc-level .cc-approver")).to_have_text("Anna Approver")
    shot(page, "chain-first-pick")
