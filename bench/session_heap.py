"""What an idle session keeps in the backend worker, by allocation site and object type.

    .venv/bin/python -m bench.session_heap --sessions 100 [--redis-url redis://...]

One uvicorn worker as production runs it (bench/traced_app.py adds tracemalloc); K users
connect as in bench/memory.py (hydrate on /dashboard, open /orders) and stay idle. The
worker writes a heap snapshot before and after; the difference divided by K is printed per
allocating line (innermost frame) and per file, with the live objects per type. Python
allocations only: what C libraries keep on their own (zlib, OpenSSL) does not show.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from bench.live_portal import running_portal, sign_out_users
from bench.memory import KB, SETTLE_S, WARM_UP, close_all, connect_all

TOP = 25


def _dump(pid: int, prefix: str, number: int) -> tuple[tracemalloc.Snapshot, Counter[str]]:
    """Have the worker write snapshot ``number``; read it back once it is there."""
    os.kill(pid, signal.SIGUSR1)
    snapshot, types = Path(f"{prefix}.{number}.snapshot"), Path(f"{prefix}.{number}.types.json")
    deadline = time.monotonic() + 300
    while not (snapshot.exists() and types.exists()):
        if time.monotonic() > deadline:
            raise RuntimeError("the worker wrote no heap snapshot")
        time.sleep(0.5)
    return tracemalloc.Snapshot.load(str(snapshot)), Counter(json.loads(types.read_text()))


async def _sessions(url: str, pid: int, users: list, page: str, prefix: str) -> tuple:
    warm = await connect_all(url, users[:WARM_UP], page)
    await asyncio.sleep(SETTLE_S)
    before = await asyncio.to_thread(_dump, pid, prefix, 0)
    clients = await connect_all(url, users[WARM_UP:], page)
    await asyncio.sleep(SETTLE_S)
    after = await asyncio.to_thread(_dump, pid, prefix, 1)
    await close_all(warm + clients)
    return before, after, len(clients)


def _where(stat: tracemalloc.StatisticDiff) -> str:
    frame = stat.traceback[0]
    return f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"


def report(before: tuple, after: tuple, sessions: int) -> None:
    (snap_before, types_before), (snap_after, types_after) = before, after
    for key in ("lineno", "filename"):
        stats = snap_after.compare_to(snap_before, key)
        total = sum(s.size_diff for s in stats)
        print(f"\nPython heap growth per session by {key}: {total / sessions / KB:.1f} KB total")
        for stat in stats[:TOP]:
            size, count = stat.size_diff / sessions / KB, stat.count_diff / sessions
            print(f"{size:8.2f} KB {count:8.1f}  {_where(stat)}")
    grown = Counter({t: types_after[t] - types_before.get(t, 0) for t in types_after})
    print("\nlive objects per session by type (gc-tracked)")
    for name, count in grown.most_common(TOP):
        print(f"{count / sessions:8.1f}  {name}")


def main() -> None:
    from bench.concurrency import prepare

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--redis-url", default="", help="the state in Redis (else in memory)")
    parser.add_argument("--page", default="/orders")
    args = parser.parse_args()
    prefix = os.path.join(tempfile.mkdtemp(prefix="cc-heap-"), "heap")
    os.environ["CC_BENCH_HEAP_DUMP"] = prefix
    engine, users = prepare(args.sessions + WARM_UP)
    try:
        with running_portal(1, args.redis_url, app="bench.traced_app:app") as (url, pid):
            found = asyncio.run(_sessions(url, pid, users, args.page, prefix))
    finally:
        sign_out_users(engine, users)
    report(*found)


if __name__ == "__main__":
    main()
