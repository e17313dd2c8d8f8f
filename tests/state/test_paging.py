"""The shared Next / Previous handlers of paged lists (state/paging.py)."""

from __future__ import annotations

import asyncio

import customer_center.customer_center  # noqa: F401 - registers every page and state
from customer_center.domain.permissions import Permission
from customer_center.state.access import Access, access_of, requires, signed_in
from customer_center.state.controlling import ControllingState
from customer_center.state.mailbox import MailboxState
from customer_center.state.middleware import handler_functions
from customer_center.state.paging import page_turners

NEXT, PREVIOUS = page_turners(signed_in)
NEXT_UNCOUNTED, PREVIOUS_UNCOUNTED = page_turners(
    requires(Permission.AUDIT_VIEW), page_count=None, has_next="more", show="_show"
)


class _Counted:
    def __init__(self, page: int, page_count: int) -> None:
        self.page, self.page_count, self.shown = page, page_count, []

    async def _refresh(self) -> None:
        self.shown.append(self.page)


class _Uncounted:
    def __init__(self, page: int, more: bool) -> None:
        self.page, self.more, self.shown = page, more, []

    def _show(self) -> None:  # a synchronous show works too
        self.shown.append(self.page)


def test_next_and_previous_stay_within_the_pages() -> None:
    state = _Counted(page=0, page_count=2)
    asyncio.run(PREVIOUS(state))
    assert (state.page, state.shown) == (0, [])
    asyncio.run(NEXT(state))
    assert (state.page, state.shown) == (1, [1])
    asyncio.run(NEXT(state))
    assert (state.page, state.shown) == (1, [1])
    asyncio.run(PREVIOUS(state))
    assert (state.page, state.shown) == (0, [1, 0])


def test_a_list_that_does_not_count_goes_on_while_there_is_more() -> None:
    state = _Uncounted(page=0, more=True)
    asyncio.run(NEXT_UNCOUNTED(state))
    state.more = False
    asyncio.run(NEXT_UNCOUNTED(state))
    asyncio.run(PREVIOUS_UNCOUNTED(state))
    assert (state.page, state.shown) == (0, [1, 0])


def test_the_handlers_carry_the_rule_and_the_names_they_are_given() -> None:
    assert access_of(NEXT) == access_of(PREVIOUS) == Access()
    assert access_of(NEXT_UNCOUNTED) == Access(permission=Permission.AUDIT_VIEW)
    assert (NEXT.__name__, PREVIOUS.__qualname__) == ("next_page", "previous_page")
    assert NEXT.__module__ == __name__
    controlling = {
        name.rsplit(".", 1)[1]: fn
        for name, fn in handler_functions().items()
        if name.startswith(ControllingState.get_full_name() + ".")
    }
    assert {"next_budget_page", "previous_budget_page"} <= set(controlling)
    assert controlling["next_budget_page"].__module__ == "customer_center.state.controlling"
    mailbox = f"{MailboxState.get_full_name()}.next_page"
    assert access_of(handler_functions()[mailbox]) == Access(anonymous=True, dev_only=True)
