"""Company single sign-on in Chromium against the production build and a real OpenID Connect
provider: the main contact sets it up, an unknown employee signs in through it and lands in
the portal with the mapped role; another company's provider cannot sign into this one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from customer_center.db import get_engine
from customer_center.integrations.erp.tables import ErpCustomerRow
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, actor_for, make_user
from tests.oidc_provider import Provider, running_provider
from tests.sso_factories import configure_sso, dev_settings

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
MAIN = "greta.gruen@sso-alpha.example"
ERIKA = "erika.einkauf@sso-alpha.example"


@pytest.fixture(scope="module")
def providers(portal: str, tmp_path_factory) -> Iterator[tuple[Provider, Provider]]:
    tmp = tmp_path_factory.mktemp("oidc-e2e")
    callback = [f"{portal}/auth/sso/callback"]
    with (
        running_provider(tmp, "customer-center", callback, "alpha") as alpha,
        running_provider(tmp, "customer-center-beta", callback, "beta") as beta,
    ):
        alpha.set_account("erika", ERIKA, "Erika Einkauf", ["purchasing-heads", "staff"])
        # Beta's provider vouches for an address of alpha's domain: it must not get in.
        beta.set_account("mallory", "mallory@sso-alpha.example", "Mallory", ["purchasing-heads"])
        yield alpha, beta


def _company(session: Session, number: str, name: str, main_email: str) -> User:
    """The company, and its record in the seller's ERP listing its e-mail domain (so the
    domain counts as proven when the main contact enters it)."""
    company = session.exec(select(Company).where(Company.customer_number == number)).first()
    if session.get(ErpCustomerRow, number) is None:
        domain = main_email.rpartition("@")[2]
        session.add(ErpCustomerRow(customer_number=number, name=name, email_domains=domain))
        session.commit()
    if company is None:
        company = Company(customer_number=number, name=name, city="Kassel")
        session.add(company)
        session.flush()
        create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        main = make_user(session, company.id, main_email, ["main_contact"], name="Greta Grün")  # type: ignore[arg-type]
        main.is_main_contact = True
        session.add(main)
        session.commit()
    return session.exec(select(User).where(User.email == main_email)).one()


@pytest.fixture(scope="module")
def companies(portal: str, providers) -> None:  # type: ignore[no-untyped-def]
    """Alpha (set up in the browser by its main contact) and Beta (set up already)."""
    _alpha, beta = providers
    with Session(get_engine(), expire_on_commit=False) as session:
        _company(session, "SSO-A", "Alpha Anlagenbau GmbH", MAIN)
        beta_main = _company(session, "SSO-B", "Beta Betriebstechnik AG", "boss@sso-beta.example")
        configure_sso(
            session,
            actor_for(session, beta_main),
            issuer=beta.issuer,
            client_id=beta.client_id,
            secret=beta.client_secret,
            domains="sso-beta.example",
            default="buyer",
            settings=dev_settings(),  # the portal runs in dev mode: http:// providers
        )


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for label, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _fill_settings(page: Page, portal: str, alpha: Provider) -> None:
    page.goto(f"{portal}/company/sign-in")
    expect(page.get_by_role("heading", name="Single sign-on", level=1)).to_be_visible()
    expect(page.locator("#sso-redirect-uri")).to_have_text(f"{portal}/auth/sso/callback")
    page.get_by_label("Issuer URL").fill(alpha.issuer + "/not-here")
    page.get_by_label("Client ID").fill(alpha.client_id)
    page.get_by_label("Client secret").fill(alpha.client_secret)
    page.get_by_label("Domains of your company").fill("sso-alpha.example, gmail.com")
    page.locator("#save-sso").click()
    expect(page.locator("#issuer-error")).to_contain_text("cannot be reached")
    expect(page.locator("#domains-error")).to_contain_text("public mail provider")
    page.get_by_label("Issuer URL").fill(alpha.issuer)
    page.get_by_label("Domains of your company").fill("sso-alpha.example, alpha-werk2.example")
    page.get_by_label("Approver").fill("purchasing-heads")
    page.locator("#default_role").click()
    page.get_by_role("option", name="Technician").click()
    page.locator("#sso-enabled").click()
    page.locator("#save-sso").click()
    expect(page.get_by_text("The single sign-on settings are saved.")).to_be_visible()
    proven = page.locator(".cc-domain-state[data-domain='sso-alpha.example']")
    expect(proven).to_have_attribute("data-state", "erp")
    expect(proven).to_contain_text("Proven: listed for your company in our records")
    # Not in the ERP: it waits for its DNS proof and shows the record to publish.
    waiting = page.locator(".cc-domain-state[data-domain='alpha-werk2.example']")
    expect(waiting).to_have_attribute("data-state", "waiting")
    expect(waiting.locator(".cc-txt-name")).to_have_text("_customer-center.alpha-werk2.example")
    expect(waiting.locator(".cc-txt-value")).not_to_be_empty()
    _shot(page, "sso-settings-domain-proof")
    expect(page.locator("#sso-secret-stored")).to_be_visible()
    expect(page.get_by_label("Client secret")).to_have_value("")


def _continue_with_company_account(page: Page, portal: str, email: str) -> None:
    page.goto(f"{portal}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("E-mail address").press("Tab")
    expect(page.locator("#sso-continue")).to_be_visible()


def _log_in_at_provider(page: Page, login: str) -> None:
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()


def test_an_unknown_employee_signs_in_through_the_company_provider(
    page: Page, browser: Browser, portal: str, providers, companies
) -> None:
    alpha, _beta = providers
    sign_in(page, portal, MAIN, PASSWORD)
    expect(page.locator("#company-name")).to_have_text("Alpha Anlagenbau GmbH")
    _fill_settings(page, portal, alpha)
    _shot(page, "sso-settings")
    page.locator("#password-sign-in-off").click()
    expect(page.locator("#password-sign-in-error")).to_contain_text("Sign in through your identity")

    employee = browser.new_page()
    _continue_with_company_account(employee, portal, ERIKA)
    _shot(employee, "sign-in-sso-choice")
    employee.locator("#sso-continue").click()
    expect(employee).to_have_url(re.compile(r"^" + re.escape(alpha.issuer)))
    _log_in_at_provider(employee, "erika")
    expect(employee.locator("#company-name")).to_have_text("Alpha Anlagenbau GmbH")
    labels = [t.strip() for t in employee.locator("nav .cc-nav-link").all_inner_texts()]
    assert "Approvals" in labels and "Users" not in labels and "Single sign-on" not in labels
    employee.close()

    # The main contact proves SSO with her own account, then switches passwords off.
    alpha.set_account("greta", MAIN, "Greta Grün", ["it"])
    page.locator("#sso-test-sign-in").click()
    _log_in_at_provider(page, "greta")
    expect(page.locator("#sso-proven")).to_be_visible()
    page.locator("#password-sign-in-off").click()
    expect(page.locator("#password-sign-in-state")).to_contain_text("Password sign-in is off")
    colleague = browser.new_page()
    _continue_with_company_account(colleague, portal, "someone.else@sso-alpha.example")
    expect(colleague.get_by_label("Password")).to_have_count(0)
    _shot(colleague, "sign-in-sso-only")
    colleague.close()


def test_another_company_provider_cannot_sign_into_this_company(
    page: Page, portal: str, providers, companies
) -> None:
    _continue_with_company_account(page, portal, "someone@sso-beta.example")
    page.locator("#sso-continue").click()
    _log_in_at_provider(page, "mallory")
    expect(page).to_have_url(re.compile(r"/sign-in/?\?notice=sso_domain"))
    expect(page.get_by_text("does not belong to this company's single sign-on")).to_be_visible()
    with Session(get_engine()) as session:
        assert session.exec(select(User).where(User.email.startswith("mallory"))).first() is None  # type: ignore[attr-defined]
