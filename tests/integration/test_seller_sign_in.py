"""Staff sign-in over HTTP: the ticket exchanged for the staff cookie (never the customer's),
and single sign-on through the seller's own identity provider (npm oidc-provider), which
signs in existing, active staff only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlmodel import Session, func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth import oidc
from customer_center.auth.browser_key import BROWSER_COOKIE, binding_of
from customer_center.auth.principals import resolve_agent, resolve_principal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.db import session_scope
from customer_center.domain.staff import StaffStatus
from customer_center.http.auth_routes import routes as auth_routes
from customer_center.http.browser_key import browser_key_middleware
from customer_center.http.seller_auth_routes import STATE_COOKIE
from customer_center.http.seller_auth_routes import routes as seller_routes
from customer_center.models.audit import AuditEntry
from customer_center.models.staff import StaffMember
from customer_center.services.seller import sign_in, sso
from customer_center.settings import Settings
from tests.factories import PASSWORD
from tests.oidc_provider import Provider, log_in_at_provider, running_provider
from tests.sso_factories import dev_settings
from tests.staff_factories import make_staff

PORTAL = "http://portal.test"
CALLBACK = f"{PORTAL}/seller/auth/sso/callback"


@pytest.fixture(scope="module")
def idp(tmp_path_factory) -> Iterator[Provider]:  # type: ignore[no-untyped-def]
    with running_provider(tmp_path_factory.mktemp("seller-oidc"), "seller-staff", [CALLBACK]) as p:
        yield p


@pytest.fixture
def settings(idp: Provider, monkeypatch) -> Settings:  # type: ignore[no-untyped-def]
    oidc.forget_cache()
    chosen = replace(
        dev_settings(),
        base_url=PORTAL,
        seller_oidc_issuer=idp.issuer,
        seller_oidc_client_id=idp.client_id,
        seller_oidc_client_secret=idp.client_secret,
    )
    monkeypatch.setattr("customer_center.http.seller_auth_routes.get_settings", lambda: chosen)
    return chosen


@pytest.fixture
def browser() -> Iterator[TestClient]:
    app = Starlette(routes=auth_routes + seller_routes, middleware=[browser_key_middleware])
    with TestClient(app, base_url=PORTAL) as client:
        client.get("/seller", headers={"accept": "text/html"})
        yield client


def _binding(browser: TestClient) -> str:
    return binding_of(browser.cookies.get(BROWSER_COOKIE))


def _start(browser: TestClient, settings: Settings) -> str:
    with session_scope() as session:
        ticket = sso.issue_start_ticket(session, settings, _binding(browser))
    response = browser.get(
        "/seller/auth/sso/start", params={"ticket": ticket}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def _back(browser: TestClient, callback_url: str):  # type: ignore[no-untyped-def]
    assert callback_url.startswith(CALLBACK), callback_url
    return browser.get(callback_url.removeprefix(PORTAL), follow_redirects=False)


def _notice(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 303
    return response.headers["location"].removeprefix("/seller?notice=")


def test_the_password_ticket_sets_the_staff_cookie_and_never_the_customers(
    session: Session, browser: TestClient
) -> None:
    make_staff(session, "boss@seller.example")
    session.commit()
    attempt = sign_in.StaffSignInAttempt(
        "boss@seller.example", PASSWORD, "1.2.3.4", _binding(browser)
    )
    with session_scope() as tx:
        ticket = sign_in.staff_sign_in(tx, attempt)
    # The customers' route does not take a staff ticket.
    customer = browser.get("/auth/complete", params={"ticket": ticket}, follow_redirects=False)
    assert customer.headers["location"] == "/sign-in?notice=link"
    assert SESSION_COOKIE not in customer.cookies
    response = browser.get(
        "/seller/auth/complete", params={"ticket": ticket}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, "/seller")
    cookie = response.cookies.get(STAFF_COOKIE)
    assert cookie and SESSION_COOKIE not in response.cookies
    assert "httponly" in response.headers["set-cookie"].lower()
    assert "samesite=lax" in response.headers["set-cookie"].lower()
    assert resolve_agent(session, cookie) is not None
    assert resolve_principal(session, cookie) is None
    again = browser.get("/seller/auth/complete", params={"ticket": ticket}, follow_redirects=False)
    assert again.headers["location"] == "/seller?notice=link"
    out = browser.get("/seller/auth/signed-out", follow_redirects=False)
    assert out.headers["location"] == "/seller?notice=signed_out"
    assert 'cc_staff=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]


def test_an_active_staff_member_signs_in_through_the_sellers_provider(
    session: Session, idp: Provider, settings: Settings, browser: TestClient
) -> None:
    boss = make_staff(session, "boss@seller.example", password=None)
    session.commit()
    idp.set_account("boss", "Boss@Seller.example", "Sabine", [])
    response = _back(browser, log_in_at_provider(_start(browser, settings), "boss"))
    assert (response.status_code, response.headers["location"]) == (303, "/seller")
    cookie = response.cookies.get(STAFF_COOKIE)
    session.expire_all()
    agent = resolve_agent(session, cookie)
    assert agent is not None and agent.agent_id == boss.id
    assert resolve_principal(session, cookie) is None
    assert STATE_COOKIE not in browser.cookies or not browser.cookies.get(STATE_COOKIE)


@pytest.mark.parametrize("status", [None, StaffStatus.INACTIVE, StaffStatus.INVITED])
def test_nobody_but_an_active_staff_member_gets_in_and_nobody_is_created(
    session: Session, idp: Provider, settings: Settings, browser: TestClient, status
) -> None:
    if status is not None:
        make_staff(session, "someone@seller.example", status=status)
        session.commit()
    idp.set_account("someone", "someone@seller.example", "Someone", [])
    response = _back(browser, log_in_at_provider(_start(browser, settings), "someone"))
    assert _notice(response) == "sso_unknown_staff"
    assert STAFF_COOKIE not in response.cookies
    session.expire_all()
    assert session.exec(select(func.count()).select_from(StaffMember)).one() == (
        0 if status is None else 1
    )
    refusal = session.exec(select(AuditEntry).where(AuditEntry.action == "staff.sso_refused")).one()
    assert refusal.after == {"reason": "unknown_staff"}


def test_a_start_ticket_works_only_in_its_browser_and_a_callback_only_once(
    session: Session, idp: Provider, settings: Settings, browser: TestClient
) -> None:
    make_staff(session, "boss@seller.example")
    session.commit()
    idp.set_account("boss", "boss@seller.example", "Sabine", [])
    with session_scope() as tx:
        ticket = sso.issue_start_ticket(tx, settings, "another-browser-binding")
    elsewhere = browser.get(
        "/seller/auth/sso/start", params={"ticket": ticket}, follow_redirects=False
    )
    assert _notice(elsewhere) == "sso_browser"
    callback = log_in_at_provider(_start(browser, settings), "boss")
    assert _back(browser, callback).cookies.get(STAFF_COOKIE)
    assert _notice(_back(browser, callback)) == "sso_replay"


def test_without_the_settings_there_is_no_staff_single_sign_on(
    session: Session, browser: TestClient
) -> None:
    with session_scope() as tx, pytest.raises(Exception, match="seller.sign_in.sso_off"):
        sso.issue_start_ticket(tx, dev_settings(), _binding(browser))
