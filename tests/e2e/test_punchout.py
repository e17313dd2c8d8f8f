"""Punchout in Chromium against the production build, driven by the buyer simulator: the
procurement system (a small server of the test) sends a cXML setup request, the browser
follows the StartPage, fills the cart in the catalogue and transfers it; the simulator
receives the PunchOutOrderMessage, validates it against the cXML DTD and sends the
OrderRequest, which reaches the embedded ERP once. The same for OCI 4.0 with a HOOK_URL
served by the test. The agent then sees the run in the console."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from customer_center.db import get_engine
from customer_center.domain.staff import StaffPermission
from customer_center.integrations.erp.tables import ErpCustomerRow, ErpOrderRow
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services.identity.activation import create_builtin_roles
from customer_center.services.people.users import role_codes_of
from customer_center.services.punchout.connections import ConnectionForm, create_connection
from tests.e2e.helpers import choose_language, open_page, sign_in, wait_until_loaded
from tests.factories import PASSWORD, make_user
from tests.live_server import live_server
from tests.punchout_buyer import Buyer, status_of, validated
from tests.punchout_buyer import start_url as start_url_of
from tests.staff_factories import agent_for, make_staff

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
NUMBER = "PO-E2E"
PAULA = "paula.procure@punchout-e2e.example"
OLAF = "olaf.oci@punchout-e2e.example"
AGENT = "pia.punchout@seller.example"
MAIN = "main@punchout-e2e.example"
_axe = Axe()


class Procurement:
    """The buyer's procurement system: it receives what the portal posts back."""

    def __init__(self) -> None:
        self.received: list[list[tuple[str, str]]] = []

    async def receive(self, request: Request) -> HTMLResponse:
        body = (await request.body()).decode("utf-8")
        self.received.append(parse_qsl(body, keep_blank_values=True))
        return HTMLResponse(
            "<!doctype html><html lang='en'><head><title>Procurement</title></head>"
            "<body><main><h1>Cart received</h1></main></body></html>"
        )


@pytest.fixture(scope="module")
def procurement(portal: str) -> Iterator[tuple[Procurement, str]]:
    system = Procurement()
    with live_server([Route("/return", system.receive, methods=["POST"])]) as url:
        yield system, url


def _connection(session: Session, agent, company_id: int, protocol: str, origin: str) -> Buyer:  # type: ignore[no-untyped-def]
    _id, secret = create_connection(
        session,
        agent,
        company_id=company_id,
        form=ConnectionForm(
            name=f"Procura {protocol}",
            protocol=protocol,
            identity_domain="NetworkID" if protocol == "cxml" else "",
            identity=f"AN-E2E-{protocol}",
            default_role="technician",
            role_field="CostCenter" if protocol == "cxml" else "COST_CENTER",
            role_mapping="4711 = buyer",
            user_field="USER_EMAIL",
            origins=origin,
        ),
    )
    session.commit()
    return Buyer("NetworkID", f"AN-E2E-{protocol}", secret, f"{origin}/return")


@pytest.fixture(scope="module")
def buyers(procurement) -> tuple[Buyer, Buyer]:  # type: ignore[no-untyped-def]
    _system, origin = procurement
    with Session(get_engine(), expire_on_commit=False) as session:
        session.add(ErpCustomerRow(customer_number=NUMBER, name="Procura GmbH", allowed=True))
        company = Company(customer_number=NUMBER, name="Procura GmbH", city="Bremen")
        session.add(company)
        session.flush()
        create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        main = make_user(session, company.id, MAIN, ["main_contact"])  # type: ignore[arg-type]
        main.is_main_contact = True
        session.add(main)
        member = make_staff(
            session, AGENT, [StaffPermission.VIEW, StaffPermission.SETTINGS], password=PASSWORD
        )
        session.commit()
        agent = agent_for(session, member)
        cxml = _connection(session, agent, company.id, "cxml", origin)  # type: ignore[arg-type]
        oci = _connection(session, agent, company.id, "oci", origin)  # type: ignore[arg-type]
    return cxml, oci


