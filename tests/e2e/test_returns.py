"""Returns in Chromium against the production build: Ben returns 2 of 5 motors of a delivered
order, the account team's agent approves it (RMA number, the return slip downloads as a PDF),
records the receipt and asks for the credit note; once the outbox relay has delivered it, the
ERP's credit note is among Ben's documents and the order's timeline shows the return. Axe
finds nothing on the new pages, at 1280 and 390 px, in English and German."""

from __future__ import annotations

import os
import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.domain.returns import return_ref
from customer_center.domain.staff import StaffPermission
from customer_center.integrations.erp.tables import ErpCustomerRow
from customer_center.models.outbox import DEAD, OutboxMessage
from customer_center.models.returns import ReturnLine, ReturnRequest
from customer_center.models.staff import AccountTeamMember, StaffMember
from customer_center.models.user import User
from customer_center.services.returns import customer as customer_returns
from customer_center.services.returns import seller as seller_returns
from customer_center.services.returns.credit import ERP_CREDIT_NOTE_REQUESTED
from customer_center.settings import get_settings
from tests.e2e.helpers import (
    approval_company,
    choose_language,
    open_page,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD, actor_for
from tests.journey_factory import seed_delivered_order
from tests.staff_factories import agent_for, make_staff

SHOTS = Path(os.environ.get("CC_SHOTS_DIR") or Path(__file__).resolve().parents[2] / "screenshots")
CUSTOMER = "E2E-RETURNS"
DOMAIN = "return-gmbh.example"
BEN = f"ben.buyer@{DOMAIN}"
AGENT = "rita.returns@seller-returns.example"
WIDTHS = {"desktop": 1280, "phone": 390}
CREDIT_WAIT_SECONDS = 30


def _seed() -> int:
    """Return GmbH (also a customer of the ERP), Ben (a plain buyer: he sees the credit note
    of his own order), Rita in the account team, Ben's delivered order of 5 motors."""
    company_id = approval_company(CUSTOMER, "Return GmbH", DOMAIN)
    with Session(get_engine()) as session:
        if session.get(ErpCustomerRow, CUSTOMER) is None:
            session.add(ErpCustomerRow(customer_number=CUSTOMER, name="Return GmbH", allowed=True))
        ben = session.exec(select(User).where(User.email == BEN)).one()
        agent = make_staff(session, AGENT, [StaffPermission.VIEW], name="Rita Returns")
        session.add(AccountTeamMember(company_id=company_id, staff_id=agent.id, team_role="agent"))
        session.commit()
        order = seed_delivered_order(
            session,
            company_id,
            ben.id,  # type: ignore[arg-type]
            erp_order_number="SO-E2E-RETURNS",
            lines=(("MOTOR-4KW", "Motor 4 kW", 5, 45_000),),
        )
        return order.id  # type: ignore[return-value]


def _look(page: Page, name: str) -> None:
    """Axe finds nothing; nothing scrolls sideways; a screenshot per width to look at."""
    page.mouse.move(640, 890)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"returns-{name}-{width_name}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def _pick(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()


def _staff_sign_in(page: Page, portal: str) -> None:
    page.context.clear_cookies()
    open_page(page, f"{portal}/seller")
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal}/seller/companies", timeout=30_000)
    wait_until_loaded(page)


def _credited(return_id: int) -> str:
    """The credit note number once the relay has delivered the request to the ERP (the agent
    waits for it as for a letter; the relay polls every second)."""
    deadline = time.monotonic() + CREDIT_WAIT_SECONDS
    while time.monotonic() < deadline:
        with Session(get_engine()) as session:
            found = session.get(ReturnRequest, return_id)
            if found is not None and found.credit_note_number:
                return found.credit_note_number
        time.sleep(0.5)
    raise AssertionError("the relay did not deliver the credit note request")


