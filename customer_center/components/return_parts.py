"""What the customer's and the seller's return pages share: the status badge, the list table,
a return's facts (RMA number, slip, credit note) and its lines."""

from __future__ import annotations

import reflex as rx

from customer_center.components.ui import Texts, tr

STATUS_COLORS = {
    "requested": "blue",
    "approved": "amber",
    "received": "orange",
    "credited": "green",
    "replaced": "green",
    "rejected": "red",
    "withdrawn": "gray",
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


def _head(key: str, narrow_hidden: bool = False) -> rx.Component:
    return rx.table.column_header_cell(
        tr(key), class_name="cc-hide-narrow" if narrow_hidden else ""
    )


def returns_table(rows: rx.Var, *, seller: bool = False) -> rx.Component:
    def row(r: Texts) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(
                rx.vstack(
                    rx.link(r["number"], href=r["href"], weight="medium", class_name="cc-nowrap"),
                    rx.text(r["kind"], " · ", r["reason"], size="1", color_scheme="gray"),
                    *(
                        [rx.text(r["company"], size="1", class_name="cc-show-narrow")]
                        if seller
                        else []
                    ),
                    spacing="0",
                )
            ),
            rx.table.cell(r["order"], class_name="cc-nowrap"),
            rx.table.cell(status_badge(r)),
            rx.table.cell(
                r["company"] if seller else r["requested_by"], class_name="cc-hide-narrow"
            ),
            rx.table.cell(r["value"], class_name="cc-hide-narrow cc-nowrap"),
            rx.table.cell(r["updated"], class_name="cc-hide-narrow cc-nowrap"),
        )

    heads = [
        _head("returns.col.number"),
        _head("returns.col.order"),
        _head("returns.col.state"),
        _head("returns.col.company" if seller else "returns.col.requested_by", True),
        _head("returns.col.value", True),
        _head("returns.col.updated", True),
    ]
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*heads)),
            rx.table.body(rx.foreach(rows, row)),
            variant="surface",
            width="100%",
            id="returns-table",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def _fact(label_key: str, value: rx.Component | rx.Var) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(tr(label_key), min_width="9rem"),
        rx.data_list.value(value),
    )


def return_facts(head: Texts, *, seller: bool = False) -> rx.Component:
    """Number, status, kind and reason, order, who asked when, RMA and slip, credit note (the
    customer's comment is the first entry of the timeline)."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(head["number"], size="5", as_="h2", id="return-number"),
                status_badge(head),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.text(head["kind"], " · ", head["reason"], size="2", color_scheme="gray"),
            rx.data_list.root(
                *([_fact("returns.col.company", rx.text(head["company"]))] if seller else []),
                _fact("returns.col.order", rx.link(head["order"], href=head["order_href"])),
                _fact("returns.state.requested", rx.text(head["requested"])),
                rx.cond(
                    head["condition"] != "",
                    _fact("returns.field.condition", rx.text(head["condition"])),
                ),
                rx.cond(
                    head["goods"] != "", _fact("returns.field.outcome", rx.text(head["outcome"]))
                ),
                _fact("returns.value", rx.text(head["value"], id="return-value")),
                rx.cond(
                    head["rma"] != "",
                    _fact("returns.rma", rx.code(head["rma"], id="return-rma", size="3")),
                ),
                rx.cond(
                    head["credit_note"] != "",
                    _fact(
                        "returns.credit_note",
                        rx.code(head["credit_note"], id="return-credit-note", size="3"),
                    ),
                ),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                size="2",
            ),
            rx.cond(
                head["slip_href"] != "",
                rx.hstack(
                    rx.el.a(
                        rx.icon("printer", size=16, aria_hidden="true"),
                        tr("returns.slip"),
                        href=head["slip_href"],
                        download="",
                        # A file, not a page of the app: the browser fetches it.
                        custom_attrs={"reloadDocument": True},
                        id="return-slip",
                        class_name="cc-document-download",
                    ),
                    rx.text(tr("returns.slip_hint"), size="1", color_scheme="gray"),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                ),
            ),
            rx.cond(
                head["credit_pending"] != "",
                rx.text(tr("returns.credit_pending"), size="2", id="credit-pending"),
            ),
            rx.cond(
                head["rejection"] != "",
                rx.callout(head["rejection"], icon="ban", color_scheme="red", width="100%"),
            ),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        id="return-facts",
    )


def lines_table(lines: rx.Var, accepted_cell: object = None) -> rx.Component:
    """The return's lines; ``accepted_cell`` (line -> component) replaces the accepted
    quantity with an input (the seller recording the receipt)."""

    def row(line: Texts) -> rx.Component:
        accepted = accepted_cell(line) if callable(accepted_cell) else line["accepted"]
        return rx.table.row(
            rx.table.cell(line["position"], class_name="cc-hide-narrow"),
            rx.table.row_header_cell(
                rx.vstack(
                    rx.text(line["name"], size="2", weight="medium"),
                    rx.text(line["sku"], size="1", color_scheme="gray"),
                    spacing="0",
                )
            ),
            rx.table.cell(line["quantity"]),
            rx.table.cell(accepted),
            rx.table.cell(line["unit"], class_name="cc-hide-narrow cc-nowrap"),
        )

    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    _head("returns.col.position", True),
                    _head("returns.col.name"),
                    _head("returns.col.requested"),
                    _head("returns.field.accepted"),
                    _head("returns.col.unit_credit", True),
                )
            ),
            rx.table.body(rx.foreach(lines, row)),
            variant="surface",
            width="100%",
            id="return-line-table",
        ),
        width="100%",
        class_name="cc-table-wrap",
    )
