"""Single sign-on through a real OpenID Connect provider (npm oidc-provider): the portal's own
routes, the provider's login, code exchange with PKCE, ID token checks; tokens the provider
would never issue are signed here with its key (or a rogue one) and slipped into the flow."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from joserfc.jwk import RSAKey
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth import oidc
from customer_center.auth.browser_key import BROWSER_COOKIE, binding_of
from customer_center.auth.principals import resolve_principal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.db import session_scope
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import UserStatus
from customer_center.http.auth_routes import routes as auth_routes
from customer_center.http.browser_key import browser_key_middleware
from customer_center.http.sso_routes import STATE_COOKIE
from customer_center.http.sso_routes import routes as sso_routes
from customer_center.models.audit import AuditEntry
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.services.identity import accounts, sso_sign_in
from customer_center.services.people.users import role_codes_of
from tests.factories import PASSWORD, make_company, make_user
from tests.oidc_provider import Provider, log_in_at_provider, new_key, running_provider
from tests.sso_factories import configure_sso, dev_settings

PORTAL = "http://portal.test"
CALLBACK = f"{PORTAL}/auth/sso/callback"
GROUPS = {"approver": "purchasing-heads", "controller": "finance"}


@pytest.fixture(scope="module")
def providers(tmp_path_factory) -> Iterator[tuple[Provider, Provider]]:
    tmp = tmp_path_factory.mktemp("oidc")
    with (
        running_provider(tmp, "portal-alpha", [CALLBACK], "alpha") as alpha,
        running_provider(tmp, "portal-beta", [CALLBACK], "beta") as beta,
    ):
        yield alpha, beta


@pytest.fixture
def world(session: Session, providers):  # type: ignore[no-untyped-def]
    """Alpha and Beta, each with its own provider, domain and client."""
    oidc.forget_cache()
    alpha_idp, beta_idp = providers
    alpha = make_company(session, "A-1", "Alpha GmbH")
    beta = make_company(session, "B-1", "Beta AG")
    for actor, idp, domain in (
        (alpha, alpha_idp, "alpha.example"),
        (beta, beta_idp, "beta.example"),
    ):
        configure_sso(
            session,
            actor,
            discover=oidc.discover,
            settings=dev_settings(),  # the test providers answer on http://127.0.0.1
            issuer=idp.issuer,
            client_id=idp.client_id,
            secret=idp.client_secret,
            domains=domain,
            groups=GROUPS,
            default="buyer",
        )
    alpha_idp.set_account("anna", "anna@alpha.example", "Anna Alpha", ["purchasing-heads"])
    return alpha, beta, alpha_idp, beta_idp


@pytest.fixture(autouse=True)
def providers_on_loopback_http(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The test providers answer on http://127.0.0.1, which only dev mode may contact."""
    monkeypatch.setattr("customer_center.http.sso_routes.get_settings", dev_settings)


@pytest.fixture
def portal() -> Iterator[TestClient]:
    """A browser that has loaded the sign-in page (and so holds its browser key)."""
    app = Starlette(routes=auth_routes + sso_routes, middleware=[browser_key_middleware])
    with TestClient(app, base_url=PORTAL) as client:
        client.get("/sign-in", headers={"accept": "text/html"})
        yield client


def start_ticket(portal: TestClient, email: str, next_page: str = "/orders") -> str:
    """What the sign-in page's "Continue with your company account" hands this browser."""
    with session_scope() as session:
        browser = binding_of(portal.cookies.get(BROWSER_COOKIE))
        return sso_sign_in.issue_start_ticket(session, email, next_page, browser)


