"""The console's order pages (``seller.view``): a company's orders and one order's full
journey (ERP statuses with times, shipments per line, the timeline, lines and prices, the
e-mails the portal sent, the price check of the lines)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.pager import state_pager
from customer_center.components.seller_company_nav import company_nav
from customer_center.components.seller_page import seller_app_page, seller_page
from customer_center.components.ui import Text, Texts, notice, once_loaded, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.pages.orders import STATUS_COLORS
from customer_center.services.orders.lists import LISTED_STATUSES
from customer_center.state.seller_orders import ALL, SellerOrderJourneyState, SellerOrdersState

VIEW = StaffPermission.VIEW
MAIL_COLORS = {
    "delivered": "green",
    "queued": "gray",
    "sending": "blue",
    "retrying": "amber",
    "failed": "red",
}


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    """The order's status; high contrast, so its small text stays readable (axe)."""
    return rx.badge(
        label,
        color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"),
        variant="soft",
        high_contrast=True,
        class_name="cc-nowrap",
    )


def company_back_link(company_id: rx.Var, company_name: rx.Var) -> rx.Component:
    """ "← <company name>": back to the company's page in the console."""
    return rx.cond(
        company_id != "",
        rx.link(
            rx.hstack(
                rx.icon("arrow_left", size=16, aria_hidden="true"),
                rx.text(company_name),
                spacing="1",
                align="center",
            ),
            href="/seller/companies/" + company_id.to(str),
            aria_label=tr("seller_orders.back").replace("{company}", company_name.to(str)),
            id="company-back",
            size="2",
        ),
    )


def prices_link(company_id: rx.Var) -> rx.Component:
    """To the company's contract price check."""
    return rx.cond(
        company_id != "",
        rx.link(
            tr("seller_orders.prices.title"),
            href="/seller/companies/" + company_id.to(str) + "/prices",
            size="2",
            id="company-prices-link",
        ),
    )


def section(title_key: str, *children: rx.Component, id_: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(title_key), size="4", as_="h2"),
            *children,
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        id=id_,
    )


def header_cell(key: str, narrow_hidden: bool = False) -> rx.Component:
    return rx.table.column_header_cell(
        tr(key), class_name="cc-hide-narrow" if narrow_hidden else ""
    )


def wrap_table(*rows: rx.Component, head: list[rx.Component], id_: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*head)),
            rx.table.body(*rows),
            variant="surface",
            width="100%",
            id=id_,
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


# --- the list --------------------------------------------------------------------------------


def status_filter() -> rx.Component:
    state = SellerOrdersState
    return rx.vstack(
        rx.el.label(tr("order_list.filter.status"), html_for="order-status", class_name="cc-label"),
        rx.select.root(
            rx.select.trigger(id="order-status", width="100%"),
            rx.select.content(
                rx.select.item(tr("order_list.filter.status_all"), value=ALL),
                *[rx.select.item(tr(f"orders.status.{s}"), value=s) for s in LISTED_STATUSES],
            ),
            value=state.status,
            on_change=state.set_status,
        ),
        spacing="1",
        max_width="20rem",
        width="100%",
    )


def order_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(
                    row["number"],
                    href=row["href"],
                    weight="medium",
                    class_name="cc-order-link",
                ),
                rx.text(row["erp_number"], size="1", color_scheme="gray"),
                rx.box(
                    rx.vstack(
                        rx.text(row["submitted"], size="1"),
                        rx.text(row["requester"], size="1"),
                        rx.hstack(
                            status_badge(row["status"], row["status_label"]),
                            rx.text(row["total"], size="2", weight="medium"),
                            spacing="2",
                            align="center",
                            wrap="wrap",
                        ),
                        spacing="1",
                    ),
                    class_name="cc-show-narrow",
                ),
                spacing="1",
            )
        ),
        rx.table.cell(row["submitted"], class_name="cc-hide-narrow"),
        rx.table.cell(row["requester"], class_name="cc-hide-narrow"),
        rx.table.cell(
            status_badge(row["status"], row["status_label"]), class_name="cc-hide-narrow"
        ),
        rx.table.cell(row["total"], class_name="cc-hide-narrow cc-nowrap"),
        class_name="cc-order-row",
    )


