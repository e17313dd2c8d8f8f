"""The central check in front of every event: resolves the actor, refuses what is not allowed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import lru_cache

import reflex as rx
from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event

from customer_center.auth.sessions import cookie_value_from_header, resolve_actor
from customer_center.db import session_scope
from customer_center.services.permissions import permissions_of
from customer_center.settings import get_settings
from customer_center.state.access import ActorContext, access_of, current_actor
from customer_center.state.base import request_header

log = logging.getLogger(__name__)

# Reflex's own events, which carry no application data.
_FRAMEWORK_HANDLERS = {
    "hydrate",
    "hydrate_and_load",
    "set_is_hydrated",
    "on_load_internal",
    "update_vars_internal",
    "handle_frontend_exception",
}


@lru_cache(maxsize=1)
def handler_functions() -> dict[str, Callable]:
    """Every event handler of every state, by its full event name."""
    found: dict[str, Callable] = {}
    pending: list[type[BaseState]] = [rx.State]
    while pending:
        state_cls = pending.pop()
        for name, handler in state_cls.event_handlers.items():
            found[f"{state_cls.get_full_name()}.{name}"] = handler.fn
        pending.extend(state_cls.get_substates())
    return found


def is_framework_event(event_name: str, fn: Callable | None) -> bool:
    short = event_name.rsplit(".", 1)[-1]
    module = getattr(fn, "__module__", "")
    return short in _FRAMEWORK_HANDLERS and not module.startswith("customer_center")


def load_actor_context(cookie_header: str) -> ActorContext | None:
    """Two indexed queries: cookie -> live session -> active user, then the user's rights."""
    raw_token = cookie_value_from_header(cookie_header)
    if raw_token is None:
        return None  # anonymous visitors cost no database round trip
    with session_scope() as session:
        actor = resolve_actor(session, raw_token)
        if actor is None:
            return None
        return ActorContext(actor, permissions_of(session, actor.user_id, actor.company_id))


class AccessMiddleware(Middleware):
    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:  # type: ignore[no-untyped-def,override]
        current_actor.set(None)
        fn = handler_functions().get(event.name)
        if is_framework_event(event.name, fn):
            return None
        access = access_of(fn) if fn is not None else None
        if access is None:
            log.warning("refused event without an access rule: %s", event.name)
            return StateUpdate()
        if access.dev_only and not get_settings().is_dev:
            return StateUpdate()
        context = await asyncio.to_thread(
            load_actor_context, request_header(state.router_data, "cookie")
        )
        current_actor.set(context)
        if access.anonymous:
            return None
        if context is None:
            log.info("refused %s: not signed in", event.name)
            return StateUpdate()
        if access.permission and access.permission not in context.permissions:
            log.warning("refused %s for user %s", event.name, context.actor.user_id)
            return StateUpdate()
        return None
