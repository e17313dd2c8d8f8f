"""The central check in front of every event: resolves the actor, refuses what is not allowed,
and keeps each tab's state to one sign-in session (``state.tab``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

import reflex as rx
from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event

from customer_center.auth import principal_cache
from customer_center.auth.principals import Resolution
from customer_center.domain import routes
from customer_center.domain.principals import ActingAgent, CustomerUser, SellerAgent
from customer_center.logs import bind_principal, start_context
from customer_center.settings import get_settings
from customer_center.state.access import Access, access_of, current_principal, session_of
from customer_center.state.base import request_header
from customer_center.state.page_open import page_loads
from customer_center.state.revocation_push import note_tab
from customer_center.state.tab import claim_tab, open_page

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
# Of those, the ones that send the tab's whole state to the browser (a tab (re)connecting).
_SNAPSHOT_HANDLERS = {"hydrate", "hydrate_and_load"}
# The one that opens a page: it queues the page's on_load handlers.
_PAGE_OPEN_HANDLER = "on_load_internal"


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


def short_name(event_name: str) -> str:
    """``state.users_list_state.set_search`` for Reflex's full name of an event (its state
    names carry their module, ``..._state___users____users_list_state``)."""
    return ".".join(part.rsplit("____", 1)[-1] for part in event_name.split("."))


# Events that are not the agent's activity: the session check the server pushes to a tab.
PASSIVE_HANDLERS = frozenset({"check_session"})


def on_seller_page(state: BaseState) -> bool:
    """Whether the tab shows one of the seller's pages (``/seller...``)."""
    return routes.is_seller_path(state.router.url.path)


async def principal_of(
    state: BaseState, *, seller: bool, refresh: bool = True
) -> CustomerUser | SellerAgent | None:
    """The principal of the event: on the seller's side a staff member from the staff
    cookie, on the customers' side a customer user from the session cookie, or an agent
    acting for one (staff cookie with a live acting session: an ``ActingAgent``, a customer
    user with fewer rights); a plain staff member never opens the customers' side, nor a
    customer's cookie the seller's. ``refresh``: the event counts as an acting agent's
    activity. Resolved once per session and worker (``auth.principal_cache``); the tab is
    remembered for the revocation push (``state.revocation_push``)."""
    resolution = await _resolution_of(state, seller=seller, refresh=refresh)
    return resolution.principal


async def _resolution_of(state: BaseState, *, seller: bool, refresh: bool) -> Resolution:
    cookie = request_header(state.router_data, "cookie")
    resolution = await principal_cache.resolve(cookie, seller=seller, refresh=refresh)
    note_tab(state.router.session.client_token, resolution, seller=seller)
    return resolution


def admits(access: Access, context: CustomerUser | SellerAgent) -> bool:
    """A staff rule admits only a staff member, a customer rule only a customer user; then
    the rule's right, if it names one."""
    if isinstance(context, SellerAgent):
        return access.staff and (access.permission is None or access.permission in context.rights)
    if isinstance(context, ActingAgent) and access.own_account:
        return False
    return not access.staff and (access.permission is None or access.permission in context.rights)


class AccessMiddleware(Middleware):
    async def preprocess(self, app: rx.App, state: BaseState, event: Event) -> StateUpdate | None:
        current_principal.set(None)
        start_context(short_name(event.name))
        fn = handler_functions().get(event.name)
        if is_framework_event(event.name, fn):
            await self._before_framework_event(app, state, event.name.rsplit(".", 1)[-1])
            return None
        access = access_of(fn) if fn is not None else None
        if access is None:
            log.warning("refused event without an access rule")
            return StateUpdate()
        if access.dev_only and not get_settings().is_dev:
            return StateUpdate()
        seller = access.staff if not access.anonymous else on_seller_page(state)
        passive = event.name.rsplit(".", 1)[-1] in PASSIVE_HANDLERS
        context = await principal_of(state, seller=seller, refresh=not passive)
        await claim_tab(state, session_of(context))
        current_principal.set(context)
        bind_principal(context)
        if access.anonymous:
            return None
        if context is None:
            log.info("refused: not signed in")
            return StateUpdate()
        if not admits(access, context):
            log.warning("refused: lacks the right %s", access.permission or "(other side)")
            return StateUpdate()
        return None

    @staticmethod
    async def _before_framework_event(app: rx.App, state: BaseState, handler: str) -> None:
        """A (re)connecting tab gets its state only once it is the current session's; an
        opened page drops the previous visit's view before it loads."""
        if handler in _SNAPSHOT_HANDLERS:
            context = await principal_of(state, seller=on_seller_page(state), refresh=False)
            await claim_tab(state, session_of(context))
        elif handler == _PAGE_OPEN_HANDLER:
            loads = page_loads(state.router.route_id)  # a signed-in page's, run by one event
            await open_page(state, loads or app.get_load_events(state.rx_router_url.path))
