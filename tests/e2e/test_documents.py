"""Documents and prices as on the invoice, in Chromium against the production build.

A buyer sees goods, shipping, VAT and gross in the cart and the checkout (following the
shipping method chosen) and on the order page; the order reaches the embedded ERP through the
portal's relay, the ERP issues its documents, and a Controller downloads the invoice PDF,
whose totals are those the pages showed. A Technician and another company's user are refused
the invoice (403), also by a forged address; neither sees it in a list. The documents page
passes axe and is looked at in English and German at 1280 and 390 px.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from customer_center.db import get_engine
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.tables import ErpAddressRow, ErpCustomerRow, ErpPriceRow
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.helpers import choose_language, open_page, sign_in
from tests.e2e.test_order_journey import reload_until
from tests.factories import PASSWORD, make_user
from tests.pdf_check import page_text, pdf_objects

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
DOMAIN = "belege-gmbh.example"
MIA = f"mia.main@{DOMAIN}"
CLARA = f"clara.controller@{DOMAIN}"
TEO = f"teo.tech@{DOMAIN}"
OLGA = "olga.other@andere-ag.example"
CUSTOMER, OTHER = "E2E-DOC", "E2E-DOC2"


def _erp_customer(session: Session, number: str, name: str) -> None:
    """The ERP's master data of a customer (19 % VAT, a billing and a delivery address)."""
    session.add(ErpCustomerRow(customer_number=number, name=name, allowed=True))
    session.flush()
    for kind in ("billing", "delivery"):
        session.add(
            ErpAddressRow(
                address_id=f"A-{number}-{kind[0].upper()}",
                customer_number=number,
                kind=kind,
                name=f"{name} – {kind}",
                street="Belegweg 1",
                postal_code="28195",
                city="Bremen",
                country="DE",
                is_default=True,
            )
        )


def _company(session: Session, number: str, name: str) -> int:
    company = Company(customer_number=number, name=name, city="Bremen", country="DE")
    session.add(company)
    session.flush()
    assert company.id is not None
    create_builtin_roles(session, company.id)
    return company.id


@pytest.fixture(scope="module")
def company(portal: str) -> int:
    """Belege GmbH: Mia (main contact, orders without approval), Clara (controller), Teo
    (technician); a contract price for the bearing until the end of 2027. Andere AG: Olga."""
    with Session(get_engine()) as session:
        found = session.exec(select(Company).where(Company.customer_number == CUSTOMER)).first()
        if found is not None:
            return found.id  # type: ignore[return-value]
        _erp_customer(session, CUSTOMER, "Belege GmbH")
        _erp_customer(session, OTHER, "Andere AG")
        session.add(
            ErpPriceRow(
                customer_number=CUSTOMER,
                sku="BRG-6205-2RS",
                price=Decimal("7.95"),
                valid_from=date(2026, 1, 1),
                valid_to=date(2027, 12, 31),
            )
        )
        company_id = _company(session, CUSTOMER, "Belege GmbH")
        mia = make_user(session, company_id, MIA, ["main_contact"], name="Mia Main")
        mia.is_main_contact = True
        make_user(session, company_id, CLARA, ["controller"], name="Clara Controller")
        make_user(session, company_id, TEO, ["technician"], name="Teo Tech")
        other_id = _company(session, OTHER, "Andere AG")
        olga = make_user(session, other_id, OLGA, ["main_contact"], name="Olga Other")
        olga.is_main_contact = True
        session.commit()
        return company_id


def invoice_rows(page: Page, block: str) -> list[tuple[str, str]]:
    """The (kind, amount) rows of an invoice totals block as shown."""
    rows = page.locator(f"#{block} [data-kind]")
    expect(rows.first).to_be_visible()
    return [
        (rows.nth(i).get_attribute("data-kind") or "", rows.nth(i).inner_text().strip())
        for i in range(rows.count())
    ]


def add(page: Page, portal: str, search: str, sku: str, quantity: str) -> None:
    page.goto(f"{portal}/catalogue")
    page.locator("#catalogue-search").fill(search)
    card = page.locator(f".cc-product[data-sku='{sku}']")
    expect(page.locator(".cc-product")).to_have_count(1)
    card.get_by_label("Quantity").fill(quantity)
    card.get_by_role("button", name="Add to cart").click()
    expect(card.locator(".cc-added")).to_have_text(f"{quantity} in the cart")


ORDER_PARTS = [["#order-documents"], ["#order-invoice-totals"]]  # new on the order page


