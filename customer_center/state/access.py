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
from customer_center.domain.principals import ActingAgent, CustomerUser, SellerAgent
from customer_center.domain.staff import StaffPermission

P = TypeVarTuple("P")
# A handler as written (the state, then the event's arguments), or one already made an event
# callback by ``rx.event(...)`` below the access marker.
Handler = Callable[[Any, Unpack[P]], Any] | EventCallback[*P]
ACCESS_ATTRIBUTE = "__cc_access__"


@dataclass(frozen=True)
class Access:
    """Who may call a handler: anyone, any signed-in user, holders of a right, or dev only;
    on the customers' side (a customer user) or the seller's (``staff``: a staff member)."""

    anonymous: bool = False
    permission: Permission | StaffPermission | None = None
    dev_only: bool = False
    staff: bool = False
    # The user's own account (password, e-mail, sessions, handing over the main contact,
    # accepting an invitation): never by an agent acting for the user.
    own_account: bool = False


# Set by the middleware for the event being processed (None: nobody signed in): a customer
# user on the customers' pages, a staff member on the seller's (never both, never the other
# kind); handlers read it through the state.
current_principal: ContextVar[CustomerUser | SellerAgent | None] = ContextVar(
    "current_principal", default=None
)


def customer_principal() -> CustomerUser | None:
    """The event's customer user, if a customer user is signed in for it."""
    context = current_principal.get()
    return context if isinstance(context, CustomerUser) else None


def seller_principal() -> SellerAgent | None:
    """The event's staff member, if one is signed in for it (on the seller's pages)."""
    context = current_principal.get()
    return context if isinstance(context, SellerAgent) else None


# An acting session owns a tab under its own number, apart from staff and customer sessions.
ACTING_TAB_OFFSET = 1 << 40


def session_of(context: CustomerUser | SellerAgent | None) -> int:
    """The sign-in session behind an event, as the tab remembers it; 0 when nobody is signed
    in. Staff sessions count below zero, so a tab never mistakes a staff session for a
    customer's of the same id; an agent acting for a user counts by the acting session."""
    if context is None:
        return 0
    if isinstance(context, ActingAgent):
        return -(ACTING_TAB_OFFSET + context.acting_session_id)
    return -context.session_id if isinstance(context, SellerAgent) else context.session_id


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


def own_account(fn: Handler[*P]) -> EventCallback[*P]:
    """Callable by a signed-in user for their own account only: never by an agent of the
    seller acting for them, whatever the user may."""
    return _mark(Access(own_account=True))(fn)


def own_account_requires(
    permission: Permission,
) -> Callable[[Handler[*P]], EventCallback[*P]]:
    """Like :func:`requires`, and never by an agent acting for the user (own account)."""
    return _mark(Access(permission=permission, own_account=True))


def acting_principal() -> ActingAgent | None:
    """The event's agent acting for a customer user, if it is one."""
    context = current_principal.get()
    return context if isinstance(context, ActingAgent) else None


def requires(
    permission: Permission,
) -> Callable[[Handler[*P]], EventCallback[*P]]:
    """Callable by signed-in users holding ``permission``."""
    return _mark(Access(permission=permission))


def staff(
    permission: StaffPermission,
) -> Callable[[Handler[*P]], EventCallback[*P]]:
    """Callable by signed-in members of the seller's staff holding ``permission``; never by
    a customer user, whatever rights they hold."""
    return _mark(Access(permission=permission, staff=True))


def staff_signed_in(fn: Handler[*P]) -> EventCallback[*P]:
    """Callable by any active, signed-in member of the seller's staff (their own account)."""
    return _mark(Access(staff=True))(fn)


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
    if access.staff:
        return f"staff {access.permission}" if access.permission else "staff signed in"
    if access.own_account:
        return f"own account {access.permission or 'signed in'}"
    return access.permission or "signed in"