def test_ben_returns_two_of_five_motors_and_gets_the_credit_note(page: Page, portal: str) -> None:
    order_id = _seed()
    sign_in(page, portal, BEN, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    open_page(page, f"{portal}/orders/{order_id}")
    page.get_by_role("link", name="Return items").click()
    page.wait_for_url(f"{portal}/returns/new?order={order_id}&kind=goods")
    wait_until_loaded(page)
    page.get_by_role("button", name="Request return").click()
    expect(page.get_by_text("Enter a quantity for at least one line.")).to_be_visible()
    expect(page.get_by_text("Choose a reason.")).to_be_visible()
    quantity = page.locator("input[name^='qty_']")
    quantity.fill("6")
    _pick(page, "Reason", "Damaged")
    _pick(page, "Condition of the goods", "Unopened")
    _pick(page, "What you would like", "Credit note")
    page.get_by_role("button", name="Request return").click()
    expect(page.get_by_text("Enter a quantity from 1 to 5.")).to_be_visible()
    quantity.fill("2")
    page.get_by_label("Comment (optional)").fill("Two casings cracked in transport.")
    _look(page, "new")
    page.get_by_role("button", name="Request return").click()
    expect(page.locator("#return-facts")).to_contain_text("Requested")
    wait_until_loaded(page)
    return_path = page.url.removeprefix(portal)
    return_id = int(return_path.rsplit("/", 1)[1])
    expect(page.locator("#return-value")).to_contain_text("900.00")
    expect(page.locator("#return-timeline")).to_contain_text("Ben Buyer")
    _look(page, "return")

    # Rita finds it in the queue, approves it and prints the slip.
    _staff_sign_in(page, portal)
    page.get_by_role("link", name="Returns queue").click()
    page.wait_for_url(f"{portal}/seller/returns")
    wait_until_loaded(page)
    row = page.get_by_role("row").filter(has_text="Return GmbH")
    expect(row).to_contain_text("Requested")
    _look(page, "queue")
    row.get_by_role("link").first.click()
    wait_until_loaded(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#return-rma")).to_contain_text("RMA-")
    rma = page.locator("#return-rma").inner_text()
    with page.expect_download() as download:
        page.locator("#return-slip").click()
    assert download.value.suggested_filename == f"{rma}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    expect(page.locator("input[name^='accepted_']")).to_have_value("2")
    page.get_by_role("button", name="Record receipt").click()
    expect(page.locator("#return-facts")).to_contain_text("Goods received")
    _look(page, "seller-return")
    page.get_by_role("button", name="Request credit note").click()
    expect(page.locator("#credit-pending")).to_be_visible()
    note = _credited(return_id)
    open_page(page, page.url)
    expect(page.locator("#return-credit-note")).to_have_text(note)
    expect(page.locator("#return-facts")).to_contain_text("Credited")
    choose_language(page, "Deutsch")
    open_page(page, page.url)
    expect(page.locator("#return-facts")).to_contain_text("Gutgeschrieben")
    _look(page, "seller-return-de")
    choose_language(page, "English", "Sprache")

    # Ben sees the ERP's credit note with his documents and the return in the order's timeline.
    page.context.clear_cookies()
    sign_in(page, portal, BEN, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    open_page(page, f"{portal}/documents")
    expect(page.get_by_text(note)).to_be_visible()
    open_page(page, f"{portal}/orders/{order_id}")
    number = f"RT-{return_id:06d}"
    expect(page.get_by_text(f"Return {number} requested")).to_be_visible()
    expect(page.get_by_text(f"Return {number} credited")).to_be_visible()
    open_page(page, portal + return_path)
    expect(page.locator("#return-timeline")).to_contain_text(f"credit note {note}")
    choose_language(page, "Deutsch")
    open_page(page, page.url)
    expect(page.locator("#return-facts")).to_contain_text("Gutgeschrieben")
    _look(page, "return-de")
    open_page(page, f"{portal}/returns")
    _look(page, "list-de")
    open_page(page, f"{portal}/returns/new?order={order_id}&kind=credit")
    _look(page, "credit-new-de")
    choose_language(page, "English", "Sprache")
    open_page(page, f"{portal}/returns")
    expect(page.get_by_role("row").filter(has_text=number)).to_contain_text("Credited")
    _look(page, "list")

    # Ben asks about the return: the new case is about the return and its order.
    open_page(page, portal + return_path)
    page.get_by_role("link", name="Ask about this return").click()
    page.wait_for_url(f"{portal}/cases/new?return={return_id}")
    wait_until_loaded(page)
    expect(page.get_by_text(f"About return {number}")).to_be_visible()
    page.get_by_label("Subject").fill("Credit note for the motors")
    _pick(page, "Category", "Invoice")
    page.get_by_label("Describe your question or problem").fill("Thanks, all clear.")
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("#case-return")).to_have_attribute("href", return_path)
    expect(page.locator("#case-return")).to_have_text(f"About return {number}")
    expect(page.locator("#case-order")).to_have_attribute("href", f"/orders/{order_id}")
    _look(page, "case-about-return")

    # A second return whose credit note request the outbox gave up: Rita asks again.
    given_up = _given_up_return(order_id)
    _staff_sign_in(page, portal)
    open_page(page, f"{portal}/seller/returns/{given_up}")
    expect(page.locator("#credit-given-up")).to_be_visible()
    expect(page.locator("#credit-pending")).to_have_count(0)
    _look(page, "seller-given-up")
    choose_language(page, "Deutsch")
    open_page(page, page.url)
    expect(page.get_by_role("button", name="Gutschrift erneut anfordern")).to_be_visible()
    _look(page, "seller-given-up-de")
    choose_language(page, "English", "Sprache")
    open_page(page, page.url)
    page.get_by_role("button", name="Request the credit note again").click()
    expect(page.locator("#credit-pending")).to_be_visible()
    again = _credited(given_up)
    open_page(page, page.url)
    expect(page.locator("#return-credit-note")).to_have_text(again)
    expect(page.locator("#return-timeline")).to_contain_text("requested from the ERP again")


def _given_up_return(order_id: int) -> int:
    """Ben returns one more motor, Rita approves, receives and asks for the credit note, and
    the outbox gives the message up (dead) in the same transaction, before the relay sees it."""
    with Session(get_engine()) as session:
        ben = actor_for(session, session.exec(select(User).where(User.email == BEN)).one())
        rita = agent_for(
            session, session.exec(select(StaffMember).where(StaffMember.email == AGENT)).one()
        )
        settings = get_settings()
        [line] = customer_returns.returnable(
            session, ben, order_id=order_id, settings=settings
        ).lines
        return_id = customer_returns.request_return(
            session,
            ben,
            order_id=order_id,
            quantities={str(line.id): "1"},
            settings=settings,
            kind="goods",
            reason="defective",
            condition="opened",
            outcome="credit",
        )
        seller_returns.approve(session, rita, return_id=return_id)
        [returned] = session.exec(select(ReturnLine).where(ReturnLine.return_id == return_id)).all()
        seller_returns.receive(session, rita, return_id=return_id, accepted={str(returned.id): "1"})
        seller_returns.request_credit(session, rita, return_id=return_id)
        session.flush()
        message = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.refers_to == return_ref(return_id),
                OutboxMessage.kind == ERP_CREDIT_NOTE_REQUESTED,
            )
        ).one()
        message.status, message.attempts, message.last_error = DEAD, 8, "ERP unreachable"
        session.add(message)
        session.commit()
        return return_id
