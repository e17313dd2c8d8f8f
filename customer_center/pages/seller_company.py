"""``/seller/companies/[company_id]``: Company 360 for agents (``seller.view``), one section
at a time: overview with the account team, users (with the agent's help), setup with the
route preview, open approvals, audit log."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ArrayVar

from customer_center.components.forms import field_error, form
from customer_center.components.pager import pager
from customer_center.components.seller_assist import assist_buttons, assist_dialog, assist_done
from customer_center.components.seller_company_nav import company_nav
from customer_center.components.seller_page import seller_app_page, seller_page
from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission, TeamRole
from customer_center.state.seller import SellerShellState
from customer_center.state.seller_assist import SellerAssistState
from customer_center.state.seller_company import SellerCompanyState

VIEW = StaffPermission.VIEW
S = SellerCompanyState


def heading(key: str) -> rx.Component:
    return rx.heading(tr(key), size="4", as_="h2")


def fact(label_key: str, value: rx.Var, fact_id: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(tr(label_key), min_width="10rem"),
        rx.data_list.value(value, id=fact_id),
    )


def lines(values: rx.Var) -> rx.Component:
    return rx.vstack(rx.foreach(values, lambda line: rx.text(line, size="2")), spacing="1")


def table(headers: list[tuple[str, bool]], body: rx.Component, table_id: str) -> rx.Component:
    """A table whose columns marked ``True`` hide on a phone."""
    cells = [
        rx.table.column_header_cell(tr(key), class_name="cc-hide-narrow" if narrow else "")
        for key, narrow in headers
    ]
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*cells)),
            rx.table.body(body),
            variant="surface",
            width="100%",
            id=table_id,
        ),
        width="100%",
        class_name="cc-table-wrap",
    )


def list_pager(prefix: str, with_total: bool = True) -> rx.Component:
    info = tr("seller.console.page").replace("{page}", (S.page + 1).to_string())
    return rx.cond(
        (S.page > 0) | S.has_next,
        pager(
            info,
            on_previous=S.previous_page,
            on_next=S.next_page,
            has_previous=S.page > 0,
            has_next=S.has_next,
            id_prefix=prefix,
        ),
    )


# --- overview -------------------------------------------------------------------------------


def team_row(row: Texts) -> rx.Component:
    remove = rx.cond(
        SellerShellState.rights.contains(StaffPermission.MANAGE_STAFF.value),
        rx.button(
            tr("seller.console.team_remove"),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=S.remove_team_member(row["id"]),
            aria_label=tr("seller.console.team_remove") + " " + row["name"],
        ),
    )
    return rx.hstack(
        rx.vstack(
            rx.text(row["name"], weight="medium", size="2"),
            rx.text(row["role"], " · ", rx.link(row["email"], href=row["mailto"]), size="1"),
            spacing="0",
        ),
        rx.spacer(),
        remove,
        width="100%",
        align="center",
        class_name="cc-team-member",
    )


def team_form() -> rx.Component:
    errors = S.team_errors
    return form(
        rx.flex(
            rx.vstack(
                rx.el.label(
                    tr("seller.console.team_member"), html_for="staff_id", class_name="cc-label"
                ),
                rx.el.select(
                    rx.el.option(tr("seller.console.pick"), value=""),
                    rx.foreach(S.team_choices, lambda c: rx.el.option(c["name"], value=c["id"])),
                    name="staff_id",
                    id="staff_id",
                    class_name="cc-native-select",
                ),
                field_error(errors, "staff_id"),
                spacing="1",
                flex="2 1 14rem",
            ),
            rx.vstack(
                rx.el.label(
                    tr("seller.console.team_role"), html_for="team_role", class_name="cc-label"
                ),
                rx.el.select(
                    *[
                        rx.el.option(tr(f"seller.team_role.{r.value}"), value=r.value)
                        for r in TeamRole
                    ],
                    name="team_role",
                    id="team_role",
                    default_value=TeamRole.AGENT.value,
                    class_name="cc-native-select",
                ),
                spacing="1",
                flex="1 1 10rem",
            ),
            rx.button(
                tr("seller.console.team_add"), type="submit", id="team-add", align_self="end"
            ),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        on_submit=S.add_team_member,
        errors=errors,
    )


def team_card() -> rx.Component:
    manage = SellerShellState.rights.contains(StaffPermission.MANAGE_STAFF.value)
    return rx.card(
        rx.vstack(
            heading("seller.console.team"),
            rx.cond(
                S.team.length() > 0,
                rx.vstack(rx.foreach(S.team, team_row), spacing="2", width="100%", id="team-list"),
                rx.text(tr("seller.console.team_none"), size="2", color_scheme="gray"),
            ),
            rx.cond(manage, team_form()),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def overview_section() -> rx.Component:
    head = S.head
    return rx.vstack(
        rx.card(
            rx.data_list.root(
                fact("seller.console.customer_number", head["customer_number"], "fact-number"),
                fact(
                    "seller.console.place",
                    rx.cond(head["place"] != "", head["place"], "—"),
                    "fact-place",
                ),
                fact("seller.console.activation", head["activation"], "fact-activation"),
                fact(
                    "seller.console.main_contact",
                    rx.vstack(
                        rx.text(head["main_contact"], " (", head["main_contact_status"], ")"),
                        rx.text(head["main_contact_email"], size="1", color_scheme="gray"),
                        rx.text(
                            tr("seller.console.last_sign_in"),
                            ": ",
                            head["main_contact_last_sign_in"],
                            size="1",
                            color_scheme="gray",
                        ),
                        spacing="0",
                    ),
                    "fact-main-contact",
                ),
                fact("seller.console.users_by_status", head["users"], "fact-users"),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                heading("seller.console.sign_in"),
                lines(S.sign_in),
                rx.cond(
                    S.tokens.length() > 0,
                    rx.vstack(
                        rx.text(tr("seller.console.scim_tokens"), weight="medium", size="2"),
                        rx.foreach(
                            S.tokens,
                            lambda t: rx.text(
                                t["label"], " · ", t["state"], " · ", t["last_used"], size="2"
                            ),
                        ),
                        spacing="1",
                    ),
                    rx.text(tr("seller.console.scim_none"), size="2", color_scheme="gray"),
                ),
                rx.button(
                    tr("seller.assist.activation_lock"),
                    size="1",
                    variant="soft",
                    high_contrast=True,
                    on_click=SellerAssistState.ask("activation_lock", ""),
                    id="lift-activation-lock",
                ),
                spacing="2",
                width="100%",
                align="start",
            ),
            width="100%",
        ),
        team_card(),
        spacing="4",
        width="100%",
    )


# --- users ----------------------------------------------------------------------------------


def user_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["name"], weight="medium"),
                rx.text(row["email"], size="1", color_scheme="gray"),
                rx.cond(
                    row["main_contact"] != "",
                    rx.badge(row["main_contact"], size="1", high_contrast=True),
                ),
                rx.box(
                    rx.text(row["status"], " · ", row["roles"], size="1"),
                    rx.text(tr("seller.console.last_sign_in"), ": ", row["last_sign_in"], size="1"),
                    class_name="cc-show-narrow",
                ),
                assist_buttons(row),
                spacing="1",
            )
        ),
        rx.table.cell(row["status"], class_name="cc-hide-narrow"),
        rx.table.cell(row["roles"], class_name="cc-hide-narrow"),
        rx.table.cell(row["last_sign_in"], class_name="cc-hide-narrow"),
        class_name="cc-user-row",
    )


def users_section() -> rx.Component:
    return rx.vstack(
        assist_done(),
        table(
            [
                ("seller.console.user", False),
                ("seller.console.status", True),
                ("seller.console.roles", True),
                ("seller.console.last_sign_in", True),
            ],
            rx.foreach(S.rows, user_row),
            "company-users",
        ),
        rx.text(
            tr("seller.console.users_total").replace("{total}", S.total.to_string()),
            size="2",
            color_scheme="gray",
        ),
        list_pager("users"),
        assist_dialog(),
        spacing="3",
        width="100%",
    )


# --- setup ----------------------------------------------------------------------------------


def two_lines(rows: ArrayVar, key: str, table_id: str, head: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        table(
            [("seller.console.whose", False), (head, False)],
            rx.foreach(
                rows,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(r["whose"]),
                    rx.table.cell(rx.text(r[key], white_space="pre-line", size="2")),
                ),
            ),
            table_id,
        ),
        rx.text(tr("seller.console.none_set"), size="2", color_scheme="gray"),
    )


def preview_form() -> rx.Component:
    errors = S.preview_errors
    return rx.card(
        rx.vstack(
            heading("seller.console.preview"),
            rx.text(tr("seller.console.preview_intro"), size="2", color_scheme="gray"),
            form(
                rx.flex(
                    rx.vstack(
                        rx.el.label(
                            tr("seller.console.user"), html_for="user_id", class_name="cc-label"
                        ),
                        rx.el.select(
                            rx.el.option(tr("seller.console.pick"), value=""),
                            rx.foreach(
                                S.preview_users, lambda u: rx.el.option(u["name"], value=u["id"])
                            ),
                            name="user_id",
                            id="user_id",
                            class_name="cc-native-select",
                        ),
                        field_error(errors, "user_id"),
                        spacing="1",
                        flex="2 1 14rem",
                    ),
                    rx.vstack(
                        rx.el.label(
                            tr("seller.console.amount"), html_for="amount", class_name="cc-label"
                        ),
                        rx.input(
                            id="amount",
                            name="amount",
                            width="100%",
                            height="2.25rem",
                            input_mode="decimal",
                        ),
                        field_error(errors, "amount"),
                        spacing="1",
                        flex="1 1 10rem",
                    ),
                    rx.button(
                        tr("seller.console.preview_go"),
                        type="submit",
                        id="preview-go",
                        align_self="end",
                    ),
                    spacing="3",
                    wrap="wrap",
                    width="100%",
                ),
                on_submit=S.preview,
                errors=errors,
            ),
            rx.cond(
                S.preview_sentence != "",
                rx.vstack(
                    rx.text(S.preview_sentence, weight="medium", size="2"),
                    lines(S.preview_steps),
                    spacing="1",
                    id="preview-result",
                    role="status",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def setup_section() -> rx.Component:
    return rx.vstack(
        heading("seller.console.budgets"),
        two_lines(S.budgets, "limits", "company-budgets", "seller.console.limits"),
        heading("seller.console.chains"),
        two_lines(S.chains, "levels", "company-chains", "seller.console.levels"),
        preview_form(),
        spacing="3",
        width="100%",
    )


# --- approvals and audit log ----------------------------------------------------------------


def approval_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(
                    row["number"],
                    href=rx.Var.create(routes.SELLER_COMPANY_ORDER)
                    .to(str)
                    .replace("[company_id]", S.company_id)
                    .replace("[order_id]", row["order_id"]),
                ),
                rx.text(
                    row["requester"], " · ", row["total"], size="1", class_name="cc-show-narrow"
                ),
                spacing="0",
            )
        ),
        rx.table.cell(row["requester"], class_name="cc-hide-narrow"),
        rx.table.cell(row["total"], class_name="cc-hide-narrow"),
        rx.table.cell(
            rx.vstack(
                rx.text(row["age"], weight="medium", size="2"),
                rx.text(row["waiting_since"], size="1", color_scheme="gray"),
                rx.cond(
                    row["escalated"] != "",
                    rx.badge(row["escalated"], color_scheme="amber", size="1", high_contrast=True),
                ),
                spacing="0",
            )
        ),
        rx.table.cell(row["approvers"], class_name="cc-hide-narrow"),
    )


def approvals_section() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.rows.length() > 0,
            table(
                [
                    ("seller.console.order", False),
                    ("seller.console.requester", True),
                    ("seller.console.total", True),
                    ("seller.console.waiting", False),
                    ("seller.console.approvers", True),
                ],
                rx.foreach(S.rows, approval_row),
                "company-approvals",
            ),
            rx.text(tr("seller.console.no_approvals"), size="2", color_scheme="gray"),
        ),
        list_pager("approvals"),
        spacing="3",
        width="100%",
    )


def audit_row(row: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["action"], weight="medium", size="2"),
                rx.text(row["target"], size="1", color_scheme="gray"),
                rx.text(row["when"], " · ", row["who"], size="1", class_name="cc-show-narrow"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.text(row["changes"], white_space="pre-line", size="2")),
        rx.table.cell(row["who"], class_name="cc-hide-narrow"),
        rx.table.cell(row["when"], class_name="cc-hide-narrow"),
    )


def audit_section() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            rx.el.label(
                tr("seller.console.audit_search"), html_for="audit-search", class_name="cc-label"
            ),
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                value=S.audit_search,
                on_change=S.set_audit_search,
                debounce_timeout=400,
                id="audit-search",
                type="search",
                max_length=100,
                width="100%",
            ),
            spacing="1",
            width="100%",
            max_width="30rem",
        ),
        rx.cond(
            S.rows.length() > 0,
            table(
                [
                    ("seller.console.what", False),
                    ("seller.console.changes", False),
                    ("seller.console.who", True),
                    ("seller.console.when", True),
                ],
                rx.foreach(S.rows, audit_row),
                "company-audit",
            ),
            rx.text(tr("seller.console.no_entries"), size="2", color_scheme="gray"),
        ),
        list_pager("audit"),
        spacing="3",
        width="100%",
    )


def section_body() -> rx.Component:
    return rx.match(
        S.section,
        ("users", users_section()),
        ("setup", setup_section()),
        ("approvals", approvals_section()),
        ("audit", audit_section()),
        overview_section(),
    )


@seller_page(routes.SELLER_COMPANY, S.load, title_key="seller.console.company_page", right=VIEW)
def seller_company_page() -> rx.Component:
    return seller_app_page(
        rx.cond(
            S.not_found != "",
            rx.vstack(
                rx.callout(
                    S.not_found, icon="search_x", color_scheme="amber", id="company-not-found"
                ),
                rx.link(tr("seller.console.back_to_search"), href=routes.SELLER_COMPANIES),
                spacing="3",
            ),
            rx.cond(
                S.loaded,
                rx.vstack(
                    rx.hstack(
                        rx.heading(S.head["name"], size="6", as_="h2", id="company-name"),
                        rx.badge(S.head["customer_number"], variant="outline", high_contrast=True),
                        align="center",
                        wrap="wrap",
                    ),
                    company_nav(S.company_id, S.section),
                    section_body(),
                    spacing="4",
                    width="100%",
                ),
                rx.spinner(),
            ),
        ),
        title_key="seller.console.company_page",
        right=VIEW,
    )
