"""Revocation: every committed write that changes who a session resolves to is announced.

A unit of work that revokes a session, deactivates a user or a staff member, ends an acting
session, or changes a user's rights, roles or language is noticed by SQLAlchemy's session
events (whatever service wrote it), and once it has committed:

- the principal epoch goes up by one, so every worker's cached principals
  (``auth.principal_cache``) are resolved again at their next event;
- the ended sessions and people (the *subjects*) are published, so each worker can send the
  open tabs of those sessions to sign-in (``state.revocation_push``).

With ``CC_REDIS_URL`` the epoch is a Redis counter shared by every worker and host and the
subjects go out on a Redis channel; without it (one process) both stay in the process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from customer_center.models.acting import ActingSession
from customer_center.models.auth import AuthSession
from customer_center.models.staff import StaffMember, StaffSession
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.settings import get_settings

log = logging.getLogger(__name__)

EPOCH_KEY = "cc:principal_epoch"
CHANNEL = "cc:revocations"

# A subject: what ended or changed, ("session" | "user" | "staff_session" | "staff" |
# "acting", id). A tab whose principal depends on one of them is checked again.
Subject = tuple[str, int]
# The columns whose change alters what a row's principal resolves to.
_WATCHED: dict[type, tuple[str, frozenset[str]]] = {
    AuthSession: ("session", frozenset({"revoked_at", "expires_at", "user_id"})),
    User: ("user", frozenset({"status", "company_id", "language"})),
    StaffSession: ("staff_session", frozenset({"revoked_at", "expires_at", "staff_id"})),
    StaffMember: ("staff", frozenset({"status", "rights", "language"})),
    ActingSession: ("acting", frozenset({"ended_at"})),
}
# Rows that change rights only: the epoch goes up, nobody is sent away.
_RIGHTS = (UserRole, Role, RolePermission)
_INFO_KEY = "cc_revocation"


def _changed(instance: object, columns: frozenset[str]) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _subjects_of(session: OrmSession) -> tuple[set[Subject], bool]:
    """What this flush ends (subjects) and whether it changes any principal at all."""
    subjects: set[Subject] = set()
    touched = False
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, _RIGHTS):
            touched = True
            continue
        watched = _WATCHED.get(type(instance))
        if watched is None:
            continue
        kind, columns = watched
        if instance in session.deleted or _changed(instance, columns):
            row_id = getattr(instance, "id", None)
            if row_id is not None:
                subjects.add((kind, row_id))
            touched = True
    if any(isinstance(instance, _RIGHTS) for instance in session.new):
        touched = True
    return subjects, touched


def _pending(session: OrmSession) -> dict[str, Any]:
    return session.info.setdefault(_INFO_KEY, {"subjects": set(), "touched": False})


@event.listens_for(OrmSession, "before_flush")
def _note_flush(session: OrmSession, _context: object, _instances: object) -> None:
    subjects, touched = _subjects_of(session)
    if touched:
        pending = _pending(session)
        pending["subjects"] |= subjects
        pending["touched"] = True


@event.listens_for(OrmSession, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE of roles, rights or sign-in rows changes principals too."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and (mapper.class_ in _RIGHTS or mapper.class_ in _WATCHED):
        _pending(state.session)["touched"] = True


@event.listens_for(OrmSession, "after_commit")
def _announce(session: OrmSession) -> None:
    pending = session.info.pop(_INFO_KEY, None)
    if pending and pending["touched"]:
        announce(pending["subjects"])


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_INFO_KEY, None)


# --- the epoch and the channel -------------------------------------------------------------

_lock = threading.Lock()
_local_epoch = 0
# In-process delivery (no Redis): the listeners of this process, each with its loop.
_listeners: list[tuple[asyncio.AbstractEventLoop, Callable[[frozenset[Subject]], None]]] = []


def redis_url() -> str:
    return get_settings().redis_url


@lru_cache(maxsize=1)
def _sync_redis() -> Any:
    import redis

    return redis.Redis.from_url(redis_url(), socket_timeout=2, socket_connect_timeout=2)


# One asyncio client per event loop (a worker has one; tests run several one after another).
_async_clients: dict[asyncio.AbstractEventLoop, Any] = {}


def _async_redis() -> Any:
    import redis.asyncio as aioredis

    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        for old in [known for known in _async_clients if known.is_closed()]:
            del _async_clients[old]
        client = aioredis.Redis.from_url(redis_url(), socket_timeout=2, socket_connect_timeout=2)
        _async_clients[loop] = client
    return client


def forget_clients() -> None:
    """Connect again at the next use (after a change of settings, in tests)."""
    _sync_redis.cache_clear()
    _async_clients.clear()


def announce(subjects: Iterable[Subject]) -> None:
    """After a commit: raise the epoch, then publish what ended (in that order, so a worker
    that hears of it already resolves again)."""
    payload = sorted(subjects)
    if redis_url():
        try:
            client = _sync_redis()
            client.incr(EPOCH_KEY)
            client.publish(CHANNEL, json.dumps(payload))
        except Exception:  # the cached principals still expire by their time to live
            log.exception("could not announce a revocation through Redis")
        return
    global _local_epoch
    with _lock:
        _local_epoch += 1
        listeners = list(_listeners)
    frozen = frozenset((kind, int(row_id)) for kind, row_id in payload)
    for loop, deliver in listeners:
        if not loop.is_closed():
            loop.call_soon_threadsafe(deliver, frozen)


async def current_epoch() -> int | None:
    """The principal epoch now: a Redis read with several workers, none without. None when
    it cannot be read (then nothing cached is trusted)."""
    if not redis_url():
        return _local_epoch
    try:
        value = await _async_redis().get(EPOCH_KEY)
    except Exception:
        log.warning("could not read the principal epoch from Redis")
        return None
    return int(value or 0)


def parse_subjects(raw: bytes | str) -> frozenset[Subject]:
    """The subjects of a message on the channel; nothing for a malformed one."""
    try:
        items = json.loads(raw)
        return frozenset((str(kind), int(row_id)) for kind, row_id in items)
    except (ValueError, TypeError):
        return frozenset()


def listen_in_process(deliver: Callable[[frozenset[Subject]], None]) -> Callable[[], None]:
    """Deliver this process's announcements to ``deliver`` on the running loop; returns
    the function that stops it."""
    entry = (asyncio.get_running_loop(), deliver)
    with _lock:
        _listeners.append(entry)

    def stop() -> None:
        with _lock:
            if entry in _listeners:
                _listeners.remove(entry)

    return stop


async def subscribe() -> Any:
    """A Redis subscription to the channel (with several workers)."""
    pubsub = _async_redis().pubsub()
    await pubsub.subscribe(CHANNEL)
    return pubsub
