"""Quick order: SKUs and quantities typed, pasted or uploaded, checked per line, then into the
cart at once."""

from __future__ import annotations

import reflex as rx

from customer_center.components import strong
from customer_center.components.forms import field_error
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, tr
from customer_center.components.uploads import named_upload
from customer_center.domain import routes
from customer_center.domain.order_lines import MAX_FILE_BYTES, MAX_LINES
from customer_center.domain.permissions import Permission
from customer_center.state.quick_order import QuickOrderState as S

ORDER = Permission.ORDERS_CREATE.value
UPLOAD_ID = "quick-order-file"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def entry_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.el.label(
                rx.text(tr("quick_order.lines_label"), weight="medium"),
                html_for="quick-order-lines",
            ),
            rx.text(tr("quick_order.lines_help"), size="2", color_scheme="gray"),
            rx.text_area(
                id="quick-order-lines",
                aria_describedby="lines-error",
                value=S.text,
                on_change=S.set_text,
                debounce_timeout=300,
                placeholder="BOLT-M8\t100\nMOTOR-4KW;2",
                rows="10",
                width="100%",
                spell_check=False,
                class_name="cc-mono",
            ),
            field_error(S.errors, "lines"),
            named_upload(
                rx.hstack(
                    rx.icon("file_up", size=20, color=rx.color("blue", 9)),
                    rx.vstack(
                        rx.text(tr("quick_order.drop_here"), size="2", weight="medium"),
                        rx.text(tr("quick_order.file_limits"), size="1", color_scheme="gray"),
                        spacing="0",
                    ),
                    spacing="3",
                    align="center",
                ),
                label=tr("quick_order.drop_here"),
                id=UPLOAD_ID,
                accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"], XLSX: [".xlsx"]},
                max_files=1,
                max_size=MAX_FILE_BYTES,
                multiple=False,
                on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
                class_name="cc-upload",
                width="100%",
            ),
            rx.cond(S.file_name != "", rx.text(S.file_name, size="2", id="quick-order-file-name")),
            field_error(S.errors, "file"),
            field_error(S.errors, ""),
            strong.button(
                rx.icon("list_checks", size=16),
                tr("quick_order.check"),
                on_click=S.check,
                size="3",
                id="quick-order-check",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def status(row: Texts) -> rx.Component:
    return rx.cond(
        row["ok"] != "",
        strong.badge(tr("quick_order.ok"), color_scheme="green"),
        rx.text(row["problem"], size="2", color_scheme="red"),
    )


def result_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["line"]),
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["sku"], weight="medium"),
                rx.text(row["name"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(row["quantity"]),
        rx.table.cell(
            rx.vstack(
                rx.text(row["price"], class_name="cc-nowrap"),
                rx.text(row["price_kind"], size="1", color_scheme="gray"),
                spacing="0",
            ),
            class_name="cc-hide-narrow",
        ),
        rx.table.cell(status(row)),
        class_name=rx.cond(row["ok"] != "", "cc-quick-line", "cc-quick-line cc-quick-problem"),
        data_line=row["line"],
    )


def results() -> rx.Component:
    return rx.vstack(
        rx.text(S.summary, weight="medium", id="quick-order-summary"),
        rx.flex(
            strong.button(
                rx.icon("shopping_cart", size=16),
                tr("quick_order.add"),
                on_click=S.add,
                disabled=S.ok_count == 0,
                size="3",
                id="quick-order-add",
                class_name="cc-wrap-button",
            ),
            rx.link(tr("quick_order.to_cart"), href=routes.CART, size="2"),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("quick_order.column.line")),
                        rx.table.column_header_cell(tr("quick_order.column.product")),
                        rx.table.column_header_cell(tr("shop.quantity")),
                        rx.table.column_header_cell(
                            tr("quick_order.column.price"), class_name="cc-hide-narrow"
                        ),
                        rx.table.column_header_cell(tr("quick_order.column.status")),
                    )
                ),
                rx.table.body(rx.foreach(S.rows, result_row)),
                variant="surface",
                width="100%",
            ),
            class_name="cc-table-wrap",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def quick_order_content() -> rx.Component:
    return rx.vstack(
        rx.text(tr("quick_order.intro"), color_scheme="gray", size="2"),
        rx.text(
            tr("quick_order.max_lines").replace("{max}", str(MAX_LINES)),
            size="1",
            color_scheme="gray",
        ),
        rx.cond(S.notice != "", strong.notice(S.notice, icon="check")),
        entry_card(),
        rx.cond(S.rows.length() > 0, results()),
        spacing="4",
        width="100%",
        max_width="60rem",
    )


@portal_page(
    routes.QUICK_ORDER,
    S.load,
    title_key="page.quick_order",
    right=Permission.ORDERS_CREATE,
    nav=Nav("nav.quick_order", "list_plus", NavGroup.SHOP, 2),
)
def quick_order_page() -> rx.Component:
    return app_page(quick_order_content(), title_key="quick_order.title", permission=ORDER)