@seller_page(
    routes.SELLER_COMPANY_ORDERS,
    SellerOrdersState.load,
    title_key="page.seller_company_orders",
    right=VIEW,
)
def seller_company_orders_page() -> rx.Component:
    state = SellerOrdersState
    return seller_app_page(
        rx.vstack(
            rx.cond(state.company_id != "", company_nav(state.company_id, "orders")),
            rx.hstack(
                company_back_link(state.company_id, state.company_name),
                prices_link(state.company_id),
                spacing="4",
                wrap="wrap",
            ),
            rx.cond(state.problem != "", notice(state.problem, "red", "triangle_alert")),
            rx.cond(
                state.company_id != "",
                rx.vstack(
                    rx.text(
                        tr("seller_orders.list.intro").replace("{company}", state.company_name),
                        color_scheme="gray",
                    ),
                    status_filter(),
                    wrap_table(
                        rx.foreach(state.rows, order_row),
                        head=[
                            header_cell("order_list.column.number"),
                            header_cell("order_list.column.submitted", True),
                            header_cell("order_list.column.requester", True),
                            header_cell("order_list.column.status", True),
                            header_cell("order_list.column.total", True),
                        ],
                        id_="company-orders",
                    ),
                    rx.cond(
                        state.loaded & (state.total == 0),
                        once_loaded(rx.text(tr("seller_orders.list.none"), color_scheme="gray")),
                    ),
                    state_pager(state, state.summary, id_prefix="orders"),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        title_key="seller_orders.list.title",
        right=VIEW,
    )


# --- one order's journey ---------------------------------------------------------------------


def fact(label_key: str, value: Text | rx.Component) -> rx.Component:
    return rx.vstack(
        rx.text(tr(label_key), size="1", color_scheme="gray"),
        value if isinstance(value, rx.Component) else rx.text(value, weight="medium"),
        spacing="0",
        min_width="0",
    )


def head_card() -> rx.Component:
    head = SellerOrderJourneyState.head
    return rx.card(
        rx.grid(
            fact(
                "seller_orders.journey.status",
                status_badge(head["status"], head["status_label"]),
            ),
            fact("seller_orders.journey.requester", head["requester"]),
            fact("seller_orders.journey.submitted", head["submitted"]),
            fact("seller_orders.journey.total", head["total"]),
            fact("seller_orders.journey.reference", head["reference"]),
            fact("seller_orders.journey.erp_number", head["erp_order_number"]),
            width="100%",
            style={
                "gap": "1rem",
                "grid-template-columns": "repeat(auto-fill, minmax(11rem, 1fr))",
            },
        ),
        size="2",
        width="100%",
        id="journey-head",
    )


def erp_step(report: Texts) -> rx.Component:
    """One status the ERP reported: a step of the journey, with both times."""
    return rx.el.li(
        rx.hstack(
            rx.box(
                width="0.75rem",
                height="0.75rem",
                border_radius="50%",
                background=rx.color("blue", 9),
                margin_top="0.4rem",
                flex_shrink="0",
                aria_hidden="true",
            ),
            rx.vstack(
                rx.text(report["status"], weight="bold"),
                rx.text(
                    tr("seller_orders.erp.occurred") + ": " + report["occurred"],
                    size="2",
                ),
                rx.text(
                    tr("seller_orders.erp.received") + ": " + report["received"],
                    size="1",
                    color_scheme="gray",
                ),
                rx.cond(
                    report["moved"] != "",
                    rx.text(report["moved"], size="1", color_scheme="gray"),
                ),
                rx.cond(
                    (report["carrier"] != "") | (report["tracking_number"] != ""),
                    rx.text(
                        tr("seller_orders.erp.shipment")
                        .replace("{carrier}", report["carrier"])
                        .replace("{tracking}", report["tracking_number"]),
                        size="2",
                        class_name="cc-tracking",
                    ),
                ),
                rx.cond(report["note"] != "", rx.text(report["note"], size="2")),
                spacing="0",
                min_width="0",
            ),
            spacing="3",
            align="start",
        ),
        class_name="cc-erp-step",
        style={
            "list-style": "none",
            "border-left": f"2px solid {rx.color('gray', 6)}",
            "margin-left": "0.3rem",
            "padding": "0 0 0.75rem 0",
        },
    )


def erp_card() -> rx.Component:
    state = SellerOrderJourneyState
    return section(
        "seller_orders.erp.title",
        rx.text(tr("seller_orders.erp.intro"), size="2", color_scheme="gray"),
        rx.cond(
            state.erp_reports.length() > 0,
            rx.el.ol(
                rx.foreach(state.erp_reports, erp_step),
                class_name="cc-erp-steps",
                style={"margin": "0", "padding": "0"},
            ),
            rx.text(tr("seller_orders.erp.none"), color_scheme="gray"),
        ),
        id_="erp-reports",
    )


def narrow(*children: rx.Component) -> rx.Component:
    """What the hidden columns say, under the first cell on a phone."""
    return rx.box(
        rx.vstack(*children, spacing="1"), class_name="cc-show-narrow", padding_top="0.25rem"
    )


def product_cell(line: Texts, *more: rx.Component) -> rx.Component:
    return rx.table.row_header_cell(
        rx.vstack(
            rx.text(line["name"], weight="medium"),
            rx.text(line["sku"], size="1", color_scheme="gray"),
            *([narrow(*more)] if more else []),
            spacing="0",
        )
    )


def shipment_row(line: Texts) -> rx.Component:
    shipments = rx.text(line["shipments"], size="2", white_space="pre-line")
    return rx.table.row(
        product_cell(line, rx.text(line["shipped"], size="2", weight="medium"), shipments),
        rx.table.cell(line["shipped"], class_name="cc-nowrap cc-hide-narrow"),
        rx.table.cell(shipments, class_name="cc-hide-narrow"),
    )


def shipments_card() -> rx.Component:
    return section(
        "seller_orders.shipments.title",
        wrap_table(
            rx.foreach(SellerOrderJourneyState.shipments, shipment_row),
            head=[
                header_cell("seller_orders.lines.product"),
                header_cell("seller_orders.lines.shipped", True),
                header_cell("seller_orders.shipments.title", True),
            ],
            id_="shipments",
        ),
        id_="shipments-card",
    )


def line_row(line: Texts) -> rx.Component:
    summary = line["quantity"] + " × " + line["unit_price"] + " = " + line["total"]
    return rx.table.row(
        product_cell(line, rx.text(summary, size="2")),
        rx.table.cell(line["quantity"], class_name="cc-hide-narrow"),
        rx.table.cell(line["unit_price"], class_name="cc-nowrap cc-hide-narrow"),
        rx.table.cell(line["total"], class_name="cc-nowrap cc-hide-narrow"),
    )


def lines_card() -> rx.Component:
    return section(
        "seller_orders.lines.title",
        wrap_table(
            rx.foreach(SellerOrderJourneyState.lines, line_row),
            head=[
                header_cell("seller_orders.lines.product"),
                header_cell("seller_orders.lines.quantity", True),
                header_cell("seller_orders.lines.unit_price", True),
                header_cell("seller_orders.lines.total", True),
            ],
            id_="journey-lines",
        ),
        id_="lines-card",
    )


def mail_row(mail: Texts) -> rx.Component:
    state_badge = rx.badge(
        mail["state"],
        color_scheme=rx.match(mail["state_code"], *MAIL_COLORS.items(), "gray"),
        variant="soft",
        high_contrast=True,
        white_space="normal",
        class_name="cc-mail-state",
    )
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(mail["subject"], weight="medium"),
                rx.text(mail["to"], size="1", color_scheme="gray"),
                rx.text(mail["queued"], size="1", color_scheme="gray", class_name="cc-show-narrow"),
                spacing="0",
            )
        ),
        rx.table.cell(mail["queued"], class_name="cc-hide-narrow"),
        rx.table.cell(
            rx.vstack(
                state_badge,
                rx.cond(
                    mail["state_code"] == "delivered",
                    rx.text(
                        tr("seller_orders.mails.sent").replace("{when}", mail["sent"]),
                        size="1",
                        color_scheme="gray",
                    ),
                ),
                rx.cond(
                    mail["next_attempt"] != "",
                    rx.text(
                        tr("seller_orders.mails.next_attempt").replace(
                            "{when}", mail["next_attempt"]
                        ),
                        size="1",
                        color_scheme="gray",
                    ),
                ),
                rx.cond(mail["error"] != "", rx.code(mail["error"], size="1")),
                spacing="1",
            )
        ),
        class_name="cc-mail-row",
    )


