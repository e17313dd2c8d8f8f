"""Revocation reaches open tabs by a push, not by polling.

Each backend worker remembers the tabs connected to it and what their principal depends on
(the sessions and people of ``auth.revocation``'s subjects, and when it ends by itself). A
lifespan task listens for announced revocations (Redis pub/sub with ``CC_REDIS_URL``, in
process without) and, once a second, for principals that end by time (a session's expiry,
an acting session's idle end). A tab concerned is sent its shell's ``check_session`` event:
the browser sends it back at once, the middleware resolves the principal again (the epoch
has changed, so not from memory) and, when the session has ended, empties the tab and sends
the browser to the signed-out page (an acting agent back to the console).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import reflex as rx
from reflex.state import StateUpdate
from reflex_base.event import Event

from customer_center.auth.principals import Resolution
from customer_center.auth.revocation import (
    Subject,
    listen_in_process,
    parse_subjects,
    redis_url,
    subscribe,
)
from customer_center.models.base import utcnow
from customer_center.state.seller import SellerShellState
from customer_center.state.session import SessionState

log = logging.getLogger(__name__)

# How often the task looks for principals that ended by time (and tabs that went away).
TICK_SECONDS = 1.0


@dataclass(frozen=True)
class _Tab:
    subjects: frozenset[Subject]
    ends_at: datetime | None
    seller: bool


# The tabs connected to this worker whose principal is somebody, by client token.
_tabs: dict[str, _Tab] = {}


def note_tab(token: str, resolution: Resolution, *, seller: bool) -> None:
    """Remember what the tab's principal depends on (after each event of the tab)."""
    if not token:
        return
    if resolution.principal is None:
        _tabs.pop(token, None)
        return
    tab = _Tab(resolution.subjects, resolution.ends_at, seller)
    if _tabs.get(token) != tab:
        _tabs[token] = tab


def tabs_concerned(subjects: Iterable[Subject]) -> list[tuple[str, bool]]:
    """The tabs whose principal depends on one of ``subjects``: (token, seller side)."""
    wanted = frozenset(subjects)
    return [(token, tab.seller) for token, tab in _tabs.items() if tab.subjects & wanted]


def tabs_ended(now: datetime) -> list[tuple[str, bool]]:
    """The tabs whose principal ended by time; each is told once (its check notes it again
    if it still lives)."""
    ended = [
        (token, tab.seller)
        for token, tab in _tabs.items()
        if tab.ends_at is not None and tab.ends_at <= now
    ]
    for token, _seller in ended:
        _tabs.pop(token, None)
    return ended


def forget_gone(connected: Iterable[str]) -> None:
    """Drop the tabs no longer connected to this worker."""
    alive = set(connected)
    for token in [token for token in _tabs if token not in alive]:
        del _tabs[token]


def forget_tabs() -> None:
    _tabs.clear()


async def push_check(app: rx.App, token: str, *, seller: bool) -> None:
    """Send the tab its shell's session check, as if the page had asked."""
    namespace = app.event_namespace
    if namespace is None:
        return
    handler = SellerShellState.check_session if seller else SessionState.check_session
    update = StateUpdate(events=Event.from_event_type(handler))
    try:
        await namespace.emit_update(update, token)
    except Exception:  # a socket that closed meanwhile: its tab reconnects and is checked
        log.warning("could not push a session check to a tab")


async def _push_all(app: rx.App, tabs: list[tuple[str, bool]]) -> None:
    if tabs:
        await asyncio.gather(*(push_check(app, token, seller=seller) for token, seller in tabs))


async def _tick(app: rx.App) -> None:
    """Once a second: tabs whose principal ended by time, tabs gone."""
    namespace = app.event_namespace
    if namespace is not None:
        forget_gone(namespace.token_to_sid.keys())
    await _push_all(app, tabs_ended(utcnow()))


async def _listen_redis(app: rx.App) -> None:
    pubsub = await subscribe()
    try:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=TICK_SECONDS)
            if message is not None and message.get("type") == "message":
                await _push_all(app, tabs_concerned(parse_subjects(message["data"])))
            await _tick(app)
    finally:
        with contextlib.suppress(Exception):
            await pubsub.aclose()


async def _listen_in_process(app: rx.App) -> None:
    queue: asyncio.Queue[frozenset[Subject]] = asyncio.Queue()
    stop = listen_in_process(queue.put_nowait)
    try:
        while True:
            with contextlib.suppress(TimeoutError):
                subjects = await asyncio.wait_for(queue.get(), timeout=TICK_SECONDS)
                await _push_all(app, tabs_concerned(subjects))
            await _tick(app)
    finally:
        stop()


async def revocation_push_task(app: Any) -> None:
    """The lifespan task of every backend worker: push revocations to the open tabs. With
    Redis, a lost connection is opened again after a pause (the cache's epoch read keeps
    refusing revoked sessions meanwhile; only the push waits)."""
    if not redis_url():
        await _listen_in_process(app)
        return
    while True:
        try:
            await _listen_redis(app)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("revocation channel lost; listening again shortly")
            await asyncio.sleep(2)
