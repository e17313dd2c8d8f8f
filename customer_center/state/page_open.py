"""Opening a signed-in page is one event: the shell's facts and every state of the page are
filled by one handler, under one identification of the user, in one answer to the browser.

Reflex runs a page's ``on_load`` handlers one after the other, each as an event of its own:
each takes the tab's state lock, loads its states, is identified by the middleware and sends
its own delta. The order page had five of them (the shell, the order, reorder, documents,
totals). Here a page registers its handlers and gets one ``on_load``, ``PageOpenState.open``,
which checks each handler's access rule as the middleware would and runs them in turn.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from reflex.event import EventHandler, EventSpec

from customer_center.domain.principals import CustomerUser, SellerAgent
from customer_center.state.access import access_of, current_principal, public
from customer_center.state.base import PortalState, reads_shared
from customer_center.state.errors import unexpected_error_toast

log = logging.getLogger(__name__)

# The route pattern as Reflex reports it on the page ("/orders/[order_id]") -> its handlers.
PAGE_LOADS: dict[str, tuple[EventHandler, ...]] = {}


def route_key(route: str) -> str:
    return "/" + route.strip("/")


def register_page_loads(route: str, loads: Sequence[Any]) -> None:
    """The handlers that fill the page at ``route``, in order (the shell's first)."""
    for load in loads:
        if not isinstance(load, EventHandler):
            raise TypeError(f"{route}: an on_load handler takes no arguments: {load!r}")
        if load.is_background:  # it would run under the page's lock, not in the background
            raise TypeError(f"{route}: a background handler cannot load a page: {load!r}")
    PAGE_LOADS[route_key(route)] = tuple(loads)


def page_loads(route: str) -> tuple[EventHandler, ...]:
    return PAGE_LOADS.get(route_key(route), ())


def allowed(handler: EventHandler, context: CustomerUser | SellerAgent | None) -> bool:
    """The middleware's rule for ``handler``, for the principal it identified for ``open``
    (imported late: the middleware is above the states it guards)."""
    from customer_center.state.middleware import admits

    access = access_of(handler.fn)
    if access is None or access.dev_only:
        return False
    if access.anonymous:
        return True
    return context is not None and admits(access, context)


async def run_handler(state: Any, handler: EventHandler) -> list[Any]:
    """Call ``handler`` on its state as Reflex would, and collect the events it returns or
    yields (an intermediate yield's update is not sent: the answer is the final state)."""
    found: list[Any] = []
    result = handler.fn(state)
    if inspect.isawaitable(result):
        result = await result
    if inspect.isasyncgen(result):
        found.extend([event async for event in result])
    elif inspect.isgenerator(result) or isinstance(result, list | tuple):
        found.extend(result)
    else:
        found.append(result)
    return [event for event in found if event is not None]


class PageOpenState(PortalState):
    """No vars of its own: the page's states are filled through ``get_state``."""

    opens_empty: ClassVar[bool] = False

    @public
    async def open(self) -> list[EventSpec] | None:
        """on_load of every signed-in page (either side): the shell's facts, then the page's
        handlers, each under its own access rule. A visitor who is not signed in is sent to
        sign in by the shell's handler, and nothing of the page runs."""
        async with reads_shared():
            return await self._fill(page_loads(self.router.route_id))

    async def _fill(self, loads: tuple[EventHandler, ...]) -> list[EventSpec] | None:
        context = current_principal.get()
        events: list[Any] = []
        for index, handler in enumerate(loads):
            if not allowed(handler, context):
                # A part of the page the user may not use (shown to others only): not loaded.
                log.info("not loaded on page open: %s", handler.fn.__qualname__)
                continue
            assert handler.state is not None  # registered handlers belong to a state
            state = await self.get_state(handler.state)
            try:
                found = await run_handler(state, handler)
            except Exception as error:  # noqa: BLE001 - one part fails, the others show
                # As when each part was an event of its own: the user is told (the handler
                # the app names for unexpected errors logs it), the rest of the page loads.
                events.append(unexpected_error_toast(error))
                continue
            events.extend(found)
            if index == 0 and found:  # the shell sends the visitor away
                return events
        # Shown now: Reflex's own set_is_hydrated follows, but this answer already has it.
        self.is_hydrated = True
        return events or None
