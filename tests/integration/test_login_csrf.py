"""Login CSRF: whatever a sign-in handler hands a browser (a sign-in ticket, the start of a
single sign-on) works in that browser only. Browsers are HTTP clients of the portal's real
routes (with the middleware that gives each its browser key); the tickets come out of the
real event pipeline, from a connection that carries the browser's cookies."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

import customer_center.customer_center as portal_app
from customer_center.auth import oidc
from customer_center.auth.browser_key import BROWSER_COOKIE
from customer_center.auth.principals import resolve_principal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.domain.people import UserStatus
from customer_center.http.auth_routes import routes as auth_routes
from customer_center.http.browser_key import browser_key_middleware
from customer_center.http.sso_routes import routes as sso_routes
from customer_center.models.auth import OneTimeToken
from customer_center.models.user import User
from customer_center.services.identity import one_time_tokens
from customer_center.services.people.inviting import INVITATION
from customer_center.state.sign_in import ResetPasswordState, SignInState
from customer_center.state.users import InvitationState
from tests.factories import PASSWORD, make_company, make_user
from tests.sso_factories import configure_sso, fake_discover

PORTAL = "http://portal.test"
_tabs = itertools.count()


class _Socket:
    """Stands in for the websocket: keeps what the server sends the tab."""

    def __init__(self) -> None:
        self.updates: list[Any] = []

    async def emit_update(self, update: Any, token: str) -> None:
        self.updates.append(update)

    def scripts(self) -> list[str]:
        return [
            str(event.payload.get("javascript_code", ""))
            for update in self.updates
            for event in update.events
        ]


async def send_from(browser: TestClient, handler: str, payload: dict, query: dict | None = None):  # type: ignore[no-untyped-def]
    """One event of a tab of ``browser``: its connection carries the browser's cookies, as the
    websocket handshake of a page it loaded does. Returns the scripts the server sent back."""
    cookies = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    query = query or {}
    router_data = {
        "headers": {"cookie": cookies, "origin": PORTAL},
        "pathname": "/sign-in",
        "asPath": "/sign-in" + (f"?{urlencode(query)}" if query else ""),
        "query": query,
        "ip": "10.1.1.1",
    }
    socket = _Socket()
    processor = BaseStateEventProcessor(middleware=portal_app.app)
    async with processor.configure(state_manager=StateManagerMemory(), event_namespace=socket):  # type: ignore[arg-type]
        future = await processor.enqueue(
            f"tab-{next(_tabs)}",
            Event(name=handler, payload=payload, router_data=router_data),
        )
        await future
    return socket.scripts()


def address_in(scripts: list[str], path: str) -> str:
    found = [m for s in scripts for m in re.findall(rf"'({re.escape(path)}\?[^']+)'", s)]
    assert len(found) == 1, scripts
    return found[0]


@pytest.fixture
def app() -> Starlette:
    return Starlette(routes=auth_routes + sso_routes, middleware=[browser_key_middleware])


@pytest.fixture
def browsers(app: Starlette) -> Iterator[tuple[TestClient, TestClient]]:
    """Two browsers that have each loaded the sign-in page (and so hold a browser key)."""
    with (
        TestClient(app, base_url=PORTAL) as first,
        TestClient(app, base_url=PORTAL) as second,
    ):
        for browser in (first, second):
            browser.get("/sign-in", headers={"accept": "text/html"})
            assert browser.cookies.get(BROWSER_COOKIE)
        assert first.cookies.get(BROWSER_COOKIE) != second.cookies.get(BROWSER_COOKIE)
        yield first, second


SUBMIT = f"{SignInState.get_full_name()}.submit"


def _session_user(session: Session, response) -> User | None:  # type: ignore[no-untyped-def]
    actor = resolve_principal(session, response.cookies.get(SESSION_COOKIE))
    return session.get(User, actor.user_id) if actor else None


async def test_a_sign_in_ticket_works_only_in_the_browser_that_asked_for_it(
    db, session: Session, app: Starlette, browsers
) -> None:
    attacker_company = make_company(session, "M-1", "Mallory GmbH")
    attacker = session.get(User, attacker_company.user_id)
    assert attacker is not None
    mine, victims = browsers
    form = {"email": attacker.email, "password": PASSWORD}
    link = address_in(await send_from(mine, SUBMIT, {"form": form}), "/auth/complete")

    # The attacker sends the link to a victim: it signs nobody in there, and a browser
    # without any key (a fresh one that loaded no page) fares no better.
    refused = victims.get(link, follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/sign-in?notice=other_browser"
    assert SESSION_COOKIE not in refused.cookies
    with TestClient(app, base_url=PORTAL) as keyless:
        refused = keyless.get(link, follow_redirects=False)
        assert refused.headers["location"] == "/sign-in?notice=other_browser"
        assert SESSION_COOKIE not in refused.cookies

    # In the browser that signed in, the same ticket opens the session.
    signed_in = mine.get(link, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/dashboard"
    session.expire_all()
    assert _session_user(session, signed_in) == attacker


async def test_a_connection_without_a_browser_key_gets_no_ticket(
    db, session: Session, app: Starlette
) -> None:
    main = session.get(User, make_company(session, "A-1").user_id)
    with TestClient(app, base_url=PORTAL) as keyless:
        form = {"email": main.email, "password": PASSWORD}  # type: ignore[union-attr]
        assert await send_from(keyless, SUBMIT, {"form": form}) == []
    session.expire_all()
    assert session.exec(select(OneTimeToken)).all() == []


async def test_a_single_sign_on_starts_only_in_the_browser_that_asked(
    db, session: Session, browsers, monkeypatch
) -> None:
    monkeypatch.setattr(oidc, "discover", fake_discover)
    alpha = make_company(session, "A-1", "Alpha GmbH")
    configure_sso(session, alpha, domains="a-1.example")
    make_user(session, alpha.company_id, "anna@a-1.example", ["buyer"])
    session.commit()
    mine, victims = browsers
    # A bare link to the start route (what an attacker would send) starts nothing.
    bare = victims.get(
        "/auth/sso/start", params={"email": "anna@a-1.example"}, follow_redirects=False
    )
    assert bare.headers["location"].startswith("/sign-in?notice=sso_")
    scripts = await send_from(mine, SUBMIT, {"form": {"email": "anna@a-1.example"}})
    link = address_in(scripts, "/auth/sso/start")
    refused = victims.get(link, follow_redirects=False)
    assert refused.headers["location"] == "/sign-in?notice=sso_browser"
    started = mine.get(link, follow_redirects=False)
    assert started.status_code == 303
    assert started.headers["location"].startswith("https://login.alpha.example/auth?")


def _reset_link(session: Session, user: User) -> str:
    return one_time_tokens.issue(
        session, one_time_tokens.PASSWORD_RESET, timedelta(hours=1), user_id=user.id
    )


def _invitation_link(session: Session, user: User) -> str:
    user.status = UserStatus.INVITED
    session.add(user)
    return one_time_tokens.issue(session, INVITATION, timedelta(days=7), user_id=user.id)


NEW_PASSWORD = "Another-long-passphrase-42"


@pytest.mark.parametrize(
    ("state", "make_link", "form"),
    [
        (ResetPasswordState, _reset_link, {}),
        (InvitationState, _invitation_link, {"name": "Ben"}),
    ],
)
async def test_the_tickets_of_reset_and_invitation_links_stay_in_their_browser(
    db, session: Session, browsers, state, make_link, form: dict
) -> None:
    main = make_company(session, "A-1")
    ben = make_user(session, main.company_id, "ben@a-1.example", ["buyer"])
    token = make_link(session, ben)
    session.commit()
    mine, victims = browsers
    form = {**form, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
    scripts = await send_from(
        mine, f"{state.get_full_name()}.submit", {"form": form}, {"token": token}
    )
    link = address_in(scripts, "/auth/complete")
    assert victims.get(link, follow_redirects=False).headers["location"] == (
        "/sign-in?notice=other_browser"
    )
    signed_in = mine.get(link, follow_redirects=False)
    session.expire_all()
    assert _session_user(session, signed_in) == session.get(User, ben.id)
