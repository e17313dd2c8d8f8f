"""What the customer's and the seller's case pages share: the status badge, the list table,
the case's facts and its timeline (the order timeline's entries), and a labelled select."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from customer_center.components.ui import Texts, notice, tr
from customer_center.components.uploads import named_upload
from customer_center.domain.cases import MAX_FILES_PER_MESSAGE

STATUS_COLORS = {
    "new": "blue",
    "in_progress": "amber",
    "waiting": "orange",
    "solved": "green",
    "closed": "gray",
}


def status_badge(row: Texts) -> rx.Component:
    return rx.badge(
        row["status_label"],
        color_scheme=rx.match(row["status"], *STATUS_COLORS.items(), "gray"),
        variant="soft",
        high_contrast=True,
        class_name="cc-nowrap",
    )


def queue_view_select(
    area: str, views: Sequence[str], value: rx.Var, on_change: Any, *, select_id: str
) -> rx.Component:
    """The seller's queue filter (``<area>.queue.<view>``), for cases and returns alike."""
    return rx.vstack(
        rx.el.label(tr(f"{area}.queue.view"), html_for=select_id, class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id=select_id, width="100%"),
            rx.select.content(
                *[rx.select.item(tr(f"{area}.queue.{v}"), value=v) for v in views],
            ),
            value=value,
            on_change=on_change,
        ),
        spacing="1",
        max_width="20rem",
        width="100%",
    )


def card(title_key: str, *children: rx.Component, id_: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), size="4", as_="h2"), *children, spacing="3", width="100%"
        ),
        size="2",
        width="100%",
        id=id_,
    )


def cases_table(rows: rx.Var, *, seller: bool = False) -> rx.Component:
    def row(r: Texts) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(
                rx.vstack(
                    rx.link(r["number"], href=r["href"], weight="medium", class_name="cc-nowrap"),
                    rx.text(r["category"], size="1", color_scheme="gray"),
                    spacing="0",
                )
            ),
            rx.table.cell(rx.text(r["subject"], size="2")),
            rx.table.cell(status_badge(r)),
            rx.table.cell(r["company"] if seller else r["opened_by"], class_name="cc-hide-narrow"),
            *([rx.table.cell(r["assignee"], class_name="cc-hide-narrow")] if seller else []),
            rx.table.cell(r["updated"], class_name="cc-hide-narrow cc-nowrap"),
        )

    def head(key: str, narrow_hidden: bool = False) -> rx.Component:
        return rx.table.column_header_cell(
            tr(key), class_name="cc-hide-narrow" if narrow_hidden else ""
        )

    heads = [
        head("cases.col.case"),
        head("cases.col.subject"),
        head("cases.col.status"),
        head("cases.col.company" if seller else "cases.col.opened_by", True),
        *([head("cases.col.assignee", True)] if seller else []),
        head("cases.col.updated", True),
    ]
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*heads)),
            rx.table.body(rx.foreach(rows, row)),
            variant="surface",
            width="100%",
            id="cases-table",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def _entry_files(event: Texts, files: rx.Var) -> rx.Component:
    """The files that came with the entry, as download links."""
    return rx.foreach(
        files,
        lambda f: rx.cond(
            f["entry"] == event["entry"],
            rx.el.a(
                rx.icon("paperclip", size=14, aria_hidden="true"),
                f["name"],
                rx.text(f["size"], as_="span", color_scheme="gray", size="1"),
                href=f["href"],
                download="",
                # A file, not a page of the app: the browser fetches it (no client routing).
                custom_attrs={"reloadDocument": True},
                class_name="cc-case-file",
            ),
        ),
    )


def timeline_entry(event: Texts, files: rx.Var | None) -> rx.Component:
    """One entry: who did what, then what they wrote, the files that came with it (on a
    timeline that has files) and when; the seller's internal notes stand out in amber."""
    note = event["kind"] == "case.note"
    attached = (
        rx.fragment()
        if files is None
        else rx.cond(
            event["files"] != "",
            rx.flex(_entry_files(event, files), spacing="3", wrap="wrap"),
        )
    )
    return rx.el.li(
        rx.vstack(
            rx.text(rx.text.strong(event["who"]), " ", event["text"], size="2"),
            rx.cond(
                event["body"] != "",
                rx.blockquote(
                    event["body"],
                    size="2",
                    class_name="timeline-body",
                    color_scheme=rx.cond(note, "amber", "gray"),
                    white_space="pre-wrap",
                    width="100%",
                ),
            ),
            attached,
            rx.text(event["when"], size="1", color_scheme="gray"),
            spacing="2",
            width="100%",
        ),
        class_name=rx.cond(note, "timeline-entry cc-case-note", "timeline-entry"),
    )


def timeline(rows: rx.Var, files: rx.Var | None = None) -> rx.Component:
    return rx.el.ol(
        rx.foreach(rows, lambda event: timeline_entry(event, files)),
        class_name="cc-timeline-list cc-case-timeline",
        id="case-timeline",
    )


