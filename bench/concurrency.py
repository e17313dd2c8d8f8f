"""Benchmark 2: N simulated users on the portal at once, each over its own socket.

    .venv/bin/python -m bench.concurrency                      # 50, 100, 200 users, 60 s each
    .venv/bin/python -m bench.concurrency --users 20 --seconds 10 --modes single

Each simulated user is a browser tab of a user of the largest company of the benchmark
dataset (PostgreSQL ``cc_bench``, generated when empty), speaking Reflex's event protocol
(bench/reflex_client.py). Approvers open their approvals inbox, open a waiting order and
approve it, or browse the orders; buyers browse and page through orders, open one, or put a
product into the cart and submit the order at checkout. Between two clicks a user thinks
for a random 1-5 s. Every click is timed from sending the event to the update the user waits
for (a page: all on_load handlers done; a button: its handler's delta); an error toast, a
refused or timed-out event and a dropped connection count as errors.

Modes: ``single`` is one backend worker with the sessions' state in memory; ``redis`` is
several workers (``--redis-workers``, default one per core) sharing the state through Redis.
Figures go to bench/results/concurrency.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bench import backend_profile, results
from bench.live_portal import (
    DEFAULT_REDIS_URL,
    SimUser,
    backend_cpu_seconds,
    running_portal,
    sign_in_users,
    sign_out_users,
    use_bench_database,
    wait_until_serving,
)
from bench.reflex_client import ROOT as ROOT_STATE
from bench.reflex_client import ReflexClient, ReflexError, state_name, var
from bench.serve import FLOOR_APP, free_port, launch, stop

CONNECT = "connect and hydrate"
ORDERS = state_name("orders", "order_list_state")
INBOX = state_name("approvals", "approvals_inbox_state")
ORDER = state_name("order_view", "order_view_state")
CATALOGUE = state_name("catalogue", "catalogue_state")
CHECKOUT = state_name("checkout", "checkout_state")
CART_BADGE = f"{state_name('cart', 'cart_badge_state')}.refresh"
APPROVALS_BADGE = f"{state_name('approvals', 'approvals_badge_state')}.refresh"
DELIVERY = {
    "delivery_name": "Goods receipt",
    "delivery_street": "Hafenstrasse 1",
    "delivery_postal_code": "20457",
    "delivery_city": "Hamburg",
    "delivery_country": "DE",
}
SUBMIT_FORM = {
    **DELIVERY,
    "payment_method": "invoice",
    "shipping_method": "standard",
    "reference": "bench",
    "comment": "",
}


@dataclass
class Tally:
    """Timings (ms) per measure, and the errors, of one run."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    # Clicks sent before this moment (time.monotonic) are the warm-up, not measured;
    # connecting is measured whenever it happens, errors count whenever they happen.
    since: float = 0.0

    def timing(self, measure: str, sent_at: float, ms: float) -> None:
        if measure == CONNECT or sent_at >= self.since:
            self.timings[measure].append(ms)

    def error(self, measure: str, problem: str) -> None:
        self.errors[measure] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{measure}: {problem}")


@cache
def mounted_badges() -> tuple[str, ...]:
    """The navigation badges that ask the server for their count when mounted, as built."""
    from customer_center.components.approvals import approvals_count_badge
    from customer_center.components.shop import cart_count_badge

    badges = ((cart_count_badge, CART_BADGE), (approvals_count_badge, APPROVALS_BADGE))
    return tuple(event for make, event in badges if "on_mount" in make().event_triggers)


