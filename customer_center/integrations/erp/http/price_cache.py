"""Prices per customer, kept for a while: a page of 25 prices costs one ERP call at most, and
none while fresh; when the ERP is down the last known prices are still shown, marked as such.

Keyed by customer, then by (day, SKU, quantity): a quantity break or another day is another
price. ``invalidate`` drops one customer's prices (or all) in every worker, through the
generations of :mod:`.price_invalidation` (Redis when configured): called when the ERP
announces changed prices (``POST /erp/price-changes``) and after ``customer-center erp
import``. Thread-safe; bounded per customer (the oldest entries go first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import date

from customer_center.integrations.erp.http.price_invalidation import (
    Generation,
    LocalGenerations,
    PriceGenerations,
)
from customer_center.integrations.erp.protocol import CachedOffer, ErpProductOffer

PriceKey = tuple[date, str, int]  # (day, canonical SKU, quantity)
PageKey = tuple[object, ...]  # the operation and its parameters, e.g. ("products", ...)
MAX_ENTRIES_PER_CUSTOMER = 5000
MAX_PAGES_PER_CUSTOMER = 200


class PriceCache:
    def __init__(
        self,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
        generations: PriceGenerations | None = None,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._generations = generations or LocalGenerations()
        self._lock = threading.Lock()
        self._by_customer: dict[str, OrderedDict[PriceKey, tuple[float, ErpProductOffer]]] = {}
        self._seen: dict[str, Generation] = {}
        # Catalogue answers (a page of offers, a count, the categories) for when the ERP is
        # down: dropped with the customer's prices, never used while the ERP answers.
        self._pages: dict[str, OrderedDict[PageKey, tuple[float, object]]] = {}

    def sync(self, customer: str) -> None:
        """Drop the customer's entries if its prices changed since they were stored. Called
        by every lookup, and by the client before it asks the ERP for prices it will
        :meth:`store` (which does not sync again: an answer asked for before a change must
        not count as after it)."""
        generation = self._generations.current(customer)
        with self._lock:
            if self._seen.get(customer) != generation:
                self._by_customer.pop(customer, None)
                self._pages.pop(customer, None)
                self._seen[customer] = generation

    def fresh(
        self, customer: str, keys: Iterable[PriceKey]
    ) -> tuple[dict[PriceKey, ErpProductOffer], list[PriceKey]]:
        """The cached offers still within the TTL, and the keys to ask the ERP for."""
        self.sync(customer)
        now = self._clock()
        hits: dict[PriceKey, ErpProductOffer] = {}
        misses: list[PriceKey] = []
        with self._lock:
            entries = self._by_customer.get(customer, OrderedDict())
            for key in keys:
                entry = entries.get(key)
                if entry is not None and now - entry[0] < self._ttl:
                    hits[key] = entry[1]
                else:
                    misses.append(key)
        return hits, misses

    def stale(self, customer: str, keys: Iterable[PriceKey]) -> dict[PriceKey, CachedOffer]:
        """Whatever is known for ``keys`` however old, each marked as a cached price."""
        self.sync(customer)
        with self._lock:
            entries = self._by_customer.get(customer, OrderedDict())
            found = {key: entries[key] for key in keys if key in entries}
        return {
            key: CachedOffer(product=offer.product, quote=offer.quote, age_seconds=self._age(at))
            for key, (at, offer) in found.items()
        }

    def store(self, customer: str, offers: dict[PriceKey, ErpProductOffer]) -> None:
        if customer not in self._seen:  # never synced: the generations now count
            self.sync(customer)
        now = self._clock()
        with self._lock:
            entries = self._by_customer.setdefault(customer, OrderedDict())
            for key, offer in offers.items():
                entries[key] = (now, offer)
                entries.move_to_end(key)
            while len(entries) > MAX_ENTRIES_PER_CUSTOMER:
                entries.popitem(last=False)

    def invalidate(self, customer: str | None = None) -> None:
        """Prices of ``customer`` (canonical number; ``None``: everyone's) changed: dropped
        here at once, in the other workers at their next lookup."""
        self._generations.bump(customer)
        with self._lock:
            if customer is None:
                self._by_customer.clear()
                self._pages.clear()
            else:
                self._by_customer.pop(customer, None)
                self._pages.pop(customer, None)

    def remember(self, customer: str, key: PageKey, answer: object) -> None:
        """Keep a catalogue answer the ERP gave (call :meth:`sync` before asking)."""
        if customer not in self._seen:
            self.sync(customer)
        now = self._clock()
        with self._lock:
            pages = self._pages.setdefault(customer, OrderedDict())
            pages[key] = (now, answer)
            pages.move_to_end(key)
            while len(pages) > MAX_PAGES_PER_CUSTOMER:
                pages.popitem(last=False)

    def recall(self, customer: str, key: PageKey) -> tuple[int, object] | None:
        """The last answer kept for ``key`` however old, and its age in seconds."""
        self.sync(customer)
        with self._lock:
            found = self._pages.get(customer, OrderedDict()).get(key)
        return None if found is None else (self._age(found[0]), found[1])

    def _age(self, at: float) -> int:
        return max(0, int(self._clock() - at))
