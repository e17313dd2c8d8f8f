"""Import users from a CSV file: upload, check the preview, import with a progress bar."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import app_page
from customer_center.components.pager import page_text, state_pager
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr, tr_count
from customer_center.domain import routes
from customer_center.domain.user_csv import MAX_BYTES
from customer_center.pages.users import MANAGE
from customer_center.state.user_import import UserImportState

S = UserImportState
UPLOAD_ID = "import-csv"


def _filled(key: str, **values: rx.Var) -> rx.Var:
    """A translated text with ``{name}`` placeholders filled from state vars."""
    text = tr_count(key, values["count"]) if "count" in values else tr(key)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value.to_string())
    return text


def labelled_file_input(upload: rx.Component, label: rx.Var) -> rx.Component:
    """Name the drop zone's hidden file input (axe: every form element has a label): Reflex
    builds it inside the zone without a way to pass it attributes."""
    zone = upload.children[0]
    file_input = zone.children[0]
    assert isinstance(file_input, rx.Component) and file_input.tag == "input", file_input
    file_input.custom_attrs["aria-label"] = label
    return upload


def upload_area() -> rx.Component:
    return labelled_file_input(_upload_zone(), tr("import.drop_here"))


def _upload_zone() -> rx.Component:
    return rx.upload.root(
        rx.vstack(
            rx.icon("file_up", size=28, color=rx.color("blue", 9)),
            rx.text(tr("import.drop_here"), weight="medium"),
            rx.text(tr("import.limits"), size="1", color_scheme="gray"),
            align="center",
            spacing="2",
        ),
        id=UPLOAD_ID,
        accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"]},
        max_files=1,
        max_size=MAX_BYTES,
        multiple=False,
        on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        class_name="cc-upload",
    )


def file_error() -> rx.Component:
    return rx.cond(
        S.errors.contains("file"),
        rx.callout(
            S.errors["file"],
            icon="triangle_alert",
            color_scheme="red",
            role="alert",
            id="file-error",
        ),
    )


def row_status(row: Texts) -> rx.Component:
    return rx.cond(
        row["ok"] != "",
        rx.badge(tr("import.status_ok"), color_scheme="green"),
        rx.text(row["problems"], size="2", color_scheme="red"),
    )


def rows_table(rows: rx.Var, row_id: str) -> rx.Component:
    def row(item: Texts) -> rx.Component:
        return rx.table.row(
            rx.table.cell(item["line"]),
            rx.table.row_header_cell(item["name"]),
            rx.table.cell(item["email"]),
            rx.table.cell(item["language"], class_name="cc-hide-narrow"),
            rx.table.cell(item["roles"], class_name="cc-hide-narrow"),
            rx.table.cell(row_status(item)),
            class_name=row_id,
        )

    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(tr("import.column.line")),
                    rx.table.column_header_cell(tr("users.column.name")),
                    rx.table.column_header_cell(tr("users.column.email")),
                    rx.table.column_header_cell(tr("field.language"), class_name="cc-hide-narrow"),
                    rx.table.column_header_cell(tr("users.roles"), class_name="cc-hide-narrow"),
                    rx.table.column_header_cell(tr("import.column.status")),
                )
            ),
            rx.table.body(rx.foreach(rows, row)),
            variant="surface",
            width="100%",
        ),
        class_name="cc-table-wrap",
    )


def preview_pager() -> rx.Component:
    return state_pager(S, page_text("import.page_of", S.page, S.page_count), id_prefix="import")


def counts() -> rx.Component:
    return rx.hstack(
        rx.text(S.file_name, weight="medium", class_name="cc-nowrap"),
        rx.badge(
            _filled("import.count_ok", count=S.ok_count), color_scheme="green", id="import-ok"
        ),
        rx.badge(
            _filled("import.count_errors", count=S.error_count),
            color_scheme=rx.cond(S.error_count > 0, "red", "gray"),
            id="import-errors",
        ),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def preview() -> rx.Component:
    return rx.vstack(
        counts(),
        rx.cond(
            S.error_count > 0, rx.text(tr("import.errors_first"), size="2", color_scheme="gray")
        ),
        rows_table(S.rows, "cc-import-row"),
        preview_pager(),
        rx.hstack(
            rx.button(
                rx.icon("users", size=16),
                _filled("import.run", count=S.ok_count),
                on_click=S.run_import,
                disabled=(S.ok_count == 0) | S.importing,
                loading=S.importing,
                size="3",
                id="import-run",
            ),
            rx.button(
                tr("import.start_over"),
                variant="soft",
                size="3",
                on_click=S.start_over,
                disabled=S.importing,
                id="import-start-over",
            ),
            spacing="3",
            wrap="wrap",
        ),
        width="100%",
        spacing="3",
    )


def progress() -> rx.Component:
    return rx.vstack(
        rx.text(_filled("import.progress", done=S.done, total=S.total), id="import-progress-text"),
        rx.progress(value=S.percent, max=100, width="100%", id="import-progress"),
        width="100%",
        spacing="2",
        role="status",
    )


def result() -> rx.Component:
    return rx.vstack(
        notice(_filled("import.result_invited", count=S.invited), icon="check"),
        rx.cond(
            S.failed_count > 0,
            rx.vstack(
                notice(
                    _filled("import.result_failed", count=S.failed_count),
                    color="red",
                    icon="triangle_alert",
                ),
                rows_table(S.failed_rows, "cc-import-failed"),
                width="100%",
            ),
        ),
        rx.hstack(
            rx.link(rx.button(tr("import.to_users")), href=routes.USERS, id="import-to-users"),
            rx.button(tr("import.another"), variant="soft", on_click=S.start_over),
            spacing="3",
        ),
        width="100%",
        spacing="3",
        id="import-result",
    )


@portal_page(routes.USERS_IMPORT, S.load, title_key="page.users_import")
def users_import_page() -> rx.Component:
    return app_page(
        rx.vstack(
            rx.text(tr("import.intro"), size="2", color_scheme="gray"),
            rx.code(tr("import.example"), class_name="cc-import-example"),
            rx.cond(
                S.importing,
                progress(),
                rx.cond(
                    S.finished,
                    result(),
                    rx.vstack(
                        upload_area(),
                        file_error(),
                        rx.cond(S.file_name != "", preview()),
                        width="100%",
                    ),
                ),
            ),
            width="100%",
            spacing="4",
        ),
        title_key="import.title",
        permission=MANAGE,
    )
