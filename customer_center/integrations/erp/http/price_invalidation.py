"""Telling every worker's price cache that prices changed (issue 20).

A change is a new *generation*: one counter for all customers and one per customer. Each
:class:`~.price_cache.PriceCache` remembers the generations its entries were stored under
and drops a customer's entries when either counter moved. With Redis (``CC_REDIS_URL``)
the counters live there, so an invalidation by one worker (the ERP's push to
``POST /erp/price-changes``) or by another process (``customer-center erp import``) reaches
every worker at its next price lookup; without Redis they live in the process (one worker).

Redis not answering never fails a page: the last generations read are kept (entries then
expire by their TTL, as before the invalidation).
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any, Protocol, cast

log = logging.getLogger(__name__)

Generation = tuple[int, int]  # (all customers, this customer)
PREFIX = "cc:erp-prices:"
ALL = "*"
REDIS_TIMEOUT_SECONDS = 0.25


class PriceGenerations(Protocol):
    def bump(self, customer: str | None = None) -> None:
        """Prices of ``customer`` (canonical number; ``None``: of every customer) changed."""

    def current(self, customer: str) -> Generation: ...


class LocalGenerations:
    """The counters in this process (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, int] = {}

    def bump(self, customer: str | None = None) -> None:
        key = ALL if customer is None else customer
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + 1

    def current(self, customer: str) -> Generation:
        with self._lock:
            return self._counters.get(ALL, 0), self._counters.get(customer, 0)


class RedisGenerations:
    """The counters in Redis, shared by every worker and process of the portal."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        self._last: dict[str, Generation] = {}

    def bump(self, customer: str | None = None) -> None:
        """Raises ``redis.RedisError`` when Redis cannot be reached (the caller answers so)."""
        self._redis.incr(PREFIX + (ALL if customer is None else customer))

    def current(self, customer: str) -> Generation:
        import redis

        try:
            values = cast(list[Any], self._redis.mget([PREFIX + ALL, PREFIX + customer]))
        except redis.RedisError:
            log.warning("price cache: Redis does not answer, generations of %s kept", customer)
            return self._last.get(customer, (0, 0))
        found = (int(values[0] or 0), int(values[1] or 0))
        self._last[customer] = found
        return found


_local = LocalGenerations()


@lru_cache(maxsize=4)
def _redis_generations(url: str) -> RedisGenerations:
    return RedisGenerations(url)


def generations_for(redis_url: str) -> PriceGenerations:
    """Redis's counters when the portal has Redis, else this process's (one per process)."""
    return _redis_generations(redis_url) if redis_url else _local
