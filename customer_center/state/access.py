"""Deny by default: every event handler declares who may call it, one middleware enforces it.

Reflex makes every public State method callable from any browser with any arguments. A
handler without one of the markers below is refused by :class:`AccessMiddleware`, and a test
enumerates all handlers to make sure each one carries a marker.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVarTuple, Unpack, cast

from reflex.event import EventCallback

from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser

P = TypeVarTuple("P")
# A handler as written (the state, then the event's arguments), or one already made an event
# callback by ``rx.event(...)`` below the access marker.
Handler = Callable[[Any, Unpack[P]], Any] | EventCallback[*P]
ACCESS_ATTRIBUTE = "__cc_access__"


@dataclass(frozen=True)
class Access:
    """Who may call a handler: anyone, any signed-in user, holders of a right, or dev only."""

    anonymous: bool = False
    permission: Permission | None = None
    dev_only: bool = False


# Set by the middleware for the event being processed (None: nobody signed in); handlers
# read it through the state.
current_principal: ContextVar[CustomerUser | None] = ContextVar("current_principal", default=None)


def _mark(access: Access) -> Callable[[Handler[*P]], EventCallback[*P]]:
    def decorate(fn: Handler[*P]) -> EventCallback[*P]:
        setattr(fn, ACCESS_ATTRIBUTE, access)
        # The function itself, as ``rx.event`` returns a method: typed as the event callback
        # the state class makes of it, so ``State.handler(arg)`` and ``.debounce`` type-check.
        return cast("EventCallback[*P]", fn)

    return decorate


def public(fn: Handler[*P]) -> EventCallback[*P]:
    """Callable without signing in (sign-in, activation, language switch)."""
    return _mark(Access(anonymous=True))(fn)


def signed_in(fn: Handler[*P]) -> EventCallback[*P]:
    """Callable by any active, signed-in user of any company."""
    return _mark(Access())(fn)


def requires(
    permission: Permission,
) -> Callable[[Handler[*P]], EventCallback[*P]]:
    """Callable by signed-in users holding ``permission``."""
    return _mark(Access(permission=permission))


def dev_only(fn: Handler[*P]) -> EventCallback[*P]:
    """Callable only when the portal runs with CC_ENV=dev (the dev mailbox)."""
    return _mark(Access(anonymous=True, dev_only=True))(fn)


def access_of(fn: Callable) -> Access | None:
    return getattr(fn, ACCESS_ATTRIBUTE, None)


def describe(access: Access | None) -> str:
    """The rule in words, for the access map."""
    if access is None:
        return "REFUSED (no rule)"
    if access.dev_only:
        return "dev only"
    if access.anonymous:
        return "anyone"
    return access.permission or "signed in"
