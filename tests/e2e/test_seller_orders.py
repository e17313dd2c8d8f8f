"""The console's order pages and contract price check in the browser (production build): an
agent signs in at /seller, opens Müller's orders, opens a delivered order and sees every ERP
status with its time, the shipments per line with tracking and the e-mails the portal sent;
sees the mismatch flag on the seeded order; checks the price of a bearing with its quantity
break. Both widths screenshot-checked, axe finds nothing, German complete."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.domain.staff import StaffPermission
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.helpers import choose_language, open_page, wait_until_loaded
from tests.factories import PASSWORD, make_user
from tests.journey_factory import seed_delivered_order
from tests.price_factories import BEARING, MOTOR, seed_mismatched_order
from tests.staff_factories import make_staff

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
AGENT = "eva.ernst@seller-orders.example"
BEN = "ben.schmidt@orders-mueller.example"
SO = "SO-E2E-7001"
WIDTHS = {"desktop": 1280, "phone": 390}
DELIVERED_LINES = (
    (BEARING, "Deep groove ball bearing 6205-2RS", 120, 695),
    (MOTOR, "Three-phase motor IE3 4 kW", 1, 55900),
)


def _seed() -> tuple[int, int, int]:
    """Müller (10001) with Ben, the mismatched order and a delivered one; an agent."""
    with Session(get_engine(), expire_on_commit=False) as session:
        company = session.exec(select(Company).where(Company.customer_number == "10001")).first()
        if company is None:
            company = Company(customer_number="10001", name="Müller Maschinenbau GmbH")
            session.add(company)
            session.flush()
            create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        cid: int = company.id  # type: ignore[assignment]
        ben = session.exec(select(User).where(User.email == BEN)).first()
        if ben is None:
            ben = make_user(session, cid, BEN, ["buyer"], name="Ben Schmidt")
        make_staff(session, AGENT, [StaffPermission.VIEW], name="Eva Ernst")
        session.commit()
        assert ben.id is not None
        mismatched = seed_mismatched_order(session, requester_email=BEN)
        delivered = seed_delivered_order(
            session, cid, ben.id, erp_order_number=SO, lines=DELIVERED_LINES, update_prefix="e2e"
        )
        return cid, mismatched, delivered.id or 0


def _shoot(page: Page, name: str) -> None:
    """Both widths: nothing scrolls sideways; axe finds nothing; a screenshot to look at."""
    SHOTS.mkdir(exist_ok=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        path = SHOTS / f"seller-{name}-{width_name}.png"
        page.screenshot(path=str(path), full_page=True)
        notes = Path("/work/notes/h11")
        if notes.is_dir():
            shutil.copy(path, notes / path.name)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def test_an_agent_follows_an_orders_journey_and_checks_prices(page: Page, portal: str) -> None:
    company_id, mismatched_id, delivered_id = _seed()
    open_page(page, f"{portal}/seller")
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal}/seller/companies", timeout=30_000)  # agents start there
    wait_until_loaded(page)

    # The company's orders, newest first, each linking to its journey.
    open_page(page, f"{portal}/seller/companies/{company_id}/orders")
    expect(page.locator("#company-back")).to_contain_text("Müller Maschinenbau GmbH")
    expect(page.locator("#company-back")).to_have_attribute(
        "href", f"/seller/companies/{company_id}"
    )
    orders = page.locator("#company-orders")
    expect(orders).to_contain_text("Delivered")
    expect(orders).to_contain_text("Approved")
    _shoot(page, "company-orders")
    page.locator("#order-status").click()
    page.get_by_role("option", name="Delivered").click()
    expect(page.locator(".cc-order-row")).to_have_count(1)
    expect(page.locator("#orders-page-info")).to_contain_text("orders: 1")

    # The delivered order's journey: ERP statuses with times, shipments, e-mails.
    page.locator(".cc-order-link").first.click()
    page.wait_for_url(f"{portal}/seller/companies/{company_id}/orders/{delivered_id}")
    wait_until_loaded(page)
    expect(page.locator("#journey-head")).to_contain_text(SO)
    steps = page.locator(".cc-erp-step")
    expect(steps).to_have_count(5)
    expect(steps.nth(1)).to_contain_text("Confirmed")
    expect(steps.nth(1)).to_contain_text(re.compile(r"Happened: Nov 2, 2026"))
    expect(steps.nth(2)).to_contain_text("Carrier DHL, tracking number 00340434")
    expect(steps.nth(4)).to_contain_text("Delivered")
    shipments = page.locator("#shipments")
    expect(shipments).to_contain_text("120 of 120 shipped")
    expect(shipments).to_contain_text("UPS, tracking 1Z999")
    mails = page.locator("#order-mails")
    expect(mails).to_contain_text(BEN)
    expect(page.locator(".cc-mail-row")).to_have_count(3)
    expect(page.locator("#price-summary")).to_contain_text("Every line matches")
    _shoot(page, "order-journey")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", name="Verlauf der Bestellung", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Statusmeldungen des ERP")).to_be_visible()
    expect(page.get_by_role("heading", name="E-Mails zu dieser Bestellung")).to_be_visible()
    # The agent's language is kept: the next load words the order's data in German too.
    open_page(page, page.url)
    expect(steps.nth(1)).to_contain_text("Bestätigt")
    expect(steps.nth(1)).to_contain_text("Geschehen: 02.11.2026")
    expect(mails).to_contain_text("An den Mailserver übergeben")
    expect(page.locator("#price-summary")).to_contain_text("Jede Position")
    _shoot(page, "order-journey-de")
    choose_language(page, "English", "Sprache")

    # The seeded order: the bearing line was stored with the ended contract.
    open_page(page, f"{portal}/seller/companies/{company_id}/orders/{mismatched_id}")
    expect(page.locator("#price-summary")).to_contain_text("1 of 2 lines does not match")
    flagged = page.locator(".cc-price-line.cc-flagged")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("Mismatch")
    expect(flagged).to_contain_text("€0.45 more per unit")
    expect(page.locator("#erp-reports")).to_contain_text("has not reported anything")
    _shoot(page, "order-mismatch")

    # A price check: bad input first, then a bearing with its quantity break.
    open_page(page, f"{portal}/seller/companies/{company_id}/prices")
    page.get_by_label("Article number (SKU)").fill(BEARING)
    page.get_by_label("Quantity").fill("0")
    page.locator("#check-price").click()
    expect(page.locator("#quantity-error")).to_contain_text("whole number from 1 to 9999")
    page.get_by_label("Quantity").fill("100")
    page.locator("#check-price").click()
    expect(page.locator("#price-amount")).to_have_text("€6.95")
    expect(page.locator("#price-source")).to_have_text("Quantity break")
    expect(page.locator("#price-quote")).to_contain_text("(from 100 pieces)")
    expect(page.locator("#price-list")).to_have_text("List price €8.90")
    expect(page.locator("#price-terms tr")).to_have_count(3)
    page.locator("#user").select_option(label="Ben Schmidt")
    page.locator("#check-cart").click()
    expect(page.locator("#cart-result")).to_contain_text("The cart of Ben Schmidt")
    expect(page.locator("#cart-result")).to_contain_text("The cart is empty.")
    _shoot(page, "prices")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", name="Prüfung der Vertragspreise", level=1)).to_be_visible()
    page.locator("#check-price").click()
    expect(page.locator("#price-source")).to_have_text("Staffelpreis")
    expect(page.locator("#price-amount")).to_contain_text("6,95")
    _shoot(page, "prices-de")
