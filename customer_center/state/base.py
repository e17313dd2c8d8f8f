"""Shared helpers of the portal's states: the actor, the database off the event loop, errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, ClassVar, TypeVar

import reflex as rx

from customer_center.db import SharedReads, session_scope
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import bounded_text, parse_id
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import ActingAgent, CustomerUser, SellerAgent
from customer_center.i18n import translate
from customer_center.i18n.catalog import LANGUAGES, catalog, normalize_language
from customer_center.presenters.people import worded_params
from customer_center.services.identity.accounts import change_language
from customer_center.services.seller.sign_in import change_staff_language
from customer_center.state.access import (
    current_principal,
    customer_principal,
    public,
    session_of,
)

T = TypeVar("T")
log = logging.getLogger(__name__)


def run_in_transaction(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a service with a fresh session; commits on success, rolls back on error."""
    with session_scope(keep=True) as session:
        return fn(session, *args, **kwargs)


async def in_transaction(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The same, in a worker thread: blocking database work never stalls the event loop.
    Within ``reads_shared()`` (a page opening) the calls share what they read."""
    shared = _shared_reads.get()
    if shared is not None:
        return await asyncio.to_thread(shared.run, fn, *args, **kwargs)
    return await asyncio.to_thread(run_in_transaction, fn, *args, **kwargs)


_shared_reads: ContextVar[SharedReads | None] = ContextVar("shared_reads", default=None)


@asynccontextmanager
async def reads_shared() -> AsyncIterator[None]:
    """The ``in_transaction`` calls of the block as ``db.SharedReads`` runs them: each in a
    transaction of its own, nothing read twice."""
    shared = SharedReads()
    token = _shared_reads.set(shared)
    try:
        yield
    finally:
        _shared_reads.reset(token)
        shared.close()


def request_header(router_data: dict, name: str) -> str:
    """A header of the browser's connection, as the server received it (never client state)."""
    value = router_data.get("headers", {}).get(name, "")
    return value if isinstance(value, str) else ""


def text_field(form: object, name: str, limit: int = 1024) -> str:
    """A form value as the string it should be: clients can send anything."""
    return bounded_text(form.get(name, "") if isinstance(form, dict) else "", limit)


def text_fields(form: object, names: Iterable[str], limit: int) -> dict[str, str]:
    """Fields that must be text, for forms where a missing value means something (an empty
    limit is no limit): a value that is not text is refused, not taken as empty."""
    if not isinstance(form, dict):
        raise ValidationFailed({"": ("error.invalid_input", {})})
    values = {name: form.get(name, "") for name in names}
    if wrong := [name for name, value in values.items() if not isinstance(value, str)]:
        raise ValidationFailed({name: ("error.invalid_input", {}) for name in wrong})
    return {name: bounded_text(value, limit) for name, value in values.items()}


def field_errors(error: ServiceError, lang: str) -> dict[str, str]:
    """Translate a service refusal into messages keyed by form field (``""``: the form);
    services hand over days as dates, roles and chains as references, worded here in the
    reader's language."""
    if isinstance(error, ValidationFailed):
        return {
            field: translate(lang, code, **_worded(params, lang))
            for field, (code, params) in error.errors.items()
        }
    return {error.field or "": translate(lang, error.code, **_worded(error.params, lang))}


def _worded(params: dict[str, object], lang: str) -> dict[str, object]:
    return worded_params(params, lang)


class PortalState(rx.State):
    """Base of every page state: gives handlers the client address and the language."""

    lang: str = "en"

    # Which sign-in session the tab's state belongs to (0: nobody signed in, None: not known
    # yet), and whether a session of the tab has ended since (signed out, expired, revoked,
    # deactivated). Server-side only; the middleware empties the tab when the session
    # changes (``state.tab``).
    _tab_session: int | None = None
    _session_ended: bool = False

    # Opening a page empties its states first, so nothing of a previous visit shows while it
    # loads; the shell's state opts out (its facts are the signed-in user's, not the page's).
    opens_empty: ClassVar[bool] = True

    def __getstate__(self) -> dict[str, Any]:
        """What Redis keeps of a session: without the cached catalogue (about 70 KB per
        session, unpickled again for every event); ``t`` recomputes it from ``lang`` (one
        shared dict per language) when it is next read."""
        fields = dict(super().__getstate__())
        fields.pop(PortalState.computed_vars["t"]._cache_attr, None)
        return fields

    def _client_ip(self) -> str:
        return self.router_data.get("ip", "") or ""

    def _header(self, name: str) -> str:
        return request_header(self.router_data, name)

    def _query(self, name: str) -> str:
        """A query parameter of the current page; always a string, whatever the URL holds."""
        value = self.router.url.query_parameters.get(name, "")
        return value if isinstance(value, str) else ""

    def _param(self, name: str) -> str:
        """A route or query parameter of the page (``/orders/[order_id]``, ``?status=``).

        Read from the event's router data, not ``self.router.page``: that is deprecated, and
        every read of it walks the call stack to say where (a third of an order list load).
        """
        params = self.router_data.get("query", {})
        value = params.get(name) if isinstance(params, dict) else None
        return value if isinstance(value, str) else self._query(name)

    def _query_id(self, name: str) -> int | None:
        """A numeric query or route parameter (``/users/[user_id]``); ``None`` if not a number."""
        return parse_id(self._param(name))

    def _actor(self) -> CustomerUser:
        """The signed-in user of this event; the middleware guarantees one behind
        ``@signed_in`` and ``@requires``, so its absence is a programming error."""
        context = customer_principal()
        if context is None:
            raise PermissionError("no signed-in actor for a protected handler")
        return context

    def _agent(self) -> SellerAgent:
        """The signed-in staff member of this event; the middleware guarantees one behind
        ``@staff`` and ``@staff_signed_in``."""
        context = current_principal.get()
        if not isinstance(context, SellerAgent):
            raise PermissionError("no signed-in staff member for a staff handler")
        return context

    def _still_for(self, actor: CustomerUser) -> bool:
        """Whether the tab's state still belongs to ``actor``'s session. A background task
        that outlives a sign-out (or another user signing in on the tab) must not write the
        previous user's data back into the emptied tab."""
        return self._tab_session == session_of(actor)

    def _may(self, permission: Permission) -> bool:
        context = customer_principal()
        return context is not None and context.may(permission)

    def _t(self, key: str, **params: object) -> str:
        return translate(self.lang, key, **params)

    _language_chosen: bool = False

    @rx.var(cache=True)
    def t(self) -> dict[str, str]:
        """The catalogue of the current language: components read ``PortalState.t[id]``."""
        return catalog(self.lang)

    def _use_language(self, lang: str) -> None:
        """Switch the language only when it changes: assigning even the same one resends
        the whole catalogue (``t``, about 70 KB of JSON) with the event's delta."""
        if lang != self.lang:
            self.lang = lang

    @public
    def detect_language(self) -> None:
        """First visit: take the language the browser prefers, unless the user chose one."""
        context = current_principal.get()
        if context is not None:
            self._use_language(normalize_language(context.language))
        elif not self._language_chosen:
            self._use_language(normalize_language(self._header("accept-language")))

    @public
    async def set_language(self, lang: str) -> None:
        if not isinstance(lang, str) or lang not in LANGUAGES:
            return
        self._use_language(lang)
        self._language_chosen = True
        context = current_principal.get()
        if isinstance(context, SellerAgent):
            await in_transaction(change_staff_language, context, language=lang)
        elif isinstance(context, ActingAgent):
            return  # the agent's tab only: the user's own language stays theirs
        elif context is not None:
            await in_transaction(change_language, context, language=lang)