class SimulatedUser:
    """One user's tab: a loop of short visits until the run's end."""

    def __init__(self, url: str, user: SimUser, tally: Tally, think: tuple[float, float]):
        self.url, self.user, self.tally, self.think = url, user, tally, think
        self.client = ReflexClient(url, user.cookie)
        self.rng = random.Random(user.user_id)
        # Events the navigation's badges send whenever a page mounts them (if they do).
        badges = mounted_badges()
        self.badges = tuple(b for b in badges if user.approver or b != APPROVALS_BADGE)

    def page(self, path: str, params: dict[str, str] | None = None) -> Awaitable[float]:
        return self.client.open_page(path, params, mounted=self.badges)

    async def timed(self, measure: str, action: Callable[[], Awaitable[float]]) -> bool:
        try:
            sent_at = time.monotonic()
            self.tally.timing(measure, sent_at, await action())
            return True
        except ReflexError as error:
            self.tally.error(measure, str(error))
            await self._reconnect()
            return False

    async def _reconnect(self) -> None:
        await self.client.close()
        self.client = ReflexClient(self.url, self.user.cookie)
        try:
            await self.client.connect("/dashboard")
        except (ReflexError, OSError) as error:
            self.tally.error("connect", str(error))

    async def pause(self) -> None:
        await asyncio.sleep(self.rng.uniform(*self.think))

    async def run(self, until: float) -> None:
        visits = [self.browse_orders] * 2
        visits += [self.decide] * 3 if self.user.approver else [self.shop]
        if not await self.timed(CONNECT, lambda: self.client.connect("/dashboard")):
            return
        while time.monotonic() < until:
            await self.pause()
            await self.rng.choice(visits)(until)
        await self.client.close()

    # --- visits: what users do, click by click ----------------------------------------

    async def open_order(self, href: str) -> bool:
        order_id = href.rsplit("/", 1)[-1]
        return await self.timed(
            "open an order",
            lambda: self.page(href, {"order_id": order_id}),
        )

    async def browse_orders(self, until: float) -> None:
        if not await self.timed("orders, first page", lambda: self.page("/orders")):
            return
        if (var(self.client.state, ORDERS, "page_count") or 1) > 1:  # the button is shown
            await self.pause()
            next_page = f"{ORDERS}.next_page"
            if not await self.timed("orders, next page", lambda: self.client.call(next_page)):
                return
        rows = var(self.client.state, ORDERS, "rows") or []
        if rows and time.monotonic() < until:
            await self.pause()
            await self.open_order(self.rng.choice(rows)["href"])

    async def decide(self, until: float) -> None:
        if not await self.timed("approvals inbox", lambda: self.page("/approvals")):
            return
        rows = var(self.client.state, INBOX, "rows") or []
        if not rows or time.monotonic() >= until:
            return
        await self.pause()
        if not await self.open_order(f"/orders/{self.rng.choice(rows[:10])['id']}"):
            return
        if var(self.client.state, ORDER, "can_decide") and time.monotonic() < until:
            await self.pause()
            if await self.timed("approve", lambda: self.client.call(f"{ORDER}.approve")):
                self.refused("approve", ORDER)

    async def shop(self, until: float) -> None:
        if not await self.timed("catalogue", lambda: self.page("/catalogue")):
            return
        rows = var(self.client.state, CATALOGUE, "rows") or []
        if not rows:
            return
        await self.pause()
        form = {"sku": self.rng.choice(rows)["sku"], "quantity": "1"}
        add = f"{CATALOGUE}.add"
        if not await self.timed("add to cart", lambda: self.client.call(add, {"form": form})):
            return
        if time.monotonic() >= until:
            return
        await self.pause()
        if not await self.timed("checkout", lambda: self.page("/checkout")):
            return
        await self.pause()
        submit = f"{CHECKOUT}.submit"
        if await self.timed(
            "submit the order",
            lambda: self.client.call(
                submit, {"form": SUBMIT_FORM}, lambda d: var(d, CHECKOUT, "busy") is False
            ),
        ):
            self.refused("submit the order", CHECKOUT)

    def refused(self, measure: str, substate: str) -> None:
        """A message on the form after the click: the portal refused what the user did."""
        errors = var(self.client.state, substate, "errors") or {}
        problem = var(self.client.state, substate, "problem")
        if errors or problem:
            self.tally.error(measure, f"refused: {errors or problem}")