def mails_card() -> rx.Component:
    state = SellerOrderJourneyState
    return section(
        "seller_orders.mails.title",
        rx.cond(
            state.mails.length() > 0,
            wrap_table(
                rx.foreach(state.mails, mail_row),
                head=[
                    header_cell("seller_orders.mails.subject"),
                    header_cell("seller_orders.mails.when", True),
                    header_cell("seller_orders.mails.state"),
                ],
                id_="order-mails",
            ),
            rx.text(tr("seller_orders.mails.none"), color_scheme="gray"),
        ),
        id_="mails-card",
    )


def price_flag(line: Texts) -> rx.Component:
    return rx.vstack(
        rx.cond(
            line["mismatch"] != "",
            rx.badge(
                rx.icon("triangle_alert", size=14, aria_hidden="true"),
                tr("seller_orders.prices.mismatch"),
                color_scheme="red",
                variant="solid",
                class_name="cc-price-mismatch",
            ),
            rx.badge(
                rx.icon("check", size=14, aria_hidden="true"),
                tr("seller_orders.prices.match"),
                color_scheme="green",
                variant="soft",
                high_contrast=True,
            ),
        ),
        rx.text(line["text"], size="2"),
        spacing="1",
    )


def price_row(line: Texts) -> rx.Component:
    contract = rx.vstack(
        rx.text(line["expected"], size="2"),
        rx.text(line["list_price_text"], size="1", color_scheme="gray"),
        spacing="0",
    )
    stored = rx.text(
        tr("seller_orders.prices.stored") + ": " + line["stored"], size="2", weight="medium"
    )
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(line["name"], weight="medium"),
                rx.text(line["sku"] + " · " + line["quantity"] + " ×", size="1"),
                narrow(stored, contract, price_flag(line)),
                spacing="0",
            )
        ),
        rx.table.cell(line["stored"], class_name="cc-nowrap cc-hide-narrow"),
        rx.table.cell(contract, class_name="cc-hide-narrow"),
        rx.table.cell(price_flag(line), class_name="cc-hide-narrow"),
        class_name=rx.cond(line["mismatch"] != "", "cc-price-line cc-flagged", "cc-price-line"),
    )


