"""Deny by default: every event handler declares who may call it, one middleware enforces it.

Reflex makes every public State method callable from any browser with any arguments. A
handler without one of the markers below is refused by :class:`AccessMiddleware`, and a test
enumerates all handlers to make sure each one carries a marker.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from customer_center.domain.principals import CustomerUser

F = TypeVar("F", bound=Callable)
ACCESS_ATTRIBUTE = "__cc_access__"


@dataclass(frozen=True)
class Access:
    """Who may call a handler: anyone, any signed-in user, holders of a right, or dev only."""

    anonymous: bool = False
    permission: str | None = None
    dev_only: bool = False


# Set by the middleware for the event being processed (None: nobody signed in); handlers
# read it through the state.
current_principal: ContextVar[CustomerUser | None] = ContextVar("current_principal", default=None)


def _mark(access: Access) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        setattr(fn, ACCESS_ATTRIBUTE, access)
        return fn

    return decorate


def public(fn: F) -> F:
    """Callable without signing in (sign-in, activation, language switch)."""
    return _mark(Access(anonymous=True))(fn)


def signed_in(fn: F) -> F:
    """Callable by any active, signed-in user of any company."""
    return _mark(Access())(fn)


def requires(permission: str) -> Callable[[F], F]:
    """Callable by signed-in users holding ``permission``."""
    return _mark(Access(permission=permission))


def dev_only(fn: F) -> F:
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
