"""The order journey in Chromium against the production build: an approved order reaches the
embedded ERP through the portal's own relay, the ERP posts status updates to the endpoint with
its token, and the requester sees them in the order list, the timeline and the mailbox; the
main contact sees the figures on the controlling page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.helpers import MOTOR, open_latest_mail_link, place_motor_order, sign_in
from tests.factories import PASSWORD, make_user

# The portal process reads its settings from this environment when the suite starts it.
TOKEN = os.environ.setdefault("CC_ERP_STATUS_TOKEN", "e2e-erp-status-token-0123456789abcdefgh")
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DOMAIN = "journey-gmbh.example"
BEN = f"ben.buyer@{DOMAIN}"
MIA = f"mia.main@{DOMAIN}"


@pytest.fixture(scope="module")
def company(portal: str) -> int:
    """Journey GmbH: Mia the main contact, Ben a buyer without limits."""
    with Session(get_engine()) as session:
        found = session.exec(select(Company).where(Company.customer_number == "E2E-JRN")).first()
        if found is not None:
            return found.id  # type: ignore[return-value]
        company = Company(customer_number="E2E-JRN", name="Journey GmbH")
        session.add(company)
        session.flush()
        create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        main = make_user(session, company.id, MIA, ["main_contact"], name="Mia Main")  # type: ignore[arg-type]
        main.is_main_contact = True
        make_user(session, company.id, BEN, ["buyer"], name="Ben Buyer")  # type: ignore[arg-type]
        session.commit()
        return company.id  # type: ignore[return-value]


def place_order(quantity: int) -> int:
    """Ben's order of motors, placed the way the checkout places it: approved at once."""
    return place_motor_order(BEN, quantity, "approved")


def reload_until(page: Page, locator: Locator, text: str | re.Pattern[str]) -> None:
    """The relay runs in the portal's background: look again until it has done its part."""
    for _attempt in range(20):
        page.reload()
        try:
            expect(locator).to_contain_text(text, timeout=1_000)
            return
        except AssertionError:
            continue
    expect(locator).to_contain_text(text)


def post_status(portal: str, *updates: dict, token: str = TOKEN) -> httpx.Response:
    return httpx.post(
        f"{portal}/erp/order-status",
        json={"updates": list(updates)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=15,
    )


def erp_number(order_id: int) -> str:
    with Session(get_engine()) as session:
        order = session.get(Order, order_id)
        assert order is not None and order.erp_order_number
        return order.erp_order_number


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def test_erp_status_updates_reach_the_list_the_timeline_and_the_mailbox(
    page: Page, portal: str, company: int
) -> None:
    order_id = place_order(3)
    number = f"PO-{order_id:06d}"
    sign_in(page, portal, BEN, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    page.goto(f"{portal}/orders")
    row = page.locator(".cc-order-row", has_text=number)
    reload_until(page, row, "Sent to the seller")
    so_number = erp_number(order_id)
    expect(row).to_contain_text(so_number)
    expect(row).to_contain_text("€1,836.00")

    refused = post_status(
        portal, {"update_id": "x", "erp_order_number": so_number, "status": "confirmed"},
        token="wrong",
    )  # fmt: skip
    assert refused.status_code == 401
    first = f"{so_number}-1"
    response = post_status(
        portal,
        {"update_id": first, "erp_order_number": so_number, "status": "confirmed"},
        {
            "update_id": f"{so_number}-2",
            "erp_order_number": so_number,
            "status": "shipped",
            "carrier": "DHL",
            "tracking_number": "00340434161094042557",
            "lines": [{"sku": MOTOR, "quantity": 2}],
        },
    )
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["confirmed", "partially_shipped"]

    page.reload()
    expect(row).to_contain_text("Partially shipped")
    shot(page, "list")
    row.get_by_role("link", name=number).click()
    expect(page.locator("#order-number")).to_have_text(number)
    timeline = page.locator("#order-timeline")
    expect(timeline).to_contain_text(f"order no. {so_number}")
    expect(timeline).to_contain_text("DHL")
    expect(timeline).to_contain_text("00340434161094042557")
    shot(page, "timeline")

    again = post_status(
        portal,
        {"update_id": first, "erp_order_number": so_number, "status": "confirmed"},
        {"update_id": f"{so_number}-3", "erp_order_number": so_number, "status": "shipped"},
        {"update_id": f"{so_number}-4", "erp_order_number": so_number, "status": "delivered"},
    )
    assert [r["result"] for r in again.json()["results"]] == ["duplicate", "applied", "applied"]
    page.goto(f"{portal}/orders?status=delivered")
    expect(page.locator(".cc-order-row", has_text=number)).to_contain_text("Delivered")

    link = open_latest_mail_link(page, portal, BEN, f"Part of your order {number} has shipped")
    assert link.endswith(f"/orders/{order_id}")
    open_latest_mail_link(page, portal, BEN, f"Your order {number} has been delivered")
    page.goto(link)
    expect(page.locator("#order-timeline")).to_contain_text("Delivered")


def test_the_controlling_page_shows_the_company_s_figures(
    page: Page, portal: str, company: int
) -> None:
    place_order(1)
    sign_in(page, portal, MIA, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    page.locator("nav").get_by_role("link", name="Controlling").click()
    expect(page.get_by_role("heading", name="Controlling", level=1)).to_be_visible()
    spent = page.locator("#controlling-spent")
    expect(spent).not_to_have_text("€0.00")
    ben = page.locator(".cc-budget-use-row", has_text="Ben Buyer")
    expect(ben).to_be_visible()
    expect(page.locator("#controlling-users")).to_contain_text("Ben Buyer")
    expect(page.locator("#controlling-months .recharts-bar-rectangle").first).to_be_visible()
    shot(page, "controlling")
    page.locator("#controlling-range").click()
    page.get_by_role("option", name="This month").click()
    expect(page.locator("#controlling-users")).to_contain_text("Ben Buyer")
