"""Two backend processes of the production build behind a round-robin proxy, on one PostgreSQL
database and one Redis: a signed-in approver's tab is served by both, the session holds and
the approval counts, whichever process serves the events. On the order page the proxy cuts
the websocket: the tab reconnects by itself to the other process, which approves. (A Reflex
0.10 websocket hydrates the page on every connect; each process keeps the principals it
resolved only under the revocation epoch shared through Redis.) A revoked session leaves its
open tab within 2 s, whichever process holds the tab and whichever process revoked it.

Needs PostgreSQL (CC_TEST_DATABASE_URL) and Redis (CC_REDIS_URL) and fails without them; the
Makefile runs it in its own pytest run of the PostgreSQL + Redis pass (it builds the frontend
for the proxy's address, which would break a portal built for another port in the same run).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from customer_center.auth.sessions import revoke_all_sessions
from customer_center.db import get_engine, session_scope
from customer_center.domain.order_states import EventKind, OrderStatus
from customer_center.domain.people import UserStatus
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.order import Order, OrderEvent
from customer_center.models.user import User
from tests.conftest import _TMP, IS_POSTGRES, TEST_DATABASE_URL
from tests.e2e.conftest import ROOT, _free_port, _wait_until_serving, stop_process_group
from tests.e2e.helpers import (
    PUSHED_WITHIN_MS,
    approval_company,
    open_page,
    place_motor_order,
    sign_in,
    wait_until_loaded,
)
from tests.e2e.round_robin_proxy import Connection, RoundRobinProxy
from tests.factories import PASSWORD, make_user

DOMAIN = "two-workers.example"
BEN = f"ben.buyer@{DOMAIN}"
ANNA = f"anna.approver@{DOMAIN}"
MAIN, DORA, PIA = f"main@{DOMAIN}", f"dora.deakt@{DOMAIN}", f"pia.passwort@{DOMAIN}"
APPROVED = re.compile("Approved|Sent to the seller")  # the relay may have handed it on


def _require_postgres_and_redis() -> str:
    if not IS_POSTGRES:
        pytest.fail(
            "two workers need PostgreSQL: set CC_TEST_DATABASE_URL=postgresql+psycopg://..."
        )
    redis_url = os.environ.get("CC_REDIS_URL", "")
    if not redis_url:
        pytest.fail("two workers share the sessions' state through Redis: set CC_REDIS_URL")
    redis.Redis.from_url(redis_url).ping()  # fails the test when Redis does not answer
    return redis_url


def _backend_env(port: int, portal: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "CC_ENV": "test",
        "CC_DATABASE_URL": TEST_DATABASE_URL,
        "CC_DATA_DIR": str(_TMP),
        "CC_HOST": "127.0.0.1",
        "CC_PORT": str(port),
        "CC_BASE_URL": portal,
        "CC_WORKERS": "1",
        "CC_REDIS_URL": redis_url,
        "REFLEX_API_URL": portal,  # the built frontend connects to the proxy, not to a backend
    }


def _start_backend(port: int, env: dict[str, str], *options: str) -> subprocess.Popen[bytes]:
    log = _TMP / f"backend-{port}.log"
    command = [str(ROOT / ".venv" / "bin" / "python"), "-m", "customer_center.cli", "serve"]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, *options],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _wait_until_serving(f"http://127.0.0.1:{port}", process, log)
    return process


@pytest.fixture(scope="module")
def proxy(engine) -> Iterator[RoundRobinProxy]:
    """Backend 0 builds the frontend and runs the outbox relay; backend 1 serves that build."""
    redis_url = _require_postgres_and_redis()
    import_erp_directory(get_engine(), demo_data_dir())
    ports = [_free_port(), _free_port()]
    proxy = RoundRobinProxy(ports)
    portal = f"http://localhost:{proxy.start()}"
    started = []
    try:
        started.append(_start_backend(ports[0], _backend_env(ports[0], portal, redis_url)))
        env = _backend_env(ports[1], portal, redis_url)
        started.append(_start_backend(ports[1], env, "--no-build", "--no-relay"))
        yield proxy
    finally:
        for process in started:
            stop_process_group(process)
        proxy.stop()


def _recorded_approval(order_id: int) -> tuple[str, str]:
    with Session(get_engine()) as session:
        order = session.get(Order, order_id)
        assert order is not None
        event = session.exec(
            select(OrderEvent).where(
                OrderEvent.order_id == order_id, OrderEvent.kind == EventKind.APPROVED
            )
        ).one()
        approver = session.get(User, event.actor_id)
        assert approver is not None
        return order.status, approver.email


def _reconnected(proxy: RoundRobinProxy, token: str, before: int) -> Connection:
    """Wait, as the page does, until the tab has opened its next websocket."""
    deadline = time.monotonic() + 15
    while len(proxy.websockets_with(token)) <= before:
        assert time.monotonic() < deadline, "the tab did not reconnect"
        time.sleep(0.05)
    return proxy.websockets_with(token)[before]


def test_a_signed_in_approver_approves_whichever_worker_serves_the_events(
    page: Page, proxy: RoundRobinProxy
) -> None:
    portal = f"http://localhost:{proxy.port}"
    approval_company("E2E-2W", "Zweiwerk GmbH", DOMAIN)
    order_id = place_motor_order(BEN, 2, "pending_approval")
    number = f"PO-{order_id:06d}"

    # Every page load opens a new websocket, and the proxy sends it to the other backend.
    sign_in(page, portal, ANNA, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Anna Approver")
    page.goto(f"{portal}/approvals")
    expect(page.locator(".approval-row", has_text=number)).to_contain_text("Ben Buyer")
    page.goto(f"{portal}/orders/{order_id}")
    expect(page.locator("#order-status")).to_have_text("Waiting for approval")
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    loaded_on = proxy.websockets_with(token)[-1]

    # The connection drops; the tab reconnects to the other backend, which decides.
    proxy.drop_websockets()
    decided_on = _reconnected(proxy, token, before=len(proxy.websockets_with(token)))
    page.locator("#approve").click()
    expect(page.locator("#order-status")).to_have_text(APPROVED)
    expect(page.locator("#order-timeline")).to_contain_text("approved the order")
    page.reload()
    expect(page.locator("#order-number")).to_have_text(number)
    expect(page.locator("#order-status")).to_have_text(APPROVED)
    page.goto(portal)
    expect(page.locator("#user-name")).to_have_text("Anna Approver")

    mine = proxy.websockets_with(token)
    assert len(mine) >= 3, [c.path for c in proxy.connections]  # load, reconnect, reload
    assert {c.backend for c in mine} == {0, 1}, "both backends served this tab's events"
    assert decided_on.backend != loaded_on.backend, "the approval went to the other backend"
    assert {c.backend for c in proxy.connections if not c.websocket} == {0, 1}
    assert _recorded_approval(order_id) in {
        (OrderStatus.APPROVED, ANNA),
        (OrderStatus.SENT_TO_ERP, ANNA),
    }


def _backend_of(proxy: RoundRobinProxy, page: Page) -> int:
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    return proxy.websockets_with(token)[-1].backend


def test_a_revoked_session_leaves_its_open_tab_whichever_worker_holds_it(
    page: Page, browser: Browser, proxy: RoundRobinProxy
) -> None:
    """The main contact deactivates a user on one worker; the user's tab, open on a worker
    (the other one, once the proxy has put them apart), is on the sign-in page within 2 s.
    Then a session revoked by another process altogether (this test's, as a command or a
    second host would) leaves its tab just as fast: the push goes through Redis."""
    portal = f"http://localhost:{proxy.port}"
    cid = approval_company("E2E-2W", "Zweiwerk GmbH", DOMAIN)
    with Session(get_engine()) as session:
        for email, name in ((DORA, "Dora Deakt"), (PIA, "Pia Passwort")):
            known = session.exec(select(User).where(User.email == email)).first()
            if known is None:
                make_user(session, cid, email, ["buyer"], name=name)
            else:  # deactivated by an earlier run on the same database
                known.status = UserStatus.ACTIVE
                session.add(known)
        session.commit()

    dora = browser.new_context().new_page()
    sign_in(dora, portal, DORA, PASSWORD)
    expect(dora.locator("#user-name")).to_have_text("Dora Deakt")
    sign_in(page, portal, MAIN, PASSWORD)
    expect(page.locator("#user-name")).to_have_text("Mia Main")
    open_page(page, f"{portal}/users")
    expect(page.locator("#user-search")).to_be_visible()
    for _turn in range(4):  # round robin: a reload's websocket soon lands on the other one
        if _backend_of(proxy, page) != _backend_of(proxy, dora):
            break
        page.reload()
        wait_until_loaded(page)
    assert _backend_of(proxy, page) != _backend_of(proxy, dora), "the tabs are apart"
    page.locator("#user-search").fill("Dora Deakt")
    page.get_by_role("link", name="Dora Deakt", exact=True).click()
    expect(page.locator("#detail-name")).to_have_text("Dora Deakt")
    wait_until_loaded(page)
    page.locator("#deactivate-user").click()
    page.locator("#deactivate-user-confirm").click()
    expect(page.get_by_text("The user is deactivated and was signed out.")).to_be_visible()
    expect(dora).to_have_url(re.compile(r"/sign-in"), timeout=PUSHED_WITHIN_MS)
    dora.context.close()

    pia = browser.new_context().new_page()
    sign_in(pia, portal, PIA, PASSWORD)
    expect(pia.locator("#user-name")).to_have_text("Pia Passwort")
    with session_scope() as session:  # a password reset, written by another process
        pia_id = session.exec(select(User.id).where(User.email == PIA)).one()
        assert revoke_all_sessions(session, pia_id) == 1  # type: ignore[arg-type]
    expect(pia).to_have_url(re.compile(r"/sign-in"), timeout=PUSHED_WITHIN_MS)
    pia.context.close()
