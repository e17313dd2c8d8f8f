"""The line under every paged list: where the reader is, and Previous / Next."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import NumberVar

from customer_center.components.ui import Text, once_loaded, tr, tr_count
from customer_center.state.paging import Turner


def page_text(
    key: str,
    page: NumberVar[int],
    pages: NumberVar[int] | None = None,
    total: NumberVar[int] | None = None,
) -> Text:
    """The message ``key`` with ``{page}`` (1-based), ``{pages}`` and ``{total}`` filled in."""
    text = (tr(key) if total is None else tr_count(key, total)).replace(
        "{page}", (page + 1).to_string()
    )
    if pages is not None:
        text = text.replace("{pages}", pages.to_string())
    if total is not None:
        text = text.replace("{total}", total.to_string())
    return text


def pager(
    info: rx.Var | rx.Component,
    *,
    on_previous: Turner,
    on_next: Turner,
    has_previous: rx.Var[bool],
    has_next: rx.Var[bool],
    id_prefix: str,
) -> rx.Component:
    """``info`` on the left, the buttons on the right; the buttons never submit a form
    around them. Ids: ``<prefix>-page-info``, ``<prefix>-previous``, ``<prefix>-next``."""
    return rx.hstack(
        rx.text(info, size="2", color_scheme="gray", id=f"{id_prefix}-page-info"),
        rx.spacer(),
        rx.button(
            tr("common.previous"),
            type="button",
            variant="soft",
            on_click=on_previous,
            disabled=~has_previous,
            id=f"{id_prefix}-previous",
        ),
        rx.button(
            tr("common.next"),
            type="button",
            variant="soft",
            on_click=on_next,
            disabled=~has_next,
            id=f"{id_prefix}-next",
        ),
        width="100%",
        align="center",
    )


def state_pager(state: Any, info: rx.Var | rx.Component, *, id_prefix: str) -> rx.Component:
    """The :func:`pager` of a state paged by :func:`~customer_center.state.paging.page_turners`
    with its ``page`` and ``page_count`` vars and its ``next_page`` / ``previous_page``."""
    return pager(
        info,
        on_previous=state.previous_page,
        on_next=state.next_page,
        has_previous=state.page > 0,
        has_next=state.page + 1 < state.page_count,
        id_prefix=id_prefix,
    )


def paged_rows(state: Any, table: rx.Component, empty_key: str, id_prefix: str) -> rx.Component:
    """One page of a list: the table, or once loaded the message ``empty_key`` when there is
    nothing (``#<id_prefix>-empty``), and the pager when there is more than one page."""
    return rx.fragment(
        rx.cond(
            state.rows.length() > 0,
            table,
            once_loaded(rx.text(tr(empty_key), color_scheme="gray", id=f"{id_prefix}-empty")),
        ),
        rx.cond(state.page_count > 1, state_pager(state, state.summary, id_prefix=id_prefix)),
    )
