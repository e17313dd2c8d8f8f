"""The main contact connects the company's identity provider: a SCIM token made on the
Provisioning page opens the portal's live /scim/v2 endpoint; rotating and revoking close it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from customer_center.db import get_engine
from customer_center.models.company import Company
from customer_center.services.identity.activation import create_builtin_roles
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, make_user

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
MAIN = "paula.provisioning@provisioning-gmbh.example"


@pytest.fixture(scope="module")
def company(portal: str) -> None:
    with Session(get_engine()) as session:
        company = Company(customer_number="P-1", name="Provisioning GmbH", city="Köln")
        session.add(company)
        session.flush()
        create_builtin_roles(session, company.id)  # type: ignore[arg-type]
        main = make_user(session, company.id, MAIN, ["main_contact"], name="Paula Provisioning")  # type: ignore[arg-type]
        main.is_main_contact = True
        session.add(main)
        session.commit()


def _users(portal: str, token: str) -> httpx.Response:
    return httpx.get(f"{portal}/scim/v2/Users", headers={"Authorization": f"Bearer {token}"})


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for label, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"provisioning-{name}-{label}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert scroll <= 0, f"{name} scrolls sideways at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_token_opens_the_scim_endpoint_until_rotated_or_revoked(
    page: Page, portal: str, company: None
) -> None:
    sign_in(page, portal, MAIN, PASSWORD)
    page.get_by_role("link", name="Provisioning (SCIM)").click()
    expect(page.get_by_role("heading", name="Provisioning (SCIM)")).to_be_visible()
    expect(page.locator("#endpoint-value")).to_have_text(f"{portal}/scim/v2")
    expect(page.locator("#no-tokens")).to_be_visible()
    page.get_by_label("Label of a new token").fill("Okta production")
    page.get_by_role("button", name="Create token").click()
    shown = page.locator("#new-token-value")
    expect(shown).not_to_be_empty()
    first = shown.inner_text()
    listed = _users(portal, first)
    assert listed.status_code == 200, listed.text
    assert listed.headers["content-type"] == "application/scim+json"
    assert [u["userName"] for u in listed.json()["Resources"]] == [MAIN]
    expect(page.locator("#scim-tokens")).to_contain_text("Okta production")
    expect(page.get_by_label("Label of a new token")).to_have_value("")
    _shoot(page, "new-token")

    page.get_by_role("button", name="Done, I have stored it").click()
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("button", name="Rotate").click()
    expect(shown).not_to_be_empty()
    second = shown.inner_text()
    assert second != first
    assert _users(portal, first).status_code == 401
    assert _users(portal, second).status_code == 200

    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only
    expect(page.locator("#scim-tokens")).to_contain_text("Revoked")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
    assert _users(portal, second).status_code == 401
    _shoot(page, "tokens")