class CpuProbe(SimulatedUser):
    """One user alone on the backend, clicking without pauses: the
    backend's CPU time (all its processes) from each click's send until its update, per
    action. Alone, nothing else runs on the backend in between."""

    def __init__(self, url: str, pid: int, user: SimUser, tally: Tally):
        super().__init__(url, user, tally, (0.0, 0.0))
        self.pid = pid
        self.cpu_ms: dict[str, list[float]] = defaultdict(list)

    async def timed(self, measure: str, action: Callable[[], Awaitable[float]]) -> bool:
        before = backend_cpu_seconds(self.pid)
        done = await super().timed(measure, action)
        await asyncio.sleep(0.1)  # what the click chained after its update, counted too
        if done:
            self.cpu_ms[measure].append((backend_cpu_seconds(self.pid) - before) * 1000)
        return done

    async def pause(self) -> None:
        return None

    async def probe(self, rounds: int) -> None:
        visits = [self.browse_orders, self.decide if self.user.approver else self.shop]
        await self.timed(CONNECT, lambda: self.client.connect("/dashboard"))
        for visit in visits:  # warm-up, not counted: a worker's first clicks compile queries
            await visit(time.monotonic() + 3600)
        self.cpu_ms = defaultdict(list, {CONNECT: self.cpu_ms[CONNECT]})
        for _ in range(rounds):
            for visit in visits:
                await visit(time.monotonic() + 3600)
        await self.client.close()


def cpu_per_action(url: str, pid: int, users: list[SimUser], rounds: int) -> list[dict[str, Any]]:
    """Backend CPU ms per click of each action, an approver and a buyer alone in turn."""
    tally = Tally()
    cpu: dict[str, list[float]] = defaultdict(list)
    for user in (next(u for u in users if u.approver), next(u for u in users if not u.approver)):
        probe = CpuProbe(url, pid, user, tally)
        asyncio.run(probe.probe(rounds))
        for measure, values in probe.cpu_ms.items():
            cpu[measure].extend(values)
    clicks = [v for m, vs in cpu.items() if m != CONNECT for v in vs]
    rows = [floor_cpu_per_click(len(clicks))]
    for measure, values in {**cpu, "all clicks (mean)": clicks}.items():
        mean = sum(values) / len(values) if values else 0.0
        rows.append({"measure": measure, "cpu_ms_mean": round(mean, 1), "n": len(values)})
    return rows


FLOOR_INCREMENT = f"{ROOT_STATE}.floor_app___floor_app____counter.increment"


async def _floor_clicks(url: str, pid: int, clicks: int) -> list[float]:
    client = ReflexClient(url)
    await client.connect("/")
    cpu_ms = []
    for _ in range(clicks):
        before = backend_cpu_seconds(pid)
        await client.call(FLOOR_INCREMENT)
        await asyncio.sleep(0.1)  # as the probe waits after each click
        cpu_ms.append((backend_cpu_seconds(pid) - before) * 1000)
    await client.close()
    return cpu_ms


