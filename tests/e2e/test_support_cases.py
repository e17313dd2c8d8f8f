"""Support cases in Chromium against the production build: Ben asks about his order, adds
Clara as a follower, the account team's agent writes an internal note and answers, Ben gets
the e-mail (never the note) and answers, the agent solves the case. Axe finds nothing on the
new pages, at 1280 and 390 px, in English and German."""

from __future__ import annotations

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from customer_center.db import get_engine
from customer_center.domain.staff import StaffPermission
from customer_center.models.dev_mail import DevMail
from customer_center.models.staff import AccountTeamMember
from customer_center.services.cases import customer
from tests.e2e.helpers import (
    approval_company,
    choose_language,
    open_latest_mail_link,
    open_page,
    place_motor_order,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD, make_company, make_user
from tests.staff_factories import make_staff

SHOTS = Path(os.environ.get("CC_SHOTS_DIR") or Path(__file__).resolve().parents[2] / "screenshots")
DOMAIN = "case-gmbh.example"
BEN = f"ben.buyer@{DOMAIN}"
CLARA = f"clara.colleague@{DOMAIN}"
AGENT = "eva.ernst@seller-cases.example"
WIDTHS = {"desktop": 1280, "phone": 390}
NOTE = "Check the carrier's damage report first."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ANSWER = "We are sending a replacement motor today."


def _seed() -> int:
    company_id = approval_company("E2E-CASES", "Case GmbH", DOMAIN)
    with Session(get_engine()) as session:
        make_user(session, company_id, CLARA, ["buyer"], name="Clara Colleague")
        agent = make_staff(session, AGENT, [StaffPermission.VIEW], name="Eva Ernst")
        session.add(AccountTeamMember(company_id=company_id, staff_id=agent.id, team_role="agent"))
        # Eva looks after a second company too: the queue shows the times per team.
        second = make_company(session, "E2E-CASES-2", "Second Works AG")
        session.add(
            AccountTeamMember(company_id=second.company_id, staff_id=agent.id, team_role="agent")
        )
        session.commit()
        customer.open_case(
            session, second, subject="Invoice copy", category="invoice", description="Please."
        )
        session.commit()
    return place_motor_order(BEN, 1, "approved")


def _look(page: Page, name: str) -> None:
    """Axe finds nothing; nothing scrolls sideways; a screenshot per width to look at."""
    page.mouse.move(640, 890)  # the pointer off the link it clicked: no hover colours
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        page.screenshot(path=str(SHOTS / f"cases-{name}-{width_name}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def _pick(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()


def _drop(page: Page, zone: str, name: str, data: bytes, mime: str) -> None:
    """Choose a file in the drop zone's file input, as clicking it and choosing does."""
    page.locator(f"#{zone} input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def _mails(to: str, text: str) -> list[str]:
    with Session(get_engine()) as session:
        rows = session.exec(
            select(DevMail).where(DevMail.to_address == to).order_by(col(DevMail.id))
        ).all()
        return [m.text_body for m in rows if text in m.subject]


def _staff_sign_in(page: Page, portal: str) -> None:
    page.context.clear_cookies()
    open_page(page, f"{portal}/seller")
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal}/seller/companies", timeout=30_000)
    wait_until_loaded(page)


def test_a_case_about_an_order_from_question_to_solution(page: Page, portal: str) -> None:
    order_id = _seed()
    # Ben asks about his order; the form knows which one.
    sign_in(page, portal, BEN, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    open_page(page, f"{portal}/orders/{order_id}")
    page.get_by_role("link", name="Ask about this order").click()
    page.wait_for_url(f"{portal}/cases/new?order={order_id}")
    wait_until_loaded(page)
    expect(page.get_by_text(f"About order PO-{order_id:06d}")).to_be_visible()
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("#subject-error")).to_have_text("Please enter a subject.")
    page.get_by_label("Subject").fill("Motor arrived with a cracked casing")
    _pick(page, "Category", "Delivery")
    page.get_by_label("Describe your question or problem").fill("The casing is cracked.")
    # A program named like a PDF is refused next to the field; the real photo is kept.
    _drop(page, "case-new-files", "damage.pdf", b"MZ\x90\x00\x03\x00", "application/pdf")
    expect(page.locator("#attachments-error")).to_contain_text("Only PDF, PNG, JPEG")
    _drop(page, "case-new-files", "damage report.pdf", PDF, "application/pdf")
    expect(page.locator("#case-new-files-staged")).to_contain_text("damage report.pdf")
    expect(page.locator("#attachments-error")).to_have_count(0)
    _look(page, "new")
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("#case-subject")).to_have_text("Motor arrived with a cracked casing")
    wait_until_loaded(page)
    case_path = page.url.removeprefix(portal)
    assert case_path.startswith("/cases/") and "new" not in case_path
    expect(page.locator("#case-order")).to_have_attribute("href", f"/orders/{order_id}")
    with page.expect_download() as download:
        page.locator("#case-timeline").get_by_role("link", name="damage report.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    page.get_by_label("Add a colleague as follower").fill("clara")
    page.get_by_role("button", name="Add follower: Clara Colleague").click()
    expect(page.locator("#case-facts")).to_contain_text("Clara Colleague")
    _look(page, "case")

    # The agent of the company's account team finds it in the queue.
    _staff_sign_in(page, portal)
    page.get_by_role("link", name="Case queue").click()
    page.wait_for_url(f"{portal}/seller/cases")
    wait_until_loaded(page)
    row = page.get_by_role("row").filter(has_text="Motor arrived with a cracked casing")
    expect(row).to_contain_text("Case GmbH")
    expect(row).to_contain_text("New")
    _look(page, "queue")
    row.get_by_role("link").click()
    wait_until_loaded(page)
    expect(page.locator("#case-timeline")).to_contain_text("damage report.pdf")
    page.get_by_label("Internal note").fill(NOTE)
    _drop(page, "seller-case-files", "carrier-claim.png", PNG, "image/png")
    expect(page.locator("#seller-case-files-staged")).to_contain_text("carrier-claim.png")
    page.get_by_role("button", name="Add internal note").click()
    expect(page.locator("#case-timeline")).to_contain_text(NOTE)
    claim = page.locator("#case-timeline").get_by_role("link", name="carrier-claim.png")
    claim_href = claim.get_attribute("href") or ""
    assert page.request.get(portal + claim_href).body() == PNG
    page.get_by_label("Your reply").fill(ANSWER)
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#case-timeline")).to_contain_text(ANSWER)
    expect(page.locator("#case-facts")).to_contain_text("In progress")
    expect(page.locator("#case-facts")).to_contain_text("Eva Ernst")
    # The selects show the case's current assignee and status, also after a fresh load.
    expect(page.get_by_role("combobox", name="Assigned to")).to_have_text("Eva Ernst")
    expect(page.get_by_role("combobox", name="Status")).to_have_text("In progress")
    open_page(page, page.url)
    expect(page.get_by_role("combobox", name="Assigned to")).to_have_text("Eva Ernst")
    expect(page.get_by_role("combobox", name="Status")).to_have_text("In progress")
    _look(page, "seller-case")
    choose_language(page, "Deutsch")
    expect(page.get_by_role("heading", name="Serviceanfrage", level=1)).to_be_visible()
    open_page(page, page.url)
    expect(page.locator("#case-facts")).to_contain_text("In Bearbeitung")
    _look(page, "seller-case-de")
    open_page(page, f"{portal}/seller/cases")
    expect(page.locator("#team-times")).to_contain_text("Antwortzeiten")
    expect(page.locator("#team-times-table")).to_contain_text("Second Works AG")
    _look(page, "queue-de")
    choose_language(page, "English", "Sprache")

    # Ben and Clara are told, with a link to the case; the note never leaves the seller.
    link = open_latest_mail_link(page, portal, BEN, "new message on")
    assert link.endswith(case_path)
    for to in (BEN, CLARA):
        (mail,) = _mails(to, "new message on")
        assert ANSWER in mail and NOTE not in mail

    page.context.clear_cookies()
    sign_in(page, portal, BEN, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    open_page(page, link)
    timeline = page.locator("#case-timeline")
    expect(timeline).to_contain_text(ANSWER)
    expect(timeline).to_contain_text("Eva Ernst")
    assert NOTE not in page.content() and "carrier-claim" not in page.content()
    # Neither the seller's address nor the customer's one hands Ben the note's file.
    claim_id = claim_href.rsplit("/", 1)[-1]
    assert page.request.get(portal + claim_href).status == 401
    refused = page.request.get(f"{portal}/case-files/{claim_id}")
    assert refused.status == 403 and refused.body() != PNG
    page.get_by_label("Your reply").fill("Thank you, that helps.")
    page.get_by_role("button", name="Send reply").click()
    expect(timeline).to_contain_text("Thank you, that helps.")
    choose_language(page, "Deutsch")
    open_page(page, page.url)
    expect(page.get_by_role("heading", name="Serviceanfrage", level=1)).to_be_visible()
    _look(page, "case-de")
    open_page(page, f"{portal}/cases")
    _look(page, "list-de")
    choose_language(page, "English", "Sprache")

    # The agent heard of the new case (as its account team) and of Ben's answer (as its
    # agent), each with a link to the seller's page of the case.
    open_page(page, f"{portal}/dev/mailbox")
    to_agent = page.locator("tr", has_text=AGENT).filter(has_text="cracked casing")
    expect(to_agent).to_have_count(2, timeout=15_000)
    staff_mails = _mails(AGENT, "cracked casing")
    assert "The casing is cracked." in staff_mails[0]
    assert "Thank you, that helps." in staff_mails[1]
    assert case_path.replace("/cases/", "/seller/cases/") in staff_mails[1]

    # The agent solves it; the case shows its response times.
    _staff_sign_in(page, portal)
    open_page(page, portal + case_path.replace("/cases/", "/seller/cases/"))
    _pick(page, "Status", "Solved")
    page.get_by_role("button", name="Change status").click()
    facts = page.locator("#case-facts")
    expect(facts).to_contain_text("Solved")
    expect(facts.get_by_text("Total time")).to_be_visible()
    expect(page.locator("#case-timeline")).to_contain_text("set the status to Solved")