def _check(page: Page, name: str) -> None:
    """Both widths: nothing scrolls sideways, a screenshot to look at, no axe violation."""
    SHOTS.mkdir(exist_ok=True)
    page.mouse.move(0, 0)  # a pointer resting on the last link clicked is no state of the page
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"punchout-{name}-{width_name}.png"), full_page=True)
        results = _axe.run(page)
        assert results.violations_count == 0, f"{name} at {width}px: {results.generate_report()}"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def _add(page: Page, search: str, sku: str, quantity: str) -> None:
    page.locator("#catalogue-search").fill(search)
    card = page.locator(f".cc-product[data-sku='{sku}']")
    expect(page.locator(".cc-product")).to_have_count(1)
    card.get_by_label("Quantity").fill(quantity)
    card.get_by_role("button", name="Add to cart").click()
    expect(card.locator(".cc-added")).to_have_text(f"{quantity} in the cart")


def _transfer(page: Page, system: Procurement, german: bool = False) -> list[tuple[str, str]]:
    page.locator("nav").get_by_role("link", name="Cart").first.click()
    wait_until_loaded(page)
    expect(page.locator("#to-checkout")).to_have_count(0)
    expect(page.locator("#punchout-notice")).to_contain_text("approved by your own procurement")
    _check(page, "cart")
    button = "Transfer to your procurement system"
    if german:
        choose_language(page, "Deutsch")
        expect(page.locator("#punchout-notice")).to_contain_text("Budgets und Freigabeketten")
        _check(page, "cart-de")
        button = "An Ihr Einkaufssystem übertragen"
    before = len(system.received)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="Cart received")).to_be_visible(timeout=30_000)
    assert len(system.received) == before + 1
    return system.received[-1]


def _erp_orders(reference: str) -> int:
    with Session(get_engine()) as session:
        return len(
            session.exec(select(ErpOrderRow).where(ErpOrderRow.reference == reference)).all()
        )


def test_cxml_punchout_from_setup_to_the_erp(page: Page, portal: str, procurement, buyers) -> None:
    system, _origin = procurement
    cxml, _oci = buyers
    answer = httpx.post(f"{portal}/punchout/cxml", content=cxml.setup(email=PAULA, cookie="e2e-1"))
    assert answer.status_code == 200, answer.text
    start = start_url_of(answer.content)

    response = page.goto(start)
    assert response is not None
    page.wait_for_url(re.compile(r"/catalogue/?$"), timeout=30_000)
    wait_until_loaded(page)
    policy = response.headers.get("content-security-policy", "")
    assert policy.startswith("frame-ancestors 'self' http://127.0.0.1:"), policy
    with Session(get_engine()) as session:
        paula = session.exec(select(User).where(User.email == PAULA)).one()
        assert role_codes_of(session, paula.id) == ["buyer"]  # mapped from CostCenter 4711
    _add(page, "6205", "BRG-6205-2RS", "10")
    _add(page, "gloves size 9", "GLV-CUT5-9", "4")

    fields = dict(_transfer(page, system))
    message = validated(fields["cxml-urlencoded"])
    body = message.find("Message/PunchOutOrderMessage")
    assert body is not None and body.findtext("BuyerCookie") == "e2e-1"
    assert body.findtext("PunchOutOrderMessageHeader/Total/Money") == "114.60"  # 89.00 + 25.60
    items = body.findall("ItemIn")
    reference = items[0].findtext("ItemID/SupplierPartAuxiliaryID") or ""
    lines = [
        (
            i.findtext("ItemID/SupplierPartID"),
            int(i.get("quantity")),
            reference,
            i.findtext("ItemDetail/UnitPrice/Money"),
        )
        for i in items
    ]
    assert [(sku, q, price) for sku, q, _r, price in lines] == [
        ("BRG-6205-2RS", 10, "8.90"),
        ("GLV-CUT5-9", 4, "6.40"),
    ]
    replay = page.goto(start)
    assert replay is not None and replay.status == 403  # the start link was used

    order = cxml.order(email=PAULA, order_id="PO-E2E-0001", payload_id="e2e-order-1", lines=lines)
    for _attempt in range(2):
        answer = httpx.post(f"{portal}/punchout/cxml/order", content=order)
        assert answer.status_code == 200 and status_of(answer.content)[0] == "200"
    deadline = time.monotonic() + 30
    while _erp_orders("PO-E2E-0001") == 0 and time.monotonic() < deadline:
        time.sleep(0.5)  # the portal's outbox relay hands the order over
    assert _erp_orders("PO-E2E-0001") == 1


