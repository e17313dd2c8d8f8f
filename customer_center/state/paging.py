"""Turning the pages of a list: one pair of Next / Previous handlers for every paged state.

A paged state keeps the page it shows (0-based) in a var, knows how far the list goes (the
number of pages, or only whether a next page exists) and has a method that shows the current
page. :func:`page_turners` makes its two handlers under the state's own access rule::

    next_page, previous_page = page_turners(requires(Permission.USERS_MANAGE))

The handlers' names stay those the pages and tests call; each carries the rule it is given, so
the access test that enumerates every handler sees them like any other.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

from reflex.event import EventCallback

Handler = Callable[[Any], Any]
Turner = EventCallback[()]


def page_turners(
    rule: Callable[[Handler], Turner],
    *,
    names: tuple[str, str] = ("next_page", "previous_page"),
    page: str = "page",
    page_count: str | None = "page_count",
    has_next: str | None = None,
    show: str = "_refresh",
) -> tuple[Turner, Turner]:
    """The ``(next, previous)`` handlers of a paged state.

    ``page``: the var holding the shown page; ``page_count``: the var with the number of pages,
    or ``has_next``: a bool var saying whether there is a next page (lists that do not count);
    ``show``: the state's method (sync or async) that shows the page ``page`` now names.
    """

    def more(state: Any) -> bool:
        if has_next is not None:
            return bool(getattr(state, has_next))
        return getattr(state, page) + 1 < getattr(state, page_count or "page_count")

    async def turn(state: Any, step: int) -> None:
        setattr(state, page, getattr(state, page) + step)
        shown = getattr(state, show)()
        if inspect.isawaitable(shown):
            await shown

    async def next_page(self: Any) -> None:
        if more(self):
            await turn(self, 1)

    async def previous_page(self: Any) -> None:
        if getattr(self, page) > 0:
            await turn(self, -1)

    # They belong to the module of the state whose class body calls this (where the access
    # map and the tests look for a state's handlers).
    caller = sys._getframe(1).f_globals.get("__name__", __name__)
    for handler, name in zip((next_page, previous_page), names, strict=True):
        # Reflex names the browser's event after the function: the attribute's name.
        handler.__name__ = handler.__qualname__ = name
        handler.__module__ = caller
    return rule(next_page), rule(previous_page)