def shoot(page: Page, name: str, parts: list[list[str]] | None = None) -> None:
    """Both widths, nothing scrolls sideways, and axe finds nothing in the page's main part
    (or in ``parts``: what is new on a page that was there before)."""
    SHOTS.mkdir(exist_ok=True)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        expect(page.locator("main")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"documents-{name}-{width_name}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    results = Axe().run(page, context={"include": parts or [["main"]]})
    assert results.violations_count == 0, results.generate_report()


def issue_documents(order_id: int) -> str:
    """What the seller's ERP does once the order is with it: confirmation, delivery note and
    invoice (the embedded ERP's own command, ``customer-center erp issue-documents``)."""
    with Session(get_engine()) as session:
        order = session.get(Order, order_id)
        assert order is not None and order.erp_order_number
        number = order.erp_order_number
    EmbeddedErpClient(get_engine()).issue_order_documents(
        number, ["order_confirmation", "delivery_note", "invoice"]
    )
    return number.removeprefix("SO-")


def test_totals_with_vat_and_shipping_match_the_invoice_a_controller_downloads(
    page: Page, browser: Browser, portal: str, company: int
) -> None:
    sign_in(page, portal, MIA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Mia Main")
    add(page, portal, "bearing", "BRG-6205-2RS", "3")  # 3 x 7.95 contract price = 23.85
    add(page, portal, "gloves", "GLV-CUT5-9", "2")  # 2 x 6.40 list price = 12.80
    open_page(page, f"{portal}/cart")
    bearing = page.locator(".cc-cart-row[data-sku='BRG-6205-2RS']")
    expect(bearing.locator(".cc-price-origin")).to_have_text(
        "Contract price, valid Jan 1, 2026 – Dec 31, 2027 · list price €8.90"
    )
    expect(page.locator("#cart-total")).to_have_text("€36.65")
    assert invoice_rows(page, "cart-invoice-totals") == [
        ("goods", "€36.65"),
        ("shipping", "€9.90"),
        ("net", "€46.55"),
        ("vat", "€8.84"),
        ("gross", "€55.39"),
    ]
    shoot(page, "cart")

    page.locator("#to-checkout").click()
    expect(page).to_have_url(re.compile(r"/checkout$"))
    expect(page.locator("#checkout-invoice-totals [data-kind='gross']")).to_have_text("€55.39")
    page.locator("#shipping_method").click()
    page.get_by_role("option", name="Express delivery").click()
    expect(page.locator("#checkout-invoice-totals [data-kind='shipping']")).to_have_text("€24.90")
    checkout_rows = invoice_rows(page, "checkout-invoice-totals")
    assert checkout_rows == [
        ("goods", "€36.65"),
        ("shipping", "€24.90"),
        ("net", "€61.55"),
        ("vat", "€11.69"),
        ("gross", "€73.24"),
    ]
    shoot(page, "checkout")
    page.locator("#place-order").click()
    expect(page.locator("#placed-status")).to_have_text("Approved")
    page.locator("#open-order").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    order_id = int(page.url.rsplit("/", 1)[1])
    assert invoice_rows(page, "order-invoice-totals") == checkout_rows

    # The relay hands the approved order to the ERP in the portal's background.
    reload_until(page, page.locator("#order-status"), "Sent to the seller")
    digits = issue_documents(order_id)
    page.reload()
    documents = page.locator("#order-documents")
    expect(documents.locator(".cc-order-document")).to_have_count(3)
    expect(documents).to_contain_text(f"INV-{digits}")

    # Clara, the controller, downloads the invoice from the company's documents page.
    clara = browser.new_context(accept_downloads=True).new_page()
    sign_in(clara, portal, CLARA, PASSWORD)
    expect(clara.locator("#user-name")).to_have_text("Clara Controller")
    open_page(clara, f"{portal}/documents")
    row = clara.locator(".cc-document-row", has_text=f"INV-{digits}")
    expect(row).to_contain_text("Invoice")
    expect(row.get_by_role("link", name=f"PO-{order_id:06d}")).to_be_visible()
    with clara.expect_download() as download:
        row.get_by_role("link", name=f"Download INV-{digits} as PDF").click()
    assert download.value.suggested_filename == f"INV-{digits}.pdf"
    text = page_text(pdf_objects(Path(download.value.path()).read_bytes()))
    for kind, amount in checkout_rows:  # the same figures, written the ERP's way
        assert amount.removeprefix("€") + " EUR" in text, (kind, amount)
    assert f"Total gross{checkout_rows[-1][1].removeprefix('€')} EUR" in text
    assert "VAT 19 %" in text and "Shippingexpress" in text
    shoot(clara, "list")
    clara.context.close()


def handed_off_order(company: int) -> tuple[int, str]:
    """The id and the ERP number's digits of the company's latest order the ERP has."""
    with Session(get_engine()) as session:
        order = session.exec(
            select(Order)
            .where(Order.company_id == company, col(Order.erp_order_number).is_not(None))
            .order_by(col(Order.id).desc())
        ).first()
        assert order is not None and order.id is not None, "runs after the journey above"
        return order.id, (order.erp_order_number or "").removeprefix("SO-")


def test_the_invoice_is_refused_to_a_technician_and_to_another_company(
    page: Page, browser: Browser, portal: str, company: int
) -> None:
    order_id, digits = handed_off_order(company)
    invoice = f"{portal}/documents/files/INV-{digits}.pdf"
    sign_in(page, portal, TEO, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Teo Tech")
    open_page(page, f"{portal}/documents")
    expect(page.locator(".cc-document-row", has_text=f"DN-{digits}")).to_be_visible()
    expect(page.locator(".cc-document-row", has_text=f"INV-{digits}")).to_have_count(0)
    refused = page.request.get(invoice)
    assert refused.status == 403 and "not available to you" in refused.text()
    note = page.request.get(f"{portal}/documents/files/DN-{digits}.pdf")
    assert note.status == 200 and note.body().startswith(b"%PDF-1.4")

    olga = browser.new_context().new_page()
    sign_in(olga, portal, OLGA, PASSWORD)
    expect(olga.locator("#user-name")).to_have_text("Olga Other")
    for address in (invoice, f"{portal}/documents/files/DN-{digits}.pdf"):
        forged = olga.request.get(address)
        assert forged.status == 403 and not forged.body().startswith(b"%PDF")
    # The other company's order number in the filter and on the order page shows nothing.
    open_page(olga, f"{portal}/documents?order=SO-{digits}")
    expect(olga.locator("#document-empty")).to_be_visible()
    open_page(olga, f"{portal}/orders/{order_id}")
    expect(olga.locator("#order-documents .cc-order-document")).to_have_count(0)
    expect(olga.locator("#order-invoice-totals [data-kind]")).to_have_count(0)
    olga.context.close()
    signed_out = browser.new_context()
    assert signed_out.request.get(invoice).status == 401
    signed_out.close()


def test_the_documents_page_and_the_catalogue_in_german(
    page: Page, portal: str, company: int
) -> None:
    sign_in(page, portal, CLARA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Clara Controller")
    open_page(page, f"{portal}/catalogue")
    bearing = page.locator(".cc-product[data-sku='BRG-6205-2RS']")
    expect(bearing.locator(".cc-availability")).to_contain_text("240 in stock · delivery from")
    expect(
        bearing.get_by_role("img", name="Picture of Deep groove ball bearing 6205-2RS")
    ).to_be_visible()
    page.locator("#catalogue-category").click()
    page.get_by_role("option", name="Motors").click()
    expect(page.locator(".cc-product")).to_have_count(1)
    shoot(page, "catalogue")
    open_page(page, f"{portal}/documents")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumente")
    open_page(page, f"{portal}/documents")  # rows are worded when loaded: load them again
    expect(page.locator(".cc-document-row", has_text="Rechnung")).to_have_count(1)
    page.locator("#document-kind").click()
    page.get_by_role("option", name="Lieferschein").click()
    expect(page.locator(".cc-document-row").first).to_contain_text("Lieferschein")
    expect(page.locator(".cc-document-row", has_text="Rechnung")).to_have_count(0)
    shoot(page, "list-de")
    order_id, _ = handed_off_order(company)
    open_page(page, f"{portal}/orders/{order_id}")
    expect(page.locator("#order-invoice-totals")).to_contain_text("Summe brutto")
    expect(page.locator("#order-documents")).to_contain_text("Rechnung")
    shoot(page, "order-de", ORDER_PARTS)
    open_page(page, f"{portal}/catalogue")
    expect(page.locator(".cc-availability").first).to_contain_text("Lieferung ab")
    shoot(page, "catalogue-de")
    open_page(page, f"{portal}/orders/{order_id}")
    choose_language(page, "English", "Sprache")
    open_page(page, f"{portal}/orders/{order_id}")  # worded when loaded: load it again
    expect(page.locator("#order-invoice-totals")).to_contain_text("Total gross")
    shoot(page, "order", ORDER_PARTS)
