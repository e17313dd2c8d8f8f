"""The benchmark's socket client against the real backend: one simulated user signs in by
cookie, hydrates, opens a page and clicks, and gets the portal's real state deltas back."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from bench.live_portal import _mixed, running_portal
from bench.reflex_client import PORTAL, ROOT, ReflexClient, state_name, var
from customer_center.models.user import User
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_company, signed_in_cookie

SESSION = state_name("session", "session_state")
TIMEOUT_S = 60  # what the tests check is the state, not how fast it comes on a busy machine
ORDERS = state_name("orders", "order_list_state")


# A Redis database of its own: the browser tests and the two-worker test use 1 and 3.
REDIS_URL = os.environ.get("CC_BENCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture(scope="module", params=["memory", "redis"])
def portal(request, engine) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """One backend worker keeping the sessions' state in memory, or in Redis (pickled)."""
    redis_url = REDIS_URL if request.param == "redis" else ""
    with running_portal(1, redis_url, TEST_DATABASE_URL, flush=False) as (url, _pid):
        yield url


async def _visit(url: str, cookie: str) -> tuple[ReflexClient, dict]:
    """Connect on the dashboard, open the order list, click; returns the client (holding
    only what the page and the click sent) and the state the connection brought."""
    client = ReflexClient(url, cookie, timeout=TIMEOUT_S)
    try:
        await client.connect("/dashboard")
        connected, client.state = client.state, {}
        await client.open_page("/orders")
        await client.call(f"{ORDERS}.set_scope", {"value": "all"})
    finally:
        await client.close()
    return client, connected


def test_a_signed_in_user_gets_the_pages_state(portal: str, session: Session) -> None:
    main = make_company(session, "C-BENCH", "Bench GmbH")
    user = session.get(User, main.user_id)
    assert user is not None
    cookie = signed_in_cookie(session, user)

    client, connected = asyncio.run(_visit(portal, cookie))

    assert client.errors == [] and client.redirects == []
    assert var(client.state, ROOT, "is_hydrated") is True
    assert var(connected, SESSION, "company_name") == "Bench GmbH"  # the shell, once
    assert var(connected, SESSION, "user_name") == user.name
    assert var(client.state, ORDERS, "allowed") is True
    assert var(client.state, ORDERS, "scope") == "all"  # the click's own delta


def test_opening_a_page_does_not_resend_the_catalogue(portal: str, session: Session) -> None:
    """The translations (about 70 KB) reach the tab once, on connecting, not on every page."""
    main = make_company(session, "C-CAT", "Catalogue GmbH")
    user = session.get(User, main.user_id)
    assert user is not None

    client, connected = asyncio.run(_visit(portal, signed_in_cookie(session, user)))

    assert var(connected, PORTAL, "t")  # sent with the connection
    assert var(client.state, ORDERS, "allowed") is True  # the page's on_load ran
    assert var(client.state, PORTAL, "t") is None


def test_without_the_cookie_the_portal_sends_the_tab_to_sign_in(portal: str, db) -> None:  # type: ignore[no-untyped-def]
    async def anonymous() -> ReflexClient:
        client = ReflexClient(portal, timeout=TIMEOUT_S)
        try:
            await client.connect("/dashboard")
        finally:
            await client.close()
        return client

    client = asyncio.run(anonymous())

    assert client.redirects and client.redirects[0].startswith("/sign-in")
    assert var(client.state, SESSION, "user_name") in (None, "")


def test_every_run_of_the_benchmark_mixes_approvers_and_buyers() -> None:
    approvers, buyers = list(range(1000, 1060)), list(range(140))

    mixed = _mixed(approvers, buyers)

    assert sorted(mixed) == sorted(approvers + buyers)
    for count in (50, 100, 200):
        assert sum(1 for u in mixed[:count] if u >= 1000) == round(count * 0.3)


def test_the_measured_window_leaves_out_the_warm_up_clicks_but_not_connecting() -> None:
    from bench.concurrency import CONNECT, Tally

    tally = Tally(since=100.0)
    tally.timing("open an order", 99.9, 5000.0)  # sent while others were still connecting
    tally.timing("open an order", 100.0, 40.0)
    tally.timing(CONNECT, 3.0, 900.0)

    assert tally.timings == {"open an order": [40.0], CONNECT: [900.0]}
