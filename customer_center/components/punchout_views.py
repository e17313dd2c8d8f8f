"""What the seller's console and the main contact see of punchout: the company's connections,
its sessions (the setup request, what went back, the order that followed) and the refused
messages, each raw message behind a disclosure."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import StringVar

from customer_center.components.pager import page_text, pager
from customer_center.components.ui import Texts, tr
from customer_center.state.base import PortalState


def _words(key: rx.Var) -> StringVar:
    """The message of a key the row carries, in the language on screen now."""
    return PortalState.t[key].to(str)


STATUS_COLORS = {"set_up": "gray", "open": "blue", "transferred": "amber", "ordered": "green"}


def _raw(label_key: str, text: rx.Var) -> rx.Component:
    return rx.cond(
        text != "",
        rx.el.details(
            rx.el.summary(tr(label_key), class_name="cc-summary"),
            rx.el.pre(
                text,
                style={
                    "white_space": "pre-wrap",
                    "word_break": "break-all",
                    "font_size": "12px",
                    "max_height": "20rem",
                    "overflow": "auto",
                    "background": "var(--gray-2)",
                    "padding": "0.5rem",
                    "border_radius": "var(--radius-2)",
                },
            ),
        ),
    )


def connection_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["name"], weight="medium"),
                rx.text(row["protocol"] + " · " + _words(row["enabled_key"]), size="1"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.code(row["identity"], variant="ghost")),
        rx.table.cell(
            rx.vstack(
                rx.text(row["default_role"]),
                rx.text(row["mapping"], size="1", color_scheme="gray"),
                spacing="0",
            ),
            class_name="cc-hide-narrow",
        ),
        rx.table.cell(rx.text(row["origins"], size="1"), class_name="cc-hide-narrow"),
    )


def connections_table(rows: rx.Var) -> rx.Component:
    return rx.cond(
        rows.length() > 0,  # type: ignore[attr-defined]
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("punchout.col.connection")),
                        rx.table.column_header_cell(tr("punchout.col.identity")),
                        rx.table.column_header_cell(
                            tr("punchout.col.roles"), class_name="cc-hide-narrow"
                        ),
                        rx.table.column_header_cell(
                            tr("punchout.col.origins"), class_name="cc-hide-narrow"
                        ),
                    )
                ),
                rx.table.body(rx.foreach(rows, connection_row)),
                variant="surface",
                width="100%",
                id="punchout-connections",
            ),
            width="100%",
            class_name="cc-table-wrap",
        ),
        rx.text(tr("punchout.no_connections"), color_scheme="gray"),
    )


def session_card(row: Texts) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(row["at"], weight="medium"),
                rx.badge(
                    _words(row["status_key"]),
                    color_scheme=rx.match(row["status"], *STATUS_COLORS.items(), "gray"),
                    variant="soft",
                    high_contrast=True,
                ),
                rx.text(row["connection"], size="2", color_scheme="gray"),
                rx.cond(row["company"] != "", rx.text(row["company"], size="2", weight="medium")),
                wrap="wrap",
                align="center",
                style={"gap": "0.25rem 0.75rem"},
            ),
            rx.text(row["user"] + " · " + _words(row["user_kind_key"]), size="2"),
            rx.cond(
                row["total"] != "",
                rx.vstack(
                    rx.text(tr("punchout.transferred") + " " + row["total"], weight="medium"),
                    rx.text(row["lines"], size="2", white_space="pre-line"),
                    spacing="1",
                ),
            ),
            rx.cond(
                row["order_id"] != "",
                rx.text(
                    tr("punchout.order_number").replace("{number}", row["order_id"]),
                    size="2",
                    color_scheme="green",
                ),
            ),
            _raw("punchout.raw.setup", row["setup"]),
            _raw("punchout.raw.transfer", row["transfer"]),
            _raw("punchout.raw.order", row["order_request"]),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="cc-punchout-session",
    )


def refusal_row(row: Texts) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.badge(row["status"], color_scheme="red", variant="soft", high_contrast=True),
            rx.text(row["at"], size="2"),
            rx.text(_words(row["kind_key"]), size="2", color_scheme="gray"),
            rx.cond(row["error_key"] != "", rx.text(_words(row["error_key"]), size="2")),
            wrap="wrap",
            align="center",
            style={"gap": "0.25rem 0.75rem"},
        ),
        _raw("punchout.raw.message", row["raw"]),
        spacing="1",
        width="100%",
    )


def sessions_list(state: Any) -> rx.Component:
    return rx.vstack(
        rx.cond(
            state.sessions.length() > 0,
            rx.vstack(rx.foreach(state.sessions, session_card), spacing="3", width="100%"),
            rx.text(tr("punchout.no_sessions"), color_scheme="gray"),
        ),
        pager(
            page_text("punchout.page", state.page),
            on_previous=state.previous_page,
            on_next=state.next_page,
            has_previous=state.page > 0,
            has_next=state.has_next,
            id_prefix="punchout",
        ),
        spacing="3",
        width="100%",
        id="punchout-sessions",
    )


def refusals_list(state: Any) -> rx.Component:
    return rx.cond(
        state.refusals.length() > 0,
        rx.vstack(rx.foreach(state.refusals, refusal_row), spacing="3", width="100%"),
        rx.text(tr("punchout.no_refusals"), color_scheme="gray"),
    )