def attach_zone(state: Any, upload_id: str) -> rx.Component:
    """Drop files (or click to choose) for the next message: each is checked when dropped;
    the staged ones are listed and can be taken off again; a refusal shows below."""
    return rx.vstack(
        named_upload(
            rx.hstack(
                rx.icon("paperclip", size=18, color=rx.color("blue", 9), flex_shrink="0"),
                rx.vstack(
                    rx.text(tr("cases.attach_drop"), size="2", weight="medium"),
                    rx.text(tr("cases.attach_limits"), size="1", color_scheme="gray"),
                    spacing="0",
                ),
                spacing="3",
                align="center",
            ),
            label=tr("cases.attach_drop"),
            id=upload_id,
            multiple=True,
            max_files=MAX_FILES_PER_MESSAGE,
            on_drop=state.attach(rx.upload_files(upload_id=upload_id)),
            class_name="cc-upload",
            width="100%",
        ),
        rx.cond(
            state.staged.length() > 0,
            rx.flex(
                rx.foreach(
                    state.staged,
                    lambda f: rx.badge(
                        rx.icon("paperclip", size=12),
                        f["name"],
                        " · ",
                        f["size"],
                        variant="soft",
                        high_contrast=True,
                    ),
                ),
                rx.button(
                    tr("cases.attach_remove"),
                    type="button",
                    variant="ghost",
                    size="1",
                    on_click=state.drop_files,
                    id=f"{upload_id}-remove",
                ),
                spacing="2",
                wrap="wrap",
                align="center",
                id=f"{upload_id}-staged",
            ),
        ),
        error_below(state.errors, "attachments"),
        spacing="2",
        width="100%",
    )


def facts(head: Texts, *, seller: bool = False) -> rx.Component:
    """Number, status, category, who opened it when, the order, followers, response times."""

    def item(label_key: str, value: Any) -> rx.Component:
        return rx.vstack(
            rx.text(tr(label_key), size="1", color_scheme="gray"),
            rx.text(value, size="2"),
            spacing="0",
        )

    return rx.vstack(
        rx.hstack(
            rx.heading(head["number"], size="5", as_="h2", id="case-number"),
            status_badge(head),
            rx.text(head["category"], size="2", color_scheme="gray"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.heading(head["subject"], size="4", as_="h3", id="case-subject"),
        rx.text(head["opened"], size="2", color_scheme="gray"),
        rx.hstack(
            rx.cond(
                head["order_href"] != "",
                rx.link(head["order"], href=head["order_href"], id="case-order", size="2"),
            ),
            rx.cond(
                head["return_href"] != "",
                rx.link(head["return"], href=head["return_href"], id="case-return", size="2"),
            ),
            spacing="4",
            wrap="wrap",
        ),
        rx.flex(
            item("cases.followers", head["followers"]),
            *(
                [
                    item("cases.col.company", head["company"]),
                    item("cases.col.assignee", head["assignee"]),
                    item("cases.first_answer", head["first_answer"]),
                    item("cases.total_time", head["total_time"]),
                ]
                if seller
                else []
            ),
            spacing="5",
            wrap="wrap",
        ),
        spacing="2",
        width="100%",
        id="case-facts",
    )


def labelled_select(
    name: str, label_key: str, items: list[rx.Component] | rx.Component, **props: Any
) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id=name, width="100%"),
            rx.select.content(*(items if isinstance(items, list) else [items])),
            name=name,
            **props,
        ),
        spacing="1",
        width="100%",
        align="start",
    )


def text_box(name: str, label_key: str, errors: Texts, rows: str = "4") -> rx.Component:
    has_error = errors.contains(name)
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, class_name="cc-label"),
        rx.text_area(
            name=name,
            id=name,
            rows=rows,
            width="100%",
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=f"{name}-error",
        ),
        rx.cond(
            has_error,
            rx.text(errors[name], id=f"{name}-error", size="2", color_scheme="red", role="alert"),
        ),
        spacing="1",
        width="100%",
        align="start",
    )


def error_below(errors: Texts, name: str) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", size="2", color_scheme="red", role="alert"),
    )


def done(text: rx.Var) -> rx.Component:
    """What just happened ("Your reply was sent."), in high contrast (axe)."""
    return rx.callout(
        text, icon="check", color_scheme="green", high_contrast=True, width="100%", role="status"
    )


def record_page(state: Any, *parts: rx.Component, max_width: str = "56rem") -> rx.Component:
    """A case's or a return's page: why it cannot be shown (``state.problem``), else its
    parts once its head has loaded."""
    return rx.cond(
        state.problem != "",
        notice(state.problem, color="amber", icon="lock"),
        rx.cond(
            state.head.contains("number"),
            rx.vstack(*parts, spacing="4", width="100%", max_width=max_width),
        ),
    )