def order_prices_card() -> rx.Component:
    state = SellerOrderJourneyState
    return section(
        "seller_orders.prices.order_title",
        rx.cond(
            state.price_problem != "",
            notice(state.price_problem, "amber", "triangle_alert"),
            rx.vstack(
                rx.text(state.price_priced_on, size="2", color_scheme="gray"),
                rx.callout(
                    state.price_summary,
                    icon=rx.cond(state.price_mismatches > 0, "triangle_alert", "check"),
                    color_scheme=rx.cond(state.price_mismatches > 0, "red", "green"),
                    width="100%",
                    id="price-summary",
                ),
                wrap_table(
                    rx.foreach(state.price_lines, price_row),
                    head=[
                        header_cell("seller_orders.lines.product"),
                        header_cell("seller_orders.prices.stored", True),
                        header_cell("seller_orders.prices.contract", True),
                        header_cell("seller_orders.prices.flag", True),
                    ],
                    id_="order-prices",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        id_="prices-card",
    )


def timeline_entry(event: Texts) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.hstack(
                rx.text(event["when"], size="1", color_scheme="gray"),
                rx.text(event["who"], size="1", weight="medium"),
                spacing="2",
                wrap="wrap",
            ),
            rx.text(event["text"], size="2"),
            rx.cond(
                event["body"] != "",
                rx.blockquote(event["body"], size="2", class_name="timeline-body"),
            ),
            spacing="1",
        ),
        class_name="timeline-entry",
    )


def timeline_card() -> rx.Component:
    return section(
        "seller_orders.timeline.title",
        rx.el.ol(
            rx.foreach(SellerOrderJourneyState.timeline, timeline_entry),
            class_name="cc-timeline-list",
            id="journey-timeline",
        ),
        id_="timeline-card",
    )


@seller_page(
    routes.SELLER_COMPANY_ORDER,
    SellerOrderJourneyState.load,
    title_key="page.seller_company_order",
    right=VIEW,
)
def seller_company_order_page() -> rx.Component:
    state = SellerOrderJourneyState
    return seller_app_page(
        rx.vstack(
            rx.cond(state.company_id != "", company_nav(state.company_id, "orders")),
            rx.hstack(
                company_back_link(state.company_id, state.company_name),
                rx.cond(
                    state.company_id != "",
                    rx.link(
                        tr("seller_orders.journey.company_orders").replace(
                            "{company}", state.company_name
                        ),
                        href="/seller/companies/" + state.company_id + "/orders",
                        size="2",
                        id="company-orders-link",
                    ),
                ),
                prices_link(state.company_id),
                spacing="4",
                wrap="wrap",
            ),
            rx.cond(state.problem != "", notice(state.problem, "red", "triangle_alert")),
            rx.cond(
                state.found,
                rx.vstack(
                    rx.heading(state.head["number"], size="5", as_="h2", id="order-number"),
                    head_card(),
                    order_prices_card(),
                    erp_card(),
                    shipments_card(),
                    mails_card(),
                    lines_card(),
                    timeline_card(),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        title_key="seller_orders.journey.title",
        right=VIEW,
    )
