"""Identify once per session: each worker keeps the principals it resolved, by cookie.

An event whose cookies this worker has resolved before, under the same principal epoch
(``auth.revocation``) and within the entry's time, takes the principal from memory: no
database query. Any committed revocation or change of rights raises the epoch, so the next
event of every session is resolved again, on every worker (with Redis the epoch is read from
Redis on each event: one round trip, no query). An entry also ends with its session's
expiry, an acting session's idle end, and after :data:`TIME_TO_LIVE` at the latest (the
safety net for a write the epoch never heard of, e.g. a command run by hand without Redis,
and the moment the session's last use is noted again).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from customer_center.auth.acting import ACTIVITY_WRITE_EVERY
from customer_center.auth.principals import (
    NOBODY,
    Resolution,
    resolve_customer_side,
    resolve_seller_side,
)
from customer_center.auth.revocation import current_epoch
from customer_center.auth.sessions import cookie_value_from_header
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.auth.tokens import token_hash
from customer_center.domain.principals import ActingAgent
from customer_center.models.base import utcnow
from customer_center.settings import get_settings

TIME_TO_LIVE = timedelta(seconds=60)
MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class _Entry:
    resolution: Resolution
    epoch: int
    valid_until: datetime
    refreshed: bool  # resolved by an event that counted as an acting agent's activity


_entries: OrderedDict[str, _Entry] = OrderedDict()


def cache_key(cookie_header: str, *, seller: bool) -> str | None:
    """The entry of an event's cookies on one side; None without any of our cookies."""
    raw = cookie_value_from_header(cookie_header)
    raw_staff = cookie_value_from_header(cookie_header, STAFF_COOKIE)
    if raw is None and raw_staff is None:
        return None
    side = "seller" if seller else "customer"
    return token_hash(f"{side}|{raw or ''}|{raw_staff or ''}")


def _valid_until(resolution: Resolution, now: datetime) -> datetime:
    """How long an entry may serve: its time to live, never past the principal's own end;
    an acting agent's no longer than the interval its activity is written in."""
    until = now + TIME_TO_LIVE
    if isinstance(resolution.principal, ActingAgent):
        idle = timedelta(minutes=get_settings().acting_idle_minutes)
        until = min(until, now + min(ACTIVITY_WRITE_EVERY, idle / 4))
    if resolution.ends_at is not None:
        until = min(until, resolution.ends_at)
    return until


def _usable(entry: _Entry | None, epoch: int | None, now: datetime, refresh: bool) -> bool:
    if entry is None or epoch is None or entry.epoch != epoch or now >= entry.valid_until:
        return False
    acting = isinstance(entry.resolution.principal, ActingAgent)
    return entry.refreshed or not (refresh and acting)


async def resolve(cookie_header: str, *, seller: bool, refresh: bool = True) -> Resolution:
    """The principal of an event's cookies: from this worker's memory when nothing changed,
    else from the database (in a thread). ``refresh``: the event counts as an acting
    agent's activity."""
    key = cache_key(cookie_header, seller=seller)
    if key is None:
        return NOBODY
    epoch = await current_epoch()  # read before the database: a later change is noticed
    now = utcnow()
    entry = _entries.get(key)
    if entry is not None and _usable(entry, epoch, now, refresh):
        _entries.move_to_end(key)
        return entry.resolution
    if seller:
        resolution = await asyncio.to_thread(resolve_seller_side, cookie_header)
    else:
        resolution = await asyncio.to_thread(resolve_customer_side, cookie_header, refresh=refresh)
    if resolution.principal is None or epoch is None:
        _entries.pop(key, None)  # nobody is never kept: a sign-in or acting start counts
        return resolution
    _entries[key] = _Entry(resolution, epoch, _valid_until(resolution, now), refresh)
    _entries.move_to_end(key)
    while len(_entries) > MAX_ENTRIES:
        _entries.popitem(last=False)
    return resolution


def forget_all() -> None:
    """Drop every entry (tests; a worker told that its epoch source was unreachable)."""
    _entries.clear()
