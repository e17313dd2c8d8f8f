"""The search field in the header: hits below it as links; Enter opens the first."""

from __future__ import annotations

import reflex as rx

from customer_center.components import strong
from customer_center.components.ui import Texts, tr
from customer_center.state.global_search import GlobalSearchState as S


def _hit(hit: Texts) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.hstack(
                strong.badge(hit["kind"], variant="soft", color_scheme="gray", size="1"),
                rx.vstack(
                    rx.text(hit["title"], size="2", weight="medium"),
                    rx.text(hit["detail"], size="1", color_scheme="gray"),
                    spacing="0",
                ),
                spacing="2",
                align="center",
            ),
            href=hit["href"],
            on_click=S.close,
            underline="none",
            class_name="cc-search-hit",
        ),
    )


def _results() -> rx.Component:
    return rx.cond(
        S.searched,
        rx.box(
            rx.cond(
                S.hits.length() > 0,
                rx.el.ul(rx.foreach(S.hits, _hit), class_name="cc-search-list"),
                rx.text(tr("search.nothing"), size="2", color_scheme="gray", padding="0.5rem"),
            ),
            rx.cond(S.problem != "", rx.text(S.problem, size="1", color_scheme="amber")),
            class_name="cc-search-results",
            id="global-search-results",
        ),
    )


def global_search() -> rx.Component:
    return rx.form(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            name="q",
            type="search",
            value=S.term,
            on_change=S.find,
            debounce_timeout=250,
            placeholder=tr("search.placeholder"),
            aria_label=tr("search.label"),
            id="global-search",
            auto_complete="off",
            width="100%",
        ),
        _results(),
        on_submit=S.go,
        reset_on_submit=False,
        role="search",
        class_name="cc-global-search",
    )
