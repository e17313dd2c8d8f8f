"""Reflex's real event pipeline without a browser (event processor, the portal's middleware,
an in-memory state manager per client token), for the state tests.

An event whose name has no handler is refused here at once: the processor only logs such an
event and never settles its future, so a mistyped name would otherwise wait forever. Build
names with :func:`event_name` from the state class, never by hand.
"""

from __future__ import annotations

from typing import Any

from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor

import customer_center.customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.state.middleware import handler_functions


class SentToBrowsers:
    """Stands in for the socket: keeps every update the server sends, by client token."""

    def __init__(self) -> None:
        self.updates: dict[str, list[object]] = {}

    async def emit_update(self, update: object, token: str) -> None:
        self.updates.setdefault(token, []).append(update)


def event_name(state_cls: Any, handler: str) -> str:
    return f"{state_cls.get_full_name()}.{handler}"


def state_of(name: str) -> Any:
    """The state class whose handler ``name`` is."""
    state_name = name.rpartition(".")[0]
    pending = [portal.rx.State]
    while pending:
        state_cls = pending.pop()
        if state_cls.get_full_name() == state_name:
            return state_cls
        pending.extend(state_cls.get_substates())
    raise LookupError(name)


class Pipeline:
    """One browser tab per token: its state lives on between the events sent with it."""

    def __init__(self, pathname: str = "/forged", ip: str = "10.9.9.9") -> None:
        self.sent = SentToBrowsers()
        self._managers: dict[str, StateManagerMemory] = {}
        self._pathname, self._ip = pathname, ip

    async def send(
        self, token: str, cookie_header: str, name: str, payload: dict, query: dict
    ) -> Any:
        """Send one event the way the socket handler does; return the handler's state."""
        if name not in handler_functions():
            raise LookupError(f"no handler {name!r}: build names with event_name()")
        manager = self._managers.setdefault(token, StateManagerMemory())
        processor = BaseStateEventProcessor(middleware=portal.app)
        router_data = {
            "headers": {"cookie": cookie_header},
            "pathname": self._pathname,
            "asPath": self._pathname,
            "query": query,
            "ip": self._ip,
        }
        async with processor.configure(state_manager=manager, event_namespace=self.sent):  # type: ignore[arg-type]
            future = await processor.enqueue(
                token, Event(name=name, payload=payload, router_data=router_data)
            )
            await future
        state_cls = state_of(name)
        root = await manager.get_state(BaseStateToken(ident=token, cls=state_cls))
        return await root.get_state(state_cls)

    def updates(self, token: str) -> list[object]:
        """The updates sent to ``token`` since the last call."""
        return self.sent.updates.pop(token, [])


def session_cookie(cookie: str) -> str:
    return f"{SESSION_COOKIE}={cookie}" if cookie else ""
