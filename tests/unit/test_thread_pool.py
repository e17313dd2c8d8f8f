"""A worker's blocking calls run in a thread pool as large as its database pool."""

from __future__ import annotations

import asyncio
import threading

from customer_center.background import size_thread_pool
from customer_center.db import POOL_OVERFLOW, POOL_SIZE


def test_the_event_loop_runs_blocking_calls_in_as_many_threads_as_connections() -> None:
    barrier = threading.Barrier(POOL_SIZE + POOL_OVERFLOW, timeout=10)

    def wait_for_all() -> str:
        barrier.wait()  # passes only when every call has a thread of its own at once
        return threading.current_thread().name

    async def main() -> set[str]:
        await size_thread_pool()
        calls = [asyncio.to_thread(wait_for_all) for _ in range(barrier.parties)]
        return set(await asyncio.gather(*calls))

    names = asyncio.run(main())
    assert len(names) == POOL_SIZE + POOL_OVERFLOW
    assert all(name.startswith("cc-blocking") for name in names)