def test_oci_punchout_returns_the_cart_to_the_hook_url(
    page: Page, portal: str, procurement, buyers
) -> None:
    system, origin = procurement
    _cxml, oci = buyers
    params = {
        "USERNAME": oci.identity,
        "PASSWORD": oci.secret,
        "HOOK_URL": f"{origin}/return",
        "~OkCode": "ADDI",
        "~TARGET": "_top",
        "~CALLER": "CTLG",
        "USER_EMAIL": OLAF,
        "COST_CENTER": "4711",
    }
    page.goto(f"{portal}/punchout/oci?" + httpx.QueryParams(params).__str__())
    page.wait_for_url(re.compile(r"/catalogue/?$"), timeout=30_000)
    wait_until_loaded(page)
    _add(page, "motor", "MTR-IE3-4KW", "1")
    fields = _transfer(page, system, german=True)
    found = dict(fields)
    assert (found["~OkCode"], found["~TARGET"], found["~CALLER"]) == ("ADDI", "_top", "CTLG")
    assert (found["NEW_ITEM-VENDORMAT[1]"], found["NEW_ITEM-QUANTITY[1]"]) == ("MTR-IE3-4KW", "1")
    assert (found["NEW_ITEM-PRICE[1]"], found["NEW_ITEM-CURRENCY[1]"]) == ("612.00", "EUR")
    assert found["NEW_ITEM-UNIT[1]"] == "PC"

    evil = {**params, "HOOK_URL": "http://evil.example/hook"}
    refused = httpx.get(f"{portal}/punchout/oci", params=evil)
    assert refused.status_code == 400


def test_the_agent_sees_every_punchout(page: Page, portal: str, buyers) -> None:
    open_page(page, f"{portal}/seller")
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal}/seller/companies", timeout=30_000)
    with Session(get_engine()) as session:
        company = session.exec(select(Company).where(Company.customer_number == NUMBER)).one()
    open_page(page, f"{portal}/seller/companies/{company.id}/punchout")
    sessions = page.locator("#punchout-sessions")
    expect(sessions).to_contain_text(PAULA)
    expect(sessions).to_contain_text(OLAF)
    expect(sessions).to_contain_text("user created on the way in")
    expect(sessions).to_contain_text("Ordered")
    expect(page.locator("#punchout-connections")).to_contain_text("AN-E2E-cxml")
    expect(page.locator("#refusals")).to_contain_text("not on an allowed origin")
    _check(page, "console")
    page.get_by_role("link", name="Punchout").first.click()  # the console's own list
    page.wait_for_url(re.compile(r"/seller/punchout/?$"), timeout=30_000)
    wait_until_loaded(page)
    expect(page.locator("#punchout-sessions")).to_contain_text("Procura GmbH")
    expect(page.locator("#punchout-sessions")).to_contain_text(OLAF)
    _check(page, "console-all")


def test_the_main_contact_sees_the_companys_punchouts(page: Page, portal: str, buyers) -> None:
    sign_in(page, portal, MAIN, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/?$"), timeout=30_000)
    open_page(page, f"{portal}/company/punchout")
    expect(page.locator("#punchout-connections")).to_contain_text("AN-E2E-oci")
    expect(page.locator("#punchout-sessions")).to_contain_text(PAULA)
    _check(page, "company")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", name="Punchout-Sitzungen")).to_be_visible()
    expect(page.locator("#punchout-sessions")).to_contain_text("Benutzer beim Eintritt angelegt")
    _check(page, "company-de")
