"""The ERP goes down while people use the portal (CC_ERP=http, the reference ERP service):
the cart and the catalogue show the last known prices, marked, and activation asks to try
again shortly.

Runs in the CC_ERP=http pass only (make e2e's last pass: ``CC_E2E_ERP=http``), where the
portal talks to the reference ERP service, which this module stops and starts again.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.models.company import Company
from customer_center.models.order import CartItem
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.conftest import HttpErp
from tests.e2e.helpers import choose_language, open_page, sign_in
from tests.factories import PASSWORD, make_user

SHOTS = Path(os.environ.get("CC_E2E_SHOTS") or Path(__file__).resolve().parents[2] / "screenshots")
BUYER = "dora.down@erp-down.example"
LAST_KNOWN = "Last known price (our system is not answering right now)"
LAST_KNOWN_DE = "Zuletzt bekannter Preis (unser System antwortet gerade nicht)"
TRY_AGAIN = "We cannot check your details right now because our system is not answering."


@pytest.fixture(scope="module")
def skus(portal: str) -> list[str]:
    """Dora of Downtime GmbH with two products in her cart."""
    engine = get_engine()
    offers = EmbeddedErpClient(engine).list_products("E2E-DOWN", "", 0, 2)
    with Session(engine) as session:
        company = Company(customer_number="E2E-DOWN", name="Downtime GmbH", country="DE")
        session.add(company)
        session.flush()
        create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        dora = make_user(session, company.id, BUYER, ["buyer"], name="Dora Down")  # type: ignore[arg-type]
        session.add_all(
            CartItem(company_id=company.id, user_id=dora.id, sku=o.product.sku, quantity=3)  # type: ignore[arg-type]
            for o in offers
        )
        session.commit()
    return [o.product.sku for o in offers]


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"erp-down-{name}.png"), full_page=True)


FROM_CACHE = "Our system is not answering right now: you see the catalogue and prices"
FROM_CACHE_DE = "Unser System antwortet gerade nicht: Sie sehen Katalog und Preise"
SHORT_LAST_KNOWN, SHORT_LAST_KNOWN_DE = "Last known price", "Zuletzt bekannter Preis"


def test_the_cart_and_the_catalogue_show_last_known_prices_while_the_erp_is_down(
    page: Page, portal: str, http_erp: HttpErp, skus: list[str]
) -> None:
    sign_in(page, portal, BUYER, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Dora Down")
    open_page(page, f"{portal}/cart")
    expect(page.get_by_text("List price").first).to_be_visible()
    expect(page.get_by_text(LAST_KNOWN)).to_have_count(0)
    open_page(page, f"{portal}/catalogue")
    products = page.locator("#catalogue-products > *")
    expect(products.first).to_be_visible()
    shown = products.count()
    expect(page.locator("#catalogue-from-cache")).to_have_count(0)
    expect(page.get_by_text(SHORT_LAST_KNOWN, exact=True)).to_have_count(0)
    http_erp.stop()
    try:
        open_page(page, f"{portal}/cart")
        expect(page.get_by_text(LAST_KNOWN)).to_have_count(len(skus))
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            _shot(page, f"cart-en-{width}")
        _catalogue_from_cache(page, portal, shown, FROM_CACHE, SHORT_LAST_KNOWN, "en")
        page.locator("#catalogue-search").fill("no page like this was seen")
        expect(page.locator("#catalogue-problem")).to_be_visible()  # never seen: says so
        expect(page.locator("#catalogue-from-cache")).to_have_count(0)
        choose_language(page, "Deutsch")
        open_page(page, f"{portal}/cart")  # the rows are worded when the cart loads
        expect(page.get_by_text(LAST_KNOWN_DE)).to_have_count(len(skus))
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            _shot(page, f"cart-de-{width}")
        _catalogue_from_cache(page, portal, shown, FROM_CACHE_DE, SHORT_LAST_KNOWN_DE, "de")
        choose_language(page, "English", switch_label="Sprache")
    finally:
        http_erp.start()


def _catalogue_from_cache(
    page: Page, portal: str, shown: int, notice: str, last_known: str, lang: str
) -> None:
    """The catalogue as the ERP last answered it: the notice, each price marked."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{portal}/catalogue")
    expect(page.locator("#catalogue-from-cache")).to_contain_text(notice)
    expect(page.get_by_text(last_known, exact=True)).to_have_count(shown)
    expect(page.locator("#catalogue-problem")).to_have_count(0)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _shot(page, f"catalogue-{lang}-{width}")


def test_activation_asks_to_try_again_shortly_while_the_erp_is_down(
    page: Page, portal: str, http_erp: HttpErp
) -> None:
    http_erp.stop()
    try:
        page.goto(f"{portal}/activate")
        page.get_by_label("Customer number").fill("10002")
        page.get_by_label("Invoice number").fill("2026-10002-001")
        page.get_by_label("E-mail address").fill("jane.doe@acme-industrial.example")
        page.get_by_role("button", name="Send confirmation link").click()
        expect(page.get_by_role("alert")).to_contain_text(TRY_AGAIN)
        _shot(page, "activation-en-1280")
    finally:
        http_erp.start()
    with Session(get_engine()) as session:
        assert (
            session.exec(select(Company).where(Company.customer_number == "10002")).first() is None
        )