def start(portal: TestClient, email: str, next_page: str = "/orders") -> str:
    response = portal.get(
        "/auth/sso/start",
        params={"ticket": start_ticket(portal, email, next_page)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return response.headers["location"]


def back_at_portal(portal: TestClient, callback_url: str):  # type: ignore[no-untyped-def]
    assert callback_url.startswith(CALLBACK), callback_url
    return portal.get(callback_url.removeprefix(PORTAL), follow_redirects=False)


def sign_in(portal: TestClient, email: str, login: str):  # type: ignore[no-untyped-def]
    return back_at_portal(portal, log_in_at_provider(start(portal, email), login))


def notice_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/sign-in?notice="), location
    return location.removeprefix("/sign-in?notice=")


def signed_in_user(session: Session, response) -> User:  # type: ignore[no-untyped-def]
    cookie = response.cookies.get(SESSION_COOKIE)
    actor = resolve_principal(session, cookie)
    assert actor is not None
    return session.get(User, actor.user_id)  # type: ignore[return-value]


def test_an_unknown_employee_signs_in_and_roles_follow_the_groups(session, world, portal) -> None:
    alpha, _beta, alpha_idp, _ = world
    authorization = start(portal, "Anna@Alpha.example")
    query = parse_qs(urlparse(authorization).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and "code_verifier" not in query
    assert "groups" in query["scope"][0].split()
    response = back_at_portal(portal, log_in_at_provider(authorization, "anna"))
    assert response.status_code == 303 and response.headers["location"] == "/orders"
    session.expire_all()
    anna = signed_in_user(session, response)
    assert (anna.email, anna.company_id, anna.name) == (
        "anna@alpha.example",
        alpha.company_id,
        "Anna Alpha",
    )
    assert role_codes_of(session, anna.id) == ["approver"]  # type: ignore[arg-type]
    alpha_idp.set_account("anna", "anna@alpha.example", "Anna Alpha", ["finance"])
    signed_in_user(session, sign_in(portal, "anna@alpha.example", "anna"))
    session.expire_all()
    assert role_codes_of(session, anna.id) == ["controller"]  # type: ignore[arg-type]
    actions = session.exec(
        select(AuditEntry.action).where(AuditEntry.company_id == alpha.company_id)
    ).all()
    assert {"sso.user_created", "sso.roles_synced", "sso.signed_in"} <= set(actions)


def _slip_in(monkeypatch, make_token) -> None:  # type: ignore[no-untyped-def]
    """The provider answers as usual, but the portal receives ``make_token(real_token)``."""
    real = oidc.exchange_code

    def exchange(*args):  # type: ignore[no-untyped-def]
        return make_token(real(*args))

    monkeypatch.setattr(oidc, "exchange_code", exchange)


def _crafted(idp: Provider, nonce: str, key: RSAKey | None = None, **overrides):  # type: ignore[no-untyped-def]
    return lambda _real: idp.sign(idp.claims_for("anna", nonce, **overrides), key)


def _tampered(real: str) -> str:
    header, payload, signature = real.split(".")
    import base64
    import json

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["groups"] = ["purchasing-heads", "finance"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize(
    ("case", "notice"),
    [
        ("payload_changed", "sso_signature"),
        ("rogue_key", "sso_signature"),
        ("other_audience", "sso_audience"),
        ("other_issuer", "sso_issuer"),
        ("expired", "sso_expired"),
        ("old_nonce", "sso_nonce"),
    ],
)
def test_tokens_the_provider_did_not_issue_for_this_login_are_refused(
    session, world, portal, monkeypatch, case: str, notice: str
) -> None:
    _alpha, _beta, idp, beta_idp = world
    authorization = start(portal, "anna@alpha.example")
    nonce = parse_qs(urlparse(authorization).query)["nonce"][0]
    rogue = new_key(idp.key.kid)  # same key id, another key
    makers = {
        "payload_changed": _tampered,
        "rogue_key": _crafted(idp, nonce, rogue),
        "other_audience": _crafted(idp, nonce, aud="someone-elses-app"),
        "other_issuer": _crafted(idp, nonce, iss=beta_idp.issuer),
        "expired": _crafted(idp, nonce, iat=1_700_000_000, exp=1_700_000_600),
        "old_nonce": _crafted(idp, "the-nonce-of-an-earlier-login"),
    }
    _slip_in(monkeypatch, makers[case])
    response = back_at_portal(portal, log_in_at_provider(authorization, "anna"))
    assert notice_of(response) == notice
    assert SESSION_COOKIE not in response.cookies
    refusal = session.exec(
        select(AuditEntry).where(AuditEntry.action == "sso.sign_in_refused")
    ).one()
    assert refusal.after["reason"] == notice.removeprefix("sso_")
    assert session.exec(select(User).where(User.email == "anna@alpha.example")).first() is None


def test_a_replayed_answer_is_refused(session, world, portal) -> None:
    callback = log_in_at_provider(start(portal, "anna@alpha.example"), "anna")
    assert back_at_portal(portal, callback).headers["location"] == "/orders"
    portal.cookies.clear()
    assert notice_of(back_at_portal(portal, callback)) == "sso_replay"


def test_the_answer_must_come_back_to_the_browser_that_started(world, portal) -> None:
    callback = log_in_at_provider(start(portal, "anna@alpha.example"), "anna")
    portal.cookies.delete(STATE_COOKIE, path="/auth/sso")
    assert notice_of(back_at_portal(portal, callback)) == "sso_browser"


def test_an_answer_that_comes_back_in_another_browser_is_refused(world, portal) -> None:
    callback = log_in_at_provider(start(portal, "anna@alpha.example"), "anna")
    app = Starlette(routes=auth_routes + sso_routes, middleware=[browser_key_middleware])
    with TestClient(app, base_url=PORTAL) as other_browser:
        other_browser.get("/sign-in", headers={"accept": "text/html"})
        assert notice_of(back_at_portal(other_browser, callback)) == "sso_browser"
        assert SESSION_COOKIE not in other_browser.cookies


def test_company_b_provider_cannot_sign_anyone_into_company_a(session, world, portal) -> None:
    alpha, beta, alpha_idp, beta_idp = world
    # Beta's provider vouches for an address in alpha's domain.
    beta_idp.set_account("mallory", "anna@alpha.example", "Mallory", ["purchasing-heads"])
    assert notice_of(sign_in(portal, "mallory@beta.example", "mallory")) == "sso_domain"
    # A code from beta's provider handed to alpha's login: alpha's provider never issued it.
    alpha_login = start(portal, "anna@alpha.example")
    beta_callback = log_in_at_provider(start(portal, "someone@beta.example"), "mallory")
    state = parse_qs(urlparse(alpha_login).query)["state"][0]
    code = parse_qs(urlparse(beta_callback).query)["code"][0]
    portal.cookies.set(STATE_COOKIE, state, domain="portal.test", path="/auth/sso")
    swapped = f"{CALLBACK}?code={code}&state={state}"
    assert notice_of(back_at_portal(portal, swapped)) == "sso_code"
    assert session.exec(select(User).where(User.email == "anna@alpha.example")).first() is None
    assert alpha.company_id != beta.company_id


def test_a_deactivated_user_cannot_get_in_through_sso(session, world, portal) -> None:
    alpha, _beta, alpha_idp, _ = world
    make_user(
        session, alpha.company_id, "gone@alpha.example", ["buyer"], status=UserStatus.INACTIVE
    )
    session.commit()
    alpha_idp.set_account("gone", "gone@alpha.example", "Gone", [])
    assert notice_of(sign_in(portal, "gone@alpha.example", "gone")) == "sso_inactive"


def test_with_password_sign_in_off_only_sso_gets_in(session, world, portal) -> None:
    alpha, *_ = world
    main = session.get(User, alpha.user_id)
    company = session.get(Company, alpha.company_id)
    company.password_sign_in_enabled = False  # type: ignore[union-attr]
    session.add(company)
    session.commit()
    attempt = accounts.SignInAttempt(email=main.email, password=PASSWORD, ip_address="1.2.3.4")  # type: ignore[union-attr]
    with pytest.raises(ServiceError, match="sign_in.password_off"):
        accounts.sign_in(session, attempt)
    session.rollback()
    assert signed_in_user(session, sign_in(portal, "anna@alpha.example", "anna")).email == (
        "anna@alpha.example"
    )


def test_the_settings_check_the_issuer_against_the_live_provider(session, world) -> None:
    from customer_center.domain.errors import ValidationFailed

    alpha, _beta, idp, _ = world
    port = idp.issuer.rsplit(":", 1)[1]
    cases = {
        f"http://localhost:{port}": "sso.error.issuer_mismatch",  # the document names 127.0.0.1
        f"{idp.issuer}/realms/none": "sso.error.issuer_unreachable",
        "http://127.0.0.1:9": "sso.error.issuer_unreachable",
        "login.alpha.example": "sso.error.issuer_not_url",
    }
    for issuer, message in cases.items():
        with pytest.raises(ValidationFailed) as refused:
            configure_sso(
                session,
                alpha,
                discover=oidc.discover,
                settings=dev_settings(),
                issuer=issuer,
                domains="alpha.example",
            )
        session.rollback()
        assert refused.value.errors["issuer"][0] == message


def test_one_address_cannot_start_logins_without_end(world, portal) -> None:
    for _ in range(30):
        start(portal, "anna@alpha.example")
    response = portal.get(
        "/auth/sso/start",
        params={"ticket": start_ticket(portal, "anna@alpha.example")},
        follow_redirects=False,
    )
    assert notice_of(response) == "sso_busy"
