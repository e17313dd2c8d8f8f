"""Benchmark 3: server memory per connected idle session, and the size of its state.

    .venv/bin/python -m bench.memory                 # 200 sessions, one worker and Redis
    .venv/bin/python -m bench.memory --sessions 50 --modes single --servers uvicorn

K users of the largest company (PostgreSQL ``cc_bench``) connect over their own socket, as a
browser tab does: hydrate on the dashboard, then open the orders list, and stay connected
without doing anything. The backend's resident memory (supervisor and workers) is read
before and after; the growth divided by K is the memory per idle session. With Redis the
sessions' state lives in Redis: the pickled state of every session is read back from its
keys (``<token>_<state>``, as Reflex's Redis state manager stores them) and averaged.
Each mode runs under the server production uses (uvicorn without per-message deflate, as
``customer-center serve`` starts it), whose figures carry the target, and under Granian for
comparison (the choice between them: bench/findings.md). Figures go to
bench/results/memory.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from bench import results
from bench.live_portal import (
    DEFAULT_REDIS_URL,
    PRODUCTION_SERVER,
    SERVERS,
    SimUser,
    backend_rss,
    running_portal,
    sign_out_users,
)
from bench.reflex_client import ReflexClient

SETTLE_S = 3.0
WARM_UP = 5
KB = 1024
TARGET_KB = 100.0


async def connect_all(url: str, users: list[SimUser], page: str) -> list[ReflexClient]:
    """Connect every user (a few at a time, as tabs opening) and open ``page``."""
    clients: list[ReflexClient] = []
    gate = asyncio.Semaphore(10)

    async def one(user: SimUser) -> None:
        async with gate:
            client = ReflexClient(url, user.cookie, timeout=60)
            await client.connect("/dashboard")
            await client.open_page(page)
            clients.append(client)

    await asyncio.gather(*(one(u) for u in users))
    return clients


async def bare_connections_kb(url: str, pid: int, count: int) -> float:
    """RSS growth per socket.io connection that has no session state: the transport's
    share (websocket server, Engine.IO/Socket.IO objects) of a session's memory."""
    clients = [ReflexClient(url, timeout=60) for _ in range(count)]
    await asyncio.sleep(SETTLE_S)
    before = backend_rss(pid)
    for client in clients:
        await client.connect_bare()
    await asyncio.sleep(SETTLE_S)
    grown = backend_rss(pid) - before
    await close_all(clients)
    return round(grown / count / KB, 1)


async def close_all(clients: list[ReflexClient]) -> None:
    await asyncio.gather(*(c.close() for c in clients))


def redis_state_bytes(redis_url: str, tokens: list[str]) -> tuple[list[int], list[int]]:
    """Per session: the bytes of its pickled states, and what Redis holds for them."""
    import redis

    client: Any = redis.Redis.from_url(redis_url)
    pickled: list[int] = []
    held: list[int] = []
    for token in tokens:
        keys = list(client.scan_iter(match=f"{token}_*", count=1000))
        pickled.append(sum(int(client.strlen(k)) for k in keys))
        held.append(sum(int(client.memory_usage(k) or 0) for k in keys))
    client.close()
    return pickled, held


async def measure(
    url: str, pid: int, users: list[SimUser], page: str, redis_url: str
) -> dict[str, Any]:
    warm = await connect_all(url, users[:WARM_UP], page)  # first-use caches, pools
    await asyncio.sleep(SETTLE_S)
    before = backend_rss(pid)
    start = time.perf_counter()
    clients = await connect_all(url, users[WARM_UP:], page)
    connect_s = time.perf_counter() - start
    await asyncio.sleep(SETTLE_S)
    after = backend_rss(pid)
    sessions = len(clients)
    found: dict[str, Any] = {
        "sessions": sessions,
        "rss_before_mb": round(before / KB / KB, 1),
        "rss_after_mb": round(after / KB / KB, 1),
        "rss_per_session_kb": round((after - before) / sessions / KB, 1),
        "connect_s": round(connect_s, 1),
    }
    if redis_url:
        pickled, held = redis_state_bytes(redis_url, [c.token for c in clients])
        found["state_pickled_kb"] = round(statistics.mean(pickled) / KB, 1)
        found["state_redis_kb"] = round(statistics.mean(held) / KB, 1)
    # On top of the connected sessions (freed memory would be reused and hide the cost).
    found["rss_per_bare_connection_kb"] = await bare_connections_kb(url, pid, sessions)
    await close_all(warm + clients)
    return found


