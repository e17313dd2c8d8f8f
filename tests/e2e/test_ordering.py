"""Employees order in Chromium against the production build: catalogue, cart, checkout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.domain.people import RuleScope
from customer_center.models.budget import BudgetRule
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, make_user

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DOMAIN = "orderly-gmbh.example"
BEA = f"bea.buyer@{DOMAIN}"
OTTO = f"otto.over@{DOMAIN}"
TEO = f"teo.tech@{DOMAIN}"


@pytest.fixture(scope="module")
def company(portal: str) -> int:
    """Orderly GmbH: a customer the ERP knows no addresses of (a new delivery address, the
    company's own address for invoices); Bea may order up to 1,000 EUR at once and 5,000 EUR a
    month, Otto at most 100 EUR at once, Teo is a technician."""
    with Session(get_engine()) as session:
        existing = session.exec(select(Company).where(Company.customer_number == "E2E-ORD")).first()
        if existing is not None:
            return existing.id  # type: ignore[return-value]
        company = Company(
            customer_number="E2E-ORD",
            name="Orderly GmbH",
            street="Lagerweg 1",
            postal_code="28195",
            city="Bremen",
            country="DE",
        )
        session.add(company)
        session.flush()
        create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        main = make_user(session, company.id, f"main@{DOMAIN}", ["main_contact"], name="Mia Main")  # type: ignore[arg-type]
        main.is_main_contact = True
        session.add(main)
        bea = make_user(session, company.id, BEA, ["buyer"], name="Bea Buyer")  # type: ignore[arg-type]
        session.add(
            BudgetRule(
                company_id=company.id,  # type: ignore[arg-type]
                scope=RuleScope.USER,
                subject_id=bea.id,  # type: ignore[arg-type]
                max_order_value_cents=100_000,
                period="month",
                period_budget_cents=500_000,
            )
        )
        otto = make_user(session, company.id, OTTO, ["buyer"], name="Otto Over")  # type: ignore[arg-type]
        session.add(
            BudgetRule(
                company_id=company.id,  # type: ignore[arg-type]
                scope=RuleScope.USER,
                subject_id=otto.id,  # type: ignore[arg-type]
                max_order_value_cents=10_000,
            )
        )
        make_user(session, company.id, TEO, ["technician"], name="Teo Tech")  # type: ignore[arg-type]
        session.commit()
        return company.id  # type: ignore[return-value]


def nav_labels(page: Page) -> list[str]:
    return [label.strip() for label in page.locator("nav .cc-nav-link").all_inner_texts()]


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ordering-{name}.png"), full_page=True)


def product(page: Page, sku: str):  # type: ignore[no-untyped-def]
    return page.locator(f".cc-product[data-sku='{sku}']")


def add_to_cart(page: Page, portal: str, search: str, sku: str, quantity: str) -> None:
    page.goto(f"{portal}/catalogue")
    page.locator("#catalogue-search").fill(search)
    card = product(page, sku)
    expect(page.locator(".cc-product")).to_have_count(1)
    card.get_by_label("Quantity").fill(quantity)
    card.get_by_role("button", name="Add to cart").click()
    expect(card.locator(".cc-added")).to_have_text(f"{quantity} in the cart")


def test_an_order_within_budget_is_approved_at_once(page: Page, portal: str, company: int) -> None:
    sign_in(page, portal, BEA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Bea Buyer")
    assert {"Catalogue", "Cart"} <= set(nav_labels(page))

    page.goto(f"{portal}/catalogue")
    expect(page.locator(".cc-product").first).to_be_visible()
    page.locator("#catalogue-search").fill("gloves")
    gloves = product(page, "GLV-CUT5-9")
    expect(page.locator(".cc-product")).to_have_count(1)
    expect(gloves.locator(".cc-price")).to_have_text("€6.40")
    expect(gloves.get_by_text("List price")).to_be_visible()
    expect(gloves.get_by_role("link", name="Data sheet")).to_have_attribute(
        "href", "/datasheets/GLV-CUT5-9.pdf"
    )
    gloves.get_by_label("Quantity").fill("0")  # the browser itself refuses it already
    assert gloves.get_by_label("Quantity").evaluate("field => field.validity.rangeUnderflow")
    gloves.get_by_label("Quantity").fill("2")
    gloves.get_by_role("button", name="Add to cart").click()
    expect(gloves.locator(".cc-added")).to_have_text("2 in the cart")
    expect(page.locator("#cart-count")).to_have_text("1")
    shot(page, "catalogue")

    page.locator("nav").get_by_role("link", name=re.compile("Cart")).click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    row = page.locator(".cc-cart-row[data-sku='GLV-CUT5-9']")
    expect(row.get_by_label("Quantity")).to_have_value("2")
    row.get_by_label("Quantity").fill("3")
    row.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Quantity changed.")).to_be_visible()
    expect(page.locator("#cart-total")).to_have_text("€19.20")
    expect(page.locator("#cart-within-budget")).to_be_visible()
    expect(page.locator(".cc-remaining")).to_have_text("€5,000.00")
    shot(page, "cart")

    page.locator("#to-checkout").click()
    expect(page).to_have_url(re.compile(r"/checkout$"))
    expect(page.locator("#checkout-total")).to_have_text("€19.20")
    # The ERP has no delivery address for this customer: a new one is asked for.
    expect(page.locator("#new-delivery-address")).to_be_visible()
    page.locator("#place-order").click()
    expect(page.locator("#delivery_street-error")).to_have_text("Please fill in this field.")
    page.get_by_label("Name / company").fill("Orderly GmbH – Baustelle Nord")
    page.get_by_label("Street").fill("Am Kai 7")
    page.get_by_label("Postal code").fill("20457")
    page.get_by_label("City").fill("Hamburg")
    page.get_by_label("Country (e.g. DE)").fill("DE")
    page.get_by_label("Your order reference").fill("BANF-2026-117")
    page.get_by_label("Comment").fill("Gate 3, please.")
    shot(page, "checkout")
    page.locator("#place-order").click()

    expect(page.locator("#placed-status")).to_have_text("Approved")
    expect(page.locator("#order-placed")).to_contain_text("approved: it goes to the seller now")
    expect(page.locator("#cart-count")).to_have_count(0)
    shot(page, "approved")
    href = page.locator("#open-order").get_attribute("href")
    assert href and re.fullmatch(r"/orders/\d+", href)
    with Session(get_engine()) as session:
        order = session.get(Order, int(href.rsplit("/", 1)[1]))
        assert order is not None and order.company_id == company
        assert order.delivery_address["city"] == "Hamburg"
        assert order.billing_address["street"] == "Lagerweg 1"
        assert (order.total_cents, order.reference) == (1920, "BANF-2026-117")
    page.locator("#open-order").click()
    expect(page).to_have_url(re.compile(href + "$"))
    expect(page.locator("#order-number")).to_have_text(f"PO-{order.id:06d}")
    # The relay may already have handed the approved order to the ERP.
    expect(page.locator("#order-status")).to_have_text(
        re.compile("^(Approved|Sent to the seller)$")
    )
    page.goto(f"{portal}/cart")
    expect(page.locator("#cart-empty")).to_be_visible()


def test_an_order_over_budget_waits_for_approval_with_the_reason(
    page: Page, portal: str, company: int
) -> None:
    sign_in(page, portal, OTTO, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Otto Over")
    add_to_cart(page, portal, "MTR-IE3", "MTR-IE3-4KW", "1")
    page.goto(f"{portal}/cart")
    reason = "order value €612.00 exceeds the per-order limit of €100.00"
    expect(page.locator("#cart-needs-approval")).to_contain_text(reason)
    page.locator("#to-checkout").click()
    expect(page.locator("#checkout-needs-approval")).to_contain_text(reason)
    page.get_by_label("Name / company").fill("Orderly GmbH")
    page.get_by_label("Street").fill("Lagerweg 1")
    page.get_by_label("Postal code").fill("28195")
    page.get_by_label("City").fill("Bremen")
    page.get_by_label("Country (e.g. DE)").fill("DE")
    page.locator("#place-order").click()
    expect(page.locator("#placed-status")).to_have_text("Waiting for approval")
    expect(page.locator("#placed-reasons")).to_have_text(reason)
    shot(page, "waiting")
    page.locator("#open-order").click()
    expect(page.locator("#order-status")).to_have_text("Waiting for approval")
    expect(page.locator("#order-reasons")).to_contain_text(reason)


def test_a_technician_sees_the_catalogue_and_data_sheets_but_cannot_order(
    page: Page, portal: str, company: int
) -> None:
    sign_in(page, portal, TEO, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Teo Tech")
    labels = nav_labels(page)
    assert "Catalogue" in labels and "Cart" not in labels
    page.goto(f"{portal}/catalogue")
    bearing = product(page, "BRG-6205-2RS")
    expect(bearing).to_be_visible()
    expect(bearing.get_by_role("link", name="Data sheet")).to_be_visible()
    expect(page.get_by_text("Prices are shown to those who may order.")).to_be_visible()
    expect(page.locator(".cc-price")).to_have_count(0)
    expect(page.get_by_role("button", name="Add to cart")).to_have_count(0)
    shot(page, "technician")
    # The sheets behind the links are served to holders of documents.view only: the demo
    # import wrote a PDF for every demo product, which the technician's link opens.
    link = bearing.get_by_role("link", name="Data sheet").get_attribute("href")
    assert link == "/datasheets/BRG-6205-2RS.pdf"
    sheet = page.request.get(f"{portal}{link}")
    assert (sheet.status, sheet.headers["content-type"]) == (200, "application/pdf")
    assert sheet.body().startswith(b"%PDF-1.4") and sheet.body().rstrip().endswith(b"%%EOF")
    assert b"Deep groove ball bearing 6205-2RS" in sheet.body()
    anonymous = page.context.browser.new_context()  # type: ignore[union-attr]
    assert anonymous.request.get(f"{portal}/datasheets/BRG-6205-2RS.pdf").status == 401
    anonymous.close()
    for path in ("/cart", "/checkout"):
        page.goto(f"{portal}{path}")
        expect(page.locator("#no-access")).to_be_visible()
        expect(page.locator("#place-order")).to_have_count(0)
        expect(page.locator(".cc-cart-row")).to_have_count(0)