def floor_cpu_per_click(clicks: int) -> dict[str, Any]:
    """The same probe against the blank Reflex counter (bench/floor_app), backend only, in
    the same run: what one event costs the framework itself."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="cc-bench-floor-", suffix=".log")[1])
    process = launch(
        ["--backend-only", "--backend-port", str(port)], FLOOR_APP, {**os.environ}, log
    )
    try:
        url = f"http://localhost:{port}"
        wait_until_serving(url, process, log)
        values = asyncio.run(_floor_clicks(url, process.pid, clicks))
    finally:
        stop(process)
    mean = sum(values) / len(values)
    return {
        "measure": "blank Reflex counter: one click (the floor)",
        "cpu_ms_mean": round(mean, 1),
        "n": len(values),
    }


def summarize(tally: Tally, seconds: float, extra: dict[str, Any]) -> list[dict[str, Any]]:
    clicks = [t for m, ts in tally.timings.items() if m != CONNECT for t in ts]
    rows = []
    for measure, timings in {**tally.timings, "all clicks": clicks}.items():
        errors = sum(tally.errors.values()) if measure == "all clicks" else tally.errors[measure]
        per_s = round(len(timings) / seconds, 1)
        rows.append(results.row(measure, timings, errors=errors, throughput_per_s=per_s, **extra))
    return rows


SETTLE_S = 5.0  # after the last user connected, before the measured window opens


@dataclass
class Window:
    """The measured part of a run: its length and what the backend used in it."""

    seconds: float
    backend_cpu_s: float
    client_cpu_s: float


async def run_users(
    url: str, pid: int, users: list[SimUser], seconds: float, think: tuple[float, float]
) -> tuple[Tally, Window]:
    """All users at once: their first connects spread over the ramp, then clicking; the
    window of ``seconds`` measured opens once all have connected and settled, so it shows
    the steady state of that many users (connecting is measured on its own)."""
    tally = Tally()
    ramp = min(10.0, seconds / 4)
    start = time.monotonic()
    tally.since = start + ramp + SETTLE_S
    until = tally.since + seconds

    async def one(index: int, user: SimUser) -> None:
        await asyncio.sleep(ramp * index / len(users))
        await SimulatedUser(url, user, tally, think).run(until)

    async def window() -> Window:
        await asyncio.sleep(tally.since - time.monotonic())
        backend, client = backend_cpu_seconds(pid), time.process_time()
        await asyncio.sleep(until - time.monotonic())
        return Window(seconds, backend_cpu_seconds(pid) - backend, time.process_time() - client)

    measured, *_ = await asyncio.gather(window(), *(one(i, u) for i, u in enumerate(users)))
    return tally, measured


def run_count(
    url: str,
    pid: int,
    users: list[SimUser],
    seconds: float,
    think: tuple[float, float],
    profile: bool = False,
) -> list[dict[str, Any]]:
    """One run; besides the timings, the CPU cores the backend and these clients used in
    the measured window, and with ``profile`` where the backend's Python time went
    (py-spy, over the whole run)."""
    results.RESULTS.mkdir(exist_ok=True)
    raw = results.RESULTS / f"profile-{len(users)}-users-{pid}.txt"
    ramp_and_settle = min(10.0, seconds / 4) + SETTLE_S
    spy = backend_profile.start(pid, seconds + ramp_and_settle, raw) if profile else None
    tally, window = asyncio.run(run_users(url, pid, users, seconds, think))
    clicks = sum(len(ts) for m, ts in tally.timings.items() if m != CONNECT)
    extra: dict[str, Any] = {
        "users": len(users),
        "backend_cores": round(window.backend_cpu_s / window.seconds, 2),
        "client_cores": round(window.client_cpu_s / window.seconds, 2),
        # Everything the backend's processes used in the window, per measured click: the
        # cost of a click with its share of the background traffic.
        "backend_cpu_ms_per_click": round(window.backend_cpu_s * 1000 / max(clicks, 1), 1),
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    for example in tally.examples:
        print(f"  error: {example}")
    rows = summarize(tally, window.seconds, extra)
    if spy is not None:
        spy.wait()
        rows[-1]["backend_profile"] = backend_profile.summary(raw)
        print("\n".join(backend_profile.report(raw)))
    return rows


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    first = rows[0]
    cores = (
        f"backend used {first['backend_cores']} cores, "
        f"{first['backend_cpu_ms_per_click']} CPU ms per click, clients {first['client_cores']}, "
        f"load {first['load_average']}"
    )
    print(f"\n{title} ({cores})")
    heads = ("p50 ms", "p95 ms", "p99 ms")
    print(f"{'measure':24} " + " ".join(f"{h:>8}" for h in heads) + "      n errors   per s")
    for r in rows:
        print(
            f"{r['measure']:24} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f} "
            f"{r['n']:6d} {r['errors']:6d} {r['throughput_per_s']:7.1f}"
        )


def prepare(max_users: int) -> tuple[Any, list[SimUser]]:
    use_bench_database()
    from bench.dataset import ensure_dataset
    from customer_center.db import get_engine

    engine = get_engine()
    ensure_dataset(engine)
    ensure_catalogue(engine)
    return engine, sign_in_users(engine, max_users)


def ensure_catalogue(engine: Any) -> None:
    """Buyers need products to order: the embedded ERP's demo catalogue, imported once."""
    from sqlalchemy import func
    from sqlmodel import Session, select

    from customer_center.integrations.erp.csv_import import import_erp_directory
    from customer_center.integrations.erp.demo import demo_data_dir
    from customer_center.integrations.erp.tables import ErpProductRow

    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(ErpProductRow)).one():
            return
    import_erp_directory(engine, demo_data_dir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="50,100,200", help="comma-separated user counts")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured time per count")
    parser.add_argument("--modes", default="single,redis", help="single and/or redis")
    parser.add_argument("--redis-workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--redis-url", default=os.environ.get("CC_BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    )
    parser.add_argument("--think", default="1,5", help="think time between clicks, min,max s")
    parser.add_argument("--profile", action="store_true", help="sample the backend (py-spy)")
    parser.add_argument(
        "--cpu-rounds", type=int, default=10, help="rounds of the backend CPU per action probe"
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.users.split(",")]
    think_min, think_max = (float(x) for x in args.think.split(","))
    think = (think_min, think_max)
    engine, users = prepare(max(counts))
    rows: list[dict[str, Any]] = []
    try:
        if args.cpu_rounds:
            with running_portal(1) as (url, pid):
                cpu_rows = cpu_per_action(url, pid, users, args.cpu_rounds)
            for row in cpu_rows:
                print(
                    f"  backend CPU {row['cpu_ms_mean']:6.1f} ms  {row['measure']} (n={row['n']})"
                )
            write_cpu_results(cpu_rows, args.cpu_rounds)
        for mode in [m for m in args.modes.split(",") if m]:
            workers = 1 if mode == "single" else args.redis_workers
            redis_url = args.redis_url if mode == "redis" else ""
            with running_portal(workers, redis_url) as (url, pid):
                for count in counts:
                    found = run_count(url, pid, users[:count], args.seconds, think, args.profile)
                    for row in found:
                        row.update(workers=workers, redis=bool(redis_url))
                    print_table(f"{count} users, {workers} worker(s), {mode}", found)
                    rows.extend(found)
    finally:
        sign_out_users(engine, users)
    write_results(rows, args, think)


def write_cpu_results(rows: list[dict[str, Any]], rounds: int) -> None:
    notes = (
        f"One approver, then one buyer, alone on one backend worker ({rounds} rounds of their "
        "visits after one round not counted, no pauses): the CPU time (user + system) of the "
        "backend's processes from sending each click until its update arrived, averaged per "
        "action. Target: mean < 6 ms per click."
    )
    path = results.write("cpu_per_action", "Backend CPU per click, per action", rows, notes)
    print(f"written: {path}")


def write_results(rows: list[dict[str, Any]], args: Any, think: tuple[float, float]) -> None:
    notes = (
        "Simulated users of the largest company (about 30% approvers, the rest buyers), each "
        "a socket client speaking Reflex's event protocol, thinking "
        f"{think[0]:g}-{think[1]:g} s between clicks. Per user count: the users connect "
        f"spread over a ramp (up to 10 s) and start clicking; {SETTLE_S:g} s after the last "
        f"connected, a window of {args.seconds:.0f} s is measured (the steady state of that "
        "many users: clicks sent before it are the warm-up; connecting is measured whenever "
        "it happens; errors count whenever they happen). Latency: event sent -> the update "
        "the user waits for (a page: its on_load handlers done). Backend: uvicorn workers as "
        "`customer-center serve` runs them (no per-message deflate), on PostgreSQL cc_bench; "
        "the clients run on the same machine (their CPU share: client_cores). "
        "backend_cores and backend_cpu_ms_per_click: the CPU time of the backend's processes "
        "in the window (user + system, all workers), per second and per measured click. "
        "backend_profile (with --profile): where the workers' Python time went, sampled by "
        "py-spy."
    )
    path = results.write("concurrency", "Concurrency: simulated users over sockets", rows, notes)
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