def _row(measure: str, kb: float, extra: dict[str, Any]) -> dict[str, Any]:
    """The results interface, for a size: ``kb`` instead of percentiles."""
    return {"measure": measure, "kb": kb, "n": extra["sessions"], **extra}


def rows_of(server: str, mode: str, workers: int, found: dict[str, Any]) -> list[dict[str, Any]]:
    role = "production" if server == PRODUCTION_SERVER else "comparison"
    extra = {"server": f"{server} ({role})", "mode": mode, "workers": workers}
    extra["sessions"] = found["sessions"]
    label = f"{mode}, {server}"
    rows = [
        _row(f"backend RSS growth per idle session, {label}", found["rss_per_session_kb"], extra),
        _row(f"of which the bare connection, {label}", found["rss_per_bare_connection_kb"], extra),
    ]
    if role == "production":
        rows[0]["target"] = {"kb": TARGET_KB}
    if "state_pickled_kb" in found:
        rows += [
            _row(f"pickled state per session in Redis, {label}", found["state_pickled_kb"], extra),
            _row(f"Redis memory per session, {label}", found["state_redis_kb"], extra),
        ]
    return rows


def main() -> None:
    from bench.concurrency import prepare

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--modes", default="single,redis", help="single and/or redis")
    parser.add_argument("--redis-workers", type=int, default=1)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--page", default="/orders", help="the page every session stays on")
    parser.add_argument("--servers", default=",".join(SERVERS), help="ASGI servers to compare")
    args = parser.parse_args()
    engine, users = prepare(args.sessions + WARM_UP)
    rows: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    try:
        for server in args.servers.split(","):
            for mode in args.modes.split(","):
                workers = 1 if mode == "single" else args.redis_workers
                redis_url = args.redis_url if mode == "redis" else ""
                with running_portal(workers, redis_url, server=server) as (url, pid):
                    found = asyncio.run(measure(url, pid, users, args.page, redis_url))
                print(f"\n{server}, {mode}, {workers} worker(s): {json.dumps(found)}")
                rows.extend(rows_of(server, mode, workers, found))
                runs.append({"mode": f"{mode}, {server}", **found})
    finally:
        sign_out_users(engine, users)
    print_table(rows)
    write_results(rows, args, runs)


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"\n{'measure':66} {'KB':>8} {'sessions':>9}")
    for r in rows:
        print(f"{r['measure']:66} {r['kb']:8.1f} {r['n']:9d}")


def write_results(rows: list[dict[str, Any]], args: Any, runs: list[dict[str, Any]]) -> None:
    before_after = "; ".join(
        f"{r['mode']}: {r['rss_before_mb']} -> {r['rss_after_mb']} MB" for r in runs
    )
    notes = (
        f"{args.sessions} users of the largest company connected at once over their own "
        f"socket (hydrate on /dashboard, then {args.page}) and left idle; backend on "
        "PostgreSQL cc_bench under uvicorn as `customer-center serve` runs it (production: "
        "no per-message deflate, so the clients' offer of it is declined) and, for comparison, "
        "under Granian as `reflex run --env prod --backend-only` runs it. single: memory "
        "state manager, one worker; redis: the state in Redis between events. RSS summed "
        "over the backend's "
        f"processes after a warm-up of {WARM_UP} sessions and {SETTLE_S:g} s of quiet "
        f"({before_after}). The bare connection: socket.io connections without a session, "
        "opened on top. Target: < 100 KB per idle session."
    )
    path = results.write("memory", "Memory per connected idle session", rows, notes)
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
