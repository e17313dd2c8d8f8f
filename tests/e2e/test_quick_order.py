"""Buying like a professional in Chromium against the production build: a quick order from a
pasted list, and "Order again" on a delivered order. Both widths, both languages, axe-checked."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, delete, select

from customer_center.db import get_engine
from customer_center.integrations.erp.tables import ErpProductRow
from customer_center.models.company import Company
from customer_center.models.order import CartItem
from customer_center.models.user import User
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.helpers import choose_language, open_page, sign_in, wait_until_loaded
from tests.factories import PASSWORD, make_user
from tests.journey_factory import seed_delivered_order

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
DOMAIN = "quick-kg.example"
BEA = f"bea.buyer@{DOMAIN}"
ALF = f"alf.approver@{DOMAIN}"  # an approver: may share lists
VALID = [f"QO-{n:03d}" for n in range(1, 18)]  # 17 products only this journey orders
SO = "SO-E2E-QO-1"
# The delivered order: gloves at today's price, bearings at 8.50 (today 8.90).
DELIVERED = (
    ("GLV-CUT5-9", "Cut-resistant safety gloves size 9", 10, 640),
    ("BRG-6205-2RS", "Deep groove ball bearing 6205-2RS", 4, 850),
)
_axe = Axe()


@pytest.fixture(autouse=True)
def english(world: dict[str, int]) -> None:
    """Each journey starts in English with an empty cart, whatever an earlier one left."""
    with Session(get_engine()) as session:
        for user in session.exec(select(User).where(col(User.email).in_([BEA, ALF]))):
            user.language = "en"
            session.add(user)
            session.exec(delete(CartItem).where(col(CartItem.user_id) == user.id))
        session.commit()


@pytest.fixture(scope="module")
def world(portal: str) -> dict[str, int]:
    """Quick KG with Bea (buyer), the 17 products in the ERP, Bea's delivered order."""
    with Session(get_engine(), expire_on_commit=False) as session:
        for n, sku in enumerate(VALID, start=1):
            if session.get(ErpProductRow, sku) is None:
                session.add(
                    ErpProductRow(
                        sku=sku,
                        name=f"Quick part {n}",
                        list_price=Decimal(f"{n}.25"),
                        currency="EUR",
                    )
                )
        company = session.exec(select(Company).where(Company.customer_number == "E2E-QO")).first()
        if company is None:
            company = Company(customer_number="E2E-QO", name="Quick KG")
            session.add(company)
            session.flush()
            create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        cid: int = company.id  # type: ignore[assignment]
        bea = session.exec(select(User).where(User.email == BEA)).first()
        if bea is None:
            bea = make_user(session, cid, BEA, ["buyer"], name="Bea Buyer")
            make_user(session, cid, ALF, ["approver"], name="Alf Approver")
        session.commit()
        order = seed_delivered_order(
            session, cid, bea.id or 0, erp_order_number=SO, lines=DELIVERED, update_prefix="qo"
        )
        return {"company": cid, "order": order.id or 0}


def check_page(page: Page, name: str, part: str = "main") -> None:
    """Both widths: nothing scrolls sideways, a screenshot to look at, and no axe violation in
    ``part`` (a selector): the page's main part (the shell is checked with the shell), or this
    feature's box on a page that is not this feature's."""
    SHOTS.mkdir(exist_ok=True)
    page.mouse.move(0, 0)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"buying-{name}-{width_name}.png"), full_page=True)
        results = _axe.run(page, context={"include": [[part]]})
        assert results.violations_count == 0, f"{name} at {width}px: {results.generate_report()}"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def pasted_list() -> str:
    """20 lines as copied from a spreadsheet (tab between SKU and quantity); 3 are wrong."""
    lines = [f"{sku}\t{n}" for n, sku in enumerate(VALID, start=1)]
    lines.insert(3, "NOPE-404\t1")  # line 4: no such product
    lines.insert(9, "GLV-CUT5-9\tzwei")  # line 10: no number
    lines.insert(15, "BRG-6205-2RS\t0")  # line 16: out of range
    return "\n".join(lines)


