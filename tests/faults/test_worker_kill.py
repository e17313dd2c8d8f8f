"""A backend worker killed (SIGKILL) while it decides an approval or places an order.

Two workers share the tabs' state through a throwaway Redis, as production runs them. To kill
a worker in the middle of the decision, the test holds a lock on the table the decision writes
last, so the worker's transaction waits half-done; PostgreSQL names the waiting connection,
whose port leads to the worker. Killed, its transaction is rolled back: the decision or the
order is not there at all. Granian then stops the other workers too (a worker it would start
again does not serve, so that is off: production.py), and the service manager starts the
backend again, played here by the test; the tab reconnects to the new workers and sees the
true state, and doing it again leaves exactly one decision or order.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from bench.concurrency import SUBMIT_FORM
from bench.live_portal import SimUser
from bench.reflex_client import ReflexClient, state_name, var
from tests.faults.portal_data import count, demo_database, half_written, simulated_users
from tests.faults.processes import Portal, portal_env, running_portal
from tests.faults.servers import ThrowawayPostgres, ThrowawayRedis, wait_for

ORDER = state_name("order_view", "order_view_state")
CATALOGUE = state_name("catalogue", "catalogue_state")
CHECKOUT = state_name("checkout", "checkout_state")
WAITING_FOR_LOCK = """SELECT client_port FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'
    AND pid <> pg_backend_pid()"""


@dataclass
class Setup:
    env: dict[str, str]
    engine: Engine
    users: list[SimUser]


@pytest.fixture(scope="module")
def setup(postgres: ThrowawayPostgres) -> Iterator[Setup]:
    redis = ThrowawayRedis()
    redis.start()
    url, engine = demo_database(postgres, "worker_kill")
    try:
        yield Setup(portal_env(url, CC_REDIS_URL=redis.url(0)), engine, simulated_users(engine, 6))
    finally:
        redis.remove()


class Held:
    """A table locked against writes (reads go on) until ``release``: a writer waits in
    the middle of its transaction."""

    def __init__(self, engine: Engine, table: str) -> None:
        self.connection: Connection = engine.connect()
        self.transaction = self.connection.begin()
        self.connection.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))

    def waiting_port(self) -> int | None:
        row = self.connection.execute(text(WAITING_FOR_LOCK)).first()
        return int(row[0]) if row else None

    def release(self) -> None:
        self.transaction.rollback()
        self.connection.close()


def _kill_the_waiting_worker(portal: Portal, held: Held) -> None:
    """SIGKILL the worker whose transaction waits for ``held``; the backend stops."""
    wait_for("a worker waits for the lock", lambda: held.waiting_port() is not None, 30)
    port = held.waiting_port()
    assert port is not None
    portal.worker_on_port(port).kill()
    held.release()
    wait_for("Granian stops the other workers", lambda: portal.process.poll() is not None, 30)


async def _reconnect(
    old: ReflexClient, user: SimUser, path: str, params: dict[str, str]
) -> ReflexClient:
    """The same tab (its token) connecting again, as the browser does when its socket drops."""
    await old.close()
    tab = ReflexClient(old.base_url, user.cookie, timeout=30)
    tab.token = old.token
    await tab.connect(path, params)
    return tab


@dataclass
class Figures:
    restart_s: float  # from the kill until the backend answers again
    reconnect_s: float  # from the kill until the tab shows its page again


async def _kill_and_come_back(
    stack: ExitStack,
    portal: Portal,
    tab: ReflexClient,
    user: SimUser,
    held: Held,
    page: tuple[str, dict[str, str]],
) -> tuple[ReflexClient, Figures]:
    """Kill the worker busy with the tab's event, start the backend again on the same port
    (the service manager's part) and reconnect the tab; the new backend stays up until
    ``stack`` closes."""
    await asyncio.to_thread(_kill_the_waiting_worker, portal, held)
    killed = time.monotonic()
    port = int(portal.url.rsplit(":", 1)[1])
    await asyncio.to_thread(stack.enter_context, running_portal(portal.env, 2, port))
    restarted = time.monotonic() - killed
    tab = await _reconnect(tab, user, *page)
    return tab, Figures(restarted, time.monotonic() - killed)


def _waiting_order(engine: Engine, approver: SimUser) -> int:
    return count(
        engine,
        """SELECT min(order_id) FROM approval_step s WHERE s.approver_id = :user
           AND s.status = 'waiting'""",
        user=approver.user_id,
    )


DECISIONS = """SELECT count(*) FROM order_event
    WHERE order_id = :order AND kind = 'approved' AND actor_id = :user"""


def test_a_worker_killed_mid_approval_leaves_it_undone_and_the_tab_sees_that(setup: Setup) -> None:
    approver = next(user for user in setup.users if user.approver)
    order_id = _waiting_order(setup.engine, approver)
    page = (f"/orders/{order_id}", {"order_id": str(order_id)})

    async def scenario(stack: ExitStack) -> Figures:
        portal = await asyncio.to_thread(stack.enter_context, running_portal(setup.env, 2))
        tab = ReflexClient(portal.url, approver.cookie, timeout=30)
        await tab.connect(*page)
        assert var(tab.state, ORDER, "can_decide") is True
        held = Held(setup.engine, "order_event")  # the decision's last write
        await tab.emit(f"{ORDER}.approve")
        tab, figures = await _kill_and_come_back(stack, portal, tab, approver, held, page)
        # The true state: not approved, still for this approver to decide.
        assert var(tab.state, ORDER, "can_decide") is True
        assert count(setup.engine, DECISIONS, order=order_id, user=approver.user_id) == 0
        await tab.call(f"{ORDER}.approve")
        assert var(tab.state, ORDER, "can_decide") is False
        await tab.close()
        return figures

    with ExitStack() as stack:
        figures = asyncio.run(scenario(stack))
    print(f"\nworker killed mid-approval: {figures}")
    assert count(setup.engine, DECISIONS, order=order_id, user=approver.user_id) == 1
    assert half_written(setup.engine) == dict.fromkeys(half_written(setup.engine), 0)


ORDERS_OF = "SELECT count(*) FROM customer_order WHERE requester_id = :user"
CART_OF = "SELECT count(*) FROM cart_item WHERE user_id = :user"


async def _fill_cart(tab: ReflexClient) -> None:
    await tab.open_page("/catalogue")
    sku = (var(tab.state, CATALOGUE, "rows") or [])[0]["sku"]
    await tab.call(f"{CATALOGUE}.add", {"form": {"sku": sku, "quantity": "1"}})
    await tab.open_page("/checkout")


def test_a_worker_killed_mid_checkout_places_no_order_and_keeps_the_cart(setup: Setup) -> None:
    buyer = next(user for user in setup.users if not user.approver)
    orders = count(setup.engine, ORDERS_OF, user=buyer.user_id)
    submit = {"form": SUBMIT_FORM}

    async def scenario(stack: ExitStack) -> Figures:
        portal = await asyncio.to_thread(stack.enter_context, running_portal(setup.env, 2))
        tab = ReflexClient(portal.url, buyer.cookie, timeout=30)
        await tab.connect("/dashboard")
        await _fill_cart(tab)
        cart = count(setup.engine, CART_OF, user=buyer.user_id)
        assert cart > 0
        held = Held(setup.engine, "customer_order")  # placing the order waits here
        await tab.emit(f"{CHECKOUT}.submit", submit)
        tab, figures = await _kill_and_come_back(stack, portal, tab, buyer, held, ("/checkout", {}))
        assert count(setup.engine, ORDERS_OF, user=buyer.user_id) == orders  # not placed
        assert count(setup.engine, CART_OF, user=buyer.user_id) == cart  # nothing lost
        assert var(tab.state, CHECKOUT, "placed") is not True
        await tab.call(f"{CHECKOUT}.submit", submit, lambda d: var(d, CHECKOUT, "placed") is True)
        await tab.close()
        return figures

    with ExitStack() as stack:
        figures = asyncio.run(scenario(stack))
    print(f"\nworker killed mid-checkout: {figures}")
    assert count(setup.engine, ORDERS_OF, user=buyer.user_id) == orders + 1  # exactly once
    assert count(setup.engine, CART_OF, user=buyer.user_id) == 0
    assert half_written(setup.engine) == dict.fromkeys(half_written(setup.engine), 0)
