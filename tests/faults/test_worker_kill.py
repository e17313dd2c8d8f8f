"""A backend worker killed (SIGKILL) while an approval is being decided and an order placed.

Two workers share the tabs' state through a throwaway Redis, as production runs them. To kill
a worker in the middle of the work, the test locks the tables the decision and the checkout
write, so both transactions wait half-done; PostgreSQL names the waiting connections, whose
ports lead to a worker. uvicorn's supervisor starts a new worker in its place while the
backend keeps serving with the other one (``serve`` goes on). Each piece of work is all or
nothing (the killed worker's is rolled back; the other worker's finishes), the tabs reconnect
and show the true state, and doing again what was not done leaves exactly one decision and
one order.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import psutil
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
WAITING_FOR_LOCK = """SELECT client_port, left(query, 120) FROM pg_stat_activity
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

    def waiting(self) -> list[tuple[int, str]]:
        """The connections waiting for the lock: their ports and what they wait to do. Asked
        inside the lock's transaction, where PostgreSQL keeps the first answer of
        pg_stat_activity until the transaction ends: the snapshot is cleared first, else a
        poll never sees a writer that began to wait after the first one."""
        self.connection.execute(text("SELECT pg_stat_clear_snapshot()"))
        rows = self.connection.execute(text(WAITING_FOR_LOCK)).all()
        return [(int(port), str(query)) for port, query in rows]

    def waiting_ports(self) -> list[int]:
        return [port for port, _query in self.waiting()]

    def release(self) -> None:
        self.transaction.rollback()
        self.connection.close()


def _kill_the_waiting_worker(portal: Portal, held: Held) -> int:
    """SIGKILL a worker whose transaction waits for ``held`` (once both events wait); its pid."""
    try:
        wait_for("both events wait for the lock", lambda: len(held.waiting_ports()) == 2, 30)
    except AssertionError as error:  # say who waits, so that a failure can be explained
        raise AssertionError(f"{error}; waiting: {held.waiting()}") from None
    port = held.waiting_ports()[0]
    worker = portal.worker_on_port(port)
    worker.kill()
    held.release()
    return worker.pid


def _replacement_serves(portal: Portal, killed: int, survivor: int) -> None:
    """A new worker takes the killed one's place and serves: once it is there, the worker
    that lived on is killed too, so only started-again workers are left to answer (a worker
    Granian 2.8 started again never accepted a connection)."""

    def replaced() -> bool:
        pids = {worker.pid for worker in portal.workers()}
        return killed not in pids and survivor in pids and len(pids) == 2

    wait_for("a new worker in the killed one's place", replaced, 120)
    psutil.Process(survivor).kill()
    wait_for("the new worker answers", portal.answers, 120)


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
    restart_s: float  # from the kill until a new worker serves in its place
    reconnect_s: float  # from the kill until the tabs show their pages again


def _waiting_order(engine: Engine, approver: SimUser) -> int:
    return count(
        engine,
        """SELECT min(order_id) FROM approval_step s WHERE s.approver_id = :user
           AND s.status = 'waiting'""",
        user=approver.user_id,
    )


DECISIONS = """SELECT count(*) FROM order_event
    WHERE order_id = :order AND kind = 'approved' AND actor_id = :user"""
ORDERS_OF = "SELECT count(*) FROM customer_order WHERE requester_id = :user"
CART_OF = "SELECT count(*) FROM cart_item WHERE user_id = :user"
SUBMIT = {"form": SUBMIT_FORM}


async def _fill_cart(tab: ReflexClient) -> None:
    await tab.open_page("/catalogue")
    sku = (var(tab.state, CATALOGUE, "rows") or [])[0]["sku"]
    await tab.call(f"{CATALOGUE}.add", {"form": {"sku": sku, "quantity": "1"}})
    await tab.open_page("/checkout")


class Both:
    """An approver deciding an order and a buyer placing one, each in a tab of their own."""

    def __init__(self, setup: Setup) -> None:
        self.setup, self.engine = setup, setup.engine
        self.approver = next(user for user in setup.users if user.approver)
        self.buyer = next(user for user in setup.users if not user.approver)
        self.order_id = _waiting_order(self.engine, self.approver)
        self.order_page = (f"/orders/{self.order_id}", {"order_id": str(self.order_id)})
        self.orders = count(self.engine, ORDERS_OF, user=self.buyer.user_id)

    def decisions(self) -> int:
        return count(self.engine, DECISIONS, order=self.order_id, user=self.approver.user_id)

    def placed(self) -> int:
        return count(self.engine, ORDERS_OF, user=self.buyer.user_id) - self.orders

    async def open(self, url: str) -> tuple[ReflexClient, ReflexClient]:
        deciding = ReflexClient(url, self.approver.cookie, timeout=30)
        await deciding.connect(*self.order_page)
        assert var(deciding.state, ORDER, "can_decide") is True
        buying = ReflexClient(url, self.buyer.cookie, timeout=30)
        await buying.connect("/dashboard")
        await _fill_cart(buying)
        return deciding, buying

    async def check_and_finish(self, deciding: ReflexClient, buying: ReflexClient) -> None:
        """Each tab shows the true state; what was not done is done again, once."""
        decided, placed, cart = self.decisions(), self.placed(), self._cart()
        assert decided in (0, 1) and placed in (0, 1)  # all or nothing
        assert var(deciding.state, ORDER, "can_decide") is (decided == 0)
        assert (cart > 0) is (placed == 0)  # the cart is kept unless the order was placed
        if not decided:
            await deciding.call(f"{ORDER}.approve")
        if not placed:
            await buying.call(
                f"{CHECKOUT}.submit", SUBMIT, lambda d: var(d, CHECKOUT, "placed") is True
            )
        assert var(deciding.state, ORDER, "can_decide") is False

    def _cart(self) -> int:
        return count(self.engine, CART_OF, user=self.buyer.user_id)


async def _scenario(both: Both, stack: ExitStack) -> Figures:
    portal = await asyncio.to_thread(stack.enter_context, running_portal(both.setup.env, 2))
    deciding, buying = await both.open(portal.url)
    assert both._cart() > 0
    # The decision waits at its timeline event or its order update, the checkout at the
    # order insert: both half-done.
    held = Held(both.engine, "order_event, customer_order")
    await deciding.emit(f"{ORDER}.approve")
    await buying.emit(f"{CHECKOUT}.submit", SUBMIT)
    workers = {worker.pid for worker in portal.workers()}
    victim = await asyncio.to_thread(_kill_the_waiting_worker, portal, held)
    killed = time.monotonic()
    assert portal.answers(), "the other worker serves on"
    await asyncio.to_thread(_replacement_serves, portal, victim, (workers - {victim}).pop())
    restarted = time.monotonic() - killed
    assert portal.process.poll() is None, "the backend lives on"
    deciding = await _reconnect(deciding, both.approver, *both.order_page)
    buying = await _reconnect(buying, both.buyer, "/checkout", {})
    figures = Figures(restarted, time.monotonic() - killed)
    await both.check_and_finish(deciding, buying)
    await deciding.close()
    await buying.close()
    return figures


def test_a_worker_killed_mid_approval_and_mid_checkout_leaves_each_all_or_nothing(
    setup: Setup,
) -> None:
    both = Both(setup)
    with ExitStack() as stack:
        figures = asyncio.run(_scenario(both, stack))
    print(f"\nworker killed mid-approval and mid-checkout: {figures}")
    assert (both.decisions(), both.placed(), both._cart()) == (1, 1, 0)  # each exactly once
    assert half_written(setup.engine) == dict.fromkeys(half_written(setup.engine), 0)
