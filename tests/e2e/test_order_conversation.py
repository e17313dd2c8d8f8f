"""The order page as a readable journey and a conversation, in Chromium against the production
build: the stepper shows the moments the ERP reports and a partial shipment with its lines
and a tracking link; a message e-mails each other person involved once; the page an approval
e-mail links to shows the order's lines and its conversation."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from customer_center.db import get_engine
from customer_center.i18n.formatting import format_moment
from customer_center.models.dev_mail import DevMail
from customer_center.models.order import Order
from tests.e2e.helpers import (
    MOTOR,
    approval_company,
    open_latest_mail_link,
    open_page,
    place_motor_order,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD

TOKEN = os.environ.setdefault("CC_ERP_STATUS_TOKEN", "e2e-erp-status-token-0123456789abcdefgh")
SHOTS = Path(os.environ.get("CC_SHOTS_DIR", "")) if os.environ.get("CC_SHOTS_DIR") else None
DOMAIN = "talk-gmbh.example"
BEN = f"ben.buyer@{DOMAIN}"
ANNA = f"anna.approver@{DOMAIN}"
MIA = f"main@{DOMAIN}"


@pytest.fixture(scope="module")
def company(portal: str) -> int:
    return approval_company("E2E-TALK", "Talk GmbH", DOMAIN)


def shot(page: Page, name: str) -> None:
    """Screenshots for looking at (CC_SHOTS_DIR), at the width the test runs at."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def handed_off_number(order_id: int) -> str:
    """The ERP's order number, once the portal's relay has handed the order over."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with Session(get_engine()) as session:
            order = session.get(Order, order_id)
            if order is not None and order.erp_order_number:
                return order.erp_order_number
        time.sleep(0.5)
    raise AssertionError("the order was not handed to the ERP")


def post_status(portal: str, *updates: dict) -> None:
    response = httpx.post(
        f"{portal}/erp/order-status",
        json={"updates": list(updates)},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=15,
    )
    assert response.status_code == 200, response.text


def mails_to(address: str, subject: str) -> int:
    with Session(get_engine()) as session:
        rows = session.exec(
            select(DevMail.id).where(DevMail.to_address == address, col(DevMail.subject) == subject)
        ).all()
        return len(rows)


def test_the_stepper_shows_the_erp_s_times_and_a_partial_shipment(
    page: Page, portal: str, company: int
) -> None:
    # Three motors are over Ben's limit: Anna approves them; one of them ships first.
    order_id = place_motor_order(BEN, 3, "pending_approval")
    sign_in(page, portal, ANNA, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    open_page(page, f"{portal}/orders/{order_id}")
    expect(page.locator("#approvals-count")).to_have_text("1")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#order-status")).to_have_text(re.compile("Approved|Sent to the seller"))
    expect(page.locator("#approvals-count")).to_have_count(0)  # the badge follows at once
    so_number = handed_off_number(order_id)
    confirmed_at = datetime(2026, 5, 4, 6, 15, tzinfo=UTC)
    shipped_at = datetime(2026, 5, 5, 7, 30, tzinfo=UTC)
    post_status(
        portal,
        {
            "update_id": f"{so_number}-c",
            "erp_order_number": so_number,
            "status": "confirmed",
            "occurred_at": "2026-05-04T08:15:00+02:00",
        },
        {
            "update_id": f"{so_number}-s1",
            "erp_order_number": so_number,
            "status": "shipped",
            "occurred_at": "2026-05-05T07:30:00Z",
            "carrier": "DHL",
            "tracking_number": "00340434161094042557",
            "lines": [{"sku": MOTOR, "quantity": 1}],
        },
    )
    open_page(page, f"{portal}/orders/{order_id}")
    expect(page).to_have_title(f"PO-{order_id:06d} · Orders · Customer Center")
    stepper = page.get_by_role("list", name="Order journey")
    confirmed = stepper.get_by_role("listitem").filter(has_text="Confirmed")
    expect(confirmed).to_contain_text(format_moment(confirmed_at, "en"))
    current = stepper.locator("[aria-current=step]")
    expect(current).to_contain_text("Partially shipped")
    expect(stepper.get_by_role("listitem").filter(has_text="Delivered")).to_contain_text("not yet")
    shipments = page.locator("#order-shipments")
    expect(shipments).to_contain_text("Shipment 1 (part of the order)")
    expect(shipments).to_contain_text(format_moment(shipped_at, "en"))
    expect(shipments).to_contain_text("1 × ")
    expect(shipments).to_contain_text(f"({MOTOR})")
    tracking = shipments.get_by_role("link", name="00340434161094042557")
    expect(tracking).to_have_attribute("href", re.compile(r"dhl\.com/.*00340434161094042557"))
    timeline = page.locator("#order-timeline")
    expect(timeline).to_contain_text("reports: Partially shipped")
    expect(timeline).not_to_contain_text("Customer Center reports")
    shot(page, "stepper")


def test_a_message_e_mails_the_others_once_and_the_e_mail_page_shows_it(
    page: Page, portal: str, company: int
) -> None:
    order_id = place_motor_order(BEN, 2, "pending_approval")
    number = f"PO-{order_id:06d}"
    subject = f"New message on order {number}"
    sign_in(page, portal, BEN, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    open_page(page, f"{portal}/orders/{order_id}")
    page.get_by_label("Write to everyone involved").fill("Needed for line 3 by Friday, please.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#order-timeline")).to_contain_text("Needed for line 3 by Friday")

    link = open_latest_mail_link(page, portal, ANNA, subject)
    assert link.endswith(f"/orders/{order_id}")
    assert mails_to(ANNA, subject) == 1
    assert mails_to(BEN, subject) == 0  # never the author
    assert mails_to(MIA, subject) == 0  # the main contact is not involved in this order

    page.context.clear_cookies()
    sign_in(page, portal, ANNA, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    approval = open_latest_mail_link(page, portal, ANNA, f"Approval needed: order {number}")
    page.goto(portal + approval[approval.index("/approve?token=") :])
    wait_until_loaded(page)
    expect(page.locator("#link-summary")).to_contain_text(f"Ben Buyer placed order {number}")
    expect(page.get_by_role("heading", name="Lines")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=MOTOR)).to_contain_text("€1,224.00")
    expect(page.locator("#link-total")).to_have_text("€1,224.00")
    expect(page.locator("#link-details")).to_contain_text("Delivery address")
    conversation = page.locator("#link-conversation")
    expect(conversation).to_contain_text("Ben Buyer")
    expect(conversation).to_contain_text("Needed for line 3 by Friday, please.")
    shot(page, "approve-link")