def problem_of(page: Page, line: int):  # type: ignore[no-untyped-def]
    return page.locator(f".cc-quick-problem[data-line='{line}']")


def test_a_pasted_list_is_checked_per_line_and_the_good_lines_go_to_the_cart(
    page: Page, portal: str, world: dict[str, int]
) -> None:
    sign_in(page, portal, BEA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Bea Buyer")
    page.locator("nav").get_by_role("link", name="Quick order").click()
    expect(page).to_have_url(re.compile(r"/quick-order$"))
    wait_until_loaded(page)
    check_page(page, "quick-order-empty")

    page.get_by_label("Article numbers and quantities, one per line").fill(pasted_list())
    page.get_by_role("button", name="Check lines").click()
    expect(page.locator("#quick-order-summary")).to_have_text(
        "Can be ordered: 17 · Need attention: 3"
    )
    expect(page.locator(".cc-quick-line")).to_have_count(20)
    expect(problem_of(page, 4)).to_contain_text(
        "No product with article number NOPE-404 in the catalogue."
    )
    expect(problem_of(page, 10)).to_contain_text("The quantity must be a whole number")
    expect(problem_of(page, 16)).to_contain_text("The quantity must be a whole number")
    expect(page.locator(".cc-quick-problem")).to_have_count(3)
    expect(page.locator("#cart-count")).to_have_count(0)  # nothing in the cart yet
    check_page(page, "quick-order-checked")

    page.get_by_role("button", name="Put the valid lines into the cart").click()
    expect(page.get_by_text("Lines put into the cart: 17.")).to_be_visible()
    expect(page.locator("#cart-count")).to_have_text("17")
    page.get_by_role("link", name="Go to the cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.locator(".cc-cart-row")).to_have_count(17)
    expect(page.locator(".cc-cart-row[data-sku='QO-017']").get_by_label("Quantity")).to_have_value(
        "17"
    )

    open_page(page, f"{portal}/quick-order")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schnellbestellung")
    page.get_by_label("Artikelnummern und Mengen, eine pro Zeile").fill("NOPE-404;1\nQO-001;2")
    page.get_by_role("button", name="Zeilen prüfen").click()
    expect(problem_of(page, 1)).to_contain_text("Kein Artikel mit der Nummer NOPE-404 im Katalog.")
    check_page(page, "quick-order-de")
    page.get_by_role("button", name="Gültige Zeilen in den Warenkorb").click()
    expect(page.get_by_text("In den Warenkorb gelegte Zeilen: 1.")).to_be_visible()
    choose_language(page, "English", "Sprache")
    page.locator("nav").get_by_role("link", name=re.compile("Cart")).click()
    page.locator("#cart-clear").click()
    expect(page.locator("#cart-empty")).to_be_visible()


def test_order_again_puts_a_delivered_order_into_the_cart_saying_what_changed(
    page: Page, portal: str, world: dict[str, int]
) -> None:
    sign_in(page, portal, BEA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Bea Buyer")
    open_page(page, f"{portal}/orders/{world['order']}")
    expect(page.locator("#order-status")).to_have_text("Delivered")
    page.get_by_role("button", name="Order again").click()
    expect(page.locator("#reorder-result")).to_contain_text(
        "Lines of this order put into the cart at today's prices: 2."
    )
    changes = page.locator("#reorder-changes li")
    expect(changes).to_have_count(1)
    expect(changes).to_have_text(
        "Deep groove ball bearing 6205-2RS (BRG-6205-2RS): the price is €8.90 today (was €8.50)."
    )
    expect(page.locator("#cart-count")).to_have_text("2")
    check_page(page, "reorder", "#reorder-box")
    choose_language(page, "Deutsch")
    page.get_by_role("button", name="Erneut bestellen").click()
    expect(page.locator("#reorder-changes li")).to_have_text(
        "Deep groove ball bearing 6205-2RS (BRG-6205-2RS): "
        "Der Preis ist heute 8,90 € (vorher 8,50 €)."
    )
    check_page(page, "reorder-de", "#reorder-box")
    choose_language(page, "English", "Sprache")


def test_a_list_shared_with_the_company_is_used_by_a_colleague(
    page: Page, portal: str, world: dict[str, int]
) -> None:
    sign_in(page, portal, ALF, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Alf Approver")
    page.locator("nav").get_by_role("link", name="Shopping lists").click()
    expect(page).to_have_url(re.compile(r"/lists$"))
    wait_until_loaded(page)
    page.get_by_label("Name").fill("Workshop consumables")
    page.get_by_label("Shared with").select_option(label="The whole company")
    page.get_by_role("button", name="Create list").click()
    expect(page.get_by_text("The list Workshop consumables was created.")).to_be_visible()
    page.get_by_role("link", name="Workshop consumables").click()
    expect(page.locator("#list-name")).to_have_text("Workshop consumables")
    wait_until_loaded(page)
    for sku, quantity in (("LUB-EP2-400", "12"), ("GLV-CUT5-9", "5"), ("QO-002", "3")):
        page.get_by_label("Article number").fill(sku)
        page.locator("#list-add-quantity").fill(quantity)
        page.get_by_role("button", name="Add to list").click()
        expect(page.get_by_text(f"{sku} was added to the list.")).to_be_visible()
    expect(page.locator(".cc-list-line")).to_have_count(3)
    check_page(page, "list-owner")

    page.context.clear_cookies()
    sign_in(page, portal, BEA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Bea Buyer")
    open_page(page, f"{portal}/lists")
    row = page.locator(".cc-list-row[data-list='Workshop consumables']")
    expect(row).to_contain_text("The whole company")
    expect(row).to_contain_text("Alf Approver")
    check_page(page, "lists")
    row.get_by_role("link", name="Workshop consumables").click()
    expect(page.locator("#list-name")).to_have_text("Workshop consumables")
    wait_until_loaded(page)
    expect(page.get_by_text("List of Alf Approver")).to_be_visible()
    expect(page.get_by_role("button", name="Delete this list")).to_have_count(0)  # not hers
    page.get_by_label("Choose LUB-EP2-400").click()
    page.get_by_label("Choose QO-002").click()
    page.get_by_role("button", name="Put the chosen lines into the cart (2)").click()
    expect(page.get_by_text("Lines put into the cart: 2.")).to_be_visible()
    expect(page.locator("#cart-count")).to_have_text("2")
    check_page(page, "list-colleague")
    choose_language(page, "Deutsch")
    open_page(page, page.url)  # what the server worded (the sharing) in the new language too
    expect(page.locator("#list-sharing")).to_have_text("Das ganze Unternehmen")
    expect(page.get_by_role("button", name="Ganze Liste in den Warenkorb legen")).to_be_visible()
    check_page(page, "list-colleague-de")
    choose_language(page, "English", "Sprache")
    page.get_by_role("button", name="Put the whole list into the cart").click()
    expect(page.get_by_text("Lines put into the cart: 3.")).to_be_visible()
    open_page(page, f"{portal}/cart")
    expect(
        page.locator(".cc-cart-row[data-sku='LUB-EP2-400']").get_by_label("Quantity")
    ).to_have_value("24")
    page.locator("#cart-clear").click()
    expect(page.locator("#cart-empty")).to_be_visible()


def test_the_header_search_jumps_to_an_order(
    page: Page, portal: str, world: dict[str, int]
) -> None:
    sign_in(page, portal, BEA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Bea Buyer")
    search = page.get_by_role("searchbox", name="Search orders, products and users")
    search.fill("SO-E2E-QO")
    hit = page.locator("#global-search-results").get_by_role("link", name=re.compile("PO-"))
    expect(hit).to_contain_text(SO)
    check_page(page, "search", ".cc-global-search")
    hit.click()
    expect(page).to_have_url(re.compile(rf"/orders/{world['order']}$"))
    expect(page.locator("#order-status")).to_have_text("Delivered")
    search = page.get_by_role("searchbox", name="Search orders, products and users")
    search.fill("bearing")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/catalogue\?search=BRG-6205-2RS$"))
    expect(page.locator(".cc-product")).to_have_count(1)
